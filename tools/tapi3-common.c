/* tapi3-common.c: helpers shared by the tapi3 commands
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi3-cli.h"

const char *
cli_enum_to_string (GType enum_type,
                    int   value)
{
  /* The class is kept referenced for the life of the process, so the nick
   * stays valid. */
  GEnumClass *klass = g_type_class_ref (enum_type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : "unknown";
}

char *
cli_flags_join (GType       flags_type,
                guint       value,
                const char *separator)
{
  GFlagsClass *klass = g_type_class_ref (flags_type);
  GString *string = g_string_new (NULL);
  GFlagsValue *flags_value;
  guint rest = value;

  if (value == 0)
    {
      flags_value = g_flags_get_first_value (klass, 0);
      g_string_append (string,
                       flags_value != NULL ? flags_value->value_nick : "none");
      return g_string_free (string, FALSE);
    }

  while (rest != 0 && (flags_value = g_flags_get_first_value (klass, rest)))
    {
      if (string->len > 0)
        g_string_append (string, separator);
      g_string_append (string, flags_value->value_nick);
      rest &= ~flags_value->value;
    }

  if (rest != 0)
    g_string_append_printf (string, "%s0x%x",
                            string->len > 0 ? separator : "", rest);

  return g_string_free (string, FALSE);
}

char *
cli_flags_to_string (GType flags_type,
                     guint value)
{
  return cli_flags_join (flags_type, value, ", ");
}

char *
cli_describe_state (TapiCallState      state,
                    TapiCallStateCause cause)
{
  return g_strdup_printf ("state %s (cause %s)",
                          cli_enum_to_string (TAPI_TYPE_CALL_STATE, state),
                          cli_enum_to_string (TAPI_TYPE_CALL_STATE_CAUSE,
                                              cause));
}

const char *
cli_or_dash (const char *string)
{
  return string != NULL && *string != '\0' ? string : "-";
}

/* A field of --terse output: "-" when empty, with ':' and '\' escaped
 * by a backslash, so that SIP URIs keep lines splittable on unescaped
 * colons. */
char *
cli_terse_field (const char *string)
{
  GString *field;

  if (string == NULL || *string == '\0')
    return g_strdup ("-");
  field = g_string_sized_new (strlen (string));
  for (const char *p = string; *p; p++)
    {
      if (*p == ':' || *p == '\\')
        g_string_append_c (field, '\\');
      g_string_append_c (field, *p);
    }
  return g_string_free (field, FALSE);
}

char *
cli_describe_party (const char *number,
                    const char *name)
{
  if (name != NULL && *name != '\0')
    return g_strdup_printf ("%s (%s)", cli_or_dash (number), name);
  return g_strdup (cli_or_dash (number));
}

char *
cli_describe_info_change (TapiCall          *call,
                          TapiCallInfoChange change)
{
  const char *nick = cli_enum_to_string (TAPI_TYPE_CALL_INFO_CHANGE, change);
  g_autofree char *value = NULL;

  switch (change)
    {
    case TAPI_CALL_INFO_CHANGE_CALLER_ID:
      value = cli_describe_party (tapi_call_get_caller_id_number (call),
                                  tapi_call_get_caller_id_name (call));
      break;
    case TAPI_CALL_INFO_CHANGE_CALLED_ID:
      value = cli_describe_party (tapi_call_get_called_id_number (call),
                                  tapi_call_get_called_id_name (call));
      break;
    case TAPI_CALL_INFO_CHANGE_CONNECTED_ID:
      value = cli_describe_party (tapi_call_get_connected_id_number (call),
                                  tapi_call_get_connected_id_name (call));
      break;
    case TAPI_CALL_INFO_CHANGE_REDIRECTION_ID:
      value = g_strdup (cli_or_dash (tapi_call_get_redirection_id_number (call)));
      break;
    case TAPI_CALL_INFO_CHANGE_REDIRECTING_ID:
      value = g_strdup (cli_or_dash (tapi_call_get_redirecting_id_number (call)));
      break;
    case TAPI_CALL_INFO_CHANGE_RELATED_CALL_ID:
      value = g_strdup_printf ("%u", tapi_call_get_related_call_id (call));
      break;
    case TAPI_CALL_INFO_CHANGE_PRIVILEGE:
      value = g_strdup (cli_enum_to_string (TAPI_TYPE_CALL_PRIVILEGE,
                                            tapi_call_get_privilege (call)));
      break;
    case TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS:
      value = g_strdup_printf ("%u", tapi_call_get_number_of_owners (call));
      break;
    case TAPI_CALL_INFO_CHANGE_NUMBER_OF_MONITORS:
      value = g_strdup_printf ("%u", tapi_call_get_number_of_monitors (call));
      break;
    case TAPI_CALL_INFO_CHANGE_MEDIA_TYPE:
      value = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                   tapi_call_get_media_types (call));
      break;
    case TAPI_CALL_INFO_CHANGE_APP_SPECIFIC:
      value = g_strdup_printf ("%u", tapi_call_get_app_specific (call));
      break;
    case TAPI_CALL_INFO_CHANGE_ORIGIN:
      value = g_strdup (cli_enum_to_string (TAPI_TYPE_CALL_ORIGIN,
                                            tapi_call_get_origin (call)));
      break;
    case TAPI_CALL_INFO_CHANGE_OTHER:
    default:
      return g_strdup_printf ("info %s", nick);
    }

  return g_strdup_printf ("%s = %s", nick, value);
}

