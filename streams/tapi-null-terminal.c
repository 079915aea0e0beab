/* tapi-null-terminal.c: TapiNullTerminal, silence in, nothing out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include "tapi-null-terminal.h"
#include "tapi-terminal-private.h"

/* The "null" terminal class: a capture terminal that sends silence, so
 * that a call carries media without a device, and a render terminal that
 * discards what it receives. */

struct _TapiNullTerminal
{
  TapiTerminal parent_instance;
};

G_DEFINE_FINAL_TYPE (TapiNullTerminal, tapi_null_terminal, TAPI_TYPE_TERMINAL)

static GstElement *
create_element (TapiTerminal  *terminal,
                GError       **error)
{
  if (tapi_terminal_get_direction (terminal) == TAPI_TERMINAL_DIRECTION_CAPTURE)
    return gst_parse_launch_full ("audiotestsrc is-live=true wave=silence "
                                  "samplesperbuffer=160", NULL,
                                  GST_PARSE_FLAG_FATAL_ERRORS, error);

  return gst_parse_launch_full ("fakesink sync=false async=false", NULL,
                                GST_PARSE_FLAG_FATAL_ERRORS, error);
}

static char *
describe (TapiTerminal *terminal)
{
  return g_strdup_printf ("Null (%s)",
                          tapi_terminal_direction_nick (tapi_terminal_get_direction (terminal)));
}

static void
tapi_null_terminal_class_init (TapiNullTerminalClass *klass)
{
  tapi_terminal_class_set_element_func (klass, create_element);
  tapi_terminal_class_set_describe_func (klass, describe);
  tapi_terminal_class_set_dynamic (klass, TAPI_TERMINAL_CLASS_NULL,
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_CAPTURE) |
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_RENDER),
                                   NULL);
}

static void
tapi_null_terminal_init (TapiNullTerminal *self)
{
}
