/* tapi-file-playback-terminal.c: TapiFilePlaybackTerminal, plays files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include <gst/audio/audio.h>

#include "tapi-error.h"
#include "tapi-file-playback-terminal.h"
#include "tapi-terminal-private.h"

/**
 * TapiFilePlaybackTerminal:
 *
 * A capture terminal that plays audio files into the call [ITMediaPlayback].
 *
 * Make one with [method@Tapi.Address.create_terminal] and the class
 * %TAPI_TERMINAL_CLASS_FILE_PLAYBACK, set
 * [property@Tapi.FilePlaybackTerminal:play-list] and select it on a capture
 * stream. The files play one after the other, in real time; any format
 * GStreamer decodes will do (WAV, Ogg, Opus, MP3, FLAC...). After the last
 * file the terminal falls silent and the call emits
 * [signal@Tapi.Call::media-event], unless
 * [property@Tapi.FilePlaybackTerminal:loop] is set: then the list starts
 * over. A file that cannot be played fails the terminal.
 */

struct _TapiFilePlaybackTerminal
{
  TapiTerminal   parent_instance;

  char         **play_list;
  int            loop;  /* atomic: read by the playing element's threads */
};

enum {
  PROP_0,
  PROP_PLAY_LIST,
  PROP_LOOP,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TapiFilePlaybackTerminal, tapi_file_playback_terminal, TAPI_TYPE_TERMINAL)

/* The name of the element message posted at the end of the play list. */
#define PLAY_LIST_END "tapi-play-list-end"

/* The element is a bin: a uridecodebin for the file being played, then
 * audioconvert ! audioresample ! identity sync=true. Only one decoder
 * exists at a time: at the end of a file the next one replaces it. Each
 * file starts its timestamps at zero, so a probe before identity puts the
 * audio of all files on one timeline that starts when the first buffer
 * comes; identity then plays it in real time, which a live pipeline
 * needs. */
typedef struct
{
  gatomicrefcount           ref_count;
  TapiFilePlaybackTerminal *terminal;
  GstElement               *bin;      /* unowned: the bin owns the playback */
  GstElement               *convert;  /* unowned: a child of bin */
  char                    **uris;

  GMutex                    lock;
  GstElement               *decoder;  /* unowned: a child of bin */
  gboolean                  decoder_failed;
  guint                     index;
  gboolean                  linked;
  gboolean                  finished;
  guint64                   samples_in_pass;

  /* Only touched by the streaming thread that passes identity's sink */
  gboolean                  stream_started;
  gboolean                  segment_sent;
  gboolean                  timeline_started;
  GstClockTime              base;
  guint64                   samples;
  int                       rate;
  int                       bpf;
} Playback;

static Playback *
playback_ref (Playback *playback)
{
  g_atomic_ref_count_inc (&playback->ref_count);
  return playback;
}

static void
playback_unref (Playback *playback)
{
  if (!g_atomic_ref_count_dec (&playback->ref_count))
    return;

  g_object_unref (playback->terminal);
  g_strfreev (playback->uris);
  g_mutex_clear (&playback->lock);
  g_free (playback);
}

static void
post_play_list_end (Playback *playback)
{
  GstStructure *structure = gst_structure_new_empty (PLAY_LIST_END);

  gst_element_post_message (playback->bin,
                            gst_message_new_element (GST_OBJECT (playback->bin),
                                                     structure));
}

static void
post_error (Playback   *playback,
            const char *uri,
            const char *what)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
                       "%s: %s", uri, what);
  gst_element_post_message (playback->bin,
                            gst_message_new_error (GST_OBJECT (playback->bin),
                                                   error, NULL));
}

static GstPadProbeReturn
drop_probe_cb (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  return GST_PAD_PROBE_DROP;
}

static void
pad_added_cb (GstElement *decoder,
              GstPad     *pad,
              gpointer    user_data)
{
  Playback *playback = user_data;
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (playback->convert,
                                                            "sink");
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const GstStructure *structure;
  gboolean audio;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  structure = gst_caps_get_size (caps) > 0 ? gst_caps_get_structure (caps, 0)
                                           : NULL;
  audio = structure != NULL &&
          gst_structure_has_name (structure, "audio/x-raw");

  g_mutex_lock (&playback->lock);
  if (decoder == playback->decoder && audio && !gst_pad_is_linked (sink_pad) &&
      GST_PAD_LINK_SUCCESSFUL (gst_pad_link (pad, sink_pad)))
    {
      playback->linked = TRUE;
      g_mutex_unlock (&playback->lock);
      return;
    }
  g_mutex_unlock (&playback->lock);

  /* Other streams of the file (video, a second audio track) are dropped,
   * so that they do not stop the file with a not-linked error. */
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_probe_cb,
                     NULL, NULL);
}

