/* test-states.c: operations refused in the wrong state, by a monitor, or on
 * a released handle, and changing nothing
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
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
  c = NULL;
}

typedef enum {
  OP_CONNECT,
  OP_ANSWER,
  OP_DISCONNECT,
  OP_REJECT,
  OP_HOLD,
  OP_UNHOLD,
  OP_HANDOFF_DIRECT,
  OP_HANDOFF_INDIRECT,
  OP_BLIND_TRANSFER,
  OP_TRANSFER,
  OP_CONFERENCE,
  OP_FINISH_TRANSFER,
  OP_FINISH_CONFERENCE,
  OP_SWAP_HOLD,
  OP_PARK_DIRECT,
  OP_PARK_INDIRECT,
  OP_UNPARK,
  OP_PICKUP,
  OP_DIAL,
  OP_REMOVE_FROM_CONFERENCE,
  OP_RELEASE,
  OP_SET_PRIVILEGE_OWNER,
  OP_SET_PRIVILEGE_MONITOR,
  OP_SET_APP_SPECIFIC,
  OP_SET_MEDIA_TYPE,
  N_OPS
} Op;

static const char *op_names[N_OPS] = {
  "connect", "answer", "disconnect", "disconnect (REJECTED)", "hold (TRUE)",
  "hold (FALSE)", "handoff_direct", "handoff_indirect", "blind_transfer",
  "transfer", "conference", "finish (AS_TRANSFER)", "finish (AS_CONFERENCE)",
  "swap_hold", "park_direct", "park_indirect", "unpark", "pickup", "dial",
  "remove_from_conference", "release", "set_privilege (OWNER)",
  "set_privilege (MONITOR)", "set_app_specific", "set_media_type",
};

/* Others: calls of the same application on the same address that the
 * operations taking a second call get, each in a state they accept. */
typedef struct
{
  TapiCall *consultation;   /* IDLE */
  TapiCall *held;           /* HOLD */
} Others;

static gboolean
run_op (Op         op,
        TapiCall  *call,
        Others    *others,
        GError   **error)
{
  g_autofree char *orbit = NULL;

  switch (op)
    {
    case OP_CONNECT:
      return tapi_test_await (call, connect, error);
    case OP_ANSWER:
      return tapi_test_await (call, answer, error);
    case OP_DISCONNECT:
      return tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              error);
    case OP_REJECT:
      return tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_REJECTED,
                              error);
    case OP_HOLD:
      return tapi_test_await (call, hold, TRUE, error);
    case OP_UNHOLD:
      return tapi_test_await (call, hold, FALSE, error);
    case OP_HANDOFF_DIRECT:
      return tapi_test_await (call, handoff_direct, TAPI_TEST_APP_B, error);
    case OP_HANDOFF_INDIRECT:
      return tapi_test_await (call, handoff_indirect, TAPI_MEDIA_TYPE_AUDIO,
                              error);
    case OP_BLIND_TRANSFER:
      return tapi_test_await (call, blind_transfer, "102", error);
    case OP_TRANSFER:
      return tapi_test_await (call, transfer, others->consultation, error);
    case OP_CONFERENCE:
      return tapi_test_await (call, conference, others->consultation, error);
    case OP_FINISH_TRANSFER:
      return tapi_test_await (call, finish, TAPI_FINISH_MODE_AS_TRANSFER,
                              error);
    case OP_FINISH_CONFERENCE:
      return tapi_test_await (call, finish, TAPI_FINISH_MODE_AS_CONFERENCE,
                              error);
    case OP_SWAP_HOLD:
      return tapi_test_await (call, swap_hold, others->held, error);
    case OP_PARK_DIRECT:
      return tapi_test_await (call, park_direct, "7000", error);
    case OP_PARK_INDIRECT:
      orbit = tapi_test_await (call, park_indirect, error);
      return orbit != NULL;
    case OP_UNPARK:
      return tapi_test_await (call, unpark, error);
    case OP_PICKUP:
      return tapi_test_await (call, pickup, "1", error);
    case OP_DIAL:
      return tapi_test_await (call, dial, "answer", error);
    case OP_REMOVE_FROM_CONFERENCE:
      return tapi_test_await (call, remove_from_conference, error);
    case OP_RELEASE:
      return tapi_call_release (call, error);
    case OP_SET_PRIVILEGE_OWNER:
      return tapi_call_set_privilege (call, TAPI_CALL_PRIVILEGE_OWNER, error);
    case OP_SET_PRIVILEGE_MONITOR:
      return tapi_call_set_privilege (call, TAPI_CALL_PRIVILEGE_MONITOR, error);
    case OP_SET_APP_SPECIFIC:
      return tapi_call_set_app_specific (call, 42, error);
    case OP_SET_MEDIA_TYPE:
      return tapi_call_media_control_set_media_type (
          TAPI_CALL_MEDIA_CONTROL (call), TAPI_MEDIA_TYPE_AUDIO, error);
    case N_OPS:
    default:
      ck_abort_msg ("unknown operation %d", op);
      return FALSE;
    }
}

