/* test-sip-baresip.c: the SIP provider calling baresip
 *
 * baresip answers by itself and sends a sine from its ausine module; the
 * recording of our call must hold that sine, and our own tone must not
 * come back. The wire is watched too: plain RTP carries our tone as it
 * is, SRTP (SDES, with baresip's srtp module) does not.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"
#include "tapi-test-capture.h"

#define BARESIP_FREQUENCY 600.0
/* A tone no other test sends: the wire is shared with whatever else runs
 * on the machine. */
#define OUR_FREQUENCY     1330.0

/* 20 ms frames of the call's two seconds that the wire must have seen. */
#define MIN_PACKETS 50

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

/* @srtp: the account's srtp=; @mediaenc: baresip's (NULL: none). */
static void
call_baresip_with (const char *codecs,
                   const char *codec,
                   const char *srtp,
                   const char *mediaenc,
                   gboolean    encrypted)
{
  g_autofree char *encoder = g_strdup_printf ("audio encoder: %s", codec);
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *recording = NULL;
  g_autofree char *extra = g_strdup_printf ("srtp=%s\n", srtp);
  guint port = tapi_sip_test_free_port ();
  TapiSipTestPeer *baresip;
  TapiTestCapture *capture;
  TapiTestCaptureResult wire;

  baresip = tapi_sip_test_baresip_with ("bob", port, (guint) BARESIP_FREQUENCY,
                                        mediaenc);
  app = tapi_sip_test_start_direct_with ("127.0.0.1", "alice", codecs, extra,
                                         NULL);

  uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
  recording = tapi_sip_test_select_recorder (app, "alice", call, "baresip.wav");

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_states (call, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  tapi_sip_test_wait_media_event (call,
                                  tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  ck_assert_int_eq (tapi_call_get_media_encrypted (call), encrypted);
  /* What we send to baresip's RTP ports */
  capture = tapi_test_capture_start (OUR_FREQUENCY, port + 100, port + 199);
  tapi_test_spin (2000);
  tapi_test_capture_stop (capture, &wire);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert_msg (!tapi_sip_test_peer_exited (baresip),
                 "baresip exited during the call");

  tapi_test_hang_up (call);

  /* baresip's sine, not our tone */
  tapi_sip_test_assert_tone (recording, BARESIP_FREQUENCY, OUR_FREQUENCY);
  /* baresip used the codec we preferred, and is still there */
  tapi_sip_test_peer_wait_log (baresip, encoder);
  tapi_test_spin (200);
  ck_assert_msg (!tapi_sip_test_peer_exited (baresip),
                 "baresip exited after the call");

  /* Our tone on the wire: in every frame of plain RTP, in none of SRTP
   * (G.711 only: the capture decodes PCMU). */
  if (g_str_equal (codec, "PCMU"))
    {
      ck_assert_msg (wire.rtp_packets >= MIN_PACKETS,
                     "the wire had %u PCMU frames", wire.rtp_packets);
      if (encrypted)
        ck_assert_msg (wire.tone_packets == 0,
                       "SRTP: %u of %u frames carry our tone in clear",
                       wire.tone_packets, wire.rtp_packets);
      else
        ck_assert_msg (wire.tone_packets >= MIN_PACKETS,
                       "RTP: %u of %u frames carry our tone", wire.tone_packets,
                       wire.rtp_packets);
    }
}

static void
call_baresip (const char *codecs,
              const char *codec)
{
  call_baresip_with (codecs, codec, "off", NULL, FALSE);
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

/* SDES with a=crypto in an RTP/AVP offer (srtp=optional) and RTP/SAVP
 * (srtp=mandatory), both of baresip's kinds, each of the two suites. */
START_TEST (test_srtp_optional)
{
  call_baresip_with ("PCMU", "PCMU", "optional", "srtp", TRUE);
}
END_TEST

START_TEST (test_srtp_mandatory)
{
  call_baresip_with ("PCMU", "PCMU", "mandatory", "srtp-mand", TRUE);
}
END_TEST

/* An account with srtp=optional still calls a peer without SRTP. */
START_TEST (test_srtp_optional_plain_peer)
{
  call_baresip_with ("PCMU", "PCMU", "optional", NULL, FALSE);
}
END_TEST

/* srtp=mandatory and a peer without SRTP: the call fails, and nothing is
 * sent in clear. */
START_TEST (test_srtp_mismatch)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  guint port = tapi_sip_test_free_port ();
  TapiSipTestPeer *baresip;

  baresip = tapi_sip_test_baresip_with ("bob", port, (guint) BARESIP_FREQUENCY,
                                        NULL);
  app = tapi_sip_test_start_direct_with ("127.0.0.1", "alice", "PCMU",
                                         "srtp=mandatory\n", NULL);
  uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  ck_assert (!tapi_test_await (call, connect, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_FAILED);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
  ck_assert (!tapi_call_get_media_encrypted (call));
  ck_assert_msg (!tapi_sip_test_peer_exited (baresip), "baresip exited");
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

  tcase = tcase_create ("srtp");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 40);
  tcase_add_test (tcase, test_srtp_optional);
  tcase_add_test (tcase, test_srtp_mandatory);
  tcase_add_test (tcase, test_srtp_optional_plain_peer);
  tcase_add_test (tcase, test_srtp_mismatch);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_baresip_suite ());
}
