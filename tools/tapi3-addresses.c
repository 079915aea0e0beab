/* tapi3-addresses.c: "tapi3 addresses", the addresses and their features
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "tapi3-cli.h"

static void
print_wrapped (const char *label,
               const char *value)
{
  /* Break comma separated lists at 80 columns, aligned under the value. */
  const guint indent = 22;
  g_auto(GStrv) items = g_strsplit (value, ", ", -1);
  guint column = indent;

  g_print ("  %-*s", indent - 2, label);
  for (guint i = 0; items[i] != NULL; i++)
    {
      gsize len = strlen (items[i]) + (items[i + 1] != NULL ? 1 : 0);

      if (i > 0 && column + 1 + len > 80)
        {
          g_print ("\n%*s", indent, "");
          column = indent;
        }
      else if (i > 0)
        {
          g_print (" ");
          column++;
        }
      g_print ("%s%s", items[i], items[i + 1] != NULL ? "," : "");
      column += len;
    }
  g_print ("\n");
}

static void
print_address (TapiAddress *address,
               gboolean     terse)
{
  const char *state = cli_enum_to_string (TAPI_TYPE_ADDRESS_STATE,
                                          tapi_address_get_state (address));
  g_autofree char *media_types =
    cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                         tapi_address_get_media_types (address));
  g_autofree char *address_types =
    cli_flags_to_string (TAPI_TYPE_ADDRESS_TYPE,
                         tapi_address_get_address_types (address));
  g_autofree char *features =
    cli_flags_to_string (TAPI_TYPE_CALL_FEATURES,
                         tapi_address_get_call_features (address));

  if (terse)
    {
      g_autofree char *media_csv =
        cli_flags_join (TAPI_TYPE_MEDIA_TYPE,
                        tapi_address_get_media_types (address), ",");
      g_autofree char *types_csv =
        cli_flags_join (TAPI_TYPE_ADDRESS_TYPE,
                        tapi_address_get_address_types (address), ",");
      g_autofree char *features_csv =
        cli_flags_join (TAPI_TYPE_CALL_FEATURES,
                        tapi_address_get_call_features (address), ",");

      g_autofree char *name = cli_terse_field (tapi_address_get_name (address));
      g_autofree char *dialable = cli_terse_field (tapi_address_get_dialable_address (address));
      g_autofree char *provider = cli_terse_field (tapi_address_get_provider_name (address));

      g_print ("%s:%s:%s:%s:%s:%s:%s\n", name, dialable, provider,
               state, media_csv, types_csv, features_csv);
      return;
    }

  g_print ("Address %s\n", tapi_address_get_name (address));
  g_print ("  %-20s%s\n", "dialable address:",
           cli_or_dash (tapi_address_get_dialable_address (address)));
  g_print ("  %-20s%s\n", "provider:",
           cli_or_dash (tapi_address_get_provider_name (address)));
  g_print ("  %-20s%s\n", "state:", state);
  g_print ("  %-20s%s\n", "media types:", media_types);
  g_print ("  %-20s%s\n", "address types:", address_types);
  print_wrapped ("call features:", features);
}

int
cli_addresses (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(GError) error = NULL;
  gboolean terse = FALSE;
  GListModel *addresses;
  const GOptionEntry entries[] = {
    { "terse", 't', 0, G_OPTION_ARG_NONE, &terse,
      "One line per address, fields separated by colons (a colon in a field is \\:)", NULL },
    G_OPTION_ENTRY_NULL
  };

  context =
    cli_command_context_new ("addresses", "[ADDRESS…]",
                             "Lists the telephony addresses, their "
                             "provider, state, media types and call "
                             "features.\n\nWith ADDRESS arguments, only "
                             "those addresses are shown.\n\nTerse "
                             "fields: name:dialable address:provider:"
                             "state:media types:address types:"
                             "call features");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv))
    return EXIT_FAILURE;

  tapi = cli_open_tapi (NULL);
  if (tapi == NULL)
    return EXIT_FAILURE;

  if (argc > 1)
    {
      g_autoptr(GPtrArray) selected = g_ptr_array_new ();

      /* Check every name first, so nothing is printed on a typo. */
      for (int i = 1; i < argc; i++)
        {
          TapiAddress *address = cli_lookup_address (tapi, argv[i]);

          if (address == NULL)
            return EXIT_FAILURE;
          g_ptr_array_add (selected, address);
        }

      for (guint i = 0; i < selected->len; i++)
        {
          if (i > 0 && !terse)
            g_print ("\n");
          print_address (g_ptr_array_index (selected, i), terse);
        }
    }
  else
    {
      guint n;

      addresses = tapi_tapi_get_addresses (tapi);
      n = g_list_model_get_n_items (addresses);
      if (n == 0 && !terse)
        g_print ("No addresses.\n");
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TapiAddress) address = g_list_model_get_item (addresses, i);

          if (i > 0 && !terse)
            g_print ("\n");
          print_address (address, terse);
        }
    }

  tapi_tapi_shutdown (tapi, NULL);
  return EXIT_SUCCESS;
}
