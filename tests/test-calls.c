/* test-calls.c: placing, answering, holding and dropping calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

static TapiTapi *a;
static TapiTapi *b;

static void
setup (void)
{
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
}

static void
setup_config (void)
{
  tapi_test_set_sim_config ("[pbx]\nno-answer-timeout=1\n");
  setup ();
}

static void
assert_no_calls (TapiTapi *app)
{
  GListModel *address_calls =
    tapi_address_get_calls (tapi_test_address (app, "100"));

  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (app)), 0);
  ck_assert_uint_eq (tapi_test_list_count (address_calls), 0);
}

/* create_call */

START_TEST (test_create_call_without_destination)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiAddress *address = tapi_test_address (a, "100");

  call = tapi_address_create_call (address, NULL,
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (TAPI_IS_CALL (call));
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_ptr_eq (tapi_call_get_address (call), address);
  ck_assert (tapi_test_list_contains (tapi_tapi_get_calls (a), call));
  ck_assert (tapi_test_list_contains (tapi_address_get_calls (address), call));
}
END_TEST

START_TEST (test_create_call_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) refused = NULL;
  TapiAddress *address = tapi_test_address (a, "100");
  TapiTestAsync *created = tapi_test_async_new ();
  TapiTestAsync *failed = tapi_test_async_new ();
  GAsyncResult *result;

  tapi_address_create_call_async (address, "answer",
                                  TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                  TAPI_MEDIA_TYPE_AUDIO, NULL,
                                  tapi_test_async_cb, created);
  result = tapi_test_async_wait (created, "create_call");
  call = tapi_address_create_call_finish (address, result, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (TAPI_IS_CALL (call));
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_OUTBOUND);
  ck_assert (tapi_test_list_contains (tapi_tapi_get_calls (a), call));
  ck_assert (tapi_test_list_contains (tapi_address_get_calls (address), call));

  /* the call it made is a working one */
  tapi_test_watch_call (call);
  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  tapi_address_create_call_async (address, "12 ab!",
                                  TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                  TAPI_MEDIA_TYPE_AUDIO, NULL,
                                  tapi_test_async_cb, failed);
  result = tapi_test_async_wait (failed, "create_call");
  refused = tapi_address_create_call_finish (address, result, &error);
  ck_assert_ptr_null (refused);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (a)), 1);
}
END_TEST

START_TEST (test_create_call_invalid_address)
{
  const char *destinations[] = { "", "12 ab!", "10 1", "1?2", "\t" };
  TapiAddress *address = tapi_test_address (a, "100");

  for (guint i = 0; i < G_N_ELEMENTS (destinations); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TapiCall) call = NULL;

      call = tapi_address_create_call (address, destinations[i],
                                       TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                       TAPI_MEDIA_TYPE_AUDIO, &error);
      ck_assert_msg (call == NULL, "create_call (\"%s\") made a call",
                     destinations[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
    }
  assert_no_calls (a);
}
END_TEST

START_TEST (test_create_call_invalid_address_type)
{
  static const TapiAddressType defined[] = {
    TAPI_ADDRESS_TYPE_SDP, TAPI_ADDRESS_TYPE_EMAIL_NAME,
    TAPI_ADDRESS_TYPE_DOMAIN_NAME, TAPI_ADDRESS_TYPE_IP_ADDRESS,
  };
  TapiAddress *address = tapi_test_address (a, "100");
  TapiAddressType supported = tapi_address_get_address_types (address);
  GArray *bad = g_array_new (FALSE, FALSE, sizeof (guint));
  guint zero = 0, undefined = 0x40;

  ck_assert_msg (supported & TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                 "address-types 0x%x lacks PHONE_NUMBER", supported);
  g_array_append_val (bad, zero);
  g_array_append_val (bad, undefined);
  for (guint i = 0; i < G_N_ELEMENTS (defined); i++)
    if ((supported & defined[i]) == 0)
      g_array_append_val (bad, defined[i]);

  for (guint i = 0; i < bad->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TapiCall) call = NULL;
      guint type = g_array_index (bad, guint, i);

      call = tapi_address_create_call (address, "answer", type,
                                       TAPI_MEDIA_TYPE_AUDIO, &error);
      ck_assert_msg (call == NULL, "address type 0x%x made a call", type);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS_TYPE);
    }
  g_array_unref (bad);
  assert_no_calls (a);
}
END_TEST

