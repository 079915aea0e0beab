/* test-media.c: media end to end, real RTP on 127.0.0.1, the audio analysed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include "tapi-test-audio.h"
#include "tapi-test-helper.h"

#define DETECT_LOG_KEY  "test-media-detected"
#define LEVEL_KEY       "test-media-level"
#define ON_OWNER_KEY    "test-media-on-owner"

/* Audio is looked at after the stream settled: the jitter buffer and the
 * codec need a moment. */
#define SETTLE_S 0.3

/* A tone that is there: at least -40 dBFS. A tone that is not there: at
 * least 20 dB below the weakest that is. */
#define PRESENT_AMPLITUDE 0.01
#define ABSENT_RATIO      0.1

static TapiTapi *a;
static TapiTapi *b;
static TapiTapi *c;
static char *tmp_dir;

/* Fixtures */

static void
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;

  tmp_dir = g_dir_make_tmp ("tapi-media-XXXXXX", &error);
  tapi_test_assert_no_error (&error);
}

static void
setup_bare (void)
{
  make_tmp_dir ();
}

static void
setup (void)
{
  make_tmp_dir ();
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  c = tapi_test_app_new (TAPI_TEST_APP_C);
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
  c = NULL;

  tapi_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

/* media-detected records */

static void
media_detected_cb (TapiCall      *call,
                   TapiMediaType  media_type,
                   GArray        *detected)
{
  gint64 type = media_type;
  gint64 now = g_get_monotonic_time ();

  ck_assert_msg ((tapi_call_get_detected_media_types (call) & media_type) == media_type,
                 "media-detected (0x%x) was emitted before detected-media-types "
                 "(0x%x) had it", media_type, tapi_call_get_detected_media_types (call));
  g_array_append_val (detected, type);
  g_array_append_val (detected, now);
}

/* Pairs of media type and time, as gint64. */
static GArray *
watch_detected (TapiCall *call)
{
  GArray *detected = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_object_set_data_full (G_OBJECT (call), DETECT_LOG_KEY, detected,
                          (GDestroyNotify) g_array_unref);
  g_signal_connect (call, "media-detected", G_CALLBACK (media_detected_cb),
                    detected);
  return detected;
}

/* The loudest level of a stream while it was active */

static void
level_notify_cb (TapiStream *stream,
                 GParamSpec *pspec,
                 double     *loudest)
{
  double level = tapi_stream_get_level (stream);

  ck_assert_msg (level >= -100.0 && level <= 0.0,
                 "level %.1f dBFS is out of range", level);
  if (tapi_stream_get_state (stream) == TAPI_STREAM_STATE_ACTIVE)
    *loudest = MAX (*loudest, level);
}

static double *
watch_level (TapiStream *stream)
{
  double *loudest = g_new (double, 1);

  *loudest = -200.0;
  g_object_set_data_full (G_OBJECT (stream), LEVEL_KEY, loudest, g_free);
  g_signal_connect (stream, "notify::level", G_CALLBACK (level_notify_cb),
                    loudest);
  return loudest;
}

/* Streams and terminals */

#define capture_of(call) tapi_test_stream ((call), TAPI_TERMINAL_DIRECTION_CAPTURE)
#define render_of(call) tapi_test_stream ((call), TAPI_TERMINAL_DIRECTION_RENDER)

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A WAV recording terminal writing to @name in the test's directory. */
static TapiTerminal *
new_recorder (TapiTapi   *app,
              const char *address,
              const char *name)
{
  g_autofree char *path = tmp_path (name);

  return tapi_test_new_recorder (app, address, path);
}

static const char *
file_of (TapiTerminal *recorder)
{
  return tapi_file_recording_terminal_get_file_name (TAPI_FILE_RECORDING_TERMINAL (recorder));
}

/* Stops @stream, which finishes its recording. */
static void
stop_stream (TapiStream *stream)
{
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_stream_stop (stream, &error));
  tapi_test_assert_no_error (&error);
  ck_assert_msg (tapi_stream_get_state (stream) == TAPI_STREAM_STATE_STOPPED,
                 "%s is %s after stop", tapi_stream_get_name (stream),
                 tapi_test_stream_state_name (tapi_stream_get_state (stream)));
}

/* Waits until @stream is active, then lets it record @milliseconds. */
static void
record_for (TapiCall   *call,
            TapiStream *stream,
            guint       milliseconds)
{
  tapi_test_wait_media_event (call, stream, TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                              0);
  tapi_test_spin (milliseconds);
  ck_assert_msg (tapi_stream_get_state (stream) == TAPI_STREAM_STATE_ACTIVE,
                 "%s is %s while recording; its events: %s",
                 tapi_stream_get_name (stream),
                 tapi_test_stream_state_name (tapi_stream_get_state (stream)),
                 tapi_test_media_events_to_string (call, stream));
}

/* Audio analysis */

/* The amplitude of @frequency between @start and @end (-1: the end). */
static double
tone_amplitude (const TapiTestAudio *audio,
                double               start,
                double               end,
                double               frequency)
{
  gsize first = (gsize) (MAX (start, 0.0) * audio->rate);
  gsize last = end < 0 ? audio->n_samples
                       : MIN ((gsize) (end * audio->rate), audio->n_samples);

  ck_assert_msg (last >= first + audio->rate / 20,
                 "Less than 50 ms of audio between %.2f s and %.2f s (it lasts %.2f s)",
                 start, end, tapi_test_audio_duration (audio));
  return sqrt (tapi_goertzel_power_hann (audio->samples + first, last - first,
                                         audio->rate, frequency));
}

/* Fails unless @path is a finished WAV file of at least @seconds whose
 * main tone after it settled is @frequency. */
