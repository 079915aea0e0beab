/* bench-media-util.h: shared helpers of the media benchmarks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <tapi3.h>

#include "tapi-goertzel.h"

G_BEGIN_DECLS

/* The media of the simulated PBX and of the media stream terminals */
#define BENCH_SAMPLE_RATE    8000
#define BENCH_TONE_FREQUENCY 1000.0
/* 10 ms: a whole number of 1000 Hz periods, so a block of steady tone
 * gives the same amplitude wherever it starts. */
#define BENCH_BLOCK_SAMPLES  80

typedef gboolean (*BenchPredicate) (gpointer user_data);

/* Time and resources */
double      bench_cpu_seconds       (void);
double      bench_machine_busy_seconds (void);
long        bench_proc_status_value (const char *field);
gint64      bench_udp_counter       (const char *name);
GHashTable *bench_udp_drops_snapshot (void);
guint64     bench_udp_drops_since   (GHashTable *before);

/* Running the default main context */
gboolean    bench_spin_until        (BenchPredicate  done,
                                     gpointer        user_data,
                                     guint           timeout_ms);
void        bench_spin              (guint           milliseconds);

/* Audio */
GBytes     *bench_tone_s16          (gsize           n_samples,
                                     guint64         first_sample,
                                     guint           rate,
                                     double          frequency,
                                     double          amplitude);

/* A listener for BENCH_TONE_FREQUENCY in received audio, in blocks of
 * 5 ms (five periods of the tone). A chunk of samples is stamped with
 * g_get_monotonic_time when it arrives; a block inside it is placed that
 * many samples before the chunk's end. */
#define BENCH_EAR_BLOCK_SAMPLES 40
#define BENCH_EAR_THRESHOLD     0.15   /* half the tone service's amplitude, 0.3 */

typedef struct
{
  gint16  block[BENCH_EAR_BLOCK_SAMPLES];
  guint   block_fill;
  guint   tone_blocks;
  gint64  first_tone_start_us;     /* 0: none yet */
  gint64  last_tone_end_us;
} BenchEar;

void        bench_ear_feed          (BenchEar       *ear,
                                     GBytes         *bytes);
guint       bench_ear_tone_ms       (const BenchEar *ear);

/* Statistics of a GArray of doubles; sorts it */
void        bench_stats             (GArray         *values,
                                     double         *min,
                                     double         *median,
                                     double         *max);

/* Calls, streams, terminals */
const char *bench_enum_nick         (GType           type,
                                     int             value);
TapiStream *bench_stream_of         (TapiCall              *call,
                                     TapiTerminalDirection  direction);
TapiTerminal *bench_new_terminal    (TapiAddress           *address,
                                     const char            *terminal_class,
                                     TapiTerminalDirection  direction,
                                     GError               **error);

/* Counting the criticals and warnings GLib logs, which are still printed */
void        bench_watch_log         (void);
guint       bench_log_criticals     (void);
guint       bench_log_warnings      (void);

G_END_DECLS
