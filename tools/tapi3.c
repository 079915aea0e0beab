/* tapi3.c: the tapi3 command-line tool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "tapi3-cli.h"

/* Shared helpers */

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

static char *
flags_join (GType       flags_type,
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
  return flags_join (flags_type, value, ", ");
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

/* tapi3 addresses */

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
        flags_join (TAPI_TYPE_MEDIA_TYPE,
                    tapi_address_get_media_types (address), ",");
      g_autofree char *types_csv =
        flags_join (TAPI_TYPE_ADDRESS_TYPE,
                    tapi_address_get_address_types (address), ",");
      g_autofree char *features_csv =
        flags_join (TAPI_TYPE_CALL_FEATURES,
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

static int
command_addresses (int    argc,
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

  context = cli_command_context_new ("addresses", "[ADDRESS…]",
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

/* tapi3 call */

typedef struct
{
  char     *play;
  char     *record;
  char     *tone;
  double    frequency;
  char     *digits;
  gboolean  detect_digits;
  gboolean  detect_media;
  gboolean  levels;
} MediaOptions;

typedef struct
{
  GMainLoop   *loop;
  TapiCall    *call;
  gboolean     connecting;
  gboolean     disconnecting;
  gboolean     hangup_requested;
  gboolean     was_connected;
  gboolean     failed;
  guint        duration_id;

  /* The streams a terminal was selected on, and whether they ran. */
  TapiStream  *capture;
  TapiStream  *render;
  gboolean     capture_started;
  gboolean     render_started;
  const char  *send_digits;
  GString     *digits;         /* detected; NULL when not detecting */
  guint        levels_id;
} CallSession;

static void
print_timestamped (TapiCall   *call,
                   const char *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
print_timestamped (TapiCall   *call,
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

static gboolean
state_is_live (TapiCallState state)
{
  return state == TAPI_CALL_STATE_IN_PROGRESS ||
         state == TAPI_CALL_STATE_CONNECTED ||
         state == TAPI_CALL_STATE_OFFERING ||
         state == TAPI_CALL_STATE_HOLD ||
         state == TAPI_CALL_STATE_QUEUED;
}

static void
maybe_quit (CallSession *session)
{
  if (session->connecting || session->disconnecting)
    return;
  if (state_is_live (tapi_call_get_state (session->call)) &&
      !session->failed)
    return;
  g_main_loop_quit (session->loop);
}

static void
call_state_changed_cb (TapiCall          *call,
                       TapiCallState      state,
                       TapiCallStateCause cause,
                       CallSession       *session)
{
  g_autofree char *description = cli_describe_state (state, cause);

  print_timestamped (call, "%s", description);
  if (state == TAPI_CALL_STATE_CONNECTED)
    session->was_connected = TRUE;
  if (state == TAPI_CALL_STATE_DISCONNECTED)
    maybe_quit (session);
}

static void
call_info_changed_cb (TapiCall          *call,
                      TapiCallInfoChange change,
                      CallSession       *session)
{
  g_autofree char *description = cli_describe_info_change (call, change);

  print_timestamped (call, "%s", description);
}

static void
disconnect_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CallSession *session = user_data;
  TapiBasicCallControl *control = TAPI_BASIC_CALL_CONTROL (source);
  g_autoptr(GError) error = NULL;

  session->disconnecting = FALSE;
  if (!tapi_basic_call_control_disconnect_finish (control, result, &error))
    {
      cli_print_error ("cannot hang up: %s", error->message);
      session->failed = TRUE;
    }
  maybe_quit (session);
}

static const char *
direction_nick (TapiStream *stream)
{
  return cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION,
                             tapi_stream_get_direction (stream));
}

/* Stopping the streams before hanging up finishes a recording while the
 * call is still there to say so. */
static void
stop_media (CallSession *session)
{
  TapiStream *streams[] = { session->capture, session->render };

  for (gsize i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      g_autoptr(GError) error = NULL;
      TapiStreamState state;

      if (streams[i] == NULL)
        continue;
      state = tapi_stream_get_state (streams[i]);
      if (state != TAPI_STREAM_STATE_ACTIVE &&
          state != TAPI_STREAM_STATE_PAUSED)
        continue;
      if (!tapi_stream_stop (streams[i], &error))
        cli_print_error ("cannot stop the %s stream: %s",
                         direction_nick (streams[i]), error->message);
    }
}

static void
hang_up (CallSession *session)
{
  TapiBasicCallControl *control = TAPI_BASIC_CALL_CONTROL (session->call);

  if (session->hangup_requested)
    {
      /* A second request while the first is pending: give up waiting. */
      session->failed = TRUE;
      g_main_loop_quit (session->loop);
      return;
    }
  session->hangup_requested = TRUE;
  g_clear_handle_id (&session->duration_id, g_source_remove);

  if (!state_is_live (tapi_call_get_state (session->call)))
    {
      maybe_quit (session);
      return;
    }

  stop_media (session);
  print_timestamped (session->call, "hanging up");
  session->disconnecting = TRUE;
  tapi_basic_call_control_disconnect_async (control,
                                            TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                            disconnect_done_cb, session);
}

static gboolean
duration_elapsed_cb (gpointer user_data)
{
  CallSession *session = user_data;

  session->duration_id = 0;
  hang_up (session);
  return G_SOURCE_REMOVE;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  hang_up (user_data);
  return G_SOURCE_CONTINUE;
}

static void
report_media_failure (TapiCallMediaEvent  event,
                      TapiCallMediaCause  cause,
                      TapiStream         *stream,
                      TapiTerminal       *terminal)
{
  const char *event_nick = cli_enum_to_string (TAPI_TYPE_CALL_MEDIA_EVENT,
                                               event);
  const char *cause_nick = cli_enum_to_string (TAPI_TYPE_CALL_MEDIA_CAUSE,
                                               cause);

  if (terminal != NULL && TAPI_IS_FILE_RECORDING_TERMINAL (terminal))
    {
      TapiFileRecordingTerminal *recording =
        TAPI_FILE_RECORDING_TERMINAL (terminal);
      const char *file_name =
        tapi_file_recording_terminal_get_file_name (recording);

      cli_print_error ("cannot record to \"%s\" (%s, cause %s)",
                       cli_or_dash (file_name), event_nick, cause_nick);
    }
  else if (terminal != NULL && TAPI_IS_FILE_PLAYBACK_TERMINAL (terminal))
    {
      TapiFilePlaybackTerminal *playback =
        TAPI_FILE_PLAYBACK_TERMINAL (terminal);
      const char * const *play_list =
        tapi_file_playback_terminal_get_play_list (playback);

      cli_print_error ("cannot play \"%s\" (%s, cause %s)",
                       cli_or_dash (play_list != NULL ? play_list[0] : NULL),
                       event_nick, cause_nick);
    }
  else
    cli_print_error ("the %s stream failed (%s, cause %s)",
                     stream != NULL ? direction_nick (stream) : "media",
                     event_nick, cause_nick);
}

static void
call_media_event_cb (TapiCall           *call,
                     TapiCallMediaEvent  event,
                     TapiCallMediaCause  cause,
                     TapiStream         *stream,
                     TapiTerminal       *terminal,
                     CallSession        *session)
{
  g_autofree char *description = cli_describe_media_event (event, cause,
                                                           stream, terminal);

  print_timestamped (call, "%s", description);

  if (event == TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE && stream != NULL)
    {
      if (stream == session->capture)
        session->capture_started = TRUE;
      else if (stream == session->render)
        session->render_started = TRUE;
    }

  if (event == TAPI_CALL_MEDIA_EVENT_STREAM_FAIL ||
      event == TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL)
    {
      report_media_failure (event, cause, stream, terminal);
      session->failed = TRUE;
      if (!session->hangup_requested)
        hang_up (session);
    }
}

static void
call_digit_detected_cb (TapiCall      *call,
                        guint          digit,
                        TapiDigitMode  mode,
                        CallSession   *session)
{
  g_autofree char *mode_nick = cli_flags_to_string (TAPI_TYPE_DIGIT_MODE,
                                                    mode);
  char character = digit < 128 && g_ascii_isprint (digit) ? (char) digit : '?';

  print_timestamped (call, "digit detected: %c (%s)", character, mode_nick);
  if (session->digits != NULL)
    g_string_append_c (session->digits, character);
}

static void
call_media_detected_cb (TapiCall      *call,
                        TapiMediaType  media_type,
                        CallSession   *session)
{
  g_autofree char *types = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                                media_type);

  print_timestamped (call, "media detected: %s", types);
}

static gboolean
print_levels_cb (gpointer user_data)
{
  CallSession *session = user_data;
  GListModel *streams =
    tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (session->call));
  g_autoptr(GString) line = g_string_new (NULL);
  guint n = g_list_model_get_n_items (streams);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      if (tapi_stream_get_state (stream) != TAPI_STREAM_STATE_ACTIVE)
        continue;
      g_string_append_printf (line, "%s%s %.1f dBFS",
                              line->len > 0 ? ", " : "",
                              direction_nick (stream),
                              tapi_stream_get_level (stream));
    }

  if (line->len > 0)
    print_timestamped (session->call, "level %s", line->str);
  return G_SOURCE_CONTINUE;
}

static void
connect_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CallSession *session = user_data;
  g_autoptr(GError) error = NULL;

  session->connecting = FALSE;
  if (!tapi_basic_call_control_connect_finish (TAPI_BASIC_CALL_CONTROL (source),
                                               result, &error))
    {
      if (session->hangup_requested &&
          g_error_matches (error, TAPI_ERROR, TAPI_ERROR_DROPPED))
        cli_print_error ("hung up before the call was connected");
      else
        cli_print_error ("the call failed: %s", error->message);
      session->failed = TRUE;
    }
  else
    {
      const char *connected =
        tapi_call_get_connected_id_number (session->call);

      session->was_connected = TRUE;
      print_timestamped (session->call, "connected to %s", cli_or_dash (connected));

      if (session->send_digits != NULL && !session->hangup_requested)
        {
          TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (session->call);

          print_timestamped (session->call, "sending digits %s",
                             session->send_digits);
          if (!tapi_call_media_control_generate_digits (media,
                                                        session->send_digits,
                                                        TAPI_DIGIT_MODE_DTMF,
                                                        &error))
            {
              cli_print_error ("cannot send the digits \"%s\": %s",
                               session->send_digits, error->message);
              session->failed = TRUE;
              hang_up (session);
            }
        }
    }
  maybe_quit (session);
}

