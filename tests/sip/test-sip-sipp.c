/* test-sip-sipp.c: the SIP provider against sipp scenarios
 *
 * Each test configures one account, "alice", in direct mode (or with a
 * sipp registrar), runs one or two sipp scenarios from this directory on
 * 127.0.0.1 and checks both sides: the states, causes, events and media
 * of libtapi3, and sipp's exit status, which says that every message it
 * expected came and held what its scenario checks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"

static TapiTapi *app;
static guint our_port;

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
  our_port = 0;
}

/* Configures alice in direct mode and starts the application, which owns
 * her incoming calls. */
static void
start_alice (const char *codecs)
{
  app = tapi_sip_test_start_direct ("alice", codecs, &our_port);
}

static char *
sipp_uri (const char *user,
          guint       port)
{
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", user, port);
}

/* A call from alice to a sipp UAS, CONNECTED. */
static TapiCall *
connected_call (guint sipp_port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = sipp_uri ("service", sipp_port);
  TapiCall *call = tapi_sip_test_create_call (app, "alice", uri);

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  return call;
}

/* The address */

START_TEST (test_address)
{
  g_autofree char *uri = NULL;
  TapiAddress *address;
  TapiCallFeatures features;
  const TapiCallFeatures needed =
    TAPI_CALL_FEATURES_CONNECT | TAPI_CALL_FEATURES_ANSWER |
    TAPI_CALL_FEATURES_DISCONNECT | TAPI_CALL_FEATURES_HOLD |
    TAPI_CALL_FEATURES_BLIND_TRANSFER | TAPI_CALL_FEATURES_TRANSFER |
    TAPI_CALL_FEATURES_GENERATE_DIGITS | TAPI_CALL_FEATURES_DETECT_DIGITS;
  const TapiCallFeatures unsupported = TAPI_CALL_FEATURES_CONFERENCE |
                                       TAPI_CALL_FEATURES_PARK |
                                       TAPI_CALL_FEATURES_UNPARK |
                                       TAPI_CALL_FEATURES_PICKUP;

  start_alice (NULL);
  uri = sipp_uri ("alice", our_port);
  address = tapi_test_address (app, "alice");

  ck_assert_str_eq (tapi_address_get_name (address), "alice");
  ck_assert_str_eq (tapi_address_get_provider_name (address), "sip");
  ck_assert_str_eq (tapi_address_get_dialable_address (address), uri);
  ck_assert_ptr_eq (tapi_tapi_find_address (app, uri), address);
  ck_assert_msg (tapi_address_get_media_types (address) & TAPI_MEDIA_TYPE_AUDIO,
                 "alice does not do audio");
  /* Direct mode: nothing to register, in service at once */
  tapi_sip_test_wait_address_state (address, TAPI_ADDRESS_STATE_IN_SERVICE);

  features = tapi_address_get_call_features (address);
  ck_assert_msg ((features & needed) == needed,
                 "alice's call features 0x%x lack 0x%x", features,
                 needed & ~features);
  ck_assert_msg ((features & unsupported) == 0,
                 "alice's call features 0x%x claim 0x%x, which SIP does not do",
                 features, features & unsupported);
}
END_TEST

START_TEST (test_bad_destination)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address;

  start_alice (NULL);
  address = tapi_test_address (app, "alice");
  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "", "sip:", "sip:bob@" };
      g_autoptr(TapiCall) call =
        tapi_address_create_call (address, bad[i],
                                  TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                  TAPI_MEDIA_TYPE_AUDIO, &error);

      ck_assert_msg (call == NULL, "create_call (\"%s\") made a call", bad[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
    }
}
END_TEST

/* Outgoing calls */

START_TEST (test_outgoing_media_echo)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *recording = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;

  sipp = tapi_sip_test_sipp ("uas-answer.xml", sipp_port, 0, "-rtp_echo", NULL);
  start_alice ("PCMU;PCMA");

  uri = sipp_uri ("service", sipp_port);
  call = tapi_sip_test_create_call (app, "alice", uri);
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, 1000.0);
  recording = tapi_sip_test_select_recorder (app, "alice", call, "echo.wav");

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_states (call, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_OUTBOUND);

  /* sipp sends our own RTP back: the recording is our tone. */
  tapi_sip_test_wait_media_event (call, tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (1500);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  tapi_test_states_clear (call);
  tapi_test_hang_up (call);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_DISCONNECTED, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_sip_test_peer_assert_success (sipp);
  tapi_sip_test_assert_tone (recording, 1000.0, 0);
}
END_TEST

