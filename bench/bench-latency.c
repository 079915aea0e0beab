/* bench-latency.c: mouth-to-ear latency of a call through the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Application A on extension 100 calls application B on 101 of the
 * embedded simulated PBX, and B answers. A's capture stream has a media
 * stream terminal into which A pushes silence in real time, every 10 ms
 * what became due since the first push; B's render stream has a media
 * stream terminal. Every --interval ms the chunk A pushes begins with a
 * 100 ms burst of 1000 Hz instead of silence: the moment of that push is
 * the mouth time. The ear time is when the chunk of samples holding the
 * burst's first sample reaches B (g_get_monotonic_time in the
 * samples-received handler), so the latency is what one application
 * sees from handing audio over to the other application getting it.
 * Printed: latency_ms minimum, median and maximum over --bursts bursts,
 * and where the burst started inside the chunk that brought it (onset_ms,
 * how much audio of the chunk came before it).
 *
 * A media stream render terminal takes the audio as the pipeline has it,
 * not at a clock: the receiving jitter buffer holds packets back only to
 * put them in order or wait for missing ones (and at the start of a
 * stream), while its latency is what a clock-synchronised sink
 * (speakers) adds.
 *
 * The jitter buffer's latency comes from TAPI3_JITTER_LATENCY_MS when the
 * library builds a pipeline, so each setting runs in a process of its
 * own: the program runs itself once per --jitter entry ("default" leaves
 * the variable unset) and prints one line for each.
 */

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-pair.h"

#define APP_A_NAME        "org.libtapi3.Bench.LatencyA"
#define APP_B_NAME        "org.libtapi3.Bench.LatencyB"
#define PUSH_PERIOD_MS    10
#define BURST_MS          100
#define BURST_AMPLITUDE   0.5
#define ONSET_THRESHOLD   3277     /* 0.1 of full scale; between bursts is digital silence */
#define WARMUP_MS         1000     /* of silence before the first burst */
#define DETECT_TIMEOUT_MS 1000
#define STEP_TIMEOUT_MS   10000

typedef struct
{
  BenchPair     pair;

  TapiTerminal *capture_a;
  TapiTerminal *render_b;
  gboolean      capture_active;
  gboolean      render_active;

  /* A's pushing */
  guint         push_id;
  gint64        push_start_us;
  guint64       pushed;            /* samples */
  guint64       burst_left;        /* samples of the burst under way */
  guint64       burst_position;
  gint64        next_burst_us;
  guint         bursts_wanted;
  guint         bursts_sent;
  guint         interval_ms;

  /* B's listening */
  gboolean      armed;             /* a burst was pushed and not heard yet */
  gint64        mouth_us;
  guint         missed;
  GArray       *latency;           /* ms */
  GArray       *onset;             /* ms of the chunk before the burst */
} Bench;

/* A */

static gboolean
push_cb (gpointer user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gint64 now = g_get_monotonic_time ();
  guint64 due = (guint64) (now - self->push_start_us) * BENCH_SAMPLE_RATE /
                  G_USEC_PER_SEC -
                self->pushed;
  gint16 *data;

  if (due == 0)
    return G_SOURCE_CONTINUE;

  /* A burst that is heard or given up on lets the next one start. */
  if (self->burst_left == 0 && !self->armed && self->bursts_sent < self->bursts_wanted &&
      now >= self->next_burst_us)
    {
      self->burst_left = (guint64) BENCH_SAMPLE_RATE * BURST_MS / 1000;
      self->burst_position = 0;
      self->bursts_sent++;
      self->next_burst_us = now + (gint64) self->interval_ms * 1000;
      self->armed = TRUE;
      self->mouth_us = now;
    }

  data = g_new0 (gint16, due);
  if (self->burst_left > 0)
    {
      guint64 n = MIN (due, self->burst_left);
      g_autoptr(GBytes) tone =
        bench_tone_s16 (n, self->burst_position, BENCH_SAMPLE_RATE,
                        BENCH_TONE_FREQUENCY, BURST_AMPLITUDE);

      memcpy (data, g_bytes_get_data (tone, NULL), n * sizeof (gint16));
      self->burst_left -= n;
      self->burst_position += n;
    }
  bytes = g_bytes_new_take (data, due * sizeof (gint16));

  if (!tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (self->capture_a),
                                                bytes, &error))
    {
      bench_pair_fail (&self->pair, "push_samples: %s", error->message);
      self->push_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->pushed += due;
  return G_SOURCE_CONTINUE;
}

/* B */

