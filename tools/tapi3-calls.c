/* tapi3-calls.c: the tapi3 commands that watch and act on the calls of
 * every application: monitor, calls, answer, handoff, transfer, hangup
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "tapi3-cli.h"

/* These commands are applications of their own: they register on the
 * addresses to get monitor handles to the calls there, and take owner
 * privilege on a call to act on it. With the session broker that reaches
 * every application of the user; an embedded broker only knows the
 * applications of the process it runs in. */

#define BROKER_NOTE \
  "With the session broker (tapi3d; TAPI3_BROKER=session, the default " \
  "when it runs) this sees the calls of every application. With the " \
  "embedded broker (TAPI3_BROKER=embedded) it sees only the calls of " \
  "its own process, which has none."

#define APPLICATION_ENTRY(variable) \
  { "application", 'A', 0, G_OPTION_ARG_STRING, &(variable), \
    "Register as application NAME (default: " CLI_APPLICATION_NAME ")", \
    "NAME" }

/* Shared parts */

static gboolean
state_is_live (TapiCallState state)
{
  return state != TAPI_CALL_STATE_IDLE &&
         state != TAPI_CALL_STATE_DISCONNECTED;
}

/* Exactly @expected - 1 arguments after the command, named @names in
 * the message when some are missing. */
static gboolean
check_arguments (int         argc,
                 char      **argv,
                 int         expected,
                 const char *names)
{
  if (argc < expected)
    cli_print_error ("expected %s", names);
  else if (argc > expected)
    cli_print_error ("unexpected argument \"%s\"", argv[expected]);
  else
    return TRUE;
  g_printerr ("Try \"%s --help\".\n", g_get_prgname ());
  return FALSE;
}

static gboolean
parse_call_id (const char *argument,
               guint      *call_id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (argument, 10, 1, G_MAXUINT, &value, NULL))
    {
      cli_print_error ("\"%s\" is not a call id (the number \"tapi3 calls\" "
                       "and \"tapi3 monitor\" show)", argument);
      return FALSE;
    }
  *call_id = (guint) value;
  return TRUE;
}

/* Parses a comma separated list of media type names into flags; with
 * @single, exactly one. */
static gboolean
parse_media_types (const char    *option,
                   const char    *string,
                   gboolean       single,
                   TapiMediaType *media_types)
{
  GFlagsClass *klass = g_type_class_ref (TAPI_TYPE_MEDIA_TYPE);
  g_auto(GStrv) names = g_strsplit (string, ",", -1);
  g_autoptr(GString) known = g_string_new (NULL);
  guint value = 0, n = 0;

  for (guint i = 0; i < klass->n_values; i++)
    if (klass->values[i].value != 0)
      g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "",
                              klass->values[i].value_nick);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_ascii_strdown (names[i], -1));
      GFlagsValue *flags_value = g_flags_get_value_by_nick (klass, name);

      if (flags_value == NULL || flags_value->value == 0)
        {
          cli_print_error ("%s: unknown media type \"%s\" (media types: %s)",
                           option, names[i], known->str);
          return FALSE;
        }
      value |= flags_value->value;
      n++;
    }

  if (n == 0 || (single && n != 1))
    {
      cli_print_error ("%s takes %s media type (%s)", option,
                       single ? "exactly one" : "at least one", known->str);
      return FALSE;
    }

  *media_types = value;
  return TRUE;
}

static char *
describe_call (TapiCall *call)
{
  TapiAddress *address = tapi_call_get_address (call);
  g_autofree char *media =
    cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                         tapi_call_get_media_types (call));

  return g_strdup_printf ("address %s, state %s, %s → %s, owners %u, "
                          "monitors %u, media %s%s",
                          tapi_address_get_name (address),
                          cli_enum_to_string (TAPI_TYPE_CALL_STATE,
                                              tapi_call_get_state (call)),
                          cli_or_dash (tapi_call_get_caller_id_number (call)),
                          cli_or_dash (tapi_call_get_called_id_number (call)),
                          tapi_call_get_number_of_owners (call),
                          tapi_call_get_number_of_monitors (call),
                          media,
                          tapi_call_get_media_encrypted (call) ? " (srtp)" : "");
}

/* Registers @tapi as monitor on @names, or on every address when @names is
 * NULL; an address that refuses is fatal only when it was named. */
static gboolean
monitor_addresses (TapiTapi           *tapi,
                   const char * const *names,
                   GPtrArray          *monitored)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);

  if (names != NULL)
    {
      for (guint i = 0; names[i] != NULL; i++)
        {
          TapiAddress *address = cli_lookup_address (tapi, names[i]);

          if (address == NULL)
            return FALSE;
          g_ptr_array_add (addresses, g_object_ref (address));
        }
    }
  else
    {
      GListModel *model = tapi_tapi_get_addresses (tapi);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (addresses, g_list_model_get_item (model, i));
    }

  for (guint i = 0; i < addresses->len; i++)
    {
      TapiAddress *address = g_ptr_array_index (addresses, i);
      g_autoptr(GError) error = NULL;

      if (tapi_tapi_register_call_notifications (tapi, address, TRUE, FALSE,
                                                 TAPI_MEDIA_TYPE_NONE,
                                                 &error) == 0)
        {
          cli_print_error ("cannot monitor address %s: %s",
                           tapi_address_get_name (address), error->message);
          if (names != NULL)
            return FALSE;
          continue;
        }
      if (monitored != NULL)
        g_ptr_array_add (monitored, g_object_ref (address));
    }

  return TRUE;
}