static void
assert_recording_tone (const char *path,
                       double      seconds,
                       double      frequency)
{
  g_autoptr(TapiTestAudio) audio = tapi_test_load_recording (path);

  ck_assert_msg (tapi_test_audio_duration (audio) >= seconds,
                 "%s lasts %.2f s, expected at least %.2f s", path,
                 tapi_test_audio_duration (audio), seconds);
  tapi_test_audio_assert_tone_in (audio, SETTLE_S, -1, frequency);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median amplitude of @frequency over 100 ms blocks from @start on: a
 * mix is measured block by block, so that one glitch (a phase jump as a
 * far end restarts) does not cancel a tone out. */
static double
median_amplitude (const TapiTestAudio *audio,
                  double               start,
                  double               frequency)
{
  g_autoptr(GArray) amplitudes = g_array_new (FALSE, FALSE, sizeof (double));
  double duration = tapi_test_audio_duration (audio);

  for (double t = start; t + 0.1 <= duration; t += 0.1)
    {
      double amplitude = tone_amplitude (audio, t, t + 0.1, frequency);

      g_array_append_val (amplitudes, amplitude);
    }
  ck_assert_msg (amplitudes->len >= 5, "The recording lasts %.2f s only",
                 duration);
  g_array_sort (amplitudes, compare_doubles);
  return g_array_index (amplitudes, double, amplitudes->len / 2);
}

/* Fails unless the tones of @present are in @path, each at least
 * -40 dBFS, and those of @absent are 20 dB below the weakest of them. */
static void
assert_mix (const char   *who,
            const char   *path,
            const double *present,
            guint         n_present,
            const double *absent,
            guint         n_absent)
{
  g_autoptr(TapiTestAudio) audio = tapi_test_load_recording (path);
  g_autoptr(GString) heard = g_string_new (NULL);
  double weakest = 1.0;

  for (guint i = 0; i < n_present; i++)
    g_string_append_printf (heard, "%s%.0f Hz: %.4f", heard->len ? ", " : "",
                            present[i],
                            median_amplitude (audio, SETTLE_S, present[i]));
  for (guint i = 0; i < n_absent; i++)
    g_string_append_printf (heard, "%s%.0f Hz: %.4f", heard->len ? ", " : "",
                            absent[i],
                            median_amplitude (audio, SETTLE_S, absent[i]));
  g_print ("%s hears %s\n", who, heard->str);

  for (guint i = 0; i < n_present; i++)
    {
      double amplitude = median_amplitude (audio, SETTLE_S, present[i]);

      ck_assert_msg (amplitude >= PRESENT_AMPLITUDE,
                     "%s does not hear %.0f Hz (amplitudes %s)", who,
                     present[i], heard->str);
      weakest = MIN (weakest, amplitude);
    }
  for (guint i = 0; i < n_absent; i++)
    ck_assert_msg (median_amplitude (audio, SETTLE_S, absent[i]) <
                     ABSENT_RATIO * weakest,
                   "%s hears %.0f Hz, which it must not (amplitudes %s)", who,
                   absent[i], heard->str);
}

/* Applications that select a recorder as soon as they own a call */

typedef struct
{
  TapiTerminal *recorder;
  TapiCall     *call;
  gint64        time;
} OnOwner;

static void
select_on_owner_cb (TapiTapi                  *app,
                    TapiCall                  *call,
                    TapiCallNotificationEvent  event,
                    OnOwner                   *on_owner)
{
  if (event != TAPI_CALL_NOTIFICATION_EVENT_OWNER || on_owner->call != NULL)
    return;
  on_owner->call = call;
  on_owner->time = g_get_monotonic_time ();
  tapi_test_watch_media (call);
  tapi_test_select_terminal (render_of (call), on_owner->recorder);
}

static OnOwner *
record_when_owner (TapiTapi     *app,
                   TapiTerminal *recorder)
{
  OnOwner *on_owner = g_new0 (OnOwner, 1);

  on_owner->recorder = recorder;
  g_object_set_data_full (G_OBJECT (app), ON_OWNER_KEY, on_owner, g_free);
  g_signal_connect (app, "call-notification", G_CALLBACK (select_on_owner_cb),
                    on_owner);
  return on_owner;
}

/* Calls */

/* A watched call of @app from @from to @destination, not yet connected. */
static TapiCall *
new_call (TapiTapi   *app,
          const char *from,
          const char *destination)
{
  TapiCall *call = tapi_test_create_call (app, from, destination);

  tapi_test_watch_media (call);
  return call;
}

static void
connect_call (TapiCall *call)
{
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}

/* 1. The tone service, recorded */

START_TEST (test_tone)
{
  g_autoptr(TapiCall) call = new_call (a, "100", "tone");
  g_autoptr(TapiTerminal) recorder = new_recorder (a, "100", "tone.wav");
  TapiStream *render = render_of (call);
  double *loudest = watch_level (render);
  TapiTestMediaRecord *active;

  connect_call (call);
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_STOPPED);
  tapi_test_select_terminal (render, recorder);

  active = tapi_test_wait_media_event (call, render,
                                       TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  ck_assert_ptr_eq (active->terminal, recorder);
  ck_assert_int_eq (active->stream_state, TAPI_STREAM_STATE_ACTIVE);
  ck_assert_int_eq (active->terminal_state, TAPI_TERMINAL_STATE_IN_USE);
  ck_assert_int_eq (tapi_terminal_get_state (recorder),
                    TAPI_TERMINAL_STATE_IN_USE);

  /* The meter follows the tone while it plays. */
  tapi_test_wait_for (*loudest > -40.0);
  tapi_test_spin (1500);
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_ACTIVE);
  ck_assert_int_eq (tapi_terminal_get_state (recorder),
                    TAPI_TERMINAL_STATE_IN_USE);
  ck_assert_msg (tapi_stream_get_level (render) > -40.0,
                 "The render level is %.1f dBFS while the tone plays",
                 tapi_stream_get_level (render));
  g_print ("tone: render level %.1f dBFS, loudest %.1f dBFS\n",
           tapi_stream_get_level (render), *loudest);

  /* Nothing was selected on the capture stream: it never ran. */
  ck_assert_int_eq (tapi_test_media_event_count (call, capture_of (call),
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 0);

  tapi_test_hang_up (call);
  tapi_test_wait_media_event (call, render,
                              TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE, 0);
  tapi_test_assert_media_events (call, render,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                 active->cause,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST);
  ck_assert_msg (active->cause == TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST ||
                   active->cause == TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST,
                 "STREAM_ACTIVE with cause %s",
                 tapi_test_media_cause_name (active->cause));
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_STOPPED);
  ck_assert_int_eq (tapi_terminal_get_state (recorder),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);

  /* The call ended: the recording is finished and holds the tone. */
  assert_recording_tone (file_of (recorder), 1.5, 1000.0);
}
END_TEST

/* 2. The echo service, each codec */

typedef struct
{
  const char *name;
  guint       audio_rate;
} CodecCase;

static const CodecCase codec_cases[] = {
  { "PCMU", 8000 },
  { "PCMA", 8000 },
  { "G722", 16000 },
  { "OPUS", 48000 },
};

