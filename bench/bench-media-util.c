/* bench-media-util.c: shared helpers of the media benchmarks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench-media-util.h"

/* Time and resources */

/* User and system time of every thread of the process, the broker's and
 * GStreamer's included. */
double
bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* CPU time every processor of the machine spent on anything but idling
 * and waiting (the first line of /proc/stat), or -1. */
double
bench_machine_busy_seconds (void)
{
  g_autofree char *contents = NULL;
  guint64 user, nice, system, idle, iowait, irq, softirq, steal;
  long ticks = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/stat", &contents, NULL, NULL) ||
      sscanf (contents,
              "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &user, &nice, &system, &idle, &iowait, &irq, &softirq,
              &steal) != 8 ||
      ticks <= 0)
    return -1;
  return (double) (user + nice + system + irq + softirq + steal) / ticks;
}

/* The number after a field of /proc/self/status ("VmRSS" in KiB,
 * "Threads"), or -1. */
long
bench_proc_status_value (const char *field)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  size_t field_len = strlen (field);

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], field, field_len) == 0 && lines[i][field_len] == ':')
      return strtol (lines[i] + field_len + 1, NULL, 10);

  return -1;
}

/* A counter of the "Udp:" lines of /proc/net/snmp ("RcvbufErrors"), for
 * the whole machine, or -1. */
gint64
bench_udp_counter (const char *name)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) values = NULL;

  if (!g_file_get_contents ("/proc/net/snmp", &contents, NULL, NULL))
    return -1;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Udp: ") &&
        g_str_has_prefix (lines[i + 1], "Udp: "))
      {
        names = g_strsplit (lines[i], " ", -1);
        values = g_strsplit (lines[i + 1], " ", -1);
        break;
      }
  if (names == NULL)
    return -1;

  for (guint i = 0; names[i] != NULL && values[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return g_ascii_strtoll (values[i], NULL, 10);
  return -1;
}

/* The drops counter of every UDP socket this process has open, by inode
 * (from /proc/net/udp, where the kernel counts the datagrams it could not
 * queue for the socket). */
GHashTable *
bench_udp_drops_snapshot (void)
{
  GHashTable *drops = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                             g_free, g_free);
  g_autoptr(GHashTable) own =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const char *name;

  if (dir == NULL ||
      !g_file_get_contents ("/proc/net/udp", &contents, NULL, NULL))
    return drops;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);
      gint64 inode;

      if (target &&
          sscanf (target, "socket:[%" G_GINT64_FORMAT "]", &inode) == 1)
        g_hash_table_add (own, g_memdup2 (&inode, sizeof inode));
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      GPtrArray *words = g_ptr_array_new ();
      gint64 inode, count;

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      if (words->len >= 13)
        {
          inode = g_ascii_strtoll (g_ptr_array_index (words, 9), NULL, 10);
          count = g_ascii_strtoll (g_ptr_array_index (words, 12), NULL, 10);
          if (g_hash_table_contains (own, &inode))
            g_hash_table_insert (drops, g_memdup2 (&inode, sizeof inode),
                                 g_memdup2 (&count, sizeof count));
        }
      g_ptr_array_unref (words);
    }
  return drops;
}

/* Datagrams dropped since @before on the sockets open now. */
guint64
bench_udp_drops_since (GHashTable *before)
{
  g_autoptr(GHashTable) now = bench_udp_drops_snapshot ();
  GHashTableIter iter;
  gpointer key, value;
  guint64 total = 0;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 *previous = g_hash_table_lookup (before, key);
      gint64 count = *(gint64 *) value - (previous ? *previous : 0);

      total += MAX (count, 0);
    }
  return total;
}

/* Running the default main context */

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until @done says so or @timeout_ms
 * passed; returns what @done said last. A slow tick makes sure the
 * deadline is seen while nothing else happens. */