START_TEST (test_create_call_invalid_media_type)
{
  static const TapiMediaType candidates[] = {
    TAPI_MEDIA_TYPE_DATAMODEM, TAPI_MEDIA_TYPE_VIDEO,
    TAPI_MEDIA_TYPE_MULTITRACK,
  };
  TapiAddress *address = tapi_test_address (a, "100");
  TapiMediaType supported = tapi_address_get_media_types (address);
  GArray *bad = g_array_new (FALSE, FALSE, sizeof (guint));
  guint zero = 0, undefined = 0x4;
  gboolean found_unsupported = FALSE;

  ck_assert_msg ((supported & TAPI_MEDIA_TYPE_AUDIO) &&
                 (supported & TAPI_MEDIA_TYPE_G3FAX),
                 "media-types 0x%x lacks AUDIO or G3FAX", supported);
  g_array_append_val (bad, zero);
  g_array_append_val (bad, undefined);
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if ((supported & candidates[i]) == 0)
      {
        guint mixed = candidates[i] | TAPI_MEDIA_TYPE_AUDIO;

        g_array_append_val (bad, candidates[i]);
        g_array_append_val (bad, mixed);
        found_unsupported = TRUE;
      }
  ck_assert_msg (found_unsupported,
                 "the sim address claims every media type: 0x%x", supported);

  for (guint i = 0; i < bad->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TapiCall) call = NULL;
      guint media = g_array_index (bad, guint, i);

      call = tapi_address_create_call (address, "answer",
                                       TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                       media, &error);
      ck_assert_msg (call == NULL, "media types 0x%x made a call", media);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
    }
  g_array_unref (bad);
  assert_no_calls (a);
}
END_TEST

/* Service numbers */

START_TEST (test_connect_answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "answer");

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_NONE);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
}
END_TEST

static void
check_failed_connect (const char         *destination,
                      TapiError           expected_error,
                      TapiCallStateCause  expected_cause)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", destination);

  ck_assert_msg (!tapi_test_await (call, connect, &error),
                 "connect to %s succeeded", destination);
  tapi_test_assert_error (&error, expected_error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, expected_cause);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED, expected_cause);
}

START_TEST (test_connect_busy)
{
  check_failed_connect ("busy", TAPI_ERROR_DEST_BUSY,
                        TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY);
}
END_TEST

START_TEST (test_connect_reject)
{
  check_failed_connect ("reject", TAPI_ERROR_DEST_UNAVAILABLE,
                        TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED);
}
END_TEST

START_TEST (test_connect_unknown_number)
{
  check_failed_connect ("555", TAPI_ERROR_INVALID_ADDRESS,
                        TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS);
}
END_TEST

START_TEST (test_connect_noanswer)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  /* The keyfile of this fixture sets no-answer-timeout=1. */
  check_failed_connect ("noanswer", TAPI_ERROR_DEST_NO_ANSWER,
                        TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER);
  elapsed_ms = (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND;
  /* second timers of GLib may fire up to a quarter second early */
  ck_assert_msg (elapsed_ms >= 700 && elapsed_ms <= 3000,
                 "noanswer gave up after %" G_GINT64_FORMAT " ms, "
                 "expected about 1000 ms", elapsed_ms);
}
END_TEST

/* Hanging up before the no-answer timer fires cancels it: nothing more
 * happens to the call, and the broker stays healthy. */
