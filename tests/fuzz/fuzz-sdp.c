/* fuzz-sdp.c: the SIP provider's SDP offer/answer on any remote SDP
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: one byte of choices (which codecs we offer, whose preference
 * wins, the direction we want, whether SRTP is on), then the remote SDP.
 */

#include "config.h"

#include <string.h>

#include "tapi-error.h"
#include "tapi-sip-sdp.h"

#include "fuzz-common.h"

static const char * const codec_lists[][5] = {
  { "PCMU", "PCMA", "G722", "OPUS", NULL },
  { "OPUS", "G722", NULL },
  { "PCMA", NULL },
  { "G722", "PCMU", NULL },
};

static const char * const directions[] = { "sendrecv", "sendonly", "recvonly", "inactive" };

/* Fixed keys: the fuzzer must not depend on the random source. */
static const TapiSipSdpCrypto crypto[] = {
  { 1, "AES_CM_128_HMAC_SHA1_80", "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz" },
  { 2, "AES_CM_128_HMAC_SHA1_32", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk" },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  TapiSipSdpMedia media = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  const char * const *codecs;
  const char *wanted;
  gboolean ours_first;
  gboolean srtp;

  if (size < 1)
    return 0;
  codecs = codec_lists[data[0] & 3];
  ours_first = (data[0] >> 2) & 1;
  wanted = directions[(data[0] >> 3) & 3];
  srtp = (data[0] >> 5) & 1;

  /* What we offer must be SDP we accept back. */
  offer = tapi_sip_sdp_offer ("127.0.0.1", 40000, 40001, codecs, wanted, 1, 1,
                              srtp && (data[0] >> 6) & 1, srtp ? crypto : NULL,
                              srtp ? G_N_ELEMENTS (crypto) : 0);
  g_assert_nonnull (offer);

  if (tapi_sip_sdp_parse ((const char *) data + 1, size - 1, codecs, ours_first, srtp,
                          &media, &error))
    {
      g_autofree char *answer = NULL;
      g_autoptr(GVariant) variant = NULL;
      TapiSipSdpMedia again = { 0 };
      g_autoptr(GError) again_error = NULL;
      const char *direction;

      g_assert_nonnull (media.codec);
      g_assert_no_error (error);
      g_assert_true (!media.savp || media.crypto_suite != NULL);
      g_assert_true (srtp || media.crypto_suite == NULL);
      direction = tapi_sip_sdp_combine_direction (wanted,
                                                  tapi_sip_sdp_reverse_direction (media.direction));
      answer = tapi_sip_sdp_answer ("127.0.0.1", 40002, 40003, &media,
                                    direction, 2, 1,
                                    media.crypto_suite ? &crypto[0] : NULL);
      g_assert_nonnull (answer);
      variant = g_variant_ref_sink (tapi_sip_sdp_media_variant (&media, 40002, 40003, direction,
                                                                crypto[0].key));
      g_assert_nonnull (variant);

      /* The far end parses our answer the same way. */
      if (!tapi_sip_sdp_parse (answer, strlen (answer), codecs, TRUE, srtp,
                               &again, &again_error))
        g_error ("Our answer does not parse: %s\n%s", again_error->message,
                 answer);
      g_assert_true ((again.crypto_suite != NULL) ==
                     (media.crypto_suite != NULL));
      tapi_sip_sdp_media_clear (&again);
    }
  else
    {
      g_assert_error (error, TAPI_ERROR, error->code);
    }
  tapi_sip_sdp_media_clear (&media);
  return 0;
}
