/* tapi-test-names.c: names of values and errors, for failure messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

/* Names of values */

static const char *
enum_name (GType type,
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

const char *
tapi_test_error_name (int code)
{
  return enum_name (TAPI_TYPE_ERROR, code);
}

const char *
tapi_test_state_name (TapiCallState state)
{
  return enum_name (TAPI_TYPE_CALL_STATE, state);
}

const char *
tapi_test_cause_name (TapiCallStateCause cause)
{
  return enum_name (TAPI_TYPE_CALL_STATE_CAUSE, cause);
}

const char *
tapi_test_info_name (TapiCallInfoChange change)
{
  return enum_name (TAPI_TYPE_CALL_INFO_CHANGE, change);
}

const char *
tapi_test_media_event_name (TapiCallMediaEvent event)
{
  return enum_name (TAPI_TYPE_CALL_MEDIA_EVENT, event);
}

const char *
tapi_test_media_cause_name (TapiCallMediaCause cause)
{
  return enum_name (TAPI_TYPE_CALL_MEDIA_CAUSE, cause);
}

const char *
tapi_test_stream_state_name (TapiStreamState state)
{
  return enum_name (TAPI_TYPE_STREAM_STATE, state);
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