char *
cli_describe_media_event (TapiCallMediaEvent  event,
                          TapiCallMediaCause  cause,
                          TapiStream         *stream,
                          TapiTerminal       *terminal)
{
  GString *description = g_string_new (NULL);

  g_string_append_printf (description, "media %s (cause %s)",
                          cli_enum_to_string (TAPI_TYPE_CALL_MEDIA_EVENT,
                                              event),
                          cli_enum_to_string (TAPI_TYPE_CALL_MEDIA_CAUSE,
                                              cause));
  if (stream != NULL)
    {
      TapiTerminalDirection direction = tapi_stream_get_direction (stream);

      g_string_append_printf (description, ", %s stream",
                              cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION,
                                                  direction));
    }
  if (terminal != NULL)
    g_string_append_printf (description, ", %s terminal \"%s\"",
                            tapi_terminal_get_terminal_class (terminal),
                            cli_or_dash (tapi_terminal_get_name (terminal)));

  return g_string_free (description, FALSE);
}

/* Calls have one stream each way; find it by its direction rather than by
 * its place in the list. */
TapiStream *
cli_find_stream (TapiCall              *call,
                 TapiTerminalDirection  direction)
{
  GListModel *streams =
    tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));
  guint n = g_list_model_get_n_items (streams);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      if (tapi_stream_get_media_type (stream) & TAPI_MEDIA_TYPE_AUDIO &&
          tapi_stream_get_direction (stream) == direction)
        return g_steal_pointer (&stream);
    }

  return NULL;
}

void
cli_print_error (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("tapi3: %s\n", message);
}

/* Says why the broker cannot be used: the usual case, no daemon on the
 * session bus, gets a hint at what to start. */
static void
report_open_error (const GError *error)
{
  if (g_error_matches (error, TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING))
    cli_print_error ("the telephony broker is not running (start tapi3d, or "
                     "use TAPI3_BROKER=embedded): %s", error->message);
  else
    cli_print_error ("cannot reach the telephony broker: %s", error->message);
}

TapiTapi *
cli_open_tapi (const char *application_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTapi) tapi = NULL;

  tapi = tapi_tapi_new (application_name != NULL ? application_name
                                                 : CLI_APPLICATION_NAME);
  if (!tapi_tapi_initialize_sync (tapi, NULL, &error))
    {
      report_open_error (error);
      return NULL;
    }

  return g_steal_pointer (&tapi);
}

char *
cli_list_address_names (TapiTapi *tapi)
{
  GListModel *addresses = tapi_tapi_get_addresses (tapi);
  GString *names = g_string_new (NULL);
  guint n = g_list_model_get_n_items (addresses);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiAddress) address = g_list_model_get_item (addresses, i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, tapi_address_get_name (address));
    }

  return g_string_free (names, FALSE);
}

TapiAddress *
cli_lookup_address (TapiTapi   *tapi,
                    const char *name)
{
  TapiAddress *address = tapi_tapi_find_address (tapi, name);

  if (address == NULL)
    {
      g_autofree char *known = cli_list_address_names (tapi);

      cli_print_error ("unknown address \"%s\" (known addresses: %s)",
                       name, *known != '\0' ? known : "none");
    }

  return address;
}

GOptionContext *
cli_command_context_new (const char *command,
                         const char *parameters,
                         const char *summary)
{
  GOptionContext *context;
  g_autofree char *prgname = g_strdup_printf ("tapi3 %s", command);

  g_set_prgname (prgname);
  context = g_option_context_new (parameters);
  g_option_context_set_summary (context, summary);
  return context;
}

gboolean
cli_parse_command_line (GOptionContext *context,
                        int            *argc,
                        char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cli_print_error ("%s", error->message);
      g_printerr ("Try \"%s --help\".\n", g_get_prgname ());
      return FALSE;
    }

  return TRUE;
}

void
cli_print_line (const char *format,
                ...)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("%s.%03d  %s\n", clock,
           g_date_time_get_microsecond (now) / 1000, message);
}

/* A line about @call: its id, then the message */
void
cli_print_call_line (TapiCall   *call,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  cli_print_line ("call %u  %s", tapi_call_get_call_id (call), message);
}
