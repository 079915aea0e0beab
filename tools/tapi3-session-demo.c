/* tapi3-session-demo.c: "tapi3 demo --session", the tour between processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "tapi3-audio.h"
#include "tapi3-cli.h"

/* The applications are separate processes on the session broker: this
 * process is the softphone, and runs other tapi3 commands as the caller,
 * the recorder, a colleague, a monitor, and the transfer. Their output
 * shows in the timeline; each step checks what they print. */

#define BROKER_NAME "org.libtapi3.Broker"
#define STEP_TIMEOUT_MS 8000
#define CALLER_TONE_HZ 700.0

typedef struct _SessionDemo SessionDemo;

typedef struct
{
  SessionDemo      *demo;
  char             *label;
  GSubprocess      *process;
  GDataInputStream *output;
  GPtrArray        *lines;
  guint             searched;   /* lines before this one were matched */
  gboolean          eof;
  gboolean          exited;
} Child;

struct _SessionDemo
{
  gint64        start_us;
  char         *tapi3;          /* this program */
  GSubprocess  *daemon;         /* tapi3d, when this demo started it */
  gboolean      daemon_exited;
  GPtrArray    *children;
  GPtrArray    *failures;
  GCancellable *cancellable;
  TapiTapi     *softphone;
  TapiCall     *incoming;
};

static void
timeline (SessionDemo *demo,
          const char  *who,
          const char  *format,
          ...) G_GNUC_PRINTF (3, 4);

static void
timeline (SessionDemo *demo,
          const char  *who,
          const char  *format,
          ...)
{
  g_autofree char *message = NULL;
  gint64 elapsed = g_get_monotonic_time () - demo->start_us;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("%3d.%03ds  %-10s %s\n", (int) (elapsed / G_USEC_PER_SEC),
           (int) ((elapsed % G_USEC_PER_SEC) / 1000), who, message);
}

static gboolean
expect (SessionDemo *demo,
        gboolean     condition,
        const char  *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
expect (SessionDemo *demo,
        gboolean     condition,
        const char  *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (condition)
    return TRUE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  timeline (demo, "demo", "!! %s", message);
  g_ptr_array_add (demo->failures, g_steal_pointer (&message));
  return FALSE;
}

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

static gboolean
expired_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @condition holds; it is checked after every
 * event, and every 50 ms for what comes without one (a bus name). */
static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gboolean expired = FALSE, met;
  guint id = g_timeout_add (timeout_ms, expired_cb, &expired);
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (!(met = condition (data)) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_source_remove (tick);
  return met;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
pause_ms (guint ms)
{
  wait_until (never, NULL, ms);
}

/* Children */

static void read_line (Child *child);
static void wait_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (child->output, result,
                                                    NULL, &error);
  if (line == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        child->eof = TRUE;
      return;
    }

  timeline (child->demo, child->label, "| %s", line);
  g_ptr_array_add (child->lines, line);
  read_line (child);
}

static void
read_line (Child *child)
{
  g_data_input_stream_read_line_async (child->output, G_PRIORITY_DEFAULT,
                                       child->demo->cancellable,
                                       line_read_cb, child);
}

static void
child_free (Child *child)
{
  g_clear_object (&child->output);
  g_clear_object (&child->process);
  g_ptr_array_unref (child->lines);
  g_free (child->label);
  g_free (child);
}

static Child *
spawn (SessionDemo *demo,
       const char  *label,
       ...) G_GNUC_NULL_TERMINATED;

static Child *
spawn (SessionDemo *demo,
       const char  *label,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) command = g_string_new ("tapi3");
  g_autoptr(GError) error = NULL;
  Child *child;
  const char *argument;
  va_list args;

  g_ptr_array_add (argv, demo->tapi3);
  va_start (args, label);
  while ((argument = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (argv, (char *) argument);
      g_string_append_printf (command, " %s", argument);
    }
  va_end (args);
  g_ptr_array_add (argv, NULL);

  timeline (demo, label, "$ %s", command->str);
  child = g_new0 (Child, 1);
  child->demo = demo;
  child->label = g_strdup (label);
  child->lines = g_ptr_array_new_with_free_func (g_free);
  child->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                      G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                      &error);
  if (child->process == NULL)
    {
      expect (demo, FALSE, "cannot run %s: %s", command->str, error->message);
      child->eof = TRUE;
    }
  else
    {
      GInputStream *output = g_subprocess_get_stdout_pipe (child->process);

      child->output = g_data_input_stream_new (output);
      read_line (child);
      g_subprocess_wait_async (child->process, NULL, wait_cb, &child->exited);
    }
  g_ptr_array_add (demo->children, child);
  return child;
}

