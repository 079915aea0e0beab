/* tapi-media-stream-terminal.h: TapiMediaStreamTerminal, raw audio to and from the application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-terminal.h"

G_BEGIN_DECLS

#define TAPI_TYPE_MEDIA_STREAM_TERMINAL (tapi_media_stream_terminal_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiMediaStreamTerminal, tapi_media_stream_terminal, TAPI, MEDIA_STREAM_TERMINAL, TapiTerminal)

TAPI_AVAILABLE_IN_ALL
guint    tapi_media_stream_terminal_get_sample_rate (TapiMediaStreamTerminal *self);
TAPI_AVAILABLE_IN_ALL
void     tapi_media_stream_terminal_set_sample_rate (TapiMediaStreamTerminal *self,
                                                     guint                    sample_rate);
TAPI_AVAILABLE_IN_ALL
gboolean tapi_media_stream_terminal_push_samples    (TapiMediaStreamTerminal *self,
                                                     GBytes                  *samples,
                                                     GError                 **error);

G_END_DECLS
