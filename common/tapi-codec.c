/* tapi-codec.c: the audio codecs libtapi3 carries over RTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-codec.h"

static const TapiCodec codecs[] = {
  { "PCMU", 0, 8000, 8000, 1, 101, "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec" },
  { "PCMA", 8, 8000, 8000, 1, 101, "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec" },
  /* G.722 samples at 16 kHz but keeps RFC 3551's 8 kHz RTP clock. */
  { "G722", 9, 8000, 16000, 1, 101, "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722" },
  { "OPUS", 111, 48000, 48000, 2, 110, "opusenc", "rtpopuspay", "rtpopusdepay", "opusdec" },
};

/* The codec of an SDP encoding name, in any case; NULL when unknown. */
const TapiCodec *
tapi_codec_find (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (codecs[i].name, name) == 0)
      return &codecs[i];
  return NULL;
}
