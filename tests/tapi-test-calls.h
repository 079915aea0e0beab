/* tapi-test-calls.h: calls of the tests and what they emit
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <tapi3.h>

#include "tapi-test-loop.h"
#include "tapi-test-names.h"

G_BEGIN_DECLS

#define TAPI_BCC(call) TAPI_BASIC_CALL_CONTROL (call)

/* Waiting for a call to change */
#define tapi_test_wait_for_state(call, state)                                \
  tapi_test_wait_for (tapi_call_get_state (call) == (state))

#define tapi_test_wait_for_privilege(call, privilege)                        \
  tapi_test_wait_for (tapi_call_get_privilege (call) == (privilege))

#define tapi_test_wait_for_connected_id(call, number)                        \
  tapi_test_wait_for (g_strcmp0 (tapi_call_get_connected_id_number (call),  \
                                 (number)) == 0)

#define tapi_test_wait_for_info(call, change)                                \
  tapi_test_wait_for (tapi_test_info_count ((call), (change)) > 0)

/* Operations of #TapiBasicCallControl run while the default main context
 * runs, so that the other applications of the process keep receiving their
 * events. @op is the name of the operation (`connect`, `hold`, …) and the
 * arguments are those of tapi_basic_call_control_@op_async() between the
 * call and the cancellable. */

/**
 * tapi_test_start:
 * @call: a #TapiCall
 * @op: the operation
 * @...: its arguments
 *
 * Starts tapi_basic_call_control_@op_async() on @call.
 *
 * Returns: (transfer none): the #TapiTestAsync to give to tapi_test_end()
 */
#define tapi_test_start(call, op, ...)                                       \
  ({                                                                         \
    TapiTestAsync *tapi_test_async_ = tapi_test_async_new ();                \
    tapi_basic_call_control_##op##_async (TAPI_BCC (call), ##__VA_ARGS__,    \
                                          NULL, tapi_test_async_cb,          \
                                          tapi_test_async_);                 \
    tapi_test_async_;                                                        \
  })

/**
 * tapi_test_end:
 * @call: the #TapiCall given to tapi_test_start()
 * @op: the operation given to tapi_test_start()
 * @async: what tapi_test_start() returned
 * @error: return location for a #GError
 *
 * Waits for @op to complete, failing the test after %TAPI_TEST_TIMEOUT_MS.
 *
 * Returns: what tapi_basic_call_control_@op_finish() returns
 */
#define tapi_test_end(call, op, async, error)                                \
  tapi_basic_call_control_##op##_finish (TAPI_BCC (call),                    \
                                         tapi_test_async_wait ((async), #op), \
                                         (error))

/**
 * tapi_test_await:
 * @call: a #TapiCall
 * @op: the operation
 * @...: its argument, if it takes one, then a `GError **`
 *
 * Runs @op on @call to its end: tapi_test_start() then tapi_test_end(),
 * as in `tapi_test_await (call, hold, TRUE, &error)`.
 *
 * Returns: what tapi_basic_call_control_@op_finish() returns
 */
#define tapi_test_await(call, op, ...)                                       \
  TAPI_TEST_PICK_ (__VA_ARGS__, TAPI_TEST_AWAIT_1_, TAPI_TEST_AWAIT_0_, 0)   \
    (call, op, __VA_ARGS__)

/* No operation takes more than one argument: the number of arguments
 * after @op picks the variant. */
#define TAPI_TEST_PICK_(a, b, variant, ...) variant

#define TAPI_TEST_AWAIT_0_(call, op, error)                                  \
  ({                                                                         \
    TapiCall *tapi_test_call_ = (call);                                      \
    tapi_test_end (tapi_test_call_, op,                                      \
                   tapi_test_start (tapi_test_call_, op), error);            \
  })

#define TAPI_TEST_AWAIT_1_(call, op, argument, error)                        \
  ({                                                                         \
    TapiCall *tapi_test_call_ = (call);                                      \
    tapi_test_end (tapi_test_call_, op,                                      \
                   tapi_test_start (tapi_test_call_, op, argument), error);  \
  })

