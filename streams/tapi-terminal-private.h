/* tapi-terminal-private.h: what the library's terminal classes implement
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "tapi-terminal.h"

G_BEGIN_DECLS

/* Makes the GStreamer element of a terminal: for a CAPTURE terminal a
 * source (or bin with a "src" ghost pad) giving raw audio, for a RENDER
 * terminal a sink (or bin with a "sink" ghost pad) taking raw audio. The
 * pipeline adds audioconvert and audioresample around it. */
typedef GstElement *(*TapiTerminalElementFunc) (TapiTerminal  *self,
                                                GError       **error);

/* Called on the terminal with every message its element posts (EOS of a
 * file, a write error...); returns TRUE when the message ends the
 * terminal's media, so that the stream reports it. */
typedef gboolean (*TapiTerminalMessageFunc) (TapiTerminal  *self,
                                             GstMessage    *message);

/* Says what a dynamic terminal does, for its name: "Tone 440 Hz". */
typedef char *(*TapiTerminalDescribeFunc) (TapiTerminal *self);

#define TAPI_TERMINAL_DIRECTION_BIT(direction) (1u << (direction))

void          tapi_terminal_class_set_element_func (gpointer                 klass,
                                                    TapiTerminalElementFunc  func);
void          tapi_terminal_class_set_message_func (gpointer                 klass,
                                                    TapiTerminalMessageFunc  func);
void          tapi_terminal_class_set_describe_func (gpointer                 klass,
                                                     TapiTerminalDescribeFunc func);
void          tapi_terminal_class_set_dynamic      (gpointer                 klass,
                                                    const char              *terminal_class,
                                                    guint                    directions,
                                                    const char              *describing_property);
gboolean      tapi_terminal_class_get_dynamic      (GType                    type,
                                                    const char             **terminal_class,
                                                    guint                   *directions);

GstElement   *tapi_terminal_create_element         (TapiTerminal            *self,
                                                    GError                 **error);
gboolean      tapi_terminal_handle_message         (TapiTerminal            *self,
                                                    GstMessage              *message);
void          tapi_terminal_set_state              (TapiTerminal            *self,
                                                    TapiTerminalState        state);

const char   *tapi_terminal_direction_nick         (TapiTerminalDirection    direction);
gboolean      tapi_terminal_ensure_gstreamer       (GError                 **error);

G_END_DECLS
