/* tapi3-audio.c: reading back what the tapi3 demos recorded
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include "tapi-goertzel.h"
#include "tapi-wav.h"
#include "tapi3-audio.h"

#define SCAN_LOW_HZ  100.0
#define SCAN_HIGH_HZ 3400.0
#define SCAN_STEP_HZ 10.0

/* Scans the loud 50 ms blocks (20 Hz resolution) from SCAN_LOW_HZ to
 * SCAN_HIGH_HZ for the strongest frequency. */
static void
analyse_tone (const TapiWav   *wav,
              CliToneAnalysis *analysis)
{
  gsize block = wav->rate / 20;
  guint n_frequencies = (guint) ((MIN (SCAN_HIGH_HZ, wav->rate / 2.0 - 50.0) -
                                  SCAN_LOW_HZ) / SCAN_STEP_HZ) + 1;
  g_autofree double *powers = g_new0 (double, n_frequencies);
  double loud_power = 0.0, loud_threshold = pow (10.0, CLI_LOUD_DBFS / 10.0);
  guint loud_blocks = 0, best = 0;

  memset (analysis, 0, sizeof *analysis);
  analysis->rate = wav->rate;
  analysis->seconds = (double) wav->n_samples / wav->rate;
  if (block == 0)
    return;

  for (gsize start = 0; start + block <= wav->n_samples; start += block)
    {
      const float *samples = wav->samples + start;
      double power = 0.0;

      for (gsize i = 0; i < block; i++)
        power += (double) samples[i] * samples[i];
      power /= block;
      if (power < loud_threshold)
        continue;

      loud_blocks++;
      loud_power += power;
      for (guint k = 0; k < n_frequencies; k++)
        {
          double amplitude = tapi_goertzel_amplitude (samples, block, wav->rate,
                                                      SCAN_LOW_HZ +
                                                        k * SCAN_STEP_HZ);

          /* Scaled like the mean square: a sine's is half its amplitude² */
          powers[k] += amplitude * amplitude / 2.0;
        }
    }

  for (guint k = 1; k < n_frequencies; k++)
    if (powers[k] > powers[best])
      best = k;

  analysis->loud_seconds = loud_blocks * (double) block / wav->rate;
  if (loud_blocks > 0)
    {
      analysis->frequency = SCAN_LOW_HZ + best * SCAN_STEP_HZ;
      analysis->share = powers[best] / loud_power;
    }
}

/**
 * cli_analyse_recording:
 * @path: a WAV recording
 * @analysis: (out caller-allocates): what it holds
 * @error: return location for a #GError
 *
 * Finds the strongest tone in the loud parts of the recording at @path.
 *
 * Returns: whether @path is a finished WAV recording
 */
gboolean
cli_analyse_recording (const char       *path,
                       CliToneAnalysis  *analysis,
                       GError          **error)
{
  g_auto(TapiWav) wav = { 0 };

  if (!tapi_wav_load (path, &wav, error))
    return FALSE;
  analyse_tone (&wav, analysis);
  return TRUE;
}
