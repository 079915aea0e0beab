/* tapi-wav.c: reading and writing WAV files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-wav.h"

#define HEADER_SIZE 44

static guint
read_le (const guint8 *bytes,
         guint         size)
{
  guint value = 0;

  for (guint i = size; i > 0; i--)
    value = value << 8 | bytes[i - 1];
  return value;
}

static void
write_le (guint8 *bytes,
          guint   size,
          guint   value)
{
  for (guint i = 0; i < size; i++, value >>= 8)
    bytes[i] = value & 0xff;
}

static float
read_sample (const guint8 *bytes,
             guint         format,
             guint         bits)
{
  if (format == 3 && bits == 32)
    {
      guint32 raw = read_le (bytes, 4);
      float value;

      memcpy (&value, &raw, sizeof value);
      return value;
    }
  if (format == 3 && bits == 64)
    {
      guint64 raw = (guint64) read_le (bytes + 4, 4) << 32 | read_le (bytes, 4);
      double value;

      memcpy (&value, &raw, sizeof value);
      return (float) value;
    }
  if (bits == 8)
    return (bytes[0] - 128) / 128.0f;
  if (bits == 16)
    return (gint16) read_le (bytes, 2) / 32768.0f;
  if (bits == 24)
    return ((gint32) (read_le (bytes, 3) << 8) >> 8) / 8388608.0f;
  return (gint32) read_le (bytes, 4) / 2147483648.0f;
}

/**
 * tapi_wav_parse:
 * @contents: (array length=length): a WAV file
 * @length: its size
 * @wav: (out caller-allocates): where to put its audio
 * @error: return location for a #GError in G_FILE_ERROR
 *
 * Reads PCM (8, 16, 24, 32 bits) or float (32, 64 bits) audio. Strict on
 * purpose: a file whose header was never completed (its writer did not
 * finish it) is an error, not something to guess at. Clear @wav with
 * tapi_wav_clear () whatever the result.
 *
 * Returns: whether @contents is a complete WAV file
 */
gboolean
tapi_wav_parse (const guint8  *contents,
                gsize          length,
                TapiWav       *wav,
                GError       **error)
{
  const guint8 *fmt = NULL, *data = NULL;
  gsize offset, data_size = 0;
  guint format, bits, frame;

  memset (wav, 0, sizeof *wav);
  if (length < 12 || memcmp (contents, "RIFF", 4) != 0 ||
      memcmp (contents + 8, "WAVE", 4) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "not a WAV file (%" G_GSIZE_FORMAT " bytes)", length);
      return FALSE;
    }
  if ((gsize) read_le (contents + 4, 4) + 8 != length)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "the RIFF header counts %u bytes but the file has %"
                   G_GSIZE_FORMAT ": the recording was not finished",
                   read_le (contents + 4, 4) + 8, length);
      return FALSE;
    }

  for (offset = 12; offset + 8 <= length;)
    {
      gsize size = read_le (contents + offset + 4, 4);

      if (size > length - offset - 8)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "the \"%.4s\" chunk runs past the end of the file",
                       (const char *) contents + offset);
          return FALSE;
        }
      if (memcmp (contents + offset, "fmt ", 4) == 0 && size >= 16)
        fmt = contents + offset + 8;
      else if (memcmp (contents + offset, "data", 4) == 0)
        {
          if (fmt == NULL)
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "the data chunk comes before the fmt chunk");
              return FALSE;
            }
          data = contents + offset + 8;
          data_size = size;
        }
      offset += 8 + size + (size & 1);
    }

  if (fmt == NULL || data == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "the file has no %s chunk", fmt == NULL ? "fmt" : "data");
      return FALSE;
    }
  if (offset != length)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "the chunks do not fill the file: the recording was not "
                   "finished");
      return FALSE;
    }

  format = read_le (fmt, 2);
  wav->channels = read_le (fmt + 2, 2);
  wav->rate = read_le (fmt + 4, 4);
  bits = read_le (fmt + 14, 2);
  if (format == 0xfffe && read_le (fmt + 16, 2) >= 22 &&
      fmt + 26 <= contents + length)
    format = read_le (fmt + 24, 2);
  if (wav->channels == 0 || wav->rate == 0 ||
      !((format == 1 && (bits == 8 || bits == 16 || bits == 24 ||
                         bits == 32)) ||
        (format == 3 && (bits == 32 || bits == 64))))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "unexpected sample format %u (%u bits, %u channels, "
                   "%u Hz)", format, bits, wav->channels, wav->rate);
      return FALSE;
    }

  frame = wav->channels * bits / 8;
  wav->n_samples = data_size / frame;
  wav->samples = g_new (float, MAX (wav->n_samples, 1));
  for (gsize i = 0; i < wav->n_samples; i++)
    wav->samples[i] = read_sample (data + i * frame, format, bits);
  return TRUE;
}

