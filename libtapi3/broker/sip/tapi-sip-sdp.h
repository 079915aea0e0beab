/* tapi-sip-sdp.h: SDP offers and answers of the SIP provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-codec.h"

G_BEGIN_DECLS

/* The audio stream one side of a call described. */
typedef struct
{
  const TapiCodec *codec;
  guint            payload_type;
  guint            telephone_event;   /* 0: none */
  char            *address;
  guint            rtp_port;
  guint            rtcp_port;
  const char      *direction;         /* as that side wrote it */
  /* Of an offer: its m= lines as "media proto format", to be answered
   * in the same order; the audio stream is the one at index. */
  char           **offered;
  guint            index;
  /* SDES (RFC 4568): whether the stream is RTP/SAVP, and the crypto
   * line taken from it (crypto_suite NULL: none). */
  gboolean         savp;
  guint            crypto_tag;
  const char      *crypto_suite;
  char            *crypto_key;
} TapiSipSdpMedia;

/* One a=crypto line this side writes. */
typedef struct
{
  guint       tag;
  const char *suite;
  const char *key;
} TapiSipSdpCrypto;

void        tapi_sip_sdp_media_clear      (TapiSipSdpMedia     *media);

char       *tapi_sip_sdp_offer            (const char          *address,
                                           guint                rtp_port,
                                           guint                rtcp_port,
                                           const char * const  *codecs,
                                           const char          *direction,
                                           guint64              session_id,
                                           guint                version,
                                           gboolean             savp,
                                           const TapiSipSdpCrypto *crypto,
                                           guint                n_crypto);
gboolean    tapi_sip_sdp_parse            (const char          *text,
                                           gsize                length,
                                           const char * const  *codecs,
                                           gboolean             ours_first,
                                           gboolean             accept_savp,
                                           TapiSipSdpMedia     *media,
                                           GError             **error);
char       *tapi_sip_sdp_answer           (const char          *address,
                                           guint                rtp_port,
                                           guint                rtcp_port,
                                           const TapiSipSdpMedia *remote,
                                           const char          *direction,
                                           guint64              session_id,
                                           guint                version,
                                           const TapiSipSdpCrypto *crypto);

gboolean    tapi_sip_sdp_same_family      (const char          *address,
                                           const char          *local);
const char *tapi_sip_sdp_reverse_direction (const char         *direction);
const char *tapi_sip_sdp_combine_direction (const char         *wanted,
                                            const char         *allowed);
GVariant   *tapi_sip_sdp_media_variant    (const TapiSipSdpMedia *remote,
                                           guint                local_rtp_port,
                                           guint                local_rtcp_port,
                                           const char          *direction,
                                           const char          *send_key);

G_END_DECLS
