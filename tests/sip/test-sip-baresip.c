/* test-sip-baresip.c: the SIP provider calling baresip
 *
 * baresip answers by itself and sends a sine from its ausine module; the
 * recording of our call must hold that sine, and our own tone must not
 * come back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"

#define BARESIP_FREQUENCY 600.0
#define OUR_FREQUENCY     1000.0

static TapiTapi *app;

static void
setup (void)
{
  tapi_sip_test_setup ();
}

static void
teardown (void)
{
  tapi_sip_test_teardown ();
  app = NULL;
}

static void
call_baresip (const char *codecs,
              const char *codec)
{
  g_autofree char *encoder = g_strdup_printf ("audio encoder: %s", codec);
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *recording = NULL;
  guint port = tapi_sip_test_free_port ();
  TapiSipTestPeer *baresip;

  baresip = tapi_sip_test_baresip ("bob", port, (guint) BARESIP_FREQUENCY);
  app = tapi_sip_test_start_direct ("alice", codecs, NULL);

  uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
  recording = tapi_sip_test_select_recorder (app, "alice", call, "baresip.wav");

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS, TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED, TAPI_CALL_STATE_CAUSE_NONE);
  tapi_sip_test_wait_media_event (call,
                                  tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (2000);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert_msg (!tapi_sip_test_peer_exited (baresip), "baresip exited during the call");

  tapi_test_hang_up (call);

  /* baresip's sine, not our tone */
  tapi_sip_test_assert_tone (recording, BARESIP_FREQUENCY, OUR_FREQUENCY);
  /* baresip used the codec we preferred, and is still there */
  tapi_sip_test_peer_wait_log (baresip, encoder);
  tapi_test_spin (200);
  ck_assert_msg (!tapi_sip_test_peer_exited (baresip), "baresip exited after the call");
}

START_TEST (test_call_baresip_pcmu)
{
  call_baresip ("PCMU;PCMA", "PCMU");
}
END_TEST

START_TEST (test_call_baresip_pcma)
{
  call_baresip ("PCMA;PCMU", "PCMA");
}
END_TEST

static Suite *
sip_baresip_suite (void)
{
  Suite *suite = suite_create ("sip-baresip");
  TCase *tcase = tcase_create ("media");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 40);
  tcase_add_test (tcase, test_call_baresip_pcmu);
  tcase_add_test (tcase, test_call_baresip_pcma);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_baresip_suite ());
}
