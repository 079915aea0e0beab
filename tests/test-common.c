/* test-common.c: the Goertzel filter and the WAV reader and writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tapi-goertzel.h"
#include "tapi-wav.h"

#define RATE 8000

static float *
sine (double frequency,
      double amplitude,
      gsize  n_samples)
{
  float *samples = g_new (float, n_samples);

  for (gsize i = 0; i < n_samples; i++)
    samples[i] = amplitude * sin (2.0 * G_PI * frequency * i / RATE);
  return samples;
}

static GBytes *
sine_s16 (double frequency,
          double amplitude,
          gsize  n_samples)
{
  gint16 *data = g_new (gint16, n_samples);

  for (gsize i = 0; i < n_samples; i++)
    data[i] = GINT16_TO_LE ((gint16) lrint (amplitude * 32767.0 *
                                            sin (2.0 * G_PI * frequency * i / RATE)));
  return g_bytes_new_take (data, n_samples * sizeof (gint16));
}

START_TEST (test_goertzel_tone)
{
  /* 100 ms of 1 kHz: whole periods, on a bin */
  g_autofree float *samples = sine (1000.0, 0.5, RATE / 10);
  double on = tapi_goertzel_amplitude (samples, RATE / 10, RATE, 1000.0);
  double off = tapi_goertzel_amplitude (samples, RATE / 10, RATE, 1400.0);
  double near = tapi_goertzel_amplitude (samples, RATE / 10, RATE, 1100.0);

  ck_assert_msg (fabs (on - 0.5) < 0.01,
                 "1000 Hz has amplitude %f, expected 0.5", on);
  ck_assert_msg (off < 0.01, "1400 Hz has amplitude %f in a 1000 Hz tone", off);
  ck_assert_msg (near < 0.05, "1100 Hz has amplitude %f in a 1000 Hz tone",
                 near);
}
END_TEST

START_TEST (test_goertzel_s16)
{
  g_autoptr(GBytes) bytes = sine_s16 (697.0, 0.25, RATE / 5);
  gsize size;
  const gint16 *le = g_bytes_get_data (bytes, &size);
  g_autofree gint16 *samples = g_new (gint16, size / 2);
  double on, off;

  for (gsize i = 0; i < size / 2; i++)
    samples[i] = GINT16_FROM_LE (le[i]);
  on = tapi_goertzel_amplitude_s16 (samples, size / 2, RATE, 697.0);
  off = tapi_goertzel_amplitude_s16 (samples, size / 2, RATE, 1209.0);

  ck_assert_msg (fabs (on - 0.25) < 0.02,
                 "697 Hz has amplitude %f, expected 0.25", on);
  ck_assert_msg (off < 0.02, "1209 Hz has amplitude %f in a 697 Hz tone", off);
}
END_TEST

START_TEST (test_goertzel_hann)
{
  /* Off any bin: the window keeps the power where it is */
  g_autofree float *samples = sine (1234.0, 0.8, 4321);
  double on = tapi_goertzel_power_hann (samples, 4321, RATE, 1234.0);
  double off = tapi_goertzel_power_hann (samples, 4321, RATE, 2000.0);

  ck_assert_msg (fabs (on - 0.64) < 0.02, "1234 Hz has power %f, expected 0.64",
                 on);
  ck_assert_msg (off < 1e-4, "2000 Hz has power %f in a 1234 Hz tone", off);
  ck_assert (tapi_goertzel_power_hann (samples, 1, RATE, 1234.0) == 0.0);
  ck_assert (tapi_goertzel_amplitude (samples, 0, RATE, 1234.0) == 0.0);
}
END_TEST

START_TEST (test_goertzel_silence)
{
  g_autofree float *samples = g_new0 (float, RATE);
  TapiGoertzel filter;

  tapi_goertzel_init (&filter, 440.0, RATE);
  for (gsize i = 0; i < RATE; i++)
    tapi_goertzel_push (&filter, samples[i]);
  ck_assert (tapi_goertzel_magnitude2 (&filter) == 0.0);
}
END_TEST