typedef struct
{
  Child      *child;
  GRegex     *regex;
  GMatchInfo *match;
} LineSearch;

static gboolean
line_found (gpointer data)
{
  LineSearch *search = data;
  Child *child = search->child;

  for (; child->searched < child->lines->len; child->searched++)
    {
      const char *line = g_ptr_array_index (child->lines, child->searched);

      if (g_regex_match (search->regex, line, 0, &search->match))
        {
          child->searched++;
          return TRUE;
        }
      g_clear_pointer (&search->match, g_match_info_free);
    }
  return FALSE;
}

/* Waits for a line of @child's output, after the last one found, that
 * matches @pattern; returns its first group (or the whole match). */
static char *
wait_line (Child      *child,
           const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  LineSearch search = { child, regex, NULL };
  char *found = NULL;

  if (wait_until (line_found, &search, STEP_TIMEOUT_MS))
    {
      found = g_match_info_fetch (search.match,
                                  g_match_info_get_match_count (search.match) > 1
                                  ? 1 : 0);
      g_match_info_free (search.match);
    }
  else
    expect (child->demo, FALSE, "%s did not print \"%s\" within %d s",
            child->label, pattern, STEP_TIMEOUT_MS / 1000);
  return found;
}

static gboolean
process_done (gpointer data)
{
  Child *child = data;

  return child->process == NULL || child->exited;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* Waits for @child to exit and checks it exited with @status. */
static gboolean
wait_exit (Child *child,
           int    status,
           guint  timeout_ms)
{
  SessionDemo *demo = child->demo;

  if (child->process == NULL)
    return FALSE;
  if (!wait_until (process_done, child, timeout_ms))
    return expect (demo, FALSE, "%s did not exit within %u s", child->label,
                   timeout_ms / 1000);
  /* The rest of its output. */
  while (!child->eof && g_main_context_iteration (NULL, FALSE))
    ;
  if (g_subprocess_get_if_signaled (child->process))
    return expect (demo, FALSE, "%s was killed by signal %d", child->label,
                   g_subprocess_get_term_sig (child->process));
  return expect (demo, g_subprocess_get_exit_status (child->process) == status,
                 "%s exited with status %d, expected %d", child->label,
                 g_subprocess_get_exit_status (child->process), status);
}

/* Stops @child with SIGTERM, as Ctrl-C would. */
static void
stop_child (Child *child)
{
  if (child->process == NULL || process_done (child))
    return;
  g_subprocess_send_signal (child->process, SIGTERM);
  wait_exit (child, EXIT_SUCCESS, 5000);
}

/* The broker */

static gboolean
bus_has_name (GDBusConnection *bus,
              const char      *method,
              const char      *name)
{
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", method,
                                       g_str_equal (method, "NameHasOwner")
                                       ? g_variant_new ("(s)", name) : NULL,
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       NULL);
  if (reply == NULL)
    return FALSE;

  if (g_variant_is_of_type (reply, G_VARIANT_TYPE ("(b)")))
    {
      gboolean has_owner;

      g_variant_get (reply, "(b)", &has_owner);
      return has_owner;
    }
  else
    {
      g_autofree const char **names = NULL;

      g_variant_get (reply, "(^a&s)", &names);
      return g_strv_contains (names, name);
    }
}

typedef struct
{
  GDBusConnection *bus;
  SessionDemo     *demo;
} NameWait;

static gboolean
broker_ready (gpointer data)
{
  NameWait *wait = data;

  return wait->demo->daemon_exited ||
         bus_has_name (wait->bus, "NameHasOwner", BROKER_NAME);
}

/* Makes sure a broker serves the session bus: one that runs, one that D-Bus
 * can start, or tapi3d from beside this program. */
