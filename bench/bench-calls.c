/* bench-calls.c: full call cycles per second between two applications
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Application A places a call from extension 100 to 101 of the embedded
 * simulated PBX, application B (the owner registered on 101) answers it, A's
 * connect completes, A disconnects and both release their handles. Both
 * applications live in this thread and share one GMainLoop, so every step
 * is asynchronous: a blocking step would keep the other application from
 * seeing its events.
 *
 * With --pipeline N, N such cycles are under way at once, each starting
 * its next as soon as it is over: the rate the broker and the applications
 * reach when they need not wait for each other's replies.
 *
 * Every cycle is checked (both calls seen CONNECTED, then DISCONNECTED with
 * DISCONNECT_NORMAL, both handles released); any failure ends the run with
 * a non-zero exit status. Results go to standard output, one key=value per
 * line.
 */

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <tapi3.h>

#include "bench-media-util.h"

/* Seconds without a completed cycle before the run counts as hung. */
#define STALL_TIMEOUT_S 10

typedef struct _Bench Bench;

/* One cycle under way. */
typedef struct
{
  Bench       *bench;
  TapiCall    *call_a;
  TapiCall    *call_b;
  gulong       call_a_state_id;
  gulong       call_b_state_id;
  gboolean     a_connected;
  gboolean     b_connected;
  gboolean     a_disconnected;
  gboolean     b_disconnected;
  gboolean     connect_done;
  gboolean     answer_done;
  gboolean     disconnect_started;
  gboolean     disconnect_done;
  guint        step_id;
} Cycle;

struct _Bench
{
  GMainLoop   *loop;
  TapiTapi    *app_a;
  TapiTapi    *app_b;
  TapiAddress *address_a;
  guint        pending_inits;
  guint        registration_id;

  guint        warmup;
  guint        cycles;
  guint        pipeline;
  guint        started;
  guint        completed;
  gint64       started_us;
  gint64       halfway_us;
  gint64       finished_us;
  double       cpu_started_s;
  double       cpu_finished_s;
  long         rss_after_warmup_kib;
  long         rss_finished_kib;

  /* The cycles under way, and those whose call B has not been offered
   * yet, in the order their calls were placed. */
  Cycle       *under_way;
  GQueue       offering;

  guint        watchdog_id;
  guint        watchdog_completed;
  guint        watchdog_stalled_s;

  char        *failure;
};

static void start_cycle (Cycle *cycle);

static const char *
call_state_nick (TapiCall *call)
{
  if (call == NULL)
    return "none";
  return bench_enum_nick (TAPI_TYPE_CALL_STATE, tapi_call_get_state (call));
}

/* Includes the memory of the process that started this one before its
 * exec, so a large launcher (meson is a Python process) inflates it. */
static long
max_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

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
  g_main_loop_quit (self->loop);
}

static void
fail_with_error (Bench      *self,
                 const char *what,
                 GError     *error)
{
  fail (self, "%s failed: %s (%s %d)", what, error->message,
        g_quark_to_string (error->domain), error->code);
}

static void
mark_start (Bench *self)
{
  self->rss_after_warmup_kib = bench_proc_status_value ("VmRSS");
  self->cpu_started_s = bench_cpu_seconds ();
  self->started_us = g_get_monotonic_time ();
}

static void
mark_finish (Bench *self)
{
  self->finished_us = g_get_monotonic_time ();
  self->cpu_finished_s = bench_cpu_seconds ();
  self->rss_finished_kib = bench_proc_status_value ("VmRSS");
}

static void
clear_call (Bench     *self,
            TapiCall **call,
            gulong    *handler_id)
{
  if (*call == NULL)
    return;
  g_clear_signal_handler (handler_id, *call);
  g_clear_object (call);
}

static gboolean
release_call (Bench      *self,
              TapiCall   *call,
              const char *which)
{
  g_autoptr(GError) error = NULL;

  if (!tapi_call_release (call, &error))
    {
      g_autofree char *what = g_strdup_printf ("release of %s", which);

      fail_with_error (self, what, error);
      return FALSE;
    }
  if (!tapi_call_get_released (call))
    {
      fail (self, "%s is not marked released after release", which);
      return FALSE;
    }
  return TRUE;
}

