/* test-sim-service.c: the simulated PBX's services, over real RTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gio/gio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/rtp/rtp.h>

#include "tapi-error.h"
#include "tapi-goertzel.h"
#include "tapi-sim-service.h"

/* Each test runs the service on a main context of its own, pushed as the
 * thread's default; the global default context never runs, so a service
 * that attached its bus watch or timers there would stall. */

#define WAIT_MS          8000
#define TEST_TIMEOUT_S   25       /* a FAX test listens for 4.3 s */
#define TONE_MIN_LEVEL   0.1      /* amplitude, full scale 1.0 */
#define SENDER_SSRC      0x1234abcdu

typedef struct
{
  const char *encoding_name;
  guint       payload_type;
  guint       clock_rate;
  guint       audio_rate;
  guint       event_payload_type;
  const char *encoder;
  const char *payloader;
  const char *depayloader;
  const char *decoder;
} TestCodec;

static const TestCodec test_codecs[] = {
  { "PCMU", 0, 8000, 8000, 101,
    "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec" },
  { "PCMA", 8, 8000, 8000, 101,
    "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec" },
  { "G722", 9, 8000, 16000, 101,
    "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722" },
  { "OPUS", 111, 48000, 48000, 110,
    "opusenc", "rtpopuspay", "rtpopusdepay", "opusdec" },
};

#define PCMU (&test_codecs[0])
#define PCMA (&test_codecs[1])
#define G722 (&test_codecs[2])
#define OPUS (&test_codecs[3])

static GMainContext *context;

/* Main context */

static void
iterate (void)
{
  while (g_main_context_iteration (context, FALSE))
    ;
  g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

static void
spin (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    iterate ();
}

#define wait_for(expr)                                                       \
  G_STMT_START {                                                             \
    gint64 wait_deadline_ = g_get_monotonic_time () +                        \
      WAIT_MS * G_TIME_SPAN_MILLISECOND;                                     \
    while (!(expr))                                                          \
      {                                                                      \
        ck_assert_msg (g_get_monotonic_time () < wait_deadline_,             \
                       "Timed out after %d ms waiting for: %s",              \
                       WAIT_MS, #expr);                                      \
        iterate ();                                                          \
      }                                                                      \
  } G_STMT_END

#define assert_tapi_error(errorp, expected)                                  \
  G_STMT_START {                                                             \
    GError **errorp_ = (errorp);                                             \
    ck_assert_msg (*errorp_ != NULL, "Expected TAPI_ERROR %d, got no error", \
                   (int) (expected));                                        \
    ck_assert_msg ((*errorp_)->domain == TAPI_ERROR &&                       \
                   (*errorp_)->code == (int) (expected),                     \
                   "Expected TAPI_ERROR %d, got %s %d: %s", (int) (expected), \
                   g_quark_to_string ((*errorp_)->domain),                   \
                   (*errorp_)->code, (*errorp_)->message);                   \
    g_clear_error (errorp_);                                                 \
  } G_STMT_END

#define assert_no_error(errorp)                                              \
  G_STMT_START {                                                             \
    GError **errorp_ = (errorp);                                             \
    ck_assert_msg (*errorp_ == NULL, "Unexpected error: %s",                 \
                   *errorp_ ? (*errorp_)->message : "");                     \
  } G_STMT_END

/* Spectral analysis */

static double
rms (const gint16 *samples,
     gsize         n_samples)
{
  double sum = 0.0;

  if (n_samples == 0)
    return 0.0;
  for (gsize i = 0; i < n_samples; i++)
    sum += (samples[i] / 32768.0) * (samples[i] / 32768.0);
  return sqrt (sum / n_samples);
}

/* Fails unless @frequency is the tone of @samples: loud, holding most of
 * the energy, and far above the other test frequencies. */
static void
assert_dominant (const gint16 *samples,
                 gsize         n_samples,
                 double        rate,
                 double        frequency)
{
  static const double others[] = {
    400.0, 700.0, 1000.0, 1100.0, 1400.0, 2000.0
  };
  double level = tapi_goertzel_amplitude_s16 (samples, n_samples, rate,
                                              frequency);
  double total = rms (samples, n_samples);

  ck_assert_msg (level > TONE_MIN_LEVEL,
                 "%.0f Hz has amplitude %.4f, expected more than %.2f",
                 frequency, level, TONE_MIN_LEVEL);
  ck_assert_msg (level * level / 2.0 > 0.8 * total * total,
                 "%.0f Hz (amplitude %.4f) holds too little of the "
                 "energy (RMS %.4f)",
                 frequency, level, total);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      double other;

      if (fabs (others[i] - frequency) < 1.0)
        continue;
      other = tapi_goertzel_amplitude_s16 (samples, n_samples, rate, others[i]);
      ck_assert_msg (other < 0.2 * level,
                     "%.0f Hz (amplitude %.4f) is not far below %.0f Hz (%.4f)",
                     others[i], other, frequency, level);
    }
}

/* Receivers: a pipeline on a pair of sockets bound here, decoding what a
 * service sends and recording samples, digits and packets. */

typedef struct
{
  const TestCodec *codec;
  guint            rate;
  gboolean         in_band;
  GSocket         *rtp_socket;
  GSocket         *rtcp_socket;
  GstElement      *pipeline;

  GMutex           lock;
  GArray          *samples;       /* gint16 at @rate */
  GArray          *digits;        /* int event numbers */
  GArray          *digit_times;   /* gint64 monotonic time */
  guint            audio_packets;
  guint            event_packets;
  guint            rtcp_packets;
  guint32          ssrc;          /* of the last audio packet */
  guint            ssrc_changes;
  char            *error;
} Receiver;

static GSocket *
bind_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, &error);
  assert_no_error (&error);
  g_socket_bind (socket, address, FALSE, &error);
  assert_no_error (&error);
  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  ck_assert_ptr_nonnull (address);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

