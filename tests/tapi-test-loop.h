/* tapi-test-loop.h: running the main loop until something happens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a test waits for anything to happen before it fails. */
#define TAPI_TEST_TIMEOUT_MS 5000

/* How long a test watches for events that must not happen. */
#define TAPI_TEST_QUIET_MS 200

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

G_END_DECLS
