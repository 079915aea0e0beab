/* tapi-media-session.c: the media pipelines of one call in its owner
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <stdio.h>
#include <string.h>

#include <gst/app/gstappsink.h>

#include "tapi-codec.h"
#include "tapi-dtmf-generator.h"
#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-media-detector.h"
#include "tapi-media-session.h"
#include "tapi-srtp.h"
#include "tapi-stream-private.h"
#include "tapi-terminal-private.h"

/* A call's media runs in the application that owns it. The broker hands
 * the owner the call's RTP and RTCP sockets; the session builds two
 * pipelines on them:
 *
 *  send:    terminal (or silence) ! convert ! encoder ! payloader ! rtpdtmfmux ! rtpbin ! udpsink
 *                                                      rtpdtmfsrc ↗
 *           (rtpdtmfsrc is added with the first digit; without telephone
 *           events, digits are added as tones to the audio before the
 *           encoder, counted in samples)
 *  receive: udpsrc ! rtpbin ! depayloader ! decoder ! audiomixer ! level ! tee ! terminal
 *                                                                          tee ! appsink (DTMF, fax and modem tones)
 *                  rtpbin ! rtpdtmfdepay (RFC 4733 digits)
 *           (the detection branch is there when digits can come in-band
 *           only, or once digit detection or media monitoring is asked
 *           for)
 *
 * Threads are what a call costs most: the pipelines have no queues, so
 * that after the sources, the jitter buffer and the mixer, each branch
 * runs in the thread that feeds it.
 *
 * Two pipelines, so that sending digits or changing the capture terminal
 * never restarts a recording. Each is rebuilt only when what it is made of
 * changes (codec, terminal); a new far end (after a transfer) just
 * re-targets the udpsink, and the receive side takes every SSRC into its
 * mixer.
 *
 * The session knows its call only through the callbacks the call gives
 * it, and reports what happens to the media with its signals, which the
 * call turns into its own. */

GST_DEBUG_CATEGORY_STATIC (tapi_media_session_debug);
#define GST_CAT_DEFAULT tapi_media_session_debug

#define DEFAULT_JITTER_LATENCY_MS 60
#define DIGIT_ON_MS               100
#define DIGIT_GAP_MS              100
#define DETECTION_RATE            8000
#define MEDIA_TIMEOUT_US          (2 * G_USEC_PER_SEC)
#define MEDIA_CHECK_MS            250
#define FASTSTART_PACKETS         1


typedef struct
{
  const TapiCodec *codec;
  const char  *remote_address;
  guint        remote_rtp_port;
  guint        remote_rtcp_port;
  guint        payload_type;
  guint        clock_rate;
  guint        telephone_event;
  gboolean     sends;       /* the direction lets this side send */
  gboolean     receives;
  const char  *srtp_suite;  /* NULL: plain RTP */
  const char  *srtp_send_key;
  const char  *srtp_receive_key;
} MediaDescription;

typedef struct
{
  GstElement   *pipeline;
  GSource      *watch;
  char         *key;
  TapiStream   *stream;            /* the stream whose terminal runs in it */
  GstElement   *terminal_element;
  GstElement   *dtmf;              /* send: rtpdtmfsrc, once a digit went out */
  GstElement   *mux;               /* send: rtpdtmfmux, with telephone events */
  guint         event_payload_type;
  guint         event_clock_rate;
  TapiDtmfGenerator *tones;        /* send: in-band digits, or NULL */
  GstElement   *rtp_sink;          /* send: the RTP udpsink */
  GstElement   *rtcp_sink;
  GstElement   *tee;               /* receive: the branches come off it */
  gboolean      detection;         /* receive: the detection branch is there */
  gboolean      playing;
} Pipe;

/* Each telephone event is paced by rtpdtmfsrc's own word that it
 * processed the start and the end of the digit, so that no digit is cut
 * short when the send pipeline is no longer needed after the last one.
 * In-band digits are all handed to the tone generator, which says when
 * the last one's pause has gone out; they stay DIGIT_ON until then. */
typedef enum {
  DIGIT_IDLE,
  DIGIT_STARTING,    /* start sent, not processed yet */
  DIGIT_ON,          /* sounding for DIGIT_ON_MS */
  DIGIT_STOPPING,    /* stop sent, not processed yet */
  DIGIT_GAP,         /* silence for DIGIT_GAP_MS */
} DigitState;

#define DIGIT_STEP_TIMEOUT_MS 1000

struct _TapiMediaSession
{
  GObject             parent_instance;

  TapiCall           *call;        /* unowned: the call owns its session */
  guint               call_id;
  TapiMediaSessionCallbacks callbacks;
  gpointer            user_data;
  GMainContext       *context;
  GListStore         *streams;
  TapiStream         *capture;
  TapiStream         *render;

  GVariant           *media;
  GSocket            *rtp_socket;
  GSocket            *rtcp_socket;
  gboolean            fetching;
  GCancellable       *cancellable;
  TapiCallMediaCause  pending_cause;

  Pipe                send;
  Pipe                receive;

  GQueue              digits;       /* chars, as GUINT_TO_POINTER */
  DigitState          digit_state;
  GSource            *digit_timer;

  GMutex              received_lock;
  gint64              last_received;  /* monotonic µs of the last RTP packet */
  GSource            *timeout_check;
  gboolean            timed_out;

  TapiDigitMode       detect_mode;
  gint                monitor_types;  /* atomic: read by the streaming thread */
  TapiMediaDetector  *detector;       /* streaming thread only */
  TapiDtmfDetector   *dtmf_detector;  /* streaming thread only */
  gboolean            closed;
};

enum {
  MEDIA_EVENT,
  DIGIT_RECEIVED,
  DIGIT_DETECTED,
  MEDIA_DETECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (TapiMediaSession, tapi_media_session, G_TYPE_OBJECT,
                               GST_DEBUG_CATEGORY_INIT (tapi_media_session_debug,
                                                        "tapimediasession", 0,
                                                        "the media pipelines of a call"))

static void update (TapiMediaSession *self);

/* Terminals in use, across the process */

G_LOCK_DEFINE_STATIC (claimed);
static GHashTable *claimed;   /* TapiTerminal → TapiStream, both unowned */

gboolean
tapi_media_session_terminal_in_use (TapiTerminal *terminal)
{
  gboolean in_use;

  G_LOCK (claimed);
  in_use = claimed != NULL && g_hash_table_contains (claimed, terminal);
  G_UNLOCK (claimed);
  return in_use;
}

void
tapi_media_session_claim_terminal (TapiTerminal *terminal,
                                   TapiStream   *stream)
{
  G_LOCK (claimed);
  if (claimed == NULL)
    claimed = g_hash_table_new (NULL, NULL);
  if (stream)
    g_hash_table_insert (claimed, terminal, stream);
  else
    g_hash_table_remove (claimed, terminal);
  G_UNLOCK (claimed);
}

/* The negotiated media */

static gboolean
parse_media (GVariant         *media,
             MediaDescription *description)
{
  const char *encoding, *direction;

  memset (description, 0, sizeof *description);
  if (media == NULL ||
      !g_variant_lookup (media, "encoding-name", "&s", &encoding) ||
      !g_variant_lookup (media, "remote-address", "&s",
                         &description->remote_address) ||
      !g_variant_lookup (media, "remote-rtp-port", "u",
                         &description->remote_rtp_port) ||
      !g_variant_lookup (media, "payload-type", "u",
                         &description->payload_type) ||
      !g_variant_lookup (media, "clock-rate", "u", &description->clock_rate))
    return FALSE;
  if (!g_variant_lookup (media, "remote-rtcp-port", "u",
                         &description->remote_rtcp_port))
    description->remote_rtcp_port = description->remote_rtp_port + 1;
  if (!g_variant_lookup (media, "telephone-event-payload", "u",
                         &description->telephone_event))
    description->telephone_event = 0;
  if (!g_variant_lookup (media, "direction", "&s", &direction))
    direction = "sendrecv";
  description->sends = g_str_equal (direction, "sendrecv") ||
                       g_str_equal (direction, "sendonly");
  description->receives = g_str_equal (direction, "sendrecv") ||
                          g_str_equal (direction, "recvonly");
  if (g_variant_lookup (media, "srtp-suite", "&s", &description->srtp_suite) &&
      (!g_variant_lookup (media, "srtp-send-key", "&s",
                          &description->srtp_send_key) ||
       !g_variant_lookup (media, "srtp-receive-key", "&s",
                          &description->srtp_receive_key)))
    return FALSE;

  description->codec = tapi_codec_find (encoding);
  return description->codec != NULL;
}

static guint
jitter_latency (void)
{
  const char *value = g_getenv ("TAPI3_JITTER_LATENCY_MS");
  guint64 latency;

  if (value && g_ascii_string_to_unsigned (value, 10, 0, 10000, &latency, NULL))
    return latency;
  return DEFAULT_JITTER_LATENCY_MS;
}

/* Building pipelines */

static GstElement *
make (GstElement  *bin,
      const char  *factory,
      const char  *name,
      GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "The GStreamer element %s is not installed", factory);
      return NULL;
    }
  gst_bin_add (GST_BIN (bin), element);
  return element;
}

