/* tapi-sip-sdp.c: SDP offers and answers of the SIP provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-SIP"

#include <stdlib.h>
#include <string.h>

#include <gst/sdp/sdp.h>

#include "tapi-error.h"
#include "tapi-sip-sdp.h"
#include "tapi-srtp-key.h"

/* SDP is built and read with GstSDPMessage. The provider offers one audio
 * stream (RTP/AVP) with the account's codecs in preference order and a
 * telephone-event format for every clock rate among them; an answer keeps
 * one codec and its telephone-event format. */

static const char * const directions[] = { "sendrecv", "sendonly", "recvonly", "inactive" };

/* The payload types RFC 3551 gives a name without an rtpmap. */
static const struct
{
  guint       payload_type;
  const char *name;
  guint       clock_rate;
} static_types[] = {
  { 0, "PCMU", 8000 },
  { 8, "PCMA", 8000 },
  { 9, "G722", 8000 },
};

void
tapi_sip_sdp_media_clear (TapiSipSdpMedia *media)
{
  g_clear_pointer (&media->address, g_free);
  g_clear_pointer (&media->offered, g_strfreev);
  if (media->crypto_key)
    explicit_bzero (media->crypto_key, strlen (media->crypto_key));
  g_clear_pointer (&media->crypto_key, g_free);
  memset (media, 0, sizeof *media);
}

static const char *
sdp_encoding_name (const TapiCodec *codec)
{
  /* RFC 7587 writes Opus in lower case; peers compare without case. */
  return g_str_equal (codec->name, "OPUS") ? "opus" : codec->name;
}

static const char *
address_type (const char *address)
{
  return strchr (address, ':') ? "IP6" : "IP4";
}

static void
add_rtpmap (GstSDPMedia     *media,
            const TapiCodec *codec,
            guint            payload_type)
{
  g_autofree char *format = g_strdup_printf ("%u", payload_type);
  g_autofree char *rtpmap = NULL;

  if (codec->channels > 1)
    rtpmap = g_strdup_printf ("%u %s/%u/%u", payload_type,
                              sdp_encoding_name (codec), codec->clock_rate,
                              codec->channels);
  else
    rtpmap = g_strdup_printf ("%u %s/%u", payload_type, sdp_encoding_name (codec),
                              codec->clock_rate);
  gst_sdp_media_add_format (media, format);
  gst_sdp_media_add_attribute (media, "rtpmap", rtpmap);
}

static void
add_telephone_event (GstSDPMedia *media,
                     guint        payload_type,
                     guint        clock_rate)
{
  g_autofree char *format = g_strdup_printf ("%u", payload_type);
  g_autofree char *rtpmap = g_strdup_printf ("%u telephone-event/%u",
                                             payload_type, clock_rate);
  g_autofree char *fmtp = g_strdup_printf ("%u 0-16", payload_type);

  gst_sdp_media_add_format (media, format);
  gst_sdp_media_add_attribute (media, "rtpmap", rtpmap);
  gst_sdp_media_add_attribute (media, "fmtp", fmtp);
}

/* a=crypto:TAG SUITE inline:KEY (RFC 4568 9.1) */
static void
add_crypto (GstSDPMedia            *media,
            const TapiSipSdpCrypto *crypto)
{
  g_autofree char *value = g_strdup_printf ("%u %s inline:%s", crypto->tag, crypto->suite,
                                            crypto->key);

  gst_sdp_media_add_attribute (media, "crypto", value);
  explicit_bzero (value, strlen (value));
}

static GstSDPMessage *
new_message (const char *address,
             guint64     session_id,
             guint       version)
{
  GstSDPMessage *message;
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, session_id);
  g_autofree char *version_text = g_strdup_printf ("%u", version);

  gst_sdp_message_new (&message);
  gst_sdp_message_set_version (message, "0");
  gst_sdp_message_set_origin (message, "-", id, version_text, "IN",
                              address_type (address), address);
  gst_sdp_message_set_session_name (message, "libtapi3");
  gst_sdp_message_set_connection (message, "IN", address_type (address),
                                  address, 0, 0);
  gst_sdp_message_add_time (message, "0", "0", NULL);
  return message;
}

