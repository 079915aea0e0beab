/* tapi-call-control.c: TapiCall's operations and TapiBasicCallControl
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-address-private.h"
#include "tapi-basic-call-control.h"
#include "tapi-call-private.h"
#include "tapi-error.h"
#include "tapi-tapi-private.h"

gboolean
check_usable (TapiCall  *self,
              GError   **error)
{
  if (self->shut_down)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_INITIALIZED,
                   "The application of call %u was shut down", self->id);
      return FALSE;
    }
  if (self->released)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                   "The handle of call %u was released", self->id);
      return FALSE;
    }
  if (!tapi_tapi_check_initialized (self->tapi, error))
    return FALSE;
  if (self->orphaned)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING,
                   "The telephony broker that held call %u stopped", self->id);
      return FALSE;
    }
  return TRUE;
}

gboolean
check_owner (TapiCall  *self,
             GError   **error)
{
  if (!check_usable (self, error))
    return FALSE;
  if (self->privilege != TAPI_CALL_PRIVILEGE_OWNER)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_OWNER,
                   "This application only monitors call %u", self->id);
      return FALSE;
    }
  return TRUE;
}

gboolean
check_feature (TapiCall          *self,
               TapiCallFeatures   feature,
               GError           **error)
{
  if ((tapi_address_get_call_features (self->address) & feature) == 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "Address %s does not support this operation",
                   tapi_address_get_name (self->address));
      return FALSE;
    }
  return TRUE;
}

gboolean
check_connected (TapiCall  *self,
                 GError   **error)
{
  if (self->state != TAPI_CALL_STATE_CONNECTED)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is not connected", self->id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_same_application (TapiCall  *self,
                        TapiCall  *other,
                        GError   **error)
{
  if (other == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                           "No second call was given");
      return FALSE;
    }
  if (!TAPI_IS_CALL (other) || other->tapi != self->tapi || other->released)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                           "The second call is not a handle of this application");
      return FALSE;
    }
  return TRUE;
}

/* The application is held while the method runs (the call may lose it
 * meanwhile), and no longer: a result kept by the caller must not keep
 * the application alive. */
typedef struct
{
  TapiTapi         *tapi;
  BrokerFinishFunc  finish;
} Operation;

static void
operation_free (Operation *operation)
{
  g_clear_object (&operation->tapi);
  g_free (operation);
}

/* Dispatches the broker's signals sent before its reply, and lets the
 * application go. */
static void
operation_reply_done (Operation  *operation,
                      GError    **error)
{
  g_autoptr(TapiTapi) tapi = g_steal_pointer (&operation->tapi);

  tapi_tapi_broker_call_done (tapi, error);
}

/* Every operation is one broker method on this call. Returns the task to
 * complete with the method's reply, and the broker to call; or NULL when
 * the handle cannot be used, and the task has failed already. */
GTask *
operation_new (TapiCall             *self,
               gpointer              source_tag,
               BrokerFinishFunc      finish,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data,
               TapiDBusBroker1     **broker)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  Operation *operation;

  g_task_set_source_tag (task, source_tag);
  if (!check_usable (self, &error) ||
      !(*broker = tapi_tapi_get_broker (self->tapi, &error)))
    {
      g_task_return_error (task, error);
      return NULL;
    }

  operation = g_new0 (Operation, 1);
  operation->tapi = g_object_ref (self->tapi);
  operation->finish = finish;
  g_task_set_task_data (task, operation, (GDestroyNotify) operation_free);
  return g_steal_pointer (&task);
}

void
operation_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(TapiTapi) tapi = g_object_ref (operation->tapi);
  GError *error = NULL;
  gboolean ok;

  ok = operation->finish (TAPI_DBUS_BROKER1 (source), result, &error);
  operation_reply_done (operation, &error);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A released handle leaves the application once the broker agreed. */
  if (g_task_get_source_tag (task) == tapi_call_release_async)
    tapi_tapi_remove_call (tapi, g_task_get_source_object (task), FALSE);
  g_task_return_boolean (task, TRUE);
}

gboolean
call_operation_finish (TapiCall      *self,
                       GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* TapiBasicCallControl */

static void
tapi_call_connect_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_connect_async,
                        tapi_dbus_broker1_call_connect_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_connect (broker, self->id, cancellable,
                                    operation_done_cb, task);
}

