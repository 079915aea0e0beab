/* tapi-file-recording-terminal.c: TapiFileRecordingTerminal, records to a file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include <string.h>

#include "tapi-error.h"
#include "tapi-file-recording-terminal.h"
#include "tapi-terminal-private.h"

/**
 * TapiFileRecordingTerminal:
 *
 * A render terminal that records what a stream receives to a file
 * [ITMediaRecord].
 *
 * Make one with [method@Tapi.Address.create_terminal] and the class
 * %TAPI_TERMINAL_CLASS_FILE_RECORDING, set
 * [property@Tapi.FileRecordingTerminal:file-name] and select it on a render
 * stream. The file's extension chooses the format: `.wav` for PCM in a WAV
 * file, `.ogg` or `.opus` for Opus in Ogg. The file is complete once the
 * stream has stopped. A file that cannot be written fails the terminal: the
 * call emits [signal@Tapi.Call::media-event] with
 * %TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL.
 */

struct _TapiFileRecordingTerminal
{
  TapiTerminal  parent_instance;

  char         *file_name;
};

enum {
  PROP_0,
  PROP_FILE_NAME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TapiFileRecordingTerminal, tapi_file_recording_terminal, TAPI_TYPE_TERMINAL)

static const char *
encoder_for (const char *file_name)
{
  const char *dot = strrchr (file_name, '.');

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return NULL;
  if (g_ascii_strcasecmp (dot, ".wav") == 0)
    return "audioconvert ! wavenc";
  if (g_ascii_strcasecmp (dot, ".ogg") == 0 ||
      g_ascii_strcasecmp (dot, ".opus") == 0)
    return "audioconvert ! audioresample ! opusenc ! oggmux";

  return NULL;
}

static GstElement *
create_element (TapiTerminal  *terminal,
                GError       **error)
{
  TapiFileRecordingTerminal *self = TAPI_FILE_RECORDING_TERMINAL (terminal);
  const char *file_name = self->file_name;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) sink = NULL;
  const char *encoder;
  GstElement *bin;

  if (file_name == NULL || *file_name == '\0')
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                           "The recording terminal has no file name");
      return NULL;
    }

  encoder = encoder_for (file_name);
  if (encoder == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                   "Cannot record to “%s”: the file name must end in .wav, "
                   ".ogg or .opus", file_name);
      return NULL;
    }

  /* The file sink writes as the audio arrives: the call's clock paces it. */
  description = g_strdup_printf ("%s ! filesink name=file sync=false", encoder);
  bin = gst_parse_bin_from_description_full (description, TRUE, NULL,
                                             GST_PARSE_FLAG_FATAL_ERRORS,
                                             error);
  if (bin == NULL)
    return NULL;

  sink = gst_bin_get_by_name (GST_BIN (bin), "file");
  g_object_set (sink, "location", file_name, NULL);

  return bin;
}

/* A file that cannot be opened or written posts an error. The end of the
 * stream is not reported: the stream sends it itself when it stops. */
static gboolean
handle_message (TapiTerminal *terminal,
                GstMessage   *message)
{
  return GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR;
}

static void
tapi_file_recording_terminal_finalize (GObject *object)
{
  TapiFileRecordingTerminal *self = TAPI_FILE_RECORDING_TERMINAL (object);

  g_free (self->file_name);

  G_OBJECT_CLASS (tapi_file_recording_terminal_parent_class)->finalize (object);
}

static void
tapi_file_recording_terminal_get_property (GObject    *object,
                                           guint       prop_id,
                                           GValue     *value,
                                           GParamSpec *pspec)
{
  TapiFileRecordingTerminal *self = TAPI_FILE_RECORDING_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_file_recording_terminal_set_property (GObject      *object,
                                           guint         prop_id,
                                           const GValue *value,
                                           GParamSpec   *pspec)
{
  TapiFileRecordingTerminal *self = TAPI_FILE_RECORDING_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_FILE_NAME:
      tapi_file_recording_terminal_set_file_name (self,
                                                  g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
describe (TapiTerminal *terminal)
{
  const char *file_name =
    tapi_file_recording_terminal_get_file_name (TAPI_FILE_RECORDING_TERMINAL (terminal));
  g_autofree char *basename = NULL;

  if (file_name == NULL || *file_name == '\0')
    return g_strdup ("File recording");
  basename = g_path_get_basename (file_name);
  return g_strdup_printf ("Recording to %s", basename);
}

static void
tapi_file_recording_terminal_class_init (TapiFileRecordingTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_file_recording_terminal_finalize;
  object_class->get_property = tapi_file_recording_terminal_get_property;
  object_class->set_property = tapi_file_recording_terminal_set_property;

  tapi_terminal_class_set_element_func (klass, create_element);
  tapi_terminal_class_set_message_func (klass, handle_message);
  tapi_terminal_class_set_describe_func (klass, describe);
  tapi_terminal_class_set_dynamic (klass, TAPI_TERMINAL_CLASS_FILE_RECORDING,
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_RENDER),
                                   "file-name");

  /**
   * TapiFileRecordingTerminal:file-name:
   *
   * The file to record to, in the GLib file name encoding. It must end in
   * `.wav`, `.ogg` or `.opus`; otherwise the stream the terminal is
   * selected on cannot start. An existing file is overwritten. A change
   * takes effect when the stream next starts.
   */
  props[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tapi_file_recording_terminal_init (TapiFileRecordingTerminal *self)
{
}

/**
 * tapi_file_recording_terminal_get_file_name:
 * @self: a file recording terminal
 *
 * Gets [property@Tapi.FileRecordingTerminal:file-name].
 *
 * Returns: (nullable) (type filename): the file to record to
 */
const char *
tapi_file_recording_terminal_get_file_name (TapiFileRecordingTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_FILE_RECORDING_TERMINAL (self), NULL);

  return self->file_name;
}

/**
 * tapi_file_recording_terminal_set_file_name:
 * @self: a file recording terminal
 * @file_name: (nullable) (type filename): the file to record to, ending in
 *   `.wav`, `.ogg` or `.opus`
 *
 * Sets [property@Tapi.FileRecordingTerminal:file-name].
 */
void
tapi_file_recording_terminal_set_file_name (TapiFileRecordingTerminal *self,
                                            const char                *file_name)
{
  g_return_if_fail (TAPI_IS_FILE_RECORDING_TERMINAL (self));

  if (g_strcmp0 (self->file_name, file_name) == 0)
    return;

  g_free (self->file_name);
  self->file_name = g_strdup (file_name);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FILE_NAME]);
}