/* An m= line of an offer refused in the answer: "media proto format" */
static void
add_refused (GstSDPMessage *message,
             const char    *offered)
{
  g_auto(GStrv) parts = g_strsplit (offered, " ", 3);
  GstSDPMedia *refused;

  gst_sdp_media_new (&refused);
  gst_sdp_media_set_media (refused, parts[0]);
  gst_sdp_media_set_port_info (refused, 0, 1);
  gst_sdp_media_set_proto (refused, parts[1]);
  gst_sdp_media_add_format (refused, parts[2]);
  gst_sdp_message_add_media (message, refused);
  gst_sdp_media_free (refused);
}

static char *
finish_message (GstSDPMessage         *message,
                GstSDPMedia           *media,
                guint                  rtcp_port,
                const char            *direction,
                const TapiSipSdpMedia *remote)
{
  g_autofree char *rtcp = g_strdup_printf ("%u", rtcp_port);
  char *text;

  gst_sdp_media_add_attribute (media, "rtcp", rtcp);
  gst_sdp_media_add_attribute (media, direction, NULL);
  gst_sdp_message_add_media (message, media);
  gst_sdp_media_free (media);
  for (guint i = remote ? remote->index + 1 : 0;
       remote && remote->offered && i < g_strv_length (remote->offered); i++)
    add_refused (message, remote->offered[i]);
  text = gst_sdp_message_as_text (message);
  gst_sdp_message_free (message);
  return text;
}

char *
tapi_sip_sdp_offer (const char         *address,
                    guint               rtp_port,
                    guint               rtcp_port,
                    const char * const *codecs,
                    const char         *direction,
                    guint64             session_id,
                    guint               version,
                    gboolean            savp,
                    const TapiSipSdpCrypto *crypto,
                    guint               n_crypto)
{
  GstSDPMessage *message = new_message (address, session_id, version);
  GstSDPMedia *media;
  g_autoptr(GArray) event_rates = g_array_new (FALSE, FALSE, sizeof (guint));

  gst_sdp_media_new (&media);
  gst_sdp_media_set_media (media, "audio");
  gst_sdp_media_set_port_info (media, rtp_port, 1);
  gst_sdp_media_set_proto (media, savp ? "RTP/SAVP" : "RTP/AVP");

  for (guint i = 0; codecs[i]; i++)
    {
      const TapiCodec *codec = tapi_codec_find (codecs[i]);

      if (codec)
        add_rtpmap (media, codec, codec->payload_type);
    }
  for (guint i = 0; codecs[i]; i++)
    {
      const TapiCodec *codec = tapi_codec_find (codecs[i]);
      gboolean seen = FALSE;

      if (codec == NULL)
        continue;
      for (guint j = 0; j < event_rates->len; j++)
        seen |= g_array_index (event_rates, guint, j) == codec->clock_rate;
      if (seen)
        continue;
      g_array_append_val (event_rates, codec->clock_rate);
      add_telephone_event (media, codec->telephone_event, codec->clock_rate);
    }
  for (guint i = 0; i < n_crypto; i++)
    add_crypto (media, &crypto[i]);

  return finish_message (message, media, rtcp_port, direction, NULL);
}

char *
tapi_sip_sdp_answer (const char            *address,
                     guint                  rtp_port,
                     guint                  rtcp_port,
                     const TapiSipSdpMedia *remote,
                     const char            *direction,
                     guint64                session_id,
                     guint                  version,
                     const TapiSipSdpCrypto *crypto)
{
  GstSDPMessage *message = new_message (address, session_id, version);
  GstSDPMedia *media;

  /* RFC 3264 6: as many m= lines as the offer, those refused with port 0 */
  for (guint i = 0; remote->offered && remote->offered[i] && i < remote->index;
       i++)
    add_refused (message, remote->offered[i]);

  gst_sdp_media_new (&media);
  gst_sdp_media_set_media (media, "audio");
  gst_sdp_media_set_port_info (media, rtp_port, 1);
  gst_sdp_media_set_proto (media, remote->savp ? "RTP/SAVP" : "RTP/AVP");
  add_rtpmap (media, remote->codec, remote->payload_type);
  if (remote->telephone_event)
    add_telephone_event (media, remote->telephone_event,
                         remote->codec->clock_rate);
  if (crypto)
    add_crypto (media, crypto);
  return finish_message (message, media, rtcp_port, direction, remote);
}

