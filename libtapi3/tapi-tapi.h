/* tapi-tapi.h: TapiTapi, one per application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-types.h"
#include "tapi-version.h"

G_BEGIN_DECLS

#define TAPI_TYPE_TAPI (tapi_tapi_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiTapi, tapi_tapi, TAPI, TAPI, GObject)

TAPI_AVAILABLE_IN_ALL
TapiTapi       *tapi_tapi_new                  (const char      *application_name);

TAPI_AVAILABLE_IN_ALL
const char     *tapi_tapi_get_application_name (TapiTapi        *self);
TAPI_AVAILABLE_IN_ALL
TapiBrokerMode  tapi_tapi_get_broker_mode      (TapiTapi        *self);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_get_initialized      (TapiTapi        *self);

TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_initialize_sync      (TapiTapi        *self,
                                                GCancellable    *cancellable,
                                                GError         **error);
TAPI_AVAILABLE_IN_ALL
void            tapi_tapi_initialize_async     (TapiTapi        *self,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_initialize_finish    (TapiTapi        *self,
                                                GAsyncResult    *result,
                                                GError         **error);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_shutdown             (TapiTapi        *self,
                                                GError         **error);
TAPI_AVAILABLE_IN_ALL
void            tapi_tapi_shutdown_async       (TapiTapi        *self,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_shutdown_finish      (TapiTapi        *self,
                                                GAsyncResult    *result,
                                                GError         **error);

TAPI_AVAILABLE_IN_ALL
GListModel     *tapi_tapi_get_addresses        (TapiTapi        *self);
TAPI_AVAILABLE_IN_ALL
TapiAddress    *tapi_tapi_find_address         (TapiTapi        *self,
                                                const char      *name_or_dialable_address);
TAPI_AVAILABLE_IN_ALL
GListModel     *tapi_tapi_get_calls            (TapiTapi        *self);
TAPI_AVAILABLE_IN_ALL
TapiCall       *tapi_tapi_find_call            (TapiTapi        *self,
                                                guint            call_id);

TAPI_AVAILABLE_IN_ALL
guint           tapi_tapi_register_call_notifications (TapiTapi     *self,
                                                       TapiAddress  *address,
                                                       gboolean      monitor,
                                                       gboolean      owner,
                                                       TapiMediaType media_types,
                                                       GError      **error);
TAPI_AVAILABLE_IN_ALL
void            tapi_tapi_register_call_notifications_async  (TapiTapi           *self,
                                                              TapiAddress        *address,
                                                              gboolean            monitor,
                                                              gboolean            owner,
                                                              TapiMediaType       media_types,
                                                              GCancellable       *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer            user_data);
TAPI_AVAILABLE_IN_ALL
guint           tapi_tapi_register_call_notifications_finish (TapiTapi           *self,
                                                              GAsyncResult       *result,
                                                              GError            **error);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_unregister_notifications    (TapiTapi     *self,
                                                       guint         registration_id,
                                                       GError      **error);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_set_application_priority    (TapiTapi     *self,
                                                       const char   *application_name,
                                                       TapiMediaType media_type,
                                                       gboolean      priority,
                                                       GError      **error);
TAPI_AVAILABLE_IN_ALL
void            tapi_tapi_set_application_priority_async  (TapiTapi           *self,
                                                           const char         *application_name,
                                                           TapiMediaType       media_type,
                                                           gboolean            priority,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
TAPI_AVAILABLE_IN_ALL
gboolean        tapi_tapi_set_application_priority_finish (TapiTapi           *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

G_END_DECLS