static void
no_more_pads_cb (GstElement *decoder,
                 gpointer    user_data)
{
  Playback *playback = user_data;
  g_autofree char *uri = NULL;
  gboolean linked;

  g_mutex_lock (&playback->lock);
  linked = decoder != playback->decoder || playback->linked;
  uri = g_strdup (playback->uris[playback->index]);
  g_mutex_unlock (&playback->lock);

  if (!linked)
    post_error (playback, uri, "the file has no audio");
}

/* The bin of a playback terminal. A decoder whose file fails (it is not
 * audio, it cannot be read) posts its error and stays stuck half-way
 * through its change of state; left among the bin's children, it would
 * fail every later change of the bin, and with it the pipeline's: a
 * pipeline told to stop would stop half-way. So the bin takes a failed
 * decoder out as soon as it can, and at the latest before its next
 * change of state. */
typedef struct
{
  GstBin parent_instance;
} TapiPlaybackBin;

typedef GstBinClass TapiPlaybackBinClass;

static GType tapi_playback_bin_get_type (void);

G_DEFINE_TYPE (TapiPlaybackBin, tapi_playback_bin, GST_TYPE_BIN)

static void
drop_failed_decoder (GstElement *bin)
{
  Playback *playback = g_object_get_data (G_OBJECT (bin), "tapi-playback");
  GstElement *decoder = NULL;

  if (playback == NULL)
    return;

  GST_STATE_LOCK (bin);
  g_mutex_lock (&playback->lock);
  if (playback->decoder_failed)
    {
      decoder = playback->decoder;
      playback->decoder = NULL;
      playback->decoder_failed = FALSE;
    }
  g_mutex_unlock (&playback->lock);

  if (decoder != NULL)
    {
      GST_DEBUG_OBJECT (bin, "Taking out the failed decoder %" GST_PTR_FORMAT,
                        decoder);
      gst_element_set_locked_state (decoder, TRUE);
      gst_element_set_state (decoder, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (bin), decoder);
    }
  GST_STATE_UNLOCK (bin);
}

static void
drop_failed_decoder_cb (GstElement *bin,
                        gpointer    user_data)
{
  drop_failed_decoder (bin);
}

static void
tapi_playback_bin_handle_message (GstBin     *bin,
                                  GstMessage *message)
{
  Playback *playback = g_object_get_data (G_OBJECT (bin), "tapi-playback");

  if (playback != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gboolean failed;

      /* The error comes from a streaming thread of the decoder, which
       * cannot stop the decoder itself: another thread does. */
      g_mutex_lock (&playback->lock);
      failed = playback->decoder != NULL &&
               gst_object_has_as_ancestor (GST_MESSAGE_SRC (message),
                                           GST_OBJECT (playback->decoder));
      playback->decoder_failed |= failed;
      g_mutex_unlock (&playback->lock);
      if (failed)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *debug = NULL;

          gst_element_call_async (GST_ELEMENT (bin), drop_failed_decoder_cb,
                                  NULL, NULL);

          /* The error goes on as the bin's own: by the time the
           * application reads it, the decoder is no longer in the bin. */
          gst_message_parse_error (message, &error, &debug);
          gst_message_unref (message);
          message = gst_message_new_error (GST_OBJECT (bin), error, debug);
        }
    }

  GST_BIN_CLASS (tapi_playback_bin_parent_class)->handle_message (bin, message);
}

static GstStateChangeReturn
tapi_playback_bin_change_state (GstElement     *element,
                                GstStateChange  transition)
{
  drop_failed_decoder (element);
  return GST_ELEMENT_CLASS (tapi_playback_bin_parent_class)->change_state (element, transition);
}

static void
tapi_playback_bin_class_init (TapiPlaybackBinClass *klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);

  element_class->change_state = tapi_playback_bin_change_state;
  bin_class->handle_message = tapi_playback_bin_handle_message;
}

static void
tapi_playback_bin_init (TapiPlaybackBin *self)
{
}

/* Puts a decoder for the current file in place of the previous one. */
static void
load_file (Playback *playback)
{
  GstElement *decoder;

  if (playback->decoder != NULL)
    {
      gst_element_set_state (playback->decoder, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (playback->bin), playback->decoder);
      playback->decoder = NULL;
    }

  decoder = gst_element_factory_make ("uridecodebin", NULL);
  g_object_set (decoder, "uri", playback->uris[playback->index], NULL);
  g_signal_connect (decoder, "pad-added", G_CALLBACK (pad_added_cb), playback);
  g_signal_connect (decoder, "no-more-pads", G_CALLBACK (no_more_pads_cb),
                    playback);

  g_mutex_lock (&playback->lock);
  playback->decoder = decoder;
  playback->decoder_failed = FALSE;
  playback->linked = FALSE;
  g_mutex_unlock (&playback->lock);

  gst_bin_add (GST_BIN (playback->bin), decoder);
}