/* Reading */

typedef struct
{
  guint       payload_type;
  char       *name;
  guint       clock_rate;
} Format;

static void
format_clear (Format *format)
{
  g_free (format->name);
}

/* The formats of @media with their rtpmap, in the order of the m= line,
 * each payload type once. */
static GArray *
media_formats (const GstSDPMedia *media)
{
  GArray *formats = g_array_new (FALSE, TRUE, sizeof (Format));
  const char *rtpmaps[128] = { NULL };
  gboolean seen[128] = { FALSE };

  g_array_set_clear_func (formats, (GDestroyNotify) format_clear);
  for (guint j = 0; ; j++)
    {
      const char *rtpmap = gst_sdp_media_get_attribute_val_n (media, "rtpmap",
                                                              j);
      char *end = NULL;
      guint64 pt;

      if (rtpmap == NULL)
        break;
      pt = g_ascii_strtoull (rtpmap, &end, 10);
      if (end != rtpmap && pt < G_N_ELEMENTS (rtpmaps) && (*end == ' ' || *end == '\t') &&
          rtpmaps[pt] == NULL)
        rtpmaps[pt] = end;
    }

  for (guint i = 0; i < gst_sdp_media_formats_len (media); i++)
    {
      const char *text = gst_sdp_media_get_format (media, i);
      guint64 payload_type;
      Format format = { 0 };

      if (!g_ascii_string_to_unsigned (text, 10, 0, 127, &payload_type, NULL) ||
          seen[payload_type])
        continue;
      seen[payload_type] = TRUE;
      format.payload_type = payload_type;

      if (rtpmaps[payload_type])
        {
          g_autofree char *copy = g_strdup (rtpmaps[payload_type]);
          g_auto(GStrv) encoding = g_strsplit (g_strstrip (copy), "/", 3);
          guint64 rate;

          if (g_strv_length (encoding) >= 2 &&
              g_ascii_string_to_unsigned (encoding[1], 10, 1, G_MAXUINT32,
                                          &rate, NULL))
            {
              format.name = g_strdup (encoding[0]);
              format.clock_rate = rate;
            }
        }

      if (format.name == NULL)
        for (guint j = 0; j < G_N_ELEMENTS (static_types); j++)
          if (static_types[j].payload_type == format.payload_type)
            {
              format.name = g_strdup (static_types[j].name);
              format.clock_rate = static_types[j].clock_rate;
            }
      if (format.name)
        g_array_append_val (formats, format);
    }
  return formats;
}

static const Format *
find_format (GArray          *formats,
             const TapiCodec *codec)
{
  for (guint i = 0; i < formats->len; i++)
    {
      const Format *format = &g_array_index (formats, Format, i);

      if (g_ascii_strcasecmp (format->name, codec->name) == 0 &&
          format->clock_rate == codec->clock_rate)
        return format;
    }
  return NULL;
}

/* The direction attribute among @n_attributes, NULL if none, "" if more
 * than one disagree. */
static const char *
find_direction (guint                   n_attributes,
                const GstSDPAttribute *(*get) (gconstpointer, guint),
                gconstpointer           owner)
{
  const char *found = NULL;

  for (guint j = 0; j < n_attributes; j++)
    for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
      if (g_str_equal (get (owner, j)->key, directions[i]))
        {
          if (found && found != directions[i])
            return "";
          found = directions[i];
        }
  return found;
}

