/* test-media-events.c: media events that follow the network: timeouts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

static TapiTapi *a;
static TapiTapi *b;

typedef struct
{
  TapiCallMediaEvent event;
  TapiCallMediaCause cause;
  TapiTerminalDirection direction;
} MediaEvent;

static GArray *events;

static void
setup (void)
{
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  events = g_array_new (FALSE, TRUE, sizeof (MediaEvent));
}

static void
teardown (void)
{
  tapi_test_teardown ();
  g_clear_pointer (&events, g_array_unref);
  a = NULL;
  b = NULL;
}

static void
media_event_cb (TapiCall           *call,
                TapiCallMediaEvent  event,
                TapiCallMediaCause  cause,
                TapiStream         *stream,
                TapiTerminal       *terminal,
                gpointer            user_data)
{
  MediaEvent recorded = { event, cause, stream ? tapi_stream_get_direction (stream)
                                               : TAPI_TERMINAL_DIRECTION_NONE };

  g_array_append_val (events, recorded);
}

static gboolean
seen (TapiCallMediaEvent    event,
      TapiCallMediaCause    cause,
      TapiTerminalDirection direction)
{
  for (guint i = 0; i < events->len; i++)
    {
      MediaEvent *recorded = &g_array_index (events, MediaEvent, i);

      if (recorded->event == event && recorded->cause == cause &&
          recorded->direction == direction)
        return TRUE;
    }
  return FALSE;
}

static TapiStream *
start_media (TapiCall *call,
             TapiCall *b_call)
{
  g_autoptr(TapiTerminal) tone =
    tapi_test_new_terminal (b, "101", TAPI_TERMINAL_CLASS_TONE,
                            TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) sink =
    tapi_test_new_terminal (a, "100", TAPI_TERMINAL_CLASS_NULL,
                            TAPI_TERMINAL_DIRECTION_RENDER);
  TapiStream *render = tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_RENDER);

  g_signal_connect (call, "media-event", G_CALLBACK (media_event_cb), NULL);
  tapi_test_select_terminal (tapi_test_stream (b_call,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE),
                             tone);
  tapi_test_select_terminal (render, sink);
  tapi_test_wait_for (tapi_stream_get_state (render) ==
                      TAPI_STREAM_STATE_ACTIVE);
  return render;
}

/* B stops sending, so nothing reaches A any more: A's render stream
 * reports a media timeout, and the media's return once B sends again. */
