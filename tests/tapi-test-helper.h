/* tapi-test-helper.h: shared code of the libtapi3 test suites
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <tapi3.h>

#include "tapi-test-audio.h"

G_BEGIN_DECLS

/* How long a test waits for anything to happen before it fails. */
#define TAPI_TEST_TIMEOUT_MS 5000

/* How long a test watches for events that must not happen. */
#define TAPI_TEST_QUIET_MS 200

#define TAPI_TEST_APP_A "org.example.A"
#define TAPI_TEST_APP_B "org.example.B"
#define TAPI_TEST_APP_C "org.example.C"
#define TAPI_TEST_APP_D "org.example.D"

#define TAPI_BCC(call) TAPI_BASIC_CALL_CONTROL (call)

/* Process setup and running */
void         tapi_test_init                (void);
int          tapi_test_run                 (Suite           *suite);
void         tapi_test_teardown            (void);

/* Log messages: an unexpected warning or critical fails the test. */
void         tapi_test_expect_message      (const char      *log_domain,
                                            GLogLevelFlags   log_level,
                                            const char      *pattern);
gboolean     tapi_test_expected_messages_seen (void);

/* Main loop */
void         tapi_test_iterate             (void);
void         tapi_test_spin                (guint            milliseconds);

/**
 * tapi_test_wait_for:
 * @expr: a condition
 *
 * Runs the default main context until @expr holds; fails the test when it
 * does not hold within %TAPI_TEST_TIMEOUT_MS.
 */
