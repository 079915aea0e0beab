/* bench-soak.c: a long run of incoming SIP calls against the SIP provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The broker is embedded, with two accounts in direct mode on 127.0.0.1:
 * "alice" takes signalling-only calls, "bob" takes calls with media. Two
 * sipp UACs (tests/sip/uac-call.xml) call them for --duration seconds, at
 * --rate calls per second in all: one call in --media-every goes to bob
 * with its RTP echoed by sipp (-rtp_echo). The application answers every
 * call; on bob's calls it sends a tone and records what comes back, and
 * the recording must hold the tone: our RTP reached sipp and sipp's
 * reached us.
 *
 * The RSS, open file descriptors and threads of this process (which holds
 * the broker) are read before the calls, at the start (after a warm-up),
 * in the middle, at the end of the traffic and after --idle seconds
 * without calls (SIP transactions outlive their calls by 32 s) and
 * malloc_trim(). The run passes when no call failed, every media call
 * carried the tone both ways, the RSS grew by no more than the tolerance
 * from the middle to the end of the traffic and from its start to the
 * idle reading, and the descriptors and threads at idle are those before
 * the calls, within their tolerances. Results are key=value lines on
 * stdout.
 */

#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <tapi3.h>

#include "bench-media-util.h"
#include "bench-sipp.h"
#include "tapi-goertzel.h"
#include "tapi-wav.h"

#define WARM_UP_S          10
#define STALL_TIMEOUT_S    30
#define TONE_FREQUENCY     1000.0
#define OTHER_FREQUENCY    1700.0
#define MEDIA_CALL_MS      2000

/* Tolerances of the resources (see the top of the file) */
#define RSS_TOLERANCE_KIB  16384
#define MAX_FAILURES_PRINTED 100
#define FD_TOLERANCE       4
#define THREAD_TOLERANCE   2

static int rate = 200;
static int duration_s = 600;
static int media_every = 50;
static int idle_s = 40;
static char *scenario_dir = NULL;
static char *sipp_path = NULL;

static GOptionEntry entries[] = {
  { "rate", 'r', 0, G_OPTION_ARG_INT, &rate, "Calls per second (200)", "R" },
  { "duration", 'd', 0, G_OPTION_ARG_INT, &duration_s, "Seconds of calls (600)",
    "S" },
  { "media-every", 'e', 0, G_OPTION_ARG_INT, &media_every,
    "One call in N carries media (50)", "N" },
  { "idle", 0, 0, G_OPTION_ARG_INT, &idle_s,
    "Seconds without calls before the last reading (40)", "S" },
  { "scenarios", 's', 0, G_OPTION_ARG_FILENAME, &scenario_dir,
    "The directory of the sipp scenarios (tests/sip)", "DIR" },
  { "sipp", 0, 0, G_OPTION_ARG_FILENAME, &sipp_path, "sipp (" SIPP_PATH ")",
    "PATH" },
  { NULL }
};

typedef struct
{
  long rss_kib;
  long fds;
  long threads;
} Resources;

typedef struct
{
  GMainLoop   *loop;
  TapiTapi    *app;
  TapiAddress *alice;
  TapiAddress *bob;
  char        *dir;

  int          offered;
  int          answered;
  int          completed;
  int          disconnected;
  int          media_completed;
  int          media_checked;
  int          failed;
  char        *failure;
  gint64       started;      /* monotonic time the process began */
  GHashTable  *live_calls;   /* of TapiCall offered and not yet disconnected */
  GPtrArray   *recordings;   /* of finished recordings still to check */
  guint        recording_serial;
} Soak;

static void
fail (Soak       *self,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Soak       *self,
      const char *format,
      ...)
{
  va_list args;

  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Every failure goes to stderr with its time, so that it can be
   * matched with what else ran on the machine then. */
  if (self->failed < MAX_FAILURES_PRINTED)
    g_printerr ("failure at %.1f s: %s\n",
                (g_get_monotonic_time () - self->started) /
                  (double) G_USEC_PER_SEC,
                message);
  self->failed++;
  if (self->failure == NULL)
    self->failure = g_steal_pointer (&message);
}

static long
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  long n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n - 1;   /* the directory's own */
}

