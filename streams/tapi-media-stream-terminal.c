/* tapi-media-stream-terminal.c: TapiMediaStreamTerminal, raw audio to and from the application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include <gst/app/app.h>

#include "tapi-error.h"
#include "tapi-media-stream-terminal.h"
#include "tapi-terminal-private.h"

/**
 * TapiMediaStreamTerminal:
 *
 * A terminal through which the application itself gives or takes the
 * audio of a call [ITMediaStreamTerminal].
 *
 * Make one with [method@Tapi.Address.create_terminal] and the class
 * %TAPI_TERMINAL_CLASS_MEDIA_STREAM. The audio is raw: signed 16-bit
 * little-endian samples, one channel, at
 * [property@Tapi.MediaStreamTerminal:sample-rate].
 *
 * A capture terminal sends what the application gives to
 * [method@Tapi.MediaStreamTerminal.push_samples] into the call, in real
 * time: samples pushed ahead of time wait their turn. A render terminal
 * emits [signal@Tapi.MediaStreamTerminal::samples-received] with the audio
 * the call receives.
 */

struct _TapiMediaStreamTerminal
{
  TapiTerminal  parent_instance;

  guint         sample_rate;

  /* Where samples-received is emitted: the thread-default main context of
   * the thread that made the terminal. */
  GMainContext *context;

  /* The element made last */
  GWeakRef      element;

  GMutex        lock;
  /* Capture: the timeline of the pushed samples */
  guint         element_rate;
  GstClockTime  next_pts;
  /* Render: received samples not emitted yet */
  GQueue        pending;
  gsize         pending_size;
  GSource      *dispatch;
};

enum {
  PROP_0,
  PROP_SAMPLE_RATE,
  N_PROPS
};

enum {
  SAMPLES_RECEIVED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TapiMediaStreamTerminal, tapi_media_stream_terminal, TAPI_TYPE_TERMINAL)

#define DEFAULT_SAMPLE_RATE 8000
#define MIN_SAMPLE_RATE 8000
#define MAX_SAMPLE_RATE 96000
#define BYTES_PER_SAMPLE 2

/* Pushed samples that come later than this after the previous ones start
 * a new timeline, rather than being played late. */
#define RESYNC_THRESHOLD (100 * GST_MSECOND)

/* Received samples that the main context has not taken after this many
 * seconds are dropped, oldest first. */
#define MAX_PENDING_SECONDS 10

static GstCaps *
make_caps (guint rate)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "channels", G_TYPE_INT, 1,
                              "rate", G_TYPE_INT, (int) rate,
                              NULL);
}

static gboolean
dispatch_samples_cb (gpointer user_data)
{
  TapiMediaStreamTerminal *self = user_data;
  GQueue pending = G_QUEUE_INIT;
  GBytes *samples;

  g_mutex_lock (&self->lock);
  pending = self->pending;
  g_queue_init (&self->pending);
  self->pending_size = 0;
  g_clear_pointer (&self->dispatch, g_source_unref);
  g_mutex_unlock (&self->lock);

  while ((samples = g_queue_pop_head (&pending)) != NULL)
    {
      g_signal_emit (self, signals[SAMPLES_RECEIVED], 0, samples);
      g_bytes_unref (samples);
    }

  return G_SOURCE_REMOVE;
}

static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  TapiMediaStreamTerminal *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *samples;
  gsize max_pending;

  if (sample == NULL)
    return GST_FLOW_EOS;

  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  samples = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  g_mutex_lock (&self->lock);
  max_pending = (gsize) self->sample_rate * BYTES_PER_SAMPLE *
                MAX_PENDING_SECONDS;
  g_queue_push_tail (&self->pending, samples);
  self->pending_size += g_bytes_get_size (samples);
  while (self->pending_size > max_pending && self->pending.length > 1)
    {
      GBytes *oldest = g_queue_pop_head (&self->pending);

      self->pending_size -= g_bytes_get_size (oldest);
      g_bytes_unref (oldest);
    }

  if (self->dispatch == NULL)
    {
      self->dispatch = g_idle_source_new ();
      g_source_set_priority (self->dispatch, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->dispatch, dispatch_samples_cb,
                             g_object_ref (self), g_object_unref);
      g_source_set_static_name (self->dispatch, "[tapi] media stream samples");
      g_source_attach (self->dispatch, self->context);
    }
  g_mutex_unlock (&self->lock);

  return GST_FLOW_OK;
}

