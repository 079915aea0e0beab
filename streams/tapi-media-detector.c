/* tapi-media-detector.c: detects fax and modem tones and DTMF digits in
 * received audio
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include "tapi-media-detector.h"
#include "tapi-goertzel.h"

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
  TapiGoertzel filter;

  tapi_goertzel_init (&filter, frequency, sample_rate);
  for (gsize i = 0; i < n; i++)
    tapi_goertzel_push (&filter, samples[i]);
  return tapi_goertzel_magnitude2 (&filter) * 2.0 / ((double) n * n);
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

  cng = goertzel (self->block, self->block_size, CNG_FREQUENCY,
                  self->sample_rate);
  ans = goertzel (self->block, self->block_size, ANS_FREQUENCY,
                  self->sample_rate);

  self->cng_blocks = cng > TONE_SHARE * power ? self->cng_blocks + 1 : 0;
  self->ans_blocks = ans > TONE_SHARE * power ? self->ans_blocks + 1 : 0;

  if (self->cng_blocks >= CNG_MIN_BLOCKS &&
      !(self->reported & TAPI_MEDIA_TYPE_G3FAX))
    found |= TAPI_MEDIA_TYPE_G3FAX;
  if (self->ans_blocks >= ANS_MIN_BLOCKS &&
      !(self->reported & TAPI_MEDIA_TYPE_DATAMODEM))
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

/* DTMF digits (ITU-T Q.23 frequencies, Q.24 reception rules).
 *
 * A 20 ms window of audio is measured every 5 ms with the Goertzel
 * algorithm at the four row and four column frequencies. A window holds a
 * digit when its strongest row and strongest column:
 *  - carry most of the window's energy (signal-to-energy ratio), so that
 *    speech and noise do not count;
 *  - stand well above the other rows and columns;
 *  - differ by no more than the allowed twist (the row, or low group, up to
 *    8 dB stronger than the column; the column up to 4 dB stronger).
 * A digit is reported once, when its windows add up to about 30 ms of
 * tone (a 40 ms tone always does, a 20 ms one never), and it ends only
 * after 35 ms of windows without it: a hole of up to about 20 ms in a
 * tone (a lost or late packet) does not split it in two, while a pause of
 * 40 ms between two tones, even of the same digit, separates them. */

#define DTMF_WINDOW_MS       20
#define DTMF_STEP_MS         5
#define DTMF_ON_STEPS        6      /* windows with the digit before it counts */
#define DTMF_OFF_STEPS       7      /* windows without it before it ends */
#define DTMF_MIN_TONE_POWER  1e-5   /* about -50 dBFS for each tone */
#define DTMF_ENERGY_SHARE    0.6    /* both tones' share of the window's power */
#define DTMF_PEAK_RATIO      6.3    /* 8 dB above the other rows or columns */
#define DTMF_NORMAL_TWIST    6.3    /* 8 dB: the row stronger than the column */
#define DTMF_REVERSE_TWIST   2.5    /* 4 dB: the column stronger than the row */

static const double dtmf_rows[] = { 697.0, 770.0, 852.0, 941.0 };
static const double dtmf_columns[] = { 1209.0, 1336.0, 1477.0, 1633.0 };
static const char dtmf_digits[4][4] = {
  { '1', '2', '3', 'A' },
  { '4', '5', '6', 'B' },
  { '7', '8', '9', 'C' },
  { '*', '0', '#', 'D' },
};

/**
 * tapi_dtmf_frequencies:
 * @digit: a DTMF digit (0-9, *, #, A-D, either case)
 * @row: (out): its low (row) frequency in Hz
 * @column: (out): its high (column) frequency in Hz
 *
 * Returns: %TRUE if @digit is a DTMF digit
 */
gboolean
tapi_dtmf_frequencies (char    digit,
                       double *row,
                       double *column)
{
  digit = g_ascii_toupper (digit);
  for (guint r = 0; r < G_N_ELEMENTS (dtmf_rows); r++)
    for (guint c = 0; c < G_N_ELEMENTS (dtmf_columns); c++)
      if (dtmf_digits[r][c] == digit)
        {
          *row = dtmf_rows[r];
          *column = dtmf_columns[c];
          return TRUE;
        }
  return FALSE;
}

