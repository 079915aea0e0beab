/* bench-sip.c: SIP call rates of the SIP provider against sipp
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Three measurements on 127.0.0.1, one account "alice" in direct mode
 * (TAPI3_SIP_CONFIG is written by the benchmark), the broker embedded:
 *
 *  1. outgoing: full TAPI call cycles (create_call, connect to CONNECTED,
 *     disconnect to DISCONNECTED, release) placed by this process against
 *     sipp's built-in UAS, several at a time; then sipp's own built-in
 *     UAC against the same UAS, the same number of calls, as the yardstick.
 *  2. incoming: sipp (tests/sip/uac-call.xml) calls alice at a rate and
 *     concurrency; the application answers each call, sipp hangs up.
 *  3. memory: the RSS of this process (which holds the broker) after a
 *     warm-up and after --rss-calls more outgoing cycles.
 *
 * No terminal is selected, so no media pipeline runs: this measures the
 * signalling and the broker. Every call is checked; any failed call makes
 * the run fail (exit status 1). Results are key=value lines on stdout.
 */

#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <tapi3.h>

#include "bench-media-util.h"
#include "bench-sipp.h"

#define STALL_TIMEOUT_S 15

static int calls = 200;
static int concurrency = 10;
static int incoming_rate = 50;
static int rss_calls = 10000;
static int settle_seconds = 40;
static char *scenario_dir = NULL;
static char *sipp_path = NULL;

static GOptionEntry entries[] = {
  { "calls", 'n', 0, G_OPTION_ARG_INT, &calls, "Calls per rate measurement (200)", "N" },
  { "concurrency", 'c', 0, G_OPTION_ARG_INT, &concurrency, "Calls at a time (10)", "C" },
  { "incoming-rate", 'r', 0, G_OPTION_ARG_INT, &incoming_rate,
    "Calls per second sipp places to us (50)", "R" },
  { "rss-calls", 'm', 0, G_OPTION_ARG_INT, &rss_calls,
    "Outgoing calls between the two RSS readings (10000; 0 skips)", "M" },
  { "settle", 0, 0, G_OPTION_ARG_INT, &settle_seconds,
    "Seconds to idle before the last RSS reading (40): SIP transactions outlive their calls by 32 s", "S" },
  { "scenarios", 's', 0, G_OPTION_ARG_FILENAME, &scenario_dir,
    "The directory of the sipp scenarios (tests/sip)", "DIR" },
  { "sipp", 0, 0, G_OPTION_ARG_FILENAME, &sipp_path, "sipp (" SIPP_PATH ")", "PATH" },
  { NULL }
};

typedef struct
{
  GMainLoop   *loop;
  TapiTapi    *app;
  TapiAddress *address;
  char        *destination;

  /* outgoing */
  int          target;
  int          started;
  int          completed;
  int          in_flight;

  /* incoming */
  int          answered;
  int          incoming_done;

  int          failed;
  char        *failure;
  int          watchdog_last;
  int          watchdog_stalled_s;
  gboolean     settling;      /* idle on purpose: no progress expected */
} Bench;

typedef struct
{
  Bench    *bench;
  TapiCall *call;
  gulong    state_id;
  gboolean  connect_done;
  gboolean  disconnect_started;
} Cycle;

static void start_cycles (Bench *self);

static void
fail (Bench      *self,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Bench      *self,
      const char *format,
      ...)
{
  va_list args;

  self->failed++;
  if (self->failure == NULL)
    {
      va_start (args, format);
      self->failure = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_main_loop_quit (self->loop);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Bench *self = user_data;
  int progress = self->completed + self->incoming_done;

  if (progress != self->watchdog_last || self->settling)
    {
      self->watchdog_last = progress;
      self->watchdog_stalled_s = 0;
    }
  else if (++self->watchdog_stalled_s >= STALL_TIMEOUT_S)
    fail (self, "no call completed for %d s", STALL_TIMEOUT_S);
  return G_SOURCE_CONTINUE;
}

/* sipp */

static gboolean
port_bound (guint port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
                                             G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                  port);

  return !g_socket_bind (socket, address, FALSE, NULL);
}