static const char *
media_direction (const GstSDPMessage *message,
                 const GstSDPMedia   *media)
{
  const char *direction;

  direction = find_direction (gst_sdp_media_attributes_len (media),
                              (gpointer) gst_sdp_media_get_attribute, media);
  if (direction == NULL)
    direction = find_direction (gst_sdp_message_attributes_len (message),
                                (gpointer) gst_sdp_message_get_attribute,
                                message);
  return direction ? direction : "sendrecv";
}

/* Whether @address is a numeric address of @addrtype ("IP4" or "IP6"). */
static gboolean
is_address_of_type (const char *address,
                    const char *addrtype)
{
  g_autoptr(GInetAddress) parsed = g_inet_address_new_from_string (address);
  GSocketFamily family;

  if (parsed == NULL)
    return FALSE;
  family = g_inet_address_get_family (parsed);
  return (family == G_SOCKET_FAMILY_IPV4 && g_strcmp0 (addrtype, "IP4") == 0) ||
         (family == G_SOCKET_FAMILY_IPV6 && g_strcmp0 (addrtype, "IP6") == 0);
}

/* Whether the media address @address can be reached from the local
 * address @local: both of one family (or @local is no numeric address). */
gboolean
tapi_sip_sdp_same_family (const char *address,
                          const char *local)
{
  g_autoptr(GInetAddress) remote = g_inet_address_new_from_string (address);
  g_autoptr(GInetAddress) ours = local ? g_inet_address_new_from_string (local)
                                        : NULL;

  if (remote == NULL)
    return FALSE;
  return ours == NULL ||
         g_inet_address_get_family (remote) == g_inet_address_get_family (ours);
}

/* The first a=crypto of @media that this side can use: a known suite and
 * one inline key without MKI (RFC 4568 9.1); a lifetime is taken as it
 * is, session parameters make the line unusable. */
static gboolean
find_crypto (const GstSDPMedia *media,
             TapiSipSdpMedia   *out)
{
  for (guint i = 0; ; i++)
    {
      const char *value = gst_sdp_media_get_attribute_val_n (media, "crypto",
                                                             i);
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) key_params = NULL;
      const TapiSrtpSuite *suite;
      guint64 tag;

      if (value == NULL)
        return FALSE;
      fields = g_strsplit_set (value, " \t", -1);
      if (g_strv_length (fields) != 3 ||
          !g_ascii_string_to_unsigned (fields[0], 10, 0, 999999999, &tag, NULL) ||
          !(suite = tapi_srtp_suite_find (fields[1])) ||
          !g_str_has_prefix (fields[2], "inline:") ||
          strchr (fields[2], ';'))
        continue;
      key_params = g_strsplit (fields[2] + strlen ("inline:"), "|", -1);
      if (!tapi_srtp_key_decode (key_params[0], NULL) ||
          (key_params[1] && (key_params[2] || strchr (key_params[1], ':'))))
        continue;
      out->crypto_tag = tag;
      out->crypto_suite = suite->name;
      out->crypto_key = g_strdup (key_params[0]);
      explicit_bzero (fields[2], strlen (fields[2]));
      explicit_bzero (key_params[0], strlen (key_params[0]));
      return TRUE;
    }
}

static gboolean
sdp_error (GError    **error,
           const char *message)
{
  g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED, message);
  return FALSE;
}

/* Reads the first audio stream of @text. The codec is the first of
 * @codecs the stream has (@ours_first, when answering) or the first of
 * the stream's formats that is among @codecs (reading an answer). */
