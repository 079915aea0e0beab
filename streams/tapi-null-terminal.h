/* tapi-null-terminal.h: TapiNullTerminal, silence in, nothing out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-terminal.h"

G_BEGIN_DECLS

#define TAPI_TYPE_NULL_TERMINAL (tapi_null_terminal_get_type ())

G_DECLARE_FINAL_TYPE (TapiNullTerminal, tapi_null_terminal, TAPI, NULL_TERMINAL, TapiTerminal)

G_END_DECLS