gboolean
bench_spin_until (BenchPredicate done,
                  gpointer       user_data,
                  guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (50, wake_cb, NULL);
  gboolean result;

  while (!(result = done (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return result;
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

void
bench_spin (guint milliseconds)
{
  bench_spin_until (never, NULL, milliseconds);
}

/* Audio */

/* @n_samples of a sine, 16-bit little-endian, continuing from sample
 * @first_sample of the same sine. */
GBytes *
bench_tone_s16 (gsize   n_samples,
                guint64 first_sample,
                guint   rate,
                double  frequency,
                double  amplitude)
{
  gint16 *data = g_new (gint16, n_samples);

  for (gsize i = 0; i < n_samples; i++)
    {
      double phase = 2.0 * G_PI * frequency * (double) (first_sample + i) /
                     rate;

      data[i] = GINT16_TO_LE ((gint16) lrint (amplitude * 32767.0 * sin (phase)));
    }
  return g_bytes_new_take (data, n_samples * sizeof (gint16));
}

void
bench_ear_feed (BenchEar *ear,
                GBytes   *bytes)
{
  gint64 now = g_get_monotonic_time ();
  gsize size;
  const gint16 *data = g_bytes_get_data (bytes, &size);
  gsize n = size / sizeof (gint16);

  for (gsize i = 0; i < n; i++)
    {
      ear->block[ear->block_fill++] = GINT16_FROM_LE (data[i]);
      if (ear->block_fill < BENCH_EAR_BLOCK_SAMPLES)
        continue;
      ear->block_fill = 0;

      if (tapi_goertzel_amplitude_s16 (ear->block, BENCH_EAR_BLOCK_SAMPLES,
                                       BENCH_SAMPLE_RATE,
                                       BENCH_TONE_FREQUENCY) >=
          BENCH_EAR_THRESHOLD)
        {
          /* The block ends at sample i + 1 of the chunk that ends now. */
          gint64 end = now - (gint64) (n - (i + 1)) * G_USEC_PER_SEC /
                               BENCH_SAMPLE_RATE;

          ear->tone_blocks++;
          ear->last_tone_end_us = end;
          if (ear->first_tone_start_us == 0)
            ear->first_tone_start_us = end - (gint64) BENCH_EAR_BLOCK_SAMPLES *
                                               G_USEC_PER_SEC /
                                               BENCH_SAMPLE_RATE;
        }
    }
}

/* How much of the tone @ear heard, in whole milliseconds */
guint
bench_ear_tone_ms (const BenchEar *ear)
{
  return ear->tone_blocks * BENCH_EAR_BLOCK_SAMPLES * 1000 / BENCH_SAMPLE_RATE;
}

/* Statistics */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

void
bench_stats (GArray *values,
             double *min,
             double *median,
             double *max)
{
  guint n = values->len;

  if (n == 0)
    {
      *min = *median = *max = NAN;
      return;
    }

  g_array_sort (values, compare_doubles);
  *min = g_array_index (values, double, 0);
  *max = g_array_index (values, double, n - 1);
  if (n % 2)
    *median = g_array_index (values, double, n / 2);
  else
    *median = (g_array_index (values, double, n / 2 - 1)
               + g_array_index (values, double, n / 2)) / 2.0;
}

/* Calls, streams, terminals */

const char *
bench_enum_nick (GType type,
                 int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  const char *nick = enum_value != NULL ? enum_value->value_nick : "?";

  g_type_class_unref (klass);
  return nick;
}

/* The audio stream of @call in @direction, or NULL; the call keeps its
 * streams, so the pointer stays good while the call lives. */
TapiStream *
bench_stream_of (TapiCall              *call,
                 TapiTerminalDirection  direction)
{
  GListModel *streams = tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));

  for (guint i = 0; streams != NULL && i < g_list_model_get_n_items (streams);
       i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      if (tapi_stream_get_media_type (stream) == TAPI_MEDIA_TYPE_AUDIO &&
          tapi_stream_get_direction (stream) == direction)
        return stream;
    }
  return NULL;
}

TapiTerminal *
bench_new_terminal (TapiAddress           *address,
                    const char            *terminal_class,
                    TapiTerminalDirection  direction,
                    GError               **error)
{
  return tapi_address_create_terminal (address, terminal_class, TAPI_MEDIA_TYPE_AUDIO,
                                       direction, error);
}

/* Counting log messages */

static guint log_criticals;
static guint log_warnings;

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  if (log_level & G_LOG_LEVEL_CRITICAL)
    g_atomic_int_inc (&log_criticals);
  else if (log_level & G_LOG_LEVEL_WARNING)
    g_atomic_int_inc (&log_warnings);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
bench_watch_log (void)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
}

guint
bench_log_criticals (void)
{
  return (guint) g_atomic_int_get (&log_criticals);
}

guint
bench_log_warnings (void)
{
  return (guint) g_atomic_int_get (&log_warnings);
}
