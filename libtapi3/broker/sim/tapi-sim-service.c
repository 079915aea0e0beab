/* tapi-sim-service.c: a scripted remote party of the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Sim"

#include <stdio.h>
#include <string.h>

#include <gst/rtp/rtp.h>

#include "tapi-codec.h"
#include "tapi-error.h"
#include "tapi-sim-service.h"

/* A TapiSimService is the far end of a call to a service number. Like a
 * leg it owns an RTP and an RTCP socket on 127.0.0.1; once started it runs
 * a live pipeline on them that sends to the leg's sockets:
 *
 *   audiotestsrc → [audiomixer] → encoder → payloader → rtpdtmfmux
 *     → rtpbin → valve → udpsink
 *   [rtpdtmfsrc → rtpdtmfmux]
 *   udpsrc (RTCP) → rtpbin → udpsink (RTCP)
 *
 * The echo also receives: udpsrc → rtpssrcdemux → (per sender)
 * rtpjitterbuffer → rtpptdemux → depayloader → decoder → audiomixer, and
 * rtpdtmfdepay,
 * whose "dtmf-event" messages it replays with rtpdtmfsrc. Received RTP
 * does not go through rtpbin: rtpbin sends, and the graph would be a
 * loop. The mixer keeps the echo's stream going while nothing is received
 * and when the sender changes (a handoff restarts the far end's pipeline
 * with a new SSRC).
 *
 * The bus watch and the digit timers run on the main context that was the
 * thread's default when the service started: the broker's. Media that
 * only move the far end re-target the running pipeline; other codec
 * parameters rebuild it. */

#define TONE_FREQUENCY     1000.0
#define CNG_FREQUENCY      1100.0
#define TONE_VOLUME        0.3
#define CNG_ON_MS          500
#define CNG_PERIOD_MS      3500
#define DIGIT_DELAY_MS     500
#define DIGIT_ON_MS        100
#define DIGIT_GAP_MS       100
#define DIGIT_VOLUME       10      /* -10 dBm0 */
#define PACKET_MS          20
#define JITTER_LATENCY_MS  40
#define ECHO_LATENCY_MS    100


static const char * const kind_names[] = {
  [TAPI_SIM_SERVICE_TONE] = "tone",
  [TAPI_SIM_SERVICE_ECHO] = "echo",
  [TAPI_SIM_SERVICE_FAX] = "fax",
  [TAPI_SIM_SERVICE_DTMF] = "dtmf",
  [TAPI_SIM_SERVICE_SILENCE] = "silence",
};

typedef struct
{
  const TapiCodec *codec;
  char        *remote_address;
  guint        remote_rtp_port;
  guint        remote_rtcp_port;
  guint        payload_type;
  guint        event_payload_type;   /* 0: no RFC 4733 events */
  gboolean     send;
} Media;

struct _TapiSimService
{
  GObject             parent_instance;

  TapiSimServiceKind  kind;
  GSocket            *rtp_socket;
  GSocket            *rtcp_socket;

  /* While a pipeline runs, its streaming threads read the codec and the
   * payload types of @media; only a rebuild changes them. */
  Media               media;
  GMainContext       *context;
  GstElement         *pipeline;
  GSource            *bus_source;

  /* Elements of the pipeline, not referenced. */
  GstElement         *mixer;
  GstElement         *digit_source;   /* rtpdtmfsrc, dtmfsrc or NULL */
  GstElement         *valve;
  GstElement         *rtp_sink;
  GstElement         *rtcp_sink;

  guint64             cng_position;   /* in samples; streaming thread */

  GQueue              digits;         /* event numbers still to send */
  gboolean            digit_on;
  GSource            *digit_timeout;
};

G_DEFINE_FINAL_TYPE (TapiSimService, tapi_sim_service, G_TYPE_OBJECT)

/* Media descriptions */

static void
media_clear (Media *media)
{
  g_clear_pointer (&media->remote_address, g_free);
  memset (media, 0, sizeof (*media));
}

static gboolean
lookup_uint (GVariant    *variant,
             const char  *key,
             gboolean     required,
             guint        min,
             guint        max,
             guint       *value,
             GError     **error)
{
  g_autoptr(GVariant) item = g_variant_lookup_value (variant, key, NULL);
  guint32 read;

  if (item == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media description lacks %s", key);
      return FALSE;
    }
  if (!g_variant_is_of_type (item, G_VARIANT_TYPE_UINT32))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media description's %s is a %s, not a u",
                   key, g_variant_get_type_string (item));
      return FALSE;
    }
  read = g_variant_get_uint32 (item);
  if (read < min || read > max)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media description's %s %u is not in %u–%u",
                   key, read, min, max);
      return FALSE;
    }
  *value = read;
  return TRUE;
}