static GstBusSyncReply
receiver_bus_cb (GstBus     *bus,
                 GstMessage *message,
                 gpointer    user_data)
{
  Receiver *self = user_data;
  const GstStructure *structure;
  int number;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      structure = gst_message_get_structure (message);
      if (gst_structure_has_name (structure, "dtmf-event") &&
          gst_structure_get_int (structure, "number", &number))
        {
          gint64 now = g_get_monotonic_time ();

          g_mutex_lock (&self->lock);
          g_array_append_val (self->digits, number);
          g_array_append_val (self->digit_times, now);
          g_mutex_unlock (&self->lock);
        }
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_mutex_lock (&self->lock);
        if (self->error == NULL)
          self->error = g_strdup_printf ("%s: %s",
                                         GST_MESSAGE_SRC_NAME (message),
                                         error->message);
        g_mutex_unlock (&self->lock);
      }
      break;

    default:
      break;
    }
  return GST_BUS_DROP;
}

static GstPadProbeReturn
count_rtp_cb (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  Receiver *self = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint payload_type;
  guint32 ssrc;

  if (!gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ,
                           &rtp))
    return GST_PAD_PROBE_DROP;
  payload_type = gst_rtp_buffer_get_payload_type (&rtp);
  ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  g_mutex_lock (&self->lock);
  if (payload_type == self->codec->payload_type)
    {
      if (self->audio_packets > 0 && ssrc != self->ssrc)
        self->ssrc_changes++;
      self->ssrc = ssrc;
      self->audio_packets++;
    }
  else if (payload_type == self->codec->event_payload_type)
    self->event_packets++;
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_rtcp_cb (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  Receiver *self = user_data;

  g_mutex_lock (&self->lock);
  self->rtcp_packets++;
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  Receiver *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer = sample ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;

  if (buffer && gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_mutex_lock (&self->lock);
      g_array_append_vals (self->samples, map.data, map.size / sizeof (gint16));
      g_mutex_unlock (&self->lock);
      gst_buffer_unmap (buffer, &map);
    }
  return GST_FLOW_OK;
}

static GstCaps *
receiver_pt_map_cb (GstElement *demux,
                    guint       payload_type,
                    Receiver   *self)
{
  if (payload_type != self->codec->event_payload_type)
    return NULL;
  return gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, "audio",
                              "clock-rate", G_TYPE_INT,
                              (int) self->codec->clock_rate,
                              "encoding-name", G_TYPE_STRING, "TELEPHONE-EVENT",
                              "payload", G_TYPE_INT, (int) payload_type,
                              NULL);
}

static void
receiver_pad_added_cb (GstElement *demux,
                       GstPad     *pad,
                       Receiver   *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *bin;
  GstElement *sink;
  g_autofree char *name = gst_pad_get_name (pad);
  guint payload_type;

  g_assert (sscanf (name, "src_%u", &payload_type) == 1);

  if (payload_type == self->codec->payload_type)
    description =
      g_strdup_printf ("%s ! %s ! audioconvert ! audioresample ! "
                       "audio/x-raw,format=S16LE,layout=interleaved,"
                       "rate=%u,channels=1 ! %s "
                       "appsink name=sink sync=false async=false",
                       self->codec->depayloader, self->codec->decoder,
                       self->rate, self->in_band ? "dtmfdetect !" : "");
  else if (payload_type == self->codec->event_payload_type)
    description = g_strdup ("rtpdtmfdepay ! fakesink sync=false async=false");
  else
    description = g_strdup ("fakesink sync=false async=false");

  bin = gst_parse_bin_from_description (description, TRUE, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  if (sink)
    {
      GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };

      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
      gst_object_unref (sink);
    }
  gst_bin_add (GST_BIN (self->pipeline), bin);
  gst_element_sync_state_with_parent (bin);
  sink_pad = gst_element_get_static_pad (bin, "sink");
  g_assert (GST_PAD_LINK_SUCCESSFUL (gst_pad_link (pad, sink_pad)));
}

static Receiver *
receiver_new (const TestCodec *codec,
              gboolean         in_band)
{
  Receiver *self = g_new0 (Receiver, 1);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstCaps) rtcp_caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstPad) rtcp_pad = NULL;
  GstElement *source, *demux, *rtcp_source, *rtcp_sink;

  self->codec = codec;
  self->in_band = in_band;
  /* The codec's own rate: resampling would smear the phase. */
  self->rate = codec->audio_rate;
  g_mutex_init (&self->lock);
  self->samples = g_array_new (FALSE, FALSE, sizeof (gint16));
  self->digits = g_array_new (FALSE, FALSE, sizeof (int));
  self->digit_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rtp_socket = bind_socket ();
  self->rtcp_socket = bind_socket ();

  self->pipeline = gst_pipeline_new (NULL);
  source = gst_element_factory_make ("udpsrc", NULL);
  demux = gst_element_factory_make ("rtpptdemux", NULL);
  rtcp_source = gst_element_factory_make ("udpsrc", NULL);
  rtcp_sink = gst_element_factory_make ("fakesink", NULL);
  ck_assert (source && demux && rtcp_source && rtcp_sink);
  gst_bin_add_many (GST_BIN (self->pipeline), source, demux, rtcp_source,
                    rtcp_sink, NULL);

  caps = gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, "audio",
                              "clock-rate", G_TYPE_INT, (int) codec->clock_rate,
                              "encoding-name", G_TYPE_STRING,
                              codec->encoding_name,
                              "payload", G_TYPE_INT, (int) codec->payload_type,
                              NULL);
  rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  g_object_set (source, "socket", self->rtp_socket, "close-socket", FALSE,
                "caps", caps, NULL);
  g_object_set (rtcp_source, "socket", self->rtcp_socket, "close-socket", FALSE,
                "caps", rtcp_caps, NULL);
  g_object_set (rtcp_sink, "sync", FALSE, "async", FALSE, NULL);
  ck_assert (gst_element_link (source, demux));
  ck_assert (gst_element_link (rtcp_source, rtcp_sink));

  pad = gst_element_get_static_pad (source, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_rtp_cb, self, NULL);
  rtcp_pad = gst_element_get_static_pad (rtcp_source, "src");
  gst_pad_add_probe (rtcp_pad, GST_PAD_PROBE_TYPE_BUFFER, count_rtcp_cb, self,
                     NULL);
  g_signal_connect (demux, "request-pt-map",
                    G_CALLBACK (receiver_pt_map_cb), self);
  g_signal_connect (demux, "pad-added",
                    G_CALLBACK (receiver_pad_added_cb), self);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_set_sync_handler (bus, receiver_bus_cb, self, NULL);
  ck_assert_int_ne (gst_element_set_state (self->pipeline, GST_STATE_PLAYING),
                    GST_STATE_CHANGE_FAILURE);
  return self;
}