static Resources
read_resources (void)
{
  Resources r;

  r.rss_kib = bench_proc_status_value ("VmRSS");
  r.fds = count_fds ();
  r.threads = bench_proc_status_value ("Threads");
  return r;
}

static void
print_resources (const char *when,
                 Resources   r)
{
  printf ("%s_rss_kib=%ld\n%s_fds=%ld\n%s_threads=%ld\n",
          when, r.rss_kib, when, r.fds, when, r.threads);
  fflush (stdout);
}

/* The media check */

/* TRUE when the WAV file at @path holds TONE_FREQUENCY, 10 times stronger
 * than OTHER_FREQUENCY, in its second half. */
static gboolean
recording_has_tone (const char *path,
                    double     *amplitude)
{
  g_auto(TapiWav) wav = { 0, };
  gsize half;
  double other;

  *amplitude = 0.0;
  if (!tapi_wav_load (path, &wav, NULL) || wav.n_samples < wav.rate / 2)
    return FALSE;
  half = wav.n_samples / 2;
  *amplitude = tapi_goertzel_amplitude (wav.samples + half, wav.n_samples - half,
                                        wav.rate, TONE_FREQUENCY);
  other = tapi_goertzel_amplitude (wav.samples + half, wav.n_samples - half,
                                   wav.rate, OTHER_FREQUENCY);
  return *amplitude > 0.01 && *amplitude > 10.0 * other;
}

static void
check_recordings (Soak *self)
{
  for (guint i = 0; i < self->recordings->len; i++)
    {
      const char *path = g_ptr_array_index (self->recordings, i);
      double amplitude;

      if (!recording_has_tone (path, &amplitude))
        {
          fail (self, "the recording %s lacks the tone (amplitude %.4f)", path,
                amplitude);
          continue;
        }
      self->media_checked++;
      g_unlink (path);
    }
  g_ptr_array_set_size (self->recordings, 0);
}

/* The application */

static void
call_state_cb (TapiCall           *call,
               TapiCallState       state,
               TapiCallStateCause  cause,
               Soak               *self)
{
  char *path;

  if (state != TAPI_CALL_STATE_DISCONNECTED)
    return;
  self->disconnected++;
  g_hash_table_remove (self->live_calls, call);
  if (cause != TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL)
    fail (self, "a call ended with cause %d", cause);
  else
    self->completed++;
  path = g_object_steal_data (G_OBJECT (call), "soak-recording");
  g_signal_handlers_disconnect_by_func (call, call_state_cb, self);
  tapi_call_release (call, NULL);
  g_object_unref (call);
  if (path != NULL)
    {
      self->media_completed++;
      /* The recording is finished once the call's media has stopped:
       * it is checked later, from the main loop. */
      g_ptr_array_add (self->recordings, path);
    }
}

static void
answer_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Soak *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_answer_finish (TAPI_BASIC_CALL_CONTROL (source),
                                              result, &error))
    fail (self, "answer failed: %s", error->message);
  else
    self->answered++;
}

static gboolean
select_media (Soak      *self,
              TapiCall  *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTerminal) tone = NULL;
  g_autoptr(TapiTerminal) recorder = NULL;
  TapiStream *capture = bench_stream_of (call, TAPI_TERMINAL_DIRECTION_CAPTURE);
  TapiStream *render = bench_stream_of (call, TAPI_TERMINAL_DIRECTION_RENDER);
  g_autofree char *name = NULL;
  char *path;

  if (capture == NULL || render == NULL)
    {
      fail (self, "a call to bob has no audio streams");
      return FALSE;
    }
  tone = bench_new_terminal (self->bob, TAPI_TERMINAL_CLASS_TONE,
                             TAPI_TERMINAL_DIRECTION_CAPTURE, &error);
  if (tone == NULL)
    goto failed;
  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (tone), TONE_FREQUENCY);
  recorder = bench_new_terminal (self->bob, TAPI_TERMINAL_CLASS_FILE_RECORDING,
                                 TAPI_TERMINAL_DIRECTION_RENDER, &error);
  if (recorder == NULL)
    goto failed;
  name = g_strdup_printf ("call-%u.wav", self->recording_serial++);
  path = g_build_filename (self->dir, name, NULL);
  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (recorder), path);
  g_object_set_data_full (G_OBJECT (call), "soak-recording", path, g_free);
  if (!tapi_stream_select_terminal (capture, tone, &error) ||
      !tapi_stream_select_terminal (render, recorder, &error))
    goto failed;
  return TRUE;

