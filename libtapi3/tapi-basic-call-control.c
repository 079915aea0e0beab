/* tapi-basic-call-control.c: the TapiBasicCallControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-basic-call-control.h"
#include "tapi-sync-call-private.h"

/**
 * TapiBasicCallControl:
 *
 * Call control [ITBasicCallControl]: place, answer, hold, hand off, transfer,
 * conference, park and pick up calls.
 *
 * [class@Tapi.Call] implements this interface. Every operation is a triple
 * in the GDBus style: `_async` starts it, `_finish` gives its result, and
 * `_sync` waits for it. An `_async` operation completes when the operation
 * has completed, not when the request was queued: `connect` completes when
 * the call is connected or has failed.
 *
 * Operations on a call whose handle this application does not own fail with
 * %TAPI_ERROR_NOT_OWNER; operations in the wrong state fail with
 * %TAPI_ERROR_INVALID_CALL_STATE and change nothing; operations that the
 * address's provider lacks (see [property@Tapi.Address:call-features]) fail
 * with %TAPI_ERROR_NOT_SUPPORTED.
 */

G_DEFINE_INTERFACE (TapiBasicCallControl, tapi_basic_call_control, G_TYPE_OBJECT)

static void
tapi_basic_call_control_default_init (TapiBasicCallControlInterface *iface)
{
}

/**
 * tapi_basic_call_control_connect_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Places the call.
 *
 * The call goes from %TAPI_CALL_STATE_IDLE to %TAPI_CALL_STATE_IN_PROGRESS
 * and then to %TAPI_CALL_STATE_CONNECTED, or to
 * %TAPI_CALL_STATE_DISCONNECTED with a cause, in which case the operation
 * fails with %TAPI_ERROR_DEST_BUSY, %TAPI_ERROR_DEST_NO_ANSWER,
 * %TAPI_ERROR_DEST_UNAVAILABLE or %TAPI_ERROR_INVALID_ADDRESS. A call
 * created without a destination completes in dial tone
 * (%TAPI_CALL_STATE_IN_PROGRESS); use
 * [method@Tapi.BasicCallControl.dial_async] then. The operation completes
 * when the call is connected or has failed.
 */
void
tapi_basic_call_control_connect_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->connect_async (self, cancellable,
                                                           callback, user_data);
}

/**
 * tapi_basic_call_control_connect_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.connect_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_connect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->connect_finish (self, result,
                                                                   error);
}

/**
 * tapi_basic_call_control_connect_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.connect_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_connect_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_connect_async (self, cancellable,
                                         tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_connect_finish (self, result, error);
}

/**
 * tapi_basic_call_control_answer_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Answers an offered call.
 *
 * The call goes from %TAPI_CALL_STATE_OFFERING to
 * %TAPI_CALL_STATE_CONNECTED.
 */
void
tapi_basic_call_control_answer_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->answer_async (self, cancellable,
                                                          callback, user_data);
}

/**
 * tapi_basic_call_control_answer_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.answer_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_answer_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->answer_finish (self, result,
                                                                  error);
}

/**
 * tapi_basic_call_control_answer_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.answer_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_answer_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_answer_async (self, cancellable,
                                        tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_answer_finish (self, result, error);
}

/**
 * tapi_basic_call_control_disconnect_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @code: why the call is ended
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Ends the call.
 *
 * Any live call goes to %TAPI_CALL_STATE_DISCONNECTED. An offered call
 * disconnected with %TAPI_DISCONNECT_CODE_REJECTED is rejected. The handle
 * stays readable until [method@Tapi.Call.release].
 */
void
tapi_basic_call_control_disconnect_async (TapiBasicCallControl *self,
    TapiDisconnectCode code,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->disconnect_async (self, code,
                                                              cancellable,
                                                              callback,
                                                              user_data);
}

/**
 * tapi_basic_call_control_disconnect_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.disconnect_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_disconnect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->disconnect_finish (self,
                                                                      result,
                                                                      error);
}

/**
 * tapi_basic_call_control_disconnect_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @code: why the call is ended
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.disconnect_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_disconnect_sync (TapiBasicCallControl *self,
    TapiDisconnectCode code,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_disconnect_async (self, code, cancellable,
                                            tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_disconnect_finish (self, result, error);
}

/**
 * tapi_basic_call_control_hold_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @hold: %TRUE to hold, %FALSE to resume
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Puts the call on hold or takes it off hold.
 *
 * %TAPI_CALL_STATE_CONNECTED becomes %TAPI_CALL_STATE_HOLD and back.
 */
void
tapi_basic_call_control_hold_async (TapiBasicCallControl *self,
    gboolean hold,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->hold_async (self, hold, cancellable,
                                                        callback, user_data);
}

