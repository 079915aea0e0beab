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
 * Received audio is examined in blocks of 5 ms (whole periods of the
 * tone). A chunk of samples is stamped with g_get_monotonic_time when it
 * reaches the application; a block inside it is placed that many samples
 * before the chunk's end. The gap runs from the end of A's last block with
 * the tone to the start of B's first one, so it is exact to about a
 * block. Results go to standard output as key=value lines: one line per
 * run, then the minimum, median and maximum of each measure.
 */

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-media-util.h"

#define APP_A_NAME        "org.libtapi3.Bench.HandoffA"
#define APP_B_NAME        "org.libtapi3.Bench.HandoffB"
#define BLOCK_SAMPLES     40       /* 5 ms: five periods of 1000 Hz */
#define TONE_THRESHOLD    0.15     /* half the tone service's amplitude, 0.3 */
#define TONE_BEFORE_MS    500      /* of tone A hears before it hands off */
#define STEP_TIMEOUT_MS   10000
#define AFTER_TONE_MS     300      /* for A's last samples to come through */

/* Received audio of one application */
typedef struct
{
  gint16  block[BLOCK_SAMPLES];
  guint   block_fill;
  guint   tone_blocks;
  gint64  first_tone_start_us;     /* 0: none yet */
  gint64  last_tone_end_us;
} Ear;

typedef struct
{
  TapiTapi     *app_a;
  TapiTapi     *app_b;
  TapiAddress  *address_a;
  TapiAddress  *address_b;
  char         *failure;

  /* The run under way */
  TapiCall     *call_a;
  TapiCall     *call_b;
  TapiTerminal *render_a;
  TapiTerminal *render_b;
  Ear           ear_a;
  Ear           ear_b;
  guint         pending;
  gboolean      connected;
  gboolean      handed_off;
  gboolean      a_render_active;
  gboolean      a_render_stopped;
  gboolean      b_render_active;
  gboolean      a_disconnected;
  gboolean      b_disconnected;
  gboolean      running;           /* a run is under way: B takes handles */
  gboolean      ending;            /* B is ending the call */
  gint64        handoff_us;
  gint64        owner_us;
  gint64        active_us;
  gint64        complete_us;
} Bench;

G_GNUC_PRINTF (2, 3)
static void
fail (Bench      *self,
      const char *format,
      ...)
{
  va_list args;

  if (self->failure != NULL)
    return;
  va_start (args, format);
  self->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

static gboolean
failed (gpointer user_data)
{
  return ((Bench *) user_data)->failure != NULL;
}

/* Audio */

static void
ear_feed (Ear    *ear,
          GBytes *bytes)
{
  gint64 now = g_get_monotonic_time ();
  gsize size;
  const gint16 *data = g_bytes_get_data (bytes, &size);
  gsize n = size / sizeof (gint16);

  for (gsize i = 0; i < n; i++)
    {
      ear->block[ear->block_fill++] = GINT16_FROM_LE (data[i]);
      if (ear->block_fill < BLOCK_SAMPLES)
        continue;
      ear->block_fill = 0;

      if (tapi_goertzel_amplitude_s16 (ear->block, BLOCK_SAMPLES, BENCH_SAMPLE_RATE,
                                       BENCH_TONE_FREQUENCY) >= TONE_THRESHOLD)
        {
          /* The block ends at sample i + 1 of the chunk that ends now. */
          gint64 end = now - (gint64) (n - (i + 1)) * G_USEC_PER_SEC / BENCH_SAMPLE_RATE;

          ear->tone_blocks++;
          ear->last_tone_end_us = end;
          if (ear->first_tone_start_us == 0)
            ear->first_tone_start_us = end - (gint64) BLOCK_SAMPLES * G_USEC_PER_SEC
                                             / BENCH_SAMPLE_RATE;
        }
    }
}

static void
samples_a_cb (TapiMediaStreamTerminal *terminal,
              GBytes                  *bytes,
              gpointer                 user_data)
{
  ear_feed (&((Bench *) user_data)->ear_a, bytes);
}

static void
samples_b_cb (TapiMediaStreamTerminal *terminal,
              GBytes                  *bytes,
              gpointer                 user_data)
{
  ear_feed (&((Bench *) user_data)->ear_b, bytes);
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
  gboolean is_a = call == self->call_a;

  if (stream == NULL || tapi_stream_get_direction (stream) != TAPI_TERMINAL_DIRECTION_RENDER)
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
      else if (!self->ending)
        fail (self, "%s's render stream went inactive (%s)", is_a ? "A" : "B",
              bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
      break;

    case TAPI_CALL_MEDIA_EVENT_STREAM_FAIL:
    case TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL:
      fail (self, "%s's render stream: %s (%s)", is_a ? "A" : "B",
            bench_enum_nick (TAPI_TYPE_CALL_MEDIA_EVENT, event),
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
  Bench *self = user_data;

  if (state != TAPI_CALL_STATE_DISCONNECTED)
    return;
  if (call == self->call_a)
    self->a_disconnected = TRUE;
  else
    self->b_disconnected = TRUE;
  if (cause != TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL)
    fail (self, "%s's call was disconnected (%s)", call == self->call_a ? "A" : "B",
          bench_enum_nick (TAPI_TYPE_CALL_STATE_CAUSE, cause));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!tapi_basic_call_control_connect_finish (TAPI_BASIC_CALL_CONTROL (source), result, &error))
    fail (self, "connect: %s", error->message);
  else
    self->connected = TRUE;
}

static void
handoff_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!tapi_basic_call_control_handoff_direct_finish (TAPI_BASIC_CALL_CONTROL (source), result,
                                                      &error))
    fail (self, "handoff_direct: %s", error->message);
  else
    {
      self->complete_us = g_get_monotonic_time ();
      self->handed_off = TRUE;
    }
}