static gboolean
ensure_broker (SessionDemo *demo)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *tapi3d = NULL;
  NameWait wait;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      cli_print_error ("demo --session needs a session bus: %s",
                       error->message);
      return FALSE;
    }

  if (bus_has_name (bus, "NameHasOwner", BROKER_NAME))
    {
      timeline (demo, "demo", "%s runs already", BROKER_NAME);
      return TRUE;
    }
  if (bus_has_name (bus, "ListActivatableNames", BROKER_NAME))
    {
      timeline (demo, "demo", "%s is started by D-Bus activation",
                BROKER_NAME);
      return TRUE;
    }

  directory = g_path_get_dirname (demo->tapi3);
  tapi3d = g_build_filename (directory, "tapi3d", NULL);
  if (!g_file_test (tapi3d, G_FILE_TEST_IS_EXECUTABLE))
    {
      cli_print_error ("no broker owns %s on the session bus, none can be "
                       "activated, and there is no %s to start",
                       BROKER_NAME, tapi3d);
      return FALSE;
    }

  timeline (demo, "demo", "starting %s", tapi3d);
  demo->daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, tapi3d,
                                   NULL);
  if (demo->daemon == NULL)
    {
      cli_print_error ("cannot start %s: %s", tapi3d, error->message);
      return FALSE;
    }

  wait.bus = bus;
  wait.demo = demo;
  g_subprocess_wait_async (demo->daemon, NULL, wait_cb, &demo->daemon_exited);
  if (!wait_until (broker_ready, &wait, 5000) || demo->daemon_exited)
    {
      cli_print_error ("%s did not take %s", tapi3d, BROKER_NAME);
      return FALSE;
    }
  timeline (demo, "demo", "tapi3d (pid %s) serves %s",
            g_subprocess_get_identifier (demo->daemon), BROKER_NAME);
  return TRUE;
}

static void
stop_broker (SessionDemo *demo)
{
  if (demo->daemon == NULL)
    return;
  if (!demo->daemon_exited)
    {
      timeline (demo, "demo", "stopping tapi3d (pid %s)",
                g_subprocess_get_identifier (demo->daemon));
      g_subprocess_send_signal (demo->daemon, SIGTERM);
      g_subprocess_wait (demo->daemon, NULL, NULL);
    }
  g_clear_object (&demo->daemon);
}

/* The softphone: this process */

static void
softphone_notification_cb (TapiTapi                  *tapi,
                           TapiCall                  *call,
                           TapiCallNotificationEvent  event,
                           SessionDemo               *demo)
{
  timeline (demo, "softphone", "call %u offered (%s)",
            tapi_call_get_call_id (call),
            cli_enum_to_string (TAPI_TYPE_CALL_NOTIFICATION_EVENT, event));
  if (demo->incoming == NULL && event == TAPI_CALL_NOTIFICATION_EVENT_OWNER)
    demo->incoming = g_object_ref (call);
}

static gboolean
softphone_offered (gpointer data)
{
  SessionDemo *demo = data;

  return demo->incoming != NULL;
}

static gboolean
incoming_disconnected (gpointer data)
{
  SessionDemo *demo = data;

  return tapi_call_get_state (demo->incoming) == TAPI_CALL_STATE_DISCONNECTED;
}

static gboolean
softphone_start (SessionDemo *demo)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address;

  demo->softphone = tapi_tapi_new ("org.example.Softphone");
  g_signal_connect (demo->softphone, "call-notification",
                    G_CALLBACK (softphone_notification_cb), demo);
  if (!tapi_tapi_initialize_sync (demo->softphone, NULL, &error))
    return expect (demo, FALSE, "the softphone cannot start: %s",
                   error->message);

  address = tapi_tapi_find_address (demo->softphone, "101");
  if (!expect (demo, address != NULL, "the softphone finds no address 101") ||
      !expect (demo,
               tapi_tapi_register_call_notifications (demo->softphone,
                                                      address, FALSE, TRUE,
                                                      TAPI_MEDIA_TYPE_AUDIO,
                                                      &error) != 0,
               "the softphone cannot register on 101: %s",
               error != NULL ? error->message : ""))
    return FALSE;

  timeline (demo, "softphone", "org.example.Softphone owns audio calls on "
            "101 (this process, pid %d)", (int) getpid ());
  return TRUE;
}

/* The tour */

static gboolean
check_recording (SessionDemo *demo,
                 const char  *path)
{
  g_autoptr(GError) error = NULL;
  CliToneAnalysis analysis;

  if (!cli_analyse_recording (path, &analysis, &error))
    return expect (demo, FALSE, "the recording %s: %s", path, error->message);

  timeline (demo, "demo", "%s: %.2f s, %.2f s of sound, strongest frequency "
            "%.0f Hz (%.0f%% of the power)", path, analysis.seconds,
            analysis.loud_seconds, analysis.frequency, analysis.share * 100.0);
  return expect (demo, analysis.loud_seconds >= 1.0,
                 "the recording holds %.2f s of sound, expected at least 1 s",
                 analysis.loud_seconds) &&
         expect (demo, fabs (analysis.frequency - CALLER_TONE_HZ) <= 20.0 &&
                 analysis.share >= 0.5,
                 "the recording's strongest frequency is %.0f Hz, expected "
                 "the caller's %.0f Hz tone", analysis.frequency,
                 CALLER_TONE_HZ);
}