#define tapi_test_assert_state(call, expected)                               \
  G_STMT_START {                                                             \
    TapiCallState tapi_test_state_ = tapi_call_get_state (call);             \
    ck_assert_msg (tapi_test_state_ == (expected),                           \
                   "%s is %s, expected %s", #call,                           \
                   tapi_test_state_name (tapi_test_state_),                  \
                   tapi_test_state_name (expected));                         \
  } G_STMT_END

#define tapi_test_assert_cause(call, expected)                               \
  G_STMT_START {                                                             \
    TapiCallStateCause tapi_test_cause_ = tapi_call_get_state_cause (call);  \
    ck_assert_msg (tapi_test_cause_ == (expected),                           \
                   "%s has cause %s, expected %s", #call,                    \
                   tapi_test_cause_name (tapi_test_cause_),                  \
                   tapi_test_cause_name (expected));                         \
  } G_STMT_END

#define tapi_test_assert_privilege(call, expected)                           \
  G_STMT_START {                                                             \
    TapiCallPrivilege tapi_test_priv_ = tapi_call_get_privilege (call);      \
    ck_assert_msg (tapi_test_priv_ == (expected),                            \
                   "%s has privilege %s, expected %s", #call,                \
                   tapi_test_priv_ == TAPI_CALL_PRIVILEGE_OWNER ?            \
                     "OWNER" : "MONITOR",                                    \
                   (expected) == TAPI_CALL_PRIVILEGE_OWNER ?                 \
                     "OWNER" : "MONITOR");                                   \
  } G_STMT_END

/* Calls */
TapiCall    *tapi_test_create_call         (TapiTapi        *app,
                                            const char      *from,
                                            const char      *destination);
TapiCall    *tapi_test_connected_call      (TapiTapi        *app,
                                            const char      *from,
                                            const char      *destination);
TapiCall    *tapi_test_extension_call      (TapiTapi        *caller,
                                            const char      *from,
                                            TapiTapi        *callee,
                                            const char      *to,
                                            TapiCall       **callee_call);
TapiCall    *tapi_test_extension_call_cleared (TapiTapi     *caller,
                                               const char   *from,
                                               TapiTapi     *callee,
                                               const char   *to,
                                               TapiCall    **callee_call);
void         tapi_test_hang_up             (TapiCall        *call);
guint        tapi_test_list_count          (GListModel      *model);
gboolean     tapi_test_list_contains       (GListModel      *model,
                                            gpointer         item);

/* state-changed records, one list per call, started by tapi_test_watch_call()
 * (calls from tapi_test_create_call() and notifications are watched) */
void         tapi_test_watch_call          (TapiCall        *call);
guint        tapi_test_state_count         (TapiCall        *call);
gboolean     tapi_test_state_seen          (TapiCall        *call,
                                            TapiCallState    state);
void         tapi_test_states_clear        (TapiCall        *call);
char        *tapi_test_states_to_string    (TapiCall        *call);
char        *tapi_test_states_diff         (TapiCall        *call,
                                            ...);

/**
 * tapi_test_assert_states:
 * @call: a watched #TapiCall
 * @...: pairs of #TapiCallState and #TapiCallStateCause
 *
 * Fails unless the `state-changed` emissions of @call since it was watched
 * (or cleared) are exactly the given pairs, in order.
 */
#define tapi_test_assert_states(call, ...)                                   \
  G_STMT_START {                                                             \
    g_autofree char *tapi_test_diff_ =                                       \
      tapi_test_states_diff ((call), __VA_ARGS__, -1);                       \
    ck_assert_msg (tapi_test_diff_ == NULL, "%s: %s", #call,                 \
                   tapi_test_diff_);                                         \
  } G_STMT_END

#define tapi_test_assert_no_states(call)                                     \
  G_STMT_START {                                                             \
    g_autofree char *tapi_test_seen_ = tapi_test_states_to_string (call);    \
    ck_assert_msg (tapi_test_state_count (call) == 0,                        \
                   "%s: unexpected state-changed: %s", #call,                \
                   tapi_test_seen_);                                         \
  } G_STMT_END

/* info-changed records, one list per watched call */
guint        tapi_test_info_count          (TapiCall        *call,
                                            TapiCallInfoChange change);
void         tapi_test_infos_clear         (TapiCall        *call);
char        *tapi_test_infos_to_string     (TapiCall        *call);

G_END_DECLS