static void
receiver_free (Receiver *self)
{
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_object_unref (self->pipeline);
  g_socket_close (self->rtp_socket, NULL);
  g_socket_close (self->rtcp_socket, NULL);
  g_object_unref (self->rtp_socket);
  g_object_unref (self->rtcp_socket);
  g_array_unref (self->samples);
  g_array_unref (self->digits);
  g_array_unref (self->digit_times);
  g_free (self->error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receiver, receiver_free)

static void
receiver_assert_ok (Receiver *self)
{
  g_mutex_lock (&self->lock);
  ck_assert_msg (self->error == NULL, "Receiver error: %s", self->error);
  g_mutex_unlock (&self->lock);
}

static guint
receiver_count (Receiver *self,
                guint    *field)
{
  guint value;

  g_mutex_lock (&self->lock);
  value = *field;
  g_mutex_unlock (&self->lock);
  return value;
}

#define receiver_audio_packets(r) receiver_count ((r), &(r)->audio_packets)
#define receiver_rtcp_packets(r) receiver_count ((r), &(r)->rtcp_packets)
#define receiver_ssrc_changes(r) receiver_count ((r), &(r)->ssrc_changes)

static guint
receiver_n_samples (Receiver *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->samples->len;
  g_mutex_unlock (&self->lock);
  return n;
}

static guint
receiver_n_digits (Receiver *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->digits->len;
  g_mutex_unlock (&self->lock);
  return n;
}

static guint32
receiver_ssrc (Receiver *self)
{
  guint32 ssrc;

  g_mutex_lock (&self->lock);
  ssrc = self->ssrc;
  g_mutex_unlock (&self->lock);
  return ssrc;
}

/* A copy of the samples received from @from on. */
static GArray *
receiver_dup_samples (Receiver *self,
                      guint     from)
{
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (gint16));

  g_mutex_lock (&self->lock);
  if (from < self->samples->len)
    g_array_append_vals (copy, &g_array_index (self->samples, gint16, from),
                         self->samples->len - from);
  g_mutex_unlock (&self->lock);
  return copy;
}

/* Waits for @milliseconds of audio after what was received so far and
 * fails unless it is a @frequency tone. */
static void
receiver_assert_tone (Receiver *self,
                      double    frequency,
                      guint     milliseconds)
{
  guint from = receiver_n_samples (self);
  guint wanted = from + self->rate * milliseconds / 1000;
  g_autoptr(GArray) samples = NULL;

  wait_for (receiver_n_samples (self) >= wanted);
  receiver_assert_ok (self);
  samples = receiver_dup_samples (self, from);
  assert_dominant ((gint16 *) samples->data, self->rate * milliseconds / 1000,
                   self->rate, frequency);
}

static char *
receiver_digits_string (Receiver *self)
{
  static const char names[] = "0123456789*#ABCD";
  GString *string = g_string_new (NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->digits->len; i++)
    {
      int number = g_array_index (self->digits, int, i);

      g_string_append_c (string,
                         number >= 0 && number < 16 ? names[number] : '?');
    }
  g_mutex_unlock (&self->lock);
  return g_string_free (string, FALSE);
}

/* Media descriptions, as the service sees them */

static GVariantDict *
media_dict (const TestCodec *codec,
            Receiver        *receiver)
{
  GVariantDict *dict = g_variant_dict_new (NULL);
  guint rtp_port = receiver ? socket_port (receiver->rtp_socket) : 40000;
  guint rtcp_port = receiver ? socket_port (receiver->rtcp_socket) : 40001;

  g_variant_dict_insert (dict, "local-rtp-port", "u", 0);
  g_variant_dict_insert (dict, "local-rtcp-port", "u", 0);
  g_variant_dict_insert (dict, "remote-address", "s", "127.0.0.1");
  g_variant_dict_insert (dict, "remote-rtp-port", "u", rtp_port);
  g_variant_dict_insert (dict, "remote-rtcp-port", "u", rtcp_port);
  g_variant_dict_insert (dict, "encoding-name", "s", codec->encoding_name);
  g_variant_dict_insert (dict, "payload-type", "u", codec->payload_type);
  g_variant_dict_insert (dict, "clock-rate", "u", codec->clock_rate);
  g_variant_dict_insert (dict, "channels", "u", codec == OPUS ? 2 : 1);
  g_variant_dict_insert (dict, "telephone-event-payload", "u",
                         codec->event_payload_type);
  g_variant_dict_insert (dict, "direction", "s", "sendrecv");
  return dict;
}

static GVariant *
media_for (const TestCodec *codec,
           Receiver        *receiver)
{
  g_autoptr(GVariantDict) dict = media_dict (codec, receiver);

  return g_variant_dict_end (dict);
}