failed:
  fail (self, "the media of a call to bob: %s", error->message);
  return FALSE;
}

static void
call_notification_cb (TapiTapi                  *app,
                      TapiCall                  *call,
                      TapiCallNotificationEvent  event,
                      Soak                      *self)
{
  if (event != TAPI_CALL_NOTIFICATION_EVENT_OWNER ||
      tapi_call_get_state (call) != TAPI_CALL_STATE_OFFERING)
    {
      fail (self, "unexpected call-notification");
      return;
    }
  self->offered++;
  g_hash_table_add (self->live_calls, call);
  g_signal_connect (g_object_ref (call), "state-changed",
                    G_CALLBACK (call_state_cb), self);
  if (tapi_call_get_address (call) == self->bob && !select_media (self, call))
    {
      tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (call),
                                                TAPI_DISCONNECT_CODE_REJECTED, NULL,
                                                NULL, NULL);
      return;
    }
  tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                        answer_cb, self);
}

static void
initialize_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Soak *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_tapi_initialize_finish (TAPI_TAPI (source), result, &error))
    g_error ("initialize: %s", error->message);
  g_main_loop_quit (self->loop);
}

static void
sipp_exited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  int *running = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  (*running)--;
}

/* Runs the main context for @seconds, checking recordings on the way */
static void
run_for (Soak   *self,
         double  seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      check_recordings (self);
      g_usleep (2000);
    }
}

static void
register_notifications (Soak        *self,
                        TapiAddress *address)
{
  g_autoptr(GError) error = NULL;

  if (tapi_tapi_register_call_notifications (self->app, address, FALSE, TRUE,
                                             TAPI_MEDIA_TYPE_AUDIO,
                                             &error) == 0)
    g_error ("register: %s", error->message);
}

