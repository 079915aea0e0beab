/* test-basics.c: initialization, addresses, registrations and errors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-test-helper.h"

#define ALL_CALL_FEATURES                                                    \
  (TAPI_CALL_FEATURES_CONNECT | TAPI_CALL_FEATURES_ANSWER |                  \
   TAPI_CALL_FEATURES_DISCONNECT | TAPI_CALL_FEATURES_HOLD |                 \
   TAPI_CALL_FEATURES_HANDOFF | TAPI_CALL_FEATURES_BLIND_TRANSFER |          \
   TAPI_CALL_FEATURES_TRANSFER | TAPI_CALL_FEATURES_CONFERENCE |             \
   TAPI_CALL_FEATURES_SWAP_HOLD | TAPI_CALL_FEATURES_PARK |                  \
   TAPI_CALL_FEATURES_UNPARK | TAPI_CALL_FEATURES_PICKUP |                   \
   TAPI_CALL_FEATURES_DIAL | TAPI_CALL_FEATURES_GENERATE_DIGITS |            \
   TAPI_CALL_FEATURES_DETECT_DIGITS | TAPI_CALL_FEATURES_MONITOR_MEDIA)

static TapiTapi *a;
static TapiTapi *b;

static void
setup (void)
{
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
}

static void
setup_reception (void)
{
  tapi_test_set_sim_config ("[extension 101]\nname=Reception\n");
  setup ();
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
notification_cb (TapiTapi                  *app,
                 TapiCall                  *call,
                 TapiCallNotificationEvent  event,
                 TapiCall                 **received)
{
  g_set_object (received, call);
}

/* Initialization */

START_TEST (test_initialize)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTapi) app = tapi_tapi_new ("org.example.Init");
  g_autofree char *name = NULL;
  gboolean initialized = TRUE;
  TapiBrokerMode mode = TAPI_BROKER_MODE_ADDRESS;
  guint notified = 0;

  ck_assert (TAPI_IS_TAPI (app));
  ck_assert (!tapi_tapi_get_initialized (app));
  ck_assert_str_eq (tapi_tapi_get_application_name (app), "org.example.Init");
  g_signal_connect (app, "notify::initialized", G_CALLBACK (count_notify_cb),
                    &notified);

  ck_assert (tapi_tapi_initialize_sync (app, NULL, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_tapi_get_initialized (app));
  ck_assert_uint_eq (notified, 1);
  ck_assert_int_eq (tapi_tapi_get_broker_mode (app), TAPI_BROKER_MODE_EMBEDDED);

  g_object_get (app,
                "application-name", &name,
                "initialized", &initialized,
                "broker-mode", &mode,
                NULL);
  ck_assert_str_eq (name, "org.example.Init");
  ck_assert (initialized);
  ck_assert_int_eq (mode, TAPI_BROKER_MODE_EMBEDDED);

  ck_assert (tapi_tapi_shutdown (app, &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_tapi_get_initialized (app));
  ck_assert_uint_eq (notified, 2);
}
END_TEST

START_TEST (test_initialize_sync_receives_events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTapi) app = tapi_tapi_new ("org.example.Sync");
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) received = NULL;
  TapiTestAsync *connecting;

  /* initialized with the _sync variant, the application still gets its
   * events on the main context it was created in */
  tapi_tapi_initialize_sync (app, NULL, &error);
  tapi_test_assert_no_error (&error);
  tapi_tapi_register_call_notifications (app,
                                         tapi_tapi_find_address (app, "101"),
                                         FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO,
                                         &error);
  tapi_test_assert_no_error (&error);
  g_signal_connect (app, "call-notification", G_CALLBACK (notification_cb),
                    &received);

  call = tapi_test_create_call (a, "100", "101");
  connecting = tapi_test_start (call, connect);
  tapi_test_wait_for (received != NULL);
  tapi_test_assert_state (received, TAPI_CALL_STATE_OFFERING);

  ck_assert (tapi_basic_call_control_answer_sync (TAPI_BCC (received), NULL,
                                                  &error));
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (received, TAPI_CALL_STATE_CONNECTED);

  g_signal_handlers_disconnect_by_func (app, notification_cb, &received);
  tapi_tapi_shutdown (app, &error);
  tapi_test_assert_no_error (&error);
}
END_TEST