static GstElement *
make_caps_filter (GstElement *bin,
                  guint       rate,
                  const char *format,
                  GError    **error)
{
  GstElement *filter = make (bin, "capsfilter", NULL, error);
  g_autoptr(GstCaps) caps = NULL;

  if (filter == NULL)
    return NULL;
  caps = gst_caps_new_simple ("audio/x-raw", "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1, NULL);
  if (format)
    gst_caps_set_simple (caps, "format", G_TYPE_STRING, format, NULL);
  g_object_set (filter, "caps", caps, NULL);
  return filter;
}

static gboolean
link_request (GstElement  *source,
              const char  *source_pad,
              GstElement  *sink,
              const char  *sink_pad,
              GError     **error)
{
  g_autoptr(GstPad) src = NULL;
  g_autoptr(GstPad) dst = NULL;

  src = gst_element_get_static_pad (source, source_pad);
  if (src == NULL)
    src = gst_element_request_pad_simple (source, source_pad);
  dst = gst_element_get_static_pad (sink, sink_pad);
  if (dst == NULL)
    dst = gst_element_request_pad_simple (sink, sink_pad);

  if (src == NULL || dst == NULL ||
      GST_PAD_LINK_FAILED (gst_pad_link (src, dst)))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                   "Could not link %s:%s to %s:%s",
                   GST_ELEMENT_NAME (source), source_pad, GST_ELEMENT_NAME (sink), sink_pad);
      return FALSE;
    }
  return TRUE;
}

static gboolean
link_chain (GError **error,
            ...)
{
  va_list args;
  GstElement *previous, *next;

  va_start (args, error);
  previous = va_arg (args, GstElement *);
  while ((next = va_arg (args, GstElement *)))
    {
      if (!gst_element_link (previous, next))
        {
          g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                       "Could not link %s to %s",
                       GST_ELEMENT_NAME (previous), GST_ELEMENT_NAME (next));
          va_end (args);
          return FALSE;
        }
      previous = next;
    }
  va_end (args);
  return TRUE;
}

static GstElement *
make_udpsink (GstElement *bin,
              GSocket    *socket,
              const char *host,
              guint       port,
              GError    **error)
{
  GstElement *sink = make (bin, "udpsink", NULL, error);

  if (sink)
    g_object_set (sink, "socket", socket, "close-socket", FALSE,
                  "host", host, "port", (int) port,
                  "sync", FALSE, "async", FALSE, NULL);
  return sink;
}

static GstPadProbeReturn
add_tones_cb (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  TapiDtmfGenerator *tones = user_data;
  GstBuffer *buffer;
  GstMapInfo map;
  gboolean finished;

  if (!tapi_dtmf_generator_is_busy (tones))
    return GST_PAD_PROBE_OK;

  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READWRITE))
    return GST_PAD_PROBE_OK;
  finished = tapi_dtmf_generator_process (tones, (gint16 *) map.data,
                                          map.size / sizeof (gint16));
  gst_buffer_unmap (buffer, &map);
  /* Silence may come marked as a gap; with a tone in it, it is none. */
  GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_GAP);

  if (finished)
    {
      GstObject *element = GST_OBJECT_PARENT (pad);

      gst_element_post_message (GST_ELEMENT (element),
                                gst_message_new_element (element,
                                                         gst_structure_new_empty ("tapi-digits-sent")));
    }
  return GST_PAD_PROBE_OK;
}

/* The RFC 4733 sender: rtpdtmfsrc into the mux's priority pad of the
 * running send pipeline. It is a live source with a thread of its own,
 * so it is added only when a digit is to go out. */
static gboolean
add_dtmf_source (Pipe    *pipe,
                 GError **error)
{
  GstElement *dtmf = make (pipe->pipeline, "rtpdtmfsrc", NULL, error);

  if (dtmf == NULL)
    return FALSE;
  g_object_set (dtmf, "pt", pipe->event_payload_type,
                "clock-rate", pipe->event_clock_rate, NULL);
  if (!link_request (dtmf, "src", pipe->mux, "priority_sink_%u", error) ||
      !gst_element_sync_state_with_parent (dtmf))
    {
      gst_element_set_state (dtmf, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (pipe->pipeline), dtmf);
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                           "Could not start the telephone event sender");
      return FALSE;
    }
  pipe->dtmf = dtmf;
  return TRUE;
}

static GstElement *
build_send (TapiMediaSession        *self,
            const MediaDescription  *media,
            TapiTerminal            *terminal,
            Pipe                    *pipe,
            GError                 **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *source, *convert, *resample, *caps, *level, *encoder, *payloader;
  GstElement *mux, *rtpbin, *rtp_sink, *rtcp_sink;
  guint rate = media->codec->audio_rate;

  if (terminal)
    {
      source = tapi_terminal_create_element (terminal, error);
      if (source == NULL)
        return NULL;
      gst_bin_add (GST_BIN (pipeline), source);
    }
  else if ((source = make (pipeline, "audiotestsrc", NULL, error)))
    g_object_set (source, "is-live", TRUE, "wave", 4 /* silence */, NULL);

  if (!source || !(convert = make (pipeline, "audioconvert", NULL, error)) ||
      !(resample = make (pipeline, "audioresample", NULL, error)) ||
      !(caps = make_caps_filter (pipeline, rate,
                                 media->telephone_event ? NULL : "S16LE",
                                 error)) ||
      !(level = make (pipeline, "level", "capture-level", error)) ||
      !(encoder = make (pipeline, media->codec->encoder, NULL, error)) ||
      !(payloader = make (pipeline, media->codec->payloader, NULL, error)) ||
      !(mux = make (pipeline, "rtpdtmfmux", NULL, error)) ||
      !(rtpbin = make (pipeline, "rtpbin", NULL, error)) ||
      !(rtp_sink = make_udpsink (pipeline, self->rtp_socket,
                                 media->remote_address, media->remote_rtp_port,
                                 error)) ||
      !(rtcp_sink = make_udpsink (pipeline, self->rtcp_socket,
                                  media->remote_address,
                                  media->remote_rtcp_port, error)))
    return NULL;

  g_object_set (level, "interval", 100 * GST_MSECOND, "post-messages", TRUE,
                NULL);
  g_object_set (payloader, "pt", media->payload_type, NULL);
  if (media->srtp_suite &&
      !tapi_srtp_add_encoder (rtpbin, media->srtp_suite, media->srtp_send_key, error))
    return NULL;

  if (media->telephone_event)
    {
      /* rtpdtmfsrc joins the mux with the first digit. */
      if (!link_chain (error, source, convert, resample, caps, level, encoder,
                       payloader, NULL))
        return NULL;
      pipe->mux = mux;
      pipe->event_payload_type = media->telephone_event;
      pipe->event_clock_rate = media->clock_rate;
    }
  else
    {
      /* No telephone events: digits are tones added to the audio itself,
       * in the streaming thread, so that a late buffer delays a tone but
       * never cuts it. */
      g_autoptr(GstPad) pad = gst_element_get_static_pad (caps, "src");

      if (!link_chain (error, source, convert, resample, caps, level, encoder,
                       payloader, NULL))
        return NULL;
      pipe->tones = tapi_dtmf_generator_new (rate, DIGIT_ON_MS, DIGIT_GAP_MS);
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, add_tones_cb,
                         pipe->tones, NULL);
    }

  if (!link_request (payloader, "src", mux, "sink_%u", error) ||
      !link_request (mux, "src", rtpbin, "send_rtp_sink_0", error) ||
      !link_request (rtpbin, "send_rtp_src_0", rtp_sink, "sink", error) ||
      !link_request (rtpbin, "send_rtcp_src_0", rtcp_sink, "sink", error))
    return NULL;

  pipe->terminal_element = terminal ? source : NULL;
  pipe->rtp_sink = rtp_sink;
  pipe->rtcp_sink = rtcp_sink;
  return g_steal_pointer (&pipeline);
}