static gboolean
lookup_string (GVariant    *variant,
               const char  *key,
               gboolean     required,
               char       **value,
               GError     **error)
{
  g_autoptr(GVariant) item = g_variant_lookup_value (variant, key, NULL);

  if (item == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media description lacks %s", key);
      return FALSE;
    }
  if (!g_variant_is_of_type (item, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media description's %s is a %s, not an s",
                   key, g_variant_get_type_string (item));
      return FALSE;
    }
  g_free (*value);
  *value = g_variant_dup_string (item, NULL);
  return TRUE;
}

/* Reads the media a{sv} of the D-Bus contract, seen from the service:
 * the remote address and ports are the leg's, where the service sends. */
static gboolean
parse_media (TapiSimService  *self,
             GVariant        *variant,
             Media           *media,
             GError         **error)
{
  g_autofree char *encoding_name = NULL;
  g_autofree char *remote_address = NULL;
  g_autofree char *direction = g_strdup ("sendrecv");
  g_autoptr(GInetAddress) address = NULL;
  guint clock_rate = 0;
  guint rtp_port = 0, rtcp_port = 0;
  guint payload_type = 0, event_payload_type = 0;
  const TapiCodec *codec = NULL;

  if (variant == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                           "No media description");
      return FALSE;
    }
  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media description is a %s, not an a{sv}",
                   g_variant_get_type_string (variant));
      return FALSE;
    }

  if (!lookup_string (variant, "remote-address", TRUE,
                      &remote_address, error) ||
      !lookup_uint (variant, "remote-rtp-port", TRUE, 1, G_MAXUINT16,
                    &rtp_port, error) ||
      !lookup_uint (variant, "remote-rtcp-port", TRUE, 1, G_MAXUINT16,
                    &rtcp_port, error) ||
      !lookup_string (variant, "encoding-name", TRUE,
                      &encoding_name, error) ||
      !lookup_uint (variant, "payload-type", TRUE, 0, 127,
                    &payload_type, error) ||
      !lookup_uint (variant, "clock-rate", TRUE, 1, G_MAXUINT32,
                    &clock_rate, error) ||
      !lookup_uint (variant, "telephone-event-payload", FALSE, 0, 127,
                    &event_payload_type, error) ||
      !lookup_string (variant, "direction", FALSE, &direction, error))
    return FALSE;

  address = g_inet_address_new_from_string (remote_address);
  if (address == NULL ||
      g_inet_address_get_family (address) !=
      g_socket_get_family (self->rtp_socket))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The remote address '%s' is not an IPv4 address",
                   remote_address);
      return FALSE;
    }
  if (event_payload_type != 0 && event_payload_type == payload_type)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "The media and the telephone events share payload type %u",
                   payload_type);
      return FALSE;
    }
  if (!g_str_equal (direction, "sendrecv") &&
      !g_str_equal (direction, "sendonly") &&
      !g_str_equal (direction, "recvonly") &&
      !g_str_equal (direction, "inactive"))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a media direction", direction);
      return FALSE;
    }

  codec = tapi_codec_find (encoding_name);
  if (codec == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "The simulated PBX does not speak %s", encoding_name);
      return FALSE;
    }
  if (clock_rate != codec->clock_rate)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "%s has an RTP clock rate of %u, not %u",
                   codec->name, codec->clock_rate, clock_rate);
      return FALSE;
    }

  media->codec = codec;
  media->remote_address = g_steal_pointer (&remote_address);
  media->remote_rtp_port = rtp_port;
  media->remote_rtcp_port = rtcp_port;
  media->payload_type = payload_type;
  media->event_payload_type = event_payload_type;
  media->send = g_str_equal (direction, "sendrecv") ||
                g_str_equal (direction, "sendonly");
  return TRUE;
}

static GstCaps *
raw_caps (const TapiCodec *codec)
{
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) codec->audio_rate,
                              "channels", G_TYPE_INT, 1,
                              NULL);
}

static GstCaps *
rtp_caps (const TapiCodec *codec,
          guint        payload_type)
{
  GstCaps *caps;

  caps = gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, "audio",
                              "clock-rate", G_TYPE_INT, (int) codec->clock_rate,
                              "encoding-name", G_TYPE_STRING,
                              codec->name,
                              "payload", G_TYPE_INT, (int) payload_type,
                              NULL);
  /* SDP counts Opus as two channels, and says so in encoding-params. */
  if (codec->channels > 1)
    {
      g_autofree char *channels = g_strdup_printf ("%u", codec->channels);

      gst_caps_set_simple (caps, "encoding-params", G_TYPE_STRING, channels,
                           NULL);
    }
  return caps;
}

static GstCaps *
event_caps (const TapiCodec *codec,
            guint        payload_type)
{
  return gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, "audio",
                              "clock-rate", G_TYPE_INT, (int) codec->clock_rate,
                              "encoding-name", G_TYPE_STRING, "TELEPHONE-EVENT",
                              "payload", G_TYPE_INT, (int) payload_type,
                              NULL);
}

/* Digits */

