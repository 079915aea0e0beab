/* test-limits.c: what one application may make the broker keep, and how
 * long its string arguments may be
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-test-helper.h"

/* The defaults of the broker, as docs/session.md gives them. */
#define DEFAULT_CALLS          256
#define DEFAULT_REGISTRATIONS  64
#define MAX_STRING_LENGTH      1024

static void
teardown (void)
{
  tapi_test_teardown ();
}

static TapiCall *
try_create_call (TapiTapi  *app,
                 GError   **error)
{
  TapiCall *call = tapi_address_create_call (tapi_test_address (app, "100"),
                                             "101",
                                             TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                             TAPI_MEDIA_TYPE_AUDIO, error);

  if (call)
    tapi_test_watch_call (call);
  return call;
}

/* Fails unless @error is RESOURCE_UNAVAILABLE naming @key of [limits]. */
static void
assert_limit_error (GError    **error,
                    const char *key)
{
  g_autofree char *name = g_strdup_printf ("[limits] %s", key);

  ck_assert_msg (*error != NULL && strstr ((*error)->message, name) != NULL,
                 "the error does not name %s: %s", name,
                 *error ? (*error)->message : "(none)");
  tapi_test_assert_error (error, TAPI_ERROR_RESOURCE_UNAVAILABLE);
}

static void
assert_calls_refused (TapiTapi *app)
{
  g_autoptr(GError) error = NULL;
  TapiCall *call = try_create_call (app, &error);

  ck_assert_ptr_null (call);
  assert_limit_error (&error, "calls");
}

/* Creates @n calls of @app into @calls. */
static void
create_calls (TapiTapi  *app,
              guint      n,
              GPtrArray *calls)
{
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (calls, tapi_test_create_call (app, "100", "101"));
}

/* Releasing @call of @app makes room for exactly one call, added to
 * @calls. */
static void
release_makes_room (TapiTapi  *app,
                    TapiCall  *call,
                    GPtrArray *calls)
{
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_call_release (call, &error));
  tapi_test_assert_no_error (&error);
  g_ptr_array_add (calls, tapi_test_create_call (app, "100", "101"));
  assert_calls_refused (app);
}

/* Calls */

START_TEST (test_calls_configured)
{
  g_autoptr(GPtrArray) a_calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) b_calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) c_calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  TapiTapi *a, *b, *c;

  tapi_test_set_sim_config ("[limits]\ncalls=3\n");
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  c = tapi_test_app_new (TAPI_TEST_APP_C);
  /* C monitors every call on 100: handles it did not create do not
   * count against it. */
  tapi_test_register (c, "100", TRUE, FALSE, 0);

  create_calls (a, 3, a_calls);
  assert_calls_refused (a);
  assert_calls_refused (a);

  /* Another application is unaffected, and so is the monitor. */
  create_calls (b, 3, b_calls);
  tapi_test_wait_for (tapi_test_list_count (tapi_tapi_get_calls (c)) == 6);
  create_calls (c, 3, c_calls);
  assert_calls_refused (b);
  assert_calls_refused (c);

  release_makes_room (a, g_ptr_array_index (a_calls, 1), a_calls);
}
END_TEST

START_TEST (test_calls_over_count)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  TapiTapi *a, *b;
  TapiCall *call;
  g_autoptr(TapiCall) b_call = NULL;

  tapi_test_set_sim_config ("[limits]\ncalls=2\n");
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  tapi_test_app_set_auto_answer (b, TRUE);

  create_calls (a, 2, calls);
  call = g_ptr_array_index (calls, 0);

  /* A call that is over still counts until it is released: the broker
   * keeps it for the handle. */
  ck_assert (tapi_test_await (call, connect, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  assert_calls_refused (a);
  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  assert_calls_refused (a);

  /* B's leg of the call was offered to B: it counts for neither. */
  ck_assert_uint_eq (tapi_test_notification_count (b), 1);
  b_call = try_create_call (b, &error);
  tapi_test_assert_no_error (&error);

  release_makes_room (a, call, calls);
}
END_TEST

START_TEST (test_calls_default)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) b_call = NULL;
  TapiTapi *a, *b;

  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);

  create_calls (a, DEFAULT_CALLS, calls);
  assert_calls_refused (a);

  b_call = try_create_call (b, &error);
  tapi_test_assert_no_error (&error);

  release_makes_room (a, g_ptr_array_index (calls, 7), calls);
}
END_TEST

