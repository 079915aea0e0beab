/* tapi-test-media.c: streams, terminals and media events of the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdarg.h>

#include "tapi-test-helper.h"

#define MEDIA_LOG_KEY "tapi-test-media-log"
#define DIGIT_LOG_KEY "tapi-test-digits"

/* Streams and terminals */

/**
 * tapi_test_stream:
 * @call: a call
 * @direction: the direction of the stream
 *
 * Returns: (transfer none): the audio stream of @call in @direction; fails
 *   the test unless there is exactly one
 */
TapiStream *
tapi_test_stream (TapiCall              *call,
                  TapiTerminalDirection  direction)
{
  GListModel *streams;
  TapiStream *found = NULL;

  ck_assert_msg (TAPI_IS_CALL (call), "Not a TapiCall: %p", (gpointer) call);
  streams = tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));
  ck_assert_msg (G_IS_LIST_MODEL (streams), "get_streams gave no list");
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      if (tapi_stream_get_media_type (stream) == TAPI_MEDIA_TYPE_AUDIO &&
          tapi_stream_get_direction (stream) == direction)
        {
          ck_assert_msg (found == NULL,
                         "The call has two audio streams of one direction");
          found = stream;   /* the call keeps its streams */
        }
    }
  ck_assert_msg (found != NULL, "The call has no audio %s stream",
                 direction == TAPI_TERMINAL_DIRECTION_CAPTURE ?
                   "capture" : "render");

  return found;
}

/**
 * tapi_test_new_terminal:
 * @app: an application
 * @address: the name of one of its addresses
 * @terminal_class: a terminal class, such as %TAPI_TERMINAL_CLASS_TONE
 * @direction: the direction of the terminal
 *
 * Creates an audio terminal on @address; fails the test unless it is
 * created and NOT_IN_USE.
 *
 * Returns: (transfer full): the terminal
 */
TapiTerminal *
tapi_test_new_terminal (TapiTapi              *app,
                        const char            *address,
                        const char            *terminal_class,
                        TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiTerminal *terminal;

  terminal = tapi_address_create_terminal (tapi_test_address (app, address),
                                           terminal_class,
                                           TAPI_MEDIA_TYPE_AUDIO, direction,
                                           &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (TAPI_IS_TERMINAL (terminal),
                 "create_terminal (%s) gave no terminal", terminal_class);
  ck_assert_int_eq (tapi_terminal_get_state (terminal),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);

  return terminal;
}

/**
 * tapi_test_new_tone:
 * @app: an application
 * @address: the name of one of its addresses
 * @frequency: the frequency of the sine, in Hz
 *
 * Returns: (transfer full): a capture terminal that sends a sine of
 *   @frequency
 */
TapiTerminal *
tapi_test_new_tone (TapiTapi   *app,
                    const char *address,
                    double      frequency)
{
  TapiTerminal *tone = tapi_test_new_terminal (app, address,
                                               TAPI_TERMINAL_CLASS_TONE,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE);

  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (tone), frequency);

  return tone;
}

/**
 * tapi_test_new_recorder:
 * @app: an application
 * @address: the name of one of its addresses
 * @path: the WAV file to write
 *
 * Returns: (transfer full): a render terminal that records to @path
 */
TapiTerminal *
tapi_test_new_recorder (TapiTapi   *app,
                        const char *address,
                        const char *path)
{
  TapiTerminal *recorder =
    tapi_test_new_terminal (app, address, TAPI_TERMINAL_CLASS_FILE_RECORDING,
                            TAPI_TERMINAL_DIRECTION_RENDER);
  TapiFileRecordingTerminal *file = TAPI_FILE_RECORDING_TERMINAL (recorder);

  tapi_file_recording_terminal_set_file_name (file, path);

  return recorder;
}

/**
 * tapi_test_select_terminal:
 * @stream: a stream
 * @terminal: a terminal of its direction
 *
 * Selects @terminal on @stream; fails the test unless that succeeds and
 * @stream then lists @terminal.
 */
void
tapi_test_select_terminal (TapiStream   *stream,
                           TapiTerminal *terminal)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (tapi_stream_select_terminal (stream, terminal, &error),
                 "select_terminal failed");
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_test_list_contains (tapi_stream_get_terminals (stream),
                                      terminal));
}

/**
 * tapi_test_load_recording:
 * @path: a finished WAV recording
 *
 * Fails the test unless @path is a complete WAV file that can be read.
 *
 * Returns: (transfer full): its audio
 */