typedef struct
{
  const TapiCodec *codec;
  guint        payload_type;
  guint        clock_rate;
  guint        telephone_event;
  GstElement  *mixer;          /* unowned: the pipeline holds it */
} ReceiveInfo;

static GstCaps *
request_pt_map_cb (GstElement *rtpbin,
                   guint       session,
                   guint       pt,
                   gpointer    user_data)
{
  ReceiveInfo *info = user_data;

  if (pt == info->payload_type)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING,
                                "audio", "encoding-name", G_TYPE_STRING,
                                info->codec->name, "clock-rate", G_TYPE_INT,
                                (int) info->clock_rate, "payload", G_TYPE_INT,
                                (int) pt, NULL);
  if (info->telephone_event && pt == info->telephone_event)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING,
                                "audio", "encoding-name", G_TYPE_STRING,
                                "TELEPHONE-EVENT", "clock-rate", G_TYPE_INT,
                                (int) info->clock_rate, "payload", G_TYPE_INT,
                                (int) pt, NULL);
  return NULL;
}

/* A new SSRC or payload type arrived (streaming thread). */
static void
rtpbin_pad_added_cb (GstElement *rtpbin,
                     GstPad     *pad,
                     gpointer    user_data)
{
  ReceiveInfo *info = user_data;
  GstElement *bin = GST_ELEMENT (gst_element_get_parent (rtpbin));
  g_autofree char *name = gst_pad_get_name (pad);
  guint session, ssrc, pt;
  GstElement *first = NULL;

  if (bin == NULL)
    return;
  if (sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    {
      gst_object_unref (bin);
      return;
    }

  if (pt == info->payload_type)
    {
      GstElement *depay = gst_element_factory_make (info->codec->depayloader,
                                                    NULL);
      GstElement *decoder = gst_element_factory_make (info->codec->decoder,
                                                      NULL);
      GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
      GstElement *resample = gst_element_factory_make ("audioresample", NULL);

      if (depay && decoder && convert && resample)
        {
          gst_bin_add_many (GST_BIN (bin), depay, decoder, convert, resample,
                            NULL);
          gst_element_link_many (depay, decoder, convert, resample, NULL);
          gst_element_link (resample, info->mixer);
          gst_element_sync_state_with_parent (resample);
          gst_element_sync_state_with_parent (convert);
          gst_element_sync_state_with_parent (decoder);
          gst_element_sync_state_with_parent (depay);
          first = depay;
        }
      else
        {
          g_clear_pointer (&depay, gst_object_unref);
          g_clear_pointer (&decoder, gst_object_unref);
          g_clear_pointer (&convert, gst_object_unref);
          g_clear_pointer (&resample, gst_object_unref);
        }
    }
  else if (info->telephone_event && pt == info->telephone_event)
    {
      GstElement *depay = gst_element_factory_make ("rtpdtmfdepay", NULL);
      GstElement *sink = gst_element_factory_make ("fakesink", NULL);

      if (depay && sink)
        {
          g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
          gst_bin_add_many (GST_BIN (bin), depay, sink, NULL);
          gst_element_link (depay, sink);
          gst_element_sync_state_with_parent (sink);
          gst_element_sync_state_with_parent (depay);
          first = depay;
        }
      else
        {
          g_clear_pointer (&depay, gst_object_unref);
          g_clear_pointer (&sink, gst_object_unref);
        }
    }

  if (first)
    {
      g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (first, "sink");

      gst_pad_link (pad, sink_pad);
    }
  gst_object_unref (bin);
}

/* Digits as RFC 4733 event numbers */
static const char event_digits[] = "0123456789*#ABCD";

static char
digit_for_number (int number)
{
  return number >= 0 && number < 16 ? event_digits[number] : '\0';
}

static int
number_for_digit (char digit)
{
  const char *found = strchr (event_digits, g_ascii_toupper (digit));

  return digit && found ? (int) (found - event_digits) : -1;
}

static GstFlowReturn
detection_sample_cb (GstAppSink *sink,
                     gpointer    user_data)
{
  TapiMediaSession *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr(GString) digits = g_string_new (NULL);
  GstBuffer *buffer;
  GstMapInfo map;
  TapiMediaType found = 0;

  if (sample == NULL)
    return GST_FLOW_EOS;

  buffer = gst_sample_get_buffer (sample);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  tapi_dtmf_detector_feed (self->dtmf_detector, (const gint16 *) map.data,
                           map.size / sizeof (gint16), digits);
  if (g_atomic_int_get (&self->monitor_types) != 0)
    found = tapi_media_detector_feed (self->detector, (const gint16 *) map.data,
                                      map.size / sizeof (gint16));
  gst_buffer_unmap (buffer, &map);

  /* Digits go the way of those rtpdtmfdepay reports. */
  for (gsize i = 0; i < digits->len; i++)
    {
      GstStructure *structure =
        gst_structure_new ("dtmf-event", "number", G_TYPE_INT,
                           number_for_digit (digits->str[i]), NULL);

      gst_element_post_message (GST_ELEMENT (sink),
                                gst_message_new_element (GST_OBJECT (sink),
                                                         structure));
    }
  if (found)
    {
      GstStructure *structure = gst_structure_new ("tapi-media-detected",
                                                   "media-types", G_TYPE_UINT, (guint) found,
                                                   NULL);

      gst_element_post_message (GST_ELEMENT (sink),
                                gst_message_new_element (GST_OBJECT (sink),
                                                         structure));
    }
  return GST_FLOW_OK;
}

static GstPadProbeReturn
rtp_received_cb (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  TapiMediaSession *self = user_data;

  g_mutex_lock (&self->received_lock);
  self->last_received = g_get_monotonic_time ();
  g_mutex_unlock (&self->received_lock);
  return GST_PAD_PROBE_OK;
}

/* Media that stops arriving is reported, and so is its return; the
 * stream keeps running meanwhile. */
static gboolean
timeout_check_cb (gpointer user_data)
{
  TapiMediaSession *self = user_data;
  TapiStream *stream = self->receive.stream;
  gint64 last;

  if (stream == NULL ||
      tapi_stream_get_state (stream) != TAPI_STREAM_STATE_ACTIVE)
    return G_SOURCE_CONTINUE;

  g_mutex_lock (&self->received_lock);
  last = self->last_received;
  g_mutex_unlock (&self->received_lock);

  if (!self->timed_out && g_get_monotonic_time () - last > MEDIA_TIMEOUT_US)
    {
      self->timed_out = TRUE;
      GST_DEBUG ("No media arrived for call %u", self->call_id);
      tapi_media_session_emit_media_event (self, TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                           TAPI_CALL_MEDIA_CAUSE_MEDIA_TIMEOUT, stream,
                                           tapi_stream_get_terminal (stream));
    }
  else if (self->timed_out &&
           g_get_monotonic_time () - last < MEDIA_CHECK_MS * 1000)
    {
      self->timed_out = FALSE;
      GST_DEBUG ("Media arrives again for call %u", self->call_id);
      tapi_media_session_emit_media_event (self, TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                           TAPI_CALL_MEDIA_CAUSE_MEDIA_RECOVERED, stream,
                                           tapi_stream_get_terminal (stream));
    }
  return G_SOURCE_CONTINUE;
}

/* The branch that looks for in-band digits and for fax and modem tones,
 * off the tee. It has no queue: it runs in the mixer's thread, a few
 * filters per 20 ms of audio, and so never drops any. @pipeline may be
 * running already. */
static gboolean
add_detection_branch (TapiMediaSession  *self,
                      GstElement        *pipeline,
                      GstElement        *tee,
                      GError           **error)
{
  GstAppSinkCallbacks callbacks = { .new_sample = detection_sample_cb };
  GstElement *convert, *resample, *caps, *appsink;

  if (!(convert = make (pipeline, "audioconvert", NULL, error)) ||
      !(resample = make (pipeline, "audioresample", NULL, error)) ||
      !(caps = make_caps_filter (pipeline, DETECTION_RATE, "S16LE", error)) ||
      !(appsink = make (pipeline, "appsink", NULL, error)))
    return FALSE;

  g_object_set (appsink, "sync", FALSE, "async", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks, self, NULL);
  if (!link_chain (error, convert, resample, caps, appsink, NULL))
    return FALSE;
  gst_element_sync_state_with_parent (appsink);
  gst_element_sync_state_with_parent (caps);
  gst_element_sync_state_with_parent (resample);
  gst_element_sync_state_with_parent (convert);
  return link_request (tee, "src_%u", convert, "sink", error);
}

/* Whether the received audio needs the detection branch: without
 * telephone events digits come only in-band, and the call's monitors
 * hear of them whether detection is on or not. */
static gboolean
wants_detection (TapiMediaSession       *self,
                 const MediaDescription *media)
{
  return media->telephone_event == 0 || self->detect_mode != 0 ||
         g_atomic_int_get (&self->monitor_types) != 0;
}

/* The render terminal's branch off the tee, in the mixer's thread too. */
static gboolean
add_render_branch (GstElement    *pipeline,
                   GstElement    *tee,
                   TapiTerminal  *terminal,
                   Pipe          *pipe,
                   GError       **error)
{
  GstElement *convert, *resample, *sink;

  sink = tapi_terminal_create_element (terminal, error);
  if (sink == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), sink);
  if (!(convert = make (pipeline, "audioconvert", NULL, error)) ||
      !(resample = make (pipeline, "audioresample", NULL, error)) ||
      !link_chain (error, tee, convert, resample, sink, NULL))
    return FALSE;
  pipe->terminal_element = sink;
  return TRUE;
}

