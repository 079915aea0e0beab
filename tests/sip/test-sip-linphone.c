/* test-sip-linphone.c: the SIP provider and linphonec
 *
 * linphonec runs with its own home and configuration in the test's
 * directory, bound to one loopback address (127.0.0.1, or ::1 with an
 * account bound to [::1]; no STUN), with its "file" soundcard: it sends
 * a WAV file of a known tone and records what it hears. Our recording
 * of each call must hold linphone's tone, and linphone's recording
 * ours: media flows both ways. With media_encryption=srtp, linphone
 * offers and answers SRTP with SDES keys only.
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

/* The loopback address of each family: the loop tests run once on each. */
static const char *hosts[] = { "127.0.0.1", "::1" };

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
  audio = tapi_test_audio_new_from_s16 (contents + 44, (length - 44) & ~1,
                                        8000);
  ck_assert_msg (tapi_test_audio_duration (audio) > 2.0,
                 "linphone recorded %.2f s only",
                 tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, 1.0,
                                  tapi_test_audio_duration (audio) - 0.5,
                                  frequency);
}

/* "127.0.0.1", or "[::1]" for "::1": the host part of a SIP URI */
static char *
uri_host (const char *host)
{
  return strchr (host, ':') ? g_strdup_printf ("[%s]", host) : g_strdup (host);
}

/* Starts linphonec on @host:@port, its RTP bound to @media_host, in a
 * home of its own, answering calls by itself when @auto_answer, sending
 * @wav and recording to @recording, with SRTP (mandatory) if @srtp. */
