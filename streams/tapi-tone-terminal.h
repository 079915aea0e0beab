/* tapi-tone-terminal.h: TapiToneTerminal, a sine tone source
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include "tapi-terminal.h"

G_BEGIN_DECLS

#define TAPI_TYPE_TONE_TERMINAL (tapi_tone_terminal_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiToneTerminal, tapi_tone_terminal, TAPI, TONE_TERMINAL, TapiTerminal)

TAPI_AVAILABLE_IN_ALL
double   tapi_tone_terminal_get_frequency (TapiToneTerminal *self);
TAPI_AVAILABLE_IN_ALL
void     tapi_tone_terminal_set_frequency (TapiToneTerminal *self,
                                           double            frequency);
TAPI_AVAILABLE_IN_ALL
double   tapi_tone_terminal_get_volume    (TapiToneTerminal *self);
TAPI_AVAILABLE_IN_ALL
void     tapi_tone_terminal_set_volume    (TapiToneTerminal *self,
                                           double            volume);

G_END_DECLS
