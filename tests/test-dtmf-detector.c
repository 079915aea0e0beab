/* test-dtmf-detector.c: the in-band DTMF detector on synthetic audio
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <check.h>

#include "tapi-dtmf-generator.h"
#include "tapi-goertzel.h"
#include "tapi-media-detector.h"
#include "tapi-test-helper.h"

#define RATE       8000
#define PACKET     160     /* 20 ms, as RTP brings it */
#define LEVEL      0.25    /* each tone's amplitude: about -12 dBFS */

typedef struct
{
  GArray *samples;         /* gint16 */
  GRand  *rand;
} Audio;

static void
audio_init (Audio *audio)
{
  audio->samples = g_array_new (FALSE, TRUE, sizeof (gint16));
  audio->rand = g_rand_new_with_seed (4733);
}

static void
audio_clear (Audio *audio)
{
  g_array_unref (audio->samples);
  g_rand_free (audio->rand);
}

static void
frequencies_of (char    digit,
                double *row,
                double *column)
{
  static const char keys[] = "123A456B789C*0#D";
  static const double rows[] = { 697.0, 770.0, 852.0, 941.0 };
  static const double columns[] = { 1209.0, 1336.0, 1477.0, 1633.0 };
  const char *key = strchr (keys, digit);

  ck_assert_ptr_nonnull (key);
  *row = rows[(key - keys) / 4];
  *column = columns[(key - keys) % 4];
}

/* Appends @ms of @digit, its column @twist_db louder than its row. */
static void
add_tone_twisted (Audio  *audio,
                  char    digit,
                  guint   ms,
                  double  twist_db)
{
  double row, column;
  double column_level = LEVEL * pow (10.0, twist_db / 20.0);
  guint n = RATE * ms / 1000;
  guint start = audio->samples->len;

  frequencies_of (digit, &row, &column);
  for (guint i = 0; i < n; i++)
    {
      double t = (double) (start + i) / RATE;
      double value = LEVEL * sin (2 * G_PI * row * t) +
                     column_level * sin (2 * G_PI * column * t);
      gint16 sample = (gint16) lrint (CLAMP (value, -1.0, 1.0) * 32767.0);

      g_array_append_val (audio->samples, sample);
    }
}

static void
add_tone (Audio *audio,
          char   digit,
          guint  ms)
{
  add_tone_twisted (audio, digit, ms, 0.0);
}

static void
add_silence (Audio *audio,
             guint  ms)
{
  g_array_set_size (audio->samples, audio->samples->len + RATE * ms / 1000);
}

/* Adds white noise of RMS @level (full scale 1.0) to everything so far. */
static void
add_noise (Audio  *audio,
           double  level)
{
  double amplitude = level * sqrt (3.0);

  for (guint i = 0; i < audio->samples->len; i++)
    {
      gint16 *sample = &g_array_index (audio->samples, gint16, i);
      double value = *sample / 32767.0 +
                     g_rand_double_range (audio->rand, -amplitude, amplitude);

      *sample = (gint16) lrint (CLAMP (value, -1.0, 1.0) * 32767.0);
    }
}

/* Each digit of @digits as @on_ms of tone and @off_ms of pause. */
static void
add_digits (Audio      *audio,
            const char *digits,
            guint       on_ms,
            guint       off_ms)
{
  for (const char *p = digits; *p; p++)
    {
      add_tone (audio, *p, on_ms);
      add_silence (audio, off_ms);
    }
}