START_TEST (test_before_initialize)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTapi) app = tapi_tapi_new ("org.example.Early");
  guint id;

  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_addresses (app)), 0);
  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (app)), 0);
  ck_assert_ptr_null (tapi_tapi_find_address (app, "100"));

  id = tapi_tapi_register_call_notifications (app, tapi_test_address (a, "100"),
                                              FALSE, TRUE,
                                              TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert_uint_eq (id, 0);
  ck_assert (!tapi_tapi_set_application_priority (app, "org.example.Early",
                                                  TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                  &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (!tapi_tapi_unregister_notifications (app, 1, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
  ck_assert (!tapi_tapi_shutdown (app, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_NOT_INITIALIZED);
}
END_TEST

/* Addresses */

START_TEST (test_addresses)
{
  const TapiMediaType media = TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_G3FAX;
  GListModel *addresses = tapi_tapi_get_addresses (a);
  gboolean seen[4] = { FALSE, };

  ck_assert_uint_eq (tapi_test_list_count (addresses), 4);
  ck_assert (g_type_is_a (g_list_model_get_item_type (addresses),
                          TAPI_TYPE_ADDRESS));

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TapiAddress) address = g_list_model_get_item (addresses, i);
      g_autofree char *provider = NULL;
      const char *dialable = tapi_address_get_dialable_address (address);
      TapiMediaType media_types = tapi_address_get_media_types (address);
      TapiAddressType types = tapi_address_get_address_types (address);
      GListModel *calls = tapi_address_get_calls (address);
      guint64 number = 0;

      ck_assert_msg (g_ascii_string_to_unsigned (dialable, 10, 100, 103,
                                                 &number, NULL),
                     "unexpected address %s", dialable);
      ck_assert_msg (!seen[number - 100], "address %s listed twice", dialable);
      seen[number - 100] = TRUE;

      ck_assert_str_eq (tapi_address_get_name (address), dialable);
      ck_assert_str_eq (tapi_address_get_provider_name (address), "sim");
      g_object_get (address, "provider-name", &provider, NULL);
      ck_assert_str_eq (provider, "sim");
      ck_assert_ptr_eq (tapi_address_get_tapi (address), a);
      ck_assert_int_eq (tapi_address_get_state (address),
                        TAPI_ADDRESS_STATE_IN_SERVICE);
      ck_assert_msg ((media_types & media) == media,
                     "%s: media-types 0x%x", dialable, media_types);
      ck_assert (types & TAPI_ADDRESS_TYPE_PHONE_NUMBER);
      ck_assert_uint_eq (tapi_test_list_count (calls), 0);
    }
}
END_TEST

START_TEST (test_address_call_features)
{
  GListModel *addresses = tapi_tapi_get_addresses (a);

  /* the simulated PBX has every feature on every extension */
  for (guint i = 0; i < tapi_test_list_count (addresses); i++)
    {
      g_autoptr(TapiAddress) address = g_list_model_get_item (addresses, i);
      TapiCallFeatures features = tapi_address_get_call_features (address);

      ck_assert_msg ((features & ALL_CALL_FEATURES) == ALL_CALL_FEATURES,
                     "%s: call-features 0x%x lack 0x%x",
                     tapi_address_get_dialable_address (address), features,
                     ALL_CALL_FEATURES & ~features);
    }
}
END_TEST

START_TEST (test_find_address)
{
  GListModel *addresses = tapi_tapi_get_addresses (a);

  for (guint i = 0; i < tapi_test_list_count (addresses); i++)
    {
      g_autoptr(TapiAddress) address = g_list_model_get_item (addresses, i);

      const char *name = tapi_address_get_name (address);
      const char *dialable = tapi_address_get_dialable_address (address);

      ck_assert_ptr_eq (tapi_tapi_find_address (a, name), address);
      ck_assert_ptr_eq (tapi_tapi_find_address (a, dialable), address);
    }

  ck_assert_ptr_null (tapi_tapi_find_address (a, "999"));
  ck_assert_ptr_null (tapi_tapi_find_address (a, "answer"));
  ck_assert_ptr_null (tapi_tapi_find_address (a, ""));

  /* each application has its own address objects */
  ck_assert_ptr_ne (tapi_test_address (a, "100"), tapi_test_address (b, "100"));
  ck_assert_ptr_eq (tapi_address_get_tapi (tapi_test_address (b, "100")), b);
}
END_TEST

START_TEST (test_extension_name)
{
  g_autoptr(TapiCall) call = NULL;
  TapiAddress *address = tapi_test_address (a, "101");
  TapiCall *incoming = NULL;

  /* the keyfile names extension 101; its calls carry that name */
  tapi_test_register (b, "102", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call (a, "101", b, "102", &incoming);
  ck_assert_str_eq (tapi_call_get_caller_id_number (incoming), "101");
  ck_assert_str_eq (tapi_call_get_caller_id_name (incoming), "Reception");
  ck_assert_str_eq (tapi_address_get_dialable_address (address), "101");
}
END_TEST

/* Registrations */

START_TEST (test_register_owner_and_monitor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiCallNotificationEvent event;
  TapiCall *owned = NULL;
  TapiCall *monitored;
  guint owner_id, monitor_id;

  owner_id = tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  monitor_id = tapi_test_register (a, "101", TRUE, FALSE,
                                   TAPI_MEDIA_TYPE_AUDIO);
  ck_assert_uint_ne (owner_id, monitor_id);

  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  monitored = tapi_test_next_notification (a, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_assert_privilege (monitored, TAPI_CALL_PRIVILEGE_MONITOR);
  ck_assert_ptr_eq (tapi_call_get_address (monitored),
                    tapi_test_address (a, "101"));
  ck_assert_uint_eq (tapi_call_get_call_id (monitored),
                     tapi_call_get_call_id (owned));
  ck_assert_ptr_ne (monitored, call);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_uint_eq (tapi_test_notification_count (a), 1);
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);
}
END_TEST

START_TEST (test_register_invalid)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address = tapi_test_address (b, "101");
  TapiMediaType supported = tapi_address_get_media_types (address);
  guint id;

  id = tapi_tapi_register_call_notifications (b, NULL, FALSE, TRUE,
                                              TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
  ck_assert_uint_eq (id, 0);

  /* neither monitor nor owner */
  id = tapi_tapi_register_call_notifications (b, address, FALSE, FALSE,
                                              TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert_uint_eq (id, 0);

  id = tapi_tapi_register_call_notifications (b, address, FALSE, TRUE, 0,
                                              &error);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
  ck_assert_uint_eq (id, 0);

  if ((supported & TAPI_MEDIA_TYPE_VIDEO) == 0)
    {
      id = tapi_tapi_register_call_notifications (b, address, FALSE, TRUE,
                                                  TAPI_MEDIA_TYPE_VIDEO,
                                                  &error);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
      ck_assert_uint_eq (id, 0);
    }

  /* none of these registered anything */
  {
    g_autoptr(TapiCall) call = tapi_test_create_call (a, "100", "101");
    TapiTestAsync *connecting;

    connecting = tapi_test_start (call, connect);
    tapi_test_spin (TAPI_TEST_QUIET_MS);
    ck_assert_uint_eq (tapi_test_notification_count (b), 0);
    if (!tapi_test_async_done (connecting))
      {
        tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
        tapi_test_assert_no_error (&error);
      }
    tapi_test_async_wait (connecting, "connect");
  }
}
END_TEST

START_TEST (test_register_async)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *registered = tapi_test_async_new ();
  TapiTestAsync *refused = tapi_test_async_new ();
  GAsyncResult *result;
  TapiCall *owned = NULL;
  guint id;

  /* another application's address is not one to register on */
  tapi_tapi_register_call_notifications_async (b, tapi_test_address (a, "101"),
                                               FALSE, TRUE,
                                               TAPI_MEDIA_TYPE_AUDIO, NULL,
                                               tapi_test_async_cb, refused);
  result = tapi_test_async_wait (refused, "register_call_notifications");
  id = tapi_tapi_register_call_notifications_finish (b, result, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ADDRESS);
  ck_assert_uint_eq (id, 0);

  tapi_tapi_register_call_notifications_async (b, tapi_test_address (b, "101"),
                                               FALSE, TRUE,
                                               TAPI_MEDIA_TYPE_AUDIO, NULL,
                                               tapi_test_async_cb, registered);
  result = tapi_test_async_wait (registered, "register_call_notifications");
  id = tapi_tapi_register_call_notifications_finish (b, result, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_uint_ne (id, 0);

  /* B owns the calls to 101 now */
  call = tapi_test_extension_call (a, "100", b, "101", &owned);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);

  ck_assert (tapi_tapi_unregister_notifications (b, id, &error));
  tapi_test_assert_no_error (&error);
}
END_TEST

START_TEST (test_unregister)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  TapiTestAsync *connecting;
  TapiCallNotificationEvent event;
  TapiCall *monitored;
  guint owner_id, other_id;

  owner_id = tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_register (b, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);
  other_id = tapi_test_register (a, "101", TRUE, FALSE, TAPI_MEDIA_TYPE_AUDIO);

  ck_assert (tapi_tapi_unregister_notifications (b, owner_id, &error));
  tapi_test_assert_no_error (&error);

  /* twice, unknown, or another application's */
  ck_assert (!tapi_tapi_unregister_notifications (b, owner_id, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_tapi_unregister_notifications (b, 9999, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_tapi_unregister_notifications (b, other_id, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);

  /* B only monitors 101 now; A's registration is intact */
  call = tapi_test_create_call (a, "100", "101");
  connecting = tapi_test_start (call, connect);
  monitored = tapi_test_next_notification (b, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_assert_privilege (monitored, TAPI_CALL_PRIVILEGE_MONITOR);
  monitored = tapi_test_next_notification (a, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_MONITOR);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);

  if (!tapi_test_async_done (connecting))
    {
      tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
      tapi_test_assert_no_error (&error);
    }
  tapi_test_async_wait (connecting, "connect");
}
END_TEST

/* Errors */

START_TEST (test_errors_cross_dbus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) busy = tapi_test_create_call (a, "100", "busy");
  g_autoptr(TapiCall) connected = tapi_test_connected_call (a, "100", "answer");
  g_autofree char *dbus_name = NULL;
  g_autofree char *described = NULL;

  ck_assert (!tapi_test_await (busy, connect, &error));
  described = tapi_test_describe_error (error);
  ck_assert_msg (error != NULL && error->domain == TAPI_ERROR &&
                 error->code == TAPI_ERROR_DEST_BUSY,
                 "connect to busy: %s", described);
  ck_assert (!g_dbus_error_is_remote_error (error));
  ck_assert_msg (strstr (error->message, "GDBus.Error") == NULL &&
                 strstr (error->message, "org.libtapi3.Error") == NULL,
                 "the message still carries the D-Bus error name: %s",
                 error->message);
  dbus_name = g_dbus_error_encode_gerror (error);
  ck_assert_str_eq (dbus_name, "org.libtapi3.Error.DestBusy");
  g_clear_error (&error);

  ck_assert (!tapi_test_await (connected, answer, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_CALL_STATE);
  ck_assert (!tapi_test_await (connected, handoff_direct, TAPI_TEST_APP_A,
                               &error));
  tapi_test_assert_error (&error, TAPI_ERROR_TARGET_SELF);
  ck_assert (!tapi_test_await (connected, park_direct, "42", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_PARK_ID);
  tapi_test_assert_state (connected, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_set_application_priority_invalid)
{
  g_autoptr(GError) error = NULL;
  const TapiMediaType two = TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_G3FAX;

  ck_assert (!tapi_tapi_set_application_priority (a, TAPI_TEST_APP_B, two,
                                                  TRUE, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
  ck_assert (!tapi_tapi_set_application_priority (a, TAPI_TEST_APP_B, 0, TRUE,
                                                  &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_MEDIA_TYPE);
  ck_assert (!tapi_tapi_set_application_priority (a, NULL,
                                                  TAPI_MEDIA_TYPE_AUDIO,
                                                  TRUE, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_tapi_set_application_priority (a, "", TAPI_MEDIA_TYPE_AUDIO,
                                                  TRUE, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);

  /* a valid one still works */
  ck_assert (tapi_tapi_set_application_priority (a, TAPI_TEST_APP_B,
                                                 TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                 &error));
  tapi_test_assert_no_error (&error);
}
END_TEST

static Suite *
basics_suite (void)
{
  Suite *suite = suite_create ("basics");
  TCase *tc;

  tc = tcase_create ("initialize");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_initialize);
  tcase_add_test (tc, test_initialize_sync_receives_events);
  tcase_add_test (tc, test_before_initialize);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("addresses");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_addresses);
  tcase_add_test (tc, test_address_call_features);
  tcase_add_test (tc, test_find_address);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("named-addresses");
  tcase_add_checked_fixture (tc, setup_reception, teardown);
  tcase_add_test (tc, test_extension_name);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("registrations");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_register_owner_and_monitor);
  tcase_add_test (tc, test_register_invalid);
  tcase_add_test (tc, test_unregister);
  tcase_add_test (tc, test_register_async);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("errors");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_errors_cross_dbus);
  tcase_add_test (tc, test_set_application_priority_invalid);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (basics_suite ());
}
