/* tapi-srtp.c: SRTP in a call's rtpbin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include "tapi-error.h"
#include "tapi-srtp.h"
#include "tapi-srtp-key.h"

/* An encrypted call's media (RFC 3711) is protected in the call's rtpbin:
 * rtpbin asks for an encoder when it sends RTP or RTCP and for a decoder
 * when it receives them (its request-rtp-encoder, …-decoder signals), and
 * gets srtpenc and srtpdec, one of each per pipeline and shared by RTP
 * and RTCP. The master keys come with the call's media description: the
 * encoder takes this side's, the decoder the peer's. Neither is logged. */

static void
unref_element (gpointer element)
{
  gst_object_unref (element);
}

/* Every answer to a request is a reference of its own: rtpbin drops one
 * for each when it lets the element go. */
static GstElement *
request_element_cb (GstElement *rtpbin,
                    guint       session,
                    gpointer    user_data)
{
  return session == 0 ? gst_object_ref (user_data) : NULL;
}

/* @rtpbin takes @element (owned) as its RTP and RTCP @kind. */
static void
offer_element (GstElement *rtpbin,
               GstElement *element,
               const char *kind)
{
  g_autofree char *data_key = g_strdup_printf ("tapi-srtp-%s", kind);
  g_autofree char *rtp_signal = g_strdup_printf ("request-rtp-%s", kind);
  g_autofree char *rtcp_signal = g_strdup_printf ("request-rtcp-%s", kind);

  g_object_set_data_full (G_OBJECT (rtpbin), data_key, element, unref_element);
  g_signal_connect_object (rtpbin, rtp_signal, G_CALLBACK (request_element_cb),
                           element, 0);
  g_signal_connect_object (rtpbin, rtcp_signal, G_CALLBACK (request_element_cb),
                           element, 0);
}

static gboolean
srtp_error (GError    **error,
            const char *what)
{
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
               "The call's SRTP %s is not usable", what);
  return FALSE;
}

/* A new @factory element (owned, not floating) for @suite_name, and the
 * master key as a buffer. */
static GstElement *
make_element (const char           *factory,
              const char           *suite_name,
              const char           *key,
              const TapiSrtpSuite **suite,
              GstBuffer           **key_buffer,
              GError              **error)
{
  guint8 raw[TAPI_SRTP_KEY_LENGTH];
  GstElement *element;

  *suite = tapi_srtp_suite_find (suite_name);
  if (*suite == NULL || !tapi_srtp_key_decode (key, raw))
    {
      srtp_error (error, *suite ? "master key" : "crypto suite");
      return NULL;
    }
  element = gst_element_factory_make (factory, NULL);
  if (element == NULL)
    {
      explicit_bzero (raw, sizeof raw);
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "The GStreamer element %s is not installed", factory);
      return NULL;
    }
  *key_buffer = gst_buffer_new_memdup (raw, sizeof raw);
  explicit_bzero (raw, sizeof raw);
  return gst_object_ref_sink (element);
}

static gboolean
set_enum_by_nick (GObject    *object,
                  const char *property,
                  const char *nick)
{
  GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (object),
                                                   property);
  GEnumValue *value;

  if (spec == NULL || !G_IS_PARAM_SPEC_ENUM (spec))
    return FALSE;
  value = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (spec)->enum_class, nick);
  if (value == NULL)
    return FALSE;
  g_object_set (object, property, value->value, NULL);
  return TRUE;
}

/* rtpbin of a pipeline that sends RTP, RTCP or both. */
gboolean
tapi_srtp_add_encoder (GstElement  *rtpbin,
                       const char  *suite_name,
                       const char  *key,
                       GError     **error)
{
  const TapiSrtpSuite *suite;
  GstElement *encoder;
  GstBuffer *buffer;

  if (!(encoder = make_element ("srtpenc", suite_name, key, &suite, &buffer,
                                error)))
    return FALSE;
  g_object_set (encoder, "key", buffer, NULL);
  gst_buffer_unref (buffer);
  if (!set_enum_by_nick (G_OBJECT (encoder), "rtp-cipher", suite->rtp_cipher) ||
      !set_enum_by_nick (G_OBJECT (encoder), "rtp-auth", suite->rtp_auth) ||
      !set_enum_by_nick (G_OBJECT (encoder), "rtcp-cipher",
                         suite->rtcp_cipher) ||
      !set_enum_by_nick (G_OBJECT (encoder), "rtcp-auth", suite->rtcp_auth))
    {
      gst_object_unref (encoder);
      return srtp_error (error, "crypto suite");
    }

  /* rtpbin takes the pads of session 0 as they are: they must be there. */
  {
    g_autoptr(GstPad) rtp_sink = gst_element_request_pad_simple (encoder,
                                                                  "rtp_sink_0");
    g_autoptr(GstPad) rtcp_sink =
      gst_element_request_pad_simple (encoder, "rtcp_sink_0");

    if (rtp_sink == NULL || rtcp_sink == NULL)
      {
        gst_object_unref (encoder);
        return srtp_error (error, "encoder");
      }
  }

  offer_element (rtpbin, encoder, "encoder");
  return TRUE;
}

/* The peer's key, for every SSRC it sends from (streaming thread). */
static GstCaps *
request_key_cb (GstElement *decoder,
                guint       ssrc,
                gpointer    user_data)
{
  return gst_caps_copy (user_data);
}

/* rtpbin of a pipeline that receives RTP and RTCP from @rtp_source and
 * @rtcp_source, whose caps say that the packets are SRTP and SRTCP. */
gboolean
tapi_srtp_add_decoder (GstElement  *rtpbin,
                       GstElement  *rtp_source,
                       GstElement  *rtcp_source,
                       const char  *suite_name,
                       const char  *key,
                       GError     **error)
{
  const TapiSrtpSuite *suite;
  g_autoptr(GstCaps) rtp_caps = NULL;
  g_autoptr(GstCaps) rtcp_caps = NULL;
  GstCaps *key_caps;
  GstElement *decoder;
  GstBuffer *buffer;

  if (!(decoder = make_element ("srtpdec", suite_name, key, &suite, &buffer,
                                error)))
    return FALSE;
  key_caps = gst_caps_new_simple ("application/x-srtp",
                                  "srtp-key", GST_TYPE_BUFFER, buffer,
                                  "srtp-cipher", G_TYPE_STRING, suite->rtp_cipher,
                                  "srtp-auth", G_TYPE_STRING, suite->rtp_auth,
                                  "srtcp-cipher", G_TYPE_STRING, suite->rtcp_cipher,
                                  "srtcp-auth", G_TYPE_STRING, suite->rtcp_auth,
                                  NULL);
  gst_buffer_unref (buffer);
  g_object_set_data_full (G_OBJECT (decoder), "tapi-srtp-key", key_caps,
                          (GDestroyNotify) gst_caps_unref);
  g_signal_connect (decoder, "request-key", G_CALLBACK (request_key_cb),
                    key_caps);

  rtp_caps = gst_caps_new_simple ("application/x-srtp", "media", G_TYPE_STRING,
                                  "audio", NULL);
  rtcp_caps = gst_caps_new_empty_simple ("application/x-srtcp");
  g_object_set (rtp_source, "caps", rtp_caps, NULL);
  g_object_set (rtcp_source, "caps", rtcp_caps, NULL);

  offer_element (rtpbin, decoder, "decoder");
  return TRUE;
}
