/* tapi-call-media-control.c: the TapiCallMediaControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-call-media-control.h"

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
 * tapi_call_media_control_set_media_type:
 * @self: a [iface@Tapi.CallMediaControl]
 * @media_type: the media types the call really carries
 * @error: return location for a #GError
 *
 * Sets the call's media type, once an owner has found out what the call
 * carries (the last step of media-type probing). Every other application
 * with a handle to the call sees [signal@Tapi.Call::info-changed] with
 * %TAPI_CALL_INFO_CHANGE_MEDIA_TYPE.
 *
 * Fails with %TAPI_ERROR_NOT_OWNER for a monitor and with
 * %TAPI_ERROR_INVALID_MEDIA_TYPE for media types the address does not
 * support.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_media_control_set_media_type (TapiCallMediaControl *self,
                                        TapiMediaType         media_type,
                                        GError              **error)
{
  g_return_val_if_fail (TAPI_IS_CALL_MEDIA_CONTROL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TAPI_CALL_MEDIA_CONTROL_GET_IFACE (self)->set_media_type (self, media_type, error);
}
