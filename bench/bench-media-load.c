/* bench-media-load.c: concurrent G.711 calls with media both ways
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * N calls from extension 100 to the `echo` service of the embedded
 * simulated PBX, each sending a 1000 Hz tone (a tone terminal on the
 * capture stream) and taking back what the echo returns (a media stream
 * terminal, or a null one, on the render stream). Once every stream is
 * active and the echo had time to return the tone, the process CPU time
 * is measured over a fixed interval and divided by the number of calls
 * and the seconds: the CPU of one call, both of its pipelines and the
 * echo's pipeline in the broker thread included (the simulated PBX runs
 * in this process).
 *
 * Loss: each call looks at the first duration × 8000 samples its render
 * terminal receives after the interval starts, in blocks of 10 ms; a block
 * that does not hold the tone at half its amplitude or more was lost on
 * one of the two ways (the receiving mixers fill what did not come with
 * silence), and samples that did not come at all by shortly after the
 * interval count as lost too. Beside it: the datagrams the kernel dropped
 * over the interval on this process's UDP sockets (udp_drops: those of the
 * calls and of the echoes, RTCP included), and the machine's UDP receive
 * errors, which count other processes too. other_processes_cpu_pct is
 * the CPU the rest of the machine used meanwhile: on two cores, a busy
 * neighbour costs the calls their audio. main_loop_max_lag_ms is how late
 * the application's main context ran a 50 ms timer at worst: it
 * dispatches every call's pipeline messages and received samples. After
 * each step: the threads and the resident memory once the calls ended and
 * the allocator gave back what it could.
 *
 * The number of calls grows step by step (--steps) until a step loses 1 %
 * or more (--max-loss), then bisects between the last good and the first
 * bad step (unless --no-refine). One line per step, key=value pairs; then
 * max_calls_under_1pct_loss. A step whose loss is near the limit may land
 * on either side of it from one run to the next.
 */

#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bench-media-util.h"

#define APP_NAME_PREFIX       "org.libtapi3.Bench.MediaLoad"
#define TONE_AMPLITUDE        0.5      /* the tone terminal's default volume */
#define TONE_THRESHOLD        (TONE_AMPLITUDE / 2)
#define SETUP_TIMEOUT_BASE_MS    20000
#define SETUP_TIMEOUT_PER_MS     250      /* more per call */
#define TAIL_TIMEOUT_MS          2000     /* for the last samples of the interval */
#define TEARDOWN_TIMEOUT_BASE_MS 30000
#define TEARDOWN_TIMEOUT_PER_MS  250      /* more per call */
#define TEARDOWN_QUIET_MS        1000     /* for the broker to stop the echoes */

typedef enum {
  PHASE_SETUP,
  PHASE_SETTLE,
  PHASE_MEASURE,
  PHASE_TEARDOWN,
} Phase;

typedef struct _Bench Bench;

typedef struct
{
  Bench        *bench;
  guint         index;
  TapiCall     *call;
  TapiTerminal *tone;
  TapiTerminal *render;
  TapiStream   *capture_stream;    /* unowned: the call keeps its streams */
  TapiStream   *render_stream;
  gulong        state_id;
  gulong        media_id;
  gulong        samples_id;

  gboolean      capture_active;
  gboolean      render_active;
  gboolean      disconnected;
  gboolean      dropped;           /* disconnected before the teardown */
  guint         failures;          /* STREAM_FAIL, TERMINAL_FAIL */
  guint         interruptions;     /* STREAM_INACTIVE after the setup */

  /* What the render terminal received in the interval */
  gboolean      measuring;
  gint16        block[BENCH_BLOCK_SAMPLES];
  guint         block_fill;
  guint64       samples;
  guint64       tone_blocks;
  guint64       blocks;
  guint64       first_lost_block;
  guint64       last_lost_block;
  guint         lost_runs;         /* stretches of lost blocks */
  gboolean      losing;
} Leg;