static void
finish_cycle (Cycle *cycle)
{
  Bench *self = cycle->bench;

  if (!cycle->a_connected || !cycle->b_connected)
    {
      fail (self, "a call ended without being connected (A %d, B %d)",
            cycle->a_connected, cycle->b_connected);
      return;
    }

  if (!release_call (self, cycle->call_a, "call A")
      || !release_call (self, cycle->call_b, "call B"))
    return;

  clear_call (self, &cycle->call_a, &cycle->call_a_state_id);
  clear_call (self, &cycle->call_b, &cycle->call_b_state_id);
  self->completed++;

  if (self->completed == self->warmup)
    mark_start (self);

  /* The two halves' rates differ when the cost of a cycle grows. */
  if (self->completed == self->warmup + self->cycles / 2)
    self->halfway_us = g_get_monotonic_time ();

  if (self->completed == self->warmup + self->cycles)
    {
      mark_finish (self);
      g_main_loop_quit (self->loop);
      return;
    }

  if (self->started < self->warmup + self->cycles)
    start_cycle (cycle);
}

static void
disconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data);

/* Runs from an idle source, never inside a signal emission of the calls
 * it releases. */
static gboolean
step_cb (gpointer user_data)
{
  Cycle *cycle = user_data;
  Bench *self = cycle->bench;
  TapiBasicCallControl *control;

  cycle->step_id = 0;
  if (self->failure != NULL)
    return G_SOURCE_REMOVE;

  if (!cycle->connect_done || !cycle->answer_done)
    return G_SOURCE_REMOVE;

  if (!cycle->disconnect_started)
    {
      if (tapi_call_get_state (cycle->call_a) != TAPI_CALL_STATE_CONNECTED
          || tapi_call_get_state (cycle->call_b) != TAPI_CALL_STATE_CONNECTED)
        {
          fail (self, "after connect and answer: call A %s, call B %s",
                call_state_nick (cycle->call_a),
                call_state_nick (cycle->call_b));
          return G_SOURCE_REMOVE;
        }
      cycle->disconnect_started = TRUE;
      control = TAPI_BASIC_CALL_CONTROL (cycle->call_a);
      tapi_basic_call_control_disconnect_async (control,
                                                TAPI_DISCONNECT_CODE_NORMAL,
                                                NULL, disconnect_cb, cycle);
      return G_SOURCE_REMOVE;
    }

  if (cycle->disconnect_done && cycle->a_disconnected && cycle->b_disconnected)
    finish_cycle (cycle);

  return G_SOURCE_REMOVE;
}

static void
schedule_step (Cycle *cycle)
{
  if (cycle->step_id == 0)
    cycle->step_id = g_idle_add_full (G_PRIORITY_DEFAULT, step_cb, cycle, NULL);
}

static void
call_state_changed_cb (TapiCall           *call,
                       TapiCallState       state,
                       TapiCallStateCause  cause,
                       gpointer            user_data)
{
  Cycle *cycle = user_data;
  Bench *self = cycle->bench;
  gboolean is_a = call == cycle->call_a;
  gboolean *connected = is_a ? &cycle->a_connected : &cycle->b_connected;
  gboolean *disconnected = is_a ? &cycle->a_disconnected
                                : &cycle->b_disconnected;
  const char *which = is_a ? "call A" : "call B";

  if (self->failure != NULL)
    return;

  if (state == TAPI_CALL_STATE_CONNECTED)
    {
      if (*disconnected)
        fail (self, "%s became connected after it was disconnected", which);
      *connected = TRUE;
    }
  else if (state == TAPI_CALL_STATE_DISCONNECTED)
    {
      if (!*connected)
        fail (self, "%s was disconnected (%s) before it was connected", which,
              bench_enum_nick (TAPI_TYPE_CALL_STATE_CAUSE, cause));
      else if (cause != TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL)
        fail (self, "%s was disconnected with cause %s", which,
              bench_enum_nick (TAPI_TYPE_CALL_STATE_CAUSE, cause));
      *disconnected = TRUE;
      schedule_step (cycle);
    }
}