static gboolean
is_dtmf_digit (char digit)
{
  return digit != '\0' && strchr ("0123456789*#ABCDabcd", digit) != NULL;
}

static gboolean
has_recording_extension (const char *file_name)
{
  const char *dot = strrchr (file_name, '.');

  return dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL &&
         (g_ascii_strcasecmp (dot, ".wav") == 0 ||
          g_ascii_strcasecmp (dot, ".ogg") == 0 ||
          g_ascii_strcasecmp (dot, ".opus") == 0);
}

/* Checks what can be checked before dialling, so that a mistake costs no
 * call. */
static gboolean
check_media_options (MediaOptions *options)
{
  if (options->tone != NULL)
    {
      char *end = NULL;

      options->frequency = g_ascii_strtod (options->tone, &end);
      if (*options->tone == '\0' || end == NULL || *end != '\0' ||
          !(options->frequency >= 1.0 && options->frequency <= 20000.0))
        {
          cli_print_error ("--tone takes a frequency in hertz from 1 to 20000, "
                           "not \"%s\"", options->tone);
          return FALSE;
        }
    }

  if (options->tone != NULL && options->play != NULL)
    {
      cli_print_error ("--tone and --play both send on the capture stream: "
                       "choose one");
      return FALSE;
    }

  if (options->play != NULL)
    {
      int fd;

      if (g_file_test (options->play, G_FILE_TEST_IS_DIR))
        {
          cli_print_error ("cannot play \"%s\": it is a directory", options->play);
          return FALSE;
        }
      fd = g_open (options->play, O_RDONLY, 0);
      if (fd < 0)
        {
          int saved_errno = errno;

          cli_print_error ("cannot play \"%s\": %s", options->play,
                           g_strerror (saved_errno));
          return FALSE;
        }
      g_close (fd, NULL);
    }

  if (options->record != NULL && !has_recording_extension (options->record))
    {
      cli_print_error ("cannot record to \"%s\": the file name must end in .wav "
                       "(PCM) or .ogg/.opus (Opus)", options->record);
      return FALSE;
    }

  if (options->digits != NULL)
    {
      if (*options->digits == '\0')
        {
          cli_print_error ("--digits needs at least one digit");
          return FALSE;
        }
      for (const char *p = options->digits; *p != '\0'; p++)
        if (!is_dtmf_digit (*p))
          {
            cli_print_error ("--digits: \"%c\" is not a DTMF digit (0-9, *, #, "
                             "A-D)", *p);
            return FALSE;
          }
    }

  return TRUE;
}