START_TEST (test_wav_round_trip)
{
  g_autoptr(GBytes) pcm = sine_s16 (440.0, 0.5, RATE / 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-common-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_auto(TapiWav) wav = { 0 };
  gsize size;
  const gint16 *le = g_bytes_get_data (pcm, &size);

  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
  path = g_build_filename (dir, "tone.wav", NULL);
  ck_assert_msg (tapi_wav_save_s16 (path, pcm, RATE, 1, &error),
                 "%s", error ? error->message : "");
  ck_assert_msg (tapi_wav_load (path, &wav, &error),
                 "%s", error ? error->message : "");

  ck_assert_uint_eq (wav.rate, RATE);
  ck_assert_uint_eq (wav.channels, 1);
  ck_assert_uint_eq (wav.n_samples, size / 2);
  for (gsize i = 0; i < wav.n_samples; i++)
    ck_assert_msg (wav.samples[i] == (gint16) GINT16_FROM_LE (le[i]) / 32768.0f,
                   "sample %" G_GSIZE_FORMAT " is %f", i, wav.samples[i]);
  ck_assert_msg (fabs (tapi_goertzel_amplitude (wav.samples, wav.n_samples,
                                                wav.rate, 440.0) - 0.5) < 0.01,
                 "the tone did not survive the round trip");

  g_unlink (path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_wav_stereo)
{
  /* Left 1, right -1: only the first channel is read */
  gint16 frames[] = { GINT16_TO_LE (16384), GINT16_TO_LE (-16384),
                      GINT16_TO_LE (16384), GINT16_TO_LE (-16384) };
  g_autoptr(GBytes) pcm = g_bytes_new (frames, sizeof frames);
  g_autoptr(GBytes) file = tapi_wav_encode_s16 (pcm, 16000, 2);
  g_autoptr(GError) error = NULL;
  g_auto(TapiWav) wav = { 0 };
  gsize size;
  const guint8 *contents = g_bytes_get_data (file, &size);

  ck_assert_msg (tapi_wav_parse (contents, size, &wav, &error),
                 "%s", error ? error->message : "");
  ck_assert_uint_eq (wav.channels, 2);
  ck_assert_uint_eq (wav.rate, 16000);
  ck_assert_uint_eq (wav.n_samples, 2);
  ck_assert (wav.samples[0] == 0.5f && wav.samples[1] == 0.5f);
}
END_TEST

/* Every way a file can be broken gives an error, never a crash */
START_TEST (test_wav_bad)
{
  g_autoptr(GBytes) pcm = sine_s16 (440.0, 0.5, 100);
  g_autoptr(GBytes) file = tapi_wav_encode_s16 (pcm, RATE, 1);
  gsize size;
  const guint8 *good = g_bytes_get_data (file, &size);
  g_autofree guint8 *bad = g_memdup2 (good, size);
  static const char garbage[] = "RIFX\x10\0\0\0 this is no audio at all";
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (),
                                               "test-common-no-such-dir",
                                               "x.wav", NULL);

  /* Truncated anywhere: the header no longer matches the file */
  for (gsize length = 0; length < size; length++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(TapiWav) wav = { 0 };

      ck_assert_msg (!tapi_wav_parse (good, length, &wav, &error),
                     "%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes parsed",
                     length, size);
      ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
      ck_assert (wav.samples == NULL);
    }

  {
    g_autoptr(GError) error = NULL;
    g_auto(TapiWav) wav = { 0 };

    ck_assert (!tapi_wav_parse ((const guint8 *) garbage, sizeof garbage, &wav, &error));
    ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
  }

  /* A data chunk longer than the file */
  {
    g_autoptr(GError) error = NULL;
    g_auto(TapiWav) wav = { 0 };

    bad[40] = 0xff;
    bad[41] = 0xff;
    ck_assert (!tapi_wav_parse (bad, size, &wav, &error));
    ck_assert_msg (strstr (error->message, "past the end") != NULL, "%s",
                   error->message);
    memcpy (bad, good, size);
  }

  /* An unknown sample format */
  {
    g_autoptr(GError) error = NULL;
    g_auto(TapiWav) wav = { 0 };

    bad[20] = 7;
    ck_assert (!tapi_wav_parse (bad, size, &wav, &error));
    ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
    memcpy (bad, good, size);
  }

  /* No fmt chunk before the data */
  {
    g_autoptr(GError) error = NULL;
    g_auto(TapiWav) wav = { 0 };

    memcpy (bad + 12, "junk", 4);
    ck_assert (!tapi_wav_parse (bad, size, &wav, &error));
    ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
  }

  {
    g_autoptr(GError) error = NULL;
    g_auto(TapiWav) wav = { 0 };

    ck_assert (!tapi_wav_load (missing, &wav, &error));
    ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  }
}
END_TEST

static Suite *
common_suite (void)
{
  Suite *suite = suite_create ("common");
  TCase *tc;

  tc = tcase_create ("goertzel");
  tcase_add_test (tc, test_goertzel_tone);
  tcase_add_test (tc, test_goertzel_s16);
  tcase_add_test (tc, test_goertzel_hann);
  tcase_add_test (tc, test_goertzel_silence);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("wav");
  tcase_add_test (tc, test_wav_round_trip);
  tcase_add_test (tc, test_wav_stereo);
  tcase_add_test (tc, test_wav_bad);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  SRunner *runner = srunner_create (common_suite ());
  int failed;

  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