/* Gets a handle to the live call @call_id and owner privilege on it. */
static TapiCall *
take_call (TapiTapi *tapi,
           guint     call_id)
{
  g_autoptr(GError) error = NULL;
  TapiCall *call;

  if (!monitor_addresses (tapi, NULL, NULL))
    return NULL;

  call = tapi_tapi_find_call (tapi, call_id);
  if (call == NULL || !state_is_live (tapi_call_get_state (call)))
    {
      cli_print_error ("no live call %u%s", call_id,
                       tapi_tapi_get_broker_mode (tapi) ==
                       TAPI_BROKER_MODE_EMBEDDED
                       ? " (the embedded broker sees only this process's "
                         "calls: use TAPI3_BROKER=session)"
                       : " (\"tapi3 calls\" lists the live calls)");
      return NULL;
    }

  if (!tapi_call_set_privilege (call, TAPI_CALL_PRIVILEGE_OWNER, &error))
    {
      cli_print_error ("cannot take call %u: %s", call_id, error->message);
      return NULL;
    }

  return g_object_ref (call);
}

/* Following calls: monitor and answer print every event of the calls
 * they hold a handle to, one line each. */

typedef struct _Watch Watch;

typedef struct
{
  Watch      *watch;
  TapiCall   *call;
  TapiStream *capture;      /* streams this application put terminals on */
  TapiStream *render;
  gboolean    owned;        /* ever had owner privilege */
  gboolean    ended;
} Followed;

struct _Watch
{
  GMainLoop   *loop;
  TapiTapi    *tapi;
  GHashTable  *followed;    /* TapiCall → Followed */
  guint        events;
  guint        max_events;  /* 0: no limit */
  guint        ended_calls;
  guint        max_calls;   /* 0: no limit */
  gboolean     release_ended;
  int          status;

  /* answer */
  gboolean     owner_app;   /* registered as owner: set up owned calls */
  gboolean     answer;      /* answer offered calls */
  const char  *record;
  double       tone;
  gboolean     detect_digits;
  guint        timeout_id;
};

static void
watch_counted (Watch *watch)
{
  watch->events++;
  if (watch->max_events > 0 && watch->events >= watch->max_events)
    g_main_loop_quit (watch->loop);
}

/* A line about @call, counted as one of the events @watch waits for */
#define print_call_event(watch, call, ...)                                   \
  G_STMT_START {                                                             \
    cli_print_call_line ((call), __VA_ARGS__);                               \
    watch_counted (watch);                                                   \
  } G_STMT_END

static void
followed_free (Followed *followed)
{
  g_signal_handlers_disconnect_by_data (followed->call, followed);
  g_clear_object (&followed->capture);
  g_clear_object (&followed->render);
  g_object_unref (followed->call);
  g_free (followed);
}

static TapiTerminal *
create_terminal (TapiCall              *call,
                 const char            *terminal_class,
                 TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address = tapi_call_get_address (call);
  TapiTerminal *terminal;

  terminal = tapi_address_create_terminal (address, terminal_class,
                                           TAPI_MEDIA_TYPE_AUDIO, direction,
                                           &error);
  if (terminal == NULL)
    cli_print_error ("call %u: cannot create a %s terminal: %s",
                     tapi_call_get_call_id (call), terminal_class,
                     error->message);
  return terminal;
}

static TapiStream *
select_terminal (TapiCall     *call,
                 TapiTerminal *terminal)
{
  g_autoptr(GError) error = NULL;
  TapiTerminalDirection direction = tapi_terminal_get_direction (terminal);
  g_autoptr(TapiStream) stream = cli_find_stream (call, direction);

  if (stream == NULL ||
      !tapi_stream_select_terminal (stream, terminal, &error))
    {
      cli_print_error ("call %u: cannot use the %s terminal: %s",
                       tapi_call_get_call_id (call),
                       tapi_terminal_get_terminal_class (terminal),
                       error != NULL ? error->message : "no such stream");
      return NULL;
    }
  return g_steal_pointer (&stream);
}

/* Puts the terminals and detectors the answer command was asked for on a
 * call this application owns; the streams start once it is connected. */
static void
setup_owned_media (Followed *followed)
{
  Watch *watch = followed->watch;
  TapiCall *call = followed->call;
  g_autoptr(GError) error = NULL;

  if (!watch->owner_app || followed->owned)
    return;
  followed->owned = TRUE;

  if (watch->record != NULL && followed->render == NULL)
    {
      g_autoptr(TapiTerminal) sink =
        create_terminal (call, TAPI_TERMINAL_CLASS_FILE_RECORDING,
                         TAPI_TERMINAL_DIRECTION_RENDER);

      if (sink != NULL)
        {
          tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (sink),
                                                      watch->record);
          followed->render = select_terminal (call, sink);
        }
      if (followed->render == NULL)
        watch->status = EXIT_FAILURE;
    }

  if (watch->tone > 0 && followed->capture == NULL)
    {
      g_autoptr(TapiTerminal) source =
        create_terminal (call, TAPI_TERMINAL_CLASS_TONE,
                         TAPI_TERMINAL_DIRECTION_CAPTURE);

      if (source != NULL)
        {
          tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (source),
                                            watch->tone);
          followed->capture = select_terminal (call, source);
        }
      if (followed->capture == NULL)
        watch->status = EXIT_FAILURE;
    }

  if (watch->detect_digits &&
      !tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                              TAPI_DIGIT_MODE_DTMF, &error))
    {
      cli_print_error ("call %u: cannot detect digits: %s",
                       tapi_call_get_call_id (call), error->message);
      watch->status = EXIT_FAILURE;
    }
}