static void
wait_listening (guint port)
{
  /* sipp listens once its port can no longer be bound; the probe lets go
   * of the port at once, so that sipp can take it. */
  for (int i = 0; i < 500; i++)
    {
      if (port_bound (port))
        return;
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  g_error ("sipp does not listen on port %u", port);
}

static void
sipp_exited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* Runs the main context until @process exits; returns its exit status. */
static int
run_until_exit (Bench       *self,
                GSubprocess *process)
{
  gboolean exited = FALSE;

  g_subprocess_wait_async (process, NULL, sipp_exited_cb, &exited);
  while (!exited && self->failure == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!exited)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
  return g_subprocess_get_if_exited (process)
           ? g_subprocess_get_exit_status (process)
           : -1;
}

/* Outgoing cycles */

static void
cycle_free (Cycle *cycle)
{
  g_clear_signal_handler (&cycle->state_id, cycle->call);
  g_clear_object (&cycle->call);
  g_free (cycle);
}

static void
cycle_done (Cycle *cycle)
{
  Bench *self = cycle->bench;

  tapi_call_release (cycle->call, NULL);
  cycle_free (cycle);
  self->in_flight--;
  self->completed++;
  if (self->completed == self->target)
    g_main_loop_quit (self->loop);
  else
    start_cycles (self);
}

static void
disconnect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_disconnect_finish (TAPI_BASIC_CALL_CONTROL (source), result,
                                                  &error))
    {
      fail (cycle->bench, "disconnect failed: %s", error->message);
      return;
    }
  if (tapi_call_get_state (cycle->call) != TAPI_CALL_STATE_DISCONNECTED)
    {
      fail (cycle->bench, "a disconnected call is in state %d",
            tapi_call_get_state (cycle->call));
      return;
    }
  cycle_done (cycle);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_connect_finish (TAPI_BASIC_CALL_CONTROL (source), result,
                                               &error))
    {
      fail (cycle->bench, "connect failed: %s", error->message);
      return;
    }
  if (tapi_call_get_state (cycle->call) != TAPI_CALL_STATE_CONNECTED)
    {
      fail (cycle->bench, "a connected call is in state %d",
            tapi_call_get_state (cycle->call));
      return;
    }
  tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (cycle->call),
                                            TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                            disconnect_cb, cycle);
}

static void
start_cycles (Bench *self)
{
  while (self->in_flight < concurrency && self->started < self->target &&
         self->failure == NULL)
    {
      g_autoptr(GError) error = NULL;
      Cycle *cycle = g_new0 (Cycle, 1);

      cycle->bench = self;
      cycle->call = tapi_address_create_call (self->address, self->destination,
                                              TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                              TAPI_MEDIA_TYPE_AUDIO, &error);
      if (cycle->call == NULL)
        {
          g_free (cycle);
          fail (self, "create_call failed: %s", error->message);
          return;
        }
      self->started++;
      self->in_flight++;
      tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (cycle->call), NULL,
                                             connect_cb, cycle);
    }
}

/* Runs @n outgoing cycles; returns the seconds they took. */
static double
run_outgoing (Bench *self,
              int    n)
{
  gint64 start = g_get_monotonic_time ();

  self->target = n;
  self->started = self->completed = self->in_flight = 0;
  start_cycles (self);
  g_main_loop_run (self->loop);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Incoming calls */

static void
incoming_state_cb (TapiCall           *call,
                   TapiCallState       state,
                   TapiCallStateCause  cause,
                   Bench              *self)
{
  if (state != TAPI_CALL_STATE_DISCONNECTED)
    return;
  if (cause != TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL)
    fail (self, "an incoming call ended with cause %d", cause);
  self->incoming_done++;
  g_signal_handlers_disconnect_by_func (call, incoming_state_cb, self);
  tapi_call_release (call, NULL);
  g_object_unref (call);
}

static void
answer_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_answer_finish (TAPI_BASIC_CALL_CONTROL (source),
                                              result, &error))
    fail (self, "answer failed: %s", error->message);
  else
    self->answered++;
}

static void
call_notification_cb (TapiTapi                  *app,
                      TapiCall                  *call,
                      TapiCallNotificationEvent  event,
                      Bench                     *self)
{
  if (event != TAPI_CALL_NOTIFICATION_EVENT_OWNER ||
      tapi_call_get_state (call) != TAPI_CALL_STATE_OFFERING)
    {
      fail (self, "unexpected call-notification");
      return;
    }
  g_signal_connect (g_object_ref (call), "state-changed",
                    G_CALLBACK (incoming_state_cb), self);
  tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                        answer_cb, self);
}

/* Set-up */

static void
initialize_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Bench *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_tapi_initialize_finish (TAPI_TAPI (source), result, &error))
    g_error ("initialize: %s", error->message);
  g_main_loop_quit (self->loop);
}

