/* tapi-device-terminal.c: TapiDeviceTerminal, a sound device of the machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include "tapi-device-terminal.h"
#include "tapi-error.h"
#include "tapi-terminal-private.h"

/* A static terminal: a microphone (an "Audio/Source" device) or speakers
 * (an "Audio/Sink" device) found by the device monitor. Its element is the
 * one the device makes, e.g. a pulsesrc or an alsasink set to the device. */

struct _TapiDeviceTerminal
{
  TapiTerminal  parent_instance;

  GstDevice    *device;
};

enum {
  PROP_0,
  PROP_DEVICE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TapiDeviceTerminal, tapi_device_terminal, TAPI_TYPE_TERMINAL)

static GstElement *
create_element (TapiTerminal  *terminal,
                GError       **error)
{
  TapiDeviceTerminal *self = TAPI_DEVICE_TERMINAL (terminal);
  GstElement *element = gst_device_create_element (self->device, NULL);

  if (element == NULL)
    {
      g_autofree char *name = gst_device_get_display_name (self->device);

      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                   "The device “%s” cannot be opened", name);
      return NULL;
    }

  return element;
}

static void
tapi_device_terminal_finalize (GObject *object)
{
  TapiDeviceTerminal *self = TAPI_DEVICE_TERMINAL (object);

  gst_clear_object (&self->device);

  G_OBJECT_CLASS (tapi_device_terminal_parent_class)->finalize (object);
}

static void
tapi_device_terminal_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TapiDeviceTerminal *self = TAPI_DEVICE_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_device_terminal_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TapiDeviceTerminal *self = TAPI_DEVICE_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_device_terminal_class_init (TapiDeviceTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_device_terminal_finalize;
  object_class->get_property = tapi_device_terminal_get_property;
  object_class->set_property = tapi_device_terminal_set_property;

  tapi_terminal_class_set_element_func (klass, create_element);

  props[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, GST_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tapi_device_terminal_init (TapiDeviceTerminal *self)
{
}

/* Returns NULL for a device that is neither an audio source nor an audio
 * sink. */
TapiTerminal *
tapi_device_terminal_new (GstDevice *device)
{
  g_autofree char *name = NULL;
  TapiTerminalDirection direction;
  const char *terminal_class;

  g_return_val_if_fail (GST_IS_DEVICE (device), NULL);

  if (gst_device_has_classes (device, "Audio/Source"))
    {
      direction = TAPI_TERMINAL_DIRECTION_CAPTURE;
      terminal_class = TAPI_TERMINAL_CLASS_MICROPHONE;
    }
  else if (gst_device_has_classes (device, "Audio/Sink"))
    {
      direction = TAPI_TERMINAL_DIRECTION_RENDER;
      terminal_class = TAPI_TERMINAL_CLASS_SPEAKERS;
    }
  else
    {
      return NULL;
    }

  name = gst_device_get_display_name (device);

  return g_object_new (TAPI_TYPE_DEVICE_TERMINAL,
                       "device", device,
                       "name", name,
                       "terminal-class", terminal_class,
                       "terminal-type", TAPI_TERMINAL_TYPE_STATIC,
                       "media-type", TAPI_MEDIA_TYPE_AUDIO,
                       "direction", direction,
                       NULL);
}

GstDevice *
tapi_device_terminal_get_device (TapiDeviceTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_DEVICE_TERMINAL (self), NULL);

  return self->device;
}