static void
answer_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Watch *watch = user_data;
  TapiCall *call = TAPI_CALL (source);
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_answer_finish (TAPI_BASIC_CALL_CONTROL (call),
                                              result, &error))
    {
      cli_print_error ("cannot answer call %u: %s",
                       tapi_call_get_call_id (call), error->message);
      watch->status = EXIT_FAILURE;
    }
}

static void
maybe_answer (Followed *followed)
{
  TapiCall *call = followed->call;

  if (!followed->watch->answer ||
      tapi_call_get_privilege (call) != TAPI_CALL_PRIVILEGE_OWNER ||
      tapi_call_get_state (call) != TAPI_CALL_STATE_OFFERING)
    return;

  print_call_event (followed->watch, call, "answering");
  tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                        answer_done_cb, followed->watch);
}

/* A recording is complete once its stream stopped. */
static void
finish_recording (Followed *followed)
{
  g_autoptr(GError) error = NULL;
  TapiStreamState state;

  if (followed->render == NULL)
    return;

  state = tapi_stream_get_state (followed->render);
  if ((state == TAPI_STREAM_STATE_ACTIVE ||
       state == TAPI_STREAM_STATE_PAUSED) &&
      !tapi_stream_stop (followed->render, &error))
    cli_print_error ("call %u: cannot stop the recording: %s",
                     tapi_call_get_call_id (followed->call), error->message);
  g_clear_object (&followed->render);
}

static gboolean
release_cb (gpointer user_data)
{
  TapiCall *call = user_data;

  /* Its events are of no interest any more, and a long-running monitor
   * must not collect handles. */
  if (!tapi_call_get_released (call))
    tapi_call_release (call, NULL);
  return G_SOURCE_REMOVE;
}

static void
call_state_changed_cb (TapiCall          *call,
                       TapiCallState      state,
                       TapiCallStateCause cause,
                       Followed          *followed)
{
  Watch *watch = followed->watch;
  g_autofree char *description = cli_describe_state (state, cause);

  print_call_event (watch, call, "%s", description);

  if (state == TAPI_CALL_STATE_OFFERING)
    maybe_answer (followed);

  if (state == TAPI_CALL_STATE_DISCONNECTED && !followed->ended)
    {
      followed->ended = TRUE;
      if (followed->render != NULL)
        {
          finish_recording (followed);
          print_call_event (watch, call, "recorded to %s", watch->record);
        }
      if (watch->release_ended)
        g_idle_add_full (G_PRIORITY_DEFAULT, release_cb,
                         g_object_ref (call), g_object_unref);
      if (followed->owned || !watch->owner_app)
        {
          watch->ended_calls++;
          if (watch->max_calls > 0 && watch->ended_calls >= watch->max_calls)
            g_main_loop_quit (watch->loop);
        }
    }
}

static void
call_info_changed_cb (TapiCall          *call,
                      TapiCallInfoChange change,
                      Followed          *followed)
{
  g_autofree char *description = cli_describe_info_change (call, change);

  print_call_event (followed->watch, call, "%s", description);

  if (change == TAPI_CALL_INFO_CHANGE_PRIVILEGE &&
      tapi_call_get_privilege (call) == TAPI_CALL_PRIVILEGE_OWNER &&
      state_is_live (tapi_call_get_state (call)))
    {
      setup_owned_media (followed);
      maybe_answer (followed);
    }
}

static void
call_media_event_cb (TapiCall           *call,
                     TapiCallMediaEvent  event,
                     TapiCallMediaCause  cause,
                     TapiStream         *stream,
                     TapiTerminal       *terminal,
                     Followed           *followed)
{
  g_autofree char *description = cli_describe_media_event (event, cause,
                                                           stream, terminal);

  print_call_event (followed->watch, call, "%s", description);
  if (event == TAPI_CALL_MEDIA_EVENT_STREAM_FAIL ||
      event == TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL)
    followed->watch->status = EXIT_FAILURE;
}

static void
call_digit_detected_cb (TapiCall      *call,
                        guint          digit,
                        TapiDigitMode  mode,
                        Followed      *followed)
{
  g_autofree char *mode_nick = cli_flags_to_string (TAPI_TYPE_DIGIT_MODE,
                                                    mode);
  char character = digit < 128 && g_ascii_isprint (digit) ? (char) digit : '?';

  print_call_event (followed->watch, call, "digit detected: %c (%s)",
                    character, mode_nick);
}

static void
call_media_detected_cb (TapiCall      *call,
                        TapiMediaType  media_type,
                        Followed      *followed)
{
  g_autofree char *types = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                                media_type);

  print_call_event (followed->watch, call, "media detected: %s", types);
}