static void
report_failure (Bench *self)
{
  printf ("failed_calls=%d\n", self->failed);
  printf ("failure=%s\n", self->failure);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- SIP call rates against sipp");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *uas_log = NULL;
  g_autofree char *uac_log = NULL;
  g_autofree char *in_log = NULL;
  g_autofree char *scenario = NULL;
  g_autoptr(GSubprocess) uas = NULL;
  Bench bench = { 0 };
  Bench *self = &bench;
  guint our_port, uas_port, uac_port, in_port;
  double seconds;
  int status;

  setlocale (LC_ALL, "C");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (scenario_dir == NULL)
    scenario_dir = g_strdup (SIP_SCENARIO_DIR);
  if (sipp_path == NULL)
    sipp_path = g_strdup (SIPP_PATH);
  calls = MAX (calls, 1);
  concurrency = MAX (concurrency, 1);

  dir = g_dir_make_tmp ("bench-sip-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  our_port = bench_free_udp_port ();
  config_path = g_build_filename (dir, "sip.conf", NULL);
  config = g_strdup_printf ("[account:alice]\n"
                            "uri=sip:alice@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:%u\n"
                            "transport=udp\n"
                            "codecs=PCMU;PCMA\n", our_port, our_port);
  g_file_set_contents (config_path, config, -1, NULL);
  g_setenv ("TAPI3_SIP_CONFIG", config_path, TRUE);
  g_setenv ("TAPI3_BROKER", "embedded", FALSE);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->app = tapi_tapi_new ("org.libtapi3.BenchSip");
  tapi_tapi_initialize_async (self->app, NULL, initialize_cb, self);
  g_main_loop_run (self->loop);
  self->address = tapi_tapi_find_address (self->app, "alice");
  if (self->address == NULL)
    g_error ("The SIP provider has no address alice");
  g_timeout_add_seconds (1, watchdog_cb, self);

  printf ("calls=%d\nconcurrency=%d\n", calls, concurrency);

  /* 1. Outgoing: our UA, then sipp's UAC, against one sipp UAS */
  uas_port = bench_free_udp_port ();
  uas_log = g_build_filename (dir, "uas.log", NULL);
  {
    g_autofree char *port = g_strdup_printf ("%u", uas_port);
    g_autofree char *media_port = g_strdup_printf ("%u",
                                                   bench_free_udp_port ());
    const char *uas_argv[] = {
      sipp_path, "-sn", "uas", "-i", "127.0.0.1", "-p", port, "-mi", "127.0.0.1",
      "-mp", media_port, "-nostdin", NULL,
    };

    uas = bench_start_sipp (uas_argv, uas_log);
    wait_listening (uas_port);
  }
  self->destination = g_strdup_printf ("sip:service@127.0.0.1:%u", uas_port);

  run_outgoing (self, MIN (20, calls));   /* warm-up */
  if (self->failure != NULL)
    {
      report_failure (self);
      return 1;
    }
  seconds = run_outgoing (self, calls);
  if (self->failure != NULL)
    {
      report_failure (self);
      return 1;
    }
  printf ("outgoing_tapi_seconds=%.3f\n", seconds);
  printf ("outgoing_tapi_calls_per_second=%.1f\n", calls / seconds);

  uac_port = bench_free_udp_port ();
  uac_log = g_build_filename (dir, "uac.log", NULL);
  {
    g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", uas_port);
    g_autofree char *port = g_strdup_printf ("%u", uac_port);
    g_autofree char *count = g_strdup_printf ("%d", calls);
    g_autofree char *limit = g_strdup_printf ("%d", concurrency);
    g_autofree char *media_port = g_strdup_printf ("%u",
                                                   bench_free_udp_port ());
    const char *uac_argv[] = {
      sipp_path, "-sn", "uac", remote, "-i", "127.0.0.1", "-p", port, "-mi", "127.0.0.1",
      "-mp", media_port, "-nostdin", "-m", count, "-l", limit, "-r", "100000", "-d", "0",
      "-timeout", "120", "-timeout_error", NULL,
    };
    g_autoptr(GSubprocess) uac = NULL;
    gint64 start = g_get_monotonic_time ();

    uac = bench_start_sipp (uac_argv, uac_log);
    status = run_until_exit (self, uac);
    seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
    printf ("outgoing_sipp_uac_exit_status=%d\n", status);
    printf ("outgoing_sipp_uac_seconds=%.3f\n", seconds);
    printf ("outgoing_sipp_uac_calls_per_second=%.1f\n", calls / seconds);
    if (status != 0)
      fail (self, "sipp's UAC failed (exit status %d, log %s)", status,
            uac_log);
  }

  /* 2. Incoming: sipp calls us */
  if (self->failure == NULL)
    {
      g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", our_port);
      g_autofree char *port = NULL;
      g_autofree char *count = g_strdup_printf ("%d", calls);
      g_autofree char *limit = g_strdup_printf ("%d", concurrency);
      g_autofree char *rate = g_strdup_printf ("%d", incoming_rate);
      g_autofree char *media_port = g_strdup_printf ("%u",
                                                     bench_free_udp_port ());
      g_autoptr(GSubprocess) uac = NULL;
      gint64 start;

      in_port = bench_free_udp_port ();
      port = g_strdup_printf ("%u", in_port);
      in_log = g_build_filename (dir, "incoming.log", NULL);
      scenario = g_build_filename (scenario_dir, "uac-call.xml", NULL);
      {
        const char *in_argv[] = {
          sipp_path, "-sf", scenario, remote, "-s", "alice", "-i", "127.0.0.1",
          "-p", port, "-mi", "127.0.0.1", "-mp", media_port, "-nostdin", "-m", count, "-l", limit,
          "-r", rate, "-d", "0", "-key", "extra", "X-Bench: 1",
          "-timeout", "300", "-timeout_error", NULL,
        };

        g_signal_connect (self->app, "call-notification", G_CALLBACK (call_notification_cb),
                          self);
        if (tapi_tapi_register_call_notifications (self->app, self->address,
                                                   FALSE, TRUE,
                                                   TAPI_MEDIA_TYPE_AUDIO,
                                                   &error) == 0)
          g_error ("register: %s", error->message);
        start = g_get_monotonic_time ();
        uac = bench_start_sipp (in_argv, in_log);
        status = run_until_exit (self, uac);
      }
      /* The last BYEs may still be on their way to the application */
      while (self->incoming_done < calls && self->failure == NULL &&
             g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      printf ("incoming_rate_offered=%d\n", incoming_rate);
      printf ("incoming_sipp_exit_status=%d\n", status);
      printf ("incoming_answered=%d\n", self->answered);
      printf ("incoming_completed=%d\n", self->incoming_done);
      printf ("incoming_seconds=%.3f\n", seconds);
      printf ("incoming_calls_per_second=%.1f\n",
              self->incoming_done / seconds);
      if (status != 0 || self->incoming_done != calls)
        fail (self, "incoming calls failed (sipp exit status %d, %d of %d completed, log %s)",
              status, self->incoming_done, calls, in_log);
    }

  /* 3. Memory of the process, which holds the broker */
  if (self->failure == NULL && rss_calls > 0)
    {
      long before = bench_proc_status_value ("VmRSS"), after;

      printf ("rss_before_kib=%ld\n", before);
      fflush (stdout);
      seconds = run_outgoing (self, rss_calls);
      after = bench_proc_status_value ("VmRSS");
      printf ("rss_calls=%d\n",
              self->failure == NULL ? rss_calls : self->completed);
      printf ("rss_calls_per_second=%.1f\n", self->completed / seconds);
      printf ("rss_after_kib=%ld\n", after);
      printf ("rss_growth_kib=%ld\n", after - before);
      printf ("rss_growth_bytes_per_call=%.1f\n",
              (after - before) * 1024.0 / MAX (self->completed, 1));

      /* Server transactions stay for timer J (64 × T1 = 32 s) after
       * their calls, as RFC 3261 wants: memory comes back after that. */
      if (settle_seconds > 0)
        {
          gint64 end = g_get_monotonic_time () +
                       settle_seconds * G_USEC_PER_SEC;
          long settled;

          self->settling = TRUE;
          while (g_get_monotonic_time () < end)
            {
              g_main_context_iteration (NULL, FALSE);
              g_usleep (10000);
            }
          self->settling = FALSE;
          printf ("rss_settled_after_s=%d\n", settle_seconds);
          printf ("rss_settled_untrimmed_kib=%ld\n",
                  bench_proc_status_value ("VmRSS"));
          /* What malloc keeps of freed memory is not the library's. */
          malloc_trim (0);
          settled = bench_proc_status_value ("VmRSS");
          printf ("rss_settled_kib=%ld\n", settled);
          printf ("rss_settled_growth_bytes_per_call=%.1f\n",
                  (settled - before) * 1024.0 / MAX (self->completed, 1));
        }
    }

  g_subprocess_send_signal (uas, SIGTERM);
  g_subprocess_wait (uas, NULL, NULL);
  tapi_tapi_shutdown (self->app, NULL);

  if (self->failure != NULL)
    {
      report_failure (self);
      return 1;
    }
  printf ("failed_calls=0\n");

  /* The logs are kept only when something failed */
  {
    const char *files[] = { "sip.conf", "uas.log", "uac.log", "incoming.log" };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *path = g_build_filename (dir, files[i], NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
