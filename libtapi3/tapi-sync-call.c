/* tapi-sync-call.c: waiting for an asynchronous operation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-sync-call-private.h"

/* Makes a private main context the thread-default one: start the
 * asynchronous operation after this, with tapi_sync_call_done_cb() and
 * @sync as its callback. */
void
tapi_sync_call_begin (TapiSyncCall *sync)
{
  sync->context = g_main_context_new ();
  sync->result = NULL;
  g_main_context_push_thread_default (sync->context);
}

void
tapi_sync_call_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TapiSyncCall *sync = user_data;

  sync->result = g_object_ref (result);
}

/* Returns: (transfer full): the operation's result, for its _finish */
GAsyncResult *
tapi_sync_call_wait (TapiSyncCall *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (sync->context, TRUE);
  g_main_context_pop_thread_default (sync->context);
  g_main_context_unref (sync->context);
  return sync->result;
}
