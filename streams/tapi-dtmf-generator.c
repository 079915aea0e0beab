/* tapi-dtmf-generator.c: adds DTMF digits as tones to sent audio
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <math.h>

#include "tapi-dtmf-generator.h"
#include "tapi-media-detector.h"

/* Digits are added to the audio as it passes, counted in samples: each
 * sounds for exactly on_ms and is followed by off_ms of the audio alone,
 * however late the buffers come. Nothing but the samples decides the
 * length of a tone, so a busy machine can delay a digit but never cut
 * a hole into it.
 *
 * Digits are queued from any thread; the samples are processed in the
 * streaming thread. */

/* Each tone at about -10 dBFS: both together stay below full scale. */
#define TONE_AMPLITUDE (0.316 * 32767.0)

struct _TapiDtmfGenerator
{
  GMutex   lock;
  guint    sample_rate;
  gsize    on_samples;
  gsize    off_samples;
  GString *queue;          /* digits not started yet */
  char     digit;          /* the digit sounding or its pause, or '\0' */
  double   row;
  double   column;
  gsize    position;       /* samples into the digit and its pause */
};

/**
 * tapi_dtmf_generator_new:
 * @sample_rate: the rate of the audio the tones go into
 * @on_ms: how long each digit sounds
 * @off_ms: the pause after each digit
 *
 * Returns: (transfer full): a new generator, with no digits
 */
TapiDtmfGenerator *
tapi_dtmf_generator_new (guint sample_rate,
                         guint on_ms,
                         guint off_ms)
{
  TapiDtmfGenerator *self = g_new0 (TapiDtmfGenerator, 1);

  g_mutex_init (&self->lock);
  self->sample_rate = sample_rate;
  self->on_samples = (gsize) sample_rate * on_ms / 1000;
  self->off_samples = (gsize) sample_rate * off_ms / 1000;
  self->queue = g_string_new (NULL);
  return self;
}

void
tapi_dtmf_generator_free (TapiDtmfGenerator *self)
{
  if (self == NULL)
    return;
  g_string_free (self->queue, TRUE);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * tapi_dtmf_generator_push:
 * @digits: DTMF digits (0-9, *, #, A-D); others are skipped
 *
 * Queues @digits after those already queued.
 */
void
tapi_dtmf_generator_push (TapiDtmfGenerator *self,
                          const char        *digits)
{
  double row, column;

  g_mutex_lock (&self->lock);
  for (const char *p = digits; *p; p++)
    if (tapi_dtmf_frequencies (*p, &row, &column))
      g_string_append_c (self->queue, g_ascii_toupper (*p));
  g_mutex_unlock (&self->lock);
}

/* Whether a digit, or its pause, is still to be sent. */
gboolean
tapi_dtmf_generator_is_busy (TapiDtmfGenerator *self)
{
  gboolean busy;

  g_mutex_lock (&self->lock);
  busy = self->digit != '\0' || self->queue->len > 0;
  g_mutex_unlock (&self->lock);
  return busy;
}

/**
 * tapi_dtmf_generator_flush:
 *
 * Stops the digit sounding and empties the queue.
 *
 * Returns: (transfer full): the digits that had not started
 */
char *
tapi_dtmf_generator_flush (TapiDtmfGenerator *self)
{
  char *unsent;

  g_mutex_lock (&self->lock);
  unsent = g_strdup (self->queue->str);
  g_string_truncate (self->queue, 0);
  self->digit = '\0';
  g_mutex_unlock (&self->lock);
  return unsent;
}

/**
 * tapi_dtmf_generator_process:
 * @samples: (array length=n_samples): mono 16-bit audio, changed in place
 * @n_samples: how many
 *
 * Adds the tones of the queued digits to @samples.
 *
 * Returns: %TRUE if the last queued digit's pause ended in @samples
 */
gboolean
tapi_dtmf_generator_process (TapiDtmfGenerator *self,
                             gint16            *samples,
                             gsize              n_samples)
{
  gboolean finished = FALSE;

  g_mutex_lock (&self->lock);
  for (gsize i = 0; i < n_samples; i++)
    {
      if (self->digit == '\0')
        {
          if (self->queue->len == 0)
            break;
          self->digit = self->queue->str[0];
          g_string_erase (self->queue, 0, 1);
          tapi_dtmf_frequencies (self->digit, &self->row, &self->column);
          self->position = 0;
        }

      if (self->position < self->on_samples)
        {
          double t = (double) self->position / self->sample_rate;
          double tone = TONE_AMPLITUDE * (sin (2 * G_PI * self->row * t) +
                                          sin (2 * G_PI * self->column * t));

          samples[i] = (gint16) CLAMP (samples[i] + lround (tone), G_MININT16,
                                       G_MAXINT16);
        }

      if (++self->position >= self->on_samples + self->off_samples)
        {
          self->digit = '\0';
          finished = self->queue->len == 0;
        }
    }
  g_mutex_unlock (&self->lock);
  return finished;
}
