/* test-sip-kamailio.c: accounts of the SIP provider behind Kamailio
 *
 * Kamailio is the registrar (with digest authentication) and the
 * record-routing proxy of three accounts of one process, alice, bob and
 * carol, each owned by an application of its own. They register, call
 * each other through it with real media, and transfer calls.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"

static TapiTapi *alice;
static TapiTapi *bob;
static TapiTapi *carol;
static guint kamailio_port;

/* The address of record of @user at Kamailio */
static char *
aor (const char *user)
{
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", user, kamailio_port);
}

static void
setup (void)
{
  tapi_sip_test_setup ();
}

static void
teardown (void)
{
  tapi_sip_test_teardown ();
  alice = bob = carol = NULL;
  kamailio_port = 0;
}

/* Starts Kamailio and the three applications, and waits until their
 * accounts registered. */
static void
start (void)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autofree char *domain = NULL;
  const char *names[] = { "alice", "bob", "carol" };
  TapiTapi **apps[] = { &alice, &bob, &carol };
  const char *app_names[] = { TAPI_TEST_APP_A, TAPI_TEST_APP_B, TAPI_TEST_APP_C };

  kamailio_port = tapi_sip_test_free_port ();
  tapi_sip_test_kamailio (kamailio_port, TRUE);
  domain = g_strdup_printf ("127.0.0.1:%u", kamailio_port);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      /* bind port 0: the provider picks one and registers it */
      g_autofree char *account = tapi_sip_test_account (names[i], domain, 0,
                                                        kamailio_port, "secret",
                                                        NULL);

      g_string_append (config, account);
    }
  tapi_sip_test_set_config (config->str);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *aor = g_strdup_printf ("sip:%s@%s", names[i], domain);
      TapiAddress *address;

      *apps[i] = tapi_test_app_new (app_names[i]);
      address = tapi_test_address (*apps[i], names[i]);
      ck_assert_str_eq (tapi_address_get_dialable_address (address), aor);
      tapi_test_register (*apps[i], names[i], FALSE, TRUE,
                          TAPI_MEDIA_TYPE_AUDIO);
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    tapi_sip_test_wait_address_state (tapi_test_address (*apps[i], names[i]),
                                      TAPI_ADDRESS_STATE_IN_SERVICE);
  /* Kamailio saved the bindings before it answered; nothing to wait for. */
}

static void
assert_number_is (const char *what,
                  const char *number,
                  const char *user)
{
  g_autofree char *prefix = g_strdup_printf ("sip:%s@", user);

  ck_assert_msg (g_strcmp0 (number, user) == 0 ||
                 g_str_has_prefix (number ? number : "", prefix),
                 "%s is \"%s\", expected %s", what, number, user);
}

/* @caller calls @destination (a URI or a user part), @callee answers:
 * returns the caller's call, CONNECTED; *@callee_call is the callee's. */
static TapiCall *
call_through_kamailio (TapiTapi    *caller,
                       const char  *from,
                       const char  *destination,
                       TapiTapi    *callee,
                       TapiCall   **callee_call)
{
  g_autoptr(GError) error = NULL;
  TapiTestAsync *connecting;
  TapiCallNotificationEvent event;
  TapiCall *call = tapi_sip_test_create_call (caller, from, destination);
  TapiCall *incoming;

  connecting = tapi_test_start (call, connect);
  incoming = tapi_test_next_notification (callee, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);
  ck_assert_int_eq (tapi_call_get_origin (incoming), TAPI_CALL_ORIGIN_INBOUND);
  assert_number_is ("caller-id-number",
                    tapi_call_get_caller_id_number (incoming), from);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  *callee_call = incoming;
  tapi_test_await (incoming, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_CONNECTED);

  return call;
}

/* The one live call of @app, or NULL */
static TapiCall *
live_call (TapiTapi *app)
{
  GListModel *calls = tapi_tapi_get_calls (app);
  TapiCall *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(TapiCall) call = g_list_model_get_item (calls, i);
      TapiCallState state = tapi_call_get_state (call);

      if (state == TAPI_CALL_STATE_DISCONNECTED ||
          state == TAPI_CALL_STATE_IDLE)
        continue;
      ck_assert_msg (found == NULL, "%s has two live calls",
                     tapi_tapi_get_application_name (app));
      found = call;   /* the application keeps its handles */
    }
  return found;
}

static guint
live_call_count (TapiTapi *app)
{
  GListModel *calls = tapi_tapi_get_calls (app);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(TapiCall) call = g_list_model_get_item (calls, i);
      TapiCallState state = tapi_call_get_state (call);

      count += state != TAPI_CALL_STATE_DISCONNECTED &&
               state != TAPI_CALL_STATE_IDLE;
    }
  return count;
}

