/* tapi-wav.h: reading and writing WAV files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The audio of a WAV file: its first channel as floats */
typedef struct
{
  guint  rate;
  guint  channels;
  gsize  n_samples;
  float *samples;    /* the first channel, from -1 to 1 */
} TapiWav;

gboolean tapi_wav_parse       (const guint8  *contents,
                               gsize          length,
                               TapiWav       *wav,
                               GError       **error);
gboolean tapi_wav_load        (const char    *path,
                               TapiWav       *wav,
                               GError       **error);
void     tapi_wav_clear       (TapiWav       *wav);

GBytes  *tapi_wav_encode_s16  (GBytes        *samples,
                               guint          rate,
                               guint          channels);
gboolean tapi_wav_save_s16    (const char    *path,
                               GBytes        *samples,
                               guint          rate,
                               guint          channels,
                               GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TapiWav, tapi_wav_clear)

G_END_DECLS
