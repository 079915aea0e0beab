/* tapi-goertzel.c: the Goertzel filter, one frequency's share of a signal
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "tapi-goertzel.h"

/**
 * tapi_goertzel_init:
 * @self: a filter
 * @frequency: the frequency to measure, in hertz
 * @rate: the sample rate
 *
 * Sets @self up to measure @frequency in samples at @rate.
 */
void
tapi_goertzel_init (TapiGoertzel *self,
                    double        frequency,
                    double        rate)
{
  self->coefficient = 2.0 * cos (2.0 * G_PI * frequency / rate);
  self->s1 = 0.0;
  self->s2 = 0.0;
}

/**
 * tapi_goertzel_magnitude2:
 * @self: a filter
 *
 * Returns: the squared magnitude of the filter's DFT bin over the samples
 *   pushed so far; a sine of amplitude A over N samples gives (A N / 2)²
 */
double
tapi_goertzel_magnitude2 (const TapiGoertzel *self)
{
  double power = self->s1 * self->s1 + self->s2 * self->s2 -
                 self->coefficient * self->s1 * self->s2;

  /* Rounding can take a silent bin below zero */
  return MAX (power, 0.0);
}

/* A sine of amplitude A over @n_samples gives A; a rate of 0 measures
 * nothing. */
static double
amplitude_of (const TapiGoertzel *filter,
              gsize               n_samples,
              double              rate)
{
  if (n_samples == 0 || rate <= 0.0)
    return 0.0;
  return 2.0 * sqrt (tapi_goertzel_magnitude2 (filter)) / n_samples;
}

/**
 * tapi_goertzel_amplitude:
 * @samples: samples from -1 to 1
 * @n_samples: how many
 * @rate: their sample rate
 * @frequency: the frequency to measure
 *
 * Returns: the amplitude of @frequency in @samples, as a fraction of full
 *   scale: a steady sine of amplitude A over whole periods gives A
 */
double
tapi_goertzel_amplitude (const float *samples,
                         gsize        n_samples,
                         double       rate,
                         double       frequency)
{
  TapiGoertzel filter;

  tapi_goertzel_init (&filter, frequency, rate);
  for (gsize i = 0; i < n_samples; i++)
    tapi_goertzel_push (&filter, samples[i]);
  return amplitude_of (&filter, n_samples, rate);
}

/**
 * tapi_goertzel_amplitude_s16:
 * @samples: 16-bit samples in host order
 * @n_samples: how many
 * @rate: their sample rate
 * @frequency: the frequency to measure
 *
 * Like tapi_goertzel_amplitude (), for 16-bit samples (full scale 32768).
 *
 * Returns: the amplitude of @frequency, as a fraction of full scale
 */
double
tapi_goertzel_amplitude_s16 (const gint16 *samples,
                             gsize         n_samples,
                             double        rate,
                             double        frequency)
{
  TapiGoertzel filter;

  tapi_goertzel_init (&filter, frequency, rate);
  for (gsize i = 0; i < n_samples; i++)
    tapi_goertzel_push (&filter, samples[i] / 32768.0);
  return amplitude_of (&filter, n_samples, rate);
}

/**
 * tapi_goertzel_power_hann:
 * @samples: samples from -1 to 1
 * @n_samples: how many
 * @rate: their sample rate
 * @frequency: the frequency to measure
 *
 * Measures @frequency through a Hann window, which keeps strong
 * neighbouring frequencies from leaking into it.
 *
 * Returns: the power of @frequency relative to full scale: the square of
 *   the amplitude of a sine at @frequency, 1.0 for a full-scale one
 */
double
tapi_goertzel_power_hann (const float *samples,
                          gsize        n_samples,
                          double       rate,
                          double       frequency)
{
  TapiGoertzel filter;
  double window_sum = 0.0, amplitude;

  if (n_samples < 2 || rate <= 0.0)
    return 0.0;

  tapi_goertzel_init (&filter, frequency, rate);
  for (gsize i = 0; i < n_samples; i++)
    {
      double window = 0.5 - 0.5 * cos (2.0 * G_PI * i / (n_samples - 1));

      window_sum += window;
      tapi_goertzel_push (&filter, samples[i] * window);
    }

  amplitude = 2.0 * sqrt (tapi_goertzel_magnitude2 (&filter)) / window_sum;
  return amplitude * amplitude;
}
