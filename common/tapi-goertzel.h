/* tapi-goertzel.h: the Goertzel filter, one frequency's share of a signal
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A running Goertzel filter for one frequency. Feed it samples with
 * tapi_goertzel_push (), read it with tapi_goertzel_magnitude2 (). */
typedef struct
{
  double coefficient;
  double s1;
  double s2;
} TapiGoertzel;

void   tapi_goertzel_init       (TapiGoertzel       *self,
                                 double              frequency,
                                 double              rate);

static inline void
tapi_goertzel_push (TapiGoertzel *self,
                    double        sample)
{
  double s0 = sample + self->coefficient * self->s1 - self->s2;

  self->s2 = self->s1;
  self->s1 = s0;
}

double tapi_goertzel_magnitude2 (const TapiGoertzel *self);

double tapi_goertzel_amplitude     (const float  *samples,
                                    gsize         n_samples,
                                    double        rate,
                                    double        frequency);
double tapi_goertzel_amplitude_s16 (const gint16 *samples,
                                    gsize         n_samples,
                                    double        rate,
                                    double        frequency);
double tapi_goertzel_power_hann    (const float  *samples,
                                    gsize         n_samples,
                                    double        rate,
                                    double        frequency);

G_END_DECLS
