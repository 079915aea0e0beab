/* tapi3-cli.h: shared parts of the tapi3 command-line tool
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <tapi3.h>

G_BEGIN_DECLS

#define CLI_APPLICATION_NAME "org.libtapi3.Cli"

void            cli_print_error          (const char      *format,
                                          ...) G_GNUC_PRINTF (1, 2);
void            cli_print_line           (const char      *format,
                                          ...) G_GNUC_PRINTF (1, 2);
void            cli_print_call_line      (TapiCall        *call,
                                          const char      *format,
                                          ...) G_GNUC_PRINTF (2, 3);
const char     *cli_or_dash              (const char      *string);
char           *cli_terse_field          (const char      *string);
char           *cli_describe_party       (const char      *number,
                                          const char      *name);
TapiTapi       *cli_open_tapi            (const char      *application_name);
char           *cli_list_address_names   (TapiTapi        *tapi);
TapiAddress    *cli_lookup_address       (TapiTapi        *tapi,
                                          const char      *name);
GOptionContext *cli_command_context_new  (const char      *command,
                                          const char      *parameters,
                                          const char      *summary);
gboolean        cli_parse_command_line   (GOptionContext  *context,
                                          int             *argc,
                                          char          ***argv);

const char *cli_enum_to_string       (GType                  enum_type,
                                      int                    value);
char       *cli_flags_to_string      (GType                  flags_type,
                                      guint                  value);
char       *cli_flags_join           (GType                  flags_type,
                                      guint                  value,
                                      const char            *separator);
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
int         cli_session_demo         (const char            *recordings_dir);

int         cli_addresses            (int                    argc,
                                      char                 **argv);
int         cli_call                 (int                    argc,
                                      char                 **argv);
int         cli_monitor              (int                    argc,
                                      char                 **argv);
int         cli_calls                (int                    argc,
                                      char                 **argv);
int         cli_answer               (int                    argc,
                                      char                 **argv);
int         cli_handoff              (int                    argc,
                                      char                 **argv);
int         cli_transfer             (int                    argc,
                                      char                 **argv);
int         cli_hangup               (int                    argc,
                                      char                 **argv);

G_END_DECLS
