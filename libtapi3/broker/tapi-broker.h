/* tapi-broker.h: the broker (the TAPI server)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-broker-call.h"
#include "tapi-provider.h"

G_BEGIN_DECLS

#define TAPI_TYPE_BROKER (tapi_broker_get_type ())

G_DECLARE_FINAL_TYPE (TapiBroker, tapi_broker, TAPI, BROKER, GObject)

TapiBroker     *tapi_broker_new                 (GError         **error);
char           *tapi_broker_config_path         (const char      *variable,
                                                 const char      *basename);
void            tapi_broker_add_peer_connection (TapiBroker      *self,
                                                 GDBusConnection *connection);
gboolean        tapi_broker_set_priorities_file (TapiBroker      *self,
                                                 const char      *path,
                                                 GError         **error);
void            tapi_broker_shutdown            (TapiBroker      *self);

/* The broker of this process, on a thread of its own, reached over a
 * private peer-to-peer connection per application. */
void             tapi_broker_connect_embedded_async  (GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GDBusConnection *tapi_broker_connect_embedded_finish (GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