static int
digit_to_event (char digit)
{
  if (digit >= '0' && digit <= '9')
    return digit - '0';
  if (digit == '*')
    return 10;
  if (digit == '#')
    return 11;
  if (digit >= 'A' && digit <= 'D')
    return 12 + digit - 'A';
  if (digit >= 'a' && digit <= 'd')
    return 12 + digit - 'a';
  return -1;
}

static gboolean
send_digit_event (TapiSimService *self,
                  gboolean        start,
                  int             number)
{
  g_autoptr(GstPad) pad = NULL;
  GstStructure *structure;

  if (self->digit_source == NULL)
    return FALSE;

  structure = gst_structure_new ("dtmf-event",
                                 "type", G_TYPE_INT, 1,
                                 "start", G_TYPE_BOOLEAN, start,
                                 NULL);
  if (start)
    gst_structure_set (structure,
                       "number", G_TYPE_INT, number,
                       "volume", G_TYPE_INT, DIGIT_VOLUME,
                       NULL);

  pad = gst_element_get_static_pad (self->digit_source, "src");
  return gst_pad_send_event (pad,
                             gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
                                                   structure));
}

static gboolean digit_cb (gpointer user_data);

static void
cancel_digits (TapiSimService *self)
{
  if (self->digit_timeout)
    {
      g_source_destroy (self->digit_timeout);
      g_clear_pointer (&self->digit_timeout, g_source_unref);
    }
}

static void
schedule_digit (TapiSimService *self,
                guint           delay_ms)
{
  GSource *source = g_timeout_source_new (delay_ms);

  cancel_digits (self);
  g_source_set_callback (source, digit_cb, self, NULL);
  g_source_attach (source, self->context);
  self->digit_timeout = source;
}

/* Plays the queue: each digit is a start event, DIGIT_ON_MS later a stop
 * event, then DIGIT_GAP_MS of pause. rtpdtmfsrc queues the events and
 * makes each one last at least its minimum pulse, so digits never
 * overlap and keep their order. */
static gboolean
digit_cb (gpointer user_data)
{
  TapiSimService *self = user_data;

  g_clear_pointer (&self->digit_timeout, g_source_unref);

  if (self->digit_on)
    {
      if (!send_digit_event (self, FALSE, 0))
        g_debug ("The %s service could not end a digit",
                 kind_names[self->kind]);
      self->digit_on = FALSE;
      g_queue_pop_head (&self->digits);
      if (!g_queue_is_empty (&self->digits))
        schedule_digit (self, DIGIT_GAP_MS);
      return G_SOURCE_REMOVE;
    }

  if (g_queue_is_empty (&self->digits) || self->pipeline == NULL)
    return G_SOURCE_REMOVE;

  if (send_digit_event (self, TRUE,
                        GPOINTER_TO_INT (g_queue_peek_head (&self->digits))))
    {
      self->digit_on = TRUE;
      schedule_digit (self, DIGIT_ON_MS);
    }
  else
    {
      /* Not playing yet: try again. */
      g_debug ("The %s service could not start a digit yet",
               kind_names[self->kind]);
      schedule_digit (self, DIGIT_GAP_MS);
    }
  return G_SOURCE_REMOVE;
}

static void
queue_received_digit (TapiSimService     *self,
                      const GstStructure *structure)
{
  int type, number;

  if (!gst_structure_get_int (structure, "type", &type) || type != 1 ||
      !gst_structure_get_int (structure, "number", &number) ||
      number < 0 || number > 15)
    return;

  g_debug ("The echo service received digit event %d", number);
  g_queue_push_tail (&self->digits, GINT_TO_POINTER (number));
  if (self->digit_timeout == NULL && !self->digit_on)
    schedule_digit (self, 0);
}

/* Pipelines */

static void
stop_pipeline (TapiSimService *self)
{
  cancel_digits (self);
  /* An interrupted digit is sent again by the next pipeline. */
  self->digit_on = FALSE;

  if (self->bus_source)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->pipeline)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_clear_object (&self->pipeline);
    }
  self->mixer = NULL;
  self->digit_source = NULL;
  self->valve = NULL;
  self->rtp_sink = NULL;
  self->rtcp_sink = NULL;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  TapiSimService *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;
  const GstStructure *structure;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, &debug);
      g_message ("The %s service stops: %s (%s)", kind_names[self->kind],
                 error->message, debug ? debug : "no details");
      stop_pipeline (self);
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (message, &error, &debug);
      g_debug ("The %s service: %s (%s)", kind_names[self->kind],
               error->message, debug ? debug : "no details");
      break;

    case GST_MESSAGE_LATENCY:
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
      break;

    case GST_MESSAGE_ELEMENT:
      structure = gst_message_get_structure (message);
      if (self->kind == TAPI_SIM_SERVICE_ECHO &&
          gst_structure_has_name (structure, "dtmf-event"))
        queue_received_digit (self, structure);
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
add_element (TapiSimService  *self,
             const char      *factory,
             GError         **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "The GStreamer element %s is not installed", factory);
      return NULL;
    }
  gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

static gboolean
link_failed (GError     **error,
             const char  *what)
{
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
               "Cannot link the %s of the service's pipeline", what);
  return FALSE;
}

