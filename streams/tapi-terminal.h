/* tapi-terminal.h: TapiTerminal, where a stream's media comes from or goes to
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <glib-object.h>

#include "tapi-enums.h"
#include "tapi-version.h"

G_BEGIN_DECLS

/**
 * TAPI_TERMINAL_CLASS_MICROPHONE:
 *
 * The class of static capture terminals: the machine's audio inputs.
 */
#define TAPI_TERMINAL_CLASS_MICROPHONE "microphone"

/**
 * TAPI_TERMINAL_CLASS_SPEAKERS:
 *
 * The class of static render terminals: the machine's audio outputs.
 */
#define TAPI_TERMINAL_CLASS_SPEAKERS "speakers"

/**
 * TAPI_TERMINAL_CLASS_FILE_RECORDING:
 *
 * The class of [class@Tapi.FileRecordingTerminal].
 */
#define TAPI_TERMINAL_CLASS_FILE_RECORDING "file-recording"

/**
 * TAPI_TERMINAL_CLASS_FILE_PLAYBACK:
 *
 * The class of [class@Tapi.FilePlaybackTerminal].
 */
#define TAPI_TERMINAL_CLASS_FILE_PLAYBACK "file-playback"

/**
 * TAPI_TERMINAL_CLASS_TONE:
 *
 * The class of [class@Tapi.ToneTerminal].
 */
#define TAPI_TERMINAL_CLASS_TONE "tone"

/**
 * TAPI_TERMINAL_CLASS_MEDIA_STREAM:
 *
 * The class of [class@Tapi.MediaStreamTerminal].
 */
#define TAPI_TERMINAL_CLASS_MEDIA_STREAM "media-stream"

/**
 * TAPI_TERMINAL_CLASS_NULL:
 *
 * The class of terminals that capture silence or discard what they render.
 */
#define TAPI_TERMINAL_CLASS_NULL "null"

#define TAPI_TYPE_TERMINAL (tapi_terminal_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (TapiTerminal, tapi_terminal, TAPI, TERMINAL, GObject)

/**
 * TapiTerminalClass:
 * @parent_class: the parent class
 *
 * The class of [class@Tapi.Terminal]. Terminals are made by the library:
 * [method@Tapi.Address.create_terminal] and
 * [method@Tapi.Address.get_static_terminals].
 */
struct _TapiTerminalClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer padding[8];
};

TAPI_AVAILABLE_IN_ALL
const char            *tapi_terminal_get_name           (TapiTerminal *self);
TAPI_AVAILABLE_IN_ALL
const char            *tapi_terminal_get_terminal_class (TapiTerminal *self);
TAPI_AVAILABLE_IN_ALL
TapiTerminalType       tapi_terminal_get_terminal_type  (TapiTerminal *self);
TAPI_AVAILABLE_IN_ALL
TapiMediaType          tapi_terminal_get_media_type     (TapiTerminal *self);
TAPI_AVAILABLE_IN_ALL
TapiTerminalDirection  tapi_terminal_get_direction      (TapiTerminal *self);
TAPI_AVAILABLE_IN_ALL
TapiTerminalState      tapi_terminal_get_state          (TapiTerminal *self);

G_END_DECLS