static TapiStream *
select_new_terminal (TapiCall     *call,
                     TapiTerminal *terminal)
{
  g_autoptr(GError) error = NULL;
  TapiTerminalDirection direction = tapi_terminal_get_direction (terminal);
  g_autoptr(TapiStream) stream = cli_find_stream (call, direction);

  if (stream == NULL)
    {
      cli_print_error ("the call has no audio %s stream",
                       cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION,
                                       direction));
      return NULL;
    }
  if (!tapi_stream_select_terminal (stream, terminal, &error))
    {
      cli_print_error ("cannot use the %s terminal on the %s stream: %s",
                       tapi_terminal_get_terminal_class (terminal),
                       direction_nick (stream), error->message);
      return NULL;
    }

  return g_steal_pointer (&stream);
}

static TapiTerminal *
create_terminal (TapiAddress           *address,
                 const char            *terminal_class,
                 TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiTerminal *terminal;

  terminal = tapi_address_create_terminal (address, terminal_class,
                                           TAPI_MEDIA_TYPE_AUDIO, direction,
                                           &error);
  if (terminal == NULL)
    cli_print_error ("cannot create a %s terminal on %s: %s", terminal_class,
                     tapi_address_get_name (address), error->message);
  return terminal;
}

/* Selects the terminals and turns on detection before the call is placed:
 * the streams start by themselves once it is connected. */