/* Links @src's pad @src_name to @sink's pad @sink_name; either may be a
 * request pad. */
static gboolean
link_pads (GstElement *src,
           const char *src_name,
           GstElement *sink,
           const char *sink_name)
{
  g_autoptr(GstPad) src_pad = gst_element_get_static_pad (src, src_name);
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (sink, sink_name);

  if (src_pad == NULL)
    src_pad = gst_element_request_pad_simple (src, src_name);
  if (sink_pad == NULL)
    sink_pad = gst_element_request_pad_simple (sink, sink_name);
  return src_pad && sink_pad &&
         GST_PAD_LINK_SUCCESSFUL (gst_pad_link (src_pad, sink_pad));
}

/* Silences the generated sine outside the CNG cadence. Each buffer is
 * PACKET_MS long, which divides both the on and the off time. */
static GstPadProbeReturn
cng_cadence_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  TapiSimService *self = user_data;
  guint64 rate = self->media.codec->audio_rate;
  guint64 period = rate * CNG_PERIOD_MS / 1000;
  guint64 on = rate * CNG_ON_MS / 1000;
  GstBuffer *buffer;
  GstMapInfo map;

  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READWRITE))
    return GST_PAD_PROBE_OK;

  for (gsize i = 0; i < map.size / sizeof (gint16); i++, self->cng_position++)
    if (self->cng_position % period >= on)
      ((gint16 *) map.data)[i] = 0;

  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

/* Drops what the echo cannot play back before the demuxers see it: packets
 * that are not RTP, or have a payload type that was not negotiated. */
static GstPadProbeReturn
filter_payload_types_cb (GstPad          *pad,
                         GstPadProbeInfo *info,
                         gpointer         user_data)
{
  TapiSimService *self = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint payload_type;

  if (!gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ,
                           &rtp))
    return GST_PAD_PROBE_DROP;
  payload_type = gst_rtp_buffer_get_payload_type (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  if (payload_type == self->media.payload_type ||
      (self->media.event_payload_type != 0 &&
       payload_type == self->media.event_payload_type))
    return GST_PAD_PROBE_OK;
  return GST_PAD_PROBE_DROP;
}

static GstCaps *
request_pt_map_cb (GstElement     *element,
                   guint           payload_type,
                   TapiSimService *self)
{
  if (payload_type == self->media.payload_type)
    return rtp_caps (self->media.codec, payload_type);
  if (self->media.event_payload_type != 0 &&
      payload_type == self->media.event_payload_type)
    return event_caps (self->media.codec, payload_type);
  return NULL;
}

/* Adds @factories as a chain from @pad to @sink_pad (or to a fakesink
 * when @sink_pad is NULL), in a streaming thread of the running pipeline. */
static gboolean
plug_chain (TapiSimService     *self,
            GstPad             *pad,
            const char * const *factories,
            GstCaps            *caps,
            GstPad             *sink_pad)
{
  GstBin *bin = GST_BIN (self->pipeline);
  GPtrArray *elements = g_ptr_array_new ();
  g_autoptr(GstPad) first_pad = NULL;
  g_autoptr(GstPad) last_pad = NULL;
  gboolean ok = TRUE;

  for (guint i = 0; factories[i] && ok; i++)
    {
      GstElement *element = gst_element_factory_make (factories[i], NULL);

      if (element == NULL)
        {
          g_debug ("The %s service lacks %s", kind_names[self->kind],
                   factories[i]);
          ok = FALSE;
          break;
        }
      if (g_str_equal (factories[i], "capsfilter"))
        g_object_set (element, "caps", caps, NULL);
      if (g_str_equal (factories[i], "fakesink"))
        g_object_set (element, "sync", FALSE, "async", FALSE, NULL);
      g_ptr_array_add (elements, element);
    }

  if (!ok)
    {
      g_ptr_array_set_free_func (elements, (GDestroyNotify) gst_object_unref);
      g_ptr_array_unref (elements);
      return FALSE;
    }

  for (guint i = 0; i < elements->len; i++)
    {
      gst_bin_add (bin, g_ptr_array_index (elements, i));
      if (i > 0 && !gst_element_link (g_ptr_array_index (elements, i - 1),
                                      g_ptr_array_index (elements, i)))
        ok = FALSE;
    }

  last_pad = gst_element_get_static_pad (g_ptr_array_index (elements,
                                                            elements->len - 1),
                                         "src");
  if (ok && sink_pad && last_pad)
    ok = GST_PAD_LINK_SUCCESSFUL (gst_pad_link (last_pad, sink_pad));

  for (guint i = elements->len; i > 0; i--)
    gst_element_sync_state_with_parent (g_ptr_array_index (elements, i - 1));

  first_pad = gst_element_get_static_pad (g_ptr_array_index (elements, 0),
                                          "sink");
  if (ok)
    ok = GST_PAD_LINK_SUCCESSFUL (gst_pad_link (pad, first_pad));

  g_ptr_array_unref (elements);
  return ok;
}

