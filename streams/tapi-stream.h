/* tapi-stream.h: TapiStream, one direction of one medium of a call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-terminal.h"
#include "tapi-types.h"
#include "tapi-version.h"

G_BEGIN_DECLS

#define TAPI_TYPE_STREAM (tapi_stream_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiStream, tapi_stream, TAPI, STREAM, GObject)

TAPI_AVAILABLE_IN_ALL
TapiCall              *tapi_stream_get_call              (TapiStream   *self);
TAPI_AVAILABLE_IN_ALL
TapiMediaType          tapi_stream_get_media_type        (TapiStream   *self);
TAPI_AVAILABLE_IN_ALL
TapiTerminalDirection  tapi_stream_get_direction         (TapiStream   *self);
TAPI_AVAILABLE_IN_ALL
const char            *tapi_stream_get_name              (TapiStream   *self);
TAPI_AVAILABLE_IN_ALL
TapiStreamState        tapi_stream_get_state             (TapiStream   *self);
TAPI_AVAILABLE_IN_ALL
double                 tapi_stream_get_level             (TapiStream   *self);

TAPI_AVAILABLE_IN_ALL
gboolean               tapi_stream_start                 (TapiStream   *self,
                                                          GError      **error);
TAPI_AVAILABLE_IN_ALL
gboolean               tapi_stream_pause                 (TapiStream   *self,
                                                          GError      **error);
TAPI_AVAILABLE_IN_ALL
gboolean               tapi_stream_stop                  (TapiStream   *self,
                                                          GError      **error);
TAPI_AVAILABLE_IN_ALL
gboolean               tapi_stream_select_terminal       (TapiStream   *self,
                                                          TapiTerminal *terminal,
                                                          GError      **error);
TAPI_AVAILABLE_IN_ALL
gboolean               tapi_stream_unselect_terminal     (TapiStream   *self,
                                                          TapiTerminal *terminal,
                                                          GError      **error);
TAPI_AVAILABLE_IN_ALL
GListModel            *tapi_stream_get_terminals         (TapiStream   *self);

G_END_DECLS