struct _Bench
{
  guint         n_apps;
  TapiTapi    **apps;
  TapiAddress **addresses;
  gboolean      media_stream;
  double        duration_s;
  double        settle_s;
  double        max_loss_pct;

  Phase         phase;
  GPtrArray    *legs;
  guint64       target_samples;
  guint         pending;           /* async operations under way */
  guint         operation_errors;
  gboolean      broken;            /* calls of a step could not be ended */
  gboolean      verbose;

  /* How late the main context runs a timer while the calls run */
  gint64        lag_expected_us;
  gint64        lag_max_us;
};

typedef struct
{
  guint    calls;
  gboolean ok;                     /* set up, measured, nothing dropped */
  double   loss_pct;
  double   cpu_pct_per_call;
} StepResult;

/* Legs */

static void
leg_free (Leg *leg)
{
  if (leg->call)
    {
      g_clear_signal_handler (&leg->state_id, leg->call);
      g_clear_signal_handler (&leg->media_id, leg->call);
    }
  if (leg->render)
    g_clear_signal_handler (&leg->samples_id, leg->render);
  g_clear_object (&leg->call);
  g_clear_object (&leg->tone);
  g_clear_object (&leg->render);
  g_free (leg);
}

static void
leg_start_measuring (Leg *leg)
{
  leg->block_fill = 0;
  leg->samples = 0;
  leg->tone_blocks = 0;
  leg->blocks = 0;
  leg->lost_runs = 0;
  leg->losing = FALSE;
  leg->measuring = TRUE;
}

static void
samples_received_cb (TapiMediaStreamTerminal *terminal,
                     GBytes                  *bytes,
                     gpointer                 user_data)
{
  Leg *leg = user_data;
  gsize size;
  const gint16 *data = g_bytes_get_data (bytes, &size);
  gsize n = size / sizeof (gint16);

  for (gsize i = 0; i < n && leg->measuring; i++)
    {
      leg->block[leg->block_fill++] = GINT16_FROM_LE (data[i]);
      leg->samples++;
      if (leg->block_fill == BENCH_BLOCK_SAMPLES)
        {
          if (tapi_goertzel_amplitude_s16 (leg->block, BENCH_BLOCK_SAMPLES,
                                           BENCH_SAMPLE_RATE,
                                           BENCH_TONE_FREQUENCY) >=
              TONE_THRESHOLD)
            {
              leg->tone_blocks++;
              leg->losing = FALSE;
            }
          else
            {
              if (!leg->losing)
                leg->lost_runs++;
              if (leg->blocks == 0 || leg->tone_blocks == leg->blocks)
                leg->first_lost_block = leg->blocks;
              leg->last_lost_block = leg->blocks;
              leg->losing = TRUE;
            }
          leg->blocks++;
          leg->block_fill = 0;
        }
      if (leg->samples >= leg->bench->target_samples)
        leg->measuring = FALSE;
    }
}

