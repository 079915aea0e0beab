/* tapi-basic-call-control.h: the TapiBasicCallControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-call.h"
#include "tapi-enums.h"
#include "tapi-version.h"

G_BEGIN_DECLS

#define TAPI_TYPE_BASIC_CALL_CONTROL (tapi_basic_call_control_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (TapiBasicCallControl, tapi_basic_call_control, TAPI, BASIC_CALL_CONTROL, GObject)

/**
 * TapiBasicCallControlInterface:
 * @g_iface: the parent interface
 * @connect_async: starts [method@Tapi.BasicCallControl.connect_async]
 * @connect_finish: completes [method@Tapi.BasicCallControl.connect_async]
 * @answer_async: starts [method@Tapi.BasicCallControl.answer_async]
 * @answer_finish: completes [method@Tapi.BasicCallControl.answer_async]
 * @disconnect_async: starts [method@Tapi.BasicCallControl.disconnect_async]
 * @disconnect_finish: completes [method@Tapi.BasicCallControl.disconnect_async]
 * @hold_async: starts [method@Tapi.BasicCallControl.hold_async]
 * @hold_finish: completes [method@Tapi.BasicCallControl.hold_async]
 * @handoff_direct_async: starts [method@Tapi.BasicCallControl.handoff_direct_async]
 * @handoff_direct_finish: completes [method@Tapi.BasicCallControl.handoff_direct_async]
 * @handoff_indirect_async: starts [method@Tapi.BasicCallControl.handoff_indirect_async]
 * @handoff_indirect_finish: completes [method@Tapi.BasicCallControl.handoff_indirect_async]
 * @blind_transfer_async: starts [method@Tapi.BasicCallControl.blind_transfer_async]
 * @blind_transfer_finish: completes [method@Tapi.BasicCallControl.blind_transfer_async]
 * @transfer_async: starts [method@Tapi.BasicCallControl.transfer_async]
 * @transfer_finish: completes [method@Tapi.BasicCallControl.transfer_async]
 * @conference_async: starts [method@Tapi.BasicCallControl.conference_async]
 * @conference_finish: completes [method@Tapi.BasicCallControl.conference_async]
 * @finish_async: starts [method@Tapi.BasicCallControl.finish_async]
 * @finish_finish: completes [method@Tapi.BasicCallControl.finish_async]
 * @swap_hold_async: starts [method@Tapi.BasicCallControl.swap_hold_async]
 * @swap_hold_finish: completes [method@Tapi.BasicCallControl.swap_hold_async]
 * @park_direct_async: starts [method@Tapi.BasicCallControl.park_direct_async]
 * @park_direct_finish: completes [method@Tapi.BasicCallControl.park_direct_async]
 * @park_indirect_async: starts [method@Tapi.BasicCallControl.park_indirect_async]
 * @park_indirect_finish: completes [method@Tapi.BasicCallControl.park_indirect_async]
 * @unpark_async: starts [method@Tapi.BasicCallControl.unpark_async]
 * @unpark_finish: completes [method@Tapi.BasicCallControl.unpark_async]
 * @pickup_async: starts [method@Tapi.BasicCallControl.pickup_async]
 * @pickup_finish: completes [method@Tapi.BasicCallControl.pickup_async]
 * @dial_async: starts [method@Tapi.BasicCallControl.dial_async]
 * @dial_finish: completes [method@Tapi.BasicCallControl.dial_async]
 * @remove_from_conference_async: starts [method@Tapi.BasicCallControl.remove_from_conference_async]
 * @remove_from_conference_finish: completes [method@Tapi.BasicCallControl.remove_from_conference_async]
 *
 * The virtual functions of [iface@Tapi.BasicCallControl]. Every operation
 * is asynchronous; the `_sync` variants run it on a private main context.
 */
struct _TapiBasicCallControlInterface
{
  GTypeInterface g_iface;

  void     (*connect_async) (TapiBasicCallControl *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*connect_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*answer_async) (TapiBasicCallControl *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*answer_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*disconnect_async) (TapiBasicCallControl *self, TapiDisconnectCode code, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*disconnect_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*hold_async) (TapiBasicCallControl *self, gboolean hold, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*hold_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*handoff_direct_async) (TapiBasicCallControl *self, const char *application_name, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*handoff_direct_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*handoff_indirect_async) (TapiBasicCallControl *self, TapiMediaType media_type, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*handoff_indirect_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*blind_transfer_async) (TapiBasicCallControl *self, const char *destination, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*blind_transfer_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*transfer_async) (TapiBasicCallControl *self, TapiCall *consultation_call, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*transfer_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*conference_async) (TapiBasicCallControl *self, TapiCall *consultation_call, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*conference_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*finish_async) (TapiBasicCallControl *self, TapiFinishMode finish_mode, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*finish_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*swap_hold_async) (TapiBasicCallControl *self, TapiCall *held_call, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*swap_hold_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*park_direct_async) (TapiBasicCallControl *self, const char *park_address, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*park_direct_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void   (*park_indirect_async) (TapiBasicCallControl *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  char *(*park_indirect_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*unpark_async) (TapiBasicCallControl *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*unpark_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*pickup_async) (TapiBasicCallControl *self, const char *group_id, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*pickup_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*dial_async) (TapiBasicCallControl *self, const char *destination, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*dial_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
  void     (*remove_from_conference_async) (TapiBasicCallControl *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*remove_from_conference_finish) (TapiBasicCallControl *self, GAsyncResult *result, GError **error);
};

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_connect_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_connect_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_connect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_answer_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_answer_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_answer_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_disconnect_sync (TapiBasicCallControl *self,
    TapiDisconnectCode code,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_disconnect_async (TapiBasicCallControl *self,
    TapiDisconnectCode code,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_disconnect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_hold_sync (TapiBasicCallControl *self,
    gboolean hold,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_hold_async (TapiBasicCallControl *self,
    gboolean hold,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_hold_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_handoff_direct_sync (TapiBasicCallControl *self,
    const char *application_name,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_handoff_direct_async (TapiBasicCallControl *self,
    const char *application_name,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_handoff_direct_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_handoff_indirect_sync (TapiBasicCallControl *self,
    TapiMediaType media_type,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_handoff_indirect_async (TapiBasicCallControl *self,
    TapiMediaType media_type,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_handoff_indirect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_blind_transfer_sync (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_blind_transfer_async (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_blind_transfer_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_transfer_sync (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_transfer_async (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_transfer_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_conference_sync (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_conference_async (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_conference_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_finish_sync (TapiBasicCallControl *self,
    TapiFinishMode finish_mode,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_finish_async (TapiBasicCallControl *self,
    TapiFinishMode finish_mode,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_finish_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_swap_hold_sync (TapiBasicCallControl *self,
    TapiCall *held_call,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_swap_hold_async (TapiBasicCallControl *self,
    TapiCall *held_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_swap_hold_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_park_direct_sync (TapiBasicCallControl *self,
    const char *park_address,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_park_direct_async (TapiBasicCallControl *self,
    const char *park_address,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_park_direct_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
char *tapi_basic_call_control_park_indirect_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_park_indirect_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
char *tapi_basic_call_control_park_indirect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_unpark_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_unpark_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_unpark_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_pickup_sync (TapiBasicCallControl *self,
    const char *group_id,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_pickup_async (TapiBasicCallControl *self,
    const char *group_id,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_pickup_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_dial_sync (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_dial_async (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_dial_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_remove_from_conference_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error);
TAPI_AVAILABLE_IN_ALL
void tapi_basic_call_control_remove_from_conference_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_basic_call_control_remove_from_conference_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error);

G_END_DECLS