/* Runs each operation on @call, expects @expected_error from every one,
 * and checks that neither @call nor the other calls changed. */
static void
check_refused (TapiCall    *call,
               Others      *others,
               const Op    *ops,
               gsize        n_ops,
               TapiError    expected_error)
{
  TapiCallState state = tapi_call_get_state (call);
  TapiCallStateCause cause = tapi_call_get_state_cause (call);
  TapiCallPrivilege privilege = tapi_call_get_privilege (call);
  guint app_specific = tapi_call_get_app_specific (call);

  tapi_test_states_clear (call);
  if (others != NULL)
    {
      tapi_test_states_clear (others->consultation);
      tapi_test_states_clear (others->held);
    }

  for (gsize i = 0; i < n_ops; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;
      gboolean ok = run_op (ops[i], call, others, &error);

      got = tapi_test_describe_error (error);
      ck_assert_msg (!ok && error != NULL && error->domain == TAPI_ERROR &&
                     error->code == (int) expected_error,
                     "%s on a %s call: expected %s, got %s",
                     op_names[ops[i]], tapi_test_state_name (state),
                     tapi_test_error_name (expected_error), got);
    }

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_msg (tapi_call_get_state (call) == state &&
                 tapi_call_get_state_cause (call) == cause,
                 "the refused operations moved the call from %s/%s to %s/%s",
                 tapi_test_state_name (state), tapi_test_cause_name (cause),
                 tapi_test_state_name (tapi_call_get_state (call)),
                 tapi_test_cause_name (tapi_call_get_state_cause (call)));
  tapi_test_assert_no_states (call);
  tapi_test_assert_privilege (call, privilege);
  ck_assert_uint_eq (tapi_call_get_app_specific (call), app_specific);
  if (others != NULL)
    {
      tapi_test_assert_state (others->consultation, TAPI_CALL_STATE_IDLE);
      tapi_test_assert_no_states (others->consultation);
      tapi_test_assert_state (others->held, TAPI_CALL_STATE_HOLD);
      tapi_test_assert_no_states (others->held);
    }
}

static void
others_init (Others     *others,
             TapiTapi   *app,
             const char *address)
{
  g_autoptr(GError) error = NULL;

  others->consultation = tapi_test_create_call (app, address, "answer");
  others->held = tapi_test_connected_call (app, address, "answer");
  tapi_test_await (others->held, hold, TRUE, &error);
  tapi_test_assert_no_error (&error);
}

static void
others_clear (Others *others)
{
  g_clear_object (&others->consultation);
  g_clear_object (&others->held);
}

/* Wrong states */

START_TEST (test_idle)
{
  static const Op ops[] = {
    OP_ANSWER, OP_DISCONNECT, OP_REJECT, OP_HOLD, OP_UNHOLD, OP_BLIND_TRANSFER,
    OP_TRANSFER, OP_CONFERENCE, OP_FINISH_TRANSFER, OP_FINISH_CONFERENCE,
    OP_SWAP_HOLD, OP_PARK_DIRECT, OP_PARK_INDIRECT, OP_DIAL,
  };
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "answer");
  Others others;

  others_init (&others, a, "100");
  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  others_clear (&others);
}
END_TEST

START_TEST (test_ringing)
{
  static const Op ops[] = {
    OP_CONNECT, OP_ANSWER, OP_HOLD, OP_UNHOLD, OP_BLIND_TRANSFER, OP_TRANSFER,
    OP_CONFERENCE, OP_FINISH_TRANSFER, OP_FINISH_CONFERENCE, OP_SWAP_HOLD,
    OP_PARK_DIRECT, OP_PARK_INDIRECT, OP_UNPARK, OP_PICKUP, OP_DIAL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "ringing");
  TapiTestAsync *connecting;
  Others others;

  others_init (&others, a, "100");
  connecting = tapi_test_start (call, connect);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert_msg (!tapi_test_async_done (connecting),
                 "a refused operation completed the pending connect");

  tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_DROPPED);
  others_clear (&others);
}
END_TEST