/* A jitter buffer waits its whole latency before the first packet, in
 * case an earlier one comes late: after a handoff or a transfer that is
 * a hole in the audio. The first packet starts it; later holes and
 * reordering still get the whole latency. */
static void
new_jitterbuffer_cb (GstElement *rtpbin,
                     GstElement *jitterbuffer,
                     guint       session,
                     guint       ssrc,
                     gpointer    user_data)
{
  g_object_set (jitterbuffer, "faststart-min-packets", FASTSTART_PACKETS, NULL);
}

/* udpsrc ! rtpbin: RTP and RTCP in, receiver reports out. */
static GstElement *
add_rtp_receiver (TapiMediaSession        *self,
                  GstElement              *pipeline,
                  const MediaDescription  *media,
                  Pipe                    *pipe,
                  GError                 **error)
{
  g_autoptr(GstCaps) rtp_caps = gst_caps_new_simple ("application/x-rtp",
                                                      "media", G_TYPE_STRING,
                                                      "audio", NULL);
  g_autoptr(GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  g_autoptr(GstPad) pad = NULL;
  GstElement *rtp_source, *rtcp_source, *rtpbin, *rtcp_sink;

  if (!(rtp_source = make (pipeline, "udpsrc", NULL, error)) ||
      !(rtcp_source = make (pipeline, "udpsrc", NULL, error)) ||
      !(rtpbin = make (pipeline, "rtpbin", NULL, error)) ||
      !(rtcp_sink = make_udpsink (pipeline, self->rtcp_socket,
                                  media->remote_address,
                                  media->remote_rtcp_port, error)))
    return NULL;

  g_object_set (rtp_source, "socket", self->rtp_socket, "close-socket", FALSE,
                "caps", rtp_caps, NULL);
  pad = gst_element_get_static_pad (rtp_source, "src");
  gst_pad_add_probe (pad,
                     GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     rtp_received_cb, self, NULL);
  g_object_set (rtcp_source, "socket", self->rtcp_socket, "close-socket", FALSE,
                "caps", rtcp_caps, NULL);
  g_object_set (rtpbin, "latency", jitter_latency (), NULL);
  g_signal_connect (rtpbin, "new-jitterbuffer",
                    G_CALLBACK (new_jitterbuffer_cb), NULL);
  if (media->srtp_suite &&
      (!tapi_srtp_add_encoder (rtpbin, media->srtp_suite, media->srtp_send_key,
                               error) ||
       !tapi_srtp_add_decoder (rtpbin, rtp_source, rtcp_source,
                               media->srtp_suite, media->srtp_receive_key,
                               error)))
    return NULL;

  if (!link_request (rtp_source, "src", rtpbin, "recv_rtp_sink_0", error) ||
      !link_request (rtcp_source, "src", rtpbin, "recv_rtcp_sink_0", error) ||
      !link_request (rtpbin, "send_rtcp_src_0", rtcp_sink, "sink", error))
    return NULL;
  pipe->rtcp_sink = rtcp_sink;
  return rtpbin;
}

static GstElement *
build_receive (TapiMediaSession        *self,
               const MediaDescription  *media,
               TapiTerminal            *terminal,
               Pipe                    *pipe,
               GError                 **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *rtpbin, *mixer, *mixed_caps, *level, *tee;
  ReceiveInfo *info;
  guint rate = media->codec->audio_rate;

  if (!(rtpbin = add_rtp_receiver (self, pipeline, media, pipe, error)) ||
      !(mixer = make (pipeline, "audiomixer", NULL, error)) ||
      !(mixed_caps = make_caps_filter (pipeline, rate, NULL, error)) ||
      !(level = make (pipeline, "level", "render-level", error)) ||
      !(tee = make (pipeline, "tee", NULL, error)))
    return NULL;

  g_object_set (level, "interval", 100 * GST_MSECOND, "post-messages", TRUE,
                NULL);

  info = g_new0 (ReceiveInfo, 1);
  info->codec = media->codec;
  info->payload_type = media->payload_type;
  info->clock_rate = media->clock_rate;
  info->telephone_event = media->telephone_event;
  info->mixer = mixer;
  g_object_set_data_full (G_OBJECT (rtpbin), "tapi-receive-info", info, g_free);
  g_signal_connect (rtpbin, "request-pt-map", G_CALLBACK (request_pt_map_cb),
                    info);
  g_signal_connect (rtpbin, "pad-added", G_CALLBACK (rtpbin_pad_added_cb),
                    info);

  if (!link_chain (error, mixer, mixed_caps, level, tee, NULL))
    return NULL;

  /* Every branch is optional, but the tee needs one. */
  if (terminal == NULL || wants_detection (self, media))
    {
      if (!add_detection_branch (self, pipeline, tee, error))
        return NULL;
      pipe->detection = TRUE;
    }
  if (terminal && !add_render_branch (pipeline, tee, terminal, pipe, error))
    return NULL;

  pipe->tee = tee;
  return g_steal_pointer (&pipeline);
}

/* Running pipelines */

static TapiStream *
stream_of_element (TapiMediaSession *self,
                   GstObject        *source,
                   Pipe            **pipe_out)
{
  Pipe *pipes[] = { &self->send, &self->receive };

  for (guint i = 0; i < G_N_ELEMENTS (pipes); i++)
    {
      Pipe *pipe = pipes[i];

      if (pipe->terminal_element &&
          (source == GST_OBJECT (pipe->terminal_element) ||
           gst_object_has_as_ancestor (source,
                                       GST_OBJECT (pipe->terminal_element))))
        {
          *pipe_out = pipe;
          return pipe->stream;
        }
    }
  *pipe_out = NULL;
  return NULL;
}

static void digit_step (TapiMediaSession *self,
                        DigitState        state,
                        guint             wait_ms);
static void digit_processed (TapiMediaSession *self,
                             gboolean          start);
static void digits_sent (TapiMediaSession *self);
static void pipe_stop (TapiMediaSession   *self,
                       Pipe               *pipe,
                       gboolean            running_after,
                       TapiCallMediaCause  cause);

static void
emit_digit_detected (TapiMediaSession *self,
                     char              digit)
{
  g_signal_emit (self, signals[DIGIT_DETECTED], 0, (guint) (guchar) digit,
                 self->detect_mode & TAPI_DIGIT_MODE_DTMF_END ?
                 TAPI_DIGIT_MODE_DTMF_END : TAPI_DIGIT_MODE_DTMF);
}

static void
handle_element_message (TapiMediaSession *self,
                        GstMessage       *message)
{
  const GstStructure *structure = gst_message_get_structure (message);
  const char *name = gst_structure_get_name (structure);

  if (g_str_equal (name, "level"))
    {
      const GValue *rms = gst_structure_get_value (structure, "rms");
      const char *source = GST_OBJECT_NAME (GST_MESSAGE_SRC (message));
      TapiStream *stream = g_strcmp0 (source, "capture-level") == 0
                             ? self->capture
                             : self->render;
      double value;

      /* level posts a GValueArray, deprecated in GLib but still its API. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      if (rms == NULL || !G_VALUE_HOLDS (rms, g_value_array_get_type ()))
        return;
      {
        GValueArray *array = g_value_get_boxed (rms);

        if (array == NULL || array->n_values == 0)
          return;
        value = g_value_get_double (g_value_array_get_nth (array, 0));
      }
G_GNUC_END_IGNORE_DEPRECATIONS
      if (tapi_stream_get_state (stream) == TAPI_STREAM_STATE_ACTIVE)
        tapi_stream_set_level (stream, value);
    }
  else if (g_str_equal (name, "dtmf-event-processed"))
    {
      gboolean start = FALSE;

      if (self->send.dtmf &&
          GST_MESSAGE_SRC (message) == GST_OBJECT (self->send.dtmf))
        {
          gst_structure_get_boolean (structure, "start", &start);
          digit_processed (self, start);
        }
    }
  else if (g_str_equal (name, "tapi-digits-sent"))
    digits_sent (self);
  else if (g_str_equal (name, "dtmf-event"))
    {
      int number;
      char digit;

      if (!gst_structure_get_int (structure, "number", &number))
        return;
      digit = digit_for_number (number);
      GST_DEBUG ("Call %u received digit %c", self->call_id,
                 digit ? digit : '?');
      if (digit)
        g_signal_emit (self, signals[DIGIT_RECEIVED], 0,
                       (guint) (guchar) digit);
      if (digit && self->detect_mode != 0)
        emit_digit_detected (self, digit);
    }
  else if (g_str_equal (name, "tapi-media-detected"))
    {
      guint found = 0;

      gst_structure_get_uint (structure, "media-types", &found);
      found &= (guint) g_atomic_int_get (&self->monitor_types);
      for (guint bit = 1; found; bit <<= 1)
        if (found & bit)
          {
            GST_DEBUG ("Call %u carries media type 0x%x", self->call_id, bit);
            g_signal_emit (self, signals[MEDIA_DETECTED], 0,
                           (TapiMediaType) bit);
            found &= ~bit;
          }
    }
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  TapiMediaSession *self = user_data;
  Pipe *pipe = NULL;
  TapiStream *stream;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      /* A terminal says its media ended (a play list ran out). */
      stream = stream_of_element (self, GST_MESSAGE_SRC (message), &pipe);
      if (stream &&
          tapi_terminal_handle_message (tapi_stream_get_terminal (stream),
                                        message))
        {
          pipe_stop (self, pipe, FALSE, TAPI_CALL_MEDIA_CAUSE_UNKNOWN);
          tapi_stream_set_running (stream, FALSE,
                                   TAPI_CALL_MEDIA_CAUSE_UNKNOWN);
          break;
        }
      handle_element_message (self, message);
      break;

    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (self->send.pipeline))
        {
          GstState new_state;

          gst_message_parse_state_changed (message, NULL, &new_state, NULL);
          self->send.playing = new_state == GST_STATE_PLAYING;
          if (self->send.playing)
            update (self);
        }
      break;

    case GST_MESSAGE_EOS:
    case GST_MESSAGE_ERROR:
      stream = stream_of_element (self, GST_MESSAGE_SRC (message), &pipe);
      if (stream &&
          tapi_terminal_handle_message (tapi_stream_get_terminal (stream),
                                        message))
        {
          gboolean failed = GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR;

          pipe_stop (self, pipe, FALSE, TAPI_CALL_MEDIA_CAUSE_UNKNOWN);
          if (failed)
            tapi_stream_fail (stream, TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL,
                              TAPI_CALL_MEDIA_CAUSE_BAD_DEVICE);
          else
            tapi_stream_set_running (stream, FALSE,
                                     TAPI_CALL_MEDIA_CAUSE_UNKNOWN);
          break;
        }
      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *debug = NULL;
          GstObject *source = GST_MESSAGE_SRC (message);

          gst_message_parse_error (message, &error, &debug);
          GST_WARNING_OBJECT (source, "Media of call %u failed: %s (%s)",
                              self->call_id, error->message,
                              debug ? debug : "");
          pipe = gst_object_has_as_ancestor (source, GST_OBJECT (self->send.pipeline)) ||
                 source == GST_OBJECT (self->send.pipeline) ? &self->send : &self->receive;
          stream = pipe->stream;
          pipe_stop (self, pipe, FALSE, TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL);
          if (stream)
            tapi_stream_fail (stream, TAPI_CALL_MEDIA_EVENT_STREAM_FAIL,
                              TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL);
        }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* Stops @pipe. @running_after says whether its stream keeps running in a
 * pipeline that replaces it, so that no event is emitted in between. */
static void
pipe_stop (TapiMediaSession   *self,
           Pipe               *pipe,
           gboolean            running_after,
           TapiCallMediaCause  cause)
{
  TapiStream *stream = pipe->stream;

  if (pipe->pipeline == NULL)
    return;

  if (pipe->watch)
    {
      g_source_destroy (pipe->watch);
      g_clear_pointer (&pipe->watch, g_source_unref);
    }
  if (pipe == &self->receive && self->timeout_check)
    {
      g_source_destroy (self->timeout_check);
      g_clear_pointer (&self->timeout_check, g_source_unref);
    }

  /* A recording is complete only once its end went through. */
  if (pipe == &self->receive && pipe->terminal_element)
    {
      g_autoptr(GstPad) pad =
        gst_element_get_static_pad (pipe->terminal_element, "sink");
      g_autoptr(GstEvent) started = NULL;

      /* Nothing came (no stream-start): there is nothing to finish. */
      if (pad)
        started = gst_pad_get_sticky_event (pad, GST_EVENT_STREAM_START, 0);
      if (started)
        gst_pad_send_event (pad, gst_event_new_eos ());
    }

  GST_DEBUG_OBJECT (pipe->pipeline, "Stopping the %s pipeline of call %u (%s)",
                    pipe == &self->send ? "send" : "receive", self->call_id,
                    pipe->key);
  gst_element_set_state (pipe->pipeline, GST_STATE_NULL);
  g_clear_object (&pipe->pipeline);
  g_clear_pointer (&pipe->key, g_free);
  pipe->stream = NULL;
  pipe->terminal_element = NULL;
  pipe->dtmf = NULL;
  if (pipe->tones)
    {
      g_autofree char *unsent = tapi_dtmf_generator_flush (pipe->tones);

      /* Those not started yet go out with the next pipeline. */
      for (gsize i = strlen (unsent); i > 0; i--)
        g_queue_push_head (&self->digits,
                           GUINT_TO_POINTER ((guint) unsent[i - 1]));
      g_clear_pointer (&pipe->tones, tapi_dtmf_generator_free);
    }
  if (pipe == &self->send)
    digit_step (self, DIGIT_IDLE, 0);
  pipe->mux = NULL;
  pipe->event_payload_type = 0;
  pipe->rtp_sink = NULL;
  pipe->rtcp_sink = NULL;
  pipe->tee = NULL;
  pipe->detection = FALSE;
  pipe->playing = FALSE;

  if (stream && !running_after)
    tapi_stream_set_running (stream, FALSE, cause);
}

/* Packets that waited in the socket while nothing listened (on hold, in
 * another owner) are stale: they would play as a burst. */
static void
drain_socket (GSocket *socket)
{
  char buffer[2048];

  while (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN)
    if (g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE,
                                        NULL, NULL) < 0)
      break;
}

