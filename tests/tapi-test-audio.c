/* tapi-test-audio.c: audio analysis for the libtapi3 media tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <gst/app/app.h>
#include <gst/gst.h>

#include "tapi-test-audio.h"

/* How far the dominant frequency may be from the expected one. */
#define FREQUENCY_TOLERANCE 0.02

/* How much stronger a tone must be than anything outside it. */
#define MIN_TONE_TO_REST_RATIO 10.0

/* A tone weaker than this (amplitude, full scale = 1) is absent: -40 dBFS */
#define MIN_TONE_AMPLITUDE 0.01

/* Silence: below -60 dBFS */
#define MAX_SILENCE_RMS 0.001

#define RANGE_WINDOW 0.020
#define RANGE_HOP 0.010

/* Loading */

static gboolean
append_sample (GArray     *samples,
               GstSample  *sample,
               guint      *rate)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstStructure *structure;
  GstMapInfo map;
  int sample_rate;

  if (buffer == NULL || caps == NULL)
    return FALSE;

  structure = gst_caps_get_structure (caps, 0);
  if (!gst_structure_get_int (structure, "rate", &sample_rate))
    return FALSE;
  *rate = sample_rate;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return FALSE;
  g_array_append_vals (samples, map.data, map.size / sizeof (float));
  gst_buffer_unmap (buffer, &map);

  return TRUE;
}

/**
 * tapi_test_audio_load:
 * @path: an audio file: WAV, Ogg/Opus, or anything GStreamer decodes
 * @error: return location for a #GError
 *
 * Decodes @path to mono floats at the file's own sample rate.
 *
 * Returns: (transfer full): the audio, or %NULL with @error set
 */