static GstElement *
create_capture_element (TapiMediaStreamTerminal  *self,
                        GError                  **error)
{
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstCaps) caps = make_caps (self->sample_rate);
  GstElement *bin;

  /* identity plays the samples in real time, however fast they come. */
  bin = gst_parse_bin_from_description_full ("appsrc name=source ! "
                                             "identity sync=true",
                                             TRUE, NULL,
                                             GST_PARSE_FLAG_FATAL_ERRORS,
                                             error);
  if (bin == NULL)
    return NULL;

  source = gst_bin_get_by_name (GST_BIN (bin), "source");
  g_object_set (source,
                "caps", caps,
                "format", GST_FORMAT_TIME,
                "is-live", TRUE,
                "do-timestamp", FALSE,
                NULL);

  g_mutex_lock (&self->lock);
  self->element_rate = self->sample_rate;
  self->next_pts = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&self->lock);
  g_weak_ref_set (&self->element, source);

  return bin;
}

static GstElement *
create_render_element (TapiMediaStreamTerminal  *self,
                       GError                  **error)
{
  g_autoptr(GstCaps) caps = make_caps (self->sample_rate);
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  GstElement *sink;

  sink = gst_parse_launch_full ("appsink sync=false", NULL,
                                GST_PARSE_FLAG_FATAL_ERRORS, error);
  if (sink == NULL)
    return NULL;

  g_object_set (sink, "caps", caps, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks,
                              g_object_ref (self), g_object_unref);
  g_weak_ref_set (&self->element, sink);

  return sink;
}

static GstElement *
create_element (TapiTerminal  *terminal,
                GError       **error)
{
  TapiMediaStreamTerminal *self = TAPI_MEDIA_STREAM_TERMINAL (terminal);

  if (tapi_terminal_get_direction (terminal) == TAPI_TERMINAL_DIRECTION_CAPTURE)
    return create_capture_element (self, error);

  return create_render_element (self, error);
}

static void
tapi_media_stream_terminal_finalize (GObject *object)
{
  TapiMediaStreamTerminal *self = TAPI_MEDIA_STREAM_TERMINAL (object);

  /* A pending dispatch holds a reference, so there is none now. */
  g_queue_clear_full (&self->pending, (GDestroyNotify) g_bytes_unref);
  g_weak_ref_clear (&self->element);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tapi_media_stream_terminal_parent_class)->finalize (object);
}

static void
tapi_media_stream_terminal_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  TapiMediaStreamTerminal *self = TAPI_MEDIA_STREAM_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_SAMPLE_RATE:
      g_value_set_uint (value, self->sample_rate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_media_stream_terminal_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  TapiMediaStreamTerminal *self = TAPI_MEDIA_STREAM_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_SAMPLE_RATE:
      tapi_media_stream_terminal_set_sample_rate (self,
                                                  g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
describe (TapiTerminal *terminal)
{
  return g_strdup_printf ("Media stream (%s)",
                          tapi_terminal_direction_nick (tapi_terminal_get_direction (terminal)));
}

static void
tapi_media_stream_terminal_class_init (TapiMediaStreamTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_media_stream_terminal_finalize;
  object_class->get_property = tapi_media_stream_terminal_get_property;
  object_class->set_property = tapi_media_stream_terminal_set_property;

  tapi_terminal_class_set_element_func (klass, create_element);
  tapi_terminal_class_set_describe_func (klass, describe);
  tapi_terminal_class_set_dynamic (klass, TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_CAPTURE) |
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_RENDER),
                                   NULL);

  /**
   * TapiMediaStreamTerminal:sample-rate:
   *
   * The sample rate in hertz of the audio the application pushes or
   * receives, from 8000 to 96000. A change takes effect when the stream
   * next starts.
   */
  props[PROP_SAMPLE_RATE] =
    g_param_spec_uint ("sample-rate", NULL, NULL,
                       MIN_SAMPLE_RATE, MAX_SAMPLE_RATE, DEFAULT_SAMPLE_RATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * TapiMediaStreamTerminal::samples-received:
   * @self: the render terminal
   * @samples: signed 16-bit little-endian mono samples at
   *   [property@Tapi.MediaStreamTerminal:sample-rate]
   *
   * Emitted on a render terminal with the audio the call receives, in the
   * thread-default main context of the thread that made the terminal.
   * Audio that waits there for more than ten seconds is dropped.
   */
  signals[SAMPLES_RECEIVED] =
    g_signal_new ("samples-received", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES);
}

static void
tapi_media_stream_terminal_init (TapiMediaStreamTerminal *self)
{
  self->sample_rate = DEFAULT_SAMPLE_RATE;
  self->context = g_main_context_ref_thread_default ();
  self->next_pts = GST_CLOCK_TIME_NONE;
  g_weak_ref_init (&self->element, NULL);
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
}

/**
 * tapi_media_stream_terminal_get_sample_rate:
 * @self: a media stream terminal
 *
 * Gets [property@Tapi.MediaStreamTerminal:sample-rate].
 *
 * Returns: the sample rate in hertz
 */
guint
tapi_media_stream_terminal_get_sample_rate (TapiMediaStreamTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_MEDIA_STREAM_TERMINAL (self), 0);

  return self->sample_rate;
}

