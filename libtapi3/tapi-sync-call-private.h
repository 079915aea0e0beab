/* tapi-sync-call-private.h: waiting for an asynchronous operation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The _sync and blocking forms of the operations run the asynchronous
 * form on a private main context, so there is one code path and no other
 * source of the caller's context is dispatched while waiting. */
typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} TapiSyncCall;

void          tapi_sync_call_begin   (TapiSyncCall *sync);
void          tapi_sync_call_done_cb (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data);
GAsyncResult *tapi_sync_call_wait    (TapiSyncCall *sync);

G_END_DECLS