/* A payload type of one sender, out of its jitter buffer. */
static void
payload_pad_added_cb (GstElement     *demux,
                      GstPad         *pad,
                      TapiSimService *self)
{
  g_autofree char *name = gst_pad_get_name (pad);
  guint payload_type;

  if (sscanf (name, "src_%u", &payload_type) != 1)
    return;

  if (payload_type == self->media.payload_type && self->mixer)
    {
      const char *factories[] = {
        self->media.codec->depayloader, self->media.codec->decoder,
        "audioconvert", "audioresample", "capsfilter", NULL
      };
      g_autoptr(GstCaps) caps = raw_caps (self->media.codec);
      g_autoptr(GstPad) mixer_pad = NULL;

      mixer_pad = gst_element_request_pad_simple (self->mixer, "sink_%u");

      if (plug_chain (self, pad, factories, caps, mixer_pad))
        return;
      gst_element_release_request_pad (self->mixer, mixer_pad);
    }
  else if (self->media.event_payload_type != 0 &&
           payload_type == self->media.event_payload_type)
    {
      const char *factories[] = { "rtpdtmfdepay", "fakesink", NULL };

      if (plug_chain (self, pad, factories, NULL, NULL))
        return;
    }

  {
    const char *factories[] = { "fakesink", NULL };

    g_debug ("The %s service drops payload type %u", kind_names[self->kind],
             payload_type);
    plug_chain (self, pad, factories, NULL, NULL);
  }
}

/* A new sender (SSRC): a handoff restarts the far end's pipeline with
 * another one. Each gets a jitter buffer and is mixed with the others. */
static void
ssrc_pad_added_cb (GstElement     *demux,
                   GstPad         *pad,
                   TapiSimService *self)
{
  g_autofree char *name = gst_pad_get_name (pad);
  const char *factories[] = { "rtpjitterbuffer", "rtpptdemux", NULL };
  GstElement *jitter_buffer, *payload_demux;
  g_autoptr(GstPad) sink_pad = NULL;
  g_autoptr(GstPad) src_pad = NULL;
  guint ssrc;

  if (sscanf (name, "src_%u", &ssrc) != 1)
    return;

  jitter_buffer = gst_element_factory_make (factories[0], NULL);
  payload_demux = gst_element_factory_make (factories[1], NULL);
  if (jitter_buffer == NULL || payload_demux == NULL)
    {
      const char *drop[] = { "fakesink", NULL };

      g_debug ("The %s service lacks a jitter buffer", kind_names[self->kind]);
      gst_clear_object (&jitter_buffer);
      gst_clear_object (&payload_demux);
      plug_chain (self, pad, drop, NULL, NULL);
      return;
    }

  g_debug ("The %s service hears SSRC %08x", kind_names[self->kind], ssrc);
  g_object_set (jitter_buffer, "latency", (guint) JITTER_LATENCY_MS, NULL);
  g_signal_connect (jitter_buffer, "request-pt-map",
                    G_CALLBACK (request_pt_map_cb), self);
  g_signal_connect (payload_demux, "request-pt-map",
                    G_CALLBACK (request_pt_map_cb), self);
  g_signal_connect (payload_demux, "pad-added",
                    G_CALLBACK (payload_pad_added_cb), self);

  gst_bin_add_many (GST_BIN (self->pipeline), jitter_buffer, payload_demux,
                    NULL);
  if (!gst_element_link (jitter_buffer, payload_demux))
    g_debug ("The %s service cannot link a jitter buffer",
             kind_names[self->kind]);
  gst_element_sync_state_with_parent (payload_demux);
  gst_element_sync_state_with_parent (jitter_buffer);
  sink_pad = gst_element_get_static_pad (jitter_buffer, "sink");
  if (!GST_PAD_LINK_SUCCESSFUL (gst_pad_link (pad, sink_pad)))
    g_debug ("The %s service cannot listen to SSRC %08x",
             kind_names[self->kind], ssrc);
}