START_TEST (test_outgoing_digits_echo)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;
  GString *digits;

  sipp = tapi_sip_test_sipp ("uas-answer.xml", sipp_port, 0, "-rtp_echo", NULL);
  start_alice (NULL);
  call = connected_call (sipp_port);
  digits = tapi_test_watch_digits (call);

  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_spin (300);
  /* RFC 4733 events out, echoed by sipp, detected coming back */
  ck_assert (tapi_call_media_control_generate_digits (TAPI_CALL_MEDIA_CONTROL (call), "159#",
                                                      TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);

  tapi_sip_test_wait_for (digits->len >= 4);
  tapi_test_spin (500);
  ck_assert_msg (g_str_equal (digits->str, "159#"), "Detected \"%s\", expected \"159#\"",
                 digits->str);

  tapi_test_hang_up (call);
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

typedef struct
{
  const char         *status;
  TapiCallStateCause  cause;
  TapiError           error;
} Failure;

static const Failure failures[] = {
  { "486 Busy Here", TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY, TAPI_ERROR_DEST_BUSY },
  { "600 Busy Everywhere", TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY, TAPI_ERROR_DEST_BUSY },
  { "404 Not Found", TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS, TAPI_ERROR_INVALID_ADDRESS },
  { "484 Address Incomplete", TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS, TAPI_ERROR_INVALID_ADDRESS },
  { "604 Does Not Exist Anywhere", TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS, TAPI_ERROR_INVALID_ADDRESS },
  { "408 Request Timeout", TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER, TAPI_ERROR_DEST_NO_ANSWER },
  { "480 Temporarily Unavailable", TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER, TAPI_ERROR_DEST_NO_ANSWER },
  { "403 Forbidden", TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED, TAPI_ERROR_DEST_UNAVAILABLE },
  { "603 Decline", TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED, TAPI_ERROR_DEST_UNAVAILABLE },
  { "500 Server Internal Error", TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED, TAPI_ERROR_FAILED },
  { "503 Service Unavailable", TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED, TAPI_ERROR_FAILED },
  { "488 Not Acceptable Here", TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED, TAPI_ERROR_FAILED },
};

START_TEST (test_outgoing_failure)
{
  const Failure *failure = &failures[_i];
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *scenario = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;

  /* sipp takes no keyword in a status line: a scenario per status */
  scenario = tapi_sip_test_scenario_from_template ("uas-reject.xml", "@STATUS@",
                                                   failure->status);
  sipp = tapi_sip_test_sipp (scenario, sipp_port, 0, NULL);
  start_alice (NULL);
  uri = sipp_uri ("service", sipp_port);
  call = tapi_sip_test_create_call (app, "alice", uri);

  ck_assert_msg (!tapi_test_await (call, connect, &error),
                 "connect to a %s succeeded", failure->status);
  tapi_test_assert_error (&error, failure->error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS, TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED, failure->cause);
  /* sipp got its ACK */
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

START_TEST (test_outgoing_cancel)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiTestAsync *connecting;
  TapiSipTestPeer *sipp;

  sipp = tapi_sip_test_sipp ("uas-ringing.xml", sipp_port, 0, NULL);
  start_alice (NULL);
  uri = sipp_uri ("service", sipp_port);
  call = tapi_sip_test_create_call (app, "alice", uri);

  connecting = tapi_test_start (call, connect);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  /* Let the 180 arrive: the INVITE is then cancelled, not just dropped. */
  tapi_test_spin (500);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_test_end (call, connect, connecting, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_DROPPED);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (call, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  /* sipp got the CANCEL and the ACK of its 487 */
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

START_TEST (test_outgoing_auth)
{
  g_autoptr(TapiCall) call = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;

  sipp = tapi_sip_test_sipp ("uas-auth.xml", sipp_port, 0, NULL);
  start_alice (NULL);
  call = connected_call (sipp_port);
  tapi_test_assert_states (call, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  tapi_test_hang_up (call);
  /* sipp checked the credentials of the second INVITE */
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

/* Registration */

static void
address_event_cb (TapiAddress      *address,
                  TapiAddressEvent  event,
                  GArray           *events)
{
  g_array_append_val (events, event);
}

static guint
count_events (GArray           *events,
              TapiAddressEvent  event)
{
  guint count = 0;

  for (guint i = 0; i < events->len; i++)
    count += g_array_index (events, TapiAddressEvent, i) == event;
  return count;
}

static TapiAddress *
start_registering_alice (guint        registrar_port,
                         const char  *password,
                         GArray      *events)
{
  g_autofree char *account = NULL;
  TapiAddress *address;

  our_port = tapi_sip_test_free_port ();
  account = tapi_sip_test_account ("alice", NULL, our_port, registrar_port,
                                   password, NULL);
  tapi_sip_test_set_config (account);
  app = tapi_test_app_new (TAPI_TEST_APP_A);
  address = tapi_test_address (app, "alice");
  g_signal_connect (address, "event", G_CALLBACK (address_event_cb), events);
  return address;
}

START_TEST (test_register)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE,
                                           sizeof (TapiAddressEvent));
  guint registrar_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;
  TapiAddress *address;

  sipp = tapi_sip_test_sipp ("registrar.xml", registrar_port, 0, NULL);
  address = start_registering_alice (registrar_port, "secret", events);

  /* sipp challenged the REGISTER, checked the credentials, accepted it */
  tapi_sip_test_peer_assert_success (sipp);
  tapi_sip_test_wait_address_state (address, TAPI_ADDRESS_STATE_IN_SERVICE);
}
END_TEST

START_TEST (test_register_refused)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE,
                                           sizeof (TapiAddressEvent));
  guint registrar_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;
  TapiAddress *address;

  sipp = tapi_sip_test_sipp ("registrar.xml", registrar_port, 0, NULL);
  address = start_registering_alice (registrar_port, "wrong", events);

  /* sipp answers the wrong credentials with 403 */
  tapi_sip_test_peer_assert_success (sipp);
  tapi_sip_test_wait_address_state (address, TAPI_ADDRESS_STATE_OUT_OF_SERVICE);
  /* The failure is an event, even if the address was not in service while
   * it registered. */
  tapi_sip_test_wait_for (count_events (events, TAPI_ADDRESS_EVENT_STATE) > 0);
}
END_TEST

/* Incoming calls */

static void
incoming_call (const char *extra_header,
               const char *caller_name,
               const char *caller_user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri_prefix = g_strdup_printf ("sip:%s@", caller_user);
  guint sipp_port = tapi_sip_test_free_port ();
  TapiCallNotificationEvent event;
  TapiSipTestPeer *sipp;
  TapiCall *call;
  const char *number;

  start_alice (NULL);
  sipp = tapi_sip_test_sipp ("uac-call.xml", sipp_port, our_port, "-s", "alice",
                             "-d", "1000", "-key", "extra", extra_header, NULL);

  call = tapi_test_next_notification (app, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_state (call, TAPI_CALL_STATE_OFFERING);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_INBOUND);
  ck_assert_ptr_eq (tapi_call_get_address (call),
                    tapi_test_address (app, "alice"));
  ck_assert_str_eq (tapi_call_get_caller_id_name (call), caller_name);
  number = tapi_call_get_caller_id_number (call);
  ck_assert_msg (g_strcmp0 (number, caller_user) == 0 ||
                 g_str_has_prefix (number ? number : "", uri_prefix),
                 "caller-id-number is \"%s\", expected \"%s\" or a URI of that user",
                 number, caller_user);

  tapi_test_await (call, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  /* sipp hangs up after a second */
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_assert_states (call, TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  /* sipp got an answer with PCMU */
  tapi_sip_test_peer_assert_success (sipp);
  ck_assert_uint_eq (tapi_test_notification_count (app), 1);
}

START_TEST (test_incoming_call)
{
  incoming_call ("X-Libtapi3-Test: from", "Sipp Caller", "sipp");
}
END_TEST

START_TEST (test_incoming_call_asserted_identity)
{
  incoming_call ("P-Asserted-Identity: \"Front Desk\" <sip:5551234@127.0.0.1>",
                 "Front Desk", "5551234");
}
END_TEST

START_TEST (test_incoming_refer)
{
  g_autoptr(GError) error = NULL;
  guint carol_port = tapi_sip_test_free_port ();
  guint transferor_port = tapi_sip_test_free_port ();
  g_autofree char *carol_uri = sipp_uri ("carol", carol_port);
  TapiSipTestPeer *carol, *transferor;
  TapiCallNotificationEvent event;
  TapiCall *call, *transferred;
  const char *called;

  carol = tapi_sip_test_sipp ("uas-answer.xml", carol_port, 0, NULL);
  start_alice (NULL);
  tapi_test_app_set_auto_answer (app, TRUE);
  transferor = tapi_sip_test_sipp ("uac-refer.xml", transferor_port, our_port,
                                   "-s", "alice", "-key", "refer_to", carol_uri,
                                   NULL);

  call = tapi_test_next_notification (app, &event);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_CONNECTED);

  /* The REFER: a new call of ours to carol */
  transferred = tapi_test_next_notification (app, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  ck_assert_ptr_ne (transferred, call);
  ck_assert_ptr_eq (tapi_call_get_address (transferred),
                    tapi_test_address (app, "alice"));
  called = tapi_call_get_called_id_number (transferred);
  ck_assert_msg (called != NULL && strstr (called, "carol") != NULL,
                 "The transferred call goes to \"%s\", expected %s", called,
                 carol_uri);
  tapi_sip_test_wait_for_state (transferred, TAPI_CALL_STATE_CONNECTED);

  /* The transferor heard "SIP/2.0 200" in a NOTIFY, and hung up. */
  tapi_sip_test_peer_assert_success (transferor);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_assert_state (transferred, TAPI_CALL_STATE_CONNECTED);

  ck_assert (tapi_test_await (transferred, disconnect,
                              TAPI_DISCONNECT_CODE_NORMAL, &error));
  tapi_test_assert_no_error (&error);
  tapi_sip_test_peer_assert_success (carol);
}
END_TEST

/* Transfer */

START_TEST (test_blind_transfer)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;

  sipp = tapi_sip_test_sipp ("uas-refer.xml", sipp_port, 0,
                             "-set", "refer_target", "sip:carol@127.0.0.1:5999",
                             "-key", "final", "200 OK", NULL);
  start_alice (NULL);
  call = connected_call (sipp_port);
  tapi_test_states_clear (call);

  ck_assert (tapi_test_await (call, blind_transfer, "sip:carol@127.0.0.1:5999",
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_DISCONNECTED, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  /* sipp got the REFER for carol, and the BYE after its NOTIFY of 200 */
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

START_TEST (test_blind_transfer_failure)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;

  sipp = tapi_sip_test_sipp ("uas-refer.xml", sipp_port, 0,
                             "-set", "refer_target", "sip:carol@127.0.0.1:5999",
                             "-key", "final", "503 Service Unavailable", NULL);
  start_alice (NULL);
  call = connected_call (sipp_port);
  tapi_test_states_clear (call);

  ck_assert (!tapi_test_await (call, blind_transfer, "sip:carol@127.0.0.1:5999",
                               &error));
  ck_assert_msg (error != NULL && error->domain == TAPI_ERROR,
                 "A failed transfer gave no TAPI_ERROR");
  g_clear_error (&error);
  /* The call stays up: no BYE */
  tapi_test_spin (500);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  ck_assert (!tapi_sip_test_peer_exited (sipp));

  tapi_test_hang_up (call);
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

/* Hold */

START_TEST (test_hold)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;
  TapiStream *capture;
  guint mark;

  /* sipp waits 1.5 s between holding us and resuming */
  sipp = tapi_sip_test_sipp ("uas-hold.xml", sipp_port, 0, "-d", "1500", NULL);
  start_alice (NULL);
  {
    g_autofree char *uri = sipp_uri ("service", sipp_port);

    call = tapi_sip_test_create_call (app, "alice", uri);
  }
  tapi_test_watch_media (call);
  tapi_sip_test_select_tone (app, "alice", call, 700.0);
  g_free (tapi_sip_test_select_recorder (app, "alice", call, "hold.wav"));
  capture = tapi_test_stream (call, TAPI_TERMINAL_DIRECTION_CAPTURE);
  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_sip_test_wait_media_event (call, capture,
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_states_clear (call);

  /* We hold: sipp checks a=sendonly */
  ck_assert (tapi_test_await (call, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_HOLD);
  ck_assert (tapi_test_await (call, hold, FALSE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_states (call, TAPI_CALL_STATE_HOLD,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);

  tapi_test_states_clear (call);

  /* sipp holds us 1 s after our resume, then resumes 1.5 s later: media
   * events, the call stays CONNECTED. Our own streams settle first, so
   * that their restart is not taken for sipp's doing. */
  tapi_test_spin (400);
  mark = tapi_test_media_mark (call);
  tapi_sip_test_wait_media_event (call, NULL,
                                  TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                  TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST, mark);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  mark = tapi_test_media_mark (call);
  tapi_sip_test_wait_media_event (call, NULL,
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST, mark);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);

  tapi_test_hang_up (call);
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

/* Bad input */

static const char *malformed_scenarios[] = {
  "uac-bad-header.xml", "uac-no-sdp.xml", "uac-bad-sdp.xml", "uac-bad-codec.xml",
  "uac-ipv6-media.xml",
};

START_TEST (test_malformed)
{
  const char *scenario = malformed_scenarios[_i];
  TapiSipTestPeer *sipp;
  TapiCall *call;

  start_alice (NULL);

  /* Not SIP at all: nothing to answer */
  tapi_sip_test_send_garbage (our_port);

  /* The 4xx the scenario expects, and no call offered */
  sipp = tapi_sip_test_sipp (scenario, tapi_sip_test_free_port (), our_port,
                             "-s", "alice", NULL);
  tapi_sip_test_peer_assert_success (sipp);
  tapi_test_spin (200);
  ck_assert_msg (tapi_test_notification_count (app) == 0, "%s was offered as a call",
                 scenario);

  /* The broker still works: a proper call */
  tapi_test_app_set_auto_answer (app, TRUE);
  sipp = tapi_sip_test_sipp ("uac-call.xml", tapi_sip_test_free_port (), our_port,
                             "-s", "alice", "-d", "500",
                             "-key", "extra", "X-Libtapi3-Test: after", NULL);
  call = tapi_test_next_notification (app, NULL);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (call, TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_sip_test_peer_assert_success (sipp);
  ck_assert_uint_eq (tapi_test_notification_count (app), 1);
}
END_TEST

START_TEST (test_not_supported)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *orbit = NULL;
  g_autofree char *uri = NULL;
  guint sipp_port = tapi_sip_test_free_port ();
  TapiSipTestPeer *sipp;

  sipp = tapi_sip_test_sipp ("uas-answer.xml", sipp_port, 0, NULL);
  start_alice (NULL);
  call = connected_call (sipp_port);
  tapi_test_states_clear (call);

  ck_assert (!tapi_test_await (call, park_direct, "7000", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);
  orbit = tapi_test_await (call, park_indirect, &error);
  ck_assert_ptr_null (orbit);
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);

  uri = sipp_uri ("nobody", tapi_sip_test_free_port ());
  other = tapi_sip_test_create_call (app, "alice", uri);
  ck_assert (!tapi_test_await (call, conference, other, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);
  ck_assert (!tapi_test_await (other, pickup, NULL, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_SUPPORTED);
  tapi_test_assert_state (other, TAPI_CALL_STATE_IDLE);

  /* Nothing changed */
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  tapi_test_hang_up (call);
  tapi_sip_test_peer_assert_success (sipp);
}
END_TEST

static Suite *
sip_sipp_suite (void)
{
  Suite *suite = suite_create ("sip-sipp");
  TCase *tcase;

  tcase = tcase_create ("address");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 30);
  tcase_add_test (tcase, test_address);
  tcase_add_test (tcase, test_bad_destination);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("outgoing");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 40);
  tcase_add_test (tcase, test_outgoing_media_echo);
  tcase_add_test (tcase, test_outgoing_digits_echo);
  tcase_add_loop_test (tcase, test_outgoing_failure, 0,
                       G_N_ELEMENTS (failures));
  tcase_add_test (tcase, test_outgoing_cancel);
  tcase_add_test (tcase, test_outgoing_auth);
  tcase_add_test (tcase, test_not_supported);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("registration");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 40);
  tcase_add_test (tcase, test_register);
  tcase_add_test (tcase, test_register_refused);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("incoming");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 40);
  tcase_add_test (tcase, test_incoming_call);
  tcase_add_test (tcase, test_incoming_call_asserted_identity);
  tcase_add_test (tcase, test_incoming_refer);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("transfer-hold");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 40);
  tcase_add_test (tcase, test_blind_transfer);
  tcase_add_test (tcase, test_blind_transfer_failure);
  tcase_add_test (tcase, test_hold);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("bad-input");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 60);
  tcase_add_loop_test (tcase, test_malformed, 0,
                       G_N_ELEMENTS (malformed_scenarios));
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_sipp_suite ());
}