static void
run_tour (SessionDemo *demo,
          const char  *recordings_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recording = g_build_filename (recordings_dir,
                                                 "handoff.wav", NULL);
  g_autofree char *tone = g_strdup_printf ("%.0f", CALLER_TONE_HZ);
  g_autofree char *caller_call = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *colleague_call = NULL;
  g_autofree char *pattern = NULL;
  Child *monitor, *recorder, *colleague, *caller, *command;
  TapiBasicCallControl *control;

  g_print ("\nA monitor, a recorder and a colleague start; this process is "
           "the softphone.\n\n");
  monitor = spawn (demo, "monitor", "monitor", NULL);
  if (!wait_line (monitor, "monitoring"))
    return;
  recorder = spawn (demo, "recorder", "answer", "101", "--application",
                    "org.example.Recorder", "--media", "g3fax", "--record",
                    recording, NULL);
  colleague = spawn (demo, "colleague", "answer", "102", "--application",
                     "org.example.Colleague", NULL);
  if (!wait_line (recorder, "waiting for calls") ||
      !wait_line (colleague, "waiting for calls") ||
      !softphone_start (demo))
    return;

  g_print ("\nThe caller dials 101 and sends a %s Hz tone; the softphone "
           "answers.\n\n", tone);
  caller = spawn (demo, "caller", "call", "100", "101", "--tone", tone,
                  "--duration", "20", NULL);
  if (!expect (demo, wait_until (softphone_offered, demo, STEP_TIMEOUT_MS),
               "the softphone was offered no call"))
    return;
  control = TAPI_BASIC_CALL_CONTROL (demo->incoming);
  if (tapi_call_get_state (demo->incoming) == TAPI_CALL_STATE_OFFERING &&
      !tapi_basic_call_control_answer_sync (control, NULL, &error))
    {
      expect (demo, FALSE, "the softphone cannot answer: %s", error->message);
      return;
    }
  caller_call = wait_line (caller, "call ([0-9]+)  state connected");
  if (caller_call == NULL)
    return;
  call_id = g_strdup_printf ("%u", tapi_call_get_call_id (demo->incoming));
  timeline (demo, "softphone", "call %s %s", call_id,
            cli_enum_to_string (TAPI_TYPE_CALL_STATE,
                                tapi_call_get_state (demo->incoming)));

  g_print ("\nThe softphone hands the call to the recorder process, which "
           "records it;\nthe softphone keeps a monitor handle.\n\n");
  pause_ms (500);
  if (!tapi_basic_call_control_handoff_direct_sync (control,
                                                    "org.example.Recorder",
                                                    NULL, &error))
    {
      expect (demo, FALSE, "the handoff to the recorder failed: %s",
              error->message);
      return;
    }
  timeline (demo, "softphone", "handed call %s to org.example.Recorder; "
            "privilege now %s", call_id,
            cli_enum_to_string (TAPI_TYPE_CALL_PRIVILEGE,
                                tapi_call_get_privilege (demo->incoming)));
  expect (demo, tapi_call_get_privilege (demo->incoming) ==
          TAPI_CALL_PRIVILEGE_MONITOR,
          "the softphone should keep a monitor handle");
  pattern = g_strdup_printf ("call %s  notification owner", call_id);
  if (!wait_line (recorder, pattern) ||
      !wait_line (recorder, "media stream-active .*render stream, "
                            "file-recording terminal"))
    return;
  pause_ms (2000);

  g_print ("\nThe call is transferred, from outside, to the colleague on "
           "102.\n\n");
  command = spawn (demo, "transfer", "transfer", call_id, "102", NULL);
  if (!wait_exit (command, EXIT_SUCCESS, STEP_TIMEOUT_MS))
    return;
  colleague_call = wait_line (colleague, "call ([0-9]+)  notification owner");
  if (colleague_call == NULL ||
      !wait_line (colleague, "state connected") ||
      !wait_line (caller, "connected-id = 102") ||
      !wait_line (recorder, "state disconnected") ||
      !wait_line (recorder, "recorded to") ||
      !expect (demo, wait_until (incoming_disconnected, demo, STEP_TIMEOUT_MS),
               "the softphone's monitor handle did not see call %s end",
               call_id))
    return;
  timeline (demo, "softphone", "call %s %s", call_id,
            cli_enum_to_string (TAPI_TYPE_CALL_STATE,
                                tapi_call_get_state (demo->incoming)));
  check_recording (demo, recording);

  g_print ("\nThe colleague's call is hung up from outside; the caller sees "
           "it end.\n\n");
  pause_ms (500);
  command = spawn (demo, "hangup", "hangup", colleague_call, NULL);
  if (!wait_exit (command, EXIT_SUCCESS, STEP_TIMEOUT_MS) ||
      !wait_line (colleague, "state disconnected") ||
      !wait_line (caller, "state disconnected \\(cause disconnect-normal\\)"))
    return;
  wait_exit (caller, EXIT_SUCCESS, STEP_TIMEOUT_MS);

  g_print ("\nWhat the monitor saw of the softphone's call %s:\n\n", call_id);
  g_clear_pointer (&pattern, g_free);
  pattern = g_strdup_printf ("call %s  notification monitor", call_id);
  wait_line (monitor, pattern);
  g_clear_pointer (&pattern, g_free);
  pattern = g_strdup_printf ("call %s  number-of-owners", call_id);
  wait_line (monitor, pattern);
  g_clear_pointer (&pattern, g_free);
  pattern = g_strdup_printf ("call %s  state disconnected", call_id);
  wait_line (monitor, pattern);
  for (guint i = 0; i < monitor->lines->len; i++)
    {
      const char *line = g_ptr_array_index (monitor->lines, i);
      g_autofree char *prefix = g_strdup_printf ("call %s  ", call_id);

      if (strstr (line, prefix) != NULL)
        g_print ("  %s\n", line);
    }
}

