/* test-transfer.c: blind and consultation transfer, conference, swap hold
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

static TapiTapi *a;
static TapiTapi *b;
static TapiTapi *c;

static void
setup (void)
{
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  c = tapi_test_app_new (TAPI_TEST_APP_C);
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "102", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
  c = NULL;
}

/* B sets up a consultation call to C (102) with transfer or conference;
 * C answers. Returns B's consultation call, C's call in @c_call. */
static TapiCall *
consult_c (TapiCall  *b_call,
           gboolean   conference,
           TapiCall **c_call)
{
  g_autoptr(GError) error = NULL;
  TapiCall *consultation = tapi_test_create_call (b, "101", "102");
  TapiTestAsync *async;
  TapiCallNotificationEvent event;
  gboolean ok;

  if (conference)
    async = tapi_test_start (b_call, conference, consultation);
  else
    async = tapi_test_start (b_call, transfer, consultation);

  *c_call = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_state (*c_call, TAPI_CALL_STATE_OFFERING);
  ck_assert_str_eq (tapi_call_get_caller_id_number (*c_call), "101");
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_HOLD);
  tapi_test_wait_for_state (consultation, TAPI_CALL_STATE_IN_PROGRESS);
  ck_assert_msg (!tapi_test_async_done (async),
                 "the consultation completed before it was answered");

  tapi_test_await (*c_call, answer, &error);
  tapi_test_assert_no_error (&error);

  if (conference)
    ok = tapi_test_end (b_call, conference, async, &error);
  else
    ok = tapi_test_end (b_call, transfer, async, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (ok);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_HOLD);
  tapi_test_assert_states (b_call,
                           TAPI_CALL_STATE_HOLD, TAPI_CALL_STATE_CAUSE_NONE);
  tapi_test_assert_states (consultation,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);

  return consultation;
}

/* Blind transfer */

START_TEST (test_blind_transfer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;
  TapiCall *c_call;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);

  ck_assert (tapi_test_await (b_call, blind_transfer, "102", &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (b_call,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  c_call = tapi_test_next_notification (c, NULL);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_OFFERING);
  ck_assert_str_eq (tapi_call_get_caller_id_number (c_call), "100");
  tapi_test_await (c_call, answer, &error);
  tapi_test_assert_no_error (&error);

  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_wait_for_connected_id (c_call, "100");
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));
  ck_assert (!tapi_test_state_seen (c_call, TAPI_CALL_STATE_DISCONNECTED));
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);

  /* who redirected the call where */
  ck_assert_str_eq (tapi_call_get_redirection_id_number (call), "102");
  ck_assert_str_eq (tapi_call_get_redirecting_id_number (c_call), "101");
}
END_TEST

