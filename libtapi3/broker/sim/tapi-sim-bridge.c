/* tapi-sim-bridge.c: the simulated PBX's conference bridge
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Sim"

#include <gst/gst.h>

#include "tapi-codec.h"
#include "tapi-error.h"
#include "tapi-sim-bridge.h"

/* A conference is a mix-minus bridge: every participant sends its RTP to
 * a port of the bridge and hears the mix of everyone else. Each
 * participant has its own codec:
 *
 *   udpsrc ! rtpjitterbuffer ! depay ! decoder ! convert ! tee ──┐ (to the other mixers)
 *   audiomixer (the others) ! convert ! encoder ! payloader ! udpsink
 */

#define BRIDGE_ADDRESS "127.0.0.1"
#define MIX_RATE       16000
#define LATENCY_MS     40


typedef struct
{
  GSocket *rtp;
  GSocket *rtcp;
} Participant;

struct _TapiSimBridge
{
  GObject      parent_instance;

  GArray      *participants;
  GstElement  *pipeline;
  GSource     *watch;
};

G_DEFINE_FINAL_TYPE (TapiSimBridge, tapi_sim_bridge, G_TYPE_OBJECT)

static GSocket *
bind_udp (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (BRIDGE_ADDRESS);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, 0);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return address
           ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address))
           : 0;
}

static void
participant_clear (Participant *participant)
{
  if (participant->rtp)
    g_socket_close (participant->rtp, NULL);
  if (participant->rtcp)
    g_socket_close (participant->rtcp, NULL);
  g_clear_object (&participant->rtp);
  g_clear_object (&participant->rtcp);
}

static void
tapi_sim_bridge_finalize (GObject *object)
{
  TapiSimBridge *self = TAPI_SIM_BRIDGE (object);

  tapi_sim_bridge_stop (self);
  g_array_unref (self->participants);

  G_OBJECT_CLASS (tapi_sim_bridge_parent_class)->finalize (object);
}

static void
tapi_sim_bridge_class_init (TapiSimBridgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tapi_sim_bridge_finalize;
}

static void
tapi_sim_bridge_init (TapiSimBridge *self)
{
  self->participants = g_array_new (FALSE, TRUE, sizeof (Participant));
  g_array_set_clear_func (self->participants,
                          (GDestroyNotify) participant_clear);
}

TapiSimBridge *
tapi_sim_bridge_new (guint    n_participants,
                     GError **error)
{
  g_autoptr(TapiSimBridge) self = g_object_new (TAPI_TYPE_SIM_BRIDGE, NULL);

  if (n_participants < 2)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "A conference needs two participants or more, not %u",
                   n_participants);
      return NULL;
    }
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  g_array_set_size (self->participants, n_participants);
  for (guint i = 0; i < n_participants; i++)
    {
      Participant *participant = &g_array_index (self->participants,
                                                 Participant, i);

      if (!(participant->rtp = bind_udp (error)) ||
          !(participant->rtcp = bind_udp (error)))
        return NULL;
    }
  return g_steal_pointer (&self);
}

guint
tapi_sim_bridge_get_n_participants (TapiSimBridge *self)
{
  return self->participants->len;
}

guint
tapi_sim_bridge_get_rtp_port (TapiSimBridge *self,
                              guint          participant)
{
  g_return_val_if_fail (participant < self->participants->len, 0);

  return socket_port (g_array_index (self->participants, Participant, participant).rtp);
}

guint
tapi_sim_bridge_get_rtcp_port (TapiSimBridge *self,
                               guint          participant)
{
  g_return_val_if_fail (participant < self->participants->len, 0);

  return socket_port (g_array_index (self->participants, Participant, participant).rtcp);
}

static GstElement *
add (GstElement  *bin,
     const char  *factory,
     GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

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
add_raw_caps (GstElement  *bin,
              guint        rate,
              GError     **error)
{
  GstElement *filter = add (bin, "capsfilter", error);
  g_autoptr(GstCaps) caps = NULL;

  if (filter == NULL)
    return NULL;
  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE",
                              "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1, NULL);
  g_object_set (filter, "caps", caps, NULL);
  return filter;
}

static gboolean
link_many (GError     **error,
           GstElement  *first,
           ...)
{
  va_list args;
  GstElement *next;
  gboolean ok = TRUE;

  va_start (args, first);
  while (ok && (next = va_arg (args, GstElement *)))
    {
      ok = gst_element_link (first, next);
      if (!ok)
        g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                     "Could not link %s to %s", GST_ELEMENT_NAME (first),
                     GST_ELEMENT_NAME (next));
      first = next;
    }
  va_end (args);
  return ok;
}

typedef struct
{
  const TapiCodec *codec;
  const char        *remote_address;
  guint              remote_rtp_port;
  guint              payload_type;
  guint              clock_rate;
} BridgeMedia;