START_TEST (test_register_and_call)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recording = NULL;
  g_autofree char *bob_aor = NULL;
  TapiCall *bob_call = NULL;

  start ();
  bob_aor = aor ("bob");
  /* bob records what alice's tone terminal sends through the proxy */
  call = call_through_kamailio (alice, "alice", bob_aor, bob, &bob_call);
  tapi_test_watch_media (bob_call);
  tapi_sip_test_select_tone (alice, "alice", call, 1000.0);
  recording = tapi_sip_test_select_recorder (bob, "bob", bob_call, "bob.wav");
  tapi_sip_test_wait_media_event (bob_call,
                                  tapi_test_stream (bob_call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (1500);

  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_sip_test_wait_for_state (bob_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (bob_call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_assert_states (bob_call, TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  tapi_sip_test_assert_tone (recording, 1000.0, 0);
}
END_TEST

START_TEST (test_call_user_part)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  TapiCall *bob_call = NULL;

  start ();
  /* "bob" is sip:bob@ the domain of alice's address of record, port and all */
  call = call_through_kamailio (alice, "alice", "bob", bob, &bob_call);
  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_sip_test_wait_for_state (bob_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (bob_call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}
END_TEST

START_TEST (test_unknown_user)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nobody = NULL;

  start ();
  /* Kamailio answers 404 for users that did not register */
  nobody = aor ("nobody");
  call = tapi_sip_test_create_call (alice, "alice", nobody);
  ck_assert (!tapi_test_await (call, connect, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS);
}
END_TEST

START_TEST (test_consultation_transfer)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recording = NULL;
  TapiTestAsync *transferring;
  TapiCall *bob_call = NULL;
  TapiCall *carol_call;
  TapiCall *bob_new, *carol_new;
  g_autofree char *bob_aor = NULL;
  g_autofree char *carol_aor = NULL;
  gboolean ok;

  start ();
  bob_aor = aor ("bob");
  carol_aor = aor ("carol");
  call = call_through_kamailio (alice, "alice", bob_aor, bob, &bob_call);

  /* alice consults carol: the call with bob goes on hold */
  consultation = tapi_sip_test_create_call (alice, "alice", carol_aor);
  transferring = tapi_test_start (call, transfer, consultation);
  carol_call = tapi_test_next_notification (carol, NULL);
  tapi_test_assert_state (carol_call, TAPI_CALL_STATE_OFFERING);
  assert_number_is ("carol's caller-id-number", tapi_call_get_caller_id_number (carol_call),
                    "alice");
  tapi_test_await (carol_call, answer, &error);
  tapi_test_assert_no_error (&error);
  ok = tapi_test_end (call, transfer, transferring, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (ok);
  tapi_test_assert_state (call, TAPI_CALL_STATE_HOLD);
  tapi_sip_test_wait_for_state (consultation, TAPI_CALL_STATE_CONNECTED);
  /* bob stays CONNECTED on his side of a held call */
  tapi_test_assert_state (bob_call, TAPI_CALL_STATE_CONNECTED);

  /* REFER with Replaces to bob; bob's new call replaces carol's */
  ck_assert (tapi_test_await (consultation, finish,
                              TAPI_FINISH_MODE_AS_TRANSFER, &error));
  tapi_test_assert_no_error (&error);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_sip_test_wait_for_state (consultation, TAPI_CALL_STATE_DISCONNECTED);
  ck_assert_uint_eq (live_call_count (alice), 0);

  /* bob: the REFER gave him a new call to carol, his call with alice ended */
  bob_new = tapi_test_next_notification (bob, NULL);
  ck_assert_ptr_ne (bob_new, bob_call);
  tapi_sip_test_wait_for_state (bob_new, TAPI_CALL_STATE_CONNECTED);
  tapi_sip_test_wait_for_state (bob_call, TAPI_CALL_STATE_DISCONNECTED);
  {
    const char *called = tapi_call_get_called_id_number (bob_new);

    ck_assert_msg (called != NULL && strstr (called, "carol") != NULL,
                   "bob's new call goes to \"%s\", expected carol", called);
  }

  /* carol: one live call, with bob (the replaced one, or a new one) */
  tapi_sip_test_wait_for (live_call_count (carol) == 1 &&
                          tapi_call_get_state (live_call (carol)) ==
                            TAPI_CALL_STATE_CONNECTED);
  carol_new = live_call (carol);
  tapi_sip_test_wait_for (g_strcmp0 (tapi_call_get_connected_id_number (carol_new), "bob") == 0 ||
                          g_str_has_prefix (tapi_call_get_connected_id_number (carol_new) ?: "",
                                            "sip:bob@"));
  ck_assert_uint_eq (live_call_count (bob), 1);

  /* Media flows between them: bob's tone at carol's */
  tapi_test_watch_media (carol_new);
  tapi_sip_test_select_tone (bob, "bob", bob_new, 1300.0);
  recording = tapi_sip_test_select_recorder (carol, "carol", carol_new,
                                             "carol.wav");
  tapi_sip_test_wait_media_event (carol_new,
                                  tapi_test_stream (carol_new, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (1500);

  ck_assert (tapi_test_await (bob_new, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_sip_test_wait_for_state (carol_new, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (carol_new, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_sip_test_assert_tone (recording, 1300.0, 0);
}
END_TEST

static Suite *
sip_kamailio_suite (void)
{
  Suite *suite = suite_create ("sip-kamailio");
  TCase *tcase = tcase_create ("proxy");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 60);
  tcase_add_test (tcase, test_register_and_call);
  tcase_add_test (tcase, test_call_user_part);
  tcase_add_test (tcase, test_unknown_user);
  tcase_add_test (tcase, test_consultation_transfer);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_kamailio_suite ());
}