static void
pipe_start (TapiMediaSession        *self,
            Pipe                    *pipe,
            const MediaDescription  *media,
            TapiStream              *stream,
            char                    *key,
            TapiCallMediaCause       cause)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;
  TapiTerminal *terminal = stream ? tapi_stream_get_terminal (stream) : NULL;
  GstElement *pipeline;

  if (pipe == &self->send)
    pipeline = build_send (self, media, terminal, pipe, &error);
  else
    {
      drain_socket (self->rtp_socket);
      drain_socket (self->rtcp_socket);
      pipeline = build_receive (self, media, terminal, pipe, &error);
    }

  if (pipeline == NULL)
    {
      g_free (key);
      GST_WARNING ("Could not build the %s pipeline of call %u: %s",
                   pipe == &self->send ? "send" : "receive", self->call_id,
                   error->message);
      if (stream)
        tapi_stream_fail (stream,
                          error->code == TAPI_ERROR_INVALID_TERMINAL
                            ? TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL
                            : TAPI_CALL_MEDIA_EVENT_STREAM_FAIL,
                          error->code == TAPI_ERROR_INVALID_TERMINAL
                            ? TAPI_CALL_MEDIA_CAUSE_BAD_DEVICE
                            : TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL);
      pipe->terminal_element = NULL;
      pipe->dtmf = NULL;
      pipe->mux = NULL;
      pipe->event_payload_type = 0;
      pipe->rtcp_sink = NULL;
      pipe->tee = NULL;
      pipe->detection = FALSE;
      g_clear_pointer (&pipe->tones, tapi_dtmf_generator_free);
      return;
    }

  GST_DEBUG_OBJECT (pipeline, "Starting the %s pipeline of call %u (%s)",
                    pipe == &self->send ? "send" : "receive", self->call_id,
                    key);
  pipe->pipeline = pipeline;
  pipe->key = key;
  pipe->stream = terminal ? stream : NULL;

  bus = gst_element_get_bus (pipeline);
  pipe->watch = gst_bus_create_watch (bus);
  g_source_set_callback (pipe->watch, G_SOURCE_FUNC (bus_cb), self, NULL);
  g_source_attach (pipe->watch, self->context);

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    {
      pipe_stop (self, pipe, TRUE, cause);
      if (terminal)
        tapi_stream_fail (stream, TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL,
                          TAPI_CALL_MEDIA_CAUSE_BAD_DEVICE);
      return;
    }

  if (pipe == &self->receive)
    {
      g_mutex_lock (&self->received_lock);
      self->last_received = g_get_monotonic_time ();
      g_mutex_unlock (&self->received_lock);
      self->timed_out = FALSE;
      self->timeout_check = g_timeout_source_new (MEDIA_CHECK_MS);
      g_source_set_callback (self->timeout_check, timeout_check_cb, self, NULL);
      g_source_attach (self->timeout_check, self->context);
    }

  if (pipe->stream)
    tapi_stream_set_running (pipe->stream, TRUE, cause);
}

