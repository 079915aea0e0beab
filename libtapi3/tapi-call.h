/* tapi-call.h: TapiCall, an application's handle of a call
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

#define TAPI_TYPE_CALL (tapi_call_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiCall, tapi_call, TAPI, CALL, GObject)

TAPI_AVAILABLE_IN_ALL
TapiAddress        *tapi_call_get_address               (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
TapiCallState       tapi_call_get_state                 (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
TapiCallStateCause  tapi_call_get_state_cause           (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
TapiCallPrivilege   tapi_call_get_privilege             (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
TapiMediaType       tapi_call_get_media_types           (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
TapiCallOrigin      tapi_call_get_origin                (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
guint               tapi_call_get_call_id               (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
guint               tapi_call_get_related_call_id       (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_caller_id_name        (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_caller_id_number      (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_called_id_name        (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_called_id_number      (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_connected_id_name     (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_connected_id_number   (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_redirecting_id_number (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
const char         *tapi_call_get_redirection_id_number (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
guint               tapi_call_get_number_of_owners      (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
guint               tapi_call_get_number_of_monitors    (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
guint               tapi_call_get_app_specific          (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_set_app_specific          (TapiCall *self,
                                                         guint     app_specific,
                                                         GError  **error);
TAPI_AVAILABLE_IN_ALL
void                tapi_call_set_app_specific_async    (TapiCall           *self,
                                                         guint               app_specific,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_set_app_specific_finish   (TapiCall      *self,
                                                         GAsyncResult  *result,
                                                         GError       **error);
TAPI_AVAILABLE_IN_ALL
TapiMediaType       tapi_call_get_detected_media_types  (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_get_media_encrypted       (TapiCall *self);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_get_released              (TapiCall *self);

TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_release                   (TapiCall *self,
                                                         GError  **error);
TAPI_AVAILABLE_IN_ALL
void                tapi_call_release_async             (TapiCall           *self,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_release_finish            (TapiCall      *self,
                                                         GAsyncResult  *result,
                                                         GError       **error);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_set_privilege             (TapiCall         *self,
                                                         TapiCallPrivilege privilege,
                                                         GError          **error);
TAPI_AVAILABLE_IN_ALL
void                tapi_call_set_privilege_async       (TapiCall           *self,
                                                         TapiCallPrivilege   privilege,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_call_set_privilege_finish      (TapiCall      *self,
                                                         GAsyncResult  *result,
                                                         GError       **error);

G_END_DECLS