static TapiSimService *
service_start (TapiSimServiceKind  kind,
               const char         *digits,
               GVariant           *media)
{
  g_autoptr(GError) error = NULL;
  TapiSimService *service;

  service = tapi_sim_service_new (kind, digits, &error);
  assert_no_error (&error);
  ck_assert_ptr_nonnull (service);
  ck_assert (tapi_sim_service_start (service, media, &error));
  assert_no_error (&error);
  ck_assert (tapi_sim_service_is_running (service));
  return service;
}

/* Fixture */

static void
setup (void)
{
  gst_init (NULL, NULL);
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
}

static void
teardown (void)
{
  g_main_context_pop_thread_default (context);
  g_clear_pointer (&context, g_main_context_unref);
}

/* Tests */

static void
restart (TapiSimService  *service,
         const TestCodec *codec,
         Receiver        *receiver)
{
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_sim_service_start (service, media_for (codec, receiver),
                                     &error));
  assert_no_error (&error);
  ck_assert (tapi_sim_service_is_running (service));
}

/* Fails unless @receiver gets nothing more. */
static void
assert_quiet (Receiver *receiver)
{
  guint packets;

  /* What was under way arrives first. */
  spin (100);
  packets = receiver_audio_packets (receiver);
  spin (300);
  ck_assert_uint_eq (receiver_audio_packets (receiver), packets);
}

START_TEST (test_ports)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(TapiSimService) other = NULL;
  guint ports[4];

  service = tapi_sim_service_new (TAPI_SIM_SERVICE_TONE, NULL, &error);
  assert_no_error (&error);
  other = tapi_sim_service_new (TAPI_SIM_SERVICE_SILENCE, NULL, &error);
  assert_no_error (&error);

  ports[0] = tapi_sim_service_get_rtp_port (service);
  ports[1] = tapi_sim_service_get_rtcp_port (service);
  ports[2] = tapi_sim_service_get_rtp_port (other);
  ports[3] = tapi_sim_service_get_rtcp_port (other);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      ck_assert_uint_gt (ports[i], 0);
      for (guint j = 0; j < i; j++)
        ck_assert_uint_ne (ports[i], ports[j]);
    }
  ck_assert_int_eq (tapi_sim_service_get_kind (service), TAPI_SIM_SERVICE_TONE);
  ck_assert (!tapi_sim_service_is_running (service));
  ck_assert_ptr_null (tapi_sim_service_get_pipeline (service));
}
END_TEST

START_TEST (test_tone)
{
  const TestCodec *codec = &test_codecs[_i];
  g_autoptr(Receiver) receiver = receiver_new (codec, FALSE);
  g_autoptr(TapiSimService) service = NULL;

  service = service_start (TAPI_SIM_SERVICE_TONE, NULL,
                           media_for (codec, receiver));

  /* Let the codec settle, then listen. */
  wait_for (receiver_n_samples (receiver) >= receiver->rate / 2);
  receiver_assert_tone (receiver, 1000.0, 500);
  ck_assert_uint_eq (receiver_ssrc_changes (receiver), 0);
  ck_assert (tapi_sim_service_is_running (service));
}
END_TEST