/**
 * tapi_basic_call_control_hold_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.hold_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_hold_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->hold_finish (self, result,
                                                                error);
}

/**
 * tapi_basic_call_control_hold_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @hold: %TRUE to hold, %FALSE to resume
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.hold_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_hold_sync (TapiBasicCallControl *self,
    gboolean hold,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_hold_async (self, hold, cancellable,
                                      tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_hold_finish (self, result, error);
}

/**
 * tapi_basic_call_control_handoff_direct_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @application_name: the application name of the target, as given to [ctor@Tapi.Tapi.new]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Hands the call to a named application.
 *
 * The target must have registered for call notifications on the call's
 * address; its media types are ignored. On success the target owns the call
 * and this application keeps a monitor handle. Handing the call to this
 * application's own name fails with %TAPI_ERROR_TARGET_SELF and changes
 * nothing. When no such application is registered the call is disconnected
 * and the operation fails with %TAPI_ERROR_TARGET_NOT_FOUND.
 */
void
tapi_basic_call_control_handoff_direct_async (TapiBasicCallControl *self,
    const char *application_name,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->handoff_direct_async (self, application_name, cancellable, callback, user_data);
}

/**
 * tapi_basic_call_control_handoff_direct_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.handoff_direct_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_handoff_direct_finish (TapiBasicCallControl *self,
                                               GAsyncResult *result,
                                               GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->handoff_direct_finish (self, result, error);
}

/**
 * tapi_basic_call_control_handoff_direct_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @application_name: the application name of the target, as given to [ctor@Tapi.Tapi.new]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.handoff_direct_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_handoff_direct_sync (TapiBasicCallControl *self,
                                             const char *application_name,
                                             GCancellable *cancellable,
                                             GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_handoff_direct_async (self, application_name,
                                                cancellable,
                                                tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_handoff_direct_finish (self, result, error);
}

/**
 * tapi_basic_call_control_handoff_indirect_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @media_type: exactly one media type
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Hands the call to the highest-priority application for a media type.
 *
 * The target is the highest-priority application registered as owner on the
 * call's address for @media_type (see
 * [method@Tapi.Tapi.set_application_priority]). When that is this
 * application the operation fails with %TAPI_ERROR_TARGET_SELF. When there
 * is none, it fails with %TAPI_ERROR_TARGET_NOT_FOUND and the call is
 * disconnected, except for %TAPI_MEDIA_TYPE_UNKNOWN: a failed probe leaves
 * the call with this application, which then tries the next media type.
 * More than one bit fails with %TAPI_ERROR_INVALID_MEDIA_TYPE.
 */
void
tapi_basic_call_control_handoff_indirect_async (TapiBasicCallControl *self,
    TapiMediaType media_type,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->handoff_indirect_async (self,
                                                                    media_type,
                                                                    cancellable,
                                                                    callback,
                                                                    user_data);
}

/**
 * tapi_basic_call_control_handoff_indirect_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.handoff_indirect_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_handoff_indirect_finish (TapiBasicCallControl *self,
                                                 GAsyncResult *result,
                                                 GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->handoff_indirect_finish (self, result, error);
}

/**
 * tapi_basic_call_control_handoff_indirect_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @media_type: exactly one media type
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.handoff_indirect_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_handoff_indirect_sync (TapiBasicCallControl *self,
                                               TapiMediaType media_type,
                                               GCancellable *cancellable,
                                               GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_handoff_indirect_async (self, media_type, cancellable,
                                                  tapi_sync_call_done_cb,
                                                  &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_handoff_indirect_finish (self, result, error);
}

/**
 * tapi_basic_call_control_blind_transfer_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @destination: where to send the remote party
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Transfers the remote party to another address in one step.
 *
 * This call goes from %TAPI_CALL_STATE_CONNECTED to
 * %TAPI_CALL_STATE_DISCONNECTED; the remote party is connected to
 * @destination.
 */
void
tapi_basic_call_control_blind_transfer_async (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->blind_transfer_async (self,
                                                                  destination,
                                                                  cancellable,
                                                                  callback,
                                                                  user_data);
}

/**
 * tapi_basic_call_control_blind_transfer_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.blind_transfer_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_blind_transfer_finish (TapiBasicCallControl *self,
                                               GAsyncResult *result,
                                               GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->blind_transfer_finish (self, result, error);
}

/**
 * tapi_basic_call_control_blind_transfer_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @destination: where to send the remote party
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.blind_transfer_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_blind_transfer_sync (TapiBasicCallControl *self,
                                             const char *destination,
                                             GCancellable *cancellable,
                                             GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_blind_transfer_async (self, destination, cancellable,
                                                tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_blind_transfer_finish (self, result, error);
}

/**
 * tapi_basic_call_control_transfer_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @consultation_call: a call created on the same address by this application
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Sets up a consultation transfer.
 *
 * This call goes on hold and @consultation_call is dialled unless it is
 * connected already. The operation completes when the consultation call is
 * connected. Complete the transfer with
 * [method@Tapi.BasicCallControl.finish_async] on @consultation_call.
 */