int
cli_session_demo (const char *recordings_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  SessionDemo demo = { 0 };
  int status;

  demo.start_us = g_get_monotonic_time ();
  demo.children = g_ptr_array_new_with_free_func ((GDestroyNotify) child_free);
  demo.failures = g_ptr_array_new_with_free_func (g_free);
  demo.cancellable = g_cancellable_new ();
  demo.tapi3 = g_file_read_link ("/proc/self/exe", &error);
  if (demo.tapi3 == NULL)
    {
      cli_print_error ("cannot find this program: %s", error->message);
      return EXIT_FAILURE;
    }

  if (recordings_dir != NULL)
    {
      if (g_mkdir_with_parents (recordings_dir, 0755) < 0)
        {
          cli_print_error ("cannot create \"%s\": %s", recordings_dir,
                           g_strerror (errno));
          return EXIT_FAILURE;
        }
      directory = g_strdup (recordings_dir);
    }
  else if ((directory = g_dir_make_tmp ("tapi3-demo-XXXXXX", &error)) == NULL)
    {
      cli_print_error ("no place for the recordings: %s", error->message);
      return EXIT_FAILURE;
    }

  g_setenv ("TAPI3_BROKER", "session", TRUE);
  g_print ("The tour between processes, on the session broker. Recordings "
           "go to %s.\n\n", directory);
  g_print ("%7s  %-10s %s\n", "time", "who", "event");

  if (!ensure_broker (&demo))
    {
      stop_broker (&demo);
      if (recordings_dir == NULL)
        g_rmdir (directory);
      g_ptr_array_unref (demo.children);
      g_ptr_array_unref (demo.failures);
      g_object_unref (demo.cancellable);
      g_free (demo.tapi3);
      return EXIT_FAILURE;
    }
  run_tour (&demo, directory);

  /* Every process this demo started is stopped by its PID. */
  for (guint i = demo.children->len; i > 0; i--)
    stop_child (g_ptr_array_index (demo.children, i - 1));
  g_cancellable_cancel (demo.cancellable);
  if (demo.softphone != NULL)
    {
      g_signal_handlers_disconnect_by_data (demo.softphone, &demo);
      if (tapi_tapi_get_initialized (demo.softphone))
        tapi_tapi_shutdown (demo.softphone, NULL);
    }
  g_clear_object (&demo.incoming);
  g_clear_object (&demo.softphone);
  stop_broker (&demo);

  if (recordings_dir == NULL)
    {
      g_autofree char *recording = g_build_filename (directory, "handoff.wav",
                                                     NULL);

      g_remove (recording);
      g_rmdir (directory);
    }

  g_print ("\n");
  if (demo.failures->len == 0)
    {
      g_print ("The tour between processes behaved as expected.\n");
      status = EXIT_SUCCESS;
    }
  else
    {
      g_print ("Not everything behaved as expected:\n");
      for (guint i = 0; i < demo.failures->len; i++)
        g_print ("  %s\n", (char *) g_ptr_array_index (demo.failures, i));
      status = EXIT_FAILURE;
    }

  g_ptr_array_unref (demo.children);
  g_ptr_array_unref (demo.failures);
  g_object_unref (demo.cancellable);
  g_free (demo.tapi3);
  return status;
}
