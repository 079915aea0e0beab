/* tapi3-audio.h: reading back what the tapi3 demos recorded
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A recording is loud where its level is above this */
#define CLI_LOUD_DBFS (-40.0)

/* A recording's strongest tone, from cli_analyse_recording (). */
typedef struct
{
  guint  rate;          /* the recording's sample rate */
  double seconds;       /* the length of the recording */
  double loud_seconds;  /* how much of it is above CLI_LOUD_DBFS */
  double frequency;     /* the strongest frequency in the loud parts */
  double share;         /* that frequency's share of their power */
} CliToneAnalysis;

gboolean cli_analyse_recording (const char       *path,
                                CliToneAnalysis  *analysis,
                                GError          **error);

G_END_DECLS