static void
media_event_cb (TapiCall           *call,
                TapiCallMediaEvent  event,
                TapiCallMediaCause  cause,
                TapiStream         *stream,
                TapiTerminal       *terminal,
                gpointer            user_data)
{
  Leg *leg = user_data;
  gboolean *active = stream == leg->capture_stream  ? &leg->capture_active
                     : stream == leg->render_stream ? &leg->render_active
                                                    : NULL;

  switch (event)
    {
    case TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE:
      if (active)
        *active = TRUE;
      break;

    case TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE:
      if (active)
        *active = FALSE;
      if (leg->bench->phase == PHASE_SETTLE ||
          leg->bench->phase == PHASE_MEASURE)
        {
          leg->interruptions++;
          g_printerr ("bench-media-load: call %u: %s went inactive (%s)\n",
                      leg->index,
                      stream ? tapi_stream_get_name (stream) : "a stream",
                      bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
        }
      break;

    case TAPI_CALL_MEDIA_EVENT_STREAM_FAIL:
    case TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL:
      if (active)
        *active = FALSE;
      leg->failures++;
      g_printerr ("bench-media-load: call %u: %s on %s (%s)\n", leg->index,
                  bench_enum_nick (TAPI_TYPE_CALL_MEDIA_EVENT, event),
                  stream ? tapi_stream_get_name (stream) : "no stream",
                  bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
      break;

    default:
      break;
    }
}

static void
state_changed_cb (TapiCall           *call,
                  TapiCallState       state,
                  TapiCallStateCause  cause,
                  gpointer            user_data)
{
  Leg *leg = user_data;

  if (state != TAPI_CALL_STATE_DISCONNECTED)
    return;

  leg->disconnected = TRUE;
  if (leg->bench->phase != PHASE_TEARDOWN)
    {
      leg->dropped = TRUE;
      g_printerr ("bench-media-load: call %u was disconnected (%s)\n",
                  leg->index,
                  bench_enum_nick (TAPI_TYPE_CALL_STATE_CAUSE, cause));
    }
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Leg *leg = user_data;
  g_autoptr(GError) error = NULL;

  leg->bench->pending--;
  if (!tapi_basic_call_control_connect_finish (TAPI_BASIC_CALL_CONTROL (source),
                                               result, &error))
    {
      leg->bench->operation_errors++;
      g_printerr ("bench-media-load: call %u: connect failed: %s\n", leg->index,
                  error->message);
    }
}

static void
disconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Leg *leg = user_data;
  g_autoptr(GError) error = NULL;

  leg->bench->pending--;
  if (!tapi_basic_call_control_disconnect_finish (TAPI_BASIC_CALL_CONTROL (source), result,
                                                  &error))
    {
      leg->bench->operation_errors++;
      g_printerr ("bench-media-load: call %u: disconnect failed: %s\n", leg->index,
                  error->message);
    }
}

static Leg *
leg_new (Bench  *self,
         guint   index,
         GError **error)
{
  TapiAddress *address = self->addresses[index % self->n_apps];
  Leg *leg = g_new0 (Leg, 1);

  leg->bench = self;
  leg->index = index;
  leg->call = tapi_address_create_call (address, "echo",
                                        TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                        TAPI_MEDIA_TYPE_AUDIO, error);
  if (leg->call == NULL)
    goto failed;

  leg->capture_stream = bench_stream_of (leg->call,
                                         TAPI_TERMINAL_DIRECTION_CAPTURE);
  leg->render_stream = bench_stream_of (leg->call,
                                        TAPI_TERMINAL_DIRECTION_RENDER);
  if (leg->capture_stream == NULL || leg->render_stream == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                   "The call has no audio streams");
      goto failed;
    }

  leg->tone = bench_new_terminal (address, TAPI_TERMINAL_CLASS_TONE,
                                  TAPI_TERMINAL_DIRECTION_CAPTURE, error);
  if (leg->tone == NULL)
    goto failed;
  leg->render = bench_new_terminal (address,
                                    self->media_stream
                                      ? TAPI_TERMINAL_CLASS_MEDIA_STREAM
                                      : TAPI_TERMINAL_CLASS_NULL,
                                    TAPI_TERMINAL_DIRECTION_RENDER, error);
  if (leg->render == NULL)
    goto failed;

  if (!tapi_stream_select_terminal (leg->capture_stream, leg->tone, error) ||
      !tapi_stream_select_terminal (leg->render_stream, leg->render, error))
    goto failed;

  leg->state_id = g_signal_connect (leg->call, "state-changed",
                                    G_CALLBACK (state_changed_cb), leg);
  leg->media_id = g_signal_connect (leg->call, "media-event",
                                    G_CALLBACK (media_event_cb), leg);
  if (self->media_stream)
    leg->samples_id = g_signal_connect (leg->render, "samples-received",
                                        G_CALLBACK (samples_received_cb), leg);
  return leg;

failed:
  leg_free (leg);
  return NULL;
}

/* Steps */

#define LAG_PERIOD_MS 50

static gboolean
lag_cb (gpointer user_data)
{
  Bench *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->lag_max_us = MAX (self->lag_max_us, now - self->lag_expected_us);
  self->lag_expected_us = now + LAG_PERIOD_MS * 1000;
  return G_SOURCE_CONTINUE;
}