void
tapi_basic_call_control_transfer_async (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->transfer_async (self,
                                                            consultation_call,
                                                            cancellable,
                                                            callback,
                                                            user_data);
}

/**
 * tapi_basic_call_control_transfer_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.transfer_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_transfer_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->transfer_finish (self,
                                                                    result,
                                                                    error);
}

/**
 * tapi_basic_call_control_transfer_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @consultation_call: a call created on the same address by this application
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.transfer_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_transfer_sync (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_transfer_async (self, consultation_call, cancellable,
                                          tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_transfer_finish (self, result, error);
}

/**
 * tapi_basic_call_control_conference_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @consultation_call: a call created on the same address by this application
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Sets up a three-way conference.
 *
 * This call goes on hold and @consultation_call is dialled unless it is
 * connected already. Join the parties with
 * [method@Tapi.BasicCallControl.finish_async] on @consultation_call.
 */
void
tapi_basic_call_control_conference_async (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->conference_async (self,
                                                              consultation_call,
                                                              cancellable,
                                                              callback,
                                                              user_data);
}

/**
 * tapi_basic_call_control_conference_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.conference_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_conference_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->conference_finish (self,
                                                                      result,
                                                                      error);
}

/**
 * tapi_basic_call_control_conference_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @consultation_call: a call created on the same address by this application
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.conference_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_conference_sync (TapiBasicCallControl *self,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_conference_async (self, consultation_call,
                                            cancellable, tapi_sync_call_done_cb,
                                            &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_conference_finish (self, result, error);
}

/**
 * tapi_basic_call_control_finish_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @finish_mode: how to finish
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Completes a consultation set up by transfer or conference.
 *
 * Called on the consultation call. With %TAPI_FINISH_MODE_AS_TRANSFER both
 * of this application's calls are disconnected and the two remote parties
 * are connected to each other. With %TAPI_FINISH_MODE_AS_CONFERENCE the
 * held call is resumed and all three parties are joined.
 */
void
tapi_basic_call_control_finish_async (TapiBasicCallControl *self,
    TapiFinishMode finish_mode,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->finish_async (self, finish_mode,
                                                          cancellable, callback,
                                                          user_data);
}

/**
 * tapi_basic_call_control_finish_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.finish_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_finish_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->finish_finish (self, result,
                                                                  error);
}

/**
 * tapi_basic_call_control_finish_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @finish_mode: how to finish
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.finish_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_finish_sync (TapiBasicCallControl *self,
    TapiFinishMode finish_mode,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_finish_async (self, finish_mode, cancellable,
                                        tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_finish_finish (self, result, error);
}

/**
 * tapi_basic_call_control_swap_hold_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @held_call: a held call of this application on the same address
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Swaps this active call with a held one.
 *
 * This call goes on hold and @held_call is resumed.
 */
void
tapi_basic_call_control_swap_hold_async (TapiBasicCallControl *self,
    TapiCall *held_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->swap_hold_async (self, held_call,
                                                             cancellable,
                                                             callback,
                                                             user_data);
}

/**
 * tapi_basic_call_control_swap_hold_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.swap_hold_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_swap_hold_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->swap_hold_finish (self,
                                                                     result,
                                                                     error);
}

/**
 * tapi_basic_call_control_swap_hold_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @held_call: a held call of this application on the same address
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.swap_hold_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_swap_hold_sync (TapiBasicCallControl *self,
    TapiCall *held_call,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_swap_hold_async (self, held_call, cancellable,
                                           tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_swap_hold_finish (self, result, error);
}

/**
 * tapi_basic_call_control_park_direct_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @park_address: the orbit to park the remote party at
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Parks the remote party at a given orbit.
 *
 * This call is disconnected; another call created with @park_address as
 * destination takes the party back with
 * [method@Tapi.BasicCallControl.unpark_async].
 */
void
tapi_basic_call_control_park_direct_async (TapiBasicCallControl *self,
    const char *park_address,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->park_direct_async (self,
                                                               park_address,
                                                               cancellable,
                                                               callback,
                                                               user_data);
}

/**
 * tapi_basic_call_control_park_direct_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.park_direct_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_park_direct_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->park_direct_finish (self,
                                                                       result,
                                                                       error);
}

/**
 * tapi_basic_call_control_park_direct_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @park_address: the orbit to park the remote party at
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.park_direct_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_park_direct_sync (TapiBasicCallControl *self,
    const char *park_address,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_park_direct_async (self, park_address, cancellable,
                                             tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_park_direct_finish (self, result, error);
}

/**
 * tapi_basic_call_control_park_indirect_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Parks the remote party at a free orbit chosen by the switch.
 *
 * This call is disconnected. The finish function returns the orbit.
 */
