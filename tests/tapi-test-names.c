/* tapi-test-names.c: names of values and errors, for failure messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

/* Names of values */

/**
 * tapi_test_enum_name:
 * @type: an enum type
 * @value: one of its values
 *
 * Returns: (transfer none): the name of @value, or of the type and the
 *   number if @type has no such value
 */
const char *
tapi_test_enum_name (GType type,
                     int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  g_autofree char *unknown = NULL;
  const char *name;

  if (enum_value != NULL)
    {
      name = enum_value->value_name;
    }
  else
    {
      unknown = g_strdup_printf ("%s(%d)", g_type_name (type), value);
      name = g_intern_string (unknown);
    }
  g_type_class_unref (klass);

  return name;
}

char *
tapi_test_describe_error (const GError *error)
{
  if (error == NULL)
    return g_strdup ("no error (success)");
  if (error->domain == TAPI_ERROR)
    return g_strdup_printf ("TAPI_ERROR %s: %s",
                            tapi_test_error_name (error->code),
                            error->message);
  return g_strdup_printf ("%s %d: %s", g_quark_to_string (error->domain),
                          error->code, error->message);
}