/* Digits */

static gboolean digit_timer_cb (gpointer user_data);

static void
schedule_digit_timer (TapiMediaSession *self,
                      guint             milliseconds)
{
  if (self->digit_timer)
    return;
  self->digit_timer = g_timeout_source_new (milliseconds);
  g_source_set_callback (self->digit_timer, digit_timer_cb, self, NULL);
  g_source_attach (self->digit_timer, self->context);
}

static void
send_dtmf_event (Pipe    *pipe,
                 int      number,
                 gboolean start)
{
  GstStructure *structure = gst_structure_new ("dtmf-event",
                                               "type", G_TYPE_INT, 1,
                                               "start", G_TYPE_BOOLEAN, start,
                                               NULL);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (pipe->dtmf, "src");

  if (start)
    gst_structure_set (structure, "number", G_TYPE_INT, number,
                       "volume", G_TYPE_INT, 10, NULL);
  /* rtpdtmfsrc takes its events on its source pad. */
  gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
                                                 structure));
}

static void
digit_step (TapiMediaSession *self,
            DigitState        state,
            guint             wait_ms)
{
  self->digit_state = state;
  if (self->digit_timer)
    {
      g_source_destroy (self->digit_timer);
      g_clear_pointer (&self->digit_timer, g_source_unref);
    }
  if (state != DIGIT_IDLE && wait_ms > 0)
    schedule_digit_timer (self, wait_ms);
}

static void
digit_pump (TapiMediaSession *self)
{
  if (g_queue_is_empty (&self->digits) || self->send.pipeline == NULL ||
      !self->send.playing)
    return;

  if (self->send.tones)
    {
      g_autoptr(GString) digits = g_string_new (NULL);

      while (!g_queue_is_empty (&self->digits))
        g_string_append_c (digits, (char) GPOINTER_TO_UINT (g_queue_pop_head (&self->digits)));
      tapi_dtmf_generator_push (self->send.tones, digits->str);
      digit_step (self, DIGIT_ON, 0);
      return;
    }

  if (self->digit_state != DIGIT_IDLE || self->send.mux == NULL)
    return;
  if (self->send.dtmf == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!add_dtmf_source (&self->send, &error))
        {
          GST_WARNING ("Call %u cannot send digits: %s", self->call_id,
                       error->message);
          g_queue_clear (&self->digits);
          return;
        }
    }

  send_dtmf_event (&self->send,
                   number_for_digit (GPOINTER_TO_UINT (g_queue_pop_head (&self->digits))),
                   TRUE);
  digit_step (self, DIGIT_STARTING, DIGIT_STEP_TIMEOUT_MS);
}

/* The DTMF element processed a start (TRUE) or a stop (FALSE). */
static void
digit_processed (TapiMediaSession *self,
                 gboolean          start)
{
  if (start && self->digit_state == DIGIT_STARTING)
    digit_step (self, DIGIT_ON, DIGIT_ON_MS);
  else if (!start && self->digit_state == DIGIT_STOPPING)
    digit_step (self, DIGIT_GAP, DIGIT_GAP_MS);
}