static gboolean
setup_media (CallSession  *session,
             TapiAddress  *address,
             MediaOptions *options)
{
  TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (session->call);
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTerminal) source = NULL;
  g_autoptr(TapiTerminal) sink = NULL;

  if (options->tone != NULL)
    {
      source = create_terminal (address, TAPI_TERMINAL_CLASS_TONE,
                                TAPI_TERMINAL_DIRECTION_CAPTURE);
      if (source == NULL)
        return FALSE;
      tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (source),
                                        options->frequency);
    }
  else if (options->play != NULL)
    {
      const char * const play_list[] = { options->play, NULL };
      TapiFilePlaybackTerminal *playback;

      source = create_terminal (address, TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                                TAPI_TERMINAL_DIRECTION_CAPTURE);
      if (source == NULL)
        return FALSE;
      playback = TAPI_FILE_PLAYBACK_TERMINAL (source);
      tapi_file_playback_terminal_set_play_list (playback, play_list);
    }

  if (options->record != NULL)
    {
      TapiFileRecordingTerminal *recording;

      sink = create_terminal (address, TAPI_TERMINAL_CLASS_FILE_RECORDING,
                              TAPI_TERMINAL_DIRECTION_RENDER);
      if (sink == NULL)
        return FALSE;
      recording = TAPI_FILE_RECORDING_TERMINAL (sink);
      tapi_file_recording_terminal_set_file_name (recording, options->record);
    }

  if (source != NULL &&
      (session->capture = select_new_terminal (session->call, source)) == NULL)
    return FALSE;
  if (sink != NULL &&
      (session->render = select_new_terminal (session->call, sink)) == NULL)
    return FALSE;

  if (options->digits != NULL || options->detect_digits)
    {
      if (!tapi_call_media_control_detect_digits (media, TAPI_DIGIT_MODE_DTMF,
                                                  &error))
        {
          cli_print_error ("cannot detect digits: %s", error->message);
          return FALSE;
        }
      session->digits = g_string_new (NULL);
    }
  session->send_digits = options->digits;

  if (options->detect_media &&
      !tapi_call_media_control_monitor_media (media,
                                              TAPI_MEDIA_TYPE_G3FAX |
                                              TAPI_MEDIA_TYPE_DATAMODEM,
                                              &error))
    {
      cli_print_error ("cannot watch for fax and modem tones: %s", error->message);
      return FALSE;
    }

  return TRUE;
}