static void
disconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cycle *cycle = user_data;
  Bench *self = cycle->bench;
  TapiBasicCallControl *control = TAPI_BASIC_CALL_CONTROL (source);
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_disconnect_finish (control, result, &error))
    {
      fail_with_error (self, "disconnect", error);
      return;
    }
  if (tapi_call_get_state (cycle->call_a) != TAPI_CALL_STATE_DISCONNECTED)
    {
      fail (self, "call A is %s after disconnect completed",
            call_state_nick (cycle->call_a));
      return;
    }
  cycle->disconnect_done = TRUE;
  schedule_step (cycle);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cycle *cycle = user_data;
  Bench *self = cycle->bench;
  TapiBasicCallControl *control = TAPI_BASIC_CALL_CONTROL (source);
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_connect_finish (control, result, &error))
    {
      fail_with_error (self, "connect", error);
      return;
    }
  if (tapi_call_get_state (cycle->call_a) != TAPI_CALL_STATE_CONNECTED)
    {
      fail (self, "call A is %s after connect completed",
            call_state_nick (cycle->call_a));
      return;
    }
  cycle->connect_done = TRUE;
  schedule_step (cycle);
}

static void
answer_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cycle *cycle = user_data;
  Bench *self = cycle->bench;
  TapiBasicCallControl *control = TAPI_BASIC_CALL_CONTROL (source);
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_answer_finish (control, result, &error))
    {
      fail_with_error (self, "answer", error);
      return;
    }
  if (tapi_call_get_state (cycle->call_b) != TAPI_CALL_STATE_CONNECTED)
    {
      fail (self, "call B is %s after answer completed",
            call_state_nick (cycle->call_b));
      return;
    }
  cycle->answer_done = TRUE;
  schedule_step (cycle);
}

/* B's calls are offered in the order A placed them. */
static void
app_b_call_notification_cb (TapiTapi                  *app,
                            TapiCall                  *call,
                            TapiCallNotificationEvent  event,
                            gpointer                   user_data)
{
  Bench *self = user_data;
  Cycle *cycle;

  if (self->failure != NULL)
    return;

  cycle = g_queue_pop_head (&self->offering);
  if (cycle == NULL || cycle->call_a == NULL || cycle->call_b != NULL)
    {
      fail (self, "B was notified of a call it did not expect");
      return;
    }
  if (event != TAPI_CALL_NOTIFICATION_EVENT_OWNER
      || tapi_call_get_privilege (call) != TAPI_CALL_PRIVILEGE_OWNER)
    {
      fail (self, "B's handle is not an owner handle");
      return;
    }
  if (tapi_call_get_state (call) != TAPI_CALL_STATE_OFFERING)
    {
      fail (self, "B was notified of a call in state %s, not offering",
            call_state_nick (call));
      return;
    }

  cycle->call_b = g_object_ref (call);
  cycle->call_b_state_id = g_signal_connect (call, "state-changed",
                                             G_CALLBACK (call_state_changed_cb),
                                             cycle);
  tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                        answer_cb, cycle);
}

static void
app_a_call_notification_cb (TapiTapi                  *app,
                            TapiCall                  *call,
                            TapiCallNotificationEvent  event,
                            gpointer                   user_data)
{
  Bench *self = user_data;

  fail (self, "A registered for nothing but was notified of call %u",
        tapi_call_get_call_id (call));
}