TapiTestAudio *
tapi_test_audio_load (const char  *path,
                      GError     **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (float));
  TapiTestAudio *audio;
  guint rate = 0;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  pipeline = gst_parse_launch ("filesrc name=source ! decodebin ! audioconvert ! "
                               "audio/x-raw,format=F32LE,channels=1,layout=interleaved ! "
                               "appsink name=sink sync=false", error);
  if (pipeline == NULL)
    return NULL;
  gst_object_ref_sink (pipeline);

  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "location", path, NULL);
  bus = gst_element_get_bus (pipeline);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;)
    {
      g_autoptr(GstSample) sample =
        gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);

      if (sample == NULL || !append_sample (samples, sample, &rate))
        break;
    }

  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (message != NULL)
    {
      gst_message_parse_error (message, error, NULL);
      g_prefix_error (error, "%s: ", path);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }
  if (!gst_app_sink_is_eos (GST_APP_SINK (sink)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s: decoding did not finish", path);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  audio = g_new0 (TapiTestAudio, 1);
  audio->n_samples = samples->len;
  audio->samples =
    (float *) (gpointer) g_array_free (g_steal_pointer (&samples), FALSE);
  audio->rate = rate;

  return audio;
}

/**
 * tapi_test_audio_new_from_s16:
 * @data: signed 16-bit little-endian mono samples
 * @size: the size of @data in bytes
 * @rate: their sample rate
 *
 * Returns: (transfer full): the audio
 */
TapiTestAudio *
tapi_test_audio_new_from_s16 (const void *data,
                              gsize       size,
                              guint       rate)
{
  TapiTestAudio *audio = g_new0 (TapiTestAudio, 1);
  const guint8 *bytes = data;

  audio->n_samples = size / 2;
  audio->samples = g_new (float, MAX (audio->n_samples, 1));
  audio->rate = rate;
  for (gsize i = 0; i < audio->n_samples; i++)
    {
      gint16 value = (gint16) (bytes[2 * i] | (bytes[2 * i + 1] << 8));

      audio->samples[i] = value / 32768.0f;
    }

  return audio;
}

void
tapi_test_audio_free (TapiTestAudio *audio)
{
  if (audio == NULL)
    return;

  g_free (audio->samples);
  g_free (audio);
}

double
tapi_test_audio_duration (const TapiTestAudio *audio)
{
  return audio->rate > 0 ? (double) audio->n_samples / audio->rate : 0.0;
}

/* Writing */

/**
 * tapi_test_audio_tone_s16:
 * @frequency: the tone in hertz
 * @seconds: how long
 * @rate: the sample rate
 * @amplitude: from 0 to 1
 *
 * Returns: (transfer full): signed 16-bit little-endian mono samples of a
 *   sine
 */
GBytes *
tapi_test_audio_tone_s16 (double frequency,
                          double seconds,
                          guint  rate,
                          double amplitude)
{
  gsize n_samples = (gsize) (seconds * rate + 0.5);
  guint8 *data = g_malloc (MAX (n_samples, 1) * 2);

  for (gsize i = 0; i < n_samples; i++)
    {
      double value = amplitude * sin (2.0 * G_PI * frequency * i / rate);
      gint16 sample = (gint16) lround (CLAMP (value, -1.0, 1.0) * 32767.0);
      guint16 le = GUINT16_TO_LE ((guint16) sample);

      memcpy (data + 2 * i, &le, 2);
    }

  return g_bytes_new_take (data, n_samples * 2);
}

/**
 * tapi_test_audio_write_tone_wav:
 * @path: the file to write
 * @frequency: the tone in hertz
 * @seconds: how long
 * @rate: the sample rate
 * @amplitude: from 0 to 1
 *
 * Writes a 16-bit mono WAV file with a sine; fails the test if it cannot.
 */
void
tapi_test_audio_write_tone_wav (const char *path,
                                double      frequency,
                                double      seconds,
                                guint       rate,
                                double      amplitude)
{
  g_autoptr(GBytes) samples = tapi_test_audio_tone_s16 (frequency, seconds,
                                                         rate, amplitude);
  g_autoptr(GError) error = NULL;

  ck_assert_msg (tapi_wav_save_s16 (path, samples, rate, 1, &error),
                 "Cannot write %s: %s", path, error ? error->message : "");
}

/* Analysis */

double
tapi_test_audio_rms (const float *samples,
                     gsize        n_samples)
{
  double sum = 0.0;

  if (n_samples == 0)
    return 0.0;

  for (gsize i = 0; i < n_samples; i++)
    sum += (double) samples[i] * samples[i];

  return sqrt (sum / n_samples);
}

/* At most this many samples, from the middle, are scanned for a dominant
 * frequency: enough for a resolution of a few hertz, quick enough to scan
 * kilohertz. */
#define MAX_SCAN_SAMPLES 16384

#define REST_SCAN_SAMPLES 2048

static void
middle_block (const float **samples,
              gsize        *n_samples)
{
  if (*n_samples > MAX_SCAN_SAMPLES)
    {
      *samples += (*n_samples - MAX_SCAN_SAMPLES) / 2;
      *n_samples = MAX_SCAN_SAMPLES;
    }
}

/**
 * tapi_test_audio_dominant_frequency:
 * @samples: the samples
 * @n_samples: how many
 * @rate: their sample rate
 * @low: the lowest frequency to consider
 * @high: the highest
 *
 * Finds the strongest frequency between @low and @high, within a few
 * hertz; long blocks are measured in their middle 16384 samples.
 *
 * Returns: the strongest frequency in hertz, or 0 for an empty block
 */
double
tapi_test_audio_dominant_frequency (const float *samples,
                                    gsize        n_samples,
                                    guint        rate,
                                    double       low,
                                    double       high)
{
  double bin, best = 0.0, best_power = -1.0;
  double fine_low, fine_high;

  middle_block (&samples, &n_samples);
  if (n_samples < 16 || rate == 0)
    return 0.0;

  bin = (double) rate / n_samples;
  high = MIN (high, rate / 2.0);

  for (double f = low; f <= high; f += bin / 2.0)
    {
      double power = tapi_goertzel_power_hann (samples, n_samples, rate, f);

      if (power > best_power)
        {
          best_power = power;
          best = f;
        }
    }

  fine_low = MAX (low, best - bin);
  fine_high = MIN (high, best + bin);
  for (double f = fine_low; f <= fine_high; f += bin / 20.0)
    {
      double power = tapi_goertzel_power_hann (samples, n_samples, rate, f);

      if (power > best_power)
        {
          best_power = power;
          best = f;
        }
    }

  return best;
}

static gboolean
window_has_tone (const float *samples,
                 gsize        n_samples,
                 guint        rate,
                 double       frequency)
{
  double power = tapi_goertzel_power_hann (samples, n_samples, rate, frequency);
  double rms = tapi_test_audio_rms (samples, n_samples);

  /* A sine's mean square is half its power: most of the energy must be
   * the tone. */
  return sqrt (power) >= MIN_TONE_AMPLITUDE && power / 2.0 >= 0.5 * rms * rms;
}

/**
 * tapi_test_audio_find_tone:
 * @audio: the audio
 * @frequency: the tone in hertz
 *
 * Finds where @frequency is the main content of @audio, in windows of
 * 20 ms every 10 ms.
 *
 * Returns: (transfer full) (element-type TapiTestAudioRange): the ranges,
 *   in order
 */
GArray *
tapi_test_audio_find_tone (const TapiTestAudio *audio,
                           double               frequency)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (TapiTestAudioRange));
  gsize window = (gsize) (RANGE_WINDOW * audio->rate);
  gsize hop = (gsize) (RANGE_HOP * audio->rate);
  gboolean in_tone = FALSE;
  TapiTestAudioRange range = { 0, 0 };

  if (window == 0 || hop == 0)
    return ranges;

  for (gsize start = 0; start + window <= audio->n_samples; start += hop)
    {
      gboolean tone = window_has_tone (audio->samples + start, window,
                                       audio->rate, frequency);
      double window_start = (double) start / audio->rate;
      double window_end = (double) (start + window) / audio->rate;

      if (tone && !in_tone)
        {
          range.start = window_start;
          in_tone = TRUE;
        }
      if (tone)
        range.end = window_end;
      if (!tone && in_tone)
        {
          g_array_append_val (ranges, range);
          in_tone = FALSE;
        }
    }
  if (in_tone)
    g_array_append_val (ranges, range);

  return ranges;
}