START_TEST (test_dial_tone)
{
  static const Op ops[] = {
    OP_CONNECT, OP_ANSWER, OP_HOLD, OP_UNHOLD, OP_BLIND_TRANSFER, OP_TRANSFER,
    OP_CONFERENCE, OP_FINISH_TRANSFER, OP_FINISH_CONFERENCE, OP_SWAP_HOLD,
    OP_PARK_DIRECT, OP_PARK_INDIRECT, OP_UNPARK, OP_PICKUP,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", NULL);
  Others others;

  others_init (&others, a, "100");
  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  others_clear (&others);
}
END_TEST

START_TEST (test_connected)
{
  static const Op ops[] = {
    OP_CONNECT, OP_ANSWER, OP_UNHOLD, OP_FINISH_TRANSFER,
    OP_FINISH_CONFERENCE, OP_UNPARK, OP_PICKUP, OP_DIAL,
  };
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  Others others;

  others_init (&others, a, "100");
  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  others_clear (&others);
}
END_TEST

START_TEST (test_hold)
{
  static const Op ops[] = {
    OP_CONNECT, OP_ANSWER, OP_HOLD, OP_BLIND_TRANSFER, OP_TRANSFER,
    OP_CONFERENCE, OP_FINISH_TRANSFER, OP_FINISH_CONFERENCE, OP_SWAP_HOLD,
    OP_PARK_DIRECT, OP_PARK_INDIRECT, OP_UNPARK, OP_PICKUP, OP_DIAL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  Others others;

  others_init (&others, a, "100");
  tapi_test_await (call, hold, TRUE, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_HOLD);

  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  others_clear (&others);
}
END_TEST

START_TEST (test_offering)
{
  static const Op ops[] = {
    OP_CONNECT, OP_HOLD, OP_UNHOLD, OP_BLIND_TRANSFER, OP_TRANSFER,
    OP_CONFERENCE, OP_FINISH_TRANSFER, OP_FINISH_CONFERENCE, OP_SWAP_HOLD,
    OP_PARK_DIRECT, OP_PARK_INDIRECT, OP_UNPARK, OP_PICKUP, OP_DIAL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "101");
  TapiTestAsync *connecting;
  TapiCall *incoming;
  Others others;

  others_init (&others, b, "101");
  connecting = tapi_test_start (call, connect);
  incoming = tapi_test_next_notification (b, NULL);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);

  check_refused (incoming, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  ck_assert_msg (!tapi_test_async_done (connecting),
                 "a refused operation on the callee completed connect");

  tapi_test_await (incoming, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  others_clear (&others);
}
END_TEST

START_TEST (test_disconnected)
{
  static const Op ops[] = {
    OP_CONNECT, OP_ANSWER, OP_DISCONNECT, OP_REJECT, OP_HOLD, OP_UNHOLD,
    OP_BLIND_TRANSFER, OP_TRANSFER, OP_CONFERENCE, OP_FINISH_TRANSFER,
    OP_FINISH_CONFERENCE, OP_SWAP_HOLD, OP_PARK_DIRECT, OP_PARK_INDIRECT,
    OP_UNPARK, OP_PICKUP, OP_DIAL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  Others others;

  others_init (&others, a, "100");
  tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);

  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_STATE);
  others_clear (&others);
}
END_TEST

START_TEST (test_consultation_call_state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) held = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) ended = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) other = tapi_test_connected_call (a, "100", "answer");

  tapi_test_await (held, hold, TRUE, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_await (ended, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_states_clear (call);
  tapi_test_states_clear (held);
  tapi_test_states_clear (other);

  /* transfer and conference take an IDLE or CONNECTED consultation call */
  ck_assert (!tapi_test_await (call, transfer, held, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (call, transfer, ended, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (call, conference, held, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (call, conference, ended, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);

  /* swap_hold takes a held call */
  ck_assert (!tapi_test_await (call, swap_hold, other, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (call, swap_hold, ended, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (held, TAPI_CALL_STATE_HOLD);
  tapi_test_assert_state (other, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  tapi_test_assert_no_states (held);
  tapi_test_assert_no_states (other);
}
END_TEST

/* Monitors */

START_TEST (test_monitor_connected)
{
  static const Op ops[] = {
    OP_DISCONNECT, OP_HOLD, OP_HANDOFF_DIRECT, OP_HANDOFF_INDIRECT,
    OP_BLIND_TRANSFER, OP_TRANSFER, OP_CONFERENCE, OP_PARK_DIRECT,
    OP_PARK_INDIRECT, OP_SET_APP_SPECIFIC, OP_SET_MEDIA_TYPE,
  };
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *owned = NULL;
  TapiCall *monitored;
  Others others;

  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  monitored = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_wait_for_state (monitored, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (monitored, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_states_clear (owned);
  tapi_test_states_clear (call);

  /* the consultation and held calls are the monitor's own */
  others_init (&others, c, "101");
  check_refused (monitored, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_NOT_OWNER);
  others_clear (&others);

  tapi_test_assert_state (owned, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_no_states (owned);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (owned), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_monitors (owned), 1);
}
END_TEST

START_TEST (test_monitor_offering)
{
  static const Op ops[] = { OP_ANSWER, OP_REJECT, OP_DISCONNECT };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "101");
  TapiTestAsync *connecting;
  TapiCallNotificationEvent event;
  TapiCall *owned, *monitored;

  connecting = tapi_test_start (call, connect);
  owned = tapi_test_next_notification (b, NULL);
  monitored = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_assert_state (monitored, TAPI_CALL_STATE_OFFERING);

  check_refused (monitored, NULL, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_NOT_OWNER);
  tapi_test_assert_state (owned, TAPI_CALL_STATE_OFFERING);
  ck_assert_msg (!tapi_test_async_done (connecting),
                 "the monitor's operations completed connect");

  tapi_test_await (owned, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (monitored, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_monitor_held)
{
  static const Op ops[] = { OP_UNHOLD, OP_DISCONNECT };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  monitored = tapi_test_next_notification (c, NULL);
  tapi_test_await (owned, hold, TRUE, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (monitored, TAPI_CALL_STATE_HOLD);

  check_refused (monitored, NULL, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_NOT_OWNER);
  tapi_test_assert_state (owned, TAPI_CALL_STATE_HOLD);
}
END_TEST

/* Released handles */

START_TEST (test_released_handle)
{
  static const Op ops[] = {
    OP_CONNECT, OP_ANSWER, OP_DISCONNECT, OP_REJECT, OP_HOLD, OP_UNHOLD,
    OP_HANDOFF_DIRECT, OP_HANDOFF_INDIRECT, OP_BLIND_TRANSFER, OP_TRANSFER,
    OP_CONFERENCE, OP_FINISH_TRANSFER, OP_FINISH_CONFERENCE, OP_SWAP_HOLD,
    OP_PARK_DIRECT, OP_PARK_INDIRECT, OP_UNPARK, OP_PICKUP, OP_DIAL,
    OP_REMOVE_FROM_CONFERENCE, OP_RELEASE, OP_SET_PRIVILEGE_OWNER,
    OP_SET_PRIVILEGE_MONITOR, OP_SET_APP_SPECIFIC, OP_SET_MEDIA_TYPE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  Others others;

  others_init (&others, a, "100");
  tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_release (call, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_get_released (call));

  check_refused (call, &others, ops, G_N_ELEMENTS (ops),
                 TAPI_ERROR_INVALID_CALL_HANDLE);
  others_clear (&others);
}
END_TEST

START_TEST (test_released_handle_as_argument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) released = tapi_test_connected_call (a, "100", "answer");

  tapi_test_await (released, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_call_release (released, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_states_clear (call);

  ck_assert (!tapi_test_await (call, transfer, released, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_HANDLE);
  ck_assert (!tapi_test_await (call, conference, released, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_HANDLE);
  ck_assert (!tapi_test_await (call, swap_hold, released, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_HANDLE);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
}
END_TEST

static Suite *
states_suite (void)
{
  Suite *suite = suite_create ("states");
  TCase *tc;

  tc = tcase_create ("wrong-state");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_idle);
  tcase_add_test (tc, test_ringing);
  tcase_add_test (tc, test_dial_tone);
  tcase_add_test (tc, test_connected);
  tcase_add_test (tc, test_hold);
  tcase_add_test (tc, test_offering);
  tcase_add_test (tc, test_disconnected);
  tcase_add_test (tc, test_consultation_call_state);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("monitor");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_monitor_connected);
  tcase_add_test (tc, test_monitor_offering);
  tcase_add_test (tc, test_monitor_held);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("released");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_released_handle);
  tcase_add_test (tc, test_released_handle_as_argument);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (states_suite ());
}