static void
disconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!tapi_basic_call_control_disconnect_finish (TAPI_BASIC_CALL_CONTROL (source), result,
                                                  &error))
    fail (self, "disconnect: %s", error->message);
}

/* B selects its terminal as soon as it owns the call. */
static void
app_b_call_notification_cb (TapiTapi                  *app,
                            TapiCall                  *call,
                            TapiCallNotificationEvent  event,
                            gpointer                   user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;
  TapiStream *render;

  if (!self->running || self->call_b != NULL || event != TAPI_CALL_NOTIFICATION_EVENT_OWNER)
    {
      fail (self, "B was notified of a handle it did not expect (%s)",
            bench_enum_nick (TAPI_TYPE_CALL_NOTIFICATION_EVENT, event));
      return;
    }

  self->owner_us = g_get_monotonic_time ();
  self->call_b = g_object_ref (call);
  g_signal_connect (call, "media-event", G_CALLBACK (media_event_cb), self);
  g_signal_connect (call, "state-changed", G_CALLBACK (state_changed_cb), self);

  render = bench_stream_of (call, TAPI_TERMINAL_DIRECTION_RENDER);
  self->render_b = bench_new_terminal (self->address_b, TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                                       TAPI_TERMINAL_DIRECTION_RENDER, &error);
  if (render == NULL || self->render_b == NULL)
    {
      fail (self, "B cannot make its render terminal: %s",
            error ? error->message : "no render stream");
      return;
    }
  g_signal_connect (self->render_b, "samples-received", G_CALLBACK (samples_b_cb), self);
  if (!tapi_stream_select_terminal (render, self->render_b, &error))
    fail (self, "B cannot select its render terminal: %s", error->message);
}

/* Conditions */

static gboolean
tone_flows_in_a (gpointer user_data)
{
  Bench *self = user_data;

  return self->failure != NULL ||
         (self->connected && self->a_render_active &&
          self->ear_a.tone_blocks * BLOCK_SAMPLES * 1000 / BENCH_SAMPLE_RATE >= TONE_BEFORE_MS);
}

static gboolean
tone_flows_in_b (gpointer user_data)
{
  Bench *self = user_data;

  return self->failure != NULL ||
         (self->pending == 0 && self->handed_off && self->b_render_active &&
          self->a_render_stopped && self->ear_b.first_tone_start_us != 0);
}

static gboolean
both_disconnected (gpointer user_data)
{
  Bench *self = user_data;

  return self->failure != NULL ||
         (self->pending == 0 && self->a_disconnected && self->b_disconnected);
}

static void
release (Bench     *self,
         TapiCall **call)
{
  g_autoptr(GError) error = NULL;

  if (*call == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*call, self);
  if (!tapi_call_release (*call, &error))
    fail (self, "release: %s", error->message);
  g_clear_object (call);
}

static void
clear_run (Bench *self)
{
  release (self, &self->call_a);
  release (self, &self->call_b);
  if (self->render_a)
    g_signal_handlers_disconnect_by_data (self->render_a, self);
  if (self->render_b)
    g_signal_handlers_disconnect_by_data (self->render_b, self);
  g_clear_object (&self->render_a);
  g_clear_object (&self->render_b);
  memset (&self->ear_a, 0, sizeof self->ear_a);
  memset (&self->ear_b, 0, sizeof self->ear_b);
  self->connected = self->handed_off = FALSE;
  self->a_render_active = self->a_render_stopped = self->b_render_active = FALSE;
  self->a_disconnected = self->b_disconnected = FALSE;
  self->handoff_us = self->owner_us = self->active_us = self->complete_us = 0;
  self->running = self->ending = FALSE;
}

static const char *
wait_step (Bench          *self,
           BenchPredicate  done,
           const char     *what)
{
  if (!bench_spin_until (done, self, STEP_TIMEOUT_MS) && self->failure == NULL)
    fail (self, "timed out waiting for %s", what);
  return self->failure;
}