static TapiSipTestPeer *
start_linphone_with (const char *host,
                     const char *media_host,
                     guint       port,
                     gboolean    auto_answer,
                     const char *wav,
                     const char *recording,
                     gboolean    srtp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = tapi_sip_test_path ("linphone-home");
  g_autofree char *rc = g_build_filename (home, "linphonerc", NULL);
  g_autofree char *data = g_build_filename (home, ".local", "share", "linphone",
                                            NULL);
  g_autofree char *home_env = g_strdup_printf ("HOME=%s", home);
  g_autofree char *config = NULL;
  g_autofree char *line = NULL;
  guint rtp_port = tapi_sip_test_free_port_on (media_host);
  const char *argv[] = {
    "/usr/bin/env", home_env, LINPHONEC_PATH, "-c", rc, "-d", "6",
    auto_answer ? "-a" : NULL, NULL,
  };
  TapiSipTestPeer *peer;

  /* Without a directory for its database, linphone's core never leaves
   * its start-up: it opens no SIP port at all. */
  g_mkdir_with_parents (data, 0700);
  config =
    g_strdup_printf ("[sip]\n"
                     "sip_port=%u\n"
                     "sip_tcp_port=-1\n"
                     "sip_tls_port=-1\n"
                     "use_ipv6=%d\n"
                     /* else the first start turns IPv6 on */
                     "ipv6_migration_done=1\n"
                     "bind_address=%s\n"
                     "register_only_when_network_is_up=0\n"
                     "%s"
                     "[rtp]\n"
                     "audio_rtp_port=%u\n"
                     "bind_address=%s\n"
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
                     port, strchr (host, ':') || strchr (media_host, ':'), host,
                     srtp
                       ? "media_encryption=srtp\nmedia_encryption_mandatory=1\n"
                       : "",
                     rtp_port, media_host, wav, recording);
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

static TapiSipTestPeer *
start_linphone (const char *host,
                const char *media_host,
                guint       port,
                gboolean    auto_answer,
                const char *wav,
                const char *recording)
{
  return start_linphone_with (host, media_host, port, auto_answer, wav,
                              recording, FALSE);
}

/* Talks for a while on @call, linphone's call number @number, hangs up
 * and checks both recordings. */
static void
talk_and_check (TapiCall        *call,
                TapiSipTestPeer *linphone,
                guint            number,
                const char      *recording,
                const char      *theirs)
{
  tapi_sip_test_wait_media_event (call,
                                  tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (3000);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert_msg (!tapi_sip_test_peer_exited (linphone),
                 "linphonec exited during the call");
  tapi_test_hang_up (call);
  /* linphone's tone, not ours */
  tapi_sip_test_assert_tone (recording, LINPHONE_FREQUENCY, OUR_FREQUENCY);
  /* and linphone heard ours, once it closed its recording */
  tapi_sip_test_peer_wait_log_count (linphone, "ended (", number);
  assert_linphone_heard (theirs, OUR_FREQUENCY);
}

/* We call linphone on @address, which answers; with @srtp, the account
 * has srtp=mandatory and linphone SRTP too. With @hold, the call is held
 * and resumed before the talk: each re-INVITE has new keys. */
static void
call_linphone (const char *address,
               gboolean    srtp,
               gboolean    hold)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY,
                                     30);
  g_autofree char *theirs = tapi_sip_test_path ("linphone-heard.wav");
  g_autofree char *host = uri_host (address);
  g_autofree char *uri = NULL;
  g_autofree char *recording = NULL;
  guint port = tapi_sip_test_free_port_on (address);
  TapiSipTestPeer *linphone;

  linphone = start_linphone_with (address, address, port, TRUE, wav, theirs,
                                  srtp);
  app = tapi_sip_test_start_direct_with (address, "alice", "PCMU;PCMA",
                                         srtp ? "srtp=mandatory\n" : NULL,
                                         NULL);

  uri = g_strdup_printf ("sip:bob@%s:%u", host, port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
  recording = tapi_sip_test_select_recorder (app, "alice", call,
                                             "from-linphone.wav");

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_states (call, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  ck_assert_int_eq (tapi_call_get_media_encrypted (call), srtp);
  if (srtp)
    tapi_sip_test_peer_wait_log (linphone, "RTP/SAVP");
  if (hold)
    {
      tapi_test_spin (500);
      ck_assert (tapi_test_await (call, hold, TRUE, &error));
      tapi_test_assert_no_error (&error);
      tapi_sip_test_peer_wait_log (linphone, "a=sendonly");
      tapi_test_spin (500);
      ck_assert (tapi_test_await (call, hold, FALSE, &error));
      tapi_test_assert_no_error (&error);
      tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
      ck_assert_int_eq (tapi_call_get_media_encrypted (call), srtp);
    }
  talk_and_check (call, linphone, 1, recording, theirs);
}

/* We call linphone, on each family: it answers. */
START_TEST (test_call_linphone)
{
  call_linphone (hosts[_i], FALSE, FALSE);
}
END_TEST

/* linphone calls the account on @host @n_calls times, one call after
 * the other: each call is offered to the application that registered
 * as owner, which answers it, and carries media both ways. */
static void
answer_linphone_calls (const char *host,
                       guint       n_calls)
{
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY,
                                     30);
  g_autofree char *first_heard = tapi_sip_test_path ("linphone-heard-1.wav");
  g_autofree char *our_host = uri_host (host);
  TapiSipTestPeer *linphone;
  guint our_port;

  app = tapi_sip_test_start_direct_on (host, "alice", "PCMU;PCMA", &our_port);
  linphone = start_linphone (host, host, tapi_sip_test_free_port_on (host), FALSE, wav,
                             first_heard);

  for (guint number = 1; number <= n_calls; number++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("linphone-heard-%u.wav", number);
      g_autofree char *theirs = tapi_sip_test_path (name);
      g_autofree char *ours = g_strdup_printf ("from-linphone-%u.wav", number);
      g_autofree char *line = NULL;
      g_autofree char *recording = NULL;
      TapiCallNotificationEvent event;
      TapiCall *call;

      line = g_strdup_printf ("record %s\n", theirs);
      tapi_sip_test_peer_write (linphone, line);
      g_clear_pointer (&line, g_free);
      line = g_strdup_printf ("call sip:alice@%s:%u\n", our_host, our_port);
      tapi_sip_test_peer_write (linphone, line);

      tapi_sip_test_wait_for (tapi_test_notification_count (app) >= number);
      call = tapi_test_next_notification (app, &event);
      ck_assert_msg (event == TAPI_CALL_NOTIFICATION_EVENT_OWNER,
                     "call %u of linphone was not offered to the owner",
                     number);
      tapi_test_assert_state (call, TAPI_CALL_STATE_OFFERING);
      ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_INBOUND);
      tapi_test_watch_media (call);
      tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
      recording = tapi_sip_test_select_recorder (app, "alice", call, ours);

      tapi_test_await (call, answer, &error);
      tapi_test_assert_no_error (&error);
      tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
      talk_and_check (call, linphone, number, recording, theirs);
      ck_assert_uint_eq (tapi_test_notification_count (app), number);
    }
}

/* linphone calls us, on each family. */
START_TEST (test_linphone_calls)
{
  answer_linphone_calls (hosts[_i], 1);
}
END_TEST

/* linphone calls us again and again: every call is offered. */
START_TEST (test_linphone_calls_again)
{
  answer_linphone_calls ("127.0.0.1", 3);
}
END_TEST

/* linphone's SIP on one family and its media on the other: the account,
 * of the SIP's family, cannot send to the media. */

/* The connection line of linphone's SDP when its media is on @host */
static const char *
linphone_connection (const char *host)
{
  return strchr (host, ':') ? "c=IN IP6 ::1" : "c=IN IP4 127.0.0.1";
}

/* We call linphone; its answer is unusable: the call fails with a
 * cause, and linphone gets our BYE. */
