/* tapi-codec.h: the audio codecs libtapi3 carries over RTP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One codec: its SDP description and the GStreamer elements that make
 * and read it. */
typedef struct
{
  const char *name;             /* SDP encoding name */
  guint       payload_type;     /* static, or the default dynamic one */
  guint       clock_rate;       /* of the RTP timestamps */
  guint       audio_rate;       /* of the raw audio */
  guint       channels;         /* as SDP counts them */
  guint       telephone_event;  /* default telephone-event payload at clock_rate */
  const char *encoder;
  const char *payloader;
  const char *depayloader;
  const char *decoder;
} TapiCodec;

const TapiCodec *tapi_codec_find (const char *name);

G_END_DECLS