/**
 * tapi_test_audio_tone_ranges:
 * @path: an audio file
 * @frequency: the tone in hertz
 *
 * Like tapi_test_audio_find_tone() on a file; fails the test if the file
 * cannot be read.
 *
 * Returns: (transfer full) (element-type TapiTestAudioRange): the ranges
 */
GArray *
tapi_test_audio_tone_ranges (const char *path,
                             double      frequency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTestAudio) audio = tapi_test_audio_load (path, &error);

  ck_assert_msg (audio != NULL, "Cannot read %s: %s", path,
                 error ? error->message : "");

  return tapi_test_audio_find_tone (audio, frequency);
}

double
tapi_test_audio_ranges_total (GArray *ranges)
{
  double total = 0.0;

  for (guint i = 0; i < ranges->len; i++)
    {
      TapiTestAudioRange *range = &g_array_index (ranges, TapiTestAudioRange,
                                                  i);

      total += range->end - range->start;
    }

  return total;
}

/* Returns: the longest silence between two ranges, 0 with fewer than two */
double
tapi_test_audio_longest_gap (GArray *ranges)
{
  double longest = 0.0;

  for (guint i = 1; i < ranges->len; i++)
    {
      TapiTestAudioRange *previous = &g_array_index (ranges, TapiTestAudioRange,
                                                     i - 1);
      TapiTestAudioRange *range = &g_array_index (ranges, TapiTestAudioRange,
                                                  i);

      longest = MAX (longest, range->start - previous->end);
    }

  return longest;
}

char *
tapi_test_audio_ranges_to_string (GArray *ranges)
{
  GString *string = g_string_new (NULL);

  for (guint i = 0; i < ranges->len; i++)
    {
      TapiTestAudioRange *range = &g_array_index (ranges, TapiTestAudioRange,
                                                  i);

      g_string_append_printf (string, "%s%.3f-%.3f", i > 0 ? ", " : "",
                              range->start, range->end);
    }
  if (ranges->len == 0)
    g_string_append (string, "(none)");

  return g_string_free (string, FALSE);
}

/* Assertions */

static void
slice (const TapiTestAudio  *audio,
       double                start,
       double                end,
       const float         **samples,
       gsize                *n_samples)
{
  gsize first = (gsize) (MAX (start, 0.0) * audio->rate);
  gsize last = end < 0 ? audio->n_samples : (gsize) (end * audio->rate);

  last = MIN (last, audio->n_samples);
  first = MIN (first, last);
  *samples = audio->samples + first;
  *n_samples = last - first;
}

/**
 * tapi_test_audio_assert_tone_in:
 * @audio: the audio
 * @start: where to look, in seconds
 * @end: until when, in seconds; negative for the end of @audio
 * @frequency: the expected tone
 *
 * Fails the test unless the strongest frequency between @start and @end
 * is @frequency (within 2 %), at least -40 dBFS, carrying most of the
 * energy and ten times stronger than any frequency outside ±10 % of it.
 */