static void
next_file_cb (GstElement *bin,
              gpointer    user_data)
{
  Playback *playback = user_data;

  /* Holding the state lock keeps the bin from stopping half-way through
   * the change of decoder. */
  GST_STATE_LOCK (bin);
  if (GST_STATE_TARGET (bin) >= GST_STATE_PAUSED)
    {
      load_file (playback);
      gst_element_sync_state_with_parent (playback->decoder);
    }
  GST_STATE_UNLOCK (bin);
}

/* At the end of a file: on to the next one, or to the first one again
 * when looping, or the end of the play list. */
static void
end_of_file (Playback *playback)
{
  gboolean loop = g_atomic_int_get (&playback->terminal->loop);
  guint n_files = g_strv_length (playback->uris);
  gboolean next = TRUE;
  gboolean end = FALSE;

  g_mutex_lock (&playback->lock);
  if (playback->finished)
    {
      next = FALSE;
    }
  else if (playback->index + 1 < n_files)
    {
      playback->index++;
    }
  else if (loop && playback->samples_in_pass > 0)
    {
      playback->index = 0;
      playback->samples_in_pass = 0;
    }
  else
    {
      /* The end, also with a list of empty files that would loop forever
       * without playing anything. */
      playback->finished = TRUE;
      next = FALSE;
      end = TRUE;
    }
  g_mutex_unlock (&playback->lock);

  if (end)
    post_play_list_end (playback);
  if (next)
    gst_element_call_async (playback->bin, next_file_cb,
                            playback_ref (playback),
                            (GDestroyNotify) playback_unref);
}

static GstClockTime
timeline_position (Playback *playback)
{
  if (playback->rate <= 0)
    return playback->base;

  return playback->base +
    gst_util_uint64_scale (playback->samples, GST_SECOND, playback->rate);
}

static GstPadProbeReturn
timeline_event (Playback        *playback,
                GstPadProbeInfo *info)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  switch (GST_EVENT_TYPE (event))
    {
    case GST_EVENT_STREAM_START:
      if (playback->stream_started)
        return GST_PAD_PROBE_DROP;
      playback->stream_started = TRUE;
      return GST_PAD_PROBE_OK;

    case GST_EVENT_CAPS:
      {
        GstCaps *caps;
        GstAudioInfo audio_info;

        gst_event_parse_caps (event, &caps);
        if (gst_audio_info_from_caps (&audio_info, caps) &&
            (GST_AUDIO_INFO_RATE (&audio_info) != playback->rate ||
             GST_AUDIO_INFO_BPF (&audio_info) != playback->bpf))
          {
            playback->base = timeline_position (playback);
            playback->samples = 0;
            playback->rate = GST_AUDIO_INFO_RATE (&audio_info);
            playback->bpf = GST_AUDIO_INFO_BPF (&audio_info);
          }
        return GST_PAD_PROBE_OK;
      }

    case GST_EVENT_SEGMENT:
      {
        GstSegment segment;

        if (playback->segment_sent)
          return GST_PAD_PROBE_DROP;
        playback->segment_sent = TRUE;
        gst_segment_init (&segment, GST_FORMAT_TIME);
        GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_segment (&segment);
        gst_event_unref (event);
        return GST_PAD_PROBE_OK;
      }

    case GST_EVENT_EOS:
      end_of_file (playback);
      return GST_PAD_PROBE_DROP;

    case GST_EVENT_FLUSH_START:
    case GST_EVENT_FLUSH_STOP:
    case GST_EVENT_GAP:
    case GST_EVENT_SEGMENT_DONE:
      /* They belong to a file's own timeline. */
      return GST_PAD_PROBE_DROP;

    default:
      return GST_PAD_PROBE_OK;
    }
}