/**
 * tapi_wav_load:
 * @path: a WAV file
 * @wav: (out caller-allocates): where to put its audio
 * @error: return location for a #GError
 *
 * Reads the file at @path with tapi_wav_parse ().
 *
 * Returns: whether @path could be read and is a complete WAV file
 */
gboolean
tapi_wav_load (const char  *path,
               TapiWav     *wav,
               GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  memset (wav, 0, sizeof *wav);
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  return tapi_wav_parse ((const guint8 *) contents, length, wav, error);
}

/**
 * tapi_wav_clear:
 * @wav: audio from tapi_wav_parse ()
 *
 * Frees the samples of @wav.
 */
void
tapi_wav_clear (TapiWav *wav)
{
  g_clear_pointer (&wav->samples, g_free);
  wav->n_samples = 0;
}

/**
 * tapi_wav_encode_s16:
 * @samples: interleaved 16-bit little-endian samples
 * @rate: their sample rate
 * @channels: how many channels they interleave
 *
 * Returns: (transfer full): a WAV file holding @samples
 */
GBytes *
tapi_wav_encode_s16 (GBytes *samples,
                     guint   rate,
                     guint   channels)
{
  gsize data_size = g_bytes_get_size (samples);
  guint8 *file;

  g_return_val_if_fail (data_size <= G_MAXUINT32 - HEADER_SIZE, NULL);
  g_return_val_if_fail (channels > 0, NULL);

  file = g_malloc (HEADER_SIZE + data_size + (data_size & 1));
  memcpy (file, "RIFF", 4);
  write_le (file + 4, 4, HEADER_SIZE - 8 + data_size + (data_size & 1));
  memcpy (file + 8, "WAVEfmt ", 8);
  write_le (file + 16, 4, 16);
  write_le (file + 20, 2, 1);                     /* PCM */
  write_le (file + 22, 2, channels);
  write_le (file + 24, 4, rate);
  write_le (file + 28, 4, rate * channels * 2);   /* bytes per second */
  write_le (file + 32, 2, channels * 2);          /* block align */
  write_le (file + 34, 2, 16);                    /* bits per sample */
  memcpy (file + 36, "data", 4);
  write_le (file + 40, 4, data_size);
  memcpy (file + HEADER_SIZE, g_bytes_get_data (samples, NULL), data_size);
  if (data_size & 1)
    file[HEADER_SIZE + data_size] = 0;
  return g_bytes_new_take (file, HEADER_SIZE + data_size + (data_size & 1));
}

/**
 * tapi_wav_save_s16:
 * @path: the file to write
 * @samples: interleaved 16-bit little-endian samples
 * @rate: their sample rate
 * @channels: how many channels they interleave
 * @error: return location for a #GError
 *
 * Writes @samples to @path as a WAV file.
 *
 * Returns: whether the file was written
 */
gboolean
tapi_wav_save_s16 (const char  *path,
                   GBytes      *samples,
                   guint        rate,
                   guint        channels,
                   GError     **error)
{
  g_autoptr(GBytes) file = tapi_wav_encode_s16 (samples, rate, channels);
  gsize size;
  const char *contents = g_bytes_get_data (file, &size);

  return g_file_set_contents (path, contents, size, error);
}