/* Registrations */

static guint
try_register (TapiTapi  *app,
              GError   **error)
{
  return tapi_tapi_register_call_notifications (app,
                                                tapi_test_address (app, "100"),
                                                TRUE, FALSE, 0, error);
}

static void
check_registrations (guint limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  TapiTapi *a, *b;
  guint id;

  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);

  for (guint i = 0; i < limit; i++)
    {
      id = try_register (a, &error);
      tapi_test_assert_no_error (&error);
      ck_assert_uint_ne (id, 0);
      g_array_append_val (ids, id);
    }
  ck_assert_uint_eq (try_register (a, &error), 0);
  assert_limit_error (&error, "registrations");

  /* Another application registers as before. */
  ck_assert_uint_ne (try_register (b, &error), 0);
  tapi_test_assert_no_error (&error);

  /* Unregistering one makes room for one. */
  ck_assert (tapi_tapi_unregister_notifications (a,
                                                 g_array_index (ids, guint, 0),
                                                 &error));
  tapi_test_assert_no_error (&error);
  ck_assert_uint_ne (try_register (a, &error), 0);
  tapi_test_assert_no_error (&error);
  ck_assert_uint_eq (try_register (a, &error), 0);
  assert_limit_error (&error, "registrations");

  /* A's registrations still work: it monitors a new call on 100. */
  g_object_unref (tapi_test_create_call (b, "100", "101"));
  tapi_test_wait_for (tapi_test_notification_count (a) == 1);
}

START_TEST (test_registrations_default)
{
  check_registrations (DEFAULT_REGISTRATIONS);
}
END_TEST

START_TEST (test_registrations_configured)
{
  tapi_test_set_sim_config ("[limits]\nregistrations=2\n");
  check_registrations (2);
}
END_TEST

/* Priorities */

START_TEST (test_priorities)
{
  g_autoptr(GError) error = NULL;
  TapiTapi *a, *b;

  tapi_test_set_sim_config ("[limits]\npriorities=2\n");
  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);

  ck_assert (tapi_tapi_set_application_priority (a, "org.example.X",
                                                 TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                 &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_tapi_set_application_priority (a, "org.example.Y",
                                                 TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                 &error));
  tapi_test_assert_no_error (&error);
  ck_assert (!tapi_tapi_set_application_priority (a, "org.example.Z",
                                                  TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                  &error));
  assert_limit_error (&error, "priorities");

  /* Names in the list move, other media types have lists of their own. */
  ck_assert (tapi_tapi_set_application_priority (b, "org.example.X",
                                                 TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                 &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_tapi_set_application_priority (b, TAPI_TEST_APP_B,
                                                 TAPI_MEDIA_TYPE_G3FAX, TRUE,
                                                 &error));
  tapi_test_assert_no_error (&error);

  /* Taking one away makes room. */
  ck_assert (tapi_tapi_set_application_priority (a, "org.example.Y",
                                                 TAPI_MEDIA_TYPE_AUDIO, FALSE,
                                                 &error));
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_tapi_set_application_priority (b, TAPI_TEST_APP_B,
                                                 TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                 &error));
  tapi_test_assert_no_error (&error);
}
END_TEST

/* String arguments */

static char *
long_string (gsize length)
{
  char *string = g_malloc (length + 1);

  memset (string, 'x', length);
  string[length] = '\0';
  return string;
}