TapiTestAudio *
tapi_test_load_recording (const char *path)
{
  g_autoptr(GError) error = NULL;
  TapiTestAudio *audio;

  tapi_test_audio_assert_wav_header (path);
  audio = tapi_test_audio_load (path, &error);
  ck_assert_msg (audio != NULL, "Cannot read %s: %s", path,
                 error ? error->message : "");

  return audio;
}

/* media-event records */

static void
media_record_free (gpointer data)
{
  TapiTestMediaRecord *record = data;

  g_clear_object (&record->stream);
  g_clear_object (&record->terminal);
  g_free (record);
}

static void
media_event_cb (TapiCall           *call,
                TapiCallMediaEvent  event,
                TapiCallMediaCause  cause,
                TapiStream         *stream,
                TapiTerminal       *terminal,
                GPtrArray          *log)
{
  TapiTestMediaRecord *record = g_new0 (TapiTestMediaRecord, 1);

  record->event = event;
  record->cause = cause;
  record->stream = stream ? g_object_ref (stream) : NULL;
  record->terminal = terminal ? g_object_ref (terminal) : NULL;
  record->stream_state = stream ? tapi_stream_get_state (stream)
                                : TAPI_STREAM_STATE_STOPPED;
  record->terminal_state = terminal ? tapi_terminal_get_state (terminal)
                                    : TAPI_TERMINAL_STATE_NOT_IN_USE;
  record->connected_seen = tapi_test_state_seen (call,
                                                 TAPI_CALL_STATE_CONNECTED);
  record->time = g_get_monotonic_time ();
  g_ptr_array_add (log, record);
}

/**
 * tapi_test_watch_media:
 * @call: a call
 *
 * Starts recording the `media-event` emissions of @call (and, through
 * tapi_test_watch_call(), its states); does nothing if they are recorded
 * already.
 */
void
tapi_test_watch_media (TapiCall *call)
{
  GPtrArray *log;

  tapi_test_watch_call (call);
  if (g_object_get_data (G_OBJECT (call), MEDIA_LOG_KEY) != NULL)
    return;

  /* Records are allocated one by one: tests keep pointers to them. */
  log = g_ptr_array_new_with_free_func (media_record_free);
  g_object_set_data_full (G_OBJECT (call), MEDIA_LOG_KEY, log,
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (call, "media-event", G_CALLBACK (media_event_cb), log);
}

static GPtrArray *
media_log (TapiCall *call)
{
  GPtrArray *log = g_object_get_data (G_OBJECT (call), MEDIA_LOG_KEY);

  ck_assert_msg (log != NULL, "The media of call %p are not watched",
                 (gpointer) call);

  return log;
}

/**
 * tapi_test_media_mark:
 * @call: a watched call
 *
 * Returns: how many `media-event` emissions of @call are recorded, the
 *   @from of a later search for what comes next
 */
guint
tapi_test_media_mark (TapiCall *call)
{
  return media_log (call)->len;
}

/**
 * tapi_test_media_events_to_string:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for all
 *
 * Returns: (transfer full): the recorded events of @stream, as
 *   "event/cause, …" (with the name of the stream if @stream is %NULL)
 */
char *
tapi_test_media_events_to_string (TapiCall   *call,
                                  TapiStream *stream)
{
  GPtrArray *log = media_log (call);
  GString *string = g_string_new ("[");
  gboolean first = TRUE;

  for (guint i = 0; i < log->len; i++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, i);

      if (stream != NULL && record->stream != stream)
        continue;
      g_string_append_printf (string, "%s%s/%s", first ? "" : ", ",
                              tapi_test_media_event_name (record->event),
                              tapi_test_media_cause_name (record->cause));
      if (stream == NULL)
        g_string_append_printf (string, " (%s)",
                                record->stream ?
                                  tapi_stream_get_name (record->stream) : "-");
      first = FALSE;
    }
  g_string_append (string, "]");

  return g_string_free (string, FALSE);
}

/**
 * tapi_test_find_media_event:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for any
 * @event: the event
 * @cause: its cause, or %TAPI_TEST_ANY_CAUSE
 * @from: the first record to look at (a tapi_test_media_mark())
 *
 * Returns: (transfer none) (nullable): the first record of @event with
 *   @cause on @stream from @from on
 */
TapiTestMediaRecord *
tapi_test_find_media_event (TapiCall           *call,
                            TapiStream         *stream,
                            TapiCallMediaEvent  event,
                            TapiCallMediaCause  cause,
                            guint               from)
{
  GPtrArray *log = media_log (call);

  for (guint i = from; i < log->len; i++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, i);

      if (record->event == event &&
          (cause == TAPI_TEST_ANY_CAUSE || record->cause == cause) &&
          (stream == NULL || record->stream == stream))
        return record;
    }

  return NULL;
}