static gboolean
parse_media (GVariant     *media,
             BridgeMedia  *parsed,
             GError      **error)
{
  const char *encoding;

  if (media == NULL || !g_variant_is_of_type (media, G_VARIANT_TYPE_VARDICT) ||
      !g_variant_lookup (media, "encoding-name", "&s", &encoding) ||
      !g_variant_lookup (media, "remote-address", "&s",
                         &parsed->remote_address) ||
      !g_variant_lookup (media, "remote-rtp-port", "u",
                         &parsed->remote_rtp_port) ||
      !g_variant_lookup (media, "payload-type", "u", &parsed->payload_type) ||
      !g_variant_lookup (media, "clock-rate", "u", &parsed->clock_rate))
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                           "The media of a conference participant is incomplete");
      return FALSE;
    }
  parsed->codec = tapi_codec_find (encoding);
  if (parsed->codec == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "The conference bridge does not mix %s", encoding);
      return FALSE;
    }
  return TRUE;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_message ("The conference bridge failed in %s: %s",
                 GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message);
    }
  return G_SOURCE_CONTINUE;
}

/* Builds the bridge for @media, one a{sv} per participant (see the D-Bus
 * contract: where the participant receives, and its codec). */
gboolean
tapi_sim_bridge_start (TapiSimBridge  *self,
                       GVariant      **media,
                       GError        **error)
{
  guint n = self->participants->len;
  g_autoptr(GstElement) pipeline = gst_pipeline_new ("conference-bridge");
  g_autofree BridgeMedia *parsed = g_new0 (BridgeMedia, n);
  g_autofree GstElement **tees = g_new0 (GstElement *, n);
  g_autofree GstElement **mixers = g_new0 (GstElement *, n);
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (TAPI_IS_SIM_BRIDGE (self), FALSE);

  for (guint i = 0; i < n; i++)
    if (!parse_media (media[i], &parsed[i], error))
      return FALSE;

  tapi_sim_bridge_stop (self);

  for (guint i = 0; i < n; i++)
    {
      Participant *participant = &g_array_index (self->participants,
                                                 Participant, i);
      const TapiCodec *codec = parsed[i].codec;
      GstElement *source, *jitter, *depay, *decoder, *convert, *resample, *caps;
      GstElement *out_convert, *out_resample, *out_caps, *encoder, *payloader,
        *sink;
      g_autoptr(GstCaps) rtp_caps = NULL;

      if (!(source = add (pipeline, "udpsrc", error)) ||
          !(jitter = add (pipeline, "rtpjitterbuffer", error)) ||
          !(depay = add (pipeline, codec->depayloader, error)) ||
          !(decoder = add (pipeline, codec->decoder, error)) ||
          !(convert = add (pipeline, "audioconvert", error)) ||
          !(resample = add (pipeline, "audioresample", error)) ||
          !(caps = add_raw_caps (pipeline, MIX_RATE, error)) ||
          !(tees[i] = add (pipeline, "tee", error)) ||
          !(mixers[i] = add (pipeline, "audiomixer", error)) ||
          !(out_convert = add (pipeline, "audioconvert", error)) ||
          !(out_resample = add (pipeline, "audioresample", error)) ||
          !(out_caps = add_raw_caps (pipeline, codec->audio_rate, error)) ||
          !(encoder = add (pipeline, codec->encoder, error)) ||
          !(payloader = add (pipeline, codec->payloader, error)) ||
          !(sink = add (pipeline, "udpsink", error)))
        return FALSE;

      rtp_caps = gst_caps_new_simple ("application/x-rtp",
                                      "media", G_TYPE_STRING, "audio",
                                      "encoding-name", G_TYPE_STRING, codec->name,
                                      "clock-rate", G_TYPE_INT, (int) parsed[i].clock_rate,
                                      "payload", G_TYPE_INT, (int) parsed[i].payload_type,
                                      NULL);
      g_object_set (source, "socket", participant->rtp, "close-socket", FALSE,
                    "caps", rtp_caps, NULL);
      g_object_set (jitter, "latency", LATENCY_MS, NULL);
      g_object_set (tees[i], "allow-not-linked", TRUE, NULL);
      g_object_set (mixers[i], "latency", LATENCY_MS * GST_MSECOND, NULL);
      g_object_set (payloader, "pt", parsed[i].payload_type, NULL);
      g_object_set (sink, "socket", participant->rtp, "close-socket", FALSE,
                    "host", parsed[i].remote_address,
                    "port", (int) parsed[i].remote_rtp_port,
                    "sync", FALSE, "async", FALSE, NULL);

      if (!link_many (error, source, jitter, depay, decoder, convert, resample,
                      caps, tees[i], NULL) ||
          !link_many (error, mixers[i], out_convert, out_resample, out_caps,
                      encoder, payloader, sink, NULL))
        return FALSE;
    }

  /* Mix-minus: every mixer takes everyone but its own participant. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        GstElement *queue;

        if (i == j)
          continue;
        if (!(queue = add (pipeline, "queue", error)))
          return FALSE;
        g_object_set (queue, "leaky", 2, "max-size-time", 200 * GST_MSECOND,
                      "max-size-buffers", 0, "max-size-bytes", 0, NULL);
        if (!link_many (error, tees[j], queue, mixers[i], NULL))
          return FALSE;
      }

  bus = gst_element_get_bus (pipeline);
  self->watch = gst_bus_create_watch (bus);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (bus_cb), self, NULL);
  g_source_attach (self->watch, g_main_context_get_thread_default ());

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                           "The conference bridge could not start");
      return FALSE;
    }
  self->pipeline = g_steal_pointer (&pipeline);
  return TRUE;
}

void
tapi_sim_bridge_stop (TapiSimBridge *self)
{
  g_return_if_fail (TAPI_IS_SIM_BRIDGE (self));

  if (self->watch)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  if (self->pipeline)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
}