/* One run; FALSE on failure. */
static gboolean
run_once (Bench  *self,
          double *owner_ms,
          double *active_ms,
          double *complete_ms,
          double *gap_ms)
{
  g_autoptr(GError) error = NULL;
  TapiStream *render;

  self->running = TRUE;
  self->call_a = tapi_address_create_call (self->address_a, "tone",
                                           TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                           TAPI_MEDIA_TYPE_AUDIO, &error);
  if (self->call_a == NULL)
    {
      fail (self, "create_call: %s", error->message);
      return FALSE;
    }
  g_signal_connect (self->call_a, "media-event", G_CALLBACK (media_event_cb), self);
  g_signal_connect (self->call_a, "state-changed", G_CALLBACK (state_changed_cb), self);

  render = bench_stream_of (self->call_a, TAPI_TERMINAL_DIRECTION_RENDER);
  self->render_a = bench_new_terminal (self->address_a, TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                                       TAPI_TERMINAL_DIRECTION_RENDER, &error);
  if (render == NULL || self->render_a == NULL)
    {
      fail (self, "A cannot make its render terminal: %s",
            error ? error->message : "no render stream");
      return FALSE;
    }
  g_signal_connect (self->render_a, "samples-received", G_CALLBACK (samples_a_cb), self);
  if (!tapi_stream_select_terminal (render, self->render_a, &error))
    {
      fail (self, "A cannot select its render terminal: %s", error->message);
      return FALSE;
    }

  self->pending++;
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (self->call_a), NULL,
                                         connect_cb, self);
  if (wait_step (self, tone_flows_in_a, "the tone in A"))
    return FALSE;

  self->pending++;
  self->handoff_us = g_get_monotonic_time ();
  tapi_basic_call_control_handoff_direct_async (TAPI_BASIC_CALL_CONTROL (self->call_a),
                                                APP_B_NAME, NULL, handoff_cb, self);
  if (wait_step (self, tone_flows_in_b, "the tone in B"))
    return FALSE;
  if (tapi_call_get_privilege (self->call_a) != TAPI_CALL_PRIVILEGE_MONITOR)
    {
      fail (self, "A is not a monitor after the handoff");
      return FALSE;
    }

  /* A's last samples may still be on their way to it. */
  bench_spin_until (failed, self, AFTER_TONE_MS);
  if (self->failure)
    return FALSE;

  *owner_ms = (self->owner_us - self->handoff_us) / 1000.0;
  *active_ms = (self->active_us - self->handoff_us) / 1000.0;
  *complete_ms = (self->complete_us - self->handoff_us) / 1000.0;
  *gap_ms = (self->ear_b.first_tone_start_us - self->ear_a.last_tone_end_us) / 1000.0;

  self->ending = TRUE;
  self->pending++;
  tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (self->call_b),
                                            TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                            disconnect_cb, self);
  return wait_step (self, both_disconnected, "the end of the call") == NULL;
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
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Number of handoffs (default 20)", "N" },
    { NULL }
  };

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

  self.app_a = tapi_tapi_new (APP_A_NAME);
  self.app_b = tapi_tapi_new (APP_B_NAME);
  if (!tapi_tapi_initialize_sync (self.app_a, NULL, &error) ||
      !tapi_tapi_initialize_sync (self.app_b, NULL, &error))
    {
      g_printerr ("bench-handoff-media: initialize: %s\n", error->message);
      return EXIT_FAILURE;
    }
  self.address_a = tapi_tapi_find_address (self.app_a, "100");
  self.address_b = tapi_tapi_find_address (self.app_b, "100");
  if (self.address_a == NULL || self.address_b == NULL ||
      tapi_tapi_register_call_notifications (self.app_b, self.address_b, FALSE, TRUE,
                                             TAPI_MEDIA_TYPE_AUDIO, &error) == 0)
    {
      g_printerr ("bench-handoff-media: B cannot register on 100: %s\n",
                  error ? error->message : "no such address");
      return EXIT_FAILURE;
    }
  g_signal_connect (self.app_b, "call-notification",
                    G_CALLBACK (app_b_call_notification_cb), &self);

  g_print ("benchmark=handoff-media\n");
  g_print ("broker_mode=embedded\n");
  g_print ("cores=%u\n", g_get_num_processors ());

  for (int i = 0; i < runs && self.failure == NULL; i++)
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

  if (self.failure != NULL)
    {
      g_printerr ("bench-handoff-media: run %u: %s\n", owner->len + 1, self.failure);
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

  if (!tapi_tapi_shutdown (self.app_a, &error) || !tapi_tapi_shutdown (self.app_b, &error))
    {
      g_printerr ("bench-handoff-media: shutdown: %s\n", error->message);
      g_print ("failed=1\n");
      return EXIT_FAILURE;
    }
  g_clear_object (&self.app_a);
  g_clear_object (&self.app_b);
  g_print ("failed=0\n");
  return EXIT_SUCCESS;
}
