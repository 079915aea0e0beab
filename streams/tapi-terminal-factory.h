/* tapi-terminal-factory.h: the terminals made by class name, and the
 * machine's sound devices
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-terminal.h"

G_BEGIN_DECLS

TapiTerminal *tapi_terminal_new_dynamic          (const char             *terminal_class,
                                                  TapiMediaType           media_type,
                                                  TapiTerminalDirection   direction,
                                                  GError                **error);
GListModel   *tapi_terminal_get_static_terminals (void);

G_END_DECLS
