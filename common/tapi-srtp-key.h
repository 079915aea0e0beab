/* tapi-srtp-key.h: SRTP crypto suites and master keys (RFC 4568)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* AES_CM_128: a 128-bit master key and a 112-bit master salt. */
#define TAPI_SRTP_KEY_LENGTH 30

/* One SDES crypto suite and the libsrtp parameters it stands for. */
typedef struct
{
  const char *name;          /* as a=crypto writes it */
  const char *rtp_cipher;    /* nicks of srtpenc's enums */
  const char *rtp_auth;
  const char *rtcp_cipher;
  const char *rtcp_auth;
} TapiSrtpSuite;

const TapiSrtpSuite *tapi_srtp_suite_find   (const char  *name);
const TapiSrtpSuite *tapi_srtp_suite_nth    (guint        index);
char                *tapi_srtp_key_new      (GError     **error);
gboolean             tapi_srtp_key_decode   (const char  *key,
                                             guint8       out[TAPI_SRTP_KEY_LENGTH]);

G_END_DECLS