/* The resident memory, once the allocator gave back what it can: what
 * stays is memory still in use, not freed memory the allocator keeps. */
static long
trimmed_rss_kib (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  return bench_proc_status_value ("VmRSS");
}

static gboolean
all_active (gpointer user_data)
{
  Bench *self = user_data;

  if (self->pending > 0)
    return FALSE;
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);

      if (leg->dropped || leg->failures > 0)
        return TRUE;   /* nothing more to wait for */
      if (!leg->capture_active || !leg->render_active)
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_measured (gpointer user_data)
{
  Bench *self = user_data;

  for (guint i = 0; i < self->legs->len; i++)
    if (((Leg *) g_ptr_array_index (self->legs, i))->measuring)
      return FALSE;
  return TRUE;
}

static gboolean
all_disconnected (gpointer user_data)
{
  Bench *self = user_data;

  if (self->pending > 0)
    return FALSE;
  for (guint i = 0; i < self->legs->len; i++)
    if (!((Leg *) g_ptr_array_index (self->legs, i))->disconnected)
      return FALSE;
  return TRUE;
}

static guint
count_calls (Bench *self)
{
  guint n = 0;

  for (guint i = 0; i < self->n_apps; i++)
    n += g_list_model_get_n_items (tapi_tapi_get_calls (self->apps[i]));
  return n;
}

/* Ends the calls of the step; FALSE when they did not end cleanly. */
static gboolean
teardown (Bench  *self,
          double *seconds)
{
  guint timeout = TEARDOWN_TIMEOUT_BASE_MS +
                  TEARDOWN_TIMEOUT_PER_MS * self->legs->len;
  gint64 started = g_get_monotonic_time ();
  gboolean ok = TRUE;

  self->phase = PHASE_TEARDOWN;
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);

      if (!leg->disconnected)
        {
          self->pending++;
          tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (leg->call),
                                                    TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                                    disconnect_cb, leg);
        }
    }

  if (!bench_spin_until (all_disconnected, self, timeout))
    {
      guint ended = 0;

      for (guint i = 0; i < self->legs->len; i++)
        ended += ((Leg *) g_ptr_array_index (self->legs, i))->disconnected;
      g_printerr ("bench-media-load: %u of %u calls did not end within %u s "
                  "(%u disconnects under way)\n",
                  self->legs->len - ended, self->legs->len, timeout / 1000,
                  self->pending);
      ok = FALSE;
    }
  *seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  if (self->pending > 0)
    {
      /* The callbacks still hold the legs: keep them. */
      g_printerr ("bench-media-load: %u operations never completed\n",
                  self->pending);
      self->broken = TRUE;
      return FALSE;
    }

  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);
      g_autoptr(GError) error = NULL;

      if (!tapi_call_release (leg->call, &error))
        {
          g_printerr ("bench-media-load: call %u: release failed: %s\n", leg->index,
                      error->message);
          ok = FALSE;
        }
    }
  g_ptr_array_set_size (self->legs, 0);
  bench_spin (TEARDOWN_QUIET_MS);

  if (count_calls (self) != 0)
    {
      g_printerr ("bench-media-load: %u call handles remain after release\n",
                  count_calls (self));
      ok = FALSE;
    }
  return ok;
}