static void
call_notification_cb (TapiTapi                  *tapi,
                      TapiCall                  *call,
                      TapiCallNotificationEvent  event,
                      Watch                     *watch)
{
  g_autofree char *description = describe_call (call);
  Followed *followed = g_hash_table_lookup (watch->followed, call);

  print_call_event (watch, call, "notification %s: %s",
                    cli_enum_to_string (TAPI_TYPE_CALL_NOTIFICATION_EVENT,
                                        event),
                    description);

  if (followed == NULL)
    {
      followed = g_new0 (Followed, 1);
      followed->watch = watch;
      followed->call = g_object_ref (call);
      g_hash_table_insert (watch->followed, call, followed);

      g_signal_connect (call, "state-changed",
                        G_CALLBACK (call_state_changed_cb), followed);
      g_signal_connect (call, "info-changed",
                        G_CALLBACK (call_info_changed_cb), followed);
      g_signal_connect (call, "media-event",
                        G_CALLBACK (call_media_event_cb), followed);
      g_signal_connect (call, "digit-detected",
                        G_CALLBACK (call_digit_detected_cb), followed);
      g_signal_connect (call, "media-detected",
                        G_CALLBACK (call_media_detected_cb), followed);
    }

  if (tapi_call_get_privilege (call) == TAPI_CALL_PRIVILEGE_OWNER)
    {
      setup_owned_media (followed);
      maybe_answer (followed);
    }
  else
    {
      /* A monitor sees the digits the owner's media carries; an address
       * that cannot detect digits just has none to show. */
      g_autoptr(GError) error = NULL;

      if (!tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                  TAPI_DIGIT_MODE_DTMF, &error))
        g_debug ("call %u: no digits for the monitor: %s",
                 tapi_call_get_call_id (call), error->message);
    }
}

static void
address_event_cb (TapiAddress      *address,
                  TapiAddressEvent  event,
                  Watch            *watch)
{
  cli_print_line ("address %s  event %s (state %s)",
                  tapi_address_get_name (address),
                  cli_enum_to_string (TAPI_TYPE_ADDRESS_EVENT, event),
                  cli_enum_to_string (TAPI_TYPE_ADDRESS_STATE,
                                      tapi_address_get_state (address)));
  watch_counted (watch);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  Watch *watch = user_data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  Watch *watch = user_data;

  watch->timeout_id = 0;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static void
watch_init (Watch    *watch,
            TapiTapi *tapi)
{
  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->tapi = tapi;
  watch->followed = g_hash_table_new_full (NULL, NULL, NULL,
                                           (GDestroyNotify) followed_free);
  watch->status = EXIT_SUCCESS;
  g_signal_connect (tapi, "call-notification",
                    G_CALLBACK (call_notification_cb), watch);
}

/* Runs until a signal, the timeout, or the limits set in @watch. */
static void
watch_run (Watch  *watch,
           double  timeout)
{
  guint sigint_id, sigterm_id;

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, watch);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, watch);
  if (timeout > 0)
    watch->timeout_id = g_timeout_add ((guint) (timeout * 1000), timeout_cb,
                                       watch);

  if (!(watch->max_events > 0 && watch->events >= watch->max_events))
    g_main_loop_run (watch->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&watch->timeout_id, g_source_remove);
}

static void
watch_clear (Watch *watch)
{
  GHashTableIter iter;
  Followed *followed;

  /* Recordings are finished while their calls are still there. */
  g_hash_table_iter_init (&iter, watch->followed);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &followed))
    if (followed->render != NULL)
      {
        finish_recording (followed);
        cli_print_line ("call %u  recorded to %s",
                        tapi_call_get_call_id (followed->call), watch->record);
      }

  g_signal_handlers_disconnect_by_data (watch->tapi, watch);
  g_hash_table_unref (watch->followed);
  g_main_loop_unref (watch->loop);
}

static gboolean
check_limits (double timeout,
              int    count,
              const char *count_option)
{
  if (timeout < 0)
    {
      cli_print_error ("--timeout must not be negative");
      return FALSE;
    }
  if (count < 0)
    {
      cli_print_error ("%s must not be negative", count_option);
      return FALSE;
    }
  return TRUE;
}

/* tapi3 monitor */

int
cli_monitor (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(GPtrArray) monitored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) names = g_string_new (NULL);
  g_auto(GStrv) addresses = NULL;
  g_autofree char *application = NULL;
  Watch watch = { 0 };
  double timeout = 0;
  int count = 0;
  const GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &addresses,
      "Monitor ADDRESS only (repeat for more; default: every address)",
      "ADDRESS" },
    { "count", 'c', 0, G_OPTION_ARG_INT, &count,
      "Exit after N events", "N" },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout,
      "Exit after SECONDS (with --count: fail if fewer than N events came)",
      "SECONDS" },
    APPLICATION_ENTRY (application),
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("monitor", NULL,
                                     "Takes monitor privilege on every "
                                     "address and prints one line per "
                                     "event, as it happens, until Ctrl-C:\n"
                                     "  TIME  call ID  notification EVENT: "
                                     "address A, state S, CALLER → CALLED, "
                                     "owners N, monitors N, media M\n"
                                     "  TIME  call ID  state STATE (cause "
                                     "CAUSE)\n"
                                     "  TIME  call ID  CHANGE = VALUE     "
                                     "(privilege, number-of-owners, "
                                     "caller-id, media-type, …)\n"
                                     "  TIME  call ID  media EVENT (cause "
                                     "CAUSE), DIRECTION stream\n"
                                     "  TIME  call ID  digit detected: D "
                                     "(MODE)\n"
                                     "  TIME  address A  event EVENT (state "
                                     "S)\n"
                                     "The line \"TIME  monitoring A, B, …\" "
                                     "says that the registrations are in "
                                     "place; the calls that were live then "
                                     "came just before it. Media events and "
                                     "digits are those of the application "
                                     "that runs the call's media, wherever "
                                     "it runs.\n\n"
                                     BROKER_NOTE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv) ||
      !check_arguments (argc, argv, 1, "no arguments") ||
      !check_limits (timeout, count, "--count"))
    return EXIT_FAILURE;

  tapi = cli_open_tapi (application);
  if (tapi == NULL)
    return EXIT_FAILURE;

  watch_init (&watch, tapi);
  watch.max_events = count;
  watch.release_ended = TRUE;

  if (!monitor_addresses (tapi, (const char * const *) addresses, monitored))
    {
      watch_clear (&watch);
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < monitored->len; i++)
    {
      TapiAddress *address = g_ptr_array_index (monitored, i);

      g_signal_connect (address, "event", G_CALLBACK (address_event_cb),
                        &watch);
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                              tapi_address_get_name (address));
    }
  cli_print_line ("monitoring %s", names->len > 0 ? names->str : "nothing");

  watch_run (&watch, timeout);

  if (count > 0 && watch.events < (guint) count)
    {
      cli_print_error ("%u of %d events came within %g s", watch.events,
                       count, timeout);
      watch.status = EXIT_FAILURE;
    }

  for (guint i = 0; i < monitored->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (monitored, i),
                                          &watch);
  watch_clear (&watch);
  tapi_tapi_shutdown (tapi, NULL);
  return watch.status;
}