START_TEST (test_echo_codec)
{
  const CodecCase *codec = &codec_cases[_i];
  g_autofree char *config = g_strdup_printf ("[pbx]\ncodecs=%s\n", codec->name);
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) tone = NULL;
  g_autoptr(TapiTerminal) recorder = NULL;
  g_autoptr(TapiTestAudio) audio = NULL;
  TapiStream *render;

  tapi_test_set_sim_config (config);
  a = tapi_test_app_new (TAPI_TEST_APP_A);

  call = new_call (a, "100", "echo");
  tone = tapi_test_new_tone (a, "100", 700.0);
  recorder = new_recorder (a, "100", "echo.wav");
  render = render_of (call);
  tapi_test_select_terminal (capture_of (call), tone);
  tapi_test_select_terminal (render, recorder);
  connect_call (call);

  record_for (call, render, 1500);
  tapi_test_wait_media_event (call, capture_of (call),
                              TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  stop_stream (render);
  tapi_test_hang_up (call);

  audio = tapi_test_load_recording (file_of (recorder));
  g_print ("echo over %s: %.2f s at %u Hz\n", codec->name,
           tapi_test_audio_duration (audio), audio->rate);
  /* The render pipeline decodes at the codec's own rate and the recording
   * keeps it: this is how the negotiated codec shows. */
  ck_assert_msg (audio->rate == codec->audio_rate,
                 "The %s call was recorded at %u Hz, expected the codec's %u Hz",
                 codec->name, audio->rate, codec->audio_rate);
  ck_assert_msg (tapi_test_audio_duration (audio) >= 1.2,
                 "The echo lasts %.2f s only",
                 tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, SETTLE_S, -1, 700.0);
}
END_TEST

/* 3. Digits */

static void
wait_digits (GString    *digits,
             const char *expected)
{
  gint64 deadline = g_get_monotonic_time () +
                    TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (digits->len < strlen (expected) && g_get_monotonic_time () < deadline)
    tapi_test_iterate ();
  /* Digits that should not come would come a little later. */
  tapi_test_spin (500);
  ck_assert_msg (g_str_equal (digits->str, expected),
                 "Detected \"%s\", expected \"%s\"", digits->str, expected);
}

START_TEST (test_digits_service)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "dtmf:1234#*");
  GString *digits = tapi_test_watch_digits (call);

  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  connect_call (call);

  wait_digits (digits, "1234#*");
  /* No terminal was selected: no stream ran for it. */
  ck_assert_int_eq (tapi_test_media_event_count (call, NULL,
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 0);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_hang_up (call);
}
END_TEST

