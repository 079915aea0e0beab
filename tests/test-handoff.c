/* test-handoff.c: handoff between applications, priorities, media-type
 * probing and privileges
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

static TapiTapi *a;
static TapiTapi *b;
static TapiTapi *c;
static TapiTapi *d;

static void
setup (void)
{
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  c = tapi_test_app_new (TAPI_TEST_APP_C);
  d = tapi_test_app_new (TAPI_TEST_APP_D);
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
  c = NULL;
  d = NULL;
}

/* A calls 101, B answers: returns A's call, B's call in @owned. */
static TapiCall *
call_b (TapiCall **owned)
{
  TapiCall *call = tapi_test_extension_call_cleared (a, "100", b, "101", owned);

  tapi_test_infos_clear (*owned);

  return call;
}

/* The call of B and everything around it is as it was. */
static void
assert_unchanged (TapiCall *call,
                  TapiCall *owned)
{
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (owned, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_no_states (owned);
  ck_assert_uint_eq (tapi_test_info_count (owned,
                                           TAPI_CALL_INFO_CHANGE_PRIVILEGE), 0);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
}

static void
assert_disconnected_by_failed_handoff (TapiCall *call,
                                       TapiCall *owned)
{
  tapi_test_wait_for_state (owned, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (owned, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
}

/* Directed handoff */

START_TEST (test_direct_new_handle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *owned = NULL;
  TapiCall *handed;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  /* C's media types do not matter to a directed handoff */
  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_G3FAX);
  call = call_b (&owned);
  ck_assert_uint_eq (tapi_test_notification_count (c), 0);

  ck_assert (tapi_test_await (owned, handoff_direct, TAPI_TEST_APP_C, &error));
  tapi_test_assert_no_error (&error);

  handed = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  ck_assert_ptr_ne (handed, owned);
  tapi_test_assert_privilege (handed, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_state (handed, TAPI_CALL_STATE_CONNECTED);
  ck_assert_uint_eq (tapi_call_get_call_id (handed),
                     tapi_call_get_call_id (owned));
  ck_assert_str_eq (tapi_call_get_caller_id_number (handed), "100");

  /* B keeps a monitor handle */
  tapi_test_wait_for_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_wait_for_info (owned, TAPI_CALL_INFO_CHANGE_PRIVILEGE);
  tapi_test_wait_for_info (owned, TAPI_CALL_INFO_CHANGE_NUMBER_OF_MONITORS);
  ck_assert (tapi_test_list_contains (tapi_tapi_get_calls (b), owned));
  ck_assert (!tapi_call_get_released (owned));
  tapi_test_wait_for (tapi_call_get_number_of_monitors (owned) == 1);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (owned), 1);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (handed) == 1);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (handed), 1);

  /* the call itself did not change */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (owned, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (owned);
  tapi_test_assert_no_states (call);
  ck_assert_uint_eq (tapi_test_notification_count (c), 1);

  /* the new owner controls it, the old one no longer does */
  ck_assert (!tapi_test_await (owned, hold, TRUE, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  ck_assert (tapi_test_await (handed, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_test_wait_for_state (owned, TAPI_CALL_STATE_DISCONNECTED);
}
END_TEST

/* The events one application sees about its calls, in order. */
static void
log_notification_cb (TapiTapi                  *app,
                     TapiCall                  *call,
                     TapiCallNotificationEvent  event,
                     GString                   *log)
{
  g_string_append_printf (log, "notification %s %u;",
                          event == TAPI_CALL_NOTIFICATION_EVENT_OWNER ?
                            "OWNER" : "MONITOR",
                          tapi_call_get_privilege (call));
}

static void
log_info_cb (TapiCall           *call,
             TapiCallInfoChange  change,
             GString            *log)
{
  if (change == TAPI_CALL_INFO_CHANGE_PRIVILEGE)
    g_string_append_printf (log, "info PRIVILEGE %u;",
                            tapi_call_get_privilege (call));
}

static void
watch_handoff_events (TapiTapi *app,
                      TapiCall *call,
                      GString  *log)
{
  g_signal_connect (app, "call-notification", G_CALLBACK (log_notification_cb),
                    log);
  g_signal_connect (call, "info-changed", G_CALLBACK (log_info_cb), log);
}

/* @app, which monitored @call, was handed it: it is told as of a new call
 * on that same handle, after its privilege changed. */
static void
assert_told_as_new_call (TapiTapi *app,
                         TapiCall *call,
                         GString  *log)
{
  g_autofree char *expected = g_strdup_printf ("info PRIVILEGE %u;notification OWNER %u;",
                                               TAPI_CALL_PRIVILEGE_OWNER,
                                               TAPI_CALL_PRIVILEGE_OWNER);
  TapiCallNotificationEvent event;

  tapi_test_wait_for (tapi_test_notification_count (app) == 2);
  ck_assert_ptr_eq (tapi_test_notification_get (app, 1, &event), call);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_privilege (call, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_str_eq (log->str, expected);
  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (app)), 1);

  /* and nothing after */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_str_eq (log->str, expected);
  ck_assert_uint_eq (tapi_test_notification_count (app), 2);
  g_signal_handlers_disconnect_by_data (app, log);
  g_signal_handlers_disconnect_by_data (call, log);
}

/* A calls 101, B answers, C monitors it and owns faxes on 101 when
 * @c_owns_fax: returns A's call, B's call in @owned, C's in @monitored. */
static TapiCall *
call_b_monitored_by_c (gboolean   c_owns_fax,
                       TapiCall **owned,
                       TapiCall **monitored)
{
  TapiCallNotificationEvent event;
  TapiCall *call;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, c_owns_fax, TAPI_MEDIA_TYPE_G3FAX);
  call = call_b (owned);
  *monitored = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);

  return call;
}

START_TEST (test_direct_existing_monitor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  TapiCall *owned = NULL;
  TapiCall *monitored = NULL;

  call = call_b_monitored_by_c (FALSE, &owned, &monitored);
  tapi_test_wait_for_state (monitored, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (monitored, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_states_clear (monitored);
  tapi_test_infos_clear (monitored);
  watch_handoff_events (c, monitored, log);

  ck_assert (tapi_test_await (owned, handoff_direct, TAPI_TEST_APP_C, &error));
  tapi_test_assert_no_error (&error);

  /* the same object becomes owner, no new handle */
  assert_told_as_new_call (c, monitored, log);
  ck_assert_uint_eq (tapi_test_info_count (monitored,
                                           TAPI_CALL_INFO_CHANGE_PRIVILEGE), 1);
  tapi_test_wait_for_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_wait_for_info (owned, TAPI_CALL_INFO_CHANGE_PRIVILEGE);
  /* B kept its handle, so it is told of no new call */
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (owned), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_monitors (owned), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (monitored), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_monitors (monitored), 1);
  tapi_test_assert_state (monitored, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (monitored);
  tapi_test_assert_no_states (owned);
  tapi_test_assert_no_states (call);

  ck_assert (tapi_test_await (monitored, hold, TRUE, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (owned, TAPI_CALL_STATE_HOLD);
}
END_TEST

START_TEST (test_direct_target_self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);

  ck_assert (!tapi_test_await (owned, handoff_direct, TAPI_TEST_APP_B, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_SELF);
  assert_unchanged (call, owned);
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);
}
END_TEST

START_TEST (test_direct_target_not_found)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);

  ck_assert (!tapi_test_await (owned, handoff_direct, "org.example.Nobody",
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_NOT_FOUND);
  assert_disconnected_by_failed_handoff (call, owned);
}
END_TEST

START_TEST (test_direct_target_not_registered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  /* D exists but registered on another address only */
  tapi_test_register (d, "102", TRUE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);

  ck_assert (!tapi_test_await (owned, handoff_direct, TAPI_TEST_APP_D, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_NOT_FOUND);
  assert_disconnected_by_failed_handoff (call, owned);
  ck_assert_uint_eq (tapi_test_notification_count (d), 0);
}
END_TEST

START_TEST (test_direct_bad_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);

  ck_assert (!tapi_test_await (owned, handoff_direct, NULL, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_test_await (owned, handoff_direct, "", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  assert_unchanged (call, owned);
}
END_TEST

/* Indirect handoff and priorities */

static void
check_indirect (gboolean  set_priority,
                gboolean  clear_priority,
                TapiTapi *expected,
                TapiTapi *not_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *owned = NULL;
  TapiCall *handed;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_G3FAX);
  tapi_test_register (d, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_G3FAX);
  if (set_priority)
    {
      tapi_tapi_set_application_priority (d, TAPI_TEST_APP_D,
                                          TAPI_MEDIA_TYPE_G3FAX, TRUE, &error);
      tapi_test_assert_no_error (&error);
    }
  if (clear_priority)
    {
      tapi_tapi_set_application_priority (d, TAPI_TEST_APP_D,
                                          TAPI_MEDIA_TYPE_G3FAX, FALSE, &error);
      tapi_test_assert_no_error (&error);
    }
  call = call_b (&owned);

  ck_assert (tapi_test_await (owned, handoff_indirect, TAPI_MEDIA_TYPE_G3FAX,
                              &error));
  tapi_test_assert_no_error (&error);
  handed = tapi_test_next_notification (expected, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_privilege (handed, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_uint_eq (tapi_call_get_call_id (handed),
                     tapi_call_get_call_id (owned));
  tapi_test_wait_for_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_msg (tapi_test_notification_count (not_expected) == 0,
                 "%s received the call too",
                 tapi_tapi_get_application_name (not_expected));
  tapi_test_assert_state (handed, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (owned);
}

START_TEST (test_indirect_first_registered)
{
  check_indirect (FALSE, FALSE, c, d);
}
END_TEST

START_TEST (test_indirect_priority)
{
  check_indirect (TRUE, FALSE, d, c);
}
END_TEST

START_TEST (test_indirect_priority_removed)
{
  check_indirect (TRUE, TRUE, c, d);
}
END_TEST

/* A media-type handoff to an application that monitors the call already:
 * told like a directed one, on the handle it had. */
START_TEST (test_indirect_existing_monitor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  TapiCall *owned = NULL;
  TapiCall *monitored = NULL;

  call = call_b_monitored_by_c (TRUE, &owned, &monitored);
  watch_handoff_events (c, monitored, log);

  ck_assert (tapi_test_await (owned, handoff_indirect, TAPI_MEDIA_TYPE_G3FAX,
                              &error));
  tapi_test_assert_no_error (&error);

  assert_told_as_new_call (c, monitored, log);
  tapi_test_wait_for_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_assert_no_states (owned);
}
END_TEST

static void
check_offer (gboolean  set_priority,
             TapiTapi *expected,
             TapiTapi *not_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (d, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  if (set_priority)
    {
      tapi_tapi_set_application_priority (a, TAPI_TEST_APP_C,
                                          TAPI_MEDIA_TYPE_AUDIO, TRUE, &error);
      tapi_test_assert_no_error (&error);
    }

  call = tapi_test_extension_call (a, "100", expected, "101", &owned);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  monitored = tapi_test_next_notification (d, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_assert_privilege (monitored, TAPI_CALL_PRIVILEGE_MONITOR);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_msg (tapi_test_notification_count (not_expected) == 0,
                 "%s was offered the call too",
                 tapi_tapi_get_application_name (not_expected));
  ck_assert_uint_eq (tapi_test_notification_count (d), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (owned), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_monitors (owned), 1);
}

START_TEST (test_offer_first_registered)
{
  check_offer (FALSE, b, c);
}
END_TEST

START_TEST (test_offer_priority)
{
  check_offer (TRUE, c, b);
}
END_TEST

START_TEST (test_indirect_bad_media_type)
{
  static const guint media_types[] = {
    TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_G3FAX,
    TAPI_MEDIA_TYPE_UNKNOWN | TAPI_MEDIA_TYPE_G3FAX,
    0,
  };
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_G3FAX);
  call = call_b (&owned);

  for (guint i = 0; i < G_N_ELEMENTS (media_types); i++)
    {
      g_autoptr(GError) error = NULL;

      ck_assert_msg (!tapi_test_await (owned, handoff_indirect, media_types[i],
                                       &error),
                     "handoff_indirect (0x%x) succeeded", media_types[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
    }
  assert_unchanged (call, owned);
  ck_assert_uint_eq (tapi_test_notification_count (c), 0);
}
END_TEST

START_TEST (test_indirect_target_self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);

  ck_assert (!tapi_test_await (owned, handoff_indirect, TAPI_MEDIA_TYPE_AUDIO,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_SELF);
  assert_unchanged (call, owned);
}
END_TEST

START_TEST (test_indirect_target_not_found)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  /* a monitor is no owner for an indirect handoff */
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_G3FAX);
  call = call_b (&owned);

  ck_assert (!tapi_test_await (owned, handoff_indirect, TAPI_MEDIA_TYPE_G3FAX,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_NOT_FOUND);
  assert_disconnected_by_failed_handoff (call, owned);
}
END_TEST

/* Probing the media type */

START_TEST (test_probe_unknown_media_type)
{
  const TapiMediaType offered = TAPI_MEDIA_TYPE_UNKNOWN |
    TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_G3FAX;
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *connecting;
  TapiCallNotificationEvent event;
  TapiCall *probing, *voice, *monitored;
  TapiCallMediaControl *media_control;

  /* B: the fax application that receives unknown calls; C: the voice
   * application; D: a monitor. */
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_G3FAX);
  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (d, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);

  call = tapi_address_create_call (tapi_test_address (a, "100"), "101",
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER, offered,
                                   &error);
  tapi_test_assert_no_error (&error);
  tapi_test_watch_call (call);
  connecting = tapi_test_start (call, connect);

  /* UNKNOWN has no owner; G3FAX is the highest bit with one */
  probing = tapi_test_next_notification (b, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  ck_assert_int_eq (tapi_call_get_media_types (probing), offered);
  monitored = tapi_test_next_notification (d, NULL);
  tapi_test_await (probing, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_uint_eq (tapi_test_notification_count (c), 0);
  tapi_test_states_clear (probing);
  tapi_test_states_clear (call);

  /* no media-type detector: fails, and the call stays */
  ck_assert (!tapi_test_await (probing, handoff_indirect,
                               TAPI_MEDIA_TYPE_UNKNOWN, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_NOT_FOUND);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (probing, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (probing, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_no_states (probing);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);

  /* the highest media type is B's own */
  ck_assert (!tapi_test_await (probing, handoff_indirect, TAPI_MEDIA_TYPE_G3FAX,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_SELF);
  tapi_test_assert_state (probing, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (probing, TAPI_CALL_PRIVILEGE_OWNER);

  /* the next one goes to C */
  ck_assert (tapi_test_await (probing, handoff_indirect, TAPI_MEDIA_TYPE_AUDIO,
                              &error));
  tapi_test_assert_no_error (&error);
  voice = tapi_test_next_notification (c, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_privilege (voice, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_wait_for_privilege (probing, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_infos_clear (probing);
  tapi_test_infos_clear (monitored);

  /* C finds it is a voice call and says so */
  media_control = TAPI_CALL_MEDIA_CONTROL (voice);
  ck_assert (tapi_call_media_control_set_media_type (media_control,
                                                     TAPI_MEDIA_TYPE_AUDIO,
                                                     &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_info (probing, TAPI_CALL_INFO_CHANGE_MEDIA_TYPE);
  tapi_test_wait_for_info (monitored, TAPI_CALL_INFO_CHANGE_MEDIA_TYPE);
  ck_assert_int_eq (tapi_call_get_media_types (probing), TAPI_MEDIA_TYPE_AUDIO);
  ck_assert_int_eq (tapi_call_get_media_types (monitored),
                    TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_wait_for (tapi_call_get_media_types (voice) ==
                      TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_assert_state (voice, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

/* Privileges */

START_TEST (test_set_privilege)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);
  monitored = tapi_test_next_notification (c, NULL);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (owned) == 1);
  tapi_test_infos_clear (owned);
  tapi_test_infos_clear (monitored);

  /* a monitor becomes a second owner */
  ck_assert (tapi_call_set_privilege (monitored, TAPI_CALL_PRIVILEGE_OWNER,
                                      &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_privilege (monitored, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_wait_for (tapi_call_get_number_of_owners (owned) == 2);
  tapi_test_wait_for_info (owned, TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (owned) == 0);
  tapi_test_wait_for (tapi_call_get_number_of_owners (monitored) == 2);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);

  /* with two owners one may step down */
  tapi_test_infos_clear (monitored);
  ck_assert (tapi_call_set_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR,
                                      &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR);
  tapi_test_wait_for (tapi_call_get_number_of_owners (monitored) == 1);
  tapi_test_wait_for_info (monitored, TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (monitored) == 1);

  /* the sole owner of a live call may not */
  ck_assert (!tapi_call_set_privilege (monitored, TAPI_CALL_PRIVILEGE_MONITOR,
                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_privilege (monitored, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (owned), 1);
  tapi_test_assert_state (monitored, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
}
END_TEST

START_TEST (test_set_privilege_sole_owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);

  ck_assert (!tapi_call_set_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR,
                                       &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_call_set_privilege (owned, 7, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  assert_unchanged (call, owned);
  ck_assert_uint_eq (tapi_call_get_number_of_owners (owned), 1);
  ck_assert_uint_eq (tapi_call_get_number_of_monitors (owned), 0);

  /* once the call is over, the owner may step down */
  tapi_test_await (owned, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_call_set_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR,
                                      &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_privilege (owned, TAPI_CALL_PRIVILEGE_MONITOR);
}
END_TEST

START_TEST (test_app_specific)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);
  monitored = tapi_test_next_notification (c, NULL);
  tapi_test_infos_clear (monitored);
  ck_assert_uint_eq (tapi_call_get_app_specific (owned), 0);

  /* the owner writes it, every handle of the call reads it */
  ck_assert (tapi_call_set_app_specific (owned, 42, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (tapi_call_get_app_specific (monitored) == 42);
  tapi_test_wait_for_info (monitored, TAPI_CALL_INFO_CHANGE_APP_SPECIFIC);
  tapi_test_wait_for (tapi_call_get_app_specific (owned) == 42);

  ck_assert (!tapi_call_set_app_specific (monitored, 7, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_uint_eq (tapi_call_get_app_specific (owned), 42);
  ck_assert_uint_eq (tapi_call_get_app_specific (monitored), 42);
}
END_TEST

/* The async forms */

/* As call_b(), with C monitoring the call: returns C's call in @monitored. */
static TapiCall *
call_b_monitored (TapiCall **owned,
                  TapiCall **monitored)
{
  TapiCall *call;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (owned);
  *monitored = tapi_test_next_notification (c, NULL);
  tapi_test_wait_for (tapi_call_get_number_of_monitors (*owned) == 1);
  tapi_test_infos_clear (*owned);
  tapi_test_infos_clear (*monitored);
  return call;
}

START_TEST (test_set_privilege_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *refused = tapi_test_async_new ();
  TapiTestAsync *promoted = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  call = call_b_monitored (&owned, &monitored);

  /* the sole owner of a live call may not step down */
  tapi_call_set_privilege_async (owned, TAPI_CALL_PRIVILEGE_MONITOR, NULL,
                                 tapi_test_async_cb, refused);
  result = tapi_test_async_wait (refused, "set_privilege");
  ck_assert (!tapi_call_set_privilege_finish (owned, result, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);

  /* a monitor becomes a second owner */
  tapi_call_set_privilege_async (monitored, TAPI_CALL_PRIVILEGE_OWNER, NULL,
                                 tapi_test_async_cb, promoted);
  result = tapi_test_async_wait (promoted, "set_privilege");
  ck_assert (tapi_call_set_privilege_finish (monitored, result, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_privilege (monitored, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_wait_for (tapi_call_get_number_of_owners (owned) == 2);
  tapi_test_wait_for_info (owned, TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_set_app_specific_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *set = tapi_test_async_new ();
  TapiTestAsync *refused = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  call = call_b_monitored (&owned, &monitored);

  tapi_call_set_app_specific_async (owned, 42, NULL, tapi_test_async_cb, set);
  result = tapi_test_async_wait (set, "set_app_specific");
  ck_assert (tapi_call_set_app_specific_finish (owned, result, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (tapi_call_get_app_specific (monitored) == 42);
  tapi_test_wait_for_info (monitored, TAPI_CALL_INFO_CHANGE_APP_SPECIFIC);
  tapi_test_wait_for (tapi_call_get_app_specific (owned) == 42);

  /* only owners write it */
  tapi_call_set_app_specific_async (monitored, 7, NULL, tapi_test_async_cb,
                                    refused);
  result = tapi_test_async_wait (refused, "set_app_specific");
  ck_assert (!tapi_call_set_app_specific_finish (monitored, result, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_uint_eq (tapi_call_get_app_specific (owned), 42);
  ck_assert_uint_eq (tapi_call_get_app_specific (monitored), 42);
}
END_TEST

START_TEST (test_set_media_type_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *set = tapi_test_async_new ();
  TapiTestAsync *refused = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;
  TapiCall *monitored;

  call = call_b_monitored (&owned, &monitored);

  /* the owner finds the call carries a fax */
  tapi_call_media_control_set_media_type_async (TAPI_CALL_MEDIA_CONTROL (owned),
                                                TAPI_MEDIA_TYPE_G3FAX, NULL,
                                                tapi_test_async_cb, set);
  result = tapi_test_async_wait (set, "set_media_type");
  ck_assert (tapi_call_media_control_set_media_type_finish (TAPI_CALL_MEDIA_CONTROL (owned),
                                                            result, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_info (monitored, TAPI_CALL_INFO_CHANGE_MEDIA_TYPE);
  ck_assert_int_eq (tapi_call_get_media_types (monitored),
                    TAPI_MEDIA_TYPE_G3FAX);
  tapi_test_wait_for (tapi_call_get_media_types (owned) ==
                      TAPI_MEDIA_TYPE_G3FAX);

  /* a monitor may not say so */
  tapi_test_infos_clear (owned);
  tapi_call_media_control_set_media_type_async (TAPI_CALL_MEDIA_CONTROL (monitored),
                                                TAPI_MEDIA_TYPE_AUDIO, NULL,
                                                tapi_test_async_cb, refused);
  result = tapi_test_async_wait (refused, "set_media_type");
  ck_assert (!tapi_call_media_control_set_media_type_finish (TAPI_CALL_MEDIA_CONTROL (monitored),
                                                             result, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_OWNER);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_uint_eq (tapi_test_info_count (owned,
                                           TAPI_CALL_INFO_CHANGE_MEDIA_TYPE),
                     0);
  ck_assert_int_eq (tapi_call_get_media_types (owned), TAPI_MEDIA_TYPE_G3FAX);
}
END_TEST

static void
start_on_app_specific_cb (TapiCall           *call,
                          TapiCallInfoChange  change,
                          TapiTestAsync      *async)
{
  if (change != TAPI_CALL_INFO_CHANGE_APP_SPECIFIC)
    return;
  g_signal_handlers_disconnect_by_func (call, start_on_app_specific_cb, async);
  tapi_call_set_app_specific_async (call, 43, NULL, tapi_test_async_cb, async);
}

START_TEST (test_async_started_by_handler_of_blocking_request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *started = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = call_b (&owned);
  g_signal_connect (owned, "info-changed",
                    G_CALLBACK (start_on_app_specific_cb), started);

  /* the broker tells B before it replies, so the handler runs while the
   * blocking request waits; what it starts completes all the same */
  ck_assert (tapi_call_set_app_specific (owned, 42, &error));
  tapi_test_assert_no_error (&error);
  result = tapi_test_async_wait (started, "set_app_specific from a handler");
  ck_assert (tapi_call_set_app_specific_finish (owned, result, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for (tapi_call_get_app_specific (owned) == 43);
}
END_TEST

START_TEST (test_set_application_priority_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *set = tapi_test_async_new ();
  TapiTestAsync *refused = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;

  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (c, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);

  tapi_tapi_set_application_priority_async (a, TAPI_TEST_APP_C,
                                            TAPI_MEDIA_TYPE_AUDIO |
                                            TAPI_MEDIA_TYPE_G3FAX,
                                            TRUE, NULL, tapi_test_async_cb,
                                            refused);
  result = tapi_test_async_wait (refused, "set_application_priority");
  ck_assert (!tapi_tapi_set_application_priority_finish (a, result, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);

  /* C registered after B, yet comes first */
  tapi_tapi_set_application_priority_async (a, TAPI_TEST_APP_C,
                                            TAPI_MEDIA_TYPE_AUDIO, TRUE, NULL,
                                            tapi_test_async_cb, set);
  result = tapi_test_async_wait (set, "set_application_priority");
  ck_assert (tapi_tapi_set_application_priority_finish (a, result, &error));
  tapi_test_assert_no_error (&error);
  call = tapi_test_extension_call (a, "100", c, "101", &owned);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_uint_eq (tapi_test_notification_count (b), 0);
}
END_TEST

static Suite *
handoff_suite (void)
{
  Suite *suite = suite_create ("handoff");
  TCase *tc;

  tc = tcase_create ("direct");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_direct_new_handle);
  tcase_add_test (tc, test_direct_existing_monitor);
  tcase_add_test (tc, test_direct_target_self);
  tcase_add_test (tc, test_direct_target_not_found);
  tcase_add_test (tc, test_direct_target_not_registered);
  tcase_add_test (tc, test_direct_bad_name);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("indirect");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_indirect_first_registered);
  tcase_add_test (tc, test_indirect_priority);
  tcase_add_test (tc, test_indirect_priority_removed);
  tcase_add_test (tc, test_indirect_existing_monitor);
  tcase_add_test (tc, test_offer_first_registered);
  tcase_add_test (tc, test_offer_priority);
  tcase_add_test (tc, test_indirect_bad_media_type);
  tcase_add_test (tc, test_indirect_target_self);
  tcase_add_test (tc, test_indirect_target_not_found);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("probing");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_probe_unknown_media_type);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("privilege");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_set_privilege);
  tcase_add_test (tc, test_set_privilege_sole_owner);
  tcase_add_test (tc, test_app_specific);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("async");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_set_privilege_async);
  tcase_add_test (tc, test_set_app_specific_async);
  tcase_add_test (tc, test_set_media_type_async);
  tcase_add_test (tc, test_set_application_priority_async);
  tcase_add_test (tc, test_async_started_by_handler_of_blocking_request);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (handoff_suite ());
}