/* tapi3 calls */

static int
compare_calls (gconstpointer a,
               gconstpointer b)
{
  guint id_a = tapi_call_get_call_id (*(TapiCall **) a);
  guint id_b = tapi_call_get_call_id (*(TapiCall **) b);

  return id_a < id_b ? -1 : id_a > id_b;
}

/* Pads by characters, not bytes: "→" is one column but three bytes. */
static void
print_calls_row (const char *id,
                 const char *address,
                 const char *state,
                 const char *owners,
                 const char *monitors,
                 const char *parties,
                 const char *media)
{
  const char *cells[] = { id, address, state, owners, monitors, parties };
  const int widths[] = { 6, 8, 12, 7, 9, 20 };
  g_autoptr(GString) line = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      glong length = g_utf8_strlen (cells[i], -1);

      g_string_append (line, cells[i]);
      for (glong j = length; j < widths[i]; j++)
        g_string_append_c (line, ' ');
      g_string_append_c (line, ' ');
    }
  g_string_append (line, media);
  g_print ("%s\n", line->str);
}

int
cli_calls (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *application = NULL;
  gboolean terse = FALSE;
  GListModel *calls;
  guint n;
  const GOptionEntry entries[] = {
    { "terse", 't', 0, G_OPTION_ARG_NONE, &terse,
      "One line per call, fields separated by colons (a colon in a field is \\:)", NULL },
    APPLICATION_ENTRY (application),
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("calls", "[ADDRESS…]",
                                     "Lists the live calls on every address "
                                     "(or on the ADDRESS arguments), one "
                                     "line each: call id, address, state, "
                                     "the number of owner and monitor "
                                     "handles (not counting this listing's "
                                     "own), caller → called, media type "
                                     "(\"(srtp)\" when the media is "
                                     "encrypted). "
                                     "Prints \"no calls\" when there are "
                                     "none.\n\n"
                                     "Terse fields: id:address:state:owners:"
                                     "monitors:caller:called:media types:"
                                     "rtp or srtp\n\n"
                                     BROKER_NOTE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv))
    return EXIT_FAILURE;

  tapi = cli_open_tapi (application);
  if (tapi == NULL)
    return EXIT_FAILURE;

  /* Monitor handles to the live calls arrive while registering. */
  if (!monitor_addresses (tapi, argc > 1 ? (const char * const *) argv + 1
                                         : NULL, NULL))
    {
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  calls = tapi_tapi_get_calls (tapi);
  n = g_list_model_get_n_items (calls);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiCall) call = g_list_model_get_item (calls, i);

      if (state_is_live (tapi_call_get_state (call)))
        g_ptr_array_add (live, g_steal_pointer (&call));
    }
  g_ptr_array_sort (live, compare_calls);

  if (live->len == 0 && !terse)
    g_print ("no calls\n");
  else if (!terse)
    print_calls_row ("CALL", "ADDRESS", "STATE", "OWNERS", "MONITORS",
                     "CALLER → CALLED", "MEDIA");

  for (guint i = 0; i < live->len; i++)
    {
      TapiCall *call = g_ptr_array_index (live, i);
      const char *state = cli_enum_to_string (TAPI_TYPE_CALL_STATE,
                                              tapi_call_get_state (call));
      const char *address = tapi_address_get_name (tapi_call_get_address (call));
      const char *caller = cli_or_dash (tapi_call_get_caller_id_number (call));
      const char *called = cli_or_dash (tapi_call_get_called_id_number (call));
      guint owners = tapi_call_get_number_of_owners (call);
      guint monitors = tapi_call_get_number_of_monitors (call);
      g_autofree char *media = NULL;
      g_autofree char *parties = NULL;
      g_autofree char *id = NULL;
      g_autofree char *n_owners = NULL;
      g_autofree char *n_monitors = NULL;

      /* This listing's own handle is no one's business. */
      if (tapi_call_get_privilege (call) == TAPI_CALL_PRIVILEGE_MONITOR &&
          monitors > 0)
        monitors--;

      if (terse)
        {
          g_autofree char *address_field = cli_terse_field (address);
          g_autofree char *caller_field = cli_terse_field (caller);
          g_autofree char *called_field = cli_terse_field (called);
          GFlagsClass *klass = g_type_class_ref (TAPI_TYPE_MEDIA_TYPE);
          guint rest = tapi_call_get_media_types (call);
          GString *csv = g_string_new (NULL);
          GFlagsValue *value;

          while (rest != 0 && (value = g_flags_get_first_value (klass, rest)))
            {
              g_string_append_printf (csv, "%s%s", csv->len > 0 ? "," : "",
                                      value->value_nick);
              rest &= ~value->value;
            }
          media = g_string_free (csv, FALSE);
          g_print ("%u:%s:%s:%u:%u:%s:%s:%s:%s\n", tapi_call_get_call_id (call),
                   address_field, state, owners, monitors, caller_field,
                   called_field, media,
                   tapi_call_get_media_encrypted (call) ? "srtp" : "rtp");
          continue;
        }

      media = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                   tapi_call_get_media_types (call));
      if (tapi_call_get_media_encrypted (call))
        {
          char *encrypted = g_strconcat (media, " (srtp)", NULL);

          g_free (media);
          media = encrypted;
        }
      parties = g_strdup_printf ("%s → %s", caller, called);
      id = g_strdup_printf ("%u", tapi_call_get_call_id (call));
      n_owners = g_strdup_printf ("%u", owners);
      n_monitors = g_strdup_printf ("%u", monitors);
      print_calls_row (id, address, state, n_owners, n_monitors, parties,
                       media);
    }

  tapi_tapi_shutdown (tapi, NULL);
  return EXIT_SUCCESS;
}

