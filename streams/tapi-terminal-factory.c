/* tapi-terminal-factory.c: the terminals made by class name, and the
 * machine's sound devices
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include "tapi-device-terminal.h"
#include "tapi-error.h"
#include "tapi-file-playback-terminal.h"
#include "tapi-file-recording-terminal.h"
#include "tapi-media-stream-terminal.h"
#include "tapi-null-terminal.h"
#include "tapi-terminal-factory.h"
#include "tapi-terminal-private.h"
#include "tapi-tone-terminal.h"

GST_DEBUG_CATEGORY_STATIC (tapi_terminal_factory_debug);
#define GST_CAT_DEFAULT tapi_terminal_factory_debug

/* Above the terminal classes: the one place that names them. Each dynamic
 * class says its class name and directions itself, in its class_init. */
static GType (* const dynamic_types[]) (void) = {
  tapi_file_recording_terminal_get_type,
  tapi_file_playback_terminal_get_type,
  tapi_tone_terminal_get_type,
  tapi_media_stream_terminal_get_type,
  tapi_null_terminal_get_type,
};

/*
 * tapi_terminal_new_dynamic:
 * @terminal_class: one of the dynamic `TAPI_TERMINAL_CLASS_*`
 * @media_type: %TAPI_MEDIA_TYPE_AUDIO
 * @direction: the direction
 * @error: return location for a #GError
 *
 * Makes a dynamic terminal. Fails with %TAPI_ERROR_INVALID_TERMINAL_CLASS
 * for an unknown or a static class, %TAPI_ERROR_INVALID_MEDIA_TYPE for
 * another media type than audio and %TAPI_ERROR_INVALID_DIRECTION for a
 * direction the class does not take.
 *
 * Returns: (transfer full): the terminal, or %NULL with @error set
 */
TapiTerminal *
tapi_terminal_new_dynamic (const char             *terminal_class,
                           TapiMediaType           media_type,
                           TapiTerminalDirection   direction,
                           GError                **error)
{
  GType type = G_TYPE_INVALID;
  guint directions = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (terminal_class == NULL || *terminal_class == '\0')
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL_CLASS,
                           "No terminal class was given");
      return NULL;
    }

  if (g_str_equal (terminal_class, TAPI_TERMINAL_CLASS_MICROPHONE) ||
      g_str_equal (terminal_class, TAPI_TERMINAL_CLASS_SPEAKERS))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL_CLASS,
                   "Terminals of class “%s” are devices: take them from the "
                   "static terminals", terminal_class);
      return NULL;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (dynamic_types) && type == G_TYPE_INVALID;
       i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (dynamic_types[i] ());
      const char *name;

      if (tapi_terminal_class_get_dynamic (G_TYPE_FROM_CLASS (klass), &name,
                                           &directions) &&
          g_str_equal (terminal_class, name))
        type = G_TYPE_FROM_CLASS (klass);
    }

  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL_CLASS,
                   "Unknown terminal class “%s”", terminal_class);
      return NULL;
    }

  if (media_type != TAPI_MEDIA_TYPE_AUDIO)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "Terminals of class “%s” carry audio only", terminal_class);
      return NULL;
    }

  if ((guint) direction >= 32 ||
      (directions & TAPI_TERMINAL_DIRECTION_BIT (direction)) == 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_DIRECTION,
                   "Terminals of class “%s” cannot be %s terminals",
                   terminal_class, tapi_terminal_direction_nick (direction));
      return NULL;
    }

  return g_object_new (type,
                       "terminal-class", terminal_class,
                       "terminal-type", TAPI_TERMINAL_TYPE_DYNAMIC,
                       "media-type", TAPI_MEDIA_TYPE_AUDIO,
                       "direction", direction,
                       NULL);
}

/* Static terminals: one device monitor for the process */

typedef struct
{
  GListStore       *terminals;
  GstDeviceMonitor *monitor;
} StaticTerminals;

static StaticTerminals *static_terminals;

