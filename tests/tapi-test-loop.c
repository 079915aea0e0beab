/* tapi-test-loop.c: running the main loop until something happens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

/* Main loop */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * tapi_test_iterate:
 *
 * Dispatches the default main context once, waiting at most 10 ms.
 */
void
tapi_test_iterate (void)
{
  GSource *source = g_timeout_source_new (10);

  g_source_set_callback (source, wake_up_cb, NULL, NULL);
  g_source_attach (source, NULL);
  g_main_context_iteration (NULL, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
}

/**
 * tapi_test_spin:
 * @milliseconds: how long
 *
 * Runs the default main context for @milliseconds.
 */
void
tapi_test_spin (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () +
    milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    tapi_test_iterate ();
}

/* Asynchronous results */

/* Results live until the process ends: a test process is short, and an
 * operation still pending when a test ends must not write to freed
 * memory. */
static GPtrArray *asyncs;

TapiTestAsync *
tapi_test_async_new (void)
{
  TapiTestAsync *async = g_new0 (TapiTestAsync, 1);

  if (asyncs == NULL)
    asyncs = g_ptr_array_new ();
  g_ptr_array_add (asyncs, async);

  return async;
}

void
tapi_test_async_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TapiTestAsync *async = user_data;

  ck_assert_msg (async->result == NULL,
                 "An asynchronous operation completed twice");
  async->result = g_object_ref (result);
}

gboolean
tapi_test_async_done (TapiTestAsync *async)
{
  return async->result != NULL;
}

/**
 * tapi_test_async_wait:
 * @async: a #TapiTestAsync passed to an `_async` function
 * @what: the operation, for the failure message
 *
 * Runs the default main context until the operation completes; fails the
 * test when it does not complete within %TAPI_TEST_TIMEOUT_MS.
 *
 * Returns: (transfer none): the result
 */
GAsyncResult *
tapi_test_async_wait (TapiTestAsync *async,
                      const char    *what)
{
  gint64 deadline = g_get_monotonic_time () +
    TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (async->result == NULL)
    {
      ck_assert_msg (g_get_monotonic_time () < deadline,
                     "%s did not complete within %d ms",
                     what, TAPI_TEST_TIMEOUT_MS);
      tapi_test_iterate ();
    }

  return async->result;
}
