/* tapi-file-recording-terminal.h: TapiFileRecordingTerminal, records to a file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include "tapi-terminal.h"

G_BEGIN_DECLS

#define TAPI_TYPE_FILE_RECORDING_TERMINAL (tapi_file_recording_terminal_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiFileRecordingTerminal, tapi_file_recording_terminal, TAPI, FILE_RECORDING_TERMINAL, TapiTerminal)

TAPI_AVAILABLE_IN_ALL
const char *tapi_file_recording_terminal_get_file_name (TapiFileRecordingTerminal *self);
TAPI_AVAILABLE_IN_ALL
void        tapi_file_recording_terminal_set_file_name (TapiFileRecordingTerminal *self,
                                                        const char                *file_name);

G_END_DECLS