/* The tone generator sent the pause after its last digit. */
static void
digits_sent (TapiMediaSession *self)
{
  /* Digits queued since the message was posted are still to go. */
  if (self->send.tones == NULL || self->digit_state != DIGIT_ON ||
      tapi_dtmf_generator_is_busy (self->send.tones))
    return;

  digit_step (self, DIGIT_IDLE, 0);
  if (g_queue_is_empty (&self->digits))
    update (self);    /* the send pipeline may not be needed any more */
  else
    digit_pump (self);
}

static gboolean
digit_timer_cb (gpointer user_data)
{
  TapiMediaSession *self = user_data;

  g_clear_pointer (&self->digit_timer, g_source_unref);

  if (self->send.pipeline == NULL || self->send.dtmf == NULL)
    {
      digit_step (self, DIGIT_IDLE, 0);
      return G_SOURCE_REMOVE;
    }

  switch (self->digit_state)
    {
    case DIGIT_STARTING:
    case DIGIT_ON:
      /* Sounded long enough (or the element never answered): end it. */
      send_dtmf_event (&self->send, 0, FALSE);
      digit_step (self, DIGIT_STOPPING, DIGIT_STEP_TIMEOUT_MS);
      break;
    case DIGIT_STOPPING:
      digit_step (self, DIGIT_GAP, DIGIT_GAP_MS);
      break;
    case DIGIT_GAP:
    case DIGIT_IDLE:
    default:
      digit_step (self, DIGIT_IDLE, 0);
      if (g_queue_is_empty (&self->digits))
        update (self);    /* the send pipeline may not be needed any more */
      else
        digit_pump (self);
      break;
    }
  return G_SOURCE_REMOVE;
}

gboolean
tapi_media_session_generate_digits (TapiMediaSession  *self,
                                    const char        *digits,
                                    GError           **error)
{
  if (digits == NULL || *digits == '\0')
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                           "No digits were given");
      return FALSE;
    }
  for (const char *p = digits; *p; p++)
    if (number_for_digit (*p) < 0)
      {
        g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                     "'%c' is not a DTMF digit (0-9, *, #, A-D)", *p);
        return FALSE;
      }

  for (const char *p = digits; *p; p++)
    g_queue_push_tail (&self->digits,
                       GUINT_TO_POINTER ((guint) g_ascii_toupper (*p)));
  update (self);
  return TRUE;
}

/* A digit that came by signalling rather than in the media, reported
 * like one detected in it when detection is on. */
void
tapi_media_session_digit_received (TapiMediaSession *self,
                                   char              digit)
{
  if (self->detect_mode == 0 || digit == '\0' ||
      strchr ("0123456789*#ABCD", digit) == NULL)
    return;
  emit_digit_detected (self, digit);
}

void
tapi_media_session_set_detect_digits (TapiMediaSession *self,
                                      TapiDigitMode     mode)
{
  self->detect_mode = mode;
  update (self);
}

void
tapi_media_session_set_monitor_media (TapiMediaSession *self,
                                      TapiMediaType     media_types)
{
  g_atomic_int_set (&self->monitor_types, (gint) media_types);
  update (self);
}

/* Sockets */

static void
drop_sockets (TapiMediaSession *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->fetching = FALSE;
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
}

static void
got_media_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TapiMediaSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) media = NULL;
  GSocket *rtp = NULL, *rtcp = NULL;

  if (!self->callbacks.fetch_media_finish (source, result, &media, &rtp, &rtcp,
                                           &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->fetching = FALSE;
      /* No media yet: MediaChanged comes once there is. */
      if (!g_error_matches (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE))
        {
          g_debug ("No media sockets for call %u: %s",
                   self->call_id, error->message);
          if (tapi_stream_wants_to_run (self->capture))
            tapi_stream_fail (self->capture, TAPI_CALL_MEDIA_EVENT_STREAM_FAIL,
                              TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL);
          if (tapi_stream_wants_to_run (self->render))
            tapi_stream_fail (self->render, TAPI_CALL_MEDIA_EVENT_STREAM_FAIL,
                              TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL);
        }
      return;
    }

  self->fetching = FALSE;
  self->rtp_socket = rtp;
  self->rtcp_socket = rtcp;
  g_clear_pointer (&self->media, g_variant_unref);
  self->media = g_steal_pointer (&media);
  update (self);
}

static void
fetch_media (TapiMediaSession *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->fetching)
    return;
  cancellable = g_cancellable_new ();
  if (!self->callbacks.fetch_media_async (self->user_data, cancellable,
                                          got_media_cb, g_object_ref (self)))
    {
      g_object_unref (self);
      return;
    }
  self->fetching = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_steal_pointer (&cancellable);
}

/* Deciding what runs */

static void
update (TapiMediaSession *self)
{
  TapiCallMediaCause cause = self->pending_cause;
  MediaDescription media;
  gboolean owner, connected, have_media, capture_runs, render_runs, want_send,
    want_receive;
  gboolean digits_pending;
  TapiTerminal *capture_terminal, *render_terminal;
  g_autofree char *send_key = NULL;
  g_autofree char *receive_key = NULL;

  self->pending_cause = TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST;
  if (self->closed)
    return;

  owner = self->callbacks.runs_media (self->user_data);
  connected = self->callbacks.is_connected (self->user_data);
  have_media = parse_media (self->media, &media);

  if (!owner)
    {
      pipe_stop (self, &self->send, FALSE, cause);
      pipe_stop (self, &self->receive, FALSE, cause);
      drop_sockets (self);
      return;
    }

  capture_runs = connected && have_media && media.sends &&
                 tapi_stream_wants_to_run (self->capture);
  render_runs = connected && have_media && media.receives &&
                tapi_stream_wants_to_run (self->render);
  digits_pending = self->digit_state != DIGIT_IDLE ||
                   !g_queue_is_empty (&self->digits);
  want_send = capture_runs ||
              (connected && have_media && media.sends && digits_pending);
  want_receive =
    render_runs ||
    (connected && have_media && media.receives &&
     (self->detect_mode != 0 || g_atomic_int_get (&self->monitor_types) != 0));

  if (!connected && digits_pending)
    {
      g_queue_clear (&self->digits);
      digit_step (self, DIGIT_IDLE, 0);
    }

  /* A handle that came after the media was negotiated (a handoff) asks
   * for it as soon as it has a use for it. */
  if (connected && !have_media &&
      (tapi_stream_wants_to_run (self->capture) ||
       tapi_stream_wants_to_run (self->render) || digits_pending ||
       self->detect_mode != 0 || g_atomic_int_get (&self->monitor_types) != 0))
    {
      self->pending_cause = cause;
      fetch_media (self);
      return;
    }

  if ((want_send || want_receive) && self->rtp_socket == NULL)
    {
      pipe_stop (self, &self->send, FALSE, cause);
      pipe_stop (self, &self->receive, FALSE, cause);
      self->pending_cause = cause;
      fetch_media (self);
      return;
    }

  capture_terminal = capture_runs ? tapi_stream_get_terminal (self->capture)
                                  : NULL;
  render_terminal = render_runs ? tapi_stream_get_terminal (self->render)
                                : NULL;

  /* New SRTP keys (a re-INVITE) make new pipelines; the keys themselves
   * stay out of these strings. */
  if (want_send)
    send_key =
      g_strdup_printf ("%s/%u/%u/%u/%p/%08x", media.codec->name,
                       media.payload_type, media.clock_rate,
                       media.telephone_event, capture_terminal,
                       media.srtp_suite ? g_str_hash (media.srtp_send_key) : 0);
  if (want_receive)
    receive_key = g_strdup_printf ("%s/%u/%u/%u/%p/%08x", media.codec->name,
                                   media.payload_type, media.clock_rate,
                                   media.telephone_event, render_terminal,
                                   media.srtp_suite
                                     ? g_str_hash (media.srtp_send_key) ^
                                         g_str_hash (media.srtp_receive_key)
                                     : 0);

  if (g_strcmp0 (send_key, self->send.key) != 0)
    {
      gboolean keeps_running = capture_terminal != NULL &&
                               self->send.stream == self->capture;

      pipe_stop (self, &self->send, keeps_running, cause);
      if (want_send)
        pipe_start (self, &self->send, &media,
                    capture_terminal ? self->capture : NULL,
                    g_steal_pointer (&send_key), cause);
    }
  else if (self->send.pipeline)
    {
      /* The far end moved (a transfer): re-target, keep going. */
      g_object_set (self->send.rtp_sink, "host", media.remote_address,
                    "port", (int) media.remote_rtp_port, NULL);
      g_object_set (self->send.rtcp_sink, "host", media.remote_address,
                    "port", (int) media.remote_rtcp_port, NULL);
    }

  if (g_strcmp0 (receive_key, self->receive.key) != 0)
    {
      gboolean keeps_running = render_terminal != NULL &&
                               self->receive.stream == self->render;

      pipe_stop (self, &self->receive, keeps_running, cause);
      if (want_receive)
        pipe_start (self, &self->receive, &media,
                    render_terminal ? self->render : NULL,
                    g_steal_pointer (&receive_key), cause);
    }
  else if (self->receive.pipeline && self->receive.rtcp_sink)
    g_object_set (self->receive.rtcp_sink, "host", media.remote_address,
                  "port", (int) media.remote_rtcp_port, NULL);

  /* Detection asked for while the receive pipeline runs joins it. */
  if (self->receive.pipeline && !self->receive.detection && have_media &&
      wants_detection (self, &media))
    {
      g_autoptr(GError) error = NULL;

      self->receive.detection = TRUE; /* tried once per pipeline */
      if (!add_detection_branch (self, self->receive.pipeline,
                                 self->receive.tee, &error))
        GST_WARNING ("Call %u cannot detect digits or tones: %s", self->call_id,
                     error->message);
    }

  digit_pump (self);
}