static void
samples_b_cb (TapiMediaStreamTerminal *terminal,
              GBytes                  *bytes,
              gpointer                 user_data)
{
  Bench *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gsize size;
  const gint16 *data = g_bytes_get_data (bytes, &size);
  gsize n = size / sizeof (gint16);

  if (!self->armed)
    return;

  for (gsize i = 0; i < n; i++)
    if (ABS ((int) GINT16_FROM_LE (data[i])) >= ONSET_THRESHOLD)
      {
        /* The sine starts at 0: its first sample is the one before. */
        double onset = (i > 0 ? i - 1 : 0) * 1000.0 / BENCH_SAMPLE_RATE;
        double latency = (now - self->mouth_us) / 1000.0;

        g_array_append_val (self->latency, latency);
        g_array_append_val (self->onset, onset);
        self->armed = FALSE;
        return;
      }

  if (now - self->mouth_us > (gint64) DETECT_TIMEOUT_MS * 1000)
    {
      self->missed++;
      self->armed = FALSE;
    }
}

/* Calls */

static void
media_event_cb (TapiCall           *call,
                TapiCallMediaEvent  event,
                TapiCallMediaCause  cause,
                TapiStream         *stream,
                TapiTerminal       *terminal,
                gpointer            user_data)
{
  Bench *self = user_data;
  gboolean is_a = call == self->pair.call_a;

  if (stream == NULL)
    return;
  if (is_a !=
      (tapi_stream_get_direction (stream) == TAPI_TERMINAL_DIRECTION_CAPTURE))
    return; /* the streams without a terminal */

  switch (event)
    {
    case TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE:
      if (is_a)
        self->capture_active = TRUE;
      else
        self->render_active = TRUE;
      break;

    case TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE:
    case TAPI_CALL_MEDIA_EVENT_STREAM_FAIL:
    case TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL:
      if (!self->pair.ending)
        bench_pair_fail (&self->pair, "%s's %s: %s (%s)", is_a ? "A" : "B",
                         tapi_stream_get_name (stream),
                         bench_enum_nick (TAPI_TYPE_CALL_MEDIA_EVENT, event),
                         bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
      break;

    default:
      break;
    }
}

static void
app_b_call_notification_cb (TapiTapi                  *app,
                            TapiCall                  *call,
                            TapiCallNotificationEvent  event,
                            gpointer                   user_data)
{
  Bench *self = user_data;

  if (!bench_pair_take_call (&self->pair, call, event,
                             G_CALLBACK (media_event_cb)))
    return;

  self->render_b = bench_pair_attach (&self->pair, call, self->pair.address_b,
                                      TAPI_TERMINAL_DIRECTION_RENDER,
                                      G_CALLBACK (samples_b_cb), "B");
  if (self->render_b == NULL)
    return;

  self->pair.pending++;
  tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                        bench_pair_answer_cb, self);
}

/* Conditions */

static gboolean
media_flows (gpointer user_data)
{
  Bench *self = user_data;

  return self->pair.failure != NULL ||
         (self->pair.pending == 0 && self->pair.connected && self->pair.answered &&
          self->capture_active && self->render_active);
}

static gboolean
bursts_done (gpointer user_data)
{
  Bench *self = user_data;

  return self->pair.failure != NULL ||
         (self->bursts_sent == self->bursts_wanted && !self->armed &&
          self->burst_left == 0);
}

/* One call carrying every burst. */
static gboolean
measure (Bench *self)
{
  gboolean ok;

  if (!bench_pair_place_call (&self->pair, "101", G_CALLBACK (media_event_cb)))
    return FALSE;
  self->capture_a =
    bench_pair_attach (&self->pair, self->pair.call_a, self->pair.address_a,
                       TAPI_TERMINAL_DIRECTION_CAPTURE, NULL, "A");
  if (self->capture_a == NULL)
    return FALSE;

  self->pair.pending++;
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (self->pair.call_a), NULL,
                                         bench_pair_connect_cb, self);
  if (!bench_pair_wait (&self->pair, media_flows, STEP_TIMEOUT_MS, "the media"))
    return FALSE;

  self->push_start_us = g_get_monotonic_time ();
  self->next_burst_us = self->push_start_us + WARMUP_MS * 1000;
  self->push_id = g_timeout_add_full (G_PRIORITY_HIGH, PUSH_PERIOD_MS, push_cb,
                                      self, NULL);
  ok = bench_pair_wait (&self->pair, bursts_done,
                        WARMUP_MS + self->bursts_wanted *
                                      (self->interval_ms + DETECT_TIMEOUT_MS),
                        "the bursts");
  g_clear_handle_id (&self->push_id, g_source_remove);

  ok = bench_pair_hang_up (&self->pair, self->pair.call_a, STEP_TIMEOUT_MS) &&
       ok;
  bench_pair_end_call (&self->pair);
  g_clear_object (&self->capture_a);
  if (self->render_b)
    g_signal_handlers_disconnect_by_data (self->render_b, self);
  g_clear_object (&self->render_b);
  return ok && self->pair.failure == NULL;
}