static void
media_options_clear (MediaOptions *options)
{
  g_clear_pointer (&options->play, g_free);
  g_clear_pointer (&options->record, g_free);
  g_clear_pointer (&options->tone, g_free);
  g_clear_pointer (&options->digits, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MediaOptions, media_options_clear)

static int
command_call (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(MediaOptions) media = { 0 };
  CallSession session = { 0 };
  TapiAddress *address;
  double duration = -1;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration,
      "Hang up SECONDS after placing the call (default: stay until the "
      "remote party hangs up or Ctrl-C)", "SECONDS" },
    { "play", 'p', 0, G_OPTION_ARG_FILENAME, &media.play,
      "Send the audio of FILE (file-playback terminal on the capture "
      "stream)", "FILE" },
    { "tone", 't', 0, G_OPTION_ARG_STRING, &media.tone,
      "Send a sine tone of HZ hertz, 1 to 20000 (tone terminal on the "
      "capture stream)", "HZ" },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &media.record,
      "Record what the other party sends to FILE, .wav or .ogg "
      "(file-recording terminal on the render stream)", "FILE" },
    { "digits", 0, 0, G_OPTION_ARG_STRING, &media.digits,
      "Send DIGITS (0-9, *, #, A-D) as DTMF once connected; implies "
      "--detect-digits", "DIGITS" },
    { "detect-digits", 0, 0, G_OPTION_ARG_NONE, &media.detect_digits,
      "Print the DTMF digits the other party sends", NULL },
    { "detect-media", 0, 0, G_OPTION_ARG_NONE, &media.detect_media,
      "Print fax (CNG) and modem (ANS) tones found in what the other "
      "party sends", NULL },
    { "levels", 'l', 0, G_OPTION_ARG_NONE, &media.levels,
      "Print the level of each active stream once a second", NULL },
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("call", "FROM TO",
                                     "Places a call from the address FROM to the "
                                     "destination TO and prints every state, "
                                     "information and media change until the "
                                     "call ends.\n\n"
                                     "Ctrl-C hangs up. The exit status is 0 when "
                                     "the call was connected and its media did "
                                     "not fail.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv))
    return EXIT_FAILURE;

  if (argc != 3)
    {
      cli_print_error ("expected FROM and TO, got %d argument%s",
                       argc - 1, argc == 2 ? "" : "s");
      g_printerr ("Try \"%s --help\".\n", g_get_prgname ());
      return EXIT_FAILURE;
    }
  if (duration != -1 && duration < 0)
    {
      cli_print_error ("--duration must not be negative");
      return EXIT_FAILURE;
    }
  if (!check_media_options (&media))
    return EXIT_FAILURE;

  tapi = cli_open_tapi (NULL);
  if (tapi == NULL)
    return EXIT_FAILURE;

  address = cli_lookup_address (tapi, argv[1]);
  if (address == NULL)
    return EXIT_FAILURE;

  call = tapi_address_create_call (address, argv[2],
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  if (call == NULL)
    {
      cli_print_error ("cannot call \"%s\" from %s: %s",
                       argv[2], argv[1], error->message);
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  session.loop = loop;
  session.call = call;

  if (!setup_media (&session, address, &media))
    {
      g_clear_object (&session.capture);
      g_clear_object (&session.render);
      if (session.digits != NULL)
        g_string_free (session.digits, TRUE);
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  g_signal_connect (call, "state-changed",
                    G_CALLBACK (call_state_changed_cb), &session);
  g_signal_connect (call, "info-changed",
                    G_CALLBACK (call_info_changed_cb), &session);
  g_signal_connect (call, "media-event",
                    G_CALLBACK (call_media_event_cb), &session);
  g_signal_connect (call, "digit-detected",
                    G_CALLBACK (call_digit_detected_cb), &session);
  g_signal_connect (call, "media-detected",
                    G_CALLBACK (call_media_detected_cb), &session);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, &session);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, &session);
  if (media.levels)
    session.levels_id = g_timeout_add (1000, print_levels_cb, &session);

  print_timestamped (call, "calling %s from %s", argv[2],
                     tapi_address_get_name (address));
  session.connecting = TRUE;
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                         connect_done_cb, &session);
  if (duration >= 0)
    session.duration_id = g_timeout_add ((guint) (duration * 1000),
                                         duration_elapsed_cb, &session);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&session.duration_id, g_source_remove);
  g_clear_handle_id (&session.levels_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (call, &session);

  if (!session.failed && !session.was_connected)
    {
      cli_print_error ("the call was not connected");
      session.failed = TRUE;
    }

  if (session.digits != NULL)
    {
      g_print ("Digits detected: %s\n",
               session.digits->len > 0 ? session.digits->str : "none");
      g_string_free (session.digits, TRUE);
    }

  /* A terminal whose stream never ran did not do what was asked. */
  if (!session.failed && session.capture != NULL && !session.capture_started)
    {
      cli_print_error ("nothing was sent: the capture stream never started");
      session.failed = TRUE;
    }
  if (!session.failed && session.render != NULL && !session.render_started)
    {
      cli_print_error ("nothing was recorded: the render stream never started");
      session.failed = TRUE;
    }
  if (!session.failed && media.record != NULL)
    g_print ("Recorded to %s\n", media.record);

  g_clear_object (&session.capture);
  g_clear_object (&session.render);
  tapi_tapi_shutdown (tapi, NULL);
  return session.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* tapi3 */

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "addresses", command_addresses, "List addresses and their features" },
  { "call", command_call, "Place a call and follow it" },
  { "answer", cli_answer, "Own an address's calls: answer and follow them" },
  { "monitor", cli_monitor, "Print every call and address event live" },
  { "calls", cli_calls, "List the live calls" },
  { "handoff", cli_handoff, "Hand a call to another application" },
  { "transfer", cli_transfer, "Transfer a call, blind or after consulting" },
  { "hangup", cli_hangup, "Disconnect a call" },
  { "demo", cli_demo, "Tour every feature on the simulated PBX" },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream,
           "Usage:\n"
           "  tapi3 [--help|--version] COMMAND [OPTION…] [ARGUMENT…]\n\n"
           "Telephony from the command line, with libtapi3.\n\n"
           "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s%s\n", commands[i].name, commands[i].summary);
  fprintf (stream,
           "\nRun \"tapi3 COMMAND --help\" for the options of a command.\n"
           "TAPI3_BROKER=embedded|session|ADDRESS chooses the broker. "
           "monitor, calls,\nhandoff, transfer and hangup reach the calls "
           "of other applications through\nthe session broker (tapi3d); "
           "an embedded broker knows only this process.\n");
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  setlocale (LC_ALL, "");
  /* Events are read live by people and scripts alike. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* Errors from the broker decode into TAPI_ERROR only once the domain is
   * registered with GDBus, which its quark function does. */
  tapi_error_quark ();

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_FAILURE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") ||
      g_str_equal (name, "help"))
    {
      if (argc > 2 && g_str_equal (name, "help"))
        {
          /* "tapi3 help call" is "tapi3 call --help" */
          char *help_argv[] = { argv[2], (char *) "--help", NULL };

          for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
            if (g_str_equal (argv[2], commands[i].name))
              return commands[i].run (2, help_argv);
          cli_print_error ("unknown command \"%s\"", argv[2]);
          return EXIT_FAILURE;
        }
      print_usage (stdout);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("tapi3 %s\n", TAPI_VERSION_S);
      return EXIT_SUCCESS;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  if (name[0] == '-')
    cli_print_error ("unknown option \"%s\"", name);
  else
    cli_print_error ("unknown command \"%s\"", name);
  g_printerr ("Try \"tapi3 --help\".\n");
  return EXIT_FAILURE;
}