START_TEST (test_media_timeout_and_recovery)
{
  g_autoptr(GError) error = NULL;
  TapiCall *b_call = NULL;
  g_autoptr(TapiCall) call = tapi_test_extension_call (a, "100", b, "101",
                                                        &b_call);
  TapiStream *render = start_media (call, b_call);
  TapiStream *b_capture = tapi_test_stream (b_call,
                                            TAPI_TERMINAL_DIRECTION_CAPTURE);

  /* Media flows: no timeout while B sends. */
  tapi_test_spin (2500);
  ck_assert (!seen (TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                    TAPI_CALL_MEDIA_CAUSE_MEDIA_TIMEOUT,
                    TAPI_TERMINAL_DIRECTION_RENDER));

  ck_assert (tapi_stream_stop (b_capture, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_spin (3000);
  ck_assert_msg (seen (TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                       TAPI_CALL_MEDIA_CAUSE_MEDIA_TIMEOUT,
                       TAPI_TERMINAL_DIRECTION_RENDER),
                 "no media timeout after the remote party stopped sending");
  /* The stream itself keeps running, waiting for media. */
  ck_assert_int_eq (tapi_stream_get_state (render), TAPI_STREAM_STATE_ACTIVE);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!seen (TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                    TAPI_CALL_MEDIA_CAUSE_MEDIA_RECOVERED,
                    TAPI_TERMINAL_DIRECTION_RENDER));

  ck_assert (tapi_stream_start (b_capture, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (seen (TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                            TAPI_CALL_MEDIA_CAUSE_MEDIA_RECOVERED,
                            TAPI_TERMINAL_DIRECTION_RENDER));
}
END_TEST

/* B holds the call: A's streams stop at the remote party's request and
 * run again when B resumes; A's call stays connected throughout. */
START_TEST (test_remote_hold)
{
  g_autoptr(GError) error = NULL;
  TapiCall *b_call = NULL;
  g_autoptr(TapiCall) call = tapi_test_extension_call (a, "100", b, "101",
                                                        &b_call);
  TapiStream *render = start_media (call, b_call);

  g_array_set_size (events, 0);
  ck_assert (tapi_test_await (b_call, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (tapi_stream_get_state (render) ==
                      TAPI_STREAM_STATE_STOPPED);
  ck_assert (seen (TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                   TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST,
                   TAPI_TERMINAL_DIRECTION_RENDER));
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_HOLD);

  g_array_set_size (events, 0);
  ck_assert (tapi_test_await (b_call, hold, FALSE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (tapi_stream_get_state (render) ==
                      TAPI_STREAM_STATE_ACTIVE);
  ck_assert (seen (TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                   TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST,
                   TAPI_TERMINAL_DIRECTION_RENDER));
  /* No stale audio made the stream time out on the way. */
  ck_assert (!seen (TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                    TAPI_CALL_MEDIA_CAUSE_MEDIA_TIMEOUT,
                    TAPI_TERMINAL_DIRECTION_RENDER));
}
END_TEST

static void
media_detected_cb (TapiCall      *call,
                   TapiMediaType  media_type,
                   gpointer       user_data)
{
  TapiMediaType *detected = user_data;

  *detected |= media_type;
}

/* A modem answers with 2100 Hz: monitoring for it reports DATAMODEM, and
 * only that. */
START_TEST (test_modem_answer_tone_detected)
{
  g_autoptr(GError) error = NULL;
  TapiCall *b_call = NULL;
  g_autoptr(TapiCall) call = tapi_test_extension_call (a, "100", b, "101",
                                                        &b_call);
  g_autoptr(TapiTerminal) tone = NULL;
  TapiMediaType detected = 0;

  g_signal_connect (call, "media-detected", G_CALLBACK (media_detected_cb),
                    &detected);
  ck_assert (tapi_call_media_control_monitor_media (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_MEDIA_TYPE_DATAMODEM |
                                                    TAPI_MEDIA_TYPE_G3FAX, &error));
  tapi_test_assert_no_error (&error);

  tone = tapi_test_new_tone (b, "101", 2100.0);
  tapi_test_select_terminal (tapi_test_stream (b_call,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE),
                             tone);

  tapi_test_wait_for (detected != 0);
  ck_assert_int_eq (detected, TAPI_MEDIA_TYPE_DATAMODEM);
  ck_assert_int_eq (tapi_call_get_detected_media_types (call),
                    TAPI_MEDIA_TYPE_DATAMODEM);

  /* Reported once, and no fax in it. */
  detected = 0;
  tapi_test_spin (1000);
  ck_assert_int_eq (detected, 0);
}
END_TEST

static void
setup_in_band (void)
{
  tapi_test_set_sim_config ("[pbx]\ntelephone-events=false\n");
  setup ();
}

/* Without telephone events, digits go out as tones mixed into the audio
 * and are recognised in the audio that comes back. */
START_TEST (test_in_band_digits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "echo");
  GString *digits = tapi_test_watch_digits (call);

  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_media_control_generate_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                      "159#", TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);

  tapi_test_wait_for (digits->len >= 4);
  ck_assert_str_eq (digits->str, "159#");
  tapi_test_spin (500);
  ck_assert_str_eq (digits->str, "159#");
}
END_TEST

/* Threads that keep every core busy until stopped, as a loaded machine
 * does: the streaming threads get the CPU late. */
typedef struct
{
  GPtrArray *threads;
  gint       stop;
} CpuHog;

static gpointer
hog_thread (gpointer user_data)
{
  CpuHog *hog = user_data;
  volatile guint64 spins = 0;

  while (!g_atomic_int_get (&hog->stop))
    spins++;
  return NULL;
}

static void
hog_start (CpuHog *hog)
{
  guint n = MAX (2, g_get_num_processors ());

  hog->stop = 0;
  hog->threads = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (hog->threads, g_thread_new ("cpu-hog", hog_thread, hog));
}

static void
hog_stop (CpuHog *hog)
{
  g_atomic_int_set (&hog->stop, 1);
  for (guint i = 0; i < hog->threads->len; i++)
    g_thread_join (g_ptr_array_index (hog->threads, i));
  g_clear_pointer (&hog->threads, g_ptr_array_unref);
}

/* Waits for @n digits, longer than usual: with every core busy, setting
 * up the send pipeline alone may take seconds. */
static void
wait_for_digits (GString *digits,
                 gsize    n)
{
  gint64 deadline = g_get_monotonic_time () +
                    4 * TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (digits->len < n)
    {
      ck_assert_msg (g_get_monotonic_time () < deadline,
                     "Only \"%s\" of %" G_GSIZE_FORMAT " digits came",
                     digits->str, n);
      tapi_test_iterate ();
    }
}

/* With every core busy, each digit still arrives once: the tones are
 * counted in samples, so a late buffer delays a tone but cannot cut a
 * hole into it that would split it in two. */
START_TEST (test_in_band_digits_under_load)
{
  static const char *rounds[] = { "159#", "1133", "*0D7" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "echo");
  GString *digits = tapi_test_watch_digits (call);
  CpuHog hog;

  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);

  hog_start (&hog);
  for (guint i = 0; i < G_N_ELEMENTS (rounds); i++)
    {
      g_string_truncate (digits, 0);
      ck_assert (tapi_call_media_control_generate_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                          rounds[i], TAPI_DIGIT_MODE_DTMF,
                                                          &error));
      tapi_test_assert_no_error (&error);
      wait_for_digits (digits, strlen (rounds[i]));
      tapi_test_spin (500);
      ck_assert_str_eq (digits->str, rounds[i]);
    }
  hog_stop (&hog);
}
END_TEST

static Suite *
media_events_suite (void)
{
  Suite *suite = suite_create ("media-events");
  TCase *tc = tcase_create ("timeout");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_media_timeout_and_recovery);
  tcase_add_test (tc, test_remote_hold);
  tcase_add_test (tc, test_modem_answer_tone_detected);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("in-band");
  tcase_add_checked_fixture (tc, setup_in_band, teardown);
  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_in_band_digits);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("in-band-load");
  tcase_add_checked_fixture (tc, setup_in_band, teardown);
  tcase_set_timeout (tc, 90);
  tcase_add_test (tc, test_in_band_digits_under_load);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (media_events_suite ());
}
