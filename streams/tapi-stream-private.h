/* tapi-stream-private.h: TapiStream internals shared with the media session
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-stream.h"

G_BEGIN_DECLS

typedef struct _TapiMediaSession TapiMediaSession;

TapiStream   *tapi_stream_new           (TapiMediaSession      *session,
                                         TapiCall              *call,
                                         TapiMediaType          media_type,
                                         TapiTerminalDirection  direction,
                                         const char            *name);
TapiTerminal *tapi_stream_get_terminal  (TapiStream            *self);
gboolean      tapi_stream_wants_to_run  (TapiStream            *self);
void          tapi_stream_set_running   (TapiStream            *self,
                                         gboolean               running,
                                         TapiCallMediaCause     cause);
void          tapi_stream_fail          (TapiStream            *self,
                                         TapiCallMediaEvent     event,
                                         TapiCallMediaCause     cause);
void          tapi_stream_set_level     (TapiStream            *self,
                                         double                 level);
void          tapi_stream_detach        (TapiStream            *self);

G_END_DECLS