START_TEST (test_connect_noanswer_hang_up_early)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "noanswer");
  g_autoptr(TapiCall) after = NULL;
  TapiTestAsync *connecting;

  connecting = tapi_test_start (call, connect);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  tapi_test_spin (300);
  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_test_end (call, connect, connecting, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_DROPPED);

  /* past the one-second timeout of this fixture */
  tapi_test_spin (1500);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  after = tapi_test_connected_call (a, "100", "answer");
  tapi_test_assert_state (after, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

/* A monitor of an address gets a handle to calls placed on it by other
 * applications, and follows them. */
START_TEST (test_monitor_sees_outgoing_call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *watched;

  tapi_test_register (b, "100", TRUE, FALSE, 0);
  call = tapi_test_create_call (a, "100", "answer");

  watched = tapi_test_next_notification (b, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  ck_assert_uint_eq (tapi_call_get_call_id (watched),
                     tapi_call_get_call_id (call));
  ck_assert_int_eq (tapi_call_get_privilege (watched),
                    TAPI_CALL_PRIVILEGE_MONITOR);
  ck_assert_int_eq (tapi_call_get_state (watched), TAPI_CALL_STATE_IDLE);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (call) == 1);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (call), 1);

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (watched, TAPI_CALL_STATE_CONNECTED);

  /* A monitor cannot act on it. */
  ck_assert (!tapi_test_await (watched, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_connect_ringing_then_disconnect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "ringing");
  TapiTestAsync *connecting;

  connecting = tapi_test_start (call, connect);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_msg (!tapi_test_async_done (connecting),
                 "connect to ringing completed while it rings");
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);

  ck_assert (!tapi_test_end (call, connect, connecting, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_DROPPED);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}
END_TEST

/* Extension to extension */

START_TEST (test_extension_offering_and_answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "101");
  TapiTestAsync *connecting;
  TapiCallNotificationEvent event;
  TapiCall *incoming;

  connecting = tapi_test_start (call, connect);
  incoming = tapi_test_next_notification (b, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);
  tapi_test_assert_privilege (incoming, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_str_eq (tapi_call_get_caller_id_number (incoming), "100");
  ck_assert_str_eq (tapi_call_get_called_id_number (incoming), "101");
  ck_assert_ptr_eq (tapi_call_get_address (incoming),
                    tapi_test_address (b, "101"));
  ck_assert (tapi_test_list_contains (tapi_tapi_get_calls (b), incoming));

  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_msg (!tapi_test_async_done (connecting),
                 "connect completed before the callee answered");

  ck_assert (tapi_test_await (incoming, answer, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_CONNECTED);

  ck_assert (tapi_test_end (call, connect, connecting, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  ck_assert (tapi_test_state_seen (incoming, TAPI_CALL_STATE_CONNECTED));
  ck_assert (!tapi_test_state_seen (incoming, TAPI_CALL_STATE_DISCONNECTED));

  tapi_test_wait_for_connected_id (call, "101");
  tapi_test_wait_for_connected_id (incoming, "100");
}
END_TEST

static void
check_hang_up (gboolean caller_hangs_up)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *incoming = NULL;
  TapiCall *hanging_up, *other;

  call = tapi_test_extension_call (a, "100", b, "101", &incoming);
  hanging_up = caller_hangs_up ? call : incoming;
  other = caller_hangs_up ? incoming : call;
  tapi_test_states_clear (call);
  tapi_test_states_clear (incoming);

  ck_assert (tapi_test_await (hanging_up, disconnect,
                              TAPI_DISCONNECT_CODE_NORMAL, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (hanging_up, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (hanging_up, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  tapi_test_wait_for_state (other, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_states (hanging_up,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_assert_states (other,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}

START_TEST (test_extension_caller_hangs_up)
{
  check_hang_up (TRUE);
}
END_TEST

START_TEST (test_extension_callee_hangs_up)
{
  check_hang_up (FALSE);
}
END_TEST

static void
check_refused (TapiDisconnectCode  code,
               TapiError           expected_error,
               TapiCallStateCause  expected_cause)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "101");
  TapiTestAsync *connecting;
  TapiCall *incoming;

  connecting = tapi_test_start (call, connect);
  incoming = tapi_test_next_notification (b, NULL);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);

  ck_assert (tapi_test_await (incoming, disconnect, code, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_DISCONNECTED);

  ck_assert (!tapi_test_end (call, connect, connecting, &error));
  tapi_test_assert_error (&error, expected_error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, expected_cause);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED, expected_cause);
}

START_TEST (test_extension_reject)
{
  check_refused (TAPI_DISCONNECT_CODE_REJECTED, TAPI_ERROR_DEST_UNAVAILABLE,
                 TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED);
}
END_TEST

START_TEST (test_extension_refuse_no_answer)
{
  check_refused (TAPI_DISCONNECT_CODE_NO_ANSWER, TAPI_ERROR_DEST_NO_ANSWER,
                 TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER);
}
END_TEST

START_TEST (test_extension_caller_gives_up)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "101");
  TapiTestAsync *connecting;
  TapiCall *incoming;

  connecting = tapi_test_start (call, connect);
  incoming = tapi_test_next_notification (b, NULL);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_test_end (call, connect, connecting, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_DROPPED);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  /* an offering abandoned by its caller ends with the cause for that */
  tapi_test_wait_for_state (incoming, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (incoming, TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED);
}
END_TEST

/* Hold */

START_TEST (test_hold_and_unhold)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");

  tapi_test_states_clear (call);
  ck_assert (tapi_test_await (call, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_HOLD);

  ck_assert (tapi_test_await (call, hold, FALSE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_HOLD, TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
}
END_TEST

START_TEST (test_hold_extension_then_hang_up)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *incoming = NULL;

  call = tapi_test_extension_call (a, "100", b, "101", &incoming);
  ck_assert (tapi_test_await (call, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_HOLD);
  ck_assert (!tapi_test_state_seen (incoming, TAPI_CALL_STATE_DISCONNECTED));

  /* disconnect starts from HOLD too */
  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_wait_for_state (incoming, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (incoming, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}
END_TEST

/* Dial tone */

START_TEST (test_dial_tone_then_dial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", NULL);

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE);

  ck_assert (tapi_test_await (call, dial, "answer", &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_states (call,
                           TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  ck_assert_str_eq (tapi_call_get_called_id_number (call), "answer");
}
END_TEST

START_TEST (test_dial_extension)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", NULL);
  TapiTestAsync *dialing;
  TapiCall *incoming;

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);

  dialing = tapi_test_start (call, dial, "101");
  incoming = tapi_test_next_notification (b, NULL);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);
  ck_assert_str_eq (tapi_call_get_caller_id_number (incoming), "100");
  ck_assert_msg (!tapi_test_async_done (dialing),
                 "dial completed before the callee answered");

  ck_assert (tapi_test_await (incoming, answer, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_test_end (call, dial, dialing, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_wait_for_connected_id (call, "101");
}
END_TEST

START_TEST (test_dial_busy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", NULL);

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);

  ck_assert (!tapi_test_await (call, dial, "busy", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_DEST_BUSY);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY);
}
END_TEST

START_TEST (test_dial_malformed)
{
  const char *destinations[] = { NULL, "", "12 ab!" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", NULL);

  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_states_clear (call);

  for (guint i = 0; i < G_N_ELEMENTS (destinations); i++)
    {
      ck_assert_msg (!tapi_test_await (call, dial, destinations[i], &error),
                     "dial (\"%s\") succeeded", destinations[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
    }

  /* Nothing was dialled: the call still has its dial tone. */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IN_PROGRESS);
  tapi_test_assert_no_states (call);
  ck_assert (tapi_test_await (call, dial, "answer", &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

/* Call properties */

START_TEST (test_properties_outbound)
{
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  TapiAddress *address = tapi_test_address (a, "100");

  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_OUTBOUND);
  ck_assert_uint_ne (tapi_call_get_call_id (call), 0);
  ck_assert_ptr_eq (tapi_call_get_address (call), address);
  ck_assert_str_eq (tapi_call_get_caller_id_number (call), "100");
  ck_assert_str_eq (tapi_call_get_called_id_number (call), "answer");
  ck_assert_int_eq (tapi_call_get_media_types (call), TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (call), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_monitors (call), 0);
  ck_assert_ptr_eq (tapi_tapi_find_call (a, tapi_call_get_call_id (call)),
                    call);
  ck_assert (tapi_test_list_contains (tapi_tapi_get_calls (a), call));
  ck_assert (tapi_test_list_contains (tapi_address_get_calls (address), call));
  address = tapi_test_address (a, "101");
  ck_assert (!tapi_test_list_contains (tapi_address_get_calls (address), call));
}
END_TEST

START_TEST (test_properties_internal)
{
  g_autoptr(TapiCall) call = NULL;
  TapiCall *incoming = NULL;

  call = tapi_test_extension_call (a, "100", b, "101", &incoming);

  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_OUTBOUND);
  ck_assert_int_eq (tapi_call_get_origin (incoming), TAPI_CALL_ORIGIN_INTERNAL);
  ck_assert_str_eq (tapi_call_get_caller_id_number (call), "100");
  ck_assert_str_eq (tapi_call_get_called_id_number (call), "101");
  ck_assert_str_eq (tapi_call_get_caller_id_number (incoming), "100");
  ck_assert_str_eq (tapi_call_get_called_id_number (incoming), "101");
  ck_assert_str_eq (tapi_call_get_connected_id_number (call), "101");
  ck_assert_str_eq (tapi_call_get_connected_id_number (incoming), "100");
  ck_assert_ptr_eq (tapi_call_get_address (incoming),
                    tapi_test_address (b, "101"));
  ck_assert_int_eq (tapi_call_get_media_types (incoming),
                    TAPI_MEDIA_TYPE_AUDIO);

  /* Two calls, one on each extension, each known to its own application. */
  ck_assert_uint_ne (tapi_call_get_call_id (call), 0);
  ck_assert_uint_ne (tapi_call_get_call_id (incoming), 0);
  ck_assert_uint_ne (tapi_call_get_call_id (call),
                     tapi_call_get_call_id (incoming));
  ck_assert_ptr_eq (tapi_tapi_find_call (b, tapi_call_get_call_id (incoming)),
                    incoming);
  ck_assert_ptr_null (tapi_tapi_find_call (b, tapi_call_get_call_id (call)));
  ck_assert_ptr_null (tapi_tapi_find_call (a,
                                           tapi_call_get_call_id (incoming)));
  ck_assert (!tapi_test_list_contains (tapi_tapi_get_calls (a), incoming));
}
END_TEST

static Suite *
calls_suite (void)
{
  Suite *suite = suite_create ("calls");
  TCase *tc;

  tc = tcase_create ("create-call");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_create_call_without_destination);
  tcase_add_test (tc, test_create_call_async);
  tcase_add_test (tc, test_create_call_invalid_address);
  tcase_add_test (tc, test_create_call_invalid_address_type);
  tcase_add_test (tc, test_create_call_invalid_media_type);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("services");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_connect_answer);
  tcase_add_test (tc, test_connect_busy);
  tcase_add_test (tc, test_connect_reject);
  tcase_add_test (tc, test_connect_unknown_number);
  tcase_add_test (tc, test_connect_ringing_then_disconnect);
  tcase_add_test (tc, test_monitor_sees_outgoing_call);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("no-answer");
  tcase_add_checked_fixture (tc, setup_config, teardown);
  tcase_add_test (tc, test_connect_noanswer);
  tcase_add_test (tc, test_connect_noanswer_hang_up_early);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("extensions");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_extension_offering_and_answer);
  tcase_add_test (tc, test_extension_caller_hangs_up);
  tcase_add_test (tc, test_extension_callee_hangs_up);
  tcase_add_test (tc, test_extension_reject);
  tcase_add_test (tc, test_extension_refuse_no_answer);
  tcase_add_test (tc, test_extension_caller_gives_up);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("hold");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_hold_and_unhold);
  tcase_add_test (tc, test_hold_extension_then_hang_up);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("dial");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_dial_tone_then_dial);
  tcase_add_test (tc, test_dial_extension);
  tcase_add_test (tc, test_dial_busy);
  tcase_add_test (tc, test_dial_malformed);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("properties");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_properties_outbound);
  tcase_add_test (tc, test_properties_internal);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (calls_suite ());
}
