/* tapi-call-private.h: TapiCall internals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-basic-call-control.h"
#include "tapi-call.h"
#include "tapi-call-media-control.h"
#include "tapi-dbus-generated.h"
#include "tapi-media-session.h"
#include "tapi-stream-control.h"
#include "tapi-stream.h"
#include "tapi-terminal.h"

G_BEGIN_DECLS

struct _TapiCall
{
  GObject             parent_instance;

  TapiTapi           *tapi;       /* unowned: the application holds its calls */
  TapiAddress        *address;
  gboolean            released;
  gboolean            shut_down;
  gboolean            orphaned;
  gboolean            media_owner;   /* this owner runs the call's media */
  TapiMediaSession   *media;

  guint               id;
  guint               state;
  guint               state_cause;
  guint               privilege;
  guint               media_types;
  guint               origin;
  guint               related_call_id;
  char               *caller_id_name;
  char               *caller_id_number;
  char               *called_id_name;
  char               *called_id_number;
  char               *connected_id_name;
  char               *connected_id_number;
  char               *redirecting_id_number;
  char               *redirection_id_number;
  guint               number_of_owners;
  guint               number_of_monitors;
  guint               app_specific;
  guint               detected_media_types;
  gboolean            media_encrypted;
};

/* The generated _finish of a broker method without results. */
typedef gboolean (*BrokerFinishFunc) (TapiDBusBroker1  *broker,
                                      GAsyncResult     *result,
                                      GError          **error);

TapiCall *tapi_call_new                (TapiTapi           *tapi,
                                        TapiAddress        *address,
                                        GVariant           *info);
void      tapi_call_apply_info         (TapiCall           *self,
                                        GVariant           *info);
void      tapi_call_emit_state_changed (TapiCall           *self,
                                        TapiCallState       state,
                                        TapiCallStateCause  cause);
void      tapi_call_emit_info_changed  (TapiCall           *self,
                                        TapiCallInfoChange  change);
void      tapi_call_mark_released      (TapiCall           *self,
                                        gboolean            by_shutdown);
void      tapi_call_mark_orphaned      (TapiCall           *self);

void      tapi_call_set_media          (TapiCall           *self,
                                        GVariant           *media);
void      tapi_call_digit_received     (TapiCall           *self,
                                        char                digit);
void      tapi_call_relay_media_event  (TapiCall           *self,
                                        TapiCallMediaEvent  event,
                                        TapiCallMediaCause  cause,
                                        guint               direction);

/* tapi-call-control.c: checks, broker operations, TapiBasicCallControl */
gboolean check_usable          (TapiCall  *self,
                                GError   **error);
gboolean check_owner           (TapiCall  *self,
                                GError   **error);
gboolean check_feature         (TapiCall          *self,
                                TapiCallFeatures   feature,
                                GError           **error);
gboolean check_connected       (TapiCall  *self,
                                GError   **error);
GTask   *operation_new         (TapiCall             *self,
                                gpointer              source_tag,
                                BrokerFinishFunc      finish,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data,
                                TapiDBusBroker1     **broker);
void     operation_done_cb     (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);
gboolean call_operation_finish (TapiCall      *self,
                                GAsyncResult  *result,
                                gpointer       source_tag,
                                GError       **error);
void     tapi_call_basic_call_control_init (TapiBasicCallControlInterface *iface);

/* tapi-call-media.c: TapiCallMediaControl, TapiStreamControl */
void tapi_call_call_media_control_init (TapiCallMediaControlInterface *iface);
void tapi_call_stream_control_init     (TapiStreamControlInterface    *iface);

G_END_DECLS
