/* tapi-test-audio.h: audio analysis for the libtapi3 media tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <glib.h>

#include "tapi-goertzel.h"
#include "tapi-wav.h"

G_BEGIN_DECLS

/* Mono audio as floats from -1 to 1. */
typedef struct
{
  float  *samples;
  gsize   n_samples;
  guint   rate;
} TapiTestAudio;

/* A time range in seconds from the start of the audio. */
typedef struct
{
  double start;
  double end;
} TapiTestAudioRange;

/* Loading */
TapiTestAudio *tapi_test_audio_load            (const char          *path,
                                                GError             **error);
TapiTestAudio *tapi_test_audio_new_from_s16    (const void          *data,
                                                gsize                size,
                                                guint                rate);
void           tapi_test_audio_free            (TapiTestAudio       *audio);
double         tapi_test_audio_duration        (const TapiTestAudio *audio);

/* Writing: a 16-bit mono WAV file holding a sine of @amplitude (0 to 1). */
void           tapi_test_audio_write_tone_wav  (const char          *path,
                                                double               frequency,
                                                double               seconds,
                                                guint                rate,
                                                double               amplitude);
GBytes        *tapi_test_audio_tone_s16        (double               frequency,
                                                double               seconds,
                                                guint                rate,
                                                double               amplitude);

/* Analysis of a block of samples */
double         tapi_test_audio_rms             (const float         *samples,
                                                gsize                n_samples);
double         tapi_test_audio_dominant_frequency (const float      *samples,
                                                   gsize             n_samples,
                                                   guint             rate,
                                                   double            low,
                                                   double            high);

/* Where a tone is: ranges of at least 20 ms, merged when they touch */
GArray        *tapi_test_audio_find_tone       (const TapiTestAudio *audio,
                                                double               frequency);
GArray        *tapi_test_audio_tone_ranges     (const char          *path,
                                                double               frequency);
double         tapi_test_audio_ranges_total    (GArray              *ranges);
double         tapi_test_audio_longest_gap     (GArray              *ranges);
char          *tapi_test_audio_ranges_to_string (GArray             *ranges);

/* Assertions: they fail the running libcheck test */
void           tapi_test_audio_assert_tone_in  (const TapiTestAudio *audio,
                                                double               start,
                                                double               end,
                                                double               frequency);
void           tapi_test_audio_assert_tone     (const char          *path,
                                                double               frequency);
void           tapi_test_audio_assert_silence_in (const TapiTestAudio *audio,
                                                  double             start,
                                                  double             end);
void           tapi_test_audio_assert_wav_header (const char        *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TapiTestAudio, tapi_test_audio_free)

G_END_DECLS
