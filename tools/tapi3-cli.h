/* tapi3-cli.h: shared parts of the tapi3 command-line tool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <tapi3.h>

G_BEGIN_DECLS

const char *cli_enum_to_string       (GType                  enum_type,
                                      int                    value);
char       *cli_flags_to_string      (GType                  flags_type,
                                      guint                  value);
char       *cli_describe_info_change (TapiCall              *call,
                                      TapiCallInfoChange     change);
char       *cli_describe_state       (TapiCallState          state,
                                      TapiCallStateCause     cause);
char       *cli_describe_media_event (TapiCallMediaEvent     event,
                                      TapiCallMediaCause     cause,
                                      TapiStream            *stream,
                                      TapiTerminal          *terminal);
TapiStream *cli_find_stream          (TapiCall              *call,
                                      TapiTerminalDirection  direction);

int         cli_demo                 (int                    argc,
                                      char                 **argv);

G_END_DECLS
