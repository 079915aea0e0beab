/* bench-handoff-media.c: how long the media pauses when a call is handed off
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Application A calls the `tone` service of the embedded simulated PBX
 * (1000 Hz) from extension 100 and renders it into a media stream
 * terminal. Once the tone flows, A hands the call off by name to
 * application B, registered on extension 100, which selects a media
 * stream render terminal on the call as soon as it gets the handle.
 * Each run measures, from the moment handoff_direct_async is called:
 *
 *  - owner_ms: B's call-notification with the owner handle;
 *  - active_ms: B's STREAM_ACTIVE media-event on the render stream;
 *  - complete_ms: the handoff's completion in A;
 *  - gap_ms: the silence between the last tone A received and the first
 *    tone B received.
 *
 * Received audio is examined in blocks of 5 ms (BenchEar). The gap runs
 * from the end of A's last block with the tone to the start of B's first
 * one, so it is exact to about a block. Results go to standard output as
 * key=value lines: one line per run, then the minimum, median and maximum
 * of each measure.
 */

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-pair.h"

#define APP_A_NAME        "org.libtapi3.Bench.HandoffA"
#define APP_B_NAME        "org.libtapi3.Bench.HandoffB"
#define TONE_BEFORE_MS    500      /* of tone A hears before it hands off */
#define STEP_TIMEOUT_MS   10000
#define AFTER_TONE_MS     300      /* for A's last samples to come through */

typedef struct
{
  BenchPair     pair;

  /* The run under way */
  TapiTerminal *render_a;
  TapiTerminal *render_b;
  BenchEar      ear_a;
  BenchEar      ear_b;
  gboolean      handed_off;
  gboolean      a_render_active;
  gboolean      a_render_stopped;
  gboolean      b_render_active;
  gboolean      running;           /* a run is under way: B takes handles */
  gint64        handoff_us;
  gint64        owner_us;
  gint64        active_us;
  gint64        complete_us;
} Bench;

/* Audio */

static void
samples_a_cb (TapiMediaStreamTerminal *terminal,
              GBytes                  *bytes,
              gpointer                 user_data)
{
  bench_ear_feed (&((Bench *) user_data)->ear_a, bytes);
}

static void
samples_b_cb (TapiMediaStreamTerminal *terminal,
              GBytes                  *bytes,
              gpointer                 user_data)
{
  bench_ear_feed (&((Bench *) user_data)->ear_b, bytes);
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

  if (stream == NULL ||
      tapi_stream_get_direction (stream) != TAPI_TERMINAL_DIRECTION_RENDER)
    return;

  switch (event)
    {
    case TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE:
      if (is_a)
        self->a_render_active = TRUE;
      else if (self->active_us == 0)
        {
          self->active_us = g_get_monotonic_time ();
          self->b_render_active = TRUE;
        }
      break;

    case TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE:
      if (is_a && self->handoff_us != 0)
        self->a_render_stopped = TRUE;
      else if (!self->pair.ending)
        bench_pair_fail (&self->pair, "%s's render stream went inactive (%s)",
                         is_a ? "A" : "B",
                         bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
      break;

    case TAPI_CALL_MEDIA_EVENT_STREAM_FAIL:
    case TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL:
      bench_pair_fail (&self->pair, "%s's render stream: %s (%s)",
                       is_a ? "A" : "B",
                       bench_enum_nick (TAPI_TYPE_CALL_MEDIA_EVENT, event),
                       bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
      break;

    default:
      break;
    }
}

static void
handoff_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  self->pair.pending--;
  if (!tapi_basic_call_control_handoff_direct_finish (TAPI_BASIC_CALL_CONTROL (source), result,
                                                      &error))
    bench_pair_fail (&self->pair, "handoff_direct: %s", error->message);
  else
    {
      self->complete_us = g_get_monotonic_time ();
      self->handed_off = TRUE;
    }
}

/* B selects its terminal as soon as it owns the call. */
static void
app_b_call_notification_cb (TapiTapi                  *app,
                            TapiCall                  *call,
                            TapiCallNotificationEvent  event,
                            gpointer                   user_data)
{
  Bench *self = user_data;

  if (!self->running)
    {
      bench_pair_fail (&self->pair, "B was notified of a handle between runs");
      return;
    }
  if (!bench_pair_take_call (&self->pair, call, event,
                             G_CALLBACK (media_event_cb)))
    return;

  self->owner_us = g_get_monotonic_time ();

  self->render_b = bench_pair_attach (&self->pair, call, self->pair.address_b,
                                      TAPI_TERMINAL_DIRECTION_RENDER,
                                      G_CALLBACK (samples_b_cb), "B");
}

/* Conditions */

static gboolean
tone_flows_in_a (gpointer user_data)
{
  Bench *self = user_data;

  return self->pair.failure != NULL ||
         (self->pair.connected && self->a_render_active &&
          bench_ear_tone_ms (&self->ear_a) >= TONE_BEFORE_MS);
}

static gboolean
tone_flows_in_b (gpointer user_data)
{
  Bench *self = user_data;

  return self->pair.failure != NULL ||
         (self->pair.pending == 0 && self->handed_off &&
          self->b_render_active && self->a_render_stopped &&
          self->ear_b.first_tone_start_us != 0);
}

static void
clear_run (Bench *self)
{
  bench_pair_end_call (&self->pair);
  if (self->render_a)
    g_signal_handlers_disconnect_by_data (self->render_a, self);
  if (self->render_b)
    g_signal_handlers_disconnect_by_data (self->render_b, self);
  g_clear_object (&self->render_a);
  g_clear_object (&self->render_b);
  memset (&self->ear_a, 0, sizeof self->ear_a);
  memset (&self->ear_b, 0, sizeof self->ear_b);
  self->handed_off = FALSE;
  self->a_render_active = self->a_render_stopped = self->b_render_active =
    FALSE;
  self->handoff_us = self->owner_us = self->active_us = self->complete_us = 0;
  self->running = FALSE;
}

/* One run; FALSE on failure. */
static gboolean
run_once (Bench  *self,
          double *owner_ms,
          double *active_ms,
          double *complete_ms,
          double *gap_ms)
{
  self->running = TRUE;
  if (!bench_pair_place_call (&self->pair, "tone", G_CALLBACK (media_event_cb)))
    return FALSE;
  self->render_a = bench_pair_attach (&self->pair, self->pair.call_a,
                                      self->pair.address_a,
                                      TAPI_TERMINAL_DIRECTION_RENDER,
                                      G_CALLBACK (samples_a_cb), "A");
  if (self->render_a == NULL)
    return FALSE;

  self->pair.pending++;
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (self->pair.call_a), NULL,
                                         bench_pair_connect_cb, self);
  if (!bench_pair_wait (&self->pair, tone_flows_in_a, STEP_TIMEOUT_MS,
                        "the tone in A"))
    return FALSE;

  self->pair.pending++;
  self->handoff_us = g_get_monotonic_time ();
  tapi_basic_call_control_handoff_direct_async (TAPI_BASIC_CALL_CONTROL (self->pair.call_a),
                                                APP_B_NAME, NULL, handoff_cb, self);
  if (!bench_pair_wait (&self->pair, tone_flows_in_b, STEP_TIMEOUT_MS,
                        "the tone in B"))
    return FALSE;
  if (tapi_call_get_privilege (self->pair.call_a) !=
      TAPI_CALL_PRIVILEGE_MONITOR)
    {
      bench_pair_fail (&self->pair, "A is not a monitor after the handoff");
      return FALSE;
    }

  /* A's last samples may still be on their way to it. */
  bench_spin_until (bench_pair_failed, self, AFTER_TONE_MS);
  if (self->pair.failure)
    return FALSE;

  *owner_ms = (self->owner_us - self->handoff_us) / 1000.0;
  *active_ms = (self->active_us - self->handoff_us) / 1000.0;
  *complete_ms = (self->complete_us - self->handoff_us) / 1000.0;
  *gap_ms = (self->ear_b.first_tone_start_us - self->ear_a.last_tone_end_us) / 1000.0;

  return bench_pair_hang_up (&self->pair, self->pair.call_b, STEP_TIMEOUT_MS);
}

