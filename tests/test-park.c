/* test-park.c: park, unpark and pickup
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

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
setup_two_orbits (void)
{
  tapi_test_set_sim_config ("[pbx]\npark-orbits=7000-7001\n");
  setup ();
}

static void
teardown (void)
{
  tapi_test_teardown ();
  a = NULL;
  b = NULL;
  c = NULL;
}

/* C (102) takes the call parked at @orbit. */
static TapiCall *
unpark_at_c (const char *orbit)
{
  g_autoptr(GError) error = NULL;
  TapiCall *unparked = tapi_test_create_call (c, "102", orbit);

  ck_assert (tapi_test_await (unparked, unpark, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (unparked, TAPI_CALL_STATE_CONNECTED);
  ck_assert (!tapi_test_state_seen (unparked, TAPI_CALL_STATE_DISCONNECTED));

  return unparked;
}

static void
assert_unpark_fails (TapiTapi   *app,
                     const char *from,
                     const char *orbit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = tapi_test_create_call (app, from, orbit);

  ck_assert_msg (!tapi_test_await (call, unpark, &error),
                 "unpark of \"%s\" succeeded", orbit);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_PARK_ID);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_no_states (call);
}

/* Park */

START_TEST (test_park_direct)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) unparked = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);

  ck_assert (tapi_test_await (b_call, park_direct, "7005", &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_DISCONNECTED);

  /* A waits in the orbit */
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));

  unparked = unpark_at_c ("7005");
  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_wait_for_connected_id (unparked, "100");
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  /* the orbit is empty again */
  assert_unpark_fails (a, "100", "7005");

  tapi_test_await (unparked, disconnect, TAPI_DISCONNECT_CODE_NORMAL, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  /* unpark goes from IDLE to CONNECTED */
  tapi_test_assert_states (unparked,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}
END_TEST

START_TEST (test_park_indirect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) unparked = NULL;
  g_autofree char *orbit = NULL;
  TapiCall *b_call = NULL;
  guint64 number = 0;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);

  orbit = tapi_test_await (b_call, park_indirect, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_ptr_nonnull (orbit);
  ck_assert_msg (strlen (orbit) == 4 &&
                 g_ascii_string_to_unsigned (orbit, 10, 7000, 7099, &number,
                                             NULL),
                 "park_indirect returned \"%s\", not an orbit 7000-7099",
                 orbit);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  ck_assert (!tapi_test_state_seen (call, TAPI_CALL_STATE_DISCONNECTED));

  unparked = unpark_at_c (orbit);
  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_park_direct_invalid_orbit)
{
  const char *orbits[] = { "6999", "7100", "70000", "99" };
  g_autoptr(TapiCall) call = NULL;
  TapiCall *b_call = NULL;

  call = tapi_test_extension_call_cleared (a, "100", b, "101", &b_call);

  for (guint i = 0; i < G_N_ELEMENTS (orbits); i++)
    {
      g_autoptr(GError) error = NULL;

      ck_assert_msg (!tapi_test_await (b_call, park_direct, orbits[i], &error),
                     "park_direct (\"%s\") succeeded", orbits[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_PARK_ID);
    }

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (b_call);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (call);
}
END_TEST

START_TEST (test_park_direct_occupied)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) first = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) second = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) unparked = NULL;

  ck_assert (tapi_test_await (first, park_direct, "7001", &error));
  tapi_test_assert_no_error (&error);
  tapi_test_states_clear (second);

  ck_assert (!tapi_test_await (second, park_direct, "7001", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_RESOURCE_UNAVAILABLE);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (second, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (second);

  /* the first parked party is still there */
  unparked = unpark_at_c ("7001");
  tapi_test_assert_state (unparked, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

START_TEST (test_park_no_free_orbit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) first = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) second = tapi_test_connected_call (a, "100", "answer");
  g_autoptr(TapiCall) third = tapi_test_connected_call (a, "100", "answer");
  g_autofree char *orbit1 = NULL;
  g_autofree char *orbit2 = NULL;
  g_autofree char *orbit3 = NULL;

  /* the keyfile of this fixture has the orbits 7000 and 7001 */
  orbit1 = tapi_test_await (first, park_indirect, &error);
  tapi_test_assert_no_error (&error);
  orbit2 = tapi_test_await (second, park_indirect, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_ptr_nonnull (orbit1);
  ck_assert_ptr_nonnull (orbit2);
  ck_assert_str_ne (orbit1, orbit2);
  ck_assert_msg ((g_str_equal (orbit1, "7000") || g_str_equal (orbit1,
                                                               "7001")) &&
                 (g_str_equal (orbit2, "7000") || g_str_equal (orbit2, "7001")),
                 "orbits %s and %s are outside park-orbits=7000-7001",
                 orbit1, orbit2);
  tapi_test_states_clear (third);

  orbit3 = tapi_test_await (third, park_indirect, &error);
  tapi_test_assert_error (&error, TAPI_ERROR_RESOURCE_UNAVAILABLE);
  ck_assert_ptr_null (orbit3);
  ck_assert (!tapi_test_await (third, park_direct, "7000", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_RESOURCE_UNAVAILABLE);
  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (third, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_no_states (third);
}
END_TEST

/* Unpark */

START_TEST (test_unpark_invalid)
{
  /* an empty orbit, outside the range, an extension, a service */
  assert_unpark_fails (c, "102", "7050");
  assert_unpark_fails (c, "102", "7100");
  assert_unpark_fails (c, "102", "101");
  assert_unpark_fails (c, "102", "answer");
  assert_unpark_fails (c, "102", NULL);
}
END_TEST

/* Pickup */

/* A calls 101, B is offered the call and lets it ring. */
static TapiCall *
ring_b (TapiTestAsync **connecting,
        TapiCall      **b_call)
{
  TapiCall *call = tapi_test_create_call (a, "100", "101");

  *connecting = tapi_test_start (call, connect);
  *b_call = tapi_test_next_notification (b, NULL);
  tapi_test_assert_state (*b_call, TAPI_CALL_STATE_OFFERING);
  tapi_test_wait_for_state (call, TAPI_CALL_STATE_IN_PROGRESS);

  return call;
}

static void
check_pickup (const char *destination,
              const char *group)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) picking = NULL;
  TapiTestAsync *connecting;
  TapiCall *b_call = NULL;

  call = ring_b (&connecting, &b_call);

  picking = tapi_test_create_call (c, "102", destination);
  ck_assert (tapi_test_await (picking, pickup, group, &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (picking, TAPI_CALL_STATE_CONNECTED);

  /* the caller is connected to C, B's offering is gone */
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_wait_for_state (b_call, TAPI_CALL_STATE_DISCONNECTED);
  ck_assert (!tapi_test_state_seen (b_call, TAPI_CALL_STATE_CONNECTED));
  tapi_test_wait_for_connected_id (call, "102");
  tapi_test_wait_for_connected_id (picking, "100");

  /* pickup goes from IDLE to CONNECTED */
  tapi_test_assert_states (picking,
                           TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
}

START_TEST (test_pickup_group)
{
  check_pickup (NULL, "1");
}
END_TEST

START_TEST (test_pickup_destination)
{
  check_pickup ("101", NULL);
}
END_TEST

START_TEST (test_pickup_unknown_group)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(TapiCall) picking = NULL;
  TapiTestAsync *connecting;
  TapiCall *b_call = NULL;

  call = ring_b (&connecting, &b_call);
  tapi_test_states_clear (b_call);

  picking = tapi_test_create_call (c, "102", NULL);
  ck_assert (!tapi_test_await (picking, pickup, "9", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_GROUP_ID);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (picking, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_no_states (picking);
  tapi_test_assert_state (b_call, TAPI_CALL_STATE_OFFERING);
  tapi_test_assert_no_states (b_call);
  ck_assert (!tapi_test_async_done (connecting));

  /* B can still answer */
  tapi_test_await (b_call, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
}
END_TEST

START_TEST (test_pickup_nothing_ringing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) by_group = tapi_test_create_call (c, "102", NULL);
  g_autoptr(TapiCall) by_destination = tapi_test_create_call (c, "102", "103");
  g_autoptr(TapiCall) connected = tapi_test_connected_call (a, "100", "answer");

  /* a connected call is not ringing */
  ck_assert (!tapi_test_await (by_group, pickup, "1", &error));
  tapi_test_assert_error (&error, TAPI_ERROR_CALL_UNAVAILABLE);
  ck_assert (!tapi_test_await (by_destination, pickup, NULL, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_CALL_UNAVAILABLE);

  tapi_test_spin (TAPI_TEST_QUIET_MS);
  tapi_test_assert_state (by_group, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_no_states (by_group);
  tapi_test_assert_state (by_destination, TAPI_CALL_STATE_IDLE);
  tapi_test_assert_no_states (by_destination);
  tapi_test_assert_state (connected, TAPI_CALL_STATE_CONNECTED);
}
END_TEST

static Suite *
park_suite (void)
{
  Suite *suite = suite_create ("park");
  TCase *tc;

  tc = tcase_create ("park");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_park_direct);
  tcase_add_test (tc, test_park_indirect);
  tcase_add_test (tc, test_park_direct_invalid_orbit);
  tcase_add_test (tc, test_park_direct_occupied);
  tcase_add_test (tc, test_unpark_invalid);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("orbits");
  tcase_add_checked_fixture (tc, setup_two_orbits, teardown);
  tcase_add_test (tc, test_park_no_free_orbit);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("pickup");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_pickup_group);
  tcase_add_test (tc, test_pickup_destination);
  tcase_add_test (tc, test_pickup_unknown_group);
  tcase_add_test (tc, test_pickup_nothing_ringing);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (park_suite ());
}