START_TEST (test_digits_between_extensions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;
  GString *digits;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  tapi_test_watch_media (call);
  tapi_test_watch_media (b_call);
  digits = tapi_test_watch_digits (b_call);

  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (b_call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  /* The receiving side needs a moment to listen. */
  tapi_test_spin (300);
  ck_assert (tapi_call_media_control_generate_digits (TAPI_CALL_MEDIA_CONTROL (call), "9870",
                                                      TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);

  wait_digits (digits, "9870");
  ck_assert_int_eq (tapi_test_media_event_count (call, NULL,
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 0);
  ck_assert_int_eq (tapi_test_media_event_count (b_call, NULL,
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 0);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_digits_echo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "echo");
  GString *digits = tapi_test_watch_digits (call);

  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  connect_call (call);
  tapi_test_spin (300);
  ck_assert (tapi_call_media_control_generate_digits (TAPI_CALL_MEDIA_CONTROL (call), "5A0#",
                                                      TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);

  wait_digits (digits, "5A0#");
}
END_TEST

/* 4. A fax found by a softphone and handed to the fax application */

START_TEST (test_fax_handoff)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) a_silence = NULL;
  g_autoptr(TapiTerminal) a_recorder = NULL;
  g_autoptr(TapiTerminal) b_recorder = NULL;
  g_autoptr(GArray) bursts = NULL;
  g_autofree char *bursts_text = NULL;
  TapiCallNotificationEvent event;
  TapiCall *b_call;
  GArray *detected;
  OnOwner *on_owner;
  gint64 connected;
  guint mark;

  tapi_test_register (a, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_G3FAX);
  b_recorder = new_recorder (b, "101", "fax.wav");
  on_owner = record_when_owner (b, b_recorder);

  /* The softphone plays nothing and records what it hears. */
  call = new_call (a, "101", "fax");
  detected = watch_detected (call);
  a_silence = tapi_test_new_terminal (a, "101", TAPI_TERMINAL_CLASS_NULL,
                                      TAPI_TERMINAL_DIRECTION_CAPTURE);
  a_recorder = new_recorder (a, "101", "softphone.wav");
  tapi_test_select_terminal (capture_of (call), a_silence);
  tapi_test_select_terminal (render_of (call), a_recorder);
  ck_assert (tapi_call_media_control_monitor_media (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_MEDIA_TYPE_G3FAX, &error));
  tapi_test_assert_no_error (&error);
  connect_call (call);
  connected = g_get_monotonic_time ();

  tapi_test_wait_for (detected->len > 0);
  g_print ("fax: media-detected %.2f s after connect\n",
           (g_array_index (detected, gint64, 1) - connected) /
             (double) G_USEC_PER_SEC);
  ck_assert_int_eq (g_array_index (detected, gint64, 0), TAPI_MEDIA_TYPE_G3FAX);
  ck_assert_int_eq (tapi_call_get_detected_media_types (call) &
                      TAPI_MEDIA_TYPE_G3FAX,
                    TAPI_MEDIA_TYPE_G3FAX);
  ck_assert_int_eq (tapi_call_get_detected_media_types (call) &
                      ~TAPI_MEDIA_TYPE_G3FAX,
                    0);

  ck_assert (tapi_call_media_control_set_media_type (TAPI_CALL_MEDIA_CONTROL (call),
                                                     TAPI_MEDIA_TYPE_G3FAX, &error));
  tapi_test_assert_no_error (&error);

  mark = tapi_test_media_mark (call);
  ck_assert (tapi_test_await (call, handoff_indirect, TAPI_MEDIA_TYPE_G3FAX,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_privilege (call, TAPI_CALL_PRIVILEGE_MONITOR);

  /* The fax application is told as if the call arrived. */
  b_call = tapi_test_next_notification (b, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  ck_assert_ptr_eq (on_owner->call, b_call);
  tapi_test_assert_privilege (b_call, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);

  /* The softphone's streams stopped: it lost the call. */
  {
    TapiTestMediaRecord *capture_off =
      tapi_test_wait_media_event (call, capture_of (call),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE, mark);
    TapiTestMediaRecord *render_off =
      tapi_test_wait_media_event (call, render_of (call),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE, mark);

    ck_assert_int_eq (capture_off->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
    ck_assert_int_eq (render_off->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  }
  ck_assert_int_eq (tapi_stream_get_state (render_of (call)),
                    TAPI_STREAM_STATE_STOPPED);
  ck_assert_int_eq (tapi_stream_get_state (capture_of (call)),
                    TAPI_STREAM_STATE_STOPPED);
  tapi_test_audio_assert_wav_header (file_of (a_recorder));

  /* As a monitor, the softphone sees the fax application's recording
   * start, on its own render stream and with no terminal. */
  {
    TapiTestMediaRecord *relayed =
      tapi_test_wait_media_event (call, render_of (call),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, mark);

    ck_assert_ptr_null (relayed->terminal);
  }

  /* A calling tone cycle is 3.5 s: 4 s hold at least one burst. */
  record_for (b_call, render_of (b_call), 4000);
  stop_stream (render_of (b_call));
  ck_assert_int_eq (tapi_test_media_event_count (call, NULL,
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 3);

  bursts = tapi_test_audio_tone_ranges (file_of (b_recorder), 1100.0);
  bursts_text = tapi_test_audio_ranges_to_string (bursts);
  g_print ("fax: 1100 Hz at %s\n", bursts_text);
  ck_assert_msg (bursts->len >= 1, "The fax application heard no calling tone");
  ck_assert_msg (tapi_test_audio_ranges_total (bursts) >= 0.3,
                 "The calling tone lasts %.2f s only: %s",
                 tapi_test_audio_ranges_total (bursts), bursts_text);
  /* The cadence: bursts of 0.5 s (those cut by the recording's ends may
   * be shorter) 3 s apart. */
  for (guint i = 0; i < bursts->len; i++)
    {
      TapiTestAudioRange *burst = &g_array_index (bursts, TapiTestAudioRange,
                                                  i);

      ck_assert_msg (burst->end - burst->start <= 0.65,
                     "A calling tone burst lasts %.2f s: %s", burst->end - burst->start,
                     bursts_text);
      if (burst->start > 0.05 && burst->end < 3.95)
        ck_assert_msg (burst->end - burst->start >= 0.4,
                       "A calling tone burst lasts %.2f s: %s", burst->end - burst->start,
                       bursts_text);
    }
  if (bursts->len >= 2)
    ck_assert_msg (tapi_test_audio_longest_gap (bursts) >= 2.8 &&
                   tapi_test_audio_longest_gap (bursts) <= 3.2,
                   "The calling tone pauses %.2f s, expected 3 s: %s",
                   tapi_test_audio_longest_gap (bursts), bursts_text);
  tapi_test_audio_assert_wav_header (file_of (b_recorder));
}
END_TEST

START_TEST (test_fax_not_detected_in_tone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "tone");
  g_autoptr(TapiTerminal) recorder = new_recorder (a, "100", "tone.wav");
  GArray *detected = watch_detected (call);

  tapi_test_select_terminal (render_of (call), recorder);
  ck_assert (tapi_call_media_control_monitor_media (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_MEDIA_TYPE_G3FAX |
                                                    TAPI_MEDIA_TYPE_DATAMODEM, &error));
  tapi_test_assert_no_error (&error);
  connect_call (call);

  record_for (call, render_of (call), 2500);
  stop_stream (render_of (call));
  ck_assert_msg (detected->len == 0, "A 1000 Hz tone was taken for media 0x%x",
                 detected->len ? (guint) g_array_index (detected, gint64, 0)
                               : 0);
  ck_assert_int_eq (tapi_call_get_detected_media_types (call), 0);
  /* The tone did flow where the detector listens. */
  assert_recording_tone (file_of (recorder), 2.0, 1000.0);
}
END_TEST

/* 5. Handoff by name */

START_TEST (test_handoff_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "tone");
  g_autoptr(TapiTerminal) a_recorder = new_recorder (a, "100", "a.wav");
  g_autoptr(TapiTerminal) b_recorder = new_recorder (b, "100", "b.wav");
  OnOwner *on_owner = record_when_owner (b, b_recorder);
  TapiTestMediaRecord *a_off, *b_on, *a_relayed;
  gint64 handoff;
  guint mark;

  tapi_test_register (b, "100", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_select_terminal (render_of (call), a_recorder);
  connect_call (call);
  record_for (call, render_of (call), 1000);

  mark = tapi_test_media_mark (call);
  handoff = g_get_monotonic_time ();
  ck_assert (tapi_test_await (call, handoff_direct, TAPI_TEST_APP_B, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (on_owner->call != NULL);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_MONITOR);

  b_on = tapi_test_wait_media_event (on_owner->call, render_of (on_owner->call),
                                     TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  tapi_test_wait_for (tapi_stream_get_level (render_of (on_owner->call)) >
                      -40.0);
  g_print ("handoff: B owned the call %.0f ms after handoff_direct, its stream was active "
           "after %.0f ms, its meter showed the tone after %.0f ms\n",
           (on_owner->time - handoff) / 1000.0, (b_on->time - handoff) / 1000.0,
           (g_get_monotonic_time () - handoff) / 1000.0);

  a_off = tapi_test_wait_media_event (call, render_of (call),
                                      TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                      mark);
  ck_assert_msg (a_off->cause == TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                 "A's render stream went inactive with cause %s",
                 tapi_test_media_cause_name (a_off->cause));
  ck_assert_int_eq (tapi_terminal_get_state (a_recorder),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);

  /* A, now a monitor, sees B's stream start, without a terminal. */
  a_relayed = tapi_test_wait_media_event (call, render_of (call),
                                          TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                          mark);
  ck_assert_ptr_null (a_relayed->terminal);
  tapi_test_assert_media_events (call, render_of (call),
                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                 tapi_test_find_media_event (call, render_of (call),
                                                             TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                                             TAPI_TEST_ANY_CAUSE, 0)->cause,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                 b_on->cause);

  tapi_test_spin (2000);
  ck_assert_int_eq (tapi_stream_get_state (render_of (on_owner->call)),
                    TAPI_STREAM_STATE_ACTIVE);
  stop_stream (render_of (on_owner->call));

  assert_recording_tone (file_of (a_recorder), 0.9, 1000.0);
  assert_recording_tone (file_of (b_recorder), 1.8, 1000.0);
}
END_TEST

/* With two owners, the media runs at the one that became owner last: a
 * monitor that takes owner privilege takes the media over, and gives it
 * back when it stops being owner. */
START_TEST (test_media_follows_latest_owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) a_tone = tapi_test_new_tone (a, "100", 700.0);
  g_autoptr(TapiTerminal) b_recorder = new_recorder (b, "101", "b.wav");
  g_autoptr(TapiTerminal) c_recorder = new_recorder (c, "101", "c.wav");
  TapiCallNotificationEvent event;
  TapiCall *b_call = NULL;
  TapiCall *c_call;
  TapiTestMediaRecord *b_off;
  guint b_mark;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  c_call = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_watch_media (b_call);
  tapi_test_watch_media (c_call);
  tapi_test_select_terminal (capture_of (call), a_tone);
  tapi_test_select_terminal (render_of (b_call), b_recorder);
  record_for (b_call, render_of (b_call), 500);

  /* C becomes a second owner: B keeps owner privilege, C gets the media. */
  b_mark = tapi_test_media_mark (b_call);
  ck_assert (tapi_call_set_privilege (c_call, TAPI_CALL_PRIVILEGE_OWNER, &error));
  tapi_test_assert_no_error (&error);
  b_off = tapi_test_wait_media_event (b_call, render_of (b_call),
                                      TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                      b_mark);
  ck_assert_int_eq (b_off->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  tapi_test_assert_privilege (b_call, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_wait_for (tapi_call_get_number_of_owners (b_call) == 2);
  ck_assert_int_eq (tapi_stream_get_state (render_of (b_call)),
                    TAPI_STREAM_STATE_STOPPED);

  tapi_test_select_terminal (render_of (c_call), c_recorder);
  record_for (c_call, render_of (c_call), 1500);
  /* B's stream stayed off all along. */
  ck_assert_int_eq (tapi_test_media_event_count (b_call, render_of (b_call),
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 1);
  stop_stream (render_of (c_call));
  assert_recording_tone (file_of (c_recorder), 1.2, 700.0);

  /* C steps back to monitor: the media returns to B. */
  b_mark = tapi_test_media_mark (b_call);
  ck_assert (tapi_call_set_privilege (c_call, TAPI_CALL_PRIVILEGE_MONITOR, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_media_event (b_call, render_of (b_call),
                              TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, b_mark);
  ck_assert_int_eq (tapi_stream_get_state (render_of (b_call)),
                    TAPI_STREAM_STATE_ACTIVE);
}
END_TEST

/* 6. Consultation transfer: the two remote parties hear each other */

START_TEST (test_transfer_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  g_autoptr(TapiTerminal) a_tone = tapi_test_new_tone (a, "100", 600.0);
  g_autoptr(TapiTerminal) a_recorder = new_recorder (a, "100", "a.wav");
  g_autoptr(TapiTerminal) c_tone = tapi_test_new_tone (c, "102", 900.0);
  g_autoptr(TapiTerminal) c_recorder = new_recorder (c, "102", "c.wav");
  TapiCall *b_call = NULL;
  TapiCall *c_call;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "102", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_app_set_auto_answer (c, TRUE);

  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  tapi_test_watch_media (call);
  tapi_test_select_terminal (capture_of (call), a_tone);
  tapi_test_wait_media_event (call, capture_of (call),
                              TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);

  consultation = tapi_test_create_call (b, "101", "102");
  ck_assert (tapi_test_await (b_call, transfer, consultation, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_CONNECTED);
  c_call = tapi_test_next_notification (c, NULL);
  tapi_test_wait_for_state (c_call, TAPI_CALL_STATE_CONNECTED);

  ck_assert (tapi_test_await (consultation, finish,
                              TAPI_FINISH_MODE_AS_TRANSFER, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_wait_for_connected_id (c_call, "100");
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);

  /* A's tone runs again once the transfer is done (B's consultation held
   * A, which may have paused it), without A doing anything. */
  tapi_test_wait_for (tapi_stream_get_state (capture_of (call)) ==
                      TAPI_STREAM_STATE_ACTIVE);

  tapi_test_watch_media (c_call);
  tapi_test_select_terminal (capture_of (c_call), c_tone);
  tapi_test_select_terminal (render_of (c_call), c_recorder);
  tapi_test_select_terminal (render_of (call), a_recorder);
  record_for (c_call, render_of (c_call), 1500);
  record_for (call, render_of (call), 0);
  stop_stream (render_of (c_call));
  stop_stream (render_of (call));

  assert_recording_tone (file_of (c_recorder), 1.2, 600.0);
  assert_recording_tone (file_of (a_recorder), 1.2, 900.0);
}
END_TEST

/* 7. Conference: everyone hears the others, nobody hears itself */

START_TEST (test_conference_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  g_autoptr(TapiTerminal) a_tone = tapi_test_new_tone (a, "100", 1300.0);
  g_autoptr(TapiTerminal) a_recorder = new_recorder (a, "100", "a.wav");
  g_autoptr(TapiTerminal) b_tone = tapi_test_new_tone (b, "101", 600.0);
  g_autoptr(TapiTerminal) b_recorder = new_recorder (b, "101", "b.wav");
  g_autoptr(TapiTerminal) c_tone = tapi_test_new_tone (c, "102", 900.0);
  g_autoptr(TapiTerminal) c_recorder = new_recorder (c, "102", "c.wav");
  const double a_hears[] = { 600.0, 900.0 };
  const double b_hears[] = { 900.0, 1300.0 };
  const double c_hears[] = { 600.0, 1300.0 };
  const double a_own[] = { 1300.0 };
  const double b_own[] = { 600.0 };
  const double c_own[] = { 900.0 };
  TapiCall *b_call = NULL;
  TapiCall *c_call;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "102", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_app_set_auto_answer (c, TRUE);

  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  tapi_test_watch_media (call);
  tapi_test_watch_media (b_call);

  consultation = tapi_test_create_call (a, "100", "102");
  ck_assert (tapi_test_await (call, conference, consultation, &error));
  tapi_test_assert_no_error (&error);
  c_call = tapi_test_next_notification (c, NULL);
  tapi_test_watch_media (c_call);
  tapi_test_wait_for_state (c_call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (tapi_test_await (consultation, finish,
                              TAPI_FINISH_MODE_AS_CONFERENCE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);

  tapi_test_select_terminal (capture_of (call), a_tone);
  tapi_test_select_terminal (render_of (call), a_recorder);
  tapi_test_select_terminal (capture_of (b_call), b_tone);
  tapi_test_select_terminal (render_of (b_call), b_recorder);
  tapi_test_select_terminal (capture_of (c_call), c_tone);
  tapi_test_select_terminal (render_of (c_call), c_recorder);
  record_for (b_call, render_of (b_call), 2000);
  record_for (c_call, render_of (c_call), 0);
  record_for (call, render_of (call), 0);
  stop_stream (render_of (b_call));
  stop_stream (render_of (c_call));
  stop_stream (render_of (call));

  assert_mix ("B", file_of (b_recorder), b_hears, G_N_ELEMENTS (b_hears),
              b_own, G_N_ELEMENTS (b_own));
  assert_mix ("C", file_of (c_recorder), c_hears, G_N_ELEMENTS (c_hears),
              c_own, G_N_ELEMENTS (c_own));
  assert_mix ("A", file_of (a_recorder), a_hears, G_N_ELEMENTS (a_hears),
              a_own, G_N_ELEMENTS (a_own));
}
END_TEST

/* 8. Park and pickup */

START_TEST (test_unpark_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) unparked = NULL;
  g_autoptr(TapiTerminal) b_tone = tapi_test_new_tone (b, "101", 600.0);
  g_autoptr(TapiTerminal) c_recorder = new_recorder (c, "102", "c.wav");
  g_autofree char *orbit = NULL;
  TapiCall *b_call = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  tapi_test_watch_media (b_call);
  tapi_test_select_terminal (capture_of (b_call), b_tone);
  tapi_test_wait_media_event (b_call, capture_of (b_call),
                              TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);

  /* A parks B; C takes B from the orbit. */
  orbit = tapi_test_await (call, park_indirect, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (orbit != NULL);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);

  unparked = new_call (c, "102", orbit);
  tapi_test_select_terminal (render_of (unparked), c_recorder);
  ck_assert (tapi_test_await (unparked, unpark, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (unparked, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);

  record_for (unparked, render_of (unparked), 1500);
  stop_stream (render_of (unparked));
  assert_recording_tone (file_of (c_recorder), 1.2, 600.0);
}
END_TEST

START_TEST (test_pickup_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "101");
  g_autoptr(TapiCall) picking = NULL;
  g_autoptr(TapiTerminal) a_tone = tapi_test_new_tone (a, "100", 700.0);
  g_autoptr(TapiTerminal) c_recorder = new_recorder (c, "102", "c.wav");
  TapiTestAsync *connecting;
  TapiCall *b_call;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_select_terminal (capture_of (call), a_tone);
  connecting = tapi_test_start (call, connect);
  b_call = tapi_test_next_notification (b, NULL);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_OFFERING);

  /* C picks up the call ringing at B. */
  picking = new_call (c, "102", NULL);
  tapi_test_select_terminal (render_of (picking), c_recorder);
  ck_assert (tapi_test_await (picking, pickup, "1", &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (picking, TAPI_CALL_STATE_CONNECTED);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_DISCONNECTED);

  record_for (picking, render_of (picking), 1500);
  stop_stream (render_of (picking));
  ck_assert_int_eq (tapi_stream_get_state (capture_of (call)),
                    TAPI_STREAM_STATE_ACTIVE);
  assert_recording_tone (file_of (c_recorder), 1.2, 700.0);
}
END_TEST

/* 9. A stream starts by itself; stop, start and pause */

START_TEST (test_stream_operations)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "tone");
  g_autoptr(TapiTerminal) recorder = new_recorder (a, "100", "ops.wav");
  TapiStream *render = render_of (call);
  TapiTestMediaRecord *record;
  guint mark;

  /* Selected before the call is placed: nothing runs yet. */
  tapi_test_select_terminal (render, recorder);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_STOPPED);
  ck_assert_int_eq (tapi_test_media_mark (call), 0);

  connect_call (call);
  record = tapi_test_wait_media_event (call, render,
                                       TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  ck_assert_msg (record->connected_seen, "STREAM_ACTIVE came before CONNECTED");
  ck_assert_int_eq (record->terminal_state, TAPI_TERMINAL_STATE_IN_USE);
  tapi_test_spin (1000);

  /* stop: inactive at once, and the recording is complete. */
  mark = tapi_test_media_mark (call);
  stop_stream (render);
  record = tapi_test_find_media_event (call, render,
                                       TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                       TAPI_TEST_ANY_CAUSE, mark);
  ck_assert_msg (record != NULL, "stop emitted no STREAM_INACTIVE: %s",
                 tapi_test_media_events_to_string (call, render));
  ck_assert_int_eq (record->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  ck_assert_int_eq (tapi_terminal_get_state (recorder),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);
  assert_recording_tone (file_of (recorder), 0.9, 1000.0);

  /* It stays stopped. */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_int_eq (tapi_test_media_mark (call), mark + 1);
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_STOPPED);

  /* start: active again. */
  mark = tapi_test_media_mark (call);
  ck_assert (tapi_stream_start (render, &error));
  tapi_test_assert_no_error (&error);
  record = tapi_test_wait_media_event (call, render,
                                       TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                       mark);
  ck_assert_int_eq (record->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_ACTIVE);
  tapi_test_spin (500);

  /* pause */
  mark = tapi_test_media_mark (call);
  ck_assert (tapi_stream_pause (render, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (tapi_stream_get_state (render) !=
                      TAPI_STREAM_STATE_ACTIVE);
  ck_assert_msg (tapi_stream_get_state (render) == TAPI_STREAM_STATE_PAUSED,
                 "The stream is %s after pause",
                 tapi_test_stream_state_name (tapi_stream_get_state (render)));
  record = tapi_test_wait_media_event (call, render,
                                       TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                       mark);
  ck_assert_int_eq (record->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  ck_assert_int_eq (record->stream_state, TAPI_STREAM_STATE_PAUSED);

  /* start resumes a paused stream. */
  mark = tapi_test_media_mark (call);
  ck_assert (tapi_stream_start (render, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_media_event (call, render, TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                              mark);
  tapi_test_spin (500);
  stop_stream (render);
  assert_recording_tone (file_of (recorder), 0.4, 1000.0);

  record = tapi_test_find_media_event (call, render,
                                       TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                       TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_assert_media_events (call, render,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                 record->cause,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                                 TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                 TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

/* 10. Bad input */

/* Fails unless @stream has exactly @terminal (or none) and is in @state. */
static void
assert_stream (TapiStream      *stream,
               TapiTerminal    *terminal,
               TapiStreamState  state)
{
  GListModel *terminals = tapi_stream_get_terminals (stream);

  ck_assert_msg (tapi_test_list_count (terminals) == (terminal ? 1u : 0u),
                 "%s has %u terminals, expected %u",
                 tapi_stream_get_name (stream),
                 tapi_test_list_count (terminals), terminal ? 1u : 0u);
  if (terminal)
    ck_assert (tapi_test_list_contains (terminals, terminal));
  ck_assert_msg (tapi_stream_get_state (stream) == state, "%s is %s, expected %s",
                 tapi_stream_get_name (stream),
                 tapi_test_stream_state_name (tapi_stream_get_state (stream)),
                 tapi_test_stream_state_name (state));
}

START_TEST (test_bad_selections)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "answer");
  g_autoptr(TapiCall) other = new_call (a, "100", "answer");
  g_autoptr(TapiTerminal) tone = tapi_test_new_tone (a, "100", 500.0);
  g_autoptr(TapiTerminal) recorder = new_recorder (a, "100", "one.wav");
  g_autoptr(TapiTerminal) second = new_recorder (a, "100", "two.wav");
  g_autoptr(TapiTerminal) bogus = NULL;
  g_autoptr(TapiStream) created = NULL;
  TapiStream *capture, *render;
  GListModel *streams;
  guint mark;

  connect_call (call);
  connect_call (other);
  capture = capture_of (call);
  render = render_of (call);

  /* A terminal of the other direction, both ways round */
  ck_assert (!tapi_stream_select_terminal (render, tone, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_DIRECTION);
  ck_assert (!tapi_stream_select_terminal (capture, recorder, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_DIRECTION);
  assert_stream (render, NULL, TAPI_STREAM_STATE_STOPPED);
  assert_stream (capture, NULL, TAPI_STREAM_STATE_STOPPED);
  ck_assert_int_eq (tapi_terminal_get_state (tone),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);

  /* No terminal */
  ck_assert (!tapi_stream_select_terminal (render, NULL, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);
  assert_stream (render, NULL, TAPI_STREAM_STATE_STOPPED);

  /* Start without a terminal */
  ck_assert (!tapi_stream_start (capture, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NO_TERMINAL_SELECTED);
  assert_stream (capture, NULL, TAPI_STREAM_STATE_STOPPED);

  /* Unselecting a terminal that is not selected */
  ck_assert (!tapi_stream_unselect_terminal (render, recorder, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);

  /* One terminal runs... */
  tapi_test_select_terminal (render, recorder);
  tapi_test_wait_media_event (call, render, TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                              0);
  mark = tapi_test_media_mark (call);

  /* ...and cannot be taken by another call's stream */
  ck_assert (!tapi_stream_select_terminal (render_of (other), recorder, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TERMINAL_IN_USE);
  assert_stream (render_of (other), NULL, TAPI_STREAM_STATE_STOPPED);

  /* A second terminal on the stream */
  ck_assert (!tapi_stream_select_terminal (render, second, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_MAX_TERMINALS);
  ck_assert_int_eq (tapi_terminal_get_state (second),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);

  /* A terminal that is not selected on this stream */
  ck_assert (!tapi_stream_unselect_terminal (render, second, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);
  ck_assert (!tapi_stream_unselect_terminal (render_of (other), recorder, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);

  /* Streams are fixed on the simulated PBX */
  created = tapi_stream_control_create_stream (TAPI_STREAM_CONTROL (call),
                                               TAPI_MEDIA_TYPE_AUDIO,
                                               TAPI_TERMINAL_DIRECTION_RENDER,
                                               &error);
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);
  ck_assert (created == NULL);
  streams = tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));
  ck_assert_int_eq (tapi_test_list_count (streams), 2);

  /* Terminal classes that do not exist */
  bogus = tapi_address_create_terminal (tapi_test_address (a, "100"), "loudhailer",
                                        TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_RENDER,
                                        &error);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL_CLASS);
  ck_assert (bogus == NULL);

  /* Nothing of it touched the running stream. */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  assert_stream (render, recorder, TAPI_STREAM_STATE_ACTIVE);
  ck_assert_int_eq (tapi_terminal_get_state (recorder),
                    TAPI_TERMINAL_STATE_IN_USE);
  ck_assert_int_eq (tapi_test_media_mark (call), mark);
  ck_assert_int_eq (tapi_test_media_mark (other), 0);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (other, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_bad_monitor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) a_tone = tapi_test_new_tone (a, "100", 800.0);
  g_autoptr(TapiTerminal) b_recorder = new_recorder (b, "101", "b.wav");
  g_autoptr(TapiTerminal) c_recorder = new_recorder (c, "101", "c.wav");
  TapiCallNotificationEvent event;
  TapiCallMediaControl *media;
  TapiStream *render;
  TapiCall *b_call = NULL;
  TapiCall *monitor;
  guint mark, monitor_mark;

  /* B owns the calls to 101, C monitors them. */
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  monitor = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_watch_media (monitor);
  tapi_test_watch_media (b_call);
  tapi_test_wait_for_state (monitor, TAPI_CALL_STATE_CONNECTED);
  tapi_test_select_terminal (capture_of (call), a_tone);
  tapi_test_select_terminal (render_of (b_call), b_recorder);
  tapi_test_wait_media_event (b_call, render_of (b_call),
                              TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  mark = tapi_test_media_mark (b_call);
  /* The monitor sees the owner's stream start, with no terminal. */
  ck_assert_ptr_null (tapi_test_wait_media_event (monitor, render_of (monitor),
                                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                                  0)->terminal);
  monitor_mark = tapi_test_media_mark (monitor);

  media = TAPI_CALL_MEDIA_CONTROL (monitor);
  render = render_of (monitor);
  ck_assert (!tapi_stream_select_terminal (render, c_recorder, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_stream_unselect_terminal (render, c_recorder, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_stream_start (render, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_stream_pause (render, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_stream_stop (render, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_stream_stop (capture_of (monitor), &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_call_media_control_generate_digits (media, "1",
                                                       TAPI_DIGIT_MODE_DTMF,
                                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (!tapi_call_media_control_monitor_media (media,
                                                     TAPI_MEDIA_TYPE_G3FAX,
                                                     &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);

  /* Nothing changed, for the monitor or the owner. */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  assert_stream (render, NULL, TAPI_STREAM_STATE_STOPPED);
  assert_stream (capture_of (monitor), NULL, TAPI_STREAM_STATE_STOPPED);
  ck_assert_int_eq (tapi_terminal_get_state (c_recorder),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);
  ck_assert_int_eq (tapi_test_media_mark (monitor), monitor_mark);
  assert_stream (render_of (b_call), b_recorder, TAPI_STREAM_STATE_ACTIVE);
  ck_assert_int_eq (tapi_test_media_mark (b_call), mark);
  tapi_test_assert_privilege (monitor, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_assert_privilege (b_call, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!g_file_test (file_of (c_recorder), G_FILE_TEST_EXISTS));
}
END_TEST

/* A monitor sees the owner's media events and the digits its media
 * carries (lineMonitorDigits), not the owner's terminals. */
START_TEST (test_monitor_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) b_recorder = new_recorder (b, "101", "b.wav");
  TapiCallNotificationEvent event;
  TapiCall *b_call = NULL;
  TapiCall *monitor;
  GString *b_digits, *monitor_digits;
  TapiTestMediaRecord *b_on, *relayed;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  monitor = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_watch_media (monitor);
  tapi_test_watch_media (b_call);
  b_digits = tapi_test_watch_digits (b_call);
  monitor_digits = tapi_test_watch_digits (monitor);
  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (monitor),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);

  /* The owner records: its receiving stream runs. */
  tapi_test_select_terminal (render_of (b_call), b_recorder);
  b_on = tapi_test_wait_media_event (b_call, render_of (b_call),
                                     TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  relayed = tapi_test_wait_media_event (monitor, render_of (monitor),
                                        TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, 0);
  ck_assert_int_eq (relayed->cause, b_on->cause);
  ck_assert_ptr_null (relayed->terminal);
  ck_assert_ptr_eq (b_on->terminal, b_recorder);
  /* Its own stream did not start: the monitor runs no media. */
  ck_assert_int_eq (tapi_stream_get_state (render_of (monitor)),
                    TAPI_STREAM_STATE_STOPPED);
  ck_assert_int_eq (tapi_terminal_get_state (b_recorder),
                    TAPI_TERMINAL_STATE_IN_USE);

  ck_assert (tapi_call_media_control_generate_digits (TAPI_CALL_MEDIA_CONTROL (call), "12#9",
                                                      TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (monitor_digits->len == 4);
  ck_assert_str_eq (monitor_digits->str, "12#9");
  /* The owner did not ask for digits. */
  ck_assert_int_eq (b_digits->len, 0);

  stop_stream (render_of (b_call));
  relayed = tapi_test_wait_media_event (monitor, render_of (monitor),
                                        TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                        0);
  ck_assert_int_eq (relayed->cause, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
}
END_TEST

START_TEST (test_bad_digits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = new_call (a, "100", "echo");
  TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (call);
  GString *digits = tapi_test_watch_digits (call);

  /* Before the call is connected */
  ck_assert (!tapi_call_media_control_generate_digits (media, "1",
                                                       TAPI_DIGIT_MODE_DTMF,
                                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);

  ck_assert (tapi_call_media_control_detect_digits (media, TAPI_DIGIT_MODE_DTMF,
                                                    &error));
  tapi_test_assert_no_error (&error);
  connect_call (call);
  tapi_test_spin (300);

  /* The echo would return any digit that went out. */
  ck_assert (!tapi_call_media_control_generate_digits (media, "12x3",
                                                       TAPI_DIGIT_MODE_DTMF,
                                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_call_media_control_generate_digits (media, "",
                                                       TAPI_DIGIT_MODE_DTMF,
                                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_call_media_control_generate_digits (media, "12",
                                                       TAPI_DIGIT_MODE_PULSE,
                                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);
  ck_assert (!tapi_call_media_control_monitor_media (media,
                                                     TAPI_MEDIA_TYPE_AUDIO,
                                                     &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
  ck_assert (!tapi_call_media_control_detect_digits (media,
                                                     TAPI_DIGIT_MODE_PULSE,
                                                     &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);

  tapi_test_spin (1000);
  ck_assert_msg (digits->len == 0, "Refused digits went out: \"%s\" came back",
                 digits->str);
  ck_assert_int_eq (tapi_call_get_detected_media_types (call), 0);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  /* Detection still works: the refusals changed nothing. */
  ck_assert (tapi_call_media_control_generate_digits (media, "7",
                                                      TAPI_DIGIT_MODE_DTMF,
                                                      &error));
  tapi_test_assert_no_error (&error);
  wait_digits (digits, "7");
}
END_TEST

/* A recording of a call on which nothing arrived is an empty file, not
 * an error. */
START_TEST (test_record_nothing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) b_recorder = new_recorder (b, "101", "b.wav");
  g_autofree char *contents = NULL;
  TapiCall *b_call = NULL;
  TapiTestMediaRecord *record;
  gsize size = 0;

  /* A selects nothing: it sends no media at all. */
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &b_call);
  tapi_test_watch_media (b_call);
  tapi_test_select_terminal (render_of (b_call), b_recorder);
  record_for (b_call, render_of (b_call), 1000);
  stop_stream (render_of (b_call));

  record = tapi_test_find_media_event (b_call, render_of (b_call),
                                       TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                       TAPI_TEST_ANY_CAUSE, 0);
  ck_assert_msg (record != NULL &&
                   record->cause == TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
                 "stop gave %s",
                 tapi_test_media_events_to_string (b_call, render_of (b_call)));
  ck_assert_int_eq (tapi_test_media_event_count (b_call, NULL,
                                                 TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL), 0);
  ck_assert_int_eq (tapi_test_media_event_count (b_call, NULL,
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_FAIL), 0);

  /* Nothing or a finished WAV file holding no more than silence */
  if (g_file_get_contents (file_of (b_recorder), &contents, &size, &error) &&
      size > 0)
    {
      g_auto(TapiWav) wav = { 0 };

      ck_assert_msg (tapi_wav_parse ((const guint8 *) contents, size, &wav,
                                     &error),
                     "The recording of %" G_GSIZE_FORMAT " bytes is not a "
                     "finished WAV file: %s",
                     size, error->message);
    }
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_unwritable_recording)
{
  g_autoptr(TapiCall) call = new_call (a, "100", "tone");
  g_autoptr(TapiTerminal) recorder =
    tapi_test_new_terminal (a, "100", TAPI_TERMINAL_CLASS_FILE_RECORDING,
                            TAPI_TERMINAL_DIRECTION_RENDER);
  g_autoptr(TapiTerminal) good = new_recorder (a, "100", "good.wav");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "missing", "x.wav", NULL);
  TapiStream *render = render_of (call);
  TapiTestMediaRecord *failure;

  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (recorder), path);
  connect_call (call);
  tapi_test_states_clear (call);
  tapi_test_select_terminal (render, recorder);

  failure = tapi_test_wait_media_event (call, render,
                                        TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL, 0);
  ck_assert_msg (failure->cause == TAPI_CALL_MEDIA_CAUSE_BAD_DEVICE,
                 "TERMINAL_FAIL with cause %s",
                 tapi_test_media_cause_name (failure->cause));
  ck_assert_ptr_eq (failure->terminal, recorder);
  ck_assert_int_eq (failure->stream_state, TAPI_STREAM_STATE_FAILED);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_FAILED);
  ck_assert_int_eq (tapi_terminal_get_state (recorder),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);
  ck_assert_int_eq (tapi_test_media_event_count (call, render,
                                                 TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE), 0);
  ck_assert_int_eq (tapi_test_media_event_count (call, render,
                                                 TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL), 1);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));

  /* The call goes on: another terminal records. */
  ck_assert (tapi_stream_unselect_terminal (render, recorder, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_select_terminal (render, good);
  record_for (call, render, 1000);
  stop_stream (render);
  assert_recording_tone (file_of (good), 0.9, 1000.0);
}
END_TEST

static Suite *
media_suite (void)
{
  Suite *suite = suite_create ("media");
  TCase *tc;

  tc = tcase_create ("tone");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_tone);
  tcase_add_test (tc, test_stream_operations);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("codecs");
  tcase_add_checked_fixture (tc, setup_bare, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_loop_test (tc, test_echo_codec, 0, G_N_ELEMENTS (codec_cases));
  suite_add_tcase (suite, tc);

  tc = tcase_create ("digits");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_digits_service);
  tcase_add_test (tc, test_digits_between_extensions);
  tcase_add_test (tc, test_digits_echo);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("detection");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_fax_handoff);
  tcase_add_test (tc, test_fax_not_detected_in_tone);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("ownership");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_handoff_media);
  tcase_add_test (tc, test_media_follows_latest_owner);
  tcase_add_test (tc, test_transfer_media);
  tcase_add_test (tc, test_conference_media);
  tcase_add_test (tc, test_unpark_media);
  tcase_add_test (tc, test_pickup_media);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("errors");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_bad_selections);
  tcase_add_test (tc, test_bad_monitor);
  tcase_add_test (tc, test_monitor_media);
  tcase_add_test (tc, test_bad_digits);
  tcase_add_test (tc, test_record_nothing);
  tcase_add_test (tc, test_unwritable_recording);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (media_suite ());
}
