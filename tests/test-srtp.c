/* test-srtp.c: SRTP between extensions of the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-test-audio.h"
#include "tapi-test-capture.h"
#include "tapi-test-helper.h"

#define TONE_HZ   1330.0
#define SETTLE_S  0.3

/* Enough 20 ms frames for the wire to have seen the call's audio. */
#define MIN_PACKETS 50

#define capture_of(call) tapi_test_stream ((call), TAPI_TERMINAL_DIRECTION_CAPTURE)
#define render_of(call) tapi_test_stream ((call), TAPI_TERMINAL_DIRECTION_RENDER)

static TapiTapi *a;
static TapiTapi *b;
static TapiTapi *c;
static char *tmp_dir;

static void
start (gboolean srtp)
{
  g_autoptr(GError) error = NULL;

  tmp_dir = g_dir_make_tmp ("tapi-srtp-XXXXXX", &error);
  tapi_test_assert_no_error (&error);
  tapi_test_set_sim_config (srtp ? "[pbx]\ncodecs=PCMU\nsrtp=true\n" :
                                   "[pbx]\ncodecs=PCMU\nsrtp=false\n");
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

static TapiTerminal *
new_recorder (TapiTapi   *app,
              const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  return tapi_test_new_recorder (app, "101", path);
}

/* Lets @call's render stream (of a call watched with
 * tapi_test_watch_media()) record into @recorder for @milliseconds, then
 * stops it and checks that the recording holds the tone. */
static void
record_tone (TapiCall     *call,
             TapiTerminal *recorder,
             guint         milliseconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTestAudio) audio = NULL;
  guint mark = tapi_test_media_mark (call);

  tapi_test_select_terminal (render_of (call), recorder);
  tapi_test_wait_media_event (call, render_of (call),
                              TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE, mark);
  tapi_test_spin (milliseconds);
  ck_assert (tapi_stream_stop (render_of (call), &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_stream_unselect_terminal (render_of (call), recorder, &error));
  tapi_test_assert_no_error (&error);
  audio = tapi_test_load_recording (tapi_file_recording_terminal_get_file_name (TAPI_FILE_RECORDING_TERMINAL (recorder)));
  ck_assert_msg (tapi_test_audio_duration (audio) >=
                   milliseconds / 1000.0 * 0.8,
                 "the recording lasts %.2f s",
                 tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, SETTLE_S, -1, TONE_HZ);
}

/* A calls B with a tone; B records it while the wire is watched. */
static TapiCall *
call_with_tone (TapiCall              **b_call,
                TapiTestCaptureResult  *wire)
{
  g_autoptr(TapiTerminal) tone = tapi_test_new_tone (a, "100", TONE_HZ);
  g_autoptr(TapiTerminal) recorder = new_recorder (b, "b.wav");
  TapiTestCapture *capture;
  TapiCall *call;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", b_call);
  tapi_test_select_terminal (capture_of (call), tone);
  tapi_test_watch_media (*b_call);

  /* The broker's media ports are not known here; the tone's frequency is
   * one no other test uses. */
  capture = tapi_test_capture_start (TONE_HZ, 1, 65535);
  record_tone (*b_call, recorder, 1500);
  tapi_test_capture_stop (capture, wire);
  return call;
}

/* The control: plain RTP carries the tone as it is. */
START_TEST (test_plain_on_the_wire)
{
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;
  TapiTestCaptureResult wire;

  start (FALSE);
  call = call_with_tone (&b_call, &wire);
  ck_assert (!tapi_call_get_media_encrypted (call));
  ck_assert (!tapi_call_get_media_encrypted (b_call));
  ck_assert_msg (wire.rtp_packets >= MIN_PACKETS &&
                   wire.tone_packets >= MIN_PACKETS,
                 "plain RTP: %u PCMU packets, %u of them the tone",
                 wire.rtp_packets, wire.tone_packets);
}
END_TEST

/* SRTP: the calls say so, B hears the tone, the wire does not carry it;
 * C, a monitor, sees the call encrypted too and gets the media (and the
 * keys) when B hands the call off to it. */
START_TEST (test_srtp_handoff)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) c_recorder = NULL;
  TapiCallNotificationEvent event;
  TapiCall *b_call = NULL;
  TapiCall *c_call;
  TapiTestCaptureResult wire;

  start (TRUE);
  call = call_with_tone (&b_call, &wire);
  ck_assert (tapi_call_get_media_encrypted (call));
  ck_assert (tapi_call_get_media_encrypted (b_call));
  ck_assert_msg (wire.rtp_packets >= MIN_PACKETS && wire.tone_packets == 0,
                 "SRTP: %u PCMU packets, %u of them the tone in clear",
                 wire.rtp_packets, wire.tone_packets);

  c_call = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  ck_assert (tapi_call_get_media_encrypted (c_call));

  ck_assert (tapi_test_await (b_call, handoff_direct, TAPI_TEST_APP_C, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_privilege (c_call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert (tapi_call_get_media_encrypted (c_call));
  c_recorder = new_recorder (c, "c.wav");
  tapi_test_watch_media (c_call);
  record_tone (c_call, c_recorder, 1500);
}
END_TEST

/* Hold and resume keep the media encrypted, and it carries the tone
 * again afterwards. */
START_TEST (test_srtp_hold_resume)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiTerminal) recorder = NULL;
  TapiCall *b_call = NULL;
  TapiTestCaptureResult wire;

  start (TRUE);
  call = call_with_tone (&b_call, &wire);
  ck_assert (tapi_test_await (b_call, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_HOLD);
  ck_assert (tapi_test_await (b_call, hold, FALSE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (tapi_call_get_media_encrypted (b_call));
  recorder = new_recorder (b, "b-resumed.wav");
  record_tone (b_call, recorder, 1500);
}
END_TEST

static Suite *
srtp_suite (void)
{
  Suite *suite = suite_create ("srtp");
  TCase *tc;

  tc = tcase_create ("sim");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_plain_on_the_wire);
  tcase_add_test (tc, test_srtp_handoff);
  tcase_add_test (tc, test_srtp_hold_resume);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (srtp_suite ());
}