gboolean
tapi_sip_sdp_parse (const char         *text,
                    gsize               length,
                    const char * const *codecs,
                    gboolean            ours_first,
                    gboolean            accept_savp,
                    TapiSipSdpMedia    *out,
                    GError            **error)
{
  g_autoptr(GstSDPMessage) message = NULL;
  const GstSDPMedia *media = NULL;
  const GstSDPConnection *connection = NULL;
  g_autoptr(GArray) formats = NULL;
  const Format *chosen = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  const char *direction;
  const char *rtcp;
  guint64 rtcp_port;

  memset (out, 0, sizeof *out);
  if (text == NULL || length == 0)
    return sdp_error (error, "The session description is empty");

  gst_sdp_message_new (&message);
  if (gst_sdp_message_parse_buffer ((const guint8 *) text, length, message) !=
      GST_SDP_OK)
    return sdp_error (error, "The session description cannot be parsed");

  offered =
    g_ptr_array_new_null_terminated (gst_sdp_message_medias_len (message),
                                     g_free, TRUE);
  for (guint i = 0; i < gst_sdp_message_medias_len (message); i++)
    {
      const GstSDPMedia *candidate = gst_sdp_message_get_media (message, i);
      const char *kind = gst_sdp_media_get_media (candidate);
      const char *proto = gst_sdp_media_get_proto (candidate);
      const char *first = gst_sdp_media_get_format (candidate, 0);

      g_ptr_array_add (offered, g_strdup_printf ("%s %s %s", kind ? kind : "-",
                                                 proto ? proto : "-",
                                                 first ? first : "0"));
      if (media == NULL && g_strcmp0 (kind, "audio") == 0 &&
          gst_sdp_media_get_port (candidate) != 0 &&
          (g_strcmp0 (proto, "RTP/AVP") == 0 ||
           (accept_savp && g_strcmp0 (proto, "RTP/SAVP") == 0)))
        {
          media = candidate;
          out->index = i;
          out->savp = g_strcmp0 (proto, "RTP/SAVP") == 0;
        }
    }
  if (media == NULL || gst_sdp_media_get_port (media) > 65535)
    return sdp_error (error, accept_savp ?
                      "The session description has no RTP/AVP or RTP/SAVP audio stream" :
                      "The session description has no RTP/AVP audio stream");

  if (gst_sdp_media_connections_len (media) > 0)
    connection = gst_sdp_media_get_connection (media, 0);
  if (connection == NULL || connection->address == NULL)
    connection = gst_sdp_message_get_connection (message);
  if (connection == NULL || connection->address == NULL ||
      g_strcmp0 (connection->nettype, "IN") != 0)
    return sdp_error (error, "The audio stream has no connection address");
  /* Media goes to a numeric address only: resolving names would block. */
  if (!is_address_of_type (connection->address, connection->addrtype))
    return sdp_error (error,
                      "The audio stream's connection address is no IP address");

  direction = media_direction (message, media);
  if (*direction == '\0')
    return sdp_error (error, "The audio stream has conflicting directions");

  formats = media_formats (media);
  if (ours_first)
    {
      for (guint i = 0; codecs[i] && chosen == NULL; i++)
        {
          const TapiCodec *codec = tapi_codec_find (codecs[i]);

          if (codec && (chosen = find_format (formats, codec)))
            out->codec = codec;
        }
    }
  else
    {
      for (guint i = 0; i < formats->len && chosen == NULL; i++)
        {
          const Format *format = &g_array_index (formats, Format, i);
          const TapiCodec *codec = tapi_codec_find (format->name);

          if (codec && codec->clock_rate == format->clock_rate &&
              g_strv_contains (codecs, codec->name))
            {
              chosen = format;
              out->codec = codec;
            }
        }
    }
  if (chosen == NULL)
    return sdp_error (error, "The audio stream has no codec in common");

  out->payload_type = chosen->payload_type;
  for (guint i = 0; i < formats->len; i++)
    {
      const Format *format = &g_array_index (formats, Format, i);

      if (g_ascii_strcasecmp (format->name, "telephone-event") == 0 &&
          format->clock_rate == out->codec->clock_rate)
        {
          out->telephone_event = format->payload_type;
          break;
        }
    }

  out->rtp_port = gst_sdp_media_get_port (media);
  out->rtcp_port = out->rtp_port + 1;
  rtcp = gst_sdp_media_get_attribute_val (media, "rtcp");
  if (rtcp)
    {
      g_auto(GStrv) parts = g_strsplit (rtcp, " ", 2);

      /* "a=rtcp" with no value is no port either. */
      if (parts[0] == NULL ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, 65535, &rtcp_port,
                                       NULL))
        {
          memset (out, 0, sizeof *out);
          return sdp_error (error,
                            "The audio stream's a=rtcp has no valid port");
        }
      out->rtcp_port = rtcp_port;
    }

  if (accept_savp && !find_crypto (media, out) && out->savp)
    {
      tapi_sip_sdp_media_clear (out);
      return sdp_error (error, "The RTP/SAVP audio stream has no usable a=crypto line");
    }

  out->direction = direction;
  out->offered = (char **) g_ptr_array_steal (offered, NULL);
  /* The RFC 2543 way to hold: nothing is to be sent to 0.0.0.0. */
  if (g_str_equal (connection->address, "0.0.0.0"))
    out->direction = tapi_sip_sdp_combine_direction (out->direction,
                                                     "sendonly");
  out->address = g_strdup (connection->address);
  return TRUE;
}