static gboolean
build_pipeline (TapiSimService  *self,
                GError         **error)
{
  const Media *media = &self->media;
  const TapiCodec *codec = media->codec;
  gboolean echo = self->kind == TAPI_SIM_SERVICE_ECHO;
  gboolean events = media->event_payload_type != 0 &&
                    (echo || self->kind == TAPI_SIM_SERVICE_DTMF);
  gboolean in_band = self->kind == TAPI_SIM_SERVICE_DTMF && !events;
  g_autofree char *name = g_strdup_printf ("tapi-sim-%s",
                                           kind_names[self->kind]);
  g_autoptr(GstCaps) caps = raw_caps (codec);
  g_autoptr(GstCaps) receive_caps = NULL;
  g_autoptr(GstCaps) rtcp_caps = NULL;
  g_autoptr(GstPad) probe_pad = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *rtpbin, *source, *filter, *tail, *encoder, *payloader, *mux;
  GstElement *rtp_src, *rtcp_src, *drain;

  self->pipeline = gst_pipeline_new (name);
  self->cng_position = 0;

  /* What the service says */
  if (!(rtpbin = add_element (self, "rtpbin", error)) ||
      !(source = add_element (self, "audiotestsrc", error)) ||
      !(filter = add_element (self, "capsfilter", error)) ||
      !(encoder = add_element (self, codec->encoder, error)) ||
      !(payloader = add_element (self, codec->payloader, error)) ||
      !(mux = add_element (self, "rtpdtmfmux", error)) ||
      !(self->valve = add_element (self, "valve", error)) ||
      !(self->rtp_sink = add_element (self, "udpsink", error)) ||
      !(self->rtcp_sink = add_element (self, "udpsink", error)) ||
      !(rtp_src = add_element (self, "udpsrc", error)) ||
      !(rtcp_src = add_element (self, "udpsrc", error)))
    return FALSE;

  g_object_set (source,
                "is-live", TRUE,
                "samplesperbuffer",
                (int) (codec->audio_rate * PACKET_MS / 1000),
                "freq", self->kind == TAPI_SIM_SERVICE_FAX ?
                        CNG_FREQUENCY : TONE_FREQUENCY,
                "volume", TONE_VOLUME,
                NULL);
  gst_util_set_object_arg (G_OBJECT (source), "wave",
                           self->kind == TAPI_SIM_SERVICE_TONE ||
                           self->kind == TAPI_SIM_SERVICE_FAX ?
                           "sine" : "silence");
  g_object_set (filter, "caps", caps, NULL);
  if (!gst_element_link (source, filter))
    return link_failed (error, "source");
  tail = filter;

  if (self->kind == TAPI_SIM_SERVICE_FAX)
    {
      probe_pad = gst_element_get_static_pad (filter, "src");
      gst_pad_add_probe (probe_pad, GST_PAD_PROBE_TYPE_BUFFER,
                         cng_cadence_cb, self, NULL);
    }

  if (echo || in_band)
    {
      GstElement *mix_filter;

      if (!(self->mixer = add_element (self, "audiomixer", error)) ||
          !(mix_filter = add_element (self, "capsfilter", error)))
        return FALSE;
      /* Received audio comes through the jitter buffer and a decoder,
       * plugged while the mixer runs: leave it the time. */
      g_object_set (self->mixer,
                    "output-buffer-duration",
                    (guint64) (PACKET_MS * GST_MSECOND),
                    "min-upstream-latency",
                    (guint64) (ECHO_LATENCY_MS * GST_MSECOND),
                    NULL);
      g_object_set (mix_filter, "caps", caps, NULL);
      if (!gst_element_link_many (filter, self->mixer, mix_filter, NULL))
        return link_failed (error, "mixer");
      tail = mix_filter;
    }

  if (in_band)
    {
      GstElement *convert, *resample;

      if (!(self->digit_source = add_element (self, "dtmfsrc", error)) ||
          !(convert = add_element (self, "audioconvert", error)) ||
          !(resample = add_element (self, "audioresample", error)))
        return FALSE;
      if (!gst_element_link_many (self->digit_source, convert, resample,
                                  self->mixer, NULL))
        return link_failed (error, "digit tones");
    }

  g_object_set (payloader, "pt", media->payload_type, NULL);
  if (!gst_element_link_many (tail, encoder, payloader, NULL) ||
      !link_pads (payloader, "src", mux, "sink_%u"))
    return link_failed (error, "encoder");

  if (events)
    {
      if (!(self->digit_source = add_element (self, "rtpdtmfsrc", error)))
        return FALSE;
      g_object_set (self->digit_source,
                    "pt", media->event_payload_type,
                    "clock-rate", codec->clock_rate,
                    NULL);
      if (!link_pads (self->digit_source, "src", mux, "priority_sink_%u"))
        return link_failed (error, "digit events");
    }

  /* Where it goes */
  g_object_set (self->valve, "drop", !media->send, NULL);
  g_object_set (self->rtp_sink,
                "socket", self->rtp_socket,
                "close-socket", FALSE,
                "host", media->remote_address,
                "port", (int) media->remote_rtp_port,
                "async", FALSE,
                NULL);
  g_object_set (self->rtcp_sink,
                "socket", self->rtcp_socket,
                "close-socket", FALSE,
                "host", media->remote_address,
                "port", (int) media->remote_rtcp_port,
                "sync", FALSE,
                "async", FALSE,
                NULL);
  if (!link_pads (mux, "src", rtpbin, "send_rtp_sink_0") ||
      !link_pads (rtpbin, "send_rtp_src_0", self->valve, "sink") ||
      !gst_element_link (self->valve, self->rtp_sink))
    return link_failed (error, "RTP sender");
  if (!link_pads (rtpbin, "send_rtcp_src_0", self->rtcp_sink, "sink"))
    return link_failed (error, "RTCP sender");

  /* What it hears */
  rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  g_object_set (rtcp_src,
                "socket", self->rtcp_socket,
                "close-socket", FALSE,
                "caps", rtcp_caps,
                NULL);
  if (!link_pads (rtcp_src, "src", rtpbin, "recv_rtcp_sink_0"))
    return link_failed (error, "RTCP receiver");

  receive_caps = rtp_caps (codec, media->payload_type);
  g_object_set (rtp_src,
                "socket", self->rtp_socket,
                "close-socket", FALSE,
                "caps", receive_caps,
                NULL);
  if (echo)
    {
      /* Not through rtpbin, which sends: the graph would be a loop. */
      g_autoptr(GstPad) src_pad = gst_element_get_static_pad (rtp_src, "src");
      GstElement *ssrc_demux;

      if (!(ssrc_demux = add_element (self, "rtpssrcdemux", error)))
        return FALSE;
      gst_pad_add_probe (src_pad, GST_PAD_PROBE_TYPE_BUFFER,
                         filter_payload_types_cb, self, NULL);
      g_signal_connect (ssrc_demux, "pad-added",
                        G_CALLBACK (ssrc_pad_added_cb), self);
      if (!gst_element_link (rtp_src, ssrc_demux))
        return link_failed (error, "RTP receiver");
    }
  else
    {
      /* The other services do not listen, but keep the socket drained. */
      if (!(drain = add_element (self, "fakesink", error)))
        return FALSE;
      g_object_set (drain, "sync", FALSE, "async", FALSE, NULL);
      if (!gst_element_link (rtp_src, drain))
        return link_failed (error, "RTP receiver");
    }

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) G_CALLBACK (bus_cb),
                         self, NULL);
  g_source_attach (self->bus_source, self->context);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = NULL;
      g_autoptr(GError) gst_error = NULL;

      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (message)
        gst_message_parse_error (message, &gst_error, NULL);
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                   "The %s service cannot start: %s", kind_names[self->kind],
                   gst_error ? gst_error->message : "unknown error");
      return FALSE;
    }

  if (!g_queue_is_empty (&self->digits))
    schedule_digit (self, self->kind == TAPI_SIM_SERVICE_DTMF ?
                          DIGIT_DELAY_MS : DIGIT_GAP_MS);
  return TRUE;
}