static void
start_cycle (Cycle *cycle)
{
  Bench *self = cycle->bench;
  g_autoptr(GError) error = NULL;

  cycle->a_connected = FALSE;
  cycle->b_connected = FALSE;
  cycle->a_disconnected = FALSE;
  cycle->b_disconnected = FALSE;
  cycle->connect_done = FALSE;
  cycle->answer_done = FALSE;
  cycle->disconnect_started = FALSE;
  cycle->disconnect_done = FALSE;
  self->started++;

  cycle->call_a = tapi_address_create_call (self->address_a, "101",
                                            TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                            TAPI_MEDIA_TYPE_AUDIO, &error);
  if (cycle->call_a == NULL)
    {
      fail_with_error (self, "create_call", error);
      return;
    }
  if (tapi_call_get_state (cycle->call_a) != TAPI_CALL_STATE_IDLE)
    {
      fail (self, "a new call is %s, not idle",
            call_state_nick (cycle->call_a));
      return;
    }

  cycle->call_a_state_id = g_signal_connect (cycle->call_a, "state-changed",
                                             G_CALLBACK (call_state_changed_cb),
                                             cycle);
  g_queue_push_tail (&self->offering, cycle);
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (cycle->call_a),
                                         NULL, connect_cb, cycle);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Bench *self = user_data;

  if (self->completed != self->watchdog_completed)
    {
      self->watchdog_completed = self->completed;
      self->watchdog_stalled_s = 0;
      return G_SOURCE_CONTINUE;
    }

  if (++self->watchdog_stalled_s >= STALL_TIMEOUT_S)
    {
      Cycle *cycle = &self->under_way[0];

      fail (self, "no cycle completed for %d s (first cycle: call A %s, "
            "call B %s, connect %s, answer %s, disconnect %s)",
            STALL_TIMEOUT_S,
            call_state_nick (cycle->call_a), call_state_nick (cycle->call_b),
            cycle->connect_done ? "done" : "pending",
            cycle->answer_done ? "done" : "pending",
            !cycle->disconnect_started ? "not started"
            : cycle->disconnect_done ? "done" : "pending");
      self->watchdog_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
check_app (Bench      *self,
           TapiTapi   *app,
           const char *which)
{
  if (tapi_tapi_get_broker_mode (app) != TAPI_BROKER_MODE_EMBEDDED)
    {
      fail (self, "application %s is not in embedded mode", which);
      return FALSE;
    }
  return TRUE;
}

static void
initialized (Bench *self)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address_b;

  if (!check_app (self, self->app_a, "A")
      || !check_app (self, self->app_b, "B"))
    return;

  self->address_a = tapi_tapi_find_address (self->app_a, "100");
  address_b = tapi_tapi_find_address (self->app_b, "101");
  if (self->address_a == NULL || address_b == NULL)
    {
      fail (self, "extension 100 or 101 not found");
      return;
    }
  g_object_ref (self->address_a);

  self->registration_id =
    tapi_tapi_register_call_notifications (self->app_b, address_b,
                                           FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO,
                                           &error);
  if (self->registration_id == 0)
    {
      fail_with_error (self, "register_call_notifications", error);
      return;
    }

  self->watchdog_id = g_timeout_add_seconds (1, watchdog_cb, self);
  if (self->warmup == 0)
    mark_start (self);
  for (guint i = 0;
       i < self->pipeline && self->started < self->warmup + self->cycles; i++)
    start_cycle (&self->under_way[i]);
}

static void
initialize_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_tapi_initialize_finish (TAPI_TAPI (source), result, &error))
    {
      fail_with_error (self, "initialize", error);
      return;
    }
  if (--self->pending_inits == 0)
    initialized (self);
}

static gboolean
check_no_handles (Bench      *self,
                  TapiTapi   *app,
                  const char *which)
{
  guint n_calls = g_list_model_get_n_items (tapi_tapi_get_calls (app));

  if (n_calls != 0)
    {
      fail (self, "application %s still lists %u calls after releasing all",
            which, n_calls);
      return FALSE;
    }
  return TRUE;
}