static StepResult
run_step (Bench *self,
          guint  n_calls)
{
  StepResult result = { n_calls, FALSE, NAN, NAN };
  guint criticals = bench_log_criticals ();
  guint warnings = bench_log_warnings ();
  guint setup_timeout = SETUP_TIMEOUT_BASE_MS + SETUP_TIMEOUT_PER_MS * n_calls;
  guint64 expected_blocks, tone_blocks = 0, received = 0;
  guint dropped = 0, failures = 0, interruptions = 0, calls_with_loss = 0;
  g_autoptr(GHashTable) drops0 = NULL;
  gint64 started, t0, t1, rcvbuf0, rcvbuf1, inerr0, inerr1;
  guint64 drops;
  guint lag_id;
  double cpu0, cpu1, busy0, busy1, seconds, cpu, worst_loss = 0.0, setup_s,
                                                 teardown_s;
  gboolean set_up, torn_down;

  self->phase = PHASE_SETUP;
  self->operation_errors = 0;
  started = g_get_monotonic_time ();

  for (guint i = 0; i < n_calls; i++)
    {
      g_autoptr(GError) error = NULL;
      Leg *leg = leg_new (self, i, &error);

      if (leg == NULL)
        {
          g_printerr ("bench-media-load: call %u could not be made: %s\n", i,
                      error->message);
          self->operation_errors++;
          break;
        }
      g_ptr_array_add (self->legs, leg);
      self->pending++;
      tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (leg->call), NULL,
                                             connect_cb, leg);
    }

  set_up = self->legs->len == n_calls &&
           bench_spin_until (all_active, self, setup_timeout);
  setup_s = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);

      if (leg->dropped || leg->failures > 0 || !leg->capture_active ||
          !leg->render_active)
        set_up = FALSE;
    }
  if (!set_up || self->operation_errors > 0)
    {
      guint active = 0;

      for (guint i = 0; i < self->legs->len; i++)
        {
          Leg *leg = g_ptr_array_index (self->legs, i);

          active += leg->capture_active && leg->render_active;
        }
      torn_down = teardown (self, &teardown_s);
      g_print ("step calls=%u setup_failed=1 setup_s=%.2f calls_with_media=%u "
               "operation_errors=%u teardown_ok=%d teardown_s=%.2f criticals=%u warnings=%u\n",
               n_calls, setup_s, active, self->operation_errors, torn_down, teardown_s,
               bench_log_criticals () - criticals, bench_log_warnings () - warnings);
      return result;
    }

  /* Let the tone go round once and the jitter buffers fill. */
  self->phase = PHASE_SETTLE;
  bench_spin ((guint) (self->settle_s * 1000));

  self->phase = PHASE_MEASURE;
  self->target_samples = (guint64) (self->duration_s * BENCH_SAMPLE_RATE)
                         / BENCH_BLOCK_SAMPLES * BENCH_BLOCK_SAMPLES;
  drops0 = bench_udp_drops_snapshot ();
  rcvbuf0 = bench_udp_counter ("RcvbufErrors");
  inerr0 = bench_udp_counter ("InErrors");
  busy0 = bench_machine_busy_seconds ();
  cpu0 = bench_cpu_seconds ();
  t0 = g_get_monotonic_time ();
  if (self->media_stream)
    for (guint i = 0; i < self->legs->len; i++)
      leg_start_measuring (g_ptr_array_index (self->legs, i));
  self->lag_max_us = 0;
  self->lag_expected_us = t0 + LAG_PERIOD_MS * 1000;
  lag_id = g_timeout_add (LAG_PERIOD_MS, lag_cb, self);

  bench_spin ((guint) (self->duration_s * 1000));
  g_source_remove (lag_id);

  t1 = g_get_monotonic_time ();
  cpu1 = bench_cpu_seconds ();
  busy1 = bench_machine_busy_seconds ();
  rcvbuf1 = bench_udp_counter ("RcvbufErrors");
  inerr1 = bench_udp_counter ("InErrors");
  drops = bench_udp_drops_since (drops0);
  if (self->media_stream)
    bench_spin_until (all_measured, self, TAIL_TIMEOUT_MS);

  seconds = (t1 - t0) / (double) G_USEC_PER_SEC;
  cpu = cpu1 - cpu0;
  expected_blocks = self->target_samples / BENCH_BLOCK_SAMPLES;
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);
      double loss = 100.0 * (1.0 - (double) leg->tone_blocks / expected_blocks);

      leg->measuring = FALSE;
      tone_blocks += leg->tone_blocks;
      received += leg->samples;
      dropped += leg->dropped;
      failures += leg->failures;
      interruptions += leg->interruptions;
      if (self->media_stream && leg->tone_blocks < expected_blocks)
        {
          calls_with_loss++;
          if (self->verbose)
            g_printerr ("bench-media-load: call %u lost %" G_GUINT64_FORMAT
                        " of %" G_GUINT64_FORMAT
                        " blocks in %u stretches, from %.2f s to %.2f s; "
                        "%" G_GUINT64_FORMAT " samples\n",
                        leg->index, expected_blocks - leg->tone_blocks,
                        expected_blocks, leg->lost_runs,
                        leg->first_lost_block * BENCH_BLOCK_SAMPLES /
                          (double) BENCH_SAMPLE_RATE,
                        leg->last_lost_block * BENCH_BLOCK_SAMPLES /
                          (double) BENCH_SAMPLE_RATE,
                        leg->samples);
        }
      worst_loss = MAX (worst_loss, loss);
    }

  result.cpu_pct_per_call = 100.0 * cpu / (n_calls * seconds);
  if (self->media_stream)
    result.loss_pct = 100.0 * (1.0 - (double) tone_blocks /
                                       (expected_blocks * n_calls));

  g_print ("step calls=%u apps=%u render=%s seconds=%.2f setup_s=%.2f cpu_s=%.3f "
           "cpu_pct=%.1f cpu_pct_per_call=%.3f cpu_ms_per_call_second=%.3f "
           "other_processes_cpu_pct=%.1f main_loop_max_lag_ms=%.1f",
           n_calls, self->n_apps, self->media_stream ? "media-stream" : "null",
           seconds, setup_s, cpu, 100.0 * cpu / seconds,
           result.cpu_pct_per_call, result.cpu_pct_per_call * 10.0,
           MAX (0.0, 100.0 * (busy1 - busy0 - cpu) / seconds),
           self->lag_max_us / 1000.0);
  if (self->media_stream)
    g_print (" loss_pct=%.3f worst_call_loss_pct=%.3f calls_with_loss=%u received_ratio=%.4f",
             result.loss_pct, worst_loss, calls_with_loss,
             (double) received / (self->target_samples * n_calls));
  g_print (" udp_drops=%" G_GUINT64_FORMAT
           " udp_rcvbuf_errors_machine=%" G_GINT64_FORMAT
           " udp_in_errors_machine=%" G_GINT64_FORMAT
           " interruptions=%u failures=%u dropped=%u threads=%ld rss_kib=%ld",
           drops, rcvbuf1 - rcvbuf0, inerr1 - inerr0, interruptions, failures,
           dropped, bench_proc_status_value ("Threads"),
           bench_proc_status_value ("VmRSS"));

  torn_down = teardown (self, &teardown_s);
  g_print (" teardown_ok=%d teardown_s=%.2f threads_after=%ld rss_kib_after=%ld "
           "criticals=%u warnings=%u\n",
           torn_down, teardown_s, bench_proc_status_value ("Threads"),
           trimmed_rss_kib (), bench_log_criticals () - criticals,
           bench_log_warnings () - warnings);

  result.ok = torn_down && dropped == 0 && failures == 0 &&
              self->operation_errors == 0 &&
              (!self->media_stream || result.loss_pct < self->max_loss_pct);
  return result;
}