/* Sockets */

static GSocket *
bind_udp (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket,
                                                                  NULL);

  if (address == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* GObject */

static void
tapi_sim_service_finalize (GObject *object)
{
  TapiSimService *self = TAPI_SIM_SERVICE (object);

  stop_pipeline (self);
  g_queue_clear (&self->digits);
  media_clear (&self->media);
  g_clear_pointer (&self->context, g_main_context_unref);
  if (self->rtp_socket)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);

  G_OBJECT_CLASS (tapi_sim_service_parent_class)->finalize (object);
}

static void
tapi_sim_service_class_init (TapiSimServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_sim_service_finalize;
}

static void
tapi_sim_service_init (TapiSimService *self)
{
  g_queue_init (&self->digits);
}

/**
 * tapi_sim_service_new:
 * @kind: what the service sends
 * @digits: (nullable): for %TAPI_SIM_SERVICE_DTMF, the digits to send
 *   (`0`–`9`, `*`, `#`, `A`–`D`); ignored otherwise
 * @error: return location for a #GError
 *
 * Creates a service and binds its RTP and RTCP sockets on 127.0.0.1. It
 * sends nothing until tapi_sim_service_start().
 *
 * Returns: (transfer full): the service, or %NULL with @error set
 */
TapiSimService *
tapi_sim_service_new (TapiSimServiceKind   kind,
                      const char          *digits,
                      GError             **error)
{
  g_autoptr(TapiSimService) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((guint) kind > TAPI_SIM_SERVICE_SILENCE)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "%d is not a kind of service", (int) kind);
      return NULL;
    }
  if (kind == TAPI_SIM_SERVICE_DTMF)
    {
      if (digits == NULL || *digits == '\0')
        {
          g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                               "A DTMF service needs digits to send");
          return NULL;
        }
      for (const char *p = digits; *p; p++)
        if (digit_to_event (*p) < 0)
          {
            g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                         "'%s' is not a string of DTMF digits", digits);
            return NULL;
          }
    }

  if (!gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                   "GStreamer cannot start: %s", local_error->message);
      return NULL;
    }

  self = g_object_new (TAPI_TYPE_SIM_SERVICE, NULL);
  self->kind = kind;
  if (kind == TAPI_SIM_SERVICE_DTMF)
    for (const char *p = digits; *p; p++)
      g_queue_push_tail (&self->digits, GINT_TO_POINTER (digit_to_event (*p)));

  self->rtp_socket = bind_udp (&local_error);
  if (self->rtp_socket)
    self->rtcp_socket = bind_udp (&local_error);
  if (self->rtcp_socket == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "The %s service has no socket: %s", kind_names[kind],
                   local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * tapi_sim_service_get_kind:
 * @self: a #TapiSimService
 *
 * Returns: what the service sends
 */
TapiSimServiceKind
tapi_sim_service_get_kind (TapiSimService *self)
{
  g_return_val_if_fail (TAPI_IS_SIM_SERVICE (self), TAPI_SIM_SERVICE_SILENCE);

  return self->kind;
}

/**
 * tapi_sim_service_get_rtp_port:
 * @self: a #TapiSimService
 *
 * Returns: the port of the service's RTP socket on 127.0.0.1
 */
guint
tapi_sim_service_get_rtp_port (TapiSimService *self)
{
  g_return_val_if_fail (TAPI_IS_SIM_SERVICE (self), 0);

  return socket_port (self->rtp_socket);
}

/**
 * tapi_sim_service_get_rtcp_port:
 * @self: a #TapiSimService
 *
 * Returns: the port of the service's RTCP socket on 127.0.0.1
 */
guint
tapi_sim_service_get_rtcp_port (TapiSimService *self)
{
  g_return_val_if_fail (TAPI_IS_SIM_SERVICE (self), 0);

  return socket_port (self->rtcp_socket);
}

static gboolean
same_stream (const Media *a,
             const Media *b)
{
  return a->codec == b->codec &&
         a->payload_type == b->payload_type &&
         a->event_payload_type == b->event_payload_type;
}

/**
 * tapi_sim_service_start:
 * @self: a #TapiSimService
 * @media: the negotiated media (a{sv} of the D-Bus contract, a floating
 *   reference is sunk) as the service sees them: remote-address,
 *   remote-rtp-port and remote-rtcp-port are the leg's sockets;
 *   encoding-name, payload-type, clock-rate and telephone-event-payload
 *   the codec; the optional direction is the service's
 * @error: return location for a #GError
 *
 * Starts sending, on the thread-default main context. On a running
 * service, new media re-target it: a new far end with the same codec
 * keeps the stream, another codec restarts it.
 *
 * Returns: %TRUE when the service runs; %FALSE with @error set, in the
 *   %TAPI_ERROR domain, when @media are invalid (the service is then
 *   unchanged) or the pipeline cannot start (the service is then stopped)
 */
gboolean
tapi_sim_service_start (TapiSimService  *self,
                        GVariant        *media,
                        GError         **error)
{
  g_autoptr(GVariant) owned = media ? g_variant_ref_sink (media) : NULL;
  Media parsed = { 0 };

  g_return_val_if_fail (TAPI_IS_SIM_SERVICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_media (self, owned, &parsed, error))
    return FALSE;

  if (self->pipeline && same_stream (&self->media, &parsed))
    {
      g_debug ("The %s service re-targets to %s:%u", kind_names[self->kind],
               parsed.remote_address, parsed.remote_rtp_port);
      g_object_set (self->rtp_sink,
                    "host", parsed.remote_address,
                    "port", (int) parsed.remote_rtp_port,
                    NULL);
      g_object_set (self->rtcp_sink,
                    "host", parsed.remote_address,
                    "port", (int) parsed.remote_rtcp_port,
                    NULL);
      g_object_set (self->valve, "drop", !parsed.send, NULL);
      /* Streaming threads read the rest, which is the same. */
      g_free (self->media.remote_address);
      self->media.remote_address = g_steal_pointer (&parsed.remote_address);
      self->media.remote_rtp_port = parsed.remote_rtp_port;
      self->media.remote_rtcp_port = parsed.remote_rtcp_port;
      self->media.send = parsed.send;
      return TRUE;
    }

  stop_pipeline (self);
  media_clear (&self->media);
  self->media = parsed;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();

  g_debug ("The %s service sends %s to %s:%u", kind_names[self->kind],
           self->media.codec->name, self->media.remote_address,
           self->media.remote_rtp_port);
  if (!build_pipeline (self, error))
    {
      stop_pipeline (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * tapi_sim_service_stop:
 * @self: a #TapiSimService
 *
 * Stops sending and releases the pipeline; the sockets stay bound until
 * the service is finalized. Digits not yet sent wait for the next start.
 */
void
tapi_sim_service_stop (TapiSimService *self)
{
  g_return_if_fail (TAPI_IS_SIM_SERVICE (self));

  stop_pipeline (self);
}

/**
 * tapi_sim_service_is_running:
 * @self: a #TapiSimService
 *
 * Returns: whether the service's pipeline runs: it was started and has
 *   neither been stopped nor failed
 */
gboolean
tapi_sim_service_is_running (TapiSimService *self)
{
  g_return_val_if_fail (TAPI_IS_SIM_SERVICE (self), FALSE);

  return self->pipeline != NULL;
}

/**
 * tapi_sim_service_get_pipeline:
 * @self: a #TapiSimService
 *
 * Returns: (transfer none) (nullable): the running pipeline
 */
GstElement *
tapi_sim_service_get_pipeline (TapiSimService *self)
{
  g_return_val_if_fail (TAPI_IS_SIM_SERVICE (self), NULL);

  return self->pipeline;
}