START_TEST (test_long_application_name)
{
  g_autofree char *longest = long_string (MAX_STRING_LENGTH);
  g_autofree char *too_long = long_string (MAX_STRING_LENGTH + 1);
  g_autofree char *huge = long_string (1024 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTapi) refused = NULL;
  g_autoptr(TapiTapi) huge_app = NULL;
  TapiTapi *accepted, *b;

  refused = tapi_tapi_new (too_long);
  ck_assert (!tapi_tapi_initialize_sync (refused, NULL, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_tapi_get_initialized (refused));

  huge_app = tapi_tapi_new (huge);
  ck_assert (!tapi_tapi_initialize_sync (huge_app, NULL, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);

  accepted = tapi_test_app_new (longest);
  ck_assert (tapi_tapi_get_initialized (accepted));

  /* The broker serves others as before. */
  b = tapi_test_app_new (TAPI_TEST_APP_B);
  g_object_unref (tapi_test_connected_call (b, "100", "echo"));
}
END_TEST

START_TEST (test_long_arguments)
{
  g_autofree char *too_long = long_string (MAX_STRING_LENGTH + 1);
  g_autofree char *huge = long_string (4 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) refused = NULL;
  TapiCall *owned = NULL;
  TapiTapi *a, *b;

  a = tapi_test_app_new (TAPI_TEST_APP_A);
  b = tapi_test_app_new (TAPI_TEST_APP_B);

  refused = tapi_address_create_call (tapi_test_address (a, "100"), huge,
                                      TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                      TAPI_MEDIA_TYPE_AUDIO, &error);
  ck_assert_ptr_null (refused);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert_uint_eq (tapi_test_list_count (tapi_tapi_get_calls (a)), 0);

  ck_assert (!tapi_tapi_set_application_priority (a, too_long,
                                                  TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                                  &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);

  /* A handoff to a name that long fails without dropping the call. */
  tapi_test_register (b, "101", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  call = tapi_test_extension_call_cleared (a, "100", b, "101", &owned);
  ck_assert (!tapi_test_await (owned, handoff_direct, huge, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_test_await (owned, blind_transfer, too_long, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (!tapi_test_await (owned, park_direct, too_long, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (owned, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_privilege (owned, TAPI_CALL_PRIVILEGE_OWNER);
  tapi_test_assert_no_states (owned);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  ck_assert (tapi_test_await (owned, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
}
END_TEST

/* Configuration */

START_TEST (test_wrong_limit)
{
  static const char *const configs[] = {
    "[limits]\ncalls=0\n",
    "[limits]\nregistrations=-1\n",
    "[limits]\npriorities=many\n",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTapi) app = NULL;

  tapi_test_set_sim_config (configs[_i]);
  app = tapi_tapi_new (TAPI_TEST_APP_A);
  ck_assert (!tapi_tapi_initialize_sync (app, NULL, &error));
  ck_assert_msg (error != NULL && strstr (error->message, "[limits]") != NULL,
                 "the error does not name [limits]: %s",
                 error ? error->message : "(none)");
  ck_assert_msg (error->domain == TAPI_ERROR, "not a TAPI_ERROR: %s",
                 error->message);
}
END_TEST

static Suite *
limits_suite (void)
{
  Suite *suite = suite_create ("limits");
  TCase *tc;

  tc = tcase_create ("calls");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_add_test (tc, test_calls_configured);
  tcase_add_test (tc, test_calls_over_count);
  tcase_add_test (tc, test_calls_default);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("registrations");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_add_test (tc, test_registrations_default);
  tcase_add_test (tc, test_registrations_configured);
  tcase_add_test (tc, test_priorities);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("strings");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_add_test (tc, test_long_application_name);
  tcase_add_test (tc, test_long_arguments);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("configuration");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_add_loop_test (tc, test_wrong_limit, 0, 3);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (limits_suite ());
}