/* A long run on a shared machine may be ended from outside: say by whom,
 * with only async-signal-safe calls. */
static void
append_number (char   *buffer,
               size_t *length,
               long    value)
{
  char digits[24];
  size_t n = 0;

  if (value < 0)
    {
      buffer[(*length)++] = '-';
      value = -value;
    }
  do
    digits[n++] = '0' + value % 10;
  while ((value /= 10) > 0 && n < sizeof digits);
  while (n > 0)
    buffer[(*length)++] = digits[--n];
}

static void
append_text (char       *buffer,
             size_t     *length,
             const char *text)
{
  while (*text)
    buffer[(*length)++] = *text++;
}

static void
terminated_cb (int        signal_number,
               siginfo_t *info,
               void      *context)
{
  char message[512], path[64];
  size_t length = 0, path_length = 0;
  ssize_t n = 0;
  int fd;

  append_text (message, &length, "bench-media-load: ended by signal ");
  append_number (message, &length, signal_number);
  append_text (message, &length, " from pid ");
  append_number (message, &length, info->si_pid);
  append_text (message, &length, ": ");

  append_text (path, &path_length, "/proc/");
  append_number (path, &path_length, info->si_pid);
  append_text (path, &path_length, "/cmdline");
  path[path_length] = '\0';
  fd = open (path, O_RDONLY);
  if (fd >= 0)
    {
      n = read (fd, message + length, 200);
      close (fd);
    }
  for (ssize_t i = 0; i < n; i++)
    if (message[length + i] == '\0')
      message[length + i] = ' ';
  length += MAX (n, 0);
  message[length++] = '\n';
  if (write (STDERR_FILENO, message, length) < 0)
    {
      /* Nothing more to do */
    }

  signal (signal_number, SIG_DFL);
  raise (signal_number);
}