static void
print_stats (const char *name,
             GArray     *values)
{
  double min, median, max;

  bench_stats (values, &min, &median, &max);
  g_print ("%s_min=%.1f\n%s_median=%.1f\n%s_max=%.1f\n",
           name, min, name, median, name, max);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) owner = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) active = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) complete = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gap = g_array_new (FALSE, FALSE, sizeof (double));
  Bench self = { 0, };
  int runs = 20;
  const GOptionEntry entries[] = { { "runs", 'n', 0, G_OPTION_ARG_INT, &runs,
                                     "Number of handoffs (default 20)", "N" },
                                   { NULL } };

  setlocale (LC_ALL, "C");

  context = g_option_context_new ("- media gap of a handoff, embedded broker");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-handoff-media: %s\n", error->message);
      return 2;
    }
  if (runs < 1)
    {
      g_printerr ("bench-handoff-media: --runs must be at least 1\n");
      return 2;
    }

  g_setenv ("TAPI3_BROKER", "embedded", TRUE);
  bench_watch_log ();

  if (!bench_pair_init (&self.pair, APP_A_NAME, "100", APP_B_NAME, "100",
                        &error))
    {
      g_printerr ("bench-handoff-media: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_signal_connect (self.pair.app_b, "call-notification",
                    G_CALLBACK (app_b_call_notification_cb), &self);

  g_print ("benchmark=handoff-media\n");
  g_print ("broker_mode=embedded\n");
  g_print ("cores=%u\n", g_get_num_processors ());

  for (int i = 0; i < runs && self.pair.failure == NULL; i++)
    {
      double owner_ms, active_ms, complete_ms, gap_ms;

      if (run_once (&self, &owner_ms, &active_ms, &complete_ms, &gap_ms))
        {
          g_print ("run=%d owner_ms=%.1f active_ms=%.1f complete_ms=%.1f gap_ms=%.1f\n",
                   i + 1, owner_ms, active_ms, complete_ms, gap_ms);
          g_array_append_val (owner, owner_ms);
          g_array_append_val (active, active_ms);
          g_array_append_val (complete, complete_ms);
          g_array_append_val (gap, gap_ms);
        }
      clear_run (&self);
      bench_spin (100);
    }

  if (self.pair.failure != NULL)
    {
      g_printerr ("bench-handoff-media: run %u: %s\n", owner->len + 1,
                  self.pair.failure);
      g_print ("completed_runs=%u\n", owner->len);
      g_print ("failed=1\n");
      return EXIT_FAILURE;
    }

  g_print ("runs=%u\n", owner->len);
  print_stats ("handoff_to_owner_ms", owner);
  print_stats ("handoff_to_active_ms", active);
  print_stats ("handoff_complete_ms", complete);
  print_stats ("media_gap_ms", gap);
  g_print ("criticals=%u\n", bench_log_criticals ());
  g_print ("warnings=%u\n", bench_log_warnings ());

  if (!bench_pair_shutdown (&self.pair, &error))
    {
      g_printerr ("bench-handoff-media: shutdown: %s\n", error->message);
      g_print ("failed=1\n");
      return EXIT_FAILURE;
    }
  g_print ("failed=0\n");
  return EXIT_SUCCESS;
}