void
tapi_basic_call_control_park_indirect_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->park_indirect_async (self,
                                                                 cancellable,
                                                                 callback,
                                                                 user_data);
}

/**
 * tapi_basic_call_control_park_indirect_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.park_indirect_async].
 *
 * Returns: (transfer full): the park orbit, or %NULL on error
 */
char *tapi_basic_call_control_park_indirect_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->park_indirect_finish (self,
                                                                         result,
                                                                         error);
}

/**
 * tapi_basic_call_control_park_indirect_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.park_indirect_async]: waits
 * until the operation has completed.
 *
 * Returns: (transfer full): the park orbit, or %NULL on error
 */
char *tapi_basic_call_control_park_indirect_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), NULL);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_park_indirect_async (self, cancellable,
                                               tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_park_indirect_finish (self, result, error);
}

/**
 * tapi_basic_call_control_unpark_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Takes a parked party back.
 *
 * Called on an idle call created with the park orbit as destination; the
 * call becomes connected to the parked party.
 */
void
tapi_basic_call_control_unpark_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->unpark_async (self, cancellable,
                                                          callback, user_data);
}

/**
 * tapi_basic_call_control_unpark_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.unpark_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_unpark_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->unpark_finish (self, result,
                                                                  error);
}

/**
 * tapi_basic_call_control_unpark_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.unpark_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_unpark_sync (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_unpark_async (self, cancellable,
                                        tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_unpark_finish (self, result, error);
}

/**
 * tapi_basic_call_control_pickup_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @group_id: (nullable): the pickup group, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Picks up a call ringing at another address.
 *
 * Called on an idle call. When the call was created with a destination, the
 * call ringing there is taken; otherwise the oldest call ringing in
 * @group_id (or in the address's own group when %NULL).
 */
void
tapi_basic_call_control_pickup_async (TapiBasicCallControl *self,
    const char *group_id,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->pickup_async (self, group_id,
                                                          cancellable, callback,
                                                          user_data);
}

/**
 * tapi_basic_call_control_pickup_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.pickup_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_pickup_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->pickup_finish (self, result,
                                                                  error);
}

/**
 * tapi_basic_call_control_pickup_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @group_id: (nullable): the pickup group, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.pickup_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_pickup_sync (TapiBasicCallControl *self,
    const char *group_id,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_pickup_async (self, group_id, cancellable,
                                        tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_pickup_finish (self, result, error);
}

/**
 * tapi_basic_call_control_dial_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @destination: the number to dial
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Dials on a call in dial tone.
 *
 * The call must have been connected without a destination. The operation
 * completes like [method@Tapi.BasicCallControl.connect_async].
 */
void
tapi_basic_call_control_dial_async (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->dial_async (self, destination,
                                                        cancellable, callback,
                                                        user_data);
}

/**
 * tapi_basic_call_control_dial_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.dial_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_dial_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->dial_finish (self, result,
                                                                error);
}

/**
 * tapi_basic_call_control_dial_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @destination: the number to dial
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.dial_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_dial_sync (TapiBasicCallControl *self,
    const char *destination,
    GCancellable *cancellable,
    GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_dial_async (self, destination, cancellable,
                                      tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_dial_finish (self, result, error);
}

/**
 * tapi_basic_call_control_remove_from_conference_async:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the operation has completed
 * @user_data: data for @callback
 *
 * Removes this call's party from a conference.
 *
 * Called on one of the calls joined by
 * [method@Tapi.BasicCallControl.finish_async] in conference mode; that
 * party is disconnected.
 */
void
tapi_basic_call_control_remove_from_conference_async (TapiBasicCallControl *self,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_return_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->remove_from_conference_async (self, cancellable, callback, user_data);
}

/**
 * tapi_basic_call_control_remove_from_conference_finish:
 * @self: a [iface@Tapi.BasicCallControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.BasicCallControl.remove_from_conference_async].
 *
 * Returns: %TRUE on success
 */
gboolean tapi_basic_call_control_remove_from_conference_finish (TapiBasicCallControl *self,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_BASIC_CALL_CONTROL_GET_IFACE (self)->remove_from_conference_finish (self, result, error);
}

/**
 * tapi_basic_call_control_remove_from_conference_sync:
 * @self: a [iface@Tapi.BasicCallControl]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Synchronous form of [method@Tapi.BasicCallControl.remove_from_conference_async]: waits
 * until the operation has completed.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_basic_call_control_remove_from_conference_sync (TapiBasicCallControl *self,
                                                     GCancellable *cancellable,
                                                     GError **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_BASIC_CALL_CONTROL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_basic_call_control_remove_from_conference_async (self, cancellable,
                                                        tapi_sync_call_done_cb,
                                                        &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_basic_call_control_remove_from_conference_finish (self, result,
                                                                error);
}
