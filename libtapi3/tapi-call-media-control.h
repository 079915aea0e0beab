/* tapi-call-media-control.h: the TapiCallMediaControl interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-version.h"

G_BEGIN_DECLS

#define TAPI_TYPE_CALL_MEDIA_CONTROL (tapi_call_media_control_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_INTERFACE (TapiCallMediaControl, tapi_call_media_control, TAPI, CALL_MEDIA_CONTROL, GObject)

/**
 * TapiCallMediaControlInterface:
 * @g_iface: the parent interface
 * @set_media_type_async: implements [method@Tapi.CallMediaControl.set_media_type_async]
 * @set_media_type_finish: implements [method@Tapi.CallMediaControl.set_media_type_finish]
 * @generate_digits: implements [method@Tapi.CallMediaControl.generate_digits]
 * @detect_digits: implements [method@Tapi.CallMediaControl.detect_digits]
 * @monitor_media: implements [method@Tapi.CallMediaControl.monitor_media]
 *
 * The virtual functions of [iface@Tapi.CallMediaControl].
 */
struct _TapiCallMediaControlInterface
{
  GTypeInterface g_iface;

  void     (*set_media_type_async)  (TapiCallMediaControl *self,
                                     TapiMediaType         media_type,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
  gboolean (*set_media_type_finish) (TapiCallMediaControl *self,
                                     GAsyncResult         *result,
                                     GError              **error);
  gboolean (*generate_digits) (TapiCallMediaControl *self,
                               const char           *digits,
                               TapiDigitMode         mode,
                               GError              **error);
  gboolean (*detect_digits)   (TapiCallMediaControl *self,
                               TapiDigitMode         mode,
                               GError              **error);
  gboolean (*monitor_media)   (TapiCallMediaControl *self,
                               TapiMediaType         media_types,
                               GError              **error);
};

TAPI_AVAILABLE_IN_ALL
gboolean tapi_call_media_control_set_media_type (TapiCallMediaControl *self,
                                                 TapiMediaType         media_type,
                                                 GError              **error);
TAPI_AVAILABLE_IN_ALL
void     tapi_call_media_control_set_media_type_async  (TapiCallMediaControl *self,
                                                        TapiMediaType         media_type,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_call_media_control_set_media_type_finish (TapiCallMediaControl *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

TAPI_AVAILABLE_IN_ALL
gboolean tapi_call_media_control_generate_digits (TapiCallMediaControl *self,
                                                  const char           *digits,
                                                  TapiDigitMode         mode,
                                                  GError              **error);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_call_media_control_detect_digits   (TapiCallMediaControl *self,
                                                  TapiDigitMode         mode,
                                                  GError              **error);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_call_media_control_monitor_media   (TapiCallMediaControl *self,
                                                  TapiMediaType         media_types,
                                                  GError              **error);

G_END_DECLS