static int
run_child (guint bursts,
           guint interval_ms)
{
  g_autoptr(GError) error = NULL;
  const char *jitter = g_getenv ("TAPI3_JITTER_LATENCY_MS");
  Bench self = { 0, };
  double min, median, max, omin, omedian, omax;

  bench_watch_log ();
  self.bursts_wanted = bursts;
  self.interval_ms = interval_ms;
  self.latency = g_array_new (FALSE, FALSE, sizeof (double));
  self.onset = g_array_new (FALSE, FALSE, sizeof (double));

  if (!bench_pair_init (&self.pair, APP_A_NAME, "100", APP_B_NAME, "101",
                        &error))
    {
      g_printerr ("bench-latency: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_signal_connect (self.pair.app_b, "call-notification",
                    G_CALLBACK (app_b_call_notification_cb), &self);

  if (!measure (&self))
    {
      g_printerr ("bench-latency: %s\n",
                  self.pair.failure ? self.pair.failure : "failed");
      return EXIT_FAILURE;
    }

  bench_stats (self.latency, &min, &median, &max);
  bench_stats (self.onset, &omin, &omedian, &omax);
  g_print ("jitter_latency_ms=%s bursts=%u heard=%u missed=%u "
           "latency_ms_min=%.1f latency_ms_median=%.1f latency_ms_max=%.1f "
           "onset_ms_min=%.1f onset_ms_median=%.1f onset_ms_max=%.1f "
           "criticals=%u warnings=%u\n",
           jitter ? jitter : "default", self.bursts_sent, self.latency->len, self.missed,
           min, median, max, omin, omedian, omax,
           bench_log_criticals (), bench_log_warnings ());

  if (!bench_pair_shutdown (&self.pair, &error))
    {
      g_printerr ("bench-latency: shutdown: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_array_unref (self.latency);
  g_array_unref (self.onset);
  return self.missed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) settings = NULL;
  g_autofree char *jitter = NULL;
  g_autofree char *self_path = NULL;
  gboolean child = FALSE, ok = TRUE;
  int bursts = 20, interval = 500;
  const GOptionEntry entries[] = {
    { "bursts", 'n', 0, G_OPTION_ARG_INT, &bursts,
      "Number of bursts (default 20)", "N" },
    { "interval", 'i', 0, G_OPTION_ARG_INT, &interval,
      "Milliseconds from one burst to the next (default 500)", "MS" },
    { "jitter", 'j', 0, G_OPTION_ARG_STRING, &jitter,
      "Jitter buffer latencies to compare, in ms or \"default\" (default: default,20)",
      "LIST" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child,
      "Measure once with the environment as it is", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "C");

  context = g_option_context_new ("- mouth-to-ear latency, embedded broker");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-latency: %s\n", error->message);
      return 2;
    }
  if (bursts < 1 || interval < 2 * BURST_MS)
    {
      g_printerr ("bench-latency: --bursts must be at least 1, --interval at least %d\n",
                  2 * BURST_MS);
      return 2;
    }

  g_setenv ("TAPI3_BROKER", "embedded", TRUE);
  if (child)
    return run_child (bursts, interval);

  g_print ("benchmark=latency\n");
  g_print ("broker_mode=embedded\n");
  g_print ("codec=PCMU\n");
  g_print ("cores=%u\n", g_get_num_processors ());

  /* Each setting in a process of its own, started before any thread. */
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  settings = g_strsplit (jitter ? jitter : "default,20", ",", -1);
  for (guint i = 0; settings[i] != NULL; i++)
    {
      g_autofree char *bursts_arg = g_strdup_printf ("--bursts=%d", bursts);
      g_autofree char *interval_arg = g_strdup_printf ("--interval=%d",
                                                       interval);
      char *child_argv[] = {
        self_path ? self_path : argv[0], "--child", bursts_arg, interval_arg, NULL
      };
      g_auto(GStrv) envp = g_get_environ ();
      g_autofree char *output = NULL;
      g_autoptr(GError) spawn_error = NULL;
      const char *setting = g_strstrip (settings[i]);
      guint64 ms;
      int status;

      if (g_str_equal (setting, "default"))
        envp = g_environ_unsetenv (envp, "TAPI3_JITTER_LATENCY_MS");
      else if (g_ascii_string_to_unsigned (setting, 10, 0, 10000, &ms, NULL))
        envp = g_environ_setenv (envp, "TAPI3_JITTER_LATENCY_MS", setting,
                                 TRUE);
      else
        {
          g_printerr ("bench-latency: %s is no jitter buffer latency\n",
                      setting);
          return 2;
        }

      if (!g_spawn_sync (NULL, child_argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                         &output, NULL, &status, &spawn_error) ||
          !g_spawn_check_wait_status (status, &spawn_error))
        {
          g_printerr ("bench-latency: with jitter latency %s: %s\n", setting,
                      spawn_error->message);
          ok = FALSE;
        }
      if (output)
        g_print ("%s", output);
    }

  g_print ("failed=%d\n", ok ? 0 : 1);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