/* tapi3 answer */

int
cli_answer (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *application = NULL;
  g_autofree char *media_option = NULL;
  g_autofree char *record = NULL;
  g_autofree char *tone = NULL;
  g_autofree char *media_nicks = NULL;
  TapiMediaType media_types = TAPI_MEDIA_TYPE_AUDIO;
  TapiAddress *address;
  Watch watch = { 0 };
  gboolean no_answer = FALSE, detect_digits = FALSE;
  double timeout = 0, frequency = 0;
  int calls = 0;
  const GOptionEntry entries[] = {
    { "media", 'm', 0, G_OPTION_ARG_STRING, &media_option,
      "Own incoming calls of these media types (default: audio)", "TYPE,…" },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &record,
      "Record what the other party sends on each call this application "
      "owns to FILE, .wav or .ogg (a later call overwrites it)", "FILE" },
    { "tone", 0, 0, G_OPTION_ARG_STRING, &tone,
      "Send a sine tone of HZ hertz on each call this application owns",
      "HZ" },
    { "detect-digits", 0, 0, G_OPTION_ARG_NONE, &detect_digits,
      "Print the DTMF digits the other party sends", NULL },
    { "no-answer", 0, 0, G_OPTION_ARG_NONE, &no_answer,
      "Do not answer offered calls, only follow them", NULL },
    { "calls", 'n', 0, G_OPTION_ARG_INT, &calls,
      "Exit after N calls this application owned have ended", "N" },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout,
      "Exit after SECONDS (with --calls: fail if fewer than N ended)",
      "SECONDS" },
    APPLICATION_ENTRY (application),
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("answer", "ADDRESS",
                                     "Registers as owner on ADDRESS, "
                                     "answers the calls offered to this "
                                     "application, takes the calls handed "
                                     "off to it, and prints every event of "
                                     "them, in the format of \"tapi3 "
                                     "monitor\", until Ctrl-C. The line "
                                     "\"TIME  waiting for calls on ADDRESS "
                                     "as NAME\" says that the registration "
                                     "is in place.\n\n"
                                     "A directed handoff (\"tapi3 handoff "
                                     "CALL --to NAME\") reaches it whatever "
                                     "its --media; an indirect one (--media "
                                     "TYPE) when it is the first owner of "
                                     "that type.\n\n" BROKER_NOTE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv) ||
      !check_limits (timeout, calls, "--calls"))
    return EXIT_FAILURE;
  if (!check_arguments (argc, argv, 2, "ADDRESS"))
    return EXIT_FAILURE;
  if (media_option != NULL &&
      !parse_media_types ("--media", media_option, FALSE, &media_types))
    return EXIT_FAILURE;
  if (tone != NULL)
    {
      char *end = NULL;

      frequency = g_ascii_strtod (tone, &end);
      if (*tone == '\0' || *end != '\0' ||
          !(frequency >= 1.0 && frequency <= 20000.0))
        {
          cli_print_error ("--tone takes a frequency in hertz from 1 to "
                           "20000, not \"%s\"", tone);
          return EXIT_FAILURE;
        }
    }
  if (record != NULL && !(g_str_has_suffix (record, ".wav") ||
                          g_str_has_suffix (record, ".ogg") ||
                          g_str_has_suffix (record, ".opus")))
    {
      cli_print_error ("cannot record to \"%s\": the file name must end in "
                       ".wav (PCM) or .ogg/.opus (Opus)", record);
      return EXIT_FAILURE;
    }

  tapi = cli_open_tapi (application);
  if (tapi == NULL)
    return EXIT_FAILURE;

  address = cli_lookup_address (tapi, argv[1]);
  if (address == NULL)
    {
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  watch_init (&watch, tapi);
  watch.owner_app = TRUE;
  watch.answer = !no_answer;
  watch.record = record;
  watch.tone = frequency;
  watch.detect_digits = detect_digits;
  watch.max_calls = calls;

  if (tapi_tapi_register_call_notifications (tapi, address, FALSE, TRUE,
                                             media_types, &error) == 0)
    {
      cli_print_error ("cannot register on %s: %s", argv[1], error->message);
      watch_clear (&watch);
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }
  media_nicks = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE, media_types);
  cli_print_line ("waiting for calls on %s as %s (owner of %s)",
                  tapi_address_get_name (address),
                  tapi_tapi_get_application_name (tapi), media_nicks);

  watch_run (&watch, timeout);

  if (calls > 0 && watch.ended_calls < (guint) calls)
    {
      cli_print_error ("%u of %d calls ended within %g s", watch.ended_calls,
                       calls, timeout);
      watch.status = EXIT_FAILURE;
    }

  watch_clear (&watch);
  tapi_tapi_shutdown (tapi, NULL);
  return watch.status;
}