static gboolean
tapi_call_connect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_connect_async, error);
}

static void
tapi_call_answer_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_answer_async,
                        tapi_dbus_broker1_call_answer_finish, cancellable,
                        callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_answer (broker, self->id, cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_answer_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_answer_async, error);
}

static void
tapi_call_disconnect_async (TapiBasicCallControl *control,
    TapiDisconnectCode code,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_disconnect_async,
                        tapi_dbus_broker1_call_disconnect_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_disconnect (broker, self->id, code, cancellable,
                                       operation_done_cb, task);
}

static gboolean
tapi_call_disconnect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_disconnect_async, error);
}

static void
tapi_call_hold_async (TapiBasicCallControl *control,
    gboolean hold,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_hold_async,
                        tapi_dbus_broker1_call_hold_finish, cancellable,
                        callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_hold (broker, self->id, hold, cancellable,
                                 operation_done_cb, task);
}

static gboolean
tapi_call_hold_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_hold_async, error);
}

static void
tapi_call_handoff_direct_async (TapiBasicCallControl *control,
    const char *application_name,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_handoff_direct_async,
                        tapi_dbus_broker1_call_handoff_direct_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_handoff_direct (broker, self->id,
                                           application_name ? application_name
                                                            : "",
                                           cancellable, operation_done_cb,
                                           task);
}

static gboolean
tapi_call_handoff_direct_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_handoff_direct_async, error);
}

static void
tapi_call_handoff_indirect_async (TapiBasicCallControl *control,
    TapiMediaType media_type,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_handoff_indirect_async,
                        tapi_dbus_broker1_call_handoff_indirect_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_handoff_indirect (broker, self->id, media_type,
                                             cancellable, operation_done_cb,
                                             task);
}

static gboolean
tapi_call_handoff_indirect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_handoff_indirect_async, error);
}

static void
tapi_call_blind_transfer_async (TapiBasicCallControl *control,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_blind_transfer_async,
                        tapi_dbus_broker1_call_blind_transfer_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_blind_transfer (broker, self->id,
                                           destination ? destination : "",
                                           cancellable, operation_done_cb,
                                           task);
}

static gboolean
tapi_call_blind_transfer_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_blind_transfer_async, error);
}

static void
tapi_call_transfer_async (TapiBasicCallControl *control,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;
  GError *error = NULL;

  if (!check_same_application (self, consultation_call, &error))
    {
      g_task_report_error (self, callback, user_data, tapi_call_transfer_async,
                           error);
      return;
    }
  task = operation_new (self, tapi_call_transfer_async,
                        tapi_dbus_broker1_call_transfer_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_transfer (broker, self->id, consultation_call->id,
                                     cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_transfer_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_transfer_async, error);
}

static void
tapi_call_conference_async (TapiBasicCallControl *control,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;
  GError *error = NULL;

  if (!check_same_application (self, consultation_call, &error))
    {
      g_task_report_error (self, callback, user_data,
                           tapi_call_conference_async, error);
      return;
    }
  task = operation_new (self, tapi_call_conference_async,
                        tapi_dbus_broker1_call_conference_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_conference (broker, self->id, consultation_call->id,
                                       cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_conference_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_conference_async, error);
}

static void
tapi_call_finish_async (TapiBasicCallControl *control,
    TapiFinishMode finish_mode,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_finish_async,
                        tapi_dbus_broker1_call_finish_finish, cancellable,
                        callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_finish (broker, self->id, finish_mode, cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_finish_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_finish_async, error);
}

static void
tapi_call_swap_hold_async (TapiBasicCallControl *control,
    TapiCall *held_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;
  GError *error = NULL;

  if (!check_same_application (self, held_call, &error))
    {
      g_task_report_error (self, callback, user_data, tapi_call_swap_hold_async,
                           error);
      return;
    }
  task = operation_new (self, tapi_call_swap_hold_async,
                        tapi_dbus_broker1_call_swap_hold_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_swap_hold (broker, self->id, held_call->id,
                                      cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_swap_hold_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_swap_hold_async, error);
}

static void
tapi_call_park_direct_async (TapiBasicCallControl *control,
    const char *park_address,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_park_direct_async,
                        tapi_dbus_broker1_call_park_direct_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_park_direct (broker, self->id,
                                        park_address ? park_address : "",
                                        cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_park_direct_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_park_direct_async, error);
}

static void
park_indirect_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *operation = g_task_get_task_data (task);
  GError *error = NULL;
  char *park_address = NULL;

  tapi_dbus_broker1_call_park_indirect_finish (TAPI_DBUS_BROKER1 (source), &park_address,
                                               result, &error);
  operation_reply_done (operation, &error);
  if (park_address != NULL)
    g_task_return_pointer (task, park_address, g_free);
  else
    g_task_return_error (task, error);
}

static void
tapi_call_park_indirect_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_park_indirect_async, NULL,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_park_indirect (broker, self->id, cancellable,
                                          park_indirect_done_cb, task);
}

static char *
tapi_call_park_indirect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, control), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tapi_call_park_indirect_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tapi_call_unpark_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_unpark_async,
                        tapi_dbus_broker1_call_unpark_finish, cancellable,
                        callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_unpark (broker, self->id, cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_unpark_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_unpark_async, error);
}