/* Runs @audio through a detector in packets, plus trailing silence. */
static char *
detect (Audio *audio)
{
  g_autoptr(TapiDtmfDetector) detector = tapi_dtmf_detector_new (RATE);
  g_autoptr(GString) digits = g_string_new (NULL);
  gint16 silence[PACKET] = { 0 };

  for (guint i = 0; i < audio->samples->len; i += PACKET)
    tapi_dtmf_detector_feed (detector,
                             &g_array_index (audio->samples, gint16, i),
                             MIN (PACKET, audio->samples->len - i), digits);
  for (guint i = 0; i < 10; i++)
    tapi_dtmf_detector_feed (detector, silence, PACKET, digits);
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

#define assert_detects(audio, expected)             \
  G_STMT_START {                                    \
    g_autofree char *found_ = detect (audio);       \
    ck_assert_str_eq (found_, expected);            \
  } G_STMT_END

/* The shortest digits and pauses Q.24 asks a receiver to take. */
START_TEST (test_minimum_tones_and_pauses)
{
  for (guint offset = 0; offset < 20; offset += 3)
    {
      Audio audio;

      audio_init (&audio);
      add_silence (&audio, 30 + offset);
      add_digits (&audio, "159#", 40, 40);
      add_digits (&audio, "0123456789*#ABCD", 40, 40);
      assert_detects (&audio, "159#0123456789*#ABCD");
      audio_clear (&audio);
    }
}
END_TEST

/* The same digit twice is two digits when a pause separates them, at any
 * alignment to the packets. */
START_TEST (test_repeated_digit)
{
  for (guint offset = 0; offset < 20; offset += 3)
    {
      Audio audio;

      audio_init (&audio);
      add_silence (&audio, offset);
      add_digits (&audio, "11", 40, 40);
      add_digits (&audio, "555", 100, 100);
      assert_detects (&audio, "11555");
      audio_clear (&audio);
    }
}
END_TEST

/* A hole in a tone, as a lost or late packet leaves, does not split it;
 * nor does it lose a digit that sounded 40 ms in all. */
START_TEST (test_dropouts)
{
  for (guint offset = 0; offset < 20; offset += 3)
    {
      Audio audio;

      audio_init (&audio);
      add_silence (&audio, offset);
      add_tone (&audio, '1', 50);
      add_silence (&audio, 20);
      add_tone (&audio, '1', 50);
      add_silence (&audio, 60);
      add_tone (&audio, '5', 30);
      add_silence (&audio, 10);
      add_tone (&audio, '5', 30);
      add_silence (&audio, 15);
      add_tone (&audio, '5', 30);
      add_silence (&audio, 60);
      add_tone (&audio, '9', 20);
      add_silence (&audio, 20);
      add_tone (&audio, '9', 20);
      add_silence (&audio, 60);
      add_tone (&audio, '#', 100);
      add_silence (&audio, 60);
      assert_detects (&audio, "159#");
      audio_clear (&audio);
    }
}
END_TEST

/* Noise alone is no digit; digits are heard through moderate noise. */
START_TEST (test_noise)
{
  Audio audio;

  audio_init (&audio);
  add_silence (&audio, 2000);
  add_noise (&audio, 0.1);
  assert_detects (&audio, "");
  audio_clear (&audio);

  audio_init (&audio);
  add_silence (&audio, 50);
  add_digits (&audio, "159#", 50, 50);
  add_noise (&audio, 0.03);
  assert_detects (&audio, "159#");
  audio_clear (&audio);
}
END_TEST

/* Up to 8 dB of normal twist (row louder) and 4 dB of reverse twist
 * (column louder) are taken; more is not a digit. A single frequency is
 * none either. */
START_TEST (test_twist)
{
  Audio audio;

  audio_init (&audio);
  add_tone_twisted (&audio, '1', 60, -6.0);
  add_silence (&audio, 60);
  add_tone_twisted (&audio, '2', 60, 3.0);
  add_silence (&audio, 60);
  assert_detects (&audio, "12");
  audio_clear (&audio);

  audio_init (&audio);
  add_tone_twisted (&audio, '1', 60, -14.0);
  add_silence (&audio, 60);
  add_tone_twisted (&audio, '2', 60, 8.0);
  add_silence (&audio, 60);
  add_tone_twisted (&audio, '3', 60, -60.0);
  add_silence (&audio, 60);
  assert_detects (&audio, "");
  audio_clear (&audio);
}
END_TEST

/* Tones shorter than Q.24's non-operate limit are not digits. */
START_TEST (test_short_tones_ignored)
{
  Audio audio;

  audio_init (&audio);
  add_digits (&audio, "123", 20, 60);
  add_digits (&audio, "4", 15, 60);
  add_digits (&audio, "5", 50, 60);
  assert_detects (&audio, "5");
  audio_clear (&audio);
}
END_TEST

/* The generator: samples in, tones out */

#define GEN_ON   (RATE / 10)     /* 100 ms */
#define GEN_OFF  (RATE / 10)

/* Runs @audio through @generator in blocks of @block samples, as the
 * streaming thread does; returns the sample count at which it said the
 * last digit's pause ended (0 if never). */
static guint
generate (TapiDtmfGenerator *generator,
          Audio             *audio,
          guint              block)
{
  guint finished_at = 0;

  for (guint i = 0; i < audio->samples->len; i += block)
    {
      guint n = MIN (block, audio->samples->len - i);

      if (tapi_dtmf_generator_process (generator,
                                       &g_array_index (audio->samples, gint16,
                                                       i),
                                       n))
        {
          ck_assert_uint_eq (finished_at, 0);
          finished_at = i + n;
        }
    }
  return finished_at;
}

static double
amplitude_at (Audio  *audio,
              guint   start,
              guint   n,
              double  frequency)
{
  return tapi_goertzel_amplitude_s16 (&g_array_index (audio->samples, gint16,
                                                      start),
                                      n, RATE, frequency);
}

/* Each digit sounds its two frequencies for exactly 100 ms, then 100 ms
 * of the audio alone, whatever the size of the blocks. */
START_TEST (test_generator_tones)
{
  static const char digits[] = "159#D";
  static const guint blocks[] = { 160, 37, 1 };
  Audio audio;

  audio_init (&audio);
  for (guint b = 0; b < G_N_ELEMENTS (blocks); b++)
    {
      g_autoptr(TapiDtmfGenerator) generator =
        tapi_dtmf_generator_new (RATE, 100, 100);
      g_autofree char *detected = NULL;
      guint total = (GEN_ON + GEN_OFF) * strlen (digits);

      g_array_set_size (audio.samples, 0);
      add_silence (&audio, 2000);
      tapi_dtmf_generator_push (generator, digits);
      ck_assert (tapi_dtmf_generator_is_busy (generator));
      ck_assert_uint_eq (generate (generator, &audio, blocks[b]),
                         blocks[b] * ((total + blocks[b] - 1) / blocks[b]));
      ck_assert (!tapi_dtmf_generator_is_busy (generator));

      for (guint d = 0; digits[d]; d++)
        {
          guint start = d * (GEN_ON + GEN_OFF);
          double row, column;

          ck_assert (tapi_dtmf_frequencies (digits[d], &row, &column));
          /* About -10 dBFS each, and nothing of the other rows. */
          ck_assert_double_eq_tol (amplitude_at (&audio, start, GEN_ON, row),
                                   0.316, 0.02);
          ck_assert_double_eq_tol (amplitude_at (&audio, start, GEN_ON, column),
                                   0.316, 0.02);
          ck_assert_double_lt (amplitude_at (&audio, start, GEN_ON,
                                             row == 941.0 ? 697.0 : 941.0),
                               0.02);
          /* Sounding up to its last sample, silent from the next. */
          ck_assert_int_ne (g_array_index (audio.samples, gint16,
                                           start + GEN_ON - 1) |
                              g_array_index (audio.samples, gint16,
                                             start + GEN_ON - 2),
                            0);
          for (guint i = start + GEN_ON; i < start + GEN_ON + GEN_OFF; i++)
            ck_assert_int_eq (g_array_index (audio.samples, gint16, i), 0);
        }
      for (guint i = total; i < audio.samples->len; i++)
        ck_assert_int_eq (g_array_index (audio.samples, gint16, i), 0);

      detected = detect (&audio);
      ck_assert_str_eq (detected, digits);
    }
  audio_clear (&audio);
}
END_TEST

/* Tones are added to what is sent, saturating rather than wrapping
 * around, and are recognised in it. */
START_TEST (test_generator_on_audio)
{
  g_autoptr(TapiDtmfGenerator) generator = tapi_dtmf_generator_new (RATE, 100,
                                                                     100);
  g_autofree char *detected = NULL;
  Audio audio;

  audio_init (&audio);
  add_silence (&audio, 1500);
  add_noise (&audio, 0.01);
  tapi_dtmf_generator_push (generator, "0*a");
  ck_assert_uint_ne (generate (generator, &audio, 160), 0);
  detected = detect (&audio);
  ck_assert_str_eq (detected, "0*A");

  /* Loud audio: a tone clips, it does not wrap around. */
  g_array_set_size (audio.samples, 0);
  add_silence (&audio, 200);
  for (guint i = 0; i < audio.samples->len; i++)
    g_array_index (audio.samples, gint16, i) = i % 2 ? 32000 : -32000;
  tapi_dtmf_generator_push (generator, "1");
  generate (generator, &audio, 160);
  for (guint i = 0; i < GEN_ON; i++)
    {
      gint16 sample = g_array_index (audio.samples, gint16, i);

      if (i % 2)
        ck_assert_int_ge (sample, 32000 - 2 * 10400);
      else
        ck_assert_int_le (sample, -32000 + 2 * 10400);
    }
  audio_clear (&audio);
}
END_TEST

/* Flushing stops the digit sounding and gives back those not started. */
START_TEST (test_generator_flush)
{
  g_autoptr(TapiDtmfGenerator) generator = tapi_dtmf_generator_new (RATE, 100,
                                                                     100);
  g_autofree char *unsent = NULL;
  gint16 block[PACKET] = { 0 };

  tapi_dtmf_generator_push (generator, "12x3");
  ck_assert (!tapi_dtmf_generator_process (generator, block, PACKET));
  unsent = tapi_dtmf_generator_flush (generator);
  ck_assert_str_eq (unsent, "23");
  ck_assert (!tapi_dtmf_generator_is_busy (generator));

  memset (block, 0, sizeof block);
  ck_assert (!tapi_dtmf_generator_process (generator, block, PACKET));
  for (guint i = 0; i < PACKET; i++)
    ck_assert_int_eq (block[i], 0);
}
END_TEST

static Suite *
dtmf_detector_suite (void)
{
  Suite *suite = suite_create ("dtmf-detector");
  TCase *tc = tcase_create ("detector");

  tcase_add_test (tc, test_minimum_tones_and_pauses);
  tcase_add_test (tc, test_repeated_digit);
  tcase_add_test (tc, test_dropouts);
  tcase_add_test (tc, test_noise);
  tcase_add_test (tc, test_twist);
  tcase_add_test (tc, test_short_tones_ignored);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("generator");
  tcase_add_test (tc, test_generator_tones);
  tcase_add_test (tc, test_generator_on_audio);
  tcase_add_test (tc, test_generator_flush);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (void)
{
  return tapi_test_run (dtmf_detector_suite ());
}