/**
 * tapi_media_stream_terminal_set_sample_rate:
 * @self: a media stream terminal
 * @sample_rate: the sample rate in hertz, from 8000 to 96000
 *
 * Sets [property@Tapi.MediaStreamTerminal:sample-rate].
 */
void
tapi_media_stream_terminal_set_sample_rate (TapiMediaStreamTerminal *self,
                                            guint                    sample_rate)
{
  g_return_if_fail (TAPI_IS_MEDIA_STREAM_TERMINAL (self));
  g_return_if_fail (sample_rate >= MIN_SAMPLE_RATE &&
                    sample_rate <= MAX_SAMPLE_RATE);

  if (self->sample_rate == sample_rate)
    return;

  g_mutex_lock (&self->lock);
  self->sample_rate = sample_rate;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SAMPLE_RATE]);
}

/**
 * tapi_media_stream_terminal_push_samples:
 * @self: a capture media stream terminal
 * @samples: signed 16-bit little-endian mono samples at
 *   [property@Tapi.MediaStreamTerminal:sample-rate]
 * @error: return location for a #GError
 *
 * Sends @samples into the call after those pushed before. They play in
 * real time: push them as they come, or ahead of time, as they wait their
 * turn. After a pause in the pushing, the audio continues at once.
 *
 * Fails with %TAPI_ERROR_INVALID_TERMINAL on a render terminal, with
 * %TAPI_ERROR_INVALID_STREAM when the terminal is not selected on a stream
 * that runs, and with %TAPI_ERROR_INVALID_ARGUMENT when @samples does not
 * hold whole samples.
 *
 * Returns: %TRUE when the samples were queued
 */
gboolean
tapi_media_stream_terminal_push_samples (TapiMediaStreamTerminal  *self,
                                         GBytes                   *samples,
                                         GError                  **error)
{
  g_autoptr(GstElement) source = NULL;
  GstClockTime now, pts, duration;
  GstFlowReturn flow;
  GstBuffer *buffer;
  gsize size;

  g_return_val_if_fail (TAPI_IS_MEDIA_STREAM_TERMINAL (self), FALSE);
  g_return_val_if_fail (samples != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tapi_terminal_get_direction (TAPI_TERMINAL (self)) !=
      TAPI_TERMINAL_DIRECTION_CAPTURE)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                           "Samples can only be pushed into a capture terminal");
      return FALSE;
    }

  size = g_bytes_get_size (samples);
  if (size % BYTES_PER_SAMPLE != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes are not whole 16-bit samples",
                   size);
      return FALSE;
    }

  source = g_weak_ref_get (&self->element);
  if (source == NULL || GST_STATE (source) < GST_STATE_PAUSED)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_STREAM,
                           "The terminal is not selected on a stream that runs");
      return FALSE;
    }

  if (size == 0)
    return TRUE;

  buffer = gst_buffer_new_wrapped_bytes (samples);

  g_mutex_lock (&self->lock);
  now = gst_element_get_current_running_time (source);
  duration = gst_util_uint64_scale (size / BYTES_PER_SAMPLE, GST_SECOND,
                                    self->element_rate);
  if (!GST_CLOCK_TIME_IS_VALID (self->next_pts))
    {
      pts = GST_CLOCK_TIME_IS_VALID (now) ? now : 0;
      GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
    }
  else if (GST_CLOCK_TIME_IS_VALID (now) &&
           now > self->next_pts + RESYNC_THRESHOLD)
    {
      pts = now;
      GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
    }
  else
    {
      pts = self->next_pts;
    }
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = duration;
  self->next_pts = pts + duration;
  g_mutex_unlock (&self->lock);

  flow = gst_app_src_push_buffer (GST_APP_SRC (source), buffer);
  if (flow != GST_FLOW_OK)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_STREAM,
                   "The stream of the terminal does not take samples: %s",
                   gst_flow_get_name (flow));
      return FALSE;
    }

  return TRUE;
}