struct _TapiDtmfDetector
{
  guint    sample_rate;
  gsize    window_size;
  gsize    step_size;
  double  *window;          /* ring of the last window_size samples */
  gsize    position;        /* where the next sample goes in the ring */
  gsize    filled;
  gsize    since_step;
  double  *ordered;         /* the window, oldest sample first */
  char     candidate;       /* the digit being heard, or '\0' */
  guint    hits;            /* windows with the candidate */
  guint    misses;          /* windows in a row without it */
  gboolean reported;        /* the candidate was reported */
};

TapiDtmfDetector *
tapi_dtmf_detector_new (guint sample_rate)
{
  TapiDtmfDetector *self = g_new0 (TapiDtmfDetector, 1);

  self->sample_rate = sample_rate;
  self->window_size = MAX (1, sample_rate * DTMF_WINDOW_MS / 1000);
  self->step_size = MAX (1, sample_rate * DTMF_STEP_MS / 1000);
  self->window = g_new0 (double, self->window_size);
  self->ordered = g_new0 (double, self->window_size);
  return self;
}

void
tapi_dtmf_detector_free (TapiDtmfDetector *self)
{
  g_free (self->window);
  g_free (self->ordered);
  g_free (self);
}

/* The strongest of @n frequencies: its index, its power, and the power of
 * the next strongest. */
static guint
strongest (const double *samples,
           gsize         n_samples,
           const double *frequencies,
           guint         n,
           guint         sample_rate,
           double       *power,
           double       *second)
{
  guint best = 0;

  *power = *second = 0.0;
  for (guint i = 0; i < n; i++)
    {
      double p = goertzel (samples, n_samples, frequencies[i], sample_rate);

      if (p > *power)
        {
          *second = *power;
          *power = p;
          best = i;
        }
      else if (p > *second)
        *second = p;
    }
  return best;
}

/* The digit in the current window, or '\0'. */
static char
dtmf_window_digit (TapiDtmfDetector *self)
{
  const double *samples = self->ordered;
  gsize n = self->window_size;
  double total = 0.0, row_power, row_second, column_power, column_second;
  guint row, column;

  for (gsize i = 0; i < n; i++)
    {
      self->ordered[i] = self->window[(self->position + i) % n];
      total += self->ordered[i] * self->ordered[i];
    }
  total /= n;
  if (total < 2 * DTMF_MIN_TONE_POWER)
    return '\0';

  row = strongest (samples, n, dtmf_rows, 4, self->sample_rate, &row_power,
                   &row_second);
  column = strongest (samples, n, dtmf_columns, 4, self->sample_rate,
                      &column_power, &column_second);

  if (row_power < DTMF_MIN_TONE_POWER || column_power < DTMF_MIN_TONE_POWER ||
      row_power + column_power < DTMF_ENERGY_SHARE * total ||
      row_power < DTMF_PEAK_RATIO * row_second ||
      column_power < DTMF_PEAK_RATIO * column_second ||
      row_power > DTMF_NORMAL_TWIST * column_power ||
      column_power > DTMF_REVERSE_TWIST * row_power)
    return '\0';
  return dtmf_digits[row][column];
}

static char
dtmf_step (TapiDtmfDetector *self)
{
  char digit = dtmf_window_digit (self);

  if (digit != '\0' && digit == self->candidate)
    {
      self->misses = 0;
      if (++self->hits >= DTMF_ON_STEPS && !self->reported)
        {
          self->reported = TRUE;
          return digit;
        }
      return '\0';
    }

  /* Another digit takes over only from one not reported yet: a reported
   * one must end with a pause first. */
  if (digit != '\0' && !self->reported)
    {
      self->candidate = digit;
      self->hits = 1;
      self->misses = 0;
      return '\0';
    }

  if (self->candidate != '\0' && ++self->misses >= DTMF_OFF_STEPS)
    {
      self->candidate = '\0';
      self->hits = 0;
      self->misses = 0;
      self->reported = FALSE;
    }
  return '\0';
}

/* Feeds mono 16-bit samples; appends the digits newly detected to @digits. */
void
tapi_dtmf_detector_feed (TapiDtmfDetector *self,
                         const gint16     *samples,
                         gsize             n_samples,
                         GString          *digits)
{
  for (gsize i = 0; i < n_samples; i++)
    {
      self->window[self->position] = samples[i] / 32768.0;
      self->position = (self->position + 1) % self->window_size;
      if (self->filled < self->window_size)
        self->filled++;
      if (++self->since_step < self->step_size ||
          self->filled < self->window_size)
        continue;
      self->since_step = 0;

      {
        char digit = dtmf_step (self);

        if (digit != '\0')
          g_string_append_c (digits, digit);
      }
    }
}