START_TEST (test_blind_transfer_bad_destination)
{
  const char *destinations[] = { NULL, "", "12 ab!" };
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);

  for (guint i = 0; i < G_N_ELEMENTS (destinations); i++)
    {
      g_autoptr(GError) error = NULL;

      ck_assert_msg (!tapi_test_await (b_call, blind_transfer, destinations[i],
                                       &error),
                     "blind_transfer (\"%s\") succeeded", destinations[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
    }

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (b_call);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  ck_assert_uint_eq (tapi_test_notification_count (c), 0);
}
END_TEST

/* Consultation transfer */

START_TEST (test_consultation_transfer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  TapiCall *b_call = NULL;
  TapiCall *c_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  consultation = consult_c (b_call, FALSE, &c_call);
  tapi_test_states_clear (c_call);

  ck_assert (!tapi_test_await (consultation, finish, 7, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_CONNECTED);

  ck_assert (tapi_test_await (consultation, finish,
                              TAPI_FINISH_MODE_AS_TRANSFER, &error));
  tapi_test_assert_no_error (&error);

  /* B is out of both calls */
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_state (consultation, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (b_call,
                           TAPI_CALL_STATE_HOLD, TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_assert_states (consultation,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  /* A and C talk to each other */
  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_wait_for_connected_id (c_call, "100");
  ck_assert (tapi_test_info_count (call,
                                   TAPI_CALL_INFO_CHANGE_CONNECTED_ID) > 0);
  ck_assert (tapi_test_info_count (c_call,
                                   TAPI_CALL_INFO_CHANGE_CONNECTED_ID) > 0);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));
  ck_assert (!tapi_test_state_seen (c_call, TAPI_CALL_STATE_DISCONNECTED));

  /* and the call between them is a real one */
  tapi_test_await (c_call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}
END_TEST

START_TEST (test_consultation_transfer_connected_consultation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  TapiCall *b_call = NULL;
  TapiCall *c_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  consultation = tapi_test_extension_call (b, "101", c, "102", &c_call);
  tapi_test_states_clear (consultation);

  /* already connected: nothing to dial */
  ck_assert (tapi_test_await (b_call, transfer, consultation, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_HOLD);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (consultation);

  ck_assert (tapi_test_await (consultation, finish,
                              TAPI_FINISH_MODE_AS_TRANSFER, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_state (consultation, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_wait_for_connected_id (c_call, "100");
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

/* Conference */

START_TEST (test_conference)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  TapiCall *b_call = NULL;
  TapiCall *c_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  consultation = consult_c (b_call, TRUE, &c_call);
  tapi_test_states_clear (b_call);
  tapi_test_states_clear (consultation);
  tapi_test_states_clear (c_call);

  ck_assert (tapi_test_await (consultation, finish,
                              TAPI_FINISH_MODE_AS_CONFERENCE, &error));
  tapi_test_assert_no_error (&error);

  /* the held call resumes, all three are joined */
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_states (b_call,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (consultation);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));
  tapi_test_assert_no_states (c_call);

  /* C leaves, A and B stay */
  ck_assert (tapi_test_await (consultation, remove_from_conference, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_state (c_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_conference_remove_original)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) consultation = NULL;
  TapiCall *b_call = NULL;
  TapiCall *c_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  consultation = consult_c (b_call, TRUE, &c_call);
  tapi_test_await (consultation, finish, TAPI_FINISH_MODE_AS_CONFERENCE,
                   &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_CONNECTED);

  /* A leaves, B and C stay */
  ck_assert (tapi_test_await (b_call, remove_from_conference, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (consultation, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (c_call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

/* Swap hold */

START_TEST (test_swap_hold)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) second = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  tapi_test_await (b_call, hold, TRUE, &error);
  tapi_test_assert_no_error (&error);
  second = tapi_test_connected_call (b, "101", "answer");
  tapi_test_states_clear (b_call);
  tapi_test_states_clear (second);

  ck_assert (tapi_test_await (second, swap_hold, b_call, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (second, TAPI_CALL_STATE_HOLD);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);

  ck_assert (tapi_test_await (b_call, swap_hold, second, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (second, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_HOLD);

  tapi_test_assert_states (second,
                           TAPI_CALL_STATE_HOLD, TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  tapi_test_assert_states (b_call,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_HOLD, TAPI_CALL_STATE_CAUSE_NONE);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));
}
END_TEST

/* Bad input */

typedef enum
{
  TWO_CALL_TRANSFER,
  TWO_CALL_CONFERENCE,
  TWO_CALL_SWAP_HOLD,
} TwoCallOp;

static const struct
{
  const char *name;
  TwoCallOp op;
  gboolean takes_held_call;
} two_call_ops[] = {
  { "transfer", TWO_CALL_TRANSFER, FALSE },
  { "conference", TWO_CALL_CONFERENCE, FALSE },
  { "swap_hold", TWO_CALL_SWAP_HOLD, TRUE },
};

static gboolean
run_two_call_op (TwoCallOp   op,
                 TapiCall   *call,
                 TapiCall   *other,
                 GError    **error)
{
  switch (op)
    {
    case TWO_CALL_TRANSFER:
      return tapi_test_await (call, transfer, other, error);
    case TWO_CALL_CONFERENCE:
      return tapi_test_await (call, conference, other, error);
    case TWO_CALL_SWAP_HOLD:
    default:
      return tapi_test_await (call, swap_hold, other, error);
    }
}

/* Runs every two-call operation on B's call with @consultation (for
 * transfer and conference) or @held (for swap_hold), each in a state the
 * operation accepts, and expects @expected_error; nothing may change. */
static void
check_other_call (TapiCall  *call,
                  TapiCall  *b_call,
                  TapiCall  *consultation,
                  TapiCall  *held,
                  TapiError  expected_error)
{
  tapi_test_states_clear (b_call);
  for (guint i = 0; i < G_N_ELEMENTS (two_call_ops); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;
      TapiCall *other = two_call_ops[i].takes_held_call ? held : consultation;
      gboolean ok = run_two_call_op (two_call_ops[i].op, b_call, other,
                                     &error);

      got = tapi_test_describe_error (error);
      ck_assert_msg (!ok && error != NULL && error->domain == TAPI_ERROR &&
                     error->code == (int) expected_error,
                     "%s: expected %s, got %s", two_call_ops[i].name,
                     tapi_test_error_name (expected_error), got);
    }

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (b_call);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  if (consultation != NULL && consultation != b_call)
    {
      tapi_test_assert_state (consultation, TAPI_CALL_STATE_IDLE);
      tapi_test_assert_no_states (consultation);
    }
  if (held != NULL && held != b_call)
    {
      tapi_test_assert_state (held, TAPI_CALL_STATE_HOLD);
      tapi_test_assert_no_states (held);
    }
}

static TapiCall *
held_call (TapiTapi   *app,
           const char *address)
{
  g_autoptr(GError) error = NULL;
  TapiCall *call = tapi_test_connected_call (app, address, "answer");

  tapi_test_await (call, hold, TRUE, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_HOLD);
  tapi_test_states_clear (call);

  return call;
}

START_TEST (test_other_application_call)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) foreign = NULL;
  g_autoptr(TapiCall) foreign_held = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  /* calls on the same address, but A's */
  foreign = tapi_test_create_call (a, "101", "answer");
  foreign_held = held_call (a, "101");
  check_other_call (call, b_call, foreign, foreign_held,
                    TAPI_ERROR_INVALID_CALL_HANDLE);
}
END_TEST

START_TEST (test_other_address_call)
{
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) elsewhere = NULL;
  g_autoptr(TapiCall) elsewhere_held = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  elsewhere = tapi_test_create_call (b, "102", "answer");
  elsewhere_held = held_call (b, "102");
  check_other_call (call, b_call, elsewhere, elsewhere_held,
                    TAPI_ERROR_INVALID_ADDRESS);
}
END_TEST

START_TEST (test_same_call)
{
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  check_other_call (call, b_call, b_call, b_call, TAPI_ERROR_INVALID_ADDRESS);
}
END_TEST

START_TEST (test_null_call)
{
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  check_other_call (call, b_call, NULL, NULL, TAPI_ERROR_INVALID_CALL_HANDLE);
}
END_TEST

START_TEST (test_finish_without_consultation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) unused = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);
  unused = tapi_test_create_call (b, "101", "102");

  ck_assert (!tapi_test_await (b_call, finish, TAPI_FINISH_MODE_AS_TRANSFER,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (b_call, finish, TAPI_FINISH_MODE_AS_CONFERENCE,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (unused, finish, TAPI_FINISH_MODE_AS_TRANSFER,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (b_call);
  tapi_test_assert_state (unused, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_no_states (unused);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert_uint_eq (tapi_test_notification_count (c), 0);
}
END_TEST

START_TEST (test_remove_from_no_conference)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);

  ck_assert (!tapi_test_await (b_call, remove_from_conference, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NO_CONFERENCE);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (b_call);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

static Suite *
transfer_suite (void)
{
  Suite *suite = suite_create ("transfer");
  TCase *tc;

  tc = tcase_create ("blind");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_blind_transfer);
  tcase_add_test (tc, test_blind_transfer_bad_destination);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("consultation");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_consultation_transfer);
  tcase_add_test (tc, test_consultation_transfer_connected_consultation);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("conference");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_conference);
  tcase_add_test (tc, test_conference_remove_original);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("swap-hold");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_swap_hold);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("bad-input");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_other_application_call);
  tcase_add_test (tc, test_other_address_call);
  tcase_add_test (tc, test_same_call);
  tcase_add_test (tc, test_null_call);
  tcase_add_test (tc, test_finish_without_consultation);
  tcase_add_test (tc, test_remove_from_no_conference);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (transfer_suite ());
}