START_TEST (test_silence)
{
  const TestCodec *codec = &test_codecs[_i];
  g_autoptr(Receiver) receiver = receiver_new (codec, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(GArray) samples = NULL;
  double level;
  guint from;

  service = service_start (TAPI_SIM_SERVICE_SILENCE, NULL,
                           media_for (codec, receiver));
  wait_for (receiver_n_samples (receiver) >= receiver->rate / 2);
  from = receiver_n_samples (receiver);
  wait_for (receiver_n_samples (receiver) >= from + receiver->rate / 2);
  receiver_assert_ok (receiver);

  samples = receiver_dup_samples (receiver, from);
  level = rms ((gint16 *) samples->data, samples->len);
  ck_assert_msg (level < 0.01, "The silence has an RMS of %f", level);
  ck_assert_uint_eq (receiver_n_digits (receiver), 0);
}
END_TEST

/* The CNG cadence, in 20 ms windows where 1100 Hz is on or off. */
START_TEST (test_fax)
{
  const TestCodec *codec = &test_codecs[_i];
  g_autoptr(Receiver) receiver = receiver_new (codec, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GArray) tone = g_array_new (FALSE, FALSE, sizeof (gint16));
  guint window = receiver->rate / 50;
  guint first_on = G_MAXUINT, first_off = G_MAXUINT, second_on = G_MAXUINT;
  guint n_windows, from;
  double on_seconds, off_seconds;

  service = service_start (TAPI_SIM_SERVICE_FAX, NULL,
                           media_for (codec, receiver));

  /* One full period and the start of the next. */
  wait_for (receiver_n_samples (receiver) >= receiver->rate * 43 / 10);
  receiver_assert_ok (receiver);
  samples = receiver_dup_samples (receiver, 0);
  n_windows = samples->len / window;

  for (guint i = 0; i < n_windows; i++)
    {
      const gint16 *chunk = &g_array_index (samples, gint16, i * window);
      gboolean on = tapi_goertzel_amplitude_s16 (chunk, window, receiver->rate, 1100.0) >
                    TONE_MIN_LEVEL / 2;

      if (on && first_on == G_MAXUINT)
        first_on = i;
      else if (!on && first_on != G_MAXUINT && first_off == G_MAXUINT)
        first_off = i;
      else if (on && first_off != G_MAXUINT && second_on == G_MAXUINT)
        second_on = i;
    }

  ck_assert_msg (first_on != G_MAXUINT, "No 1100 Hz tone at all");
  ck_assert_msg (first_on * 20 < 500, "The tone starts only after %u ms",
                 first_on * 20);
  ck_assert_msg (first_off != G_MAXUINT, "The tone never stops");
  ck_assert_msg (second_on != G_MAXUINT, "The tone never comes back");

  on_seconds = (first_off - first_on) * 0.02;
  off_seconds = (second_on - first_off) * 0.02;
  ck_assert_msg (on_seconds >= 0.4 && on_seconds <= 0.6,
                 "The tone lasts %.2f s, expected 0.5 s", on_seconds);
  ck_assert_msg (off_seconds >= 2.85 && off_seconds <= 3.15,
                 "The pause lasts %.2f s, expected 3 s", off_seconds);

  /* Silence in the pause, and in the on time a pure 1100 Hz tone, not
   * the 1000 Hz of the tone service. */
  for (guint i = first_off + 1; i + 1 < second_on; i++)
    {
      const gint16 *chunk = &g_array_index (samples, gint16, i * window);

      ck_assert_msg (rms (chunk, window) < 0.01,
                     "Window %u of the pause is not silent", i);
    }
  from = (first_on + 1) * window;
  g_array_append_vals (tone, &g_array_index (samples, gint16, from),
                       (first_off - first_on - 2) * window);
  assert_dominant ((gint16 *) tone->data, tone->len, receiver->rate, 1100.0);

  /* The service reports as an RTP session does. */
  ck_assert_uint_gt (receiver_rtcp_packets (receiver), 0);
}
END_TEST

static void
assert_digits (Receiver   *receiver,
               const char *expected)
{
  g_autofree char *got = NULL;

  wait_for (receiver_n_digits (receiver) >= strlen (expected));
  /* Nothing more, no repetition. */
  spin (400);
  got = receiver_digits_string (receiver);
  ck_assert_msg (g_str_equal (got, expected),
                 "Received digits '%s', expected '%s'", got, expected);
}

START_TEST (test_dtmf)
{
  const TestCodec *codec = &test_codecs[_i];
  g_autoptr(Receiver) receiver = receiver_new (codec, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(GArray) samples = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 delay;
  guint packets, from;

  service = service_start (TAPI_SIM_SERVICE_DTMF, "123#",
                           media_for (codec, receiver));
  assert_digits (receiver, "123#");
  ck_assert_uint_gt (receiver_count (receiver, &receiver->event_packets), 4);

  g_mutex_lock (&receiver->lock);
  delay = g_array_index (receiver->digit_times, gint64, 0) - started;
  g_mutex_unlock (&receiver->lock);
  ck_assert_msg (delay >= 400 * G_TIME_SPAN_MILLISECOND,
                 "The first digit came %" G_GINT64_FORMAT " ms after the "
                 "start, expected about 500 ms", delay / 1000);

  /* It stays connected, sending silence. */
  packets = receiver_audio_packets (receiver);
  from = receiver_n_samples (receiver);
  spin (400);
  ck_assert_uint_gt (receiver_audio_packets (receiver), packets + 10);
  samples = receiver_dup_samples (receiver, from);
  ck_assert_uint_gt (samples->len, 0);
  ck_assert_msg (rms ((gint16 *) samples->data, samples->len) < 0.01,
                 "Audio after the digits is not silent");
  ck_assert (tapi_sim_service_is_running (service));
}
END_TEST

/* Without a telephone-event payload the digits are tones in the audio. */
START_TEST (test_dtmf_in_band)
{
  g_autoptr(Receiver) receiver = receiver_new (PCMU, TRUE);
  g_autoptr(GVariantDict) dict = media_dict (PCMU, receiver);
  g_autoptr(TapiSimService) service = NULL;

  g_variant_dict_insert (dict, "telephone-event-payload", "u", 0);
  service = service_start (TAPI_SIM_SERVICE_DTMF, "47*",
                           g_variant_dict_end (dict));

  assert_digits (receiver, "47*");
  ck_assert_uint_eq (receiver_count (receiver, &receiver->event_packets), 0);
}
END_TEST

/* Senders: a 700 Hz tone and digits from a receiver's RTP socket to a
 * service, as a leg sends. */

typedef struct
{
  GstElement *pipeline;
  GstElement *events;
} Sender;

static void
sender_free (Sender *self)
{
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_object_unref (self->pipeline);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sender, sender_free)

static Sender *
sender_new (const TestCodec *codec,
            Receiver        *receiver,
            TapiSimService  *service)
{
  Sender *self = g_new0 (Sender, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) sink = NULL;

  description =
    g_strdup_printf ("audiotestsrc is-live=true freq=700 volume=0.3 "
                     "samplesperbuffer=%u ! "
                     "audio/x-raw,format=S16LE,layout=interleaved,"
                     "rate=%u,channels=1 ! "
                     "%s ! %s pt=%u ! rtpdtmfmux name=mux ssrc=%u ! "
                     "udpsink name=sink host=127.0.0.1 port=%u "
                     "close-socket=false async=false "
                     "rtpdtmfsrc name=events pt=%u clock-rate=%u ! "
                     "mux.priority_sink_0",
                     codec->audio_rate / 50, codec->audio_rate,
                     codec->encoder, codec->payloader, codec->payload_type,
                     SENDER_SSRC, tapi_sim_service_get_rtp_port (service),
                     codec->event_payload_type, codec->clock_rate);
  self->pipeline = gst_parse_launch (description, &error);
  assert_no_error (&error);
  sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  g_object_set (sink, "socket", receiver->rtp_socket, NULL);
  /* The pipeline keeps it. */
  self->events = gst_bin_get_by_name (GST_BIN (self->pipeline), "events");
  gst_object_unref (self->events);
  ck_assert_int_ne (gst_element_set_state (self->pipeline, GST_STATE_PLAYING),
                    GST_STATE_CHANGE_FAILURE);
  return self;
}

static void
sender_event (Sender   *self,
              gboolean  start,
              int       number)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->events, "src");
  GstStructure *structure;
  GstEvent *event;

  structure = gst_structure_new ("dtmf-event",
                                 "type", G_TYPE_INT, 1,
                                 "start", G_TYPE_BOOLEAN, start,
                                 NULL);
  if (start)
    gst_structure_set (structure,
                       "number", G_TYPE_INT, number,
                       "volume", G_TYPE_INT, 10,
                       NULL);
  event = gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, structure);
  ck_assert (gst_pad_send_event (pad, event));
}

