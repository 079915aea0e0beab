/* test-handles.c: call handles, release and shutdown
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
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
  c = NULL;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_removed)
{
  *n_removed += removed;
}

static void
assert_listed (TapiTapi *app,
               TapiCall *call,
               gboolean  listed)
{
  GListModel *calls = tapi_tapi_get_calls (app);
  TapiAddress *address = tapi_call_get_address (call);
  GListModel *address_calls = tapi_address_get_calls (address);

  ck_assert_msg (tapi_test_list_contains (calls, call) == listed,
                 "the call is%s in tapi_tapi_get_calls", listed ? " not" : "");
  ck_assert_msg (tapi_test_list_contains (address_calls, call) == listed,
                 "the call is%s in tapi_address_get_calls",
                 listed ? " not" : "");
  if (listed)
    ck_assert_ptr_eq (tapi_tapi_find_call (app, tapi_call_get_call_id (call)),
                      call);
  else
    ck_assert_ptr_null (tapi_tapi_find_call (app,
                                             tapi_call_get_call_id (call)));
}

START_TEST (test_readable_after_disconnect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  guint call_id = tapi_call_get_call_id (call);

  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);

  /* the handle outlives the call */
  tapi_test_spin (2 * TAPI_TEST_QUIET_MS);
  ck_assert (!tapi_call_get_released (call));
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_uint_eq (tapi_call_get_call_id (call), call_id);
  ck_assert_ptr_eq (tapi_call_get_address (call), tapi_test_address (a, "100"));
  ck_assert_str_eq (tapi_call_get_caller_id_number (call), "100");
  ck_assert_str_eq (tapi_call_get_called_id_number (call), "answer");
  ck_assert_int_eq (tapi_call_get_origin (call), TAPI_CALL_ORIGIN_OUTBOUND);
  assert_listed (a, call, TRUE);
}
END_TEST