static GstPadProbeReturn
timeline_probe_cb (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  Playback *playback = user_data;
  GstBuffer *buffer;
  guint64 n_samples;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    return timeline_event (playback, info);

  if (playback->bpf <= 0 || playback->rate <= 0)
    return GST_PAD_PROBE_DROP;

  if (!playback->timeline_started)
    {
      GstClockTime now = gst_element_get_current_running_time (playback->bin);

      /* A terminal that starts in a running pipeline starts now, not at
       * the beginning of the pipeline's time. */
      playback->timeline_started = TRUE;
      playback->base = GST_CLOCK_TIME_IS_VALID (now) ? now : 0;
      playback->samples = 0;
    }

  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  n_samples = gst_buffer_get_size (buffer) / playback->bpf;
  GST_BUFFER_PTS (buffer) = timeline_position (playback);
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  playback->samples += n_samples;
  GST_BUFFER_DURATION (buffer) = timeline_position (playback) -
                                 GST_BUFFER_PTS (buffer);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;

  g_mutex_lock (&playback->lock);
  playback->samples_in_pass += n_samples;
  g_mutex_unlock (&playback->lock);

  return GST_PAD_PROBE_OK;
}

static char *
uri_for (const char  *entry,
         GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  char *uri;

  if (gst_uri_is_valid (entry))
    return g_strdup (entry);

  path = g_canonicalize_filename (entry, NULL);
  uri = g_filename_to_uri (path, NULL, &local_error);
  if (uri == NULL)
    g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                 "Cannot play “%s”: %s", entry, local_error->message);

  return uri;
}

static GstElement *
create_element (TapiTerminal  *terminal,
                GError       **error)
{
  TapiFilePlaybackTerminal *self = TAPI_FILE_PLAYBACK_TERMINAL (terminal);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GstElementFactory) decoder_factory = NULL;
  g_autoptr(GstElement) convert = NULL;
  g_autoptr(GstElement) resample = NULL;
  g_autoptr(GstElement) identity = NULL;
  g_autoptr(GstPad) identity_sink = NULL;
  g_autoptr(GstPad) identity_src = NULL;
  Playback *playback;
  GstElement *bin;

  if (self->play_list == NULL || self->play_list[0] == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                           "The playback terminal has an empty play list");
      return NULL;
    }

  for (guint i = 0; self->play_list[i] != NULL; i++)
    {
      char *uri = uri_for (self->play_list[i], error);

      if (uri == NULL)
        return NULL;
      g_ptr_array_add (uris, uri);
    }
  g_ptr_array_add (uris, NULL);

  decoder_factory = gst_element_factory_find ("uridecodebin");
  if (decoder_factory == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                           "The GStreamer element uridecodebin is missing");
      return NULL;
    }

  convert = gst_element_factory_make ("audioconvert", "convert");
  resample = gst_element_factory_make ("audioresample", NULL);
  identity = gst_element_factory_make ("identity", "clock");
  if (convert == NULL || resample == NULL || identity == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                           "One of the GStreamer elements audioconvert, "
                           "audioresample and identity is missing");
      return NULL;
    }
  g_object_set (identity, "sync", TRUE, NULL);

  bin = g_object_new (tapi_playback_bin_get_type (), NULL);
  gst_bin_add_many (GST_BIN (bin), g_object_ref (convert), g_object_ref (resample),
                    g_object_ref (identity), NULL);
  gst_element_link_many (convert, resample, identity, NULL);

  /* The decoders come and go while the bin plays: their state changes
   * stay inside it. */
  g_object_set (bin, "async-handling", TRUE, NULL);

  playback = g_new0 (Playback, 1);
  g_atomic_ref_count_init (&playback->ref_count);
  g_mutex_init (&playback->lock);
  playback->terminal = g_object_ref (self);
  playback->bin = bin;
  playback->convert = convert;  /* the bin keeps it */
  playback->uris = (char **) g_ptr_array_steal (uris, NULL);
  g_object_set_data_full (G_OBJECT (bin), "tapi-playback", playback,
                          (GDestroyNotify) playback_unref);

  identity_sink = gst_element_get_static_pad (identity, "sink");
  gst_pad_add_probe (identity_sink,
                     GST_PAD_PROBE_TYPE_BUFFER |
                       GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     timeline_probe_cb, playback_ref (playback),
                     (GDestroyNotify) playback_unref);
  identity_src = gst_element_get_static_pad (identity, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", identity_src));

  load_file (playback);

  return bin;
}

/* The end of the play list ends the terminal's media; so does an error:
 * a missing file, a file that is not audio. */
static gboolean
handle_message (TapiTerminal *terminal,
                GstMessage   *message)
{
  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      return TRUE;
    case GST_MESSAGE_ELEMENT:
      return gst_message_has_name (message, PLAY_LIST_END);
    default:
      return FALSE;
    }
}

static void
tapi_file_playback_terminal_finalize (GObject *object)
{
  TapiFilePlaybackTerminal *self = TAPI_FILE_PLAYBACK_TERMINAL (object);

  g_strfreev (self->play_list);

  G_OBJECT_CLASS (tapi_file_playback_terminal_parent_class)->finalize (object);
}