static int
sipp_status (GSubprocess *process)
{
  return g_subprocess_get_if_exited (process)
           ? g_subprocess_get_exit_status (process)
           : -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- a soak of incoming SIP calls");
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *plain_log = NULL;
  g_autofree char *media_log = NULL;
  g_autoptr(GSubprocess) plain = NULL;
  g_autoptr(GSubprocess) media = NULL;
  Soak soak = { 0 };
  Soak *self = &soak;
  guint alice_port, bob_port;
  int plain_calls, media_calls, attempted, running = 2, last_progress,
                                           stalled_s = 0;
  gint64 start, end;
  Resources at_initial, at_start, at_middle, at_end, at_idle;
  gboolean pass;

  setlocale (LC_ALL, "C");
  self->started = g_get_monotonic_time ();
  self->live_calls = g_hash_table_new (NULL, NULL);
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
  rate = MAX (rate, 1);
  duration_s = MAX (duration_s, 2 * WARM_UP_S);
  media_every = MAX (media_every, 1);

  /* The calls of one period of media_every seconds: rate per second,
   * one in media_every of them with media. */
  media_calls = rate * duration_s / media_every;
  plain_calls = rate * duration_s - media_calls;
  attempted = plain_calls + media_calls;

  self->dir = g_dir_make_tmp ("bench-soak-XXXXXX", &error);
  if (self->dir == NULL)
    g_error ("%s", error->message);
  self->recordings = g_ptr_array_new_with_free_func (g_free);
  alice_port = bench_free_udp_port ();
  bob_port = bench_free_udp_port ();
  config_path = g_build_filename (self->dir, "sip.conf", NULL);
  config = g_strdup_printf ("[account:alice]\n"
                            "uri=sip:alice@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:%u\n"
                            "transport=udp\n"
                            "codecs=PCMU;PCMA\n"
                            "[account:bob]\n"
                            "uri=sip:bob@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:%u\n"
                            "transport=udp\n"
                            "codecs=PCMU;PCMA\n",
                            alice_port, alice_port, bob_port, bob_port);
  g_file_set_contents (config_path, config, -1, NULL);
  g_setenv ("TAPI3_SIP_CONFIG", config_path, TRUE);
  g_setenv ("TAPI3_BROKER", "embedded", FALSE);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->app = tapi_tapi_new ("org.libtapi3.BenchSoak");
  tapi_tapi_initialize_async (self->app, NULL, initialize_cb, self);
  g_main_loop_run (self->loop);
  self->alice = tapi_tapi_find_address (self->app, "alice");
  self->bob = tapi_tapi_find_address (self->app, "bob");
  if (self->alice == NULL || self->bob == NULL)
    g_error ("The SIP provider lacks the address alice or bob");
  g_signal_connect (self->app, "call-notification",
                    G_CALLBACK (call_notification_cb), self);
  register_notifications (self, self->alice);
  register_notifications (self, self->bob);

  printf ("rate=%d\nduration_s=%d\nmedia_every=%d\nidle_s=%d\n",
          rate, duration_s, media_every, idle_s);
  at_initial = read_resources ();
  print_resources ("initial", at_initial);

  scenario = g_build_filename (scenario_dir, "uac-call.xml", NULL);
  plain_log = g_build_filename (self->dir, "plain.log", NULL);
  media_log = g_build_filename (self->dir, "media.log", NULL);
  {
    g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", alice_port);
    g_autofree char *port = g_strdup_printf ("%u", bench_free_udp_port ());
    g_autofree char *media_port = g_strdup_printf ("%u",
                                                   bench_free_udp_port ());
    g_autofree char *count = g_strdup_printf ("%d", plain_calls);
    g_autofree char *period_calls = g_strdup_printf ("%d",
                                                     rate * (media_every - 1));
    g_autofree char *period_ms = g_strdup_printf ("%d", media_every * 1000);
    g_autofree char *timeout = g_strdup_printf ("%d", duration_s + 120);
    const char *plain_argv[] = {
      sipp_path, "-sf", scenario, remote, "-s", "alice", "-i", "127.0.0.1", "-p", port,
      "-mi", "127.0.0.1", "-mp", media_port, "-nostdin", "-m", count,
      "-r", period_calls, "-rp", period_ms, "-l", "5000", "-d", "0", "-key", "extra", "",
      "-timeout", timeout, "-timeout_error", "-max_socket", "5000", NULL,
    };

    plain = bench_start_sipp (plain_argv, plain_log);
  }
  {
    g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", bob_port);
    g_autofree char *port = g_strdup_printf ("%u", bench_free_udp_port ());
    g_autofree char *media_port = g_strdup_printf ("%u",
                                                   bench_free_udp_port ());
    g_autofree char *count = g_strdup_printf ("%d", media_calls);
    g_autofree char *period_calls = g_strdup_printf ("%d", rate);
    g_autofree char *period_ms = g_strdup_printf ("%d", media_every * 1000);
    g_autofree char *pause = g_strdup_printf ("%d", MEDIA_CALL_MS);
    g_autofree char *timeout = g_strdup_printf ("%d", duration_s + 120);
    const char *media_argv[] = {
      sipp_path, "-sf", scenario, remote, "-s", "bob", "-i", "127.0.0.1", "-p", port,
      "-mi", "127.0.0.1", "-mp", media_port, "-rtp_echo", "-nostdin", "-m", count,
      "-r", period_calls, "-rp", period_ms, "-l", "500", "-d", pause, "-key", "extra", "",
      "-timeout", timeout, "-timeout_error", NULL,
    };

    media = bench_start_sipp (media_argv, media_log);
  }
  start = g_get_monotonic_time ();
  g_subprocess_wait_async (plain, NULL, sipp_exited_cb, &running);
  g_subprocess_wait_async (media, NULL, sipp_exited_cb, &running);

  /* The traffic, watched every second */
  at_start = at_middle = read_resources ();
  last_progress = 0;
  for (int second = 1; running > 0; second++)
    {
      run_for (self, 1.0);
      if (second == WARM_UP_S)
        {
          at_start = read_resources ();
          print_resources ("start", at_start);
        }
      else if (second == duration_s / 2)
        {
          at_middle = read_resources ();
          print_resources ("middle", at_middle);
        }
      if (self->completed + self->failed != last_progress)
        {
          last_progress = self->completed + self->failed;
          stalled_s = 0;
        }
      else if (++stalled_s >= STALL_TIMEOUT_S)
        {
          fail (self, "no call ended for %d s", STALL_TIMEOUT_S);
          break;
        }
    }
  if (running > 0)
    {
      g_subprocess_force_exit (plain);
      g_subprocess_force_exit (media);
    }
  /* The last BYEs may still be on their way to the application */
  end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (self->completed + self->failed < attempted &&
         g_get_monotonic_time () < end)
    run_for (self, 0.1);
  run_for (self, 0.5);
  end = g_get_monotonic_time ();
  at_end = read_resources ();

  printf ("sipp_plain_exit_status=%d\n",
          running > 0 ? -1 : sipp_status (plain));
  printf ("sipp_media_exit_status=%d\n",
          running > 0 ? -1 : sipp_status (media));
  printf ("traffic_seconds=%.1f\n", (end - start) / (double) G_USEC_PER_SEC);
  printf ("calls_attempted=%d\n", attempted);
  printf ("calls_offered=%d\n", self->offered);
  printf ("calls_answered=%d\n", self->answered);
  printf ("calls_completed=%d\n", self->completed);
  printf ("calls_failed=%d\n", attempted - self->completed);
  printf ("calls_not_disconnected_at_end=%d\n",
          self->offered - self->disconnected);
  printf ("calls_per_second=%.1f\n",
          self->completed * (double) G_USEC_PER_SEC / (end - start));
  printf ("media_calls_attempted=%d\n", media_calls);
  printf ("media_calls_completed=%d\n", self->media_completed);
  printf ("media_calls_with_tone_both_ways=%d\n", self->media_checked);
  print_resources ("end", at_end);

  /* Idle: the transactions of the last calls expire */
  run_for (self, idle_s);
  print_resources ("idle_untrimmed", read_resources ());
  malloc_trim (0);
  at_idle = read_resources ();
  {
    GHashTableIter iter;
    TapiCall *call;

    /* What the calls that never ended were doing */
    g_hash_table_iter_init (&iter, self->live_calls);
    while (g_hash_table_iter_next (&iter, (gpointer *) &call, NULL))
      g_printerr ("call %u was not disconnected after the idle time: state %d, cause %d, caller %s\n",
                  tapi_call_get_call_id (call), tapi_call_get_state (call),
                  tapi_call_get_state_cause (call),
                  tapi_call_get_caller_id_number (call));
  }
  printf ("calls_never_disconnected=%u\n",
          g_hash_table_size (self->live_calls));
  print_resources ("idle", at_idle);
  {
    struct mallinfo2 info = mallinfo2 ();

    printf ("idle_heap_in_use_kib=%zu\nidle_heap_free_kib=%zu\n",
            info.uordblks / 1024, info.fordblks / 1024);
  }

  printf ("rss_growth_start_to_idle_kib=%ld\n",
          at_idle.rss_kib - at_start.rss_kib);
  printf ("rss_growth_middle_to_end_kib=%ld\n",
          at_end.rss_kib - at_middle.rss_kib);
  printf ("fd_growth_initial_to_idle=%ld\n", at_idle.fds - at_initial.fds);
  printf ("thread_growth_initial_to_idle=%ld\n",
          at_idle.threads - at_initial.threads);
  printf ("tolerance_rss_kib=%d\ntolerance_fds=%d\ntolerance_threads=%d\n",
          RSS_TOLERANCE_KIB, FD_TOLERANCE, THREAD_TOLERANCE);

  pass = self->failure == NULL && self->completed == attempted &&
         self->media_checked == media_calls &&
         running == 0 && sipp_status (plain) == 0 && sipp_status (media) == 0 &&
         at_idle.rss_kib - at_start.rss_kib <= RSS_TOLERANCE_KIB &&
         at_end.rss_kib - at_middle.rss_kib <= RSS_TOLERANCE_KIB &&
         ABS (at_idle.fds - at_initial.fds) <= FD_TOLERANCE &&
         ABS (at_idle.threads - at_initial.threads) <= THREAD_TOLERANCE;
  if (self->failure != NULL)
    printf ("failure=%s\n", self->failure);
  printf ("logs=%s\n", self->dir);
  printf ("verdict=%s\n", pass ? "pass" : "fail");
  fflush (stdout);

  tapi_tapi_shutdown (self->app, NULL);
  return pass ? 0 : 1;
}
