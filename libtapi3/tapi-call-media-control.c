/* tapi-call-media-control.c: the TapiCallMediaControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-call-media-control.h"
#include "tapi-sync-call-private.h"

/**
 * TapiCallMediaControl:
 *
 * Media control on a call [ITLegacyCallMediaControl].
 *
 * [class@Tapi.Call] implements this interface.
 */

G_DEFINE_INTERFACE (TapiCallMediaControl, tapi_call_media_control, G_TYPE_OBJECT)

static void
tapi_call_media_control_default_init (TapiCallMediaControlInterface *iface)
{
}

/**
 * tapi_call_media_control_set_media_type_async:
 * @self: a [iface@Tapi.CallMediaControl]
 * @media_type: the media types the call really carries
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the broker has set the media type
 * @user_data: data for @callback
 *
 * Sets the call's media type, once an owner has found out what the call
 * carries (the last step of media-type probing). Every other application
 * with a handle to the call sees [signal@Tapi.Call::info-changed] with
 * %TAPI_CALL_INFO_CHANGE_MEDIA_TYPE.
 *
 * Fails with %TAPI_ERROR_NOT_OWNER for a monitor and with
 * %TAPI_ERROR_INVALID_MEDIA_TYPE for media types the address does not
 * support.
 */
void
tapi_call_media_control_set_media_type_async (TapiCallMediaControl *self,
                                              TapiMediaType         media_type,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data)
{
  g_return_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  TAPI_CALL_MEDIA_CONTROL_GET_IFACE (self)->set_media_type_async (self,
                                                                  media_type,
                                                                  cancellable,
                                                                  callback,
                                                                  user_data);
}

/**
 * tapi_call_media_control_set_media_type_finish:
 * @self: a [iface@Tapi.CallMediaControl]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.CallMediaControl.set_media_type_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_media_control_set_media_type_finish (TapiCallMediaControl  *self,
                                               GAsyncResult          *result,
                                               GError               **error)
{
  g_return_val_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return TAPI_CALL_MEDIA_CONTROL_GET_IFACE (self)->set_media_type_finish (self, result, error);
}

/**
 * tapi_call_media_control_set_media_type:
 * @self: a [iface@Tapi.CallMediaControl]
 * @media_type: the media types the call really carries
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.CallMediaControl.set_media_type_async]:
 * waits until the broker has set the media type.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_media_control_set_media_type (TapiCallMediaControl *self,
                                        TapiMediaType         media_type,
                                        GError              **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tapi_sync_call_begin (&sync);
  tapi_call_media_control_set_media_type_async (self, media_type, NULL,
                                                tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_call_media_control_set_media_type_finish (self, result, error);
}

/**
 * tapi_call_media_control_generate_digits:
 * @self: a [iface@Tapi.CallMediaControl]
 * @digits: the digits to send: `0`–`9`, `*`, `#`, `A`–`D`
 * @mode: %TAPI_DIGIT_MODE_DTMF
 * @error: return location for a #GError
 *
 * Sends @digits to the remote party [ITLegacyCallMediaControl::GenerateDigits],
 * as RFC 4733 telephone events when the call negotiated them and as
 * in-band tones otherwise. It works whether or not a terminal is selected
 * on the capture stream. The call must be connected and owned by this
 * application; other digits fail with %TAPI_ERROR_INVALID_ARGUMENT.
 *
 * Returns: %TRUE when the digits are queued for sending
 */
gboolean
tapi_call_media_control_generate_digits (TapiCallMediaControl *self,
                                         const char           *digits,
                                         TapiDigitMode         mode,
                                         GError              **error)
{
  g_return_val_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TAPI_CALL_MEDIA_CONTROL_GET_IFACE (self)->generate_digits (self,
                                                                    digits,
                                                                    mode,
                                                                    error);
}

/**
 * tapi_call_media_control_detect_digits:
 * @self: a [iface@Tapi.CallMediaControl]
 * @mode: %TAPI_DIGIT_MODE_DTMF or %TAPI_DIGIT_MODE_DTMF_END to detect
 *   digits, 0 to stop
 * @error: return location for a #GError
 *
 * Starts or stops reporting the digits the remote party sends
 * [ITLegacyCallMediaControl::DetectDigits]: each arrives, in order, as
 * [signal@Tapi.Call::digit-detected]. RFC 4733 events and in-band tones
 * are both detected, whether or not a terminal is selected. Digits the
 * provider receives by signalling (SIP INFO) arrive the same way.
 *
 * An application with monitor privilege may detect digits too
 * [lineMonitorDigits]: it gets the digits that the owner's media
 * receives (while the owner's receiving stream runs) and those that come
 * by signalling. Monitors also see the owner's streams' media events as
 * [signal@Tapi.Call::media-event] on their own stream objects, with no
 * terminal.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_media_control_detect_digits (TapiCallMediaControl *self,
                                       TapiDigitMode         mode,
                                       GError              **error)
{
  g_return_val_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TAPI_CALL_MEDIA_CONTROL_GET_IFACE (self)->detect_digits (self, mode,
                                                                  error);
}

/**
 * tapi_call_media_control_monitor_media:
 * @self: a [iface@Tapi.CallMediaControl]
 * @media_types: the media types to detect, 0 to stop
 * @error: return location for a #GError
 *
 * Starts or stops detecting media types in what the remote party sends
 * [ITLegacyCallMediaControl::MonitorMedia]: a fax calling tone (CNG,
 * 1100 Hz) is reported as %TAPI_MEDIA_TYPE_G3FAX and a modem answer tone
 * (2100 Hz) as %TAPI_MEDIA_TYPE_DATAMODEM, through
 * [signal@Tapi.Call::media-detected] and
 * [property@Tapi.Call:detected-media-types].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_media_control_monitor_media (TapiCallMediaControl *self,
                                       TapiMediaType         media_types,
                                       GError              **error)
{
  g_return_val_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TAPI_CALL_MEDIA_CONTROL_GET_IFACE (self)->monitor_media (self,
                                                                  media_types,
                                                                  error);
}