static void
tapi_file_playback_terminal_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  TapiFilePlaybackTerminal *self = TAPI_FILE_PLAYBACK_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_PLAY_LIST:
      g_value_set_boxed (value, self->play_list);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, tapi_file_playback_terminal_get_loop (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_file_playback_terminal_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  TapiFilePlaybackTerminal *self = TAPI_FILE_PLAYBACK_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_PLAY_LIST:
      tapi_file_playback_terminal_set_play_list (self,
                                                 g_value_get_boxed (value));
      break;
    case PROP_LOOP:
      tapi_file_playback_terminal_set_loop (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
describe (TapiTerminal *terminal)
{
  const char * const *play_list =
    tapi_file_playback_terminal_get_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal));
  guint n_files = play_list != NULL ? g_strv_length ((char **) play_list) : 0;
  g_autofree char *basename = NULL;

  if (n_files == 0)
    return g_strdup ("File playback");
  if (n_files > 1)
    return g_strdup_printf ("Playing %u files", n_files);
  basename = g_path_get_basename (play_list[0]);
  return g_strdup_printf ("Playing %s", basename);
}

static void
tapi_file_playback_terminal_class_init (TapiFilePlaybackTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_file_playback_terminal_finalize;
  object_class->get_property = tapi_file_playback_terminal_get_property;
  object_class->set_property = tapi_file_playback_terminal_set_property;

  tapi_terminal_class_set_element_func (klass, create_element);
  tapi_terminal_class_set_message_func (klass, handle_message);
  tapi_terminal_class_set_describe_func (klass, describe);
  tapi_terminal_class_set_dynamic (klass, TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_CAPTURE),
                                   "play-list");

  /**
   * TapiFilePlaybackTerminal:play-list:
   *
   * The files to play, in order: file names in the GLib file name encoding
   * (relative ones are taken from the current directory) or URIs. A change
   * takes effect when the stream next starts.
   */
  props[PROP_PLAY_LIST] =
    g_param_spec_boxed ("play-list", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);

  /**
   * TapiFilePlaybackTerminal:loop:
   *
   * Whether the play list starts over after its last file. It may change
   * while the files play.
   */
  props[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tapi_file_playback_terminal_init (TapiFilePlaybackTerminal *self)
{
}

/**
 * tapi_file_playback_terminal_get_play_list:
 * @self: a file playback terminal
 *
 * Gets [property@Tapi.FilePlaybackTerminal:play-list].
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the files
 *   to play
 */
const char * const *
tapi_file_playback_terminal_get_play_list (TapiFilePlaybackTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_FILE_PLAYBACK_TERMINAL (self), NULL);

  return (const char * const *) self->play_list;
}

/**
 * tapi_file_playback_terminal_set_play_list:
 * @self: a file playback terminal
 * @play_list: (nullable) (array zero-terminated=1): the files to play, as
 *   file names or URIs
 *
 * Sets [property@Tapi.FilePlaybackTerminal:play-list].
 */
void
tapi_file_playback_terminal_set_play_list (TapiFilePlaybackTerminal *self,
                                           const char * const       *play_list)
{
  g_return_if_fail (TAPI_IS_FILE_PLAYBACK_TERMINAL (self));

  if (self->play_list == NULL && play_list == NULL)
    return;
  if (self->play_list != NULL && play_list != NULL &&
      g_strv_equal ((const char * const *) self->play_list, play_list))
    return;

  g_strfreev (self->play_list);
  self->play_list = g_strdupv ((char **) play_list);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAY_LIST]);
}

/**
 * tapi_file_playback_terminal_get_loop:
 * @self: a file playback terminal
 *
 * Gets [property@Tapi.FilePlaybackTerminal:loop].
 *
 * Returns: whether the play list starts over at its end
 */
gboolean
tapi_file_playback_terminal_get_loop (TapiFilePlaybackTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_FILE_PLAYBACK_TERMINAL (self), FALSE);

  return g_atomic_int_get (&self->loop);
}

/**
 * tapi_file_playback_terminal_set_loop:
 * @self: a file playback terminal
 * @loop: whether to start over at the end
 *
 * Sets [property@Tapi.FilePlaybackTerminal:loop].
 */
void
tapi_file_playback_terminal_set_loop (TapiFilePlaybackTerminal *self,
                                      gboolean                  loop)
{
  g_return_if_fail (TAPI_IS_FILE_PLAYBACK_TERMINAL (self));

  loop = !!loop;
  if (g_atomic_int_get (&self->loop) == loop)
    return;

  g_atomic_int_set (&self->loop, loop);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOOP]);
}