START_TEST (test_echo)
{
  static const int events[] = { 1, 5, 9, 11 };
  const TestCodec *codec = &test_codecs[_i];
  g_autoptr(Receiver) receiver = receiver_new (codec, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(Sender) sender = NULL;

  service = service_start (TAPI_SIM_SERVICE_ECHO, NULL,
                           media_for (codec, receiver));
  sender = sender_new (codec, receiver, service);

  /* The echo answers with silence, then with what it hears, from its
   * own source. */
  wait_for (receiver_n_samples (receiver) >= receiver->rate);
  receiver_assert_tone (receiver, 700.0, 500);
  ck_assert_uint_ne (receiver_ssrc (receiver), SENDER_SSRC);
  ck_assert_uint_eq (receiver_ssrc_changes (receiver), 0);

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      sender_event (sender, TRUE, events[i]);
      spin (100);
      sender_event (sender, FALSE, 0);
      spin (150);
    }
  assert_digits (receiver, "159#");
  ck_assert (tapi_sim_service_is_running (service));
}
END_TEST

/* After a handoff the far end's pipeline restarts with another SSRC. */
START_TEST (test_echo_new_sender)
{
  g_autoptr(Receiver) receiver = receiver_new (PCMU, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) second = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autofree char *description = NULL;
  Sender *sender;

  service = service_start (TAPI_SIM_SERVICE_ECHO, NULL,
                           media_for (PCMU, receiver));
  sender = sender_new (PCMU, receiver, service);
  wait_for (receiver_n_samples (receiver) >= receiver->rate);
  receiver_assert_tone (receiver, 700.0, 300);
  sender_free (sender);

  description =
    g_strdup_printf ("audiotestsrc is-live=true freq=400 volume=0.3 "
                     "samplesperbuffer=160 ! "
                     "audio/x-raw,format=S16LE,rate=8000,channels=1 ! "
                     "mulawenc ! rtppcmupay pt=0 ssrc=%u ! "
                     "udpsink name=sink host=127.0.0.1 port=%u "
                     "close-socket=false async=false",
                     SENDER_SSRC + 1, tapi_sim_service_get_rtp_port (service));
  second = gst_parse_launch (description, &error);
  assert_no_error (&error);
  sink = gst_bin_get_by_name (GST_BIN (second), "sink");
  g_object_set (sink, "socket", receiver->rtp_socket, NULL);
  ck_assert_int_ne (gst_element_set_state (second, GST_STATE_PLAYING),
                    GST_STATE_CHANGE_FAILURE);

  spin (500);
  receiver_assert_tone (receiver, 400.0, 300);
  gst_element_set_state (second, GST_STATE_NULL);
}
END_TEST

/* Payload types that were not negotiated, and what is not RTP at all, do
 * not disturb the echo. */
START_TEST (test_echo_ignores_other_payloads)
{
  static const char garbage[] = "not RTP at all";
  g_autoptr(Receiver) receiver = receiver_new (PCMU, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(Sender) sender = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) target = NULL;
  g_autoptr(GError) error = NULL;
  /* Comfort noise, payload type 13 */
  guint8 packet[172] = { 0x80, 13, 0, 1, 0, 0, 0, 160, 1, 2, 3, 4 };

  service = service_start (TAPI_SIM_SERVICE_ECHO, NULL,
                           media_for (PCMU, receiver));
  sender = sender_new (PCMU, receiver, service);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  target = g_inet_socket_address_new (loopback,
                                      tapi_sim_service_get_rtp_port (service));

  wait_for (receiver_n_samples (receiver) >= receiver->rate);
  for (guint i = 0; i < 20; i++)
    {
      g_socket_send_to (receiver->rtcp_socket, target, (const char *) packet,
                        sizeof (packet), NULL, &error);
      assert_no_error (&error);
      g_socket_send_to (receiver->rtcp_socket, target, garbage,
                        sizeof (garbage), NULL, &error);
      assert_no_error (&error);
      spin (10);
    }
  receiver_assert_tone (receiver, 700.0, 300);
  ck_assert (tapi_sim_service_is_running (service));
}
END_TEST

START_TEST (test_retarget)
{
  g_autoptr(Receiver) first = receiver_new (PCMU, FALSE);
  g_autoptr(Receiver) second = receiver_new (PCMU, FALSE);
  g_autoptr(Receiver) third = receiver_new (OPUS, FALSE);
  g_autoptr(TapiSimService) service = NULL;

  service = service_start (TAPI_SIM_SERVICE_TONE, NULL,
                           media_for (PCMU, first));
  wait_for (receiver_n_samples (first) >= first->rate / 4);
  receiver_assert_tone (first, 1000.0, 300);
  ck_assert_uint_eq (receiver_audio_packets (second), 0);

  /* Same codec, another far end: the stream moves on. */
  restart (service, PCMU, second);
  wait_for (receiver_n_samples (second) >= second->rate / 4);
  receiver_assert_tone (second, 1000.0, 300);
  assert_quiet (first);
  ck_assert_uint_eq (receiver_ssrc (second), receiver_ssrc (first));

  /* Another codec too. */
  restart (service, OPUS, third);
  wait_for (receiver_n_samples (third) >= third->rate / 4);
  receiver_assert_tone (third, 1000.0, 300);
  assert_quiet (second);
}
END_TEST