static gboolean
shutdown_app (Bench      *self,
              TapiTapi   *app,
              const char *which)
{
  g_autoptr(GError) error = NULL;

  if (!tapi_tapi_shutdown (app, &error))
    {
      g_autofree char *what = g_strdup_printf ("shutdown of %s", which);

      fail_with_error (self, what, error);
      return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Bench self = { 0, };
  int cycles = 2000;
  int warmup = 200;
  int pipeline = 1;
  double seconds;
  double cpu;
  const GOptionEntry entries[] = {
    { "cycles", 'n', 0, G_OPTION_ARG_INT, &cycles,
      "Number of measured call cycles (default 2000)", "N" },
    { "warmup", 'w', 0, G_OPTION_ARG_INT, &warmup,
      "Number of call cycles before measuring (default 200)", "N" },
    { "pipeline", 'p', 0, G_OPTION_ARG_INT, &pipeline,
      "Number of cycles under way at once (default 1)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "C");

  context = g_option_context_new ("- call cycles per second, embedded broker");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-calls: %s\n", error->message);
      return 2;
    }
  if (cycles < 1 || warmup < 0 || pipeline < 1 || pipeline > 64)
    {
      g_printerr ("bench-calls: --cycles must be at least 1, "
                  "--warmup at least 0, --pipeline from 1 to 64\n");
      return 2;
    }
  self.cycles = cycles;
  self.warmup = warmup;
  self.pipeline = pipeline;
  self.under_way = g_new0 (Cycle, pipeline);
  for (int i = 0; i < pipeline; i++)
    self.under_way[i].bench = &self;
  g_queue_init (&self.offering);

  /* The benchmark measures the in-process broker, whatever the session has. */
  g_setenv ("TAPI3_BROKER", "embedded", TRUE);

  self.loop = g_main_loop_new (NULL, FALSE);
  self.app_a = tapi_tapi_new ("org.libtapi3.Bench.Caller");
  self.app_b = tapi_tapi_new ("org.libtapi3.Bench.Callee");
  g_signal_connect (self.app_a, "call-notification",
                    G_CALLBACK (app_a_call_notification_cb), &self);
  g_signal_connect (self.app_b, "call-notification",
                    G_CALLBACK (app_b_call_notification_cb), &self);

  self.pending_inits = 2;
  tapi_tapi_initialize_async (self.app_a, NULL, initialize_cb, &self);
  tapi_tapi_initialize_async (self.app_b, NULL, initialize_cb, &self);

  g_main_loop_run (self.loop);

  g_clear_handle_id (&self.watchdog_id, g_source_remove);
  for (guint i = 0; i < self.pipeline; i++)
    g_clear_handle_id (&self.under_way[i].step_id, g_source_remove);

  if (self.failure == NULL
      && check_no_handles (&self, self.app_a, "A")
      && check_no_handles (&self, self.app_b, "B"))
    {
      if (!tapi_tapi_unregister_notifications (self.app_b,
                                               self.registration_id, &error))
        fail_with_error (&self, "unregister_notifications", error);
      else if (shutdown_app (&self, self.app_a, "A"))
        shutdown_app (&self, self.app_b, "B");
    }

  if (self.failure != NULL)
    {
      g_printerr ("bench-calls: after %u completed cycles: %s\n",
                  self.completed, self.failure);
      g_print ("completed_cycles=%u\n", self.completed);
      g_print ("failed=1\n");
      for (guint i = 0; i < self.pipeline; i++)
        {
          clear_call (&self, &self.under_way[i].call_a,
                      &self.under_way[i].call_a_state_id);
          clear_call (&self, &self.under_way[i].call_b,
                      &self.under_way[i].call_b_state_id);
        }
      g_free (self.under_way);
      return EXIT_FAILURE;
    }

  seconds = (self.finished_us - self.started_us) / (double) G_USEC_PER_SEC;
  cpu = self.cpu_finished_s - self.cpu_started_s;

  g_print ("benchmark=calls\n");
  g_print ("broker_mode=embedded\n");
  g_print ("warmup_cycles=%u\n", self.warmup);
  g_print ("pipeline=%u\n", self.pipeline);
  g_print ("cycles=%u\n", self.cycles);
  g_print ("seconds=%.6f\n", seconds);
  g_print ("cycles_per_second=%.1f\n", self.cycles / seconds);
  g_print ("usec_per_cycle=%.1f\n", seconds * G_USEC_PER_SEC / self.cycles);
  if (self.cycles >= 2)
    {
      double first_s = (self.halfway_us - self.started_us)
                       / (double) G_USEC_PER_SEC;
      double second_s = (self.finished_us - self.halfway_us)
                        / (double) G_USEC_PER_SEC;

      g_print ("cycles_per_second_first_half=%.1f\n",
               (self.cycles / 2) / first_s);
      g_print ("cycles_per_second_second_half=%.1f\n",
               (self.cycles - self.cycles / 2) / second_s);
    }
  g_print ("cpu_seconds=%.3f\n", cpu);
  g_print ("cpu_usec_per_cycle=%.1f\n", cpu * G_USEC_PER_SEC / self.cycles);
  g_print ("max_rss_kib=%ld\n", max_rss_kib ());
  g_print ("peak_rss_kib=%ld\n", bench_proc_status_value ("VmHWM"));
  g_print ("rss_kib_after_warmup=%ld\n", self.rss_after_warmup_kib);
  g_print ("rss_kib=%ld\n", self.rss_finished_kib);
  if (self.rss_finished_kib >= 0 && self.rss_after_warmup_kib >= 0)
    g_print ("rss_growth_bytes_per_cycle=%.1f\n",
             (self.rss_finished_kib - self.rss_after_warmup_kib) * 1024.0
             / self.cycles);
  g_print ("failed=0\n");

  g_clear_object (&self.address_a);
  g_clear_object (&self.app_a);
  g_clear_object (&self.app_b);
  g_main_loop_unref (self.loop);
  g_queue_clear (&self.offering);
  g_free (self.under_way);
  g_free (self.failure);

  return EXIT_SUCCESS;
}