/* The direction the other side takes to @direction. */
const char *
tapi_sip_sdp_reverse_direction (const char *direction)
{
  if (g_strcmp0 (direction, "sendonly") == 0)
    return "recvonly";
  if (g_strcmp0 (direction, "recvonly") == 0)
    return "sendonly";
  if (g_strcmp0 (direction, "inactive") == 0)
    return "inactive";
  return "sendrecv";
}

/* What is left of @wanted when only @allowed may happen. */
const char *
tapi_sip_sdp_combine_direction (const char *wanted,
                                const char *allowed)
{
  gboolean sends =
    (g_str_equal (wanted, "sendrecv") || g_str_equal (wanted, "sendonly")) &&
    (g_str_equal (allowed, "sendrecv") || g_str_equal (allowed, "sendonly"));
  gboolean receives =
    (g_str_equal (wanted, "sendrecv") || g_str_equal (wanted, "recvonly")) &&
    (g_str_equal (allowed, "sendrecv") || g_str_equal (allowed, "recvonly"));

  if (sends && receives)
    return "sendrecv";
  if (sends)
    return "sendonly";
  if (receives)
    return "recvonly";
  return "inactive";
}

/* The media description of the broker call (see the D-Bus contract):
 * @direction is this side's; with @send_key, the media is SRTP with the
 * remote side's crypto suite and key. */
GVariant *
tapi_sip_sdp_media_variant (const TapiSipSdpMedia *remote,
                            guint                  local_rtp_port,
                            guint                  local_rtcp_port,
                            const char            *direction,
                            const char            *send_key)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "local-rtp-port", "u", local_rtp_port);
  g_variant_dict_insert (&dict, "local-rtcp-port", "u", local_rtcp_port);
  g_variant_dict_insert (&dict, "remote-address", "s", remote->address);
  g_variant_dict_insert (&dict, "remote-rtp-port", "u", remote->rtp_port);
  g_variant_dict_insert (&dict, "remote-rtcp-port", "u", remote->rtcp_port);
  g_variant_dict_insert (&dict, "encoding-name", "s", remote->codec->name);
  g_variant_dict_insert (&dict, "payload-type", "u", remote->payload_type);
  g_variant_dict_insert (&dict, "clock-rate", "u", remote->codec->clock_rate);
  g_variant_dict_insert (&dict, "channels", "u", remote->codec->channels);
  g_variant_dict_insert (&dict, "telephone-event-payload", "u",
                         remote->telephone_event);
  g_variant_dict_insert (&dict, "direction", "s", direction);
  /* SRTP: the key this side sends with, and the peer's. */
  if (send_key && remote->crypto_suite && remote->crypto_key)
    {
      g_variant_dict_insert (&dict, "srtp-suite", "s", remote->crypto_suite);
      g_variant_dict_insert (&dict, "srtp-send-key", "s", send_key);
      g_variant_dict_insert (&dict, "srtp-receive-key", "s",
                             remote->crypto_key);
    }
  return g_variant_dict_end (&dict);
}