START_TEST (test_release)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  GListModel *calls = tapi_tapi_get_calls (a);
  TapiAddress *address = tapi_test_address (a, "100");
  GListModel *address_calls = tapi_address_get_calls (address);
  guint removed = 0, address_removed = 0;

  tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  g_signal_connect (calls, "items-changed", G_CALLBACK (items_changed_cb),
                    &removed);
  g_signal_connect (address_calls, "items-changed",
                    G_CALLBACK (items_changed_cb), &address_removed);

  ck_assert (tapi_call_release (call, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_get_released (call));
  tapi_test_wait_for (removed == 1 && address_removed == 1);
  assert_listed (a, call, FALSE);

  ck_assert (!tapi_test_await (call, connect, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_HANDLE);
  ck_assert (!tapi_call_release (call, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_HANDLE);

  g_signal_handlers_disconnect_by_func (calls, items_changed_cb, &removed);
  g_signal_handlers_disconnect_by_func (address_calls, items_changed_cb,
                                        &address_removed);
}
END_TEST

START_TEST (test_release_live_sole_owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");

  tapi_test_states_clear (call);
  ck_assert (!tapi_call_release (call, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert (!tapi_call_get_released (call));
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
  assert_listed (a, call, TRUE);
  ck_assert (tapi_test_await (call, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
}
END_TEST

START_TEST (test_release_monitor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  monitored = tapi_test_next_notification (c, NULL);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (owned) == 1);
  tapi_test_infos_clear (owned);

  /* a monitor may let go of a live call */
  ck_assert (tapi_call_release (monitored, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_get_released (monitored));
  assert_listed (c, monitored, FALSE);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (owned) == 0);
  tapi_test_wait_for_info (owned, TAPI_CALL_INFO_CHANGE_NUMBER_OF_MONITORS);
  tapi_test_assert_state (owned, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_shutdown_with_live_calls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) service = tapi_test_connected_call (a, "100", "answer");
  TapiCall *owned = NULL;

  call = tapi_test_extension_call (a, "100", b, "101", &owned);

  ck_assert (tapi_tapi_shutdown (a, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_tapi_get_initialized (a));
  ck_assert (tapi_call_get_released (call));
  ck_assert (tapi_call_get_released (service));
  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (a)), 0);

  /* nobody else owns A's end: B's call ends */
  tapi_test_wait_for_state (owned, TAPI_CALL_STATE_DISCONNECTED);
  ck_assert (!tapi_call_get_released (owned));
}
END_TEST

START_TEST (test_shutdown_offers_onward)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *owned = NULL;
  TapiCall *onward;

  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  ck_assert_uint_eq (tapi_test_notification_count (c), 0);
  tapi_test_states_clear (call);

  ck_assert (tapi_tapi_shutdown (b, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_get_released (owned));

  /* B owned the call alone: it goes to the next owner */
  onward = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_privilege (onward, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_state (onward, TAPI_CALL_STATE_CONNECTED);
  ck_assert_uint_eq (tapi_call_get_call_id (onward),
                     tapi_call_get_call_id (owned));
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));

  ck_assert (tapi_test_await (onward, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
}
END_TEST

START_TEST (test_operations_after_shutdown)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "answer");
  g_autoptr(TapiAddress) address = g_object_ref (tapi_test_address (a, "100"));
  g_autoptr(TapiCall) created = NULL;
  guint id = tapi_test_register (a, "100", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);

  ck_assert (tapi_tapi_shutdown (a, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_tapi_get_initialized (a));

  created = tapi_address_create_call (address, "answer",
                                      TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                      TAPI_MEDIA_TYPE_AUDIO, &error);
  ck_assert_ptr_null (created);
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  id = tapi_tapi_register_call_notifications (a, address, TRUE, FALSE,
                                              TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert_uint_eq (id, 0);
  ck_assert (!tapi_tapi_unregister_notifications (a, id, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (!tapi_tapi_set_application_priority (a, TAPI_TEST_APP_A,
                                                  TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                  &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (!tapi_tapi_shutdown (a, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (tapi_call_get_released (call));
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);
}
END_TEST

START_TEST (test_call_operations_after_shutdown)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) idle = tapi_test_create_call (a, "100", "answer");
  g_autoptr(TapiCall) ended = tapi_test_connected_call (a, "100", "answer");

  tapi_test_await (ended, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_tapi_shutdown (a, &error));
  tapi_test_assert_no_error (&error);

  /* the application is gone: that is the error, not the handle */
  ck_assert (!tapi_test_await (idle, connect, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (!tapi_call_release (ended, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (!tapi_call_set_privilege (ended, TAPI_CALL_PRIVILEGE_MONITOR,
                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  tapi_test_assert_state (idle, TAPI_CALL_STATE_IDLE);
}
END_TEST

START_TEST (test_shutdown_completes_pending_operations)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "ringing");
  TapiTestAsync *connecting;
  g_autofree char *got = NULL;

  connecting = tapi_test_start (call, connect);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  ck_assert (tapi_tapi_shutdown (a, &error));
  tapi_test_assert_no_error (&error);

  /* the call ended while it was being placed: connect fails, it does
   * not hang */
  ck_assert (!tapi_test_end (call, connect, connecting, &error));
  got = tapi_test_describe_error (error);
  ck_assert_msg (error != NULL && error->domain == TAPI_ERROR &&
                 (error->code == TAPI_ERROR_DROPPED ||
                  error->code == TAPI_ERROR_FAILED),
                 "connect pending at shutdown: expected DROPPED or FAILED, "
                 "got %s", got);
}
END_TEST

START_TEST (test_application_vanishes)
{
  g_autoptr(GError) error = NULL;
  TapiTapi *gone = tapi_tapi_new ("org.example.Gone");
  TapiTestAsync *connecting;
  TapiCall *call;
  TapiCall *owned;

  tapi_tapi_initialize_sync (gone, NULL, &error);
  tapi_test_assert_no_error (&error);
  call = tapi_address_create_call (tapi_tapi_find_address (gone, "100"), "101",
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_no_error (&error);
  connecting = tapi_test_start (call, connect);
  owned = tapi_test_next_notification (b, NULL);
  tapi_test_await (owned, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);

  /* the application goes away without shutting down */
  g_object_unref (call);
  g_object_unref (gone);

  tapi_test_wait_for_state (owned, TAPI_CALL_STATE_DISCONNECTED);
  ck_assert (!tapi_call_get_released (owned));
}
END_TEST

START_TEST (test_other_application_unaffected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) other = tapi_test_connected_call (c, "102", "answer");
  TapiCall *owned = NULL;

  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (owned, TAPI_CALL_STATE_DISCONNECTED);

  /* A lets go of its end; B's handle of the other end stays */
  ck_assert (tapi_call_release (call, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert (!tapi_call_get_released (owned));
  tapi_test_assert_state (owned, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (owned, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  assert_listed (b, owned, TRUE);
  ck_assert (!tapi_test_await (owned, hold, TRUE, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);

  /* A goes away; C's call goes on */
  tapi_tapi_shutdown (a, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert (!tapi_call_get_released (other));
  tapi_test_assert_state (other, TAPI_CALL_STATE_CONNECTED);
  assert_listed (c, other, TRUE);
  ck_assert (tapi_test_await (other, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_call_get_released (owned));
  ck_assert (tapi_call_release (owned, &error));
  tapi_test_assert_no_error (&error);
}
END_TEST

/* The async forms */

START_TEST (test_release_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_connected_call (a, "100", "answer");
  TapiTestAsync *refused = tapi_test_async_new ();
  TapiTestAsync *released = tapi_test_async_new ();
  GAsyncResult *result;

  /* the only owner of a live call cannot let go of it */
  tapi_call_release_async (call, NULL, tapi_test_async_cb, refused);
  result = tapi_test_async_wait (refused, "release");
  ck_assert (!tapi_call_release_finish (call, result, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_call_get_released (call));
  assert_listed (a, call, TRUE);

  tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_call_release_async (call, NULL, tapi_test_async_cb, released);
  result = tapi_test_async_wait (released, "release");
  ck_assert (tapi_call_release_finish (call, result, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_get_released (call));
  assert_listed (a, call, FALSE);
  ck_assert (!tapi_call_release (call, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_HANDLE);
}
END_TEST

START_TEST (test_shutdown_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *shut_down = tapi_test_async_new ();
  TapiTestAsync *again = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;

  call = tapi_test_extension_call (a, "100", b, "101", &owned);

  tapi_tapi_shutdown_async (b, NULL, tapi_test_async_cb, shut_down);
  result = tapi_test_async_wait (shut_down, "shutdown");
  ck_assert (tapi_tapi_shutdown_finish (b, result, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_tapi_get_initialized (b));
  ck_assert (tapi_call_get_released (owned));
  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (b)), 0);
  /* nobody else owns B's end: A's call ends */
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);

  tapi_tapi_shutdown_async (b, NULL, tapi_test_async_cb, again);
  result = tapi_test_async_wait (again, "shutdown");
  ck_assert (!tapi_tapi_shutdown_finish (b, result, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
}
END_TEST

/* Events in a burst, each handled with a blocking operation */

#define BURST_CALLS 3000

typedef struct
{
  guint   handled;
  guint   released;
  GError *error;
} Burst;

static void
release_on_app_specific_cb (TapiCall           *call,
                            TapiCallInfoChange  change,
                            Burst              *burst)
{
  g_autoptr(GError) error = NULL;

  if (change != TAPI_CALL_INFO_CHANGE_APP_SPECIFIC)
    return;
  burst->handled++;
  if (tapi_call_release (call, &error))
    burst->released++;
  else if (burst->error == NULL)
    burst->error = g_steal_pointer (&error);
}

/* A blocking operation waits for its reply, and dispatches the events
 * the broker sent before it; when each of those runs a blocking operation
 * too, the waits nest. However long the burst, every operation completes
 * and the process does not run out of stack. */
START_TEST (test_blocking_in_handlers_of_a_burst)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *config = g_strdup_printf ("[limits]\ncalls=%d\n",
                                             BURST_CALLS);
  Burst burst = { 0 };

  tapi_test_set_sim_config (config);
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  for (guint i = 0; i < BURST_CALLS; i++)
    {
      TapiCall *call = tapi_test_create_call (a, "100", "101");

      g_signal_connect (call, "info-changed",
                        G_CALLBACK (release_on_app_specific_cb), &burst);
      g_ptr_array_add (calls, call);
    }

  /* Each change is an info-changed event, and the broker has sent all
   * of them before it replies to the first release. */
  for (guint i = 0; i < calls->len; i++)
    tapi_call_set_app_specific_async (g_ptr_array_index (calls, i), i + 1, NULL,
                                      NULL, NULL);
  tapi_test_wait_for (burst.handled == BURST_CALLS);

  ck_assert_msg (burst.error == NULL, "a release failed: %s",
                 burst.error ? burst.error->message : "");
  ck_assert_uint_eq (burst.released, BURST_CALLS);
  for (guint i = 0; i < calls->len; i++)
    {
      TapiCall *call = g_ptr_array_index (calls, i);

      ck_assert (tapi_call_get_released (call));
      ck_assert_uint_eq (tapi_call_get_app_specific (call), i + 1);
    }
  tapi_test_wait_for (tapi_test_list_count (tapi_tapi_get_calls (a)) == 0);
}
END_TEST

static Suite *
handles_suite (void)
{
  Suite *suite = suite_create ("handles");
  TCase *tc;

  tc = tcase_create ("release");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_readable_after_disconnect);
  tcase_add_test (tc, test_release);
  tcase_add_test (tc, test_release_live_sole_owner);
  tcase_add_test (tc, test_release_monitor);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("shutdown");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_shutdown_with_live_calls);
  tcase_add_test (tc, test_shutdown_offers_onward);
  tcase_add_test (tc, test_operations_after_shutdown);
  tcase_add_test (tc, test_call_operations_after_shutdown);
  tcase_add_test (tc, test_shutdown_completes_pending_operations);
  tcase_add_test (tc, test_application_vanishes);
  tcase_add_test (tc, test_other_application_unaffected);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("async");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_release_async);
  tcase_add_test (tc, test_shutdown_async);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("burst");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_blocking_in_handlers_of_a_burst);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (handles_suite ());
}