/* A re-targeted DTMF service does not start its digits over. */
START_TEST (test_retarget_dtmf)
{
  g_autoptr(Receiver) first = receiver_new (PCMU, FALSE);
  g_autoptr(Receiver) second = receiver_new (PCMU, FALSE);
  g_autoptr(TapiSimService) service = NULL;

  service = service_start (TAPI_SIM_SERVICE_DTMF, "12",
                           media_for (PCMU, first));
  assert_digits (first, "12");
  restart (service, PCMU, second);
  wait_for (receiver_audio_packets (second) > 25);
  spin (600);
  ck_assert_uint_eq (receiver_n_digits (second), 0);
}
END_TEST

START_TEST (test_direction)
{
  g_autoptr(Receiver) receiver = receiver_new (PCMA, FALSE);
  g_autoptr(GVariantDict) dict = media_dict (PCMA, receiver);
  g_autoptr(TapiSimService) service = NULL;

  g_variant_dict_insert (dict, "direction", "s", "inactive");
  service = service_start (TAPI_SIM_SERVICE_TONE, NULL,
                           g_variant_dict_end (dict));
  spin (500);
  ck_assert_uint_eq (receiver_audio_packets (receiver), 0);

  restart (service, PCMA, receiver);
  wait_for (receiver_n_samples (receiver) >= receiver->rate / 4);
  receiver_assert_tone (receiver, 1000.0, 300);
}
END_TEST

START_TEST (test_stop_and_restart)
{
  g_autoptr(Receiver) receiver = receiver_new (PCMU, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  guint rtp_port, packets;

  service = service_start (TAPI_SIM_SERVICE_TONE, NULL,
                           media_for (PCMU, receiver));
  rtp_port = tapi_sim_service_get_rtp_port (service);
  wait_for (receiver_audio_packets (receiver) > 10);

  tapi_sim_service_stop (service);
  ck_assert (!tapi_sim_service_is_running (service));
  ck_assert_ptr_null (tapi_sim_service_get_pipeline (service));
  assert_quiet (receiver);
  tapi_sim_service_stop (service);

  /* The same sockets again. */
  packets = receiver_audio_packets (receiver);
  restart (service, PCMU, receiver);
  ck_assert_uint_eq (tapi_sim_service_get_rtp_port (service), rtp_port);
  wait_for (receiver_audio_packets (receiver) > packets + 10);
  receiver_assert_tone (receiver, 1000.0, 300);
}
END_TEST

/* Finalizing a running service stops it and frees its ports. */
START_TEST (test_finalize_running)
{
  g_autoptr(Receiver) receiver = receiver_new (G722, FALSE);
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  TapiSimService *service;
  guint rtp_port;

  service = service_start (TAPI_SIM_SERVICE_ECHO, NULL,
                           media_for (G722, receiver));
  rtp_port = tapi_sim_service_get_rtp_port (service);
  wait_for (receiver_audio_packets (receiver) > 10);
  g_object_unref (service);
  assert_quiet (receiver);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, &error);
  assert_no_error (&error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, rtp_port);
  ck_assert (g_socket_bind (socket, address, FALSE, &error));
  assert_no_error (&error);
}
END_TEST

/* A pipeline error stops the service, quietly and for good. */
START_TEST (test_pipeline_error)
{
  g_autoptr(Receiver) receiver = receiver_new (PCMU, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  g_autoptr(GError) failure = NULL;
  GstElement *pipeline;
  guint packets;

  service = service_start (TAPI_SIM_SERVICE_DTMF, "0",
                           media_for (PCMU, receiver));
  pipeline = tapi_sim_service_get_pipeline (service);
  ck_assert_ptr_nonnull (pipeline);
  wait_for (receiver_audio_packets (receiver) > 10);

  failure = g_error_new_literal (GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
                                 "Simulated failure");
  gst_element_post_message (pipeline,
                            gst_message_new_error (GST_OBJECT (pipeline),
                                                   failure, "test"));
  wait_for (!tapi_sim_service_is_running (service));
  ck_assert_ptr_null (tapi_sim_service_get_pipeline (service));
  assert_quiet (receiver);

  /* It can run again. */
  packets = receiver_audio_packets (receiver);
  restart (service, PCMU, receiver);
  wait_for (receiver_audio_packets (receiver) > packets + 10);
}
END_TEST

START_TEST (test_invalid_service)
{
  static const struct
  {
    TapiSimServiceKind  kind;
    const char         *digits;
  } invalid[] = {
    { (TapiSimServiceKind) 42, NULL },
    { (TapiSimServiceKind) -1, NULL },
    { TAPI_SIM_SERVICE_DTMF, "12x" },
    { TAPI_SIM_SERVICE_DTMF, "1 2" },
    { TAPI_SIM_SERVICE_DTMF, "" },
    { TAPI_SIM_SERVICE_DTMF, NULL },
  };
  g_autoptr(GError) error = NULL;
  TapiSimService *service;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      service = tapi_sim_service_new (invalid[i].kind, invalid[i].digits,
                                      &error);
      ck_assert_msg (service == NULL, "Service %u was created", i);
      assert_tapi_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
    }

  /* Every digit of the service numbers is fine; other kinds ignore them. */
  service = tapi_sim_service_new (TAPI_SIM_SERVICE_DTMF, "0123456789*#ABCD",
                                  &error);
  assert_no_error (&error);
  g_clear_object (&service);
  service = tapi_sim_service_new (TAPI_SIM_SERVICE_TONE, "not digits", &error);
  assert_no_error (&error);
  g_clear_object (&service);
}
END_TEST