START_TEST (test_mixed_call_linphone)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY,
                                     30);
  g_autofree char *theirs = tapi_sip_test_path ("linphone-heard.wav");
  g_autofree char *host = uri_host (hosts[_i]);
  g_autofree char *uri = NULL;
  guint port = tapi_sip_test_free_port_on (hosts[_i]);
  TapiSipTestPeer *linphone;

  linphone = start_linphone (hosts[_i], hosts[1 - _i], port, TRUE, wav, theirs);
  app = tapi_sip_test_start_direct_on (hosts[_i], "alice", "PCMU;PCMA", NULL);

  uri = g_strdup_printf ("sip:bob@%s:%u", host, port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  ck_assert (!tapi_test_await (call, connect, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_FAILED);
  tapi_test_assert_states (call, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
  tapi_sip_test_peer_wait_log (linphone, linphone_connection (hosts[1 - _i]));
  tapi_sip_test_peer_wait_log (linphone, "ended (");
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
}
END_TEST

/* linphone calls us with an offer we cannot take: 488, and no call is
 * offered. */
START_TEST (test_mixed_linphone_calls)
{
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY,
                                     30);
  g_autofree char *theirs = tapi_sip_test_path ("linphone-heard.wav");
  g_autofree char *our_host = uri_host (hosts[_i]);
  g_autofree char *line = NULL;
  TapiSipTestPeer *linphone;
  guint our_port;

  app = tapi_sip_test_start_direct_on (hosts[_i], "alice", "PCMU;PCMA",
                                       &our_port);
  linphone = start_linphone (hosts[_i], hosts[1 - _i],
                             tapi_sip_test_free_port_on (hosts[_i]), FALSE, wav,
                             theirs);
  line = g_strdup_printf ("call sip:alice@%s:%u\n", our_host, our_port);
  tapi_sip_test_peer_write (linphone, line);

  tapi_sip_test_peer_wait_log (linphone, linphone_connection (hosts[1 - _i]));
  tapi_sip_test_peer_wait_log (linphone, "SIP/2.0 488 Not Acceptable Here");
  tapi_sip_test_peer_wait_log (linphone, " error.");
  tapi_test_spin (200);
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
}
END_TEST

/* We call linphone with srtp=mandatory (RTP/SAVP): it answers with its
 * key, and media flows both ways encrypted. */
START_TEST (test_srtp_call_linphone)
{
  call_linphone ("127.0.0.1", TRUE, FALSE);
}
END_TEST

/* Held and resumed, with new keys each time, the SRTP media flows both
 * ways again. */
START_TEST (test_srtp_hold_linphone)
{
  call_linphone ("127.0.0.1", TRUE, TRUE);
}
END_TEST

/* linphone calls an account with srtp=optional with its SRTP offer: the
 * answer takes it, and media flows both ways encrypted. */
START_TEST (test_srtp_linphone_calls)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = write_tone ("linphone-tone.wav", LINPHONE_FREQUENCY,
                                     30);
  g_autofree char *theirs = tapi_sip_test_path ("linphone-heard.wav");
  g_autofree char *line = NULL;
  g_autofree char *recording = NULL;
  TapiSipTestPeer *linphone;
  TapiCall *call;
  guint our_port;

  app = tapi_sip_test_start_direct_with ("127.0.0.1", "alice", "PCMU;PCMA",
                                         "srtp=optional\n", &our_port);
  linphone = start_linphone_with ("127.0.0.1", "127.0.0.1",
                                  tapi_sip_test_free_port (), FALSE, wav,
                                  theirs, TRUE);
  line = g_strdup_printf ("call sip:alice@127.0.0.1:%u\n", our_port);
  tapi_sip_test_peer_write (linphone, line);

  tapi_sip_test_wait_for (tapi_test_notification_count (app) >= 1);
  call = tapi_test_next_notification (app, NULL);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, OUR_FREQUENCY);
  recording = tapi_sip_test_select_recorder (app, "alice", call,
                                             "from-linphone.wav");
  tapi_test_await (call, answer, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_get_media_encrypted (call));
  talk_and_check (call, linphone, 1, recording, theirs);
}
END_TEST

static Suite *
sip_linphone_suite (void)
{
  Suite *suite = suite_create ("sip-linphone");
  TCase *tcase = tcase_create ("media");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 150);
  tcase_add_loop_test (tcase, test_call_linphone, 0, G_N_ELEMENTS (hosts));
  tcase_add_loop_test (tcase, test_linphone_calls, 0, G_N_ELEMENTS (hosts));
  tcase_add_test (tcase, test_linphone_calls_again);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("srtp");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 150);
  tcase_add_test (tcase, test_srtp_call_linphone);
  tcase_add_test (tcase, test_srtp_linphone_calls);
  tcase_add_test (tcase, test_srtp_hold_linphone);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("mixed-family");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 60);
  tcase_add_loop_test (tcase, test_mixed_call_linphone, 0,
                       G_N_ELEMENTS (hosts));
  tcase_add_loop_test (tcase, test_mixed_linphone_calls, 0,
                       G_N_ELEMENTS (hosts));
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_linphone_suite ());
}