void
tapi_media_session_update (TapiMediaSession   *self,
                           TapiCallMediaCause  cause)
{
  g_return_if_fail (TAPI_IS_MEDIA_SESSION (self));

  self->pending_cause = cause;
  update (self);
}

void
tapi_media_session_set_media (TapiMediaSession *self,
                              GVariant         *media)
{
  g_return_if_fail (TAPI_IS_MEDIA_SESSION (self));

  if (media)
    g_variant_ref (media);
  g_clear_pointer (&self->media, g_variant_unref);
  self->media = media;
  update (self);
}

gboolean
tapi_media_session_check_owner (TapiMediaSession  *self,
                                GError           **error)
{
  return self->callbacks.check_owner (self->user_data, error);
}

void
tapi_media_session_emit_media_event (TapiMediaSession   *self,
                                     TapiCallMediaEvent  event,
                                     TapiCallMediaCause  cause,
                                     TapiStream         *stream,
                                     TapiTerminal       *terminal)
{
  g_signal_emit (self, signals[MEDIA_EVENT], 0, event, cause, stream, terminal);
}

GListModel *
tapi_media_session_get_streams (TapiMediaSession *self)
{
  return G_LIST_MODEL (self->streams);
}

void
tapi_media_session_close (TapiMediaSession *self)
{
  guint n;

  if (self->closed)
    return;

  pipe_stop (self, &self->send, FALSE, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  pipe_stop (self, &self->receive, FALSE, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  self->closed = TRUE;
  drop_sockets (self);
  g_queue_clear (&self->digits);
  if (self->digit_timer)
    {
      g_source_destroy (self->digit_timer);
      g_clear_pointer (&self->digit_timer, g_source_unref);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->streams));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiStream) stream =
        g_list_model_get_item (G_LIST_MODEL (self->streams), i);
      GListModel *terminals = tapi_stream_get_terminals (stream);

      for (guint j = 0; j < g_list_model_get_n_items (terminals); j++)
        {
          g_autoptr(TapiTerminal) terminal = g_list_model_get_item (terminals,
                                                                     j);

          tapi_media_session_claim_terminal (terminal, NULL);
        }
      tapi_stream_detach (stream);
    }
}

/* GObject */

static void
tapi_media_session_dispose (GObject *object)
{
  TapiMediaSession *self = TAPI_MEDIA_SESSION (object);

  tapi_media_session_close (self);

  G_OBJECT_CLASS (tapi_media_session_parent_class)->dispose (object);
}

static void
tapi_media_session_finalize (GObject *object)
{
  TapiMediaSession *self = TAPI_MEDIA_SESSION (object);

  g_clear_object (&self->streams);
  g_clear_object (&self->capture);
  g_clear_object (&self->render);
  g_clear_pointer (&self->media, g_variant_unref);
  g_clear_pointer (&self->detector, tapi_media_detector_free);
  g_clear_pointer (&self->dtmf_detector, tapi_dtmf_detector_free);
  g_mutex_clear (&self->received_lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (tapi_media_session_parent_class)->finalize (object);
}

static void
tapi_media_session_class_init (TapiMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tapi_media_session_dispose;
  object_class->finalize = tapi_media_session_finalize;

  /* A stream started or stopped moving media, its media stopped arriving
   * or came back, or a stream or terminal failed: the call's
   * TapiCall::media-event. */
  signals[MEDIA_EVENT] =
    g_signal_new ("media-event", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, TAPI_TYPE_CALL_MEDIA_EVENT, TAPI_TYPE_CALL_MEDIA_CAUSE,
                  TAPI_TYPE_STREAM, TAPI_TYPE_TERMINAL);

  /* The received media carried a digit (its character), whether digit
   * detection is on or not. */
  signals[DIGIT_RECEIVED] =
    g_signal_new ("digit-received", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /* A digit, from the media or from signalling, while digit detection is
   * on: the call's TapiCall::digit-detected. */
  signals[DIGIT_DETECTED] =
    g_signal_new ("digit-detected", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, TAPI_TYPE_DIGIT_MODE);

  /* Media monitoring found one of the monitored media types. */
  signals[MEDIA_DETECTED] =
    g_signal_new ("media-detected", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAPI_TYPE_MEDIA_TYPE);
}

static void
tapi_media_session_init (TapiMediaSession *self)
{
  self->streams = g_list_store_new (TAPI_TYPE_STREAM);
  g_mutex_init (&self->received_lock);
  g_queue_init (&self->digits);
  self->pending_cause = TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST;
  self->detector = tapi_media_detector_new (DETECTION_RATE);
  self->dtmf_detector = tapi_dtmf_detector_new (DETECTION_RATE);
}

/* @call is only what the session's streams give as theirs. */
TapiMediaSession *
tapi_media_session_new (TapiCall                        *call,
                        guint                            call_id,
                        GMainContext                    *context,
                        const TapiMediaSessionCallbacks *callbacks,
                        gpointer                         user_data)
{
  TapiMediaSession *self = g_object_new (TAPI_TYPE_MEDIA_SESSION, NULL);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  self->call = call;
  self->call_id = call_id;
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->context = g_main_context_ref (context);
  self->capture = tapi_stream_new (self, call, TAPI_MEDIA_TYPE_AUDIO,
                                   TAPI_TERMINAL_DIRECTION_CAPTURE,
                                   "Audio capture");
  self->render = tapi_stream_new (self, call, TAPI_MEDIA_TYPE_AUDIO,
                                  TAPI_TERMINAL_DIRECTION_RENDER,
                                  "Audio render");
  g_list_store_append (self->streams, self->capture);
  g_list_store_append (self->streams, self->render);
  return self;
}