/* tapi3 handoff */

int
cli_handoff (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *application = NULL;
  g_autofree char *target = NULL;
  g_autofree char *media_option = NULL;
  g_autofree char *target_label = NULL;
  TapiBasicCallControl *control;
  TapiMediaType media_type = TAPI_MEDIA_TYPE_NONE;
  const char *outcome;
  guint call_id;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &target,
      "Hand the call to the application APP (directed handoff)", "APP" },
    { "media", 'm', 0, G_OPTION_ARG_STRING, &media_option,
      "Hand the call to the first owner of media type TYPE (indirect "
      "handoff)", "TYPE" },
    APPLICATION_ENTRY (application),
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("handoff", "CALL",
                                     "Hands the call CALL (its id, as "
                                     "\"tapi3 calls\" shows it) to another "
                                     "application: takes a handle to it and "
                                     "owner privilege, then hands that "
                                     "ownership on, keeping a monitor "
                                     "handle until it exits. Other owners "
                                     "of the call keep their privilege, but "
                                     "the media goes to the target.\n\n"
                                     "Prints \"call ID  handoff to TARGET: "
                                     "OUTCOME\", where OUTCOME is success, "
                                     "target-self or target-not-found; the "
                                     "exit status is 0 on success only. As "
                                     "in TAPI, a handoff to an application "
                                     "that is not registered on the call's "
                                     "address (target-not-found) "
                                     "disconnects the call.\n\n"
                                     BROKER_NOTE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv))
    return EXIT_FAILURE;
  if (!check_arguments (argc, argv, 2, "CALL") ||
      !parse_call_id (argv[1], &call_id))
    return EXIT_FAILURE;
  if ((target == NULL) == (media_option == NULL))
    {
      cli_print_error ("give either --to APP or --media TYPE");
      return EXIT_FAILURE;
    }
  if (target != NULL && *target == '\0')
    {
      cli_print_error ("--to needs an application name");
      return EXIT_FAILURE;
    }
  if (media_option != NULL &&
      !parse_media_types ("--media", media_option, TRUE, &media_type))
    return EXIT_FAILURE;

  tapi = cli_open_tapi (application);
  if (tapi == NULL)
    return EXIT_FAILURE;

  call = take_call (tapi, call_id);
  if (call == NULL)
    {
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  control = TAPI_BASIC_CALL_CONTROL (call);
  if (target != NULL)
    {
      target_label = g_strdup (target);
      ok = tapi_basic_call_control_handoff_direct_sync (control, target,
                                                        NULL, &error);
    }
  else
    {
      g_autofree char *nick = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                                   media_type);

      target_label = g_strdup_printf ("media type %s", nick);
      ok = tapi_basic_call_control_handoff_indirect_sync (control, media_type,
                                                          NULL, &error);
    }

  if (ok)
    outcome = "success";
  else if (g_error_matches (error, TAPI_ERROR, TAPI_ERROR_TARGET_SELF))
    outcome = "target-self";
  else if (g_error_matches (error, TAPI_ERROR, TAPI_ERROR_TARGET_NOT_FOUND))
    outcome = "target-not-found";
  else
    outcome = NULL;

  if (outcome != NULL)
    g_print ("call %u  handoff to %s: %s\n", call_id, target_label, outcome);
  if (!ok)
    {
      cli_print_error ("cannot hand off call %u: %s; the call is now %s "
                       "(cause %s)", call_id, error->message,
                       cli_enum_to_string (TAPI_TYPE_CALL_STATE,
                                           tapi_call_get_state (call)),
                       cli_enum_to_string (TAPI_TYPE_CALL_STATE_CAUSE,
                                           tapi_call_get_state_cause (call)));
    }

  tapi_tapi_shutdown (tapi, NULL);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* tapi3 transfer */

/* Consultation transfer: the call goes on hold while this application
 * calls @destination from the same address; once that answers, the two
 * remote parties are joined. */
