/* tapi-broker-call.h: one call as the broker holds it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-broker-address.h"

G_BEGIN_DECLS

#define TAPI_TYPE_BROKER_CALL (tapi_broker_call_get_type ())

G_DECLARE_FINAL_TYPE (TapiBrokerCall, tapi_broker_call, TAPI, BROKER_CALL, GObject)

TapiBrokerCall    *tapi_broker_call_new                 (TapiBrokerAddress *address,
                                                         TapiCallOrigin     origin,
                                                         TapiMediaType      media_types,
                                                         const char        *destination);

guint              tapi_broker_call_get_id              (TapiBrokerCall    *self);
TapiBrokerAddress *tapi_broker_call_get_address         (TapiBrokerCall    *self);
const char        *tapi_broker_call_get_destination     (TapiBrokerCall    *self);
void               tapi_broker_call_set_destination     (TapiBrokerCall    *self,
                                                         const char        *destination);
TapiCallOrigin     tapi_broker_call_get_origin          (TapiBrokerCall    *self);

TapiCallState      tapi_broker_call_get_state           (TapiBrokerCall    *self);
TapiCallStateCause tapi_broker_call_get_state_cause     (TapiBrokerCall    *self);
void               tapi_broker_call_set_state           (TapiBrokerCall    *self,
                                                         TapiCallState      state,
                                                         TapiCallStateCause cause);
gboolean           tapi_broker_call_is_live             (TapiBrokerCall    *self);
void               tapi_broker_call_set_drop_cause      (TapiBrokerCall    *self,
                                                         TapiCallStateCause cause);

TapiMediaType      tapi_broker_call_get_media_types     (TapiBrokerCall    *self);
void               tapi_broker_call_set_media_types     (TapiBrokerCall    *self,
                                                         TapiMediaType      media_types);
void               tapi_broker_call_set_related_call_id (TapiBrokerCall    *self,
                                                         guint              related_call_id);
void               tapi_broker_call_set_app_specific    (TapiBrokerCall    *self,
                                                         guint              app_specific);

const char        *tapi_broker_call_get_caller_id_name    (TapiBrokerCall *self);
const char        *tapi_broker_call_get_caller_id_number  (TapiBrokerCall *self);
void               tapi_broker_call_set_caller_id         (TapiBrokerCall *self,
                                                           const char     *name,
                                                           const char     *number);
void               tapi_broker_call_set_called_id         (TapiBrokerCall *self,
                                                           const char     *name,
                                                           const char     *number);
const char        *tapi_broker_call_get_connected_id_number (TapiBrokerCall *self);
void               tapi_broker_call_set_connected_id      (TapiBrokerCall *self,
                                                           const char     *name,
                                                           const char     *number);
void               tapi_broker_call_set_redirecting_id_number (TapiBrokerCall *self,
                                                               const char     *number);
void               tapi_broker_call_set_redirection_id_number (TapiBrokerCall *self,
                                                               const char     *number);

/* Handles: which applications hold this call, with which privilege. The
 * broker owns the application objects; the call only keys on them. */
void               tapi_broker_call_set_handle          (TapiBrokerCall    *self,
                                                         gpointer           app,
                                                         TapiCallPrivilege  privilege);
gboolean           tapi_broker_call_lookup_handle       (TapiBrokerCall    *self,
                                                         gpointer           app,
                                                         TapiCallPrivilege *privilege);
void               tapi_broker_call_remove_handle       (TapiBrokerCall    *self,
                                                         gpointer           app);
guint              tapi_broker_call_count_handles       (TapiBrokerCall    *self,
                                                         TapiCallPrivilege  privilege);
GPtrArray         *tapi_broker_call_dup_handle_apps     (TapiBrokerCall    *self);
gpointer           tapi_broker_call_get_media_app       (TapiBrokerCall    *self);

/* The consultation set up by transfer or conference on @original. */
TapiBrokerCall    *tapi_broker_call_get_consultation_of (TapiBrokerCall    *self);
void               tapi_broker_call_set_consultation_of (TapiBrokerCall    *self,
                                                         TapiBrokerCall    *original);

/* Media: the call's RTP and RTCP sockets, bound when first needed, and
 * the media the provider negotiated (a{sv}, see the D-Bus contract). */
gboolean           tapi_broker_call_ensure_sockets      (TapiBrokerCall    *self,
                                                         const char        *bind_address,
                                                         GError           **error);
GSocket           *tapi_broker_call_get_rtp_socket      (TapiBrokerCall    *self);
GSocket           *tapi_broker_call_get_rtcp_socket     (TapiBrokerCall    *self);
guint              tapi_broker_call_get_rtp_port        (TapiBrokerCall    *self);
guint              tapi_broker_call_get_rtcp_port       (TapiBrokerCall    *self);
GVariant          *tapi_broker_call_get_media           (TapiBrokerCall    *self);
void               tapi_broker_call_set_media           (TapiBrokerCall    *self,
                                                         GVariant          *media);

gpointer           tapi_broker_call_get_provider_data   (TapiBrokerCall    *self);
void               tapi_broker_call_set_provider_data   (TapiBrokerCall    *self,
                                                         gpointer           data,
                                                         GDestroyNotify     destroy);

GVariant          *tapi_broker_call_to_variant          (TapiBrokerCall    *self,
                                                         gpointer           app);
GVariant          *tapi_broker_call_changes_to_variant  (TapiBrokerCall    *self,
                                                         gpointer           app);

G_END_DECLS
