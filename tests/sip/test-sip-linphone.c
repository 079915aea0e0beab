/* test-sip-linphone.c: the SIP provider and linphonec
 *
 * linphonec runs with its own home and configuration in the test's
 * directory, on 127.0.0.1 only (no IPv6, no STUN), with its "file"
 * soundcard: it sends a WAV file of a known tone and records what it
 * hears. Our recording of each call must hold linphone's tone, and
 * linphone's recording ours: media flows both ways.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"

#define LINPHONE_FREQUENCY 800.0
#define OUR_FREQUENCY      1000.0

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

/* A WAV file of @seconds of a sine of @frequency, 8 kHz mono */
static char *
write_tone (const char *name,
            double      frequency,
            guint       seconds)
{
  char *path = tapi_sip_test_path (name);

  tapi_test_audio_write_tone_wav (path, frequency, seconds, 8000, 0.5);
  return path;
}

/* linphone's recording holds @frequency in its middle. linphone leaves
 * the sizes in its WAV header a few bytes off, so only its samples are
 * read: 16-bit mono at 8 kHz after the 44 bytes of the header. */
static void
assert_linphone_heard (const char *path,
                       double      frequency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (length > 44 && memcmp (contents + 36, "data", 4) == 0,
                 "%s is not a WAV file of linphone's", path);
  audio = tapi_test_audio_new_from_s16 (contents + 44, (length - 44) & ~1, 8000);
  ck_assert_msg (tapi_test_audio_duration (audio) > 2.0,
                 "linphone recorded %.2f s only", tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, 1.0, tapi_test_audio_duration (audio) - 0.5,
                                  frequency);
}

/* Starts linphonec on 127.0.0.1:@port, in a home of its own, answering
 * calls by itself when @auto_answer, sending @wav and recording to
 * @recording. */
static TapiSipTestPeer *
start_linphone (guint       port,
                gboolean    auto_answer,
                const char *wav,
                const char *recording)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = tapi_sip_test_path ("linphone-home");
  g_autofree char *rc = g_build_filename (home, "linphonerc", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", "linphone", NULL);
  g_autofree char *home_env = g_strdup_printf ("HOME=%s", home);
  g_autofree char *config = NULL;
  g_autofree char *line = NULL;
  guint rtp_port = tapi_sip_test_free_port ();
  const char *argv[] = {
    "/usr/bin/env", home_env, LINPHONEC_PATH, "-c", rc, "-d", "6",
    auto_answer ? "-a" : NULL, NULL,
  };
  TapiSipTestPeer *peer;

  /* Without a directory for its database, linphone's core never leaves
   * its start-up: it opens no SIP port at all. */
  g_mkdir_with_parents (data, 0700);
  config = g_strdup_printf ("[sip]\n"
                            "sip_port=%u\n"
                            "sip_tcp_port=-1\n"
                            "sip_tls_port=-1\n"
                            "use_ipv6=0\n"
                            /* else the first start turns IPv6 on */
                            "ipv6_migration_done=1\n"
                            "register_only_when_network_is_up=0\n"
                            "[rtp]\n"
                            "audio_rtp_port=%u\n"
                            "audio_adaptive_jitt_comp_enabled=0\n"
                            "[net]\n"
                            "firewall_policy=0\n"
                            "stun_server=\n"
                            "mtu=0\n"
                            "[video]\n"
                            "automatically_initiate=0\n"
                            "automatically_accept=0\n"
                            "[sound]\n"
                            "echocancellation=0\n"
                            "play_file=%s\n"
                            "record_file=%s\n",
                            port, rtp_port, wav, recording);
  g_file_set_contents (rc, config, -1, &error);
  tapi_test_assert_no_error (&error);

  peer = tapi_sip_test_spawn ("linphonec", argv);
  tapi_sip_test_peer_wait_log (peer, "Creating listening point");
  tapi_sip_test_peer_write (peer, "soundcard use files\n");
  line = g_strdup_printf ("play %s\n", wav);
  tapi_sip_test_peer_write (peer, line);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("record %s\n", recording);
  tapi_sip_test_peer_write (peer, line);
  return peer;
}

static void
talk_and_check (TapiCall        *call,
                TapiSipTestPeer *linphone,
                const char      *recording,
                const char      *theirs)
{
  tapi_sip_test_wait_media_event (call,
                                  tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (3000);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert_msg (!tapi_sip_test_peer_exited (linphone), "linphonec exited during the call");
  tapi_test_hang_up (call);
  /* linphone's tone, not ours */
  tapi_sip_test_assert_tone (recording, LINPHONE_FREQUENCY, OUR_FREQUENCY);
  /* and linphone heard ours, once it closed its recording */
  tapi_sip_test_peer_wait_log (linphone, "ended (");
  assert_linphone_heard (theirs, OUR_FREQUENCY);
}

START_TEST (test_call_linphone)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY, 30);
  g_autofree char *theirs = tapi_sip_test_path ("linphone-heard.wav");
  g_autofree char *uri = NULL;
  g_autofree char *recording = NULL;
  guint port = tapi_sip_test_free_port ();
  TapiSipTestPeer *linphone;

  linphone = start_linphone (port, TRUE, wav, theirs);
  app = tapi_sip_test_start_direct ("alice", "PCMU;PCMA", NULL);

  uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
  recording = tapi_sip_test_select_recorder (app, "alice", call, "from-linphone.wav");

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS, TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED, TAPI_CALL_STATE_CAUSE_NONE);
  talk_and_check (call, linphone, recording, theirs);
}
END_TEST

START_TEST (test_linphone_calls)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY, 30);
  g_autofree char *theirs = tapi_sip_test_path ("linphone-heard.wav");
  g_autofree char *line = NULL;
  g_autofree char *recording = NULL;
  TapiCallNotificationEvent event;
  TapiSipTestPeer *linphone;
  TapiCall *call;
  guint our_port;

  app = tapi_sip_test_start_direct ("alice", "PCMU;PCMA", &our_port);
  linphone = start_linphone (tapi_sip_test_free_port (), FALSE, wav, theirs);
  line = g_strdup_printf ("call sip:alice@127.0.0.1:%u\n", our_port);
  tapi_sip_test_peer_write (linphone, line);

  call = tapi_test_next_notification (app, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_state (call, TAPI_CALL_STATE_OFFERING);
  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_INBOUND);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
  recording = tapi_sip_test_select_recorder (app, "alice", call, "from-linphone.wav");

  tapi_test_await (call, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  talk_and_check (call, linphone, recording, theirs);
}
END_TEST

static Suite *
sip_linphone_suite (void)
{
  Suite *suite = suite_create ("sip-linphone");
  TCase *tcase = tcase_create ("media");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 60);
  tcase_add_test (tcase, test_call_linphone);
  tcase_add_test (tcase, test_linphone_calls);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_linphone_suite ());
}