static void
report_termination (void)
{
  struct sigaction action = { 0, };

  action.sa_sigaction = terminated_cb;
  action.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigemptyset (&action.sa_mask);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGHUP, &action, NULL);
}

/* Set-up */

static gboolean
parse_steps (const char  *text,
             GArray      *steps,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value;
      guint calls;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, 10000,
                                       &value, error))
        return FALSE;
      if (steps->len > 0 &&
          value <= g_array_index (steps, guint, steps->len - 1))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--steps must grow: %s", text);
          return FALSE;
        }
      calls = (guint) value;
      g_array_append_val (steps, calls);
    }
  return steps->len > 0;
}

static gboolean
initialize_apps (Bench *self)
{
  for (guint i = 0; i < self->n_apps; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("%s%u", APP_NAME_PREFIX, i);

      self->apps[i] = tapi_tapi_new (name);
      if (!tapi_tapi_initialize_sync (self->apps[i], NULL, &error))
        {
          g_printerr ("bench-media-load: initialize: %s\n", error->message);
          return FALSE;
        }
      if (tapi_tapi_get_broker_mode (self->apps[i]) !=
          TAPI_BROKER_MODE_EMBEDDED)
        {
          g_printerr ("bench-media-load: not in embedded mode\n");
          return FALSE;
        }
      self->addresses[i] = tapi_tapi_find_address (self->apps[i], "100");
      if (self->addresses[i] == NULL)
        {
          g_printerr ("bench-media-load: extension 100 not found\n");
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *steps_text = NULL;
  g_autofree char *render = NULL;
  Bench self = { 0, };
  StepResult best = { 0, FALSE, NAN, NAN };
  guint first_bad = 0;
  int apps = 1, repeat = 1;
  double duration = 10.0, settle = 2.0, max_loss = 1.0;
  gboolean refine = TRUE, no_refine = FALSE, verbose = FALSE, ok = TRUE;
  const GOptionEntry entries[] = {
    { "steps", 's', 0, G_OPTION_ARG_STRING, &steps_text,
      "Numbers of concurrent calls, growing (default 1,5,10,20,40,60,80,100,120,150,200)",
      "N,N,…" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration,
      "Seconds measured per step (default 10)", "S" },
    { "settle", 0, 0, G_OPTION_ARG_DOUBLE, &settle,
      "Seconds between all media flowing and the measurement (default 2)",
      "S" },
    { "apps", 'a', 0, G_OPTION_ARG_INT, &apps,
      "Applications the calls are spread over (default 1)", "N" },
    { "render", 'r', 0, G_OPTION_ARG_STRING, &render,
      "Render terminal: media-stream (measures loss, default) or null",
      "CLASS" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
      "Runs of each step, to see memory or threads grow (default 1)", "N" },
    { "max-loss", 0, 0, G_OPTION_ARG_DOUBLE, &max_loss,
      "Loss in percent that ends the search (default 1)", "PCT" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      "Say on standard error where each call lost audio", NULL },
    { "no-refine", 0, 0, G_OPTION_ARG_NONE, &no_refine,
      "Do not bisect between the last good and the first bad step", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "C");

  context = g_option_context_new ("- concurrent calls with media, embedded broker");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !parse_steps (steps_text ? steps_text
                               : "1,5,10,20,40,60,80,100,120,150,200",
                    steps, &error))
    {
      g_printerr ("bench-media-load: %s\n",
                  error ? error->message : "no steps");
      return 2;
    }
  if (duration < 1.0 || settle < 0.0 || apps < 1 || apps > 64 ||
      max_loss <= 0.0 || repeat < 1 ||
      (render && g_strcmp0 (render, "media-stream") != 0 &&
       g_strcmp0 (render, "null") != 0))
    {
      g_printerr ("bench-media-load: --duration must be at least 1, --settle at least 0, "
                  "--apps 1 to 64, --repeat at least 1, --max-loss above 0, "
                  "--render media-stream or null\n");
      return 2;
    }
  refine = !no_refine;

  /* The benchmark measures the in-process broker, whatever the session has. */
  g_setenv ("TAPI3_BROKER", "embedded", TRUE);
  bench_watch_log ();
  report_termination ();

  self.n_apps = apps;
  self.apps = g_new0 (TapiTapi *, apps);
  self.addresses = g_new0 (TapiAddress *, apps);
  self.media_stream = render == NULL || g_str_equal (render, "media-stream");
  self.duration_s = duration;
  self.settle_s = settle;
  self.max_loss_pct = max_loss;
  self.verbose = verbose;
  self.legs = g_ptr_array_new_with_free_func ((GDestroyNotify) leg_free);

  if (!initialize_apps (&self))
    return EXIT_FAILURE;

  g_print ("benchmark=media-load\n");
  g_print ("broker_mode=embedded\n");
  g_print ("codec=PCMU\n");
  g_print ("cores=%u\n", g_get_num_processors ());
  g_print ("threads_idle=%ld\n", bench_proc_status_value ("Threads"));

  for (guint i = 0; i < steps->len && !self.broken && first_bad == 0; i++)
    for (int r = 0; r < repeat && !self.broken; r++)
      {
        StepResult result = run_step (&self, g_array_index (steps, guint, i));

        if (!result.ok)
          {
            first_bad = result.calls;
            break;
          }
        best = result;
      }

  /* Between the last good and the first bad step */
  if (refine && self.media_stream && first_bad > 0)
    {
      guint low = best.ok ? best.calls : 0;
      guint high = first_bad;

      while (!self.broken && high - low > MAX (2u, low / 10))
        {
          StepResult result = run_step (&self, low + (high - low) / 2);

          if (result.ok)
            {
              low = result.calls;
              best = result;
            }
          else
            high = result.calls;
        }
      first_bad = high;
    }

  if (self.media_stream)
    {
      g_print ("max_calls_under_%gpct_loss=%u\n", max_loss,
               best.ok ? best.calls : 0);
      if (first_bad > 0)
        g_print ("first_calls_over=%u\n", first_bad);
      else
        g_print ("first_calls_over=none\n");
    }
  if (best.ok)
    g_print ("cpu_pct_per_call_at_max=%.3f\n", best.cpu_pct_per_call);
  g_print ("criticals=%u\n", bench_log_criticals ());
  g_print ("warnings=%u\n", bench_log_warnings ());

  for (guint i = 0; i < self.n_apps; i++)
    {
      g_autoptr(GError) shutdown_error = NULL;

      if (self.apps[i] && tapi_tapi_get_initialized (self.apps[i]) &&
          !tapi_tapi_shutdown (self.apps[i], &shutdown_error))
        {
          g_printerr ("bench-media-load: shutdown: %s\n",
                      shutdown_error->message);
          ok = FALSE;
        }
      g_clear_object (&self.apps[i]);
    }
  g_ptr_array_unref (self.legs);
  g_free (self.apps);
  g_free (self.addresses);

  g_print ("failed=%d\n", ok ? 0 : 1);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
