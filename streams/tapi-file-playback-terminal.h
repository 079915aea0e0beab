/* tapi-file-playback-terminal.h: TapiFilePlaybackTerminal, plays files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include "tapi-terminal.h"

G_BEGIN_DECLS

#define TAPI_TYPE_FILE_PLAYBACK_TERMINAL (tapi_file_playback_terminal_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiFilePlaybackTerminal, tapi_file_playback_terminal, TAPI, FILE_PLAYBACK_TERMINAL, TapiTerminal)

TAPI_AVAILABLE_IN_ALL
const char * const *tapi_file_playback_terminal_get_play_list (TapiFilePlaybackTerminal *self);
TAPI_AVAILABLE_IN_ALL
void                tapi_file_playback_terminal_set_play_list (TapiFilePlaybackTerminal *self,
                                                               const char * const       *play_list);
TAPI_AVAILABLE_IN_ALL
gboolean            tapi_file_playback_terminal_get_loop      (TapiFilePlaybackTerminal *self);
TAPI_AVAILABLE_IN_ALL
void                tapi_file_playback_terminal_set_loop      (TapiFilePlaybackTerminal *self,
                                                               gboolean                  loop);

G_END_DECLS