static gboolean
find_device (GListStore *terminals,
             GstDevice  *device,
             guint      *position)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (terminals));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TapiDeviceTerminal) terminal =
        g_list_model_get_item (G_LIST_MODEL (terminals), i);

      if (tapi_device_terminal_get_device (terminal) == device)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
add_device (StaticTerminals *statics,
            GstDevice       *device)
{
  g_autoptr(TapiTerminal) terminal = NULL;
  guint position;

  if (find_device (statics->terminals, device, &position))
    return;

  terminal = tapi_device_terminal_new (device);
  GST_DEBUG ("%" GST_PTR_FORMAT " %s", device,
             terminal != NULL ? "added" : "ignored");
  if (terminal != NULL)
    g_list_store_append (statics->terminals, terminal);
}

static void
remove_device (StaticTerminals *statics,
               GstDevice       *device)
{
  guint position;

  if (find_device (statics->terminals, device, &position))
    {
      GST_DEBUG ("%" GST_PTR_FORMAT " removed", device);
      g_list_store_remove (statics->terminals, position);
    }
}

static gboolean
device_monitor_bus_cb (GstBus     *bus,
                       GstMessage *message,
                       gpointer    user_data)
{
  StaticTerminals *statics = user_data;
  g_autoptr(GstDevice) device = NULL;
  g_autoptr(GstDevice) old_device = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      add_device (statics, device);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      remove_device (statics, device);
      break;
    case GST_MESSAGE_DEVICE_CHANGED:
      gst_message_parse_device_changed (message, &device, &old_device);
      remove_device (statics, old_device);
      add_device (statics, device);
      break;
    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static StaticTerminals *
static_terminals_new (void)
{
  StaticTerminals *statics = g_new0 (StaticTerminals, 1);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GSource) source = NULL;
  GList *devices;

  statics->terminals = g_list_store_new (TAPI_TYPE_TERMINAL);

  if (!tapi_terminal_ensure_gstreamer (NULL))
    return statics;
  GST_DEBUG_CATEGORY_INIT (tapi_terminal_factory_debug, "tapiterminalfactory", 0,
                           "the machine's sound devices as terminals");

  statics->monitor = gst_device_monitor_new ();
  caps = gst_caps_new_empty_simple ("audio/x-raw");
  gst_device_monitor_add_filter (statics->monitor, "Audio/Source", caps);
  gst_device_monitor_add_filter (statics->monitor, "Audio/Sink", caps);

  /* The list changes in the context of the thread that first asked for
   * it, like any list model. */
  bus = gst_device_monitor_get_bus (statics->monitor);
  source = gst_bus_create_watch (bus);
  g_source_set_callback (source, G_SOURCE_FUNC (device_monitor_bus_cb),
                         statics, NULL);
  g_source_set_static_name (source, "[tapi] device monitor");
  g_source_attach (source, g_main_context_get_thread_default ());

  /* A machine without sound devices or device providers has no static
   * terminals; that is not an error. */
  if (!gst_device_monitor_start (statics->monitor))
    return statics;

  devices = gst_device_monitor_get_devices (statics->monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    add_device (statics, l->data);
  g_list_free_full (devices, gst_object_unref);

  return statics;
}

/*
 * tapi_terminal_get_static_terminals:
 *
 * Gets the static terminals of the machine, one [class@Tapi.Terminal] of
 * class %TAPI_TERMINAL_CLASS_MICROPHONE or %TAPI_TERMINAL_CLASS_SPEAKERS
 * per sound device. The list is shared by the whole process and follows
 * the devices as they come and go, in the main context that was the
 * thread-default one of the first caller. It is empty on a machine without
 * sound devices.
 *
 * Returns: (transfer none): a #GListModel of #TapiTerminal
 */
GListModel *
tapi_terminal_get_static_terminals (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      static_terminals = static_terminals_new ();
      g_once_init_leave (&initialized, 1);
    }

  return G_LIST_MODEL (static_terminals->terminals);
}
