/* tapi-media-detector.c: detects fax and modem tones in received audio
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "tapi-media-detector.h"

/* A fax machine that calls announces itself with the CNG tone (1100 Hz,
 * 0.5 s on, 3 s off); a modem that answers with the ANS tone (2100 Hz,
 * continuous). Each 20 ms block of audio is measured with the Goertzel
 * algorithm at both frequencies; a tone counts when it carries most of
 * the block's energy, and is reported once it lasted long enough. */

#define BLOCK_MS         20
#define CNG_FREQUENCY    1100.0
#define ANS_FREQUENCY    2100.0
#define CNG_MIN_BLOCKS   (400 / BLOCK_MS)
#define ANS_MIN_BLOCKS   (700 / BLOCK_MS)
#define MIN_BLOCK_POWER  1e-5     /* about -50 dBFS: below is silence */
#define TONE_SHARE       0.6      /* the tone's share of the block's power */

struct _TapiMediaDetector
{
  guint          sample_rate;
  gsize          block_size;
  double        *block;
  gsize          filled;
  guint          cng_blocks;
  guint          ans_blocks;
  TapiMediaType  reported;
};

TapiMediaDetector *
tapi_media_detector_new (guint sample_rate)
{
  TapiMediaDetector *self = g_new0 (TapiMediaDetector, 1);

  self->sample_rate = sample_rate;
  self->block_size = MAX (1, sample_rate * BLOCK_MS / 1000);
  self->block = g_new0 (double, self->block_size);
  return self;
}

void
tapi_media_detector_free (TapiMediaDetector *self)
{
  g_free (self->block);
  g_free (self);
}

/* The power of @frequency in the block, normalised like the mean square. */
static double
goertzel (const double *samples,
          gsize         n,
          double        frequency,
          guint         sample_rate)
{
  double coefficient = 2.0 * cos (2.0 * G_PI * frequency / sample_rate);
  double s1 = 0.0, s2 = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = samples[i] + coefficient * s1 - s2;

      s2 = s1;
      s1 = s0;
    }
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) * 2.0 / ((double) n * n);
}

static TapiMediaType
analyse_block (TapiMediaDetector *self)
{
  double power = 0.0, cng, ans;
  TapiMediaType found = 0;

  for (gsize i = 0; i < self->block_size; i++)
    power += self->block[i] * self->block[i];
  power /= self->block_size;

  if (power < MIN_BLOCK_POWER)
    {
      self->cng_blocks = 0;
      self->ans_blocks = 0;
      return 0;
    }

  cng = goertzel (self->block, self->block_size, CNG_FREQUENCY, self->sample_rate);
  ans = goertzel (self->block, self->block_size, ANS_FREQUENCY, self->sample_rate);

  self->cng_blocks = cng > TONE_SHARE * power ? self->cng_blocks + 1 : 0;
  self->ans_blocks = ans > TONE_SHARE * power ? self->ans_blocks + 1 : 0;

  if (self->cng_blocks >= CNG_MIN_BLOCKS && !(self->reported & TAPI_MEDIA_TYPE_G3FAX))
    found |= TAPI_MEDIA_TYPE_G3FAX;
  if (self->ans_blocks >= ANS_MIN_BLOCKS && !(self->reported & TAPI_MEDIA_TYPE_DATAMODEM))
    found |= TAPI_MEDIA_TYPE_DATAMODEM;
  self->reported |= found;
  return found;
}

/* Feeds mono 16-bit samples; returns the media types newly detected. */
TapiMediaType
tapi_media_detector_feed (TapiMediaDetector *self,
                          const gint16      *samples,
                          gsize              n_samples)
{
  TapiMediaType found = 0;

  for (gsize i = 0; i < n_samples; i++)
    {
      self->block[self->filled++] = samples[i] / 32768.0;
      if (self->filled == self->block_size)
        {
          found |= analyse_block (self);
          self->filled = 0;
        }
    }
  return found;
}