static gboolean
consult_and_transfer (TapiCall    *call,
                      const char  *destination,
                      GError     **error)
{
  g_autoptr(TapiCall) consultation = NULL;
  g_autoptr(GError) local_error = NULL;
  TapiBasicCallControl *control = TAPI_BASIC_CALL_CONTROL (call);

  consultation = tapi_address_create_call (tapi_call_get_address (call),
                                           destination,
                                           TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                           TAPI_MEDIA_TYPE_AUDIO, error);
  if (consultation == NULL)
    return FALSE;

  g_print ("call %u  on hold, consulting %s on call %u\n",
           tapi_call_get_call_id (call), destination,
           tapi_call_get_call_id (consultation));
  if (!tapi_basic_call_control_transfer_sync (control, consultation, NULL,
                                              error))
    {
      /* Take the call off hold again, so nothing is lost. */
      if (tapi_call_get_state (call) == TAPI_CALL_STATE_HOLD &&
          !tapi_basic_call_control_hold_sync (control, FALSE, NULL,
                                              &local_error))
        g_prefix_error (error, "(and call %u stays on hold: %s) ",
                        tapi_call_get_call_id (call), local_error->message);
      if (state_is_live (tapi_call_get_state (consultation)))
        tapi_basic_call_control_disconnect_sync (TAPI_BASIC_CALL_CONTROL (consultation),
                                                 TAPI_DISCONNECT_CODE_NORMAL,
                                                 NULL, NULL);
      return FALSE;
    }

  return tapi_basic_call_control_finish_sync (TAPI_BASIC_CALL_CONTROL (consultation),
                                              TAPI_FINISH_MODE_AS_TRANSFER,
                                              NULL, error);
}

int
cli_transfer (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *application = NULL;
  gboolean consult = FALSE, ok;
  guint call_id;
  const GOptionEntry entries[] = {
    { "consult", 'c', 0, G_OPTION_ARG_NONE, &consult,
      "Consultation transfer: hold the call, call DESTINATION and join "
      "the two once it answers (default: blind transfer)", NULL },
    APPLICATION_ENTRY (application),
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("transfer", "CALL DESTINATION",
                                     "Transfers the call CALL (its id, as "
                                     "\"tapi3 calls\" shows it) to "
                                     "DESTINATION: takes owner privilege on "
                                     "it, then transfers it blind (the "
                                     "remote party is offered to "
                                     "DESTINATION and the call ends here) "
                                     "or, with --consult, after "
                                     "DESTINATION answered a consultation "
                                     "call. If the consultation call fails, "
                                     "the call is taken off hold again.\n\n"
                                     BROKER_NOTE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv))
    return EXIT_FAILURE;
  if (!check_arguments (argc, argv, 3, "CALL and DESTINATION") ||
      !parse_call_id (argv[1], &call_id))
    return EXIT_FAILURE;
  if (*argv[2] == '\0')
    {
      cli_print_error ("DESTINATION must not be empty");
      return EXIT_FAILURE;
    }

  tapi = cli_open_tapi (application);
  if (tapi == NULL)
    return EXIT_FAILURE;

  call = take_call (tapi, call_id);
  if (call == NULL)
    {
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  if (consult)
    ok = consult_and_transfer (call, argv[2], &error);
  else
    ok = tapi_basic_call_control_blind_transfer_sync (TAPI_BASIC_CALL_CONTROL (call),
                                                      argv[2], NULL, &error);

  if (ok)
    g_print ("call %u  transferred to %s\n", call_id, argv[2]);
  else
    cli_print_error ("cannot transfer call %u to %s: %s", call_id, argv[2],
                     error->message);

  tapi_tapi_shutdown (tapi, NULL);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* tapi3 hangup */

int
cli_hangup (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TapiTapi) tapi = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *application = NULL;
  g_autofree char *code_option = NULL;
  g_autofree char *state = NULL;
  TapiDisconnectCode code = TAPI_DISCONNECT_CODE_NORMAL;
  guint call_id;
  const GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &code_option,
      "normal (default), no-answer or rejected: what the other party is "
      "told when the call was still offered", "CODE" },
    APPLICATION_ENTRY (application),
    G_OPTION_ENTRY_NULL
  };

  context = cli_command_context_new ("hangup", "CALL",
                                     "Disconnects the call CALL (its id, as "
                                     "\"tapi3 calls\" shows it), whichever "
                                     "application owns it.\n\n" BROKER_NOTE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_command_line (context, &argc, &argv))
    return EXIT_FAILURE;
  if (!check_arguments (argc, argv, 2, "CALL") ||
      !parse_call_id (argv[1], &call_id))
    return EXIT_FAILURE;
  if (code_option != NULL)
    {
      GEnumClass *klass = g_type_class_ref (TAPI_TYPE_DISCONNECT_CODE);
      GEnumValue *value = g_enum_get_value_by_nick (klass, code_option);

      if (value == NULL)
        {
          cli_print_error ("--code takes normal, no-answer or rejected, not "
                           "\"%s\"", code_option);
          return EXIT_FAILURE;
        }
      code = value->value;
    }

  tapi = cli_open_tapi (application);
  if (tapi == NULL)
    return EXIT_FAILURE;

  call = take_call (tapi, call_id);
  if (call == NULL)
    {
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  if (!tapi_basic_call_control_disconnect_sync (TAPI_BASIC_CALL_CONTROL (call),
                                                code, NULL, &error))
    {
      cli_print_error ("cannot hang up call %u: %s", call_id, error->message);
      tapi_tapi_shutdown (tapi, NULL);
      return EXIT_FAILURE;
    }

  state = cli_describe_state (tapi_call_get_state (call),
                              tapi_call_get_state_cause (call));
  g_print ("call %u  hung up: %s\n", call_id, state);
  tapi_tapi_shutdown (tapi, NULL);
  return EXIT_SUCCESS;
}
