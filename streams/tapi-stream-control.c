/* tapi-stream-control.c: the TapiStreamControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include "tapi-stream-control.h"

/**
 * TapiStreamControl:
 *
 * The media streams of a call [ITStreamControl].
 *
 * [class@Tapi.Call] implements this interface. Every call has an audio
 * capture and an audio render stream from its creation.
 */

G_DEFINE_INTERFACE (TapiStreamControl, tapi_stream_control, G_TYPE_OBJECT)

static void
tapi_stream_control_default_init (TapiStreamControlInterface *iface)
{
}

/**
 * tapi_stream_control_get_streams:
 * @self: a [iface@Tapi.StreamControl]
 *
 * Gets the streams of the call [ITStreamControl::EnumerateStreams].
 *
 * Returns: (transfer none): a list model of [class@Tapi.Stream]
 */
GListModel *
tapi_stream_control_get_streams (TapiStreamControl *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM_CONTROL (self), NULL);

  return TAPI_STREAM_CONTROL_GET_IFACE (self)->get_streams (self);
}

/**
 * tapi_stream_control_create_stream:
 * @self: a [iface@Tapi.StreamControl]
 * @media_type: the medium of the new stream
 * @direction: its direction
 * @error: return location for a #GError
 *
 * Adds a stream to the call [ITStreamControl::CreateStream], where the
 * provider allows it; otherwise fails with %TAPI_ERROR_NOT_SUPPORTED.
 *
 * Returns: (transfer none) (nullable): the new stream, or %NULL on error
 */
TapiStream *
tapi_stream_control_create_stream (TapiStreamControl      *self,
                                   TapiMediaType           media_type,
                                   TapiTerminalDirection   direction,
                                   GError                **error)
{
  g_return_val_if_fail (TAPI_IS_STREAM_CONTROL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return TAPI_STREAM_CONTROL_GET_IFACE (self)->create_stream (self, media_type,
                                                              direction, error);
}

/**
 * tapi_stream_control_remove_stream:
 * @self: a [iface@Tapi.StreamControl]
 * @stream: a stream of the call
 * @error: return location for a #GError
 *
 * Removes a stream from the call [ITStreamControl::RemoveStream], where
 * the provider allows it; otherwise fails with %TAPI_ERROR_NOT_SUPPORTED.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_stream_control_remove_stream (TapiStreamControl  *self,
                                   TapiStream         *stream,
                                   GError            **error)
{
  g_return_val_if_fail (TAPI_IS_STREAM_CONTROL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TAPI_STREAM_CONTROL_GET_IFACE (self)->remove_stream (self, stream,
                                                              error);
}
