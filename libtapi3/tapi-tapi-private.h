/* tapi-tapi-private.h: TapiTapi internals shared with TapiAddress and TapiCall
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-dbus-generated.h"
#include "tapi-tapi.h"

G_BEGIN_DECLS

gboolean         tapi_tapi_check_initialized (TapiTapi  *self,
                                              GError   **error);
TapiDBusBroker1 *tapi_tapi_get_broker        (TapiTapi  *self,
                                              GError   **error);
void             tapi_tapi_broker_call_done  (TapiTapi  *self,
                                              GError   **error);
TapiCall        *tapi_tapi_add_call          (TapiTapi  *self,
                                              GVariant  *info);
void             tapi_tapi_remove_call       (TapiTapi  *self,
                                              TapiCall  *call,
                                              gboolean   by_shutdown);

GMainContext *tapi_tapi_get_context       (TapiTapi            *self);
void          tapi_tapi_get_media_async  (TapiTapi            *self,
                                          guint                call_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      tapi_tapi_get_media_finish (TapiTapi            *self,
                                          GAsyncResult        *result,
                                          GVariant           **media,
                                          GSocket            **rtp_socket,
                                          GSocket            **rtcp_socket,
                                          GError             **error);

G_END_DECLS