static void
assert_start_fails (TapiSimService *service,
                    GVariant       *media,
                    TapiError       expected,
                    const char     *what)
{
  g_autoptr(GError) error = NULL;
  gboolean running = tapi_sim_service_is_running (service);

  ck_assert_msg (!tapi_sim_service_start (service, media, &error),
                 "%s was accepted", what);
  ck_assert_msg (error != NULL, "%s gave no error", what);
  ck_assert_msg (error->domain == TAPI_ERROR && error->code == (int) expected,
                 "%s: expected TAPI_ERROR %d, got %s %d: %s", what,
                 (int) expected, g_quark_to_string (error->domain),
                 error->code, error->message);
  /* Bad media leave the service as it was. */
  ck_assert_int_eq (tapi_sim_service_is_running (service), running);
}

static void
assert_bad_media (TapiSimService *service)
{
  static const char * const required[] = {
    "remote-address", "remote-rtp-port", "remote-rtcp-port",
    "encoding-name", "payload-type", "clock-rate",
  };
  /* Valid PCMU media with one value replaced (GVariant text format) */
  static const struct
  {
    const char *key;
    const char *value;
    TapiError   expected;
  } invalid[] = {
    { "remote-rtp-port", "'5004'", TAPI_ERROR_INVALID_ARGUMENT },
    { "payload-type", "int32 0", TAPI_ERROR_INVALID_ARGUMENT },
    { "remote-rtp-port", "uint32 0", TAPI_ERROR_INVALID_ARGUMENT },
    { "remote-rtcp-port", "uint32 70000", TAPI_ERROR_INVALID_ARGUMENT },
    { "remote-address", "'localhost:5'", TAPI_ERROR_INVALID_ARGUMENT },
    { "remote-address", "'::1'", TAPI_ERROR_INVALID_ARGUMENT },
    { "payload-type", "uint32 128", TAPI_ERROR_INVALID_ARGUMENT },
    /* the telephone events' payload type */
    { "payload-type", "uint32 101", TAPI_ERROR_INVALID_ARGUMENT },
    { "clock-rate", "uint32 16000", TAPI_ERROR_INVALID_ARGUMENT },
    { "direction", "'sideways'", TAPI_ERROR_INVALID_ARGUMENT },
    { "encoding-name", "'G729'", TAPI_ERROR_NOT_SUPPORTED },
    { "encoding-name", "''", TAPI_ERROR_NOT_SUPPORTED },
  };

  assert_start_fails (service, NULL, TAPI_ERROR_INVALID_ARGUMENT,
                      "NULL media");
  assert_start_fails (service, g_variant_new_string ("PCMU"),
                      TAPI_ERROR_INVALID_ARGUMENT, "A string as media");
  assert_start_fails (service, g_variant_new ("a{sv}", NULL),
                      TAPI_ERROR_INVALID_ARGUMENT, "Empty media");

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(GVariantDict) dict = media_dict (PCMU, NULL);
      g_autofree char *what = g_strdup_printf ("Media without %s",
                                               required[i]);

      g_variant_dict_remove (dict, required[i]);
      assert_start_fails (service, g_variant_dict_end (dict),
                          TAPI_ERROR_INVALID_ARGUMENT, what);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GVariantDict) dict = media_dict (PCMU, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("%s %s", invalid[i].key,
                                               invalid[i].value);
      g_autoptr(GVariant) value = g_variant_parse (NULL, invalid[i].value,
                                                   NULL, NULL, &error);

      assert_no_error (&error);
      g_variant_dict_insert_value (dict, invalid[i].key, value);
      assert_start_fails (service, g_variant_dict_end (dict),
                          invalid[i].expected, what);
    }
}

START_TEST (test_invalid_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Receiver) receiver = receiver_new (PCMU, FALSE);
  g_autoptr(TapiSimService) service = NULL;
  guint packets;

  service = tapi_sim_service_new (TAPI_SIM_SERVICE_TONE, NULL, &error);
  assert_no_error (&error);
  assert_bad_media (service);
  ck_assert (!tapi_sim_service_is_running (service));

  /* A running service keeps running on its media. */
  restart (service, PCMU, receiver);
  assert_bad_media (service);
  ck_assert (tapi_sim_service_is_running (service));
  packets = receiver_audio_packets (receiver);
  wait_for (receiver_audio_packets (receiver) > packets + 10);
  receiver_assert_tone (receiver, 1000.0, 300);
}
END_TEST

static Suite *
sim_service_suite (void)
{
  Suite *suite = suite_create ("sim-service");
  TCase *tc;

  tc = tcase_create ("basics");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, TEST_TIMEOUT_S);
  tcase_add_test (tc, test_ports);
  tcase_add_test (tc, test_invalid_service);
  tcase_add_test (tc, test_invalid_media);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("kinds");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, TEST_TIMEOUT_S);
  tcase_add_loop_test (tc, test_tone, 0, G_N_ELEMENTS (test_codecs));
  tcase_add_loop_test (tc, test_silence, 0, G_N_ELEMENTS (test_codecs));
  tcase_add_loop_test (tc, test_fax, 0, G_N_ELEMENTS (test_codecs));
  tcase_add_loop_test (tc, test_dtmf, 0, G_N_ELEMENTS (test_codecs));
  tcase_add_test (tc, test_dtmf_in_band);
  tcase_add_loop_test (tc, test_echo, 0, G_N_ELEMENTS (test_codecs));
  tcase_add_test (tc, test_echo_new_sender);
  tcase_add_test (tc, test_echo_ignores_other_payloads);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("lifecycle");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, TEST_TIMEOUT_S);
  tcase_add_test (tc, test_retarget);
  tcase_add_test (tc, test_retarget_dtmf);
  tcase_add_test (tc, test_direction);
  tcase_add_test (tc, test_stop_and_restart);
  tcase_add_test (tc, test_finalize_running);
  tcase_add_test (tc, test_pipeline_error);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  SRunner *runner;
  int failed;

  /* A warning or a critical anywhere, GStreamer included, fails the
   * test. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING |
                          G_LOG_LEVEL_CRITICAL);

  runner = srunner_create (sim_service_suite ());
  srunner_run_all (runner, CK_ENV);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