void
tapi_test_audio_assert_tone_in (const TapiTestAudio *audio,
                                double               start,
                                double               end,
                                double               frequency)
{
  const float *samples;
  gsize n_samples;
  double high, dominant, power, rms, rest = 0.0, bin;

  slice (audio, start, end, &samples, &n_samples);
  ck_assert_msg (n_samples >= audio->rate / 10,
                 "Only %" G_GSIZE_FORMAT " samples between %.2f s and %.2f s "
                 "(the audio lasts %.2f s)", n_samples, start, end,
                 tapi_test_audio_duration (audio));

  high = MIN (audio->rate / 2.0 - 50.0, MAX (4000.0, 2.5 * frequency));
  dominant = tapi_test_audio_dominant_frequency (samples, n_samples, audio->rate,
                                                 50.0, high);
  ck_assert_msg (fabs (dominant - frequency) <= FREQUENCY_TOLERANCE * frequency,
                 "The strongest frequency between %.2f s and %.2f s is %.1f Hz, "
                 "expected %.1f Hz",
                 start, end, dominant, frequency);

  middle_block (&samples, &n_samples);
  power = tapi_goertzel_power_hann (samples, n_samples, audio->rate, dominant);
  rms = tapi_test_audio_rms (samples, n_samples);
  ck_assert_msg (sqrt (power) >= MIN_TONE_AMPLITUDE,
                 "The %.1f Hz tone has an amplitude of %.5f only",
                 dominant, sqrt (power));
  ck_assert_msg (power / 2.0 >= 0.5 * rms * rms,
                 "The %.1f Hz tone carries %.0f %% of the energy only",
                 dominant, 100.0 * power / 2.0 / (rms * rms));

  /* Other tones are looked for in a shorter block: its coarser bins
   * still cover every frequency at half-bin steps, in a fraction of the
   * time (this scan is quadratic in the block's length). */
  if (n_samples > REST_SCAN_SAMPLES)
    {
      samples += (n_samples - REST_SCAN_SAMPLES) / 2;
      n_samples = REST_SCAN_SAMPLES;
    }
  bin = (double) audio->rate / n_samples;
  for (double f = 50.0; f <= high; f += bin / 2.0)
    {
      if (fabs (f - dominant) <= 0.1 * dominant)
        continue;
      rest = MAX (rest, tapi_goertzel_power_hann (samples, n_samples,
                                                  audio->rate, f));
    }
  power = tapi_goertzel_power_hann (samples, n_samples, audio->rate, dominant);
  ck_assert_msg (power >= MIN_TONE_TO_REST_RATIO * rest,
                 "The %.1f Hz tone is only %.1f times stronger than other "
                 "frequencies", dominant, rest > 0 ? power / rest : 0.0);
}

/**
 * tapi_test_audio_assert_tone:
 * @path: an audio file
 * @frequency: the expected tone
 *
 * Fails the test unless @path can be read and its dominant tone is
 * @frequency; see tapi_test_audio_assert_tone_in().
 */
void
tapi_test_audio_assert_tone (const char *path,
                             double      frequency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTestAudio) audio = tapi_test_audio_load (path, &error);

  ck_assert_msg (audio != NULL, "Cannot read %s: %s", path,
                 error ? error->message : "");
  tapi_test_audio_assert_tone_in (audio, 0.0, -1.0, frequency);
}

/**
 * tapi_test_audio_assert_silence_in:
 * @audio: the audio
 * @start: where to look, in seconds
 * @end: until when, in seconds; negative for the end of @audio
 *
 * Fails the test unless the audio between @start and @end is there and
 * below -60 dBFS.
 */
void
tapi_test_audio_assert_silence_in (const TapiTestAudio *audio,
                                   double               start,
                                   double               end)
{
  const float *samples;
  gsize n_samples;
  double rms;

  slice (audio, start, end, &samples, &n_samples);
  ck_assert_msg (n_samples >= audio->rate / 10,
                 "Only %" G_GSIZE_FORMAT " samples between %.2f s and %.2f s",
                 n_samples, start, end);
  rms = tapi_test_audio_rms (samples, n_samples);
  ck_assert_msg (rms <= MAX_SILENCE_RMS,
                 "Expected silence between %.2f s and %.2f s, the level is "
                 "%.1f dBFS", start, end, 20.0 * log10 (rms));
}

/**
 * tapi_test_audio_assert_wav_header:
 * @path: a WAV file
 *
 * Fails the test unless @path is a RIFF WAVE file whose RIFF size matches
 * the size of the file and whose chunks, a "fmt " then a non-empty "data"
 * among them, fill it exactly: a file that was finished.
 */
void
tapi_test_audio_assert_wav_header (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_auto(TapiWav) wav = { 0 };

  ck_assert_msg (tapi_wav_load (path, &wav, &error),
                 "%s is not a finished WAV file: %s", path, error->message);
  ck_assert_msg (wav.n_samples > 0, "The data chunk of %s is empty", path);
}
