/* tapi3-call.c: "tapi3 call", placing a call and following it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "tapi3-cli.h"

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

  cli_print_call_line (call, "%s", description);
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

  cli_print_call_line (call, "%s", description);
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
  cli_print_call_line (session->call, "hanging up");
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

  cli_print_call_line (call, "%s", description);

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

  cli_print_call_line (call, "digit detected: %c (%s)", character, mode_nick);
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

  cli_print_call_line (call, "media detected: %s", types);
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
    cli_print_call_line (session->call, "level %s", line->str);
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
      cli_print_call_line (session->call, "connected to %s",
                           cli_or_dash (connected));

      if (session->send_digits != NULL && !session->hangup_requested)
        {
          TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (session->call);

          cli_print_call_line (session->call, "sending digits %s",
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
          cli_print_error ("cannot play \"%s\": it is a directory",
                           options->play);
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
                       "(PCM) or .ogg/.opus (Opus)",
                       options->record);
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
      cli_print_error ("cannot watch for fax and modem tones: %s",
                       error->message);
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

int
cli_call (int    argc,
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

  context =
    cli_command_context_new ("call", "FROM TO",
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

  cli_print_call_line (call, "calling %s from %s", argv[2],
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