/**
 * tapi_test_media_event_count:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for any
 * @event: the event
 *
 * Returns: how often @call emitted @event about @stream
 */
guint
tapi_test_media_event_count (TapiCall           *call,
                             TapiStream         *stream,
                             TapiCallMediaEvent  event)
{
  GPtrArray *log = media_log (call);
  guint count = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, i);

      if (record->event == event &&
          (stream == NULL || record->stream == stream))
        count++;
    }

  return count;
}

/**
 * tapi_test_wait_media_event:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for any
 * @event: the event
 * @from: the first record to look at (a tapi_test_media_mark())
 *
 * Runs the default main context until @call emitted @event about @stream,
 * counted from @from; fails the test when that does not happen within
 * %TAPI_TEST_TIMEOUT_MS.
 *
 * Returns: (transfer none): its record
 */
TapiTestMediaRecord *
tapi_test_wait_media_event (TapiCall           *call,
                            TapiStream         *stream,
                            TapiCallMediaEvent  event,
                            guint               from)
{
  gint64 deadline = g_get_monotonic_time () +
    TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  TapiTestMediaRecord *record;

  while ((record = tapi_test_find_media_event (call, stream, event,
                                               TAPI_TEST_ANY_CAUSE,
                                               from)) == NULL)
    {
      if (g_get_monotonic_time () >= deadline)
        {
          g_autofree char *seen =
            tapi_test_media_events_to_string (call, stream);

          ck_abort_msg ("No %s on %s within %d ms; the stream's events: %s",
                        tapi_test_media_event_name (event),
                        stream ? tapi_stream_get_name (stream) : "the call",
                        TAPI_TEST_TIMEOUT_MS, seen);
        }
      tapi_test_iterate ();
    }

  return record;
}

/**
 * tapi_test_media_events_diff:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for all
 * @...: pairs of event and cause, ended by -1
 *
 * Compares the recorded `media-event` emissions about @stream with the
 * expected ones.
 *
 * Returns: (nullable): %NULL if they match, else a description
 */
char *
tapi_test_media_events_diff (TapiCall   *call,
                             TapiStream *stream,
                             ...)
{
  GPtrArray *log = media_log (call);
  g_autofree char *seen = tapi_test_media_events_to_string (call, stream);
  g_autofree char *want = NULL;
  GString *expected = g_string_new ("[");
  gboolean match = TRUE;
  guint n = 0, position = 0;
  va_list args;
  int event;

  va_start (args, stream);
  while ((event = va_arg (args, int)) != -1)
    {
      int cause = va_arg (args, int);
      TapiTestMediaRecord *record = NULL;

      g_string_append_printf (expected, "%s%s/%s", n > 0 ? ", " : "",
                              tapi_test_media_event_name (event),
                              tapi_test_media_cause_name (cause));
      for (; position < log->len; position++)
        {
          TapiTestMediaRecord *candidate = g_ptr_array_index (log, position);

          if (stream == NULL || candidate->stream == stream)
            {
              record = candidate;
              position++;
              break;
            }
        }
      if (record == NULL || record->event != (TapiCallMediaEvent) event ||
          record->cause != (TapiCallMediaCause) cause)
        match = FALSE;
      n++;
    }
  va_end (args);
  g_string_append (expected, "]");

  for (; match && position < log->len; position++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, position);

      if (stream == NULL || record->stream == stream)
        match = FALSE;
    }

  want = g_string_free (expected, FALSE);
  if (match)
    return NULL;

  return g_strdup_printf ("media-event emissions %s, expected %s", seen,
                          want);
}

/* digit-detected records */

static void
digit_detected_cb (TapiCall      *call,
                   guint          digit,
                   TapiDigitMode  mode,
                   GString       *digits)
{
  ck_assert_msg (mode == TAPI_DIGIT_MODE_DTMF,
                 "digit-detected '%c' with mode 0x%x, expected DTMF", digit,
                 mode);
  g_string_append_c (digits, (char) digit);
}

static void
digits_free (gpointer digits)
{
  g_string_free (digits, TRUE);
}

/**
 * tapi_test_watch_digits:
 * @call: a call
 *
 * Records the digits @call detects; fails the test if one is reported in
 * another mode than DTMF.
 *
 * Returns: (transfer none): the digits, kept up to date while @call lives
 */
GString *
tapi_test_watch_digits (TapiCall *call)
{
  GString *digits = g_string_new (NULL);

  g_object_set_data_full (G_OBJECT (call), DIGIT_LOG_KEY, digits,
                          digits_free);
  g_signal_connect (call, "digit-detected", G_CALLBACK (digit_detected_cb),
                    digits);

  return digits;
}