static void
tapi_call_pickup_async (TapiBasicCallControl *control,
    const char *group_id,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_pickup_async,
                        tapi_dbus_broker1_call_pickup_finish, cancellable,
                        callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_pickup (broker, self->id, group_id ? group_id : "", cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_pickup_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_pickup_async, error);
}

static void
tapi_call_dial_async (TapiBasicCallControl *control,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_dial_async,
                        tapi_dbus_broker1_call_dial_finish, cancellable,
                        callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_dial (broker, self->id,
                                 destination ? destination : "",
                                 cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_dial_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_dial_async, error);
}

static void
tapi_call_remove_from_conference_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_remove_from_conference_async,
                        tapi_dbus_broker1_call_remove_from_conference_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_remove_from_conference (broker, self->id,
                                                   cancellable,
                                                   operation_done_cb, task);
}

static gboolean
tapi_call_remove_from_conference_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_remove_from_conference_async, error);
}

void
tapi_call_basic_call_control_init (TapiBasicCallControlInterface *iface)
{
  iface->connect_async = tapi_call_connect_async;
  iface->connect_finish = tapi_call_connect_finish;
  iface->answer_async = tapi_call_answer_async;
  iface->answer_finish = tapi_call_answer_finish;
  iface->disconnect_async = tapi_call_disconnect_async;
  iface->disconnect_finish = tapi_call_disconnect_finish;
  iface->hold_async = tapi_call_hold_async;
  iface->hold_finish = tapi_call_hold_finish;
  iface->handoff_direct_async = tapi_call_handoff_direct_async;
  iface->handoff_direct_finish = tapi_call_handoff_direct_finish;
  iface->handoff_indirect_async = tapi_call_handoff_indirect_async;
  iface->handoff_indirect_finish = tapi_call_handoff_indirect_finish;
  iface->blind_transfer_async = tapi_call_blind_transfer_async;
  iface->blind_transfer_finish = tapi_call_blind_transfer_finish;
  iface->transfer_async = tapi_call_transfer_async;
  iface->transfer_finish = tapi_call_transfer_finish;
  iface->conference_async = tapi_call_conference_async;
  iface->conference_finish = tapi_call_conference_finish;
  iface->finish_async = tapi_call_finish_async;
  iface->finish_finish = tapi_call_finish_finish;
  iface->swap_hold_async = tapi_call_swap_hold_async;
  iface->swap_hold_finish = tapi_call_swap_hold_finish;
  iface->park_direct_async = tapi_call_park_direct_async;
  iface->park_direct_finish = tapi_call_park_direct_finish;
  iface->park_indirect_async = tapi_call_park_indirect_async;
  iface->park_indirect_finish = tapi_call_park_indirect_finish;
  iface->unpark_async = tapi_call_unpark_async;
  iface->unpark_finish = tapi_call_unpark_finish;
  iface->pickup_async = tapi_call_pickup_async;
  iface->pickup_finish = tapi_call_pickup_finish;
  iface->dial_async = tapi_call_dial_async;
  iface->dial_finish = tapi_call_dial_finish;
  iface->remove_from_conference_async = tapi_call_remove_from_conference_async;
  iface->remove_from_conference_finish =
    tapi_call_remove_from_conference_finish;
}