#define tapi_test_wait_for(expr)                                             \
  G_STMT_START {                                                             \
    gint64 tapi_test_deadline_ = g_get_monotonic_time () +                   \
      TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;                        \
    while (!(expr))                                                          \
      {                                                                      \
        ck_assert_msg (g_get_monotonic_time () < tapi_test_deadline_,        \
                       "Timed out after %d ms waiting for: %s",              \
                       TAPI_TEST_TIMEOUT_MS, #expr);                         \
        tapi_test_iterate ();                                                \
      }                                                                      \
  } G_STMT_END

#define tapi_test_wait_for_state(call, state)                                \
  tapi_test_wait_for (tapi_call_get_state (call) == (state))

#define tapi_test_wait_for_privilege(call, privilege)                        \
  tapi_test_wait_for (tapi_call_get_privilege (call) == (privilege))

#define tapi_test_wait_for_connected_id(call, number)                        \
  tapi_test_wait_for (g_strcmp0 (tapi_call_get_connected_id_number (call),  \
                                 (number)) == 0)

#define tapi_test_wait_for_info(call, change)                                \
  tapi_test_wait_for (tapi_test_info_count ((call), (change)) > 0)

/* Asynchronous results */
typedef struct
{
  GAsyncResult *result;
} TapiTestAsync;

TapiTestAsync *tapi_test_async_new         (void);
void           tapi_test_async_cb          (GObject         *source,
                                            GAsyncResult    *result,
                                            gpointer         user_data);
gboolean       tapi_test_async_done        (TapiTestAsync   *async);
GAsyncResult  *tapi_test_async_wait        (TapiTestAsync   *async,
                                            const char      *what);

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

/* Names of values, for messages */
const char  *tapi_test_error_name          (int              code);
const char  *tapi_test_state_name          (TapiCallState    state);
const char  *tapi_test_cause_name          (TapiCallStateCause cause);
const char  *tapi_test_info_name           (TapiCallInfoChange change);
const char  *tapi_test_media_event_name    (TapiCallMediaEvent event);
const char  *tapi_test_media_cause_name    (TapiCallMediaCause cause);
const char  *tapi_test_stream_state_name   (TapiStreamState  state);
char        *tapi_test_describe_error      (const GError    *error);

/**
 * tapi_test_assert_error:
 * @errorp: a `GError **`
 * @expected_code: the expected #TapiError
 *
 * Fails unless *@errorp is @expected_code in the %TAPI_ERROR domain; clears it.
 */
#define tapi_test_assert_error(errorp, expected_code)                        \
  G_STMT_START {                                                             \
    GError **tapi_test_errorp_ = (errorp);                                   \
    g_autofree char *tapi_test_got_ =                                        \
      tapi_test_describe_error (*tapi_test_errorp_);                         \
    ck_assert_msg (*tapi_test_errorp_ != NULL &&                             \
                   (*tapi_test_errorp_)->domain == TAPI_ERROR &&             \
                   (*tapi_test_errorp_)->code == (int) (expected_code),      \
                   "Expected TAPI_ERROR %s, got %s",                         \
                   tapi_test_error_name (expected_code), tapi_test_got_);    \
    g_clear_error (tapi_test_errorp_);                                       \
  } G_STMT_END

/**
 * tapi_test_assert_no_error:
 * @errorp: a `GError **`
 *
 * Fails if *@errorp is set.
 */
#define tapi_test_assert_no_error(errorp)                                    \
  G_STMT_START {                                                             \
    GError **tapi_test_errorp_ = (errorp);                                   \
    g_autofree char *tapi_test_got_ =                                        \
      tapi_test_describe_error (*tapi_test_errorp_);                         \
    ck_assert_msg (*tapi_test_errorp_ == NULL,                               \
                   "Unexpected error %s", tapi_test_got_);                   \
  } G_STMT_END

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

/* Files */
void         tapi_test_remove_tree         (const char      *path);

/* A keyfile for the simulated PBX; call before the first application. */
void         tapi_test_set_sim_config      (const char      *contents);

/* Applications: created and initialized, shut down by tapi_test_teardown(). */
TapiTapi    *tapi_test_app_new             (const char      *application_name);
TapiAddress *tapi_test_address             (TapiTapi        *app,
                                            const char      *name);
guint        tapi_test_register            (TapiTapi        *app,
                                            const char      *address,
                                            gboolean         monitor,
                                            gboolean         owner,
                                            TapiMediaType    media_types);
void         tapi_test_app_set_auto_answer (TapiTapi        *app,
                                            gboolean         auto_answer);

/* call-notification records, one list per application */
guint        tapi_test_notification_count  (TapiTapi        *app);
TapiCall    *tapi_test_notification_get    (TapiTapi        *app,
                                            guint            index,
                                            TapiCallNotificationEvent *event);
TapiCall    *tapi_test_next_notification   (TapiTapi        *app,
                                            TapiCallNotificationEvent *event);

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

/* Streams and terminals of audio calls */
TapiStream   *tapi_test_stream             (TapiCall              *call,
                                            TapiTerminalDirection  direction);
TapiTerminal *tapi_test_new_terminal       (TapiTapi              *app,
                                            const char            *address,
                                            const char            *terminal_class,
                                            TapiTerminalDirection  direction);
TapiTerminal *tapi_test_new_tone           (TapiTapi              *app,
                                            const char            *address,
                                            double                 frequency);
TapiTerminal *tapi_test_new_recorder       (TapiTapi              *app,
                                            const char            *address,
                                            const char            *path);
void          tapi_test_select_terminal    (TapiStream            *stream,
                                            TapiTerminal          *terminal);
TapiTestAudio *tapi_test_load_recording    (const char            *path);

/* media-event records, one list per call, started by tapi_test_watch_media() */
typedef struct
{
  TapiCallMediaEvent  event;
  TapiCallMediaCause  cause;
  TapiStream         *stream;
  TapiTerminal       *terminal;
  TapiStreamState     stream_state;     /* when it was emitted */
  TapiTerminalState   terminal_state;
  gboolean            connected_seen;   /* CONNECTED was emitted before */
  gint64              time;
} TapiTestMediaRecord;

/* A cause that matches any in tapi_test_find_media_event() */
#define TAPI_TEST_ANY_CAUSE ((TapiCallMediaCause) -1)

void         tapi_test_watch_media         (TapiCall            *call);
guint        tapi_test_media_mark          (TapiCall            *call);
char        *tapi_test_media_events_to_string (TapiCall         *call,
                                               TapiStream       *stream);
TapiTestMediaRecord *tapi_test_find_media_event (TapiCall           *call,
                                                 TapiStream         *stream,
                                                 TapiCallMediaEvent  event,
                                                 TapiCallMediaCause  cause,
                                                 guint               from);
guint        tapi_test_media_event_count   (TapiCall            *call,
                                            TapiStream          *stream,
                                            TapiCallMediaEvent   event);
TapiTestMediaRecord *tapi_test_wait_media_event (TapiCall           *call,
                                                 TapiStream         *stream,
                                                 TapiCallMediaEvent  event,
                                                 guint               from);
char        *tapi_test_media_events_diff   (TapiCall            *call,
                                            TapiStream          *stream,
                                            ...);

/**
 * tapi_test_assert_media_events:
 * @call: a call watched with tapi_test_watch_media()
 * @stream: (nullable): one of its streams, or %NULL for all
 * @...: pairs of #TapiCallMediaEvent and #TapiCallMediaCause
 *
 * Fails unless the `media-event` emissions of @call about @stream are
 * exactly the given pairs, in order.
 */
#define tapi_test_assert_media_events(call, stream, ...)                     \
  G_STMT_START {                                                             \
    g_autofree char *tapi_test_diff_ =                                       \
      tapi_test_media_events_diff ((call), (stream), __VA_ARGS__, -1);       \
    ck_assert_msg (tapi_test_diff_ == NULL, "%s: %s", #stream,               \
                   tapi_test_diff_);                                         \
  } G_STMT_END

/* digit-detected records */
GString     *tapi_test_watch_digits        (TapiCall            *call);

G_END_DECLS
