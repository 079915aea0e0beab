/* tapi-stream-control.h: the TapiStreamControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-stream.h"
#include "tapi-version.h"

G_BEGIN_DECLS

#define TAPI_TYPE_STREAM_CONTROL (tapi_stream_control_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (TapiStreamControl, tapi_stream_control, TAPI, STREAM_CONTROL, GObject)

/**
 * TapiStreamControlInterface:
 * @g_iface: the parent interface
 * @get_streams: implements [method@Tapi.StreamControl.get_streams]
 * @create_stream: implements [method@Tapi.StreamControl.create_stream]
 * @remove_stream: implements [method@Tapi.StreamControl.remove_stream]
 *
 * The virtual functions of [iface@Tapi.StreamControl].
 */
struct _TapiStreamControlInterface
{
  GTypeInterface g_iface;

  GListModel *(*get_streams)   (TapiStreamControl     *self);
  TapiStream *(*create_stream) (TapiStreamControl     *self,
                                TapiMediaType          media_type,
                                TapiTerminalDirection  direction,
                                GError               **error);
  gboolean    (*remove_stream) (TapiStreamControl     *self,
                                TapiStream            *stream,
                                GError               **error);
};

TAPI_AVAILABLE_IN_ALL
GListModel *tapi_stream_control_get_streams   (TapiStreamControl     *self);
TAPI_AVAILABLE_IN_ALL
TapiStream *tapi_stream_control_create_stream (TapiStreamControl     *self,
                                               TapiMediaType          media_type,
                                               TapiTerminalDirection  direction,
                                               GError               **error);
TAPI_AVAILABLE_IN_ALL
gboolean    tapi_stream_control_remove_stream (TapiStreamControl     *self,
                                               TapiStream            *stream,
                                               GError               **error);

G_END_DECLS
