/* tapi-srtp-key.c: SRTP crypto suites and master keys (RFC 4568)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "tapi-srtp-key.h"

/* In order of preference. RFC 4568 6.2: with HMAC_SHA1_32 only SRTP's
 * tag is short, SRTCP keeps 80 bits. */
static const TapiSrtpSuite suites[] = {
  { "AES_CM_128_HMAC_SHA1_80", "aes-128-icm", "hmac-sha1-80", "aes-128-icm", "hmac-sha1-80" },
  { "AES_CM_128_HMAC_SHA1_32", "aes-128-icm", "hmac-sha1-32", "aes-128-icm", "hmac-sha1-80" },
};

const TapiSrtpSuite *
tapi_srtp_suite_find (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (suites); i++)
    if (g_str_equal (suites[i].name, name))
      return &suites[i];
  return NULL;
}

/* The suites one after the other, NULL after the last. */
const TapiSrtpSuite *
tapi_srtp_suite_nth (guint index)
{
  return index < G_N_ELEMENTS (suites) ? &suites[index] : NULL;
}

/* A new master key and salt from the kernel's random source, in the
 * base64 form of a=crypto's inline key. */
char *
tapi_srtp_key_new (GError **error)
{
  guint8 key[TAPI_SRTP_KEY_LENGTH];
  gsize done = 0;
  char *text;

  while (done < sizeof key)
    {
      ssize_t got = getrandom (key + done, sizeof key - done, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "No random bytes for an SRTP key: %s",
                       g_strerror (saved));
          return NULL;
        }
      done += got;
    }
  text = g_base64_encode (key, sizeof key);
  explicit_bzero (key, sizeof key);
  return text;
}

/* Whether @key is the base64 form of exactly one master key and salt. */
gboolean
tapi_srtp_key_decode (const char *key,
                      guint8      out[TAPI_SRTP_KEY_LENGTH])
{
  g_autofree guchar *raw = NULL;
  gsize length = 0;
  gboolean ok;

  /* 30 bytes are 40 characters of base64, without padding. */
  if (key == NULL || strlen (key) != 40 || strspn (key,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") != 40)
    return FALSE;
  raw = g_base64_decode (key, &length);
  ok = length == TAPI_SRTP_KEY_LENGTH;
  if (ok && out)
    memcpy (out, raw, TAPI_SRTP_KEY_LENGTH);
  if (raw)
    explicit_bzero (raw, length);
  return ok;
}
