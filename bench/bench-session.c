/* bench-session.c: the tapi3d session broker against the embedded one
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For each broker mode asked for (embedded: a broker thread of this
 * process; session: tapi3d on a private message bus this program starts,
 * with a configuration directory of its own):
 *
 *  - cycles: full call cycles per second between two applications of this
 *    process (A rings extension 101, B, its owner, answers, A hangs up,
 *    both release their handles);
 *  - round trips: a registration (register_call_notifications, a blocking
 *    call), and hold / unhold of a call connected to the `answer` service
 *    (each _async until its completion).
 *
 * In session mode only:
 *
 *  - handoff: A calls the `tone` service (1000 Hz) and renders it into a
 *    media stream terminal; it hands the call by name to an application in
 *    another process (this program with --receiver), which selects a media
 *    stream terminal as soon as it owns the call. Measured from the
 *    request: the receiver's owner notification, its STREAM_ACTIVE, the
 *    completion in A, and the media gap (end of the last tone A heard to
 *    the start of the first tone the receiver heard, both stamped with the
 *    monotonic clock, which the two processes share);
 *  - broker memory: tapi3d's VmRSS and open descriptors with no call, with
 *    --idle-calls calls to the `ringing` service (no media, no sockets),
 *    with as many calls between extensions (100 to 101, answered, no
 *    terminal selected: sockets but no media flowing), and after all were
 *    dropped and released.
 *
 * Every step is checked; a failure ends the run with a non-zero status.
 * Results go to standard output, one key=value per line.
 */

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <unistd.h>

#include "bench-media-util.h"

#define APP_A_NAME        "org.libtapi3.Bench.SessionA"
#define APP_B_NAME        "org.libtapi3.Bench.SessionB"
#define RECEIVER_NAME     "org.libtapi3.Bench.SessionReceiver"
#define BROKER_BUS_NAME   "org.libtapi3.Broker"
#define STEP_TIMEOUT_MS   20000
#define TONE_BEFORE_MS    500      /* of tone A hears before it hands off */
#define TONE_AFTER_MS     200      /* of tone the receiver hears before hanging up */

#ifndef TAPI3D_PATH
#define TAPI3D_PATH "tapi3d"
#endif

static char *failure;

G_GNUC_PRINTF (1, 2)
static gboolean
fail (const char *format,
      ...)
{
  va_list args;

  if (failure == NULL)
    {
      va_start (args, format);
      failure = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return FALSE;
}

static gboolean
fail_error (const char   *what,
            const GError *error)
{
  return fail ("%s: %s (%s %d)", what, error->message,
               g_quark_to_string (error->domain), error->code);
}

static gboolean
wait_for (BenchPredicate  done,
          gpointer        user_data,
          const char     *what)
{
  if (!bench_spin_until (done, user_data, STEP_TIMEOUT_MS))
    return fail ("timed out waiting for %s", what);
  return failure == NULL;
}

/* A field of /proc/PID/status ("VmRSS" in KiB), or -1. */
static long
pid_status_value (GPid        pid,
                  const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  size_t field_len = strlen (field);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], field, field_len) == 0 && lines[i][field_len] == ':')
      return strtol (lines[i] + field_len + 1, NULL, 10);
  return -1;
}

static long
pid_fd_count (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  long count = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static void
print_stats (const char *name,
             GArray     *values)
{
  double min, median, max;

  bench_stats (values, &min, &median, &max);
  g_print ("%s_min=%.3f\n%s_median=%.3f\n%s_max=%.3f\n",
           name, min, name, median, name, max);
}

/* Asynchronous operations, waited for with bench_spin_until */

typedef struct
{
  gboolean  done;
  GError   *error;
  gint64    done_us;
} Op;

static gboolean
op_done (gpointer user_data)
{
  return ((Op *) user_data)->done || failure != NULL;
}

static void
op_reset (Op *op)
{
  g_clear_error (&op->error);
  op->done = FALSE;
  op->done_us = 0;
}

static void
op_finish (Op       *op,
           gboolean  ok,
           GError   *error)
{
  op->done = TRUE;
  op->done_us = g_get_monotonic_time ();
  if (!ok)
    op->error = error;
}

#define DEFINE_OP_CB(name, finish)                                              \
  static void                                                                   \
  name (GObject      *source,                                                   \
        GAsyncResult *result,                                                   \
        gpointer      user_data)                                                \
  {                                                                             \
    GError *error = NULL;                                                       \
    gboolean ok = finish (TAPI_BASIC_CALL_CONTROL (source), result, &error);   \
                                                                                \
    if (user_data != NULL)                                                      \
      op_finish (user_data, ok, error);                                         \
    else                                                                        \
      g_clear_error (&error);                                                   \
  }

DEFINE_OP_CB (connect_cb, tapi_basic_call_control_connect_finish)
DEFINE_OP_CB (answer_cb, tapi_basic_call_control_answer_finish)
DEFINE_OP_CB (disconnect_cb, tapi_basic_call_control_disconnect_finish)
DEFINE_OP_CB (hold_cb, tapi_basic_call_control_hold_finish)
DEFINE_OP_CB (handoff_cb, tapi_basic_call_control_handoff_direct_finish)

static gboolean
op_wait (Op         *op,
         const char *what)
{
  if (!wait_for (op_done, op, what))
    return FALSE;
  if (op->error)
    return fail_error (what, op->error);
  return TRUE;
}

typedef struct
{
  TapiCall      *call;
  TapiCallState  state;
} StateWait;

static gboolean
call_in_state (gpointer user_data)
{
  StateWait *wait = user_data;

  return failure != NULL || tapi_call_get_state (wait->call) == wait->state;
}

static gboolean
wait_state (TapiCall      *call,
            TapiCallState  state,
            const char    *what)
{
  StateWait wait = { call, state };

  return wait_for (call_in_state, &wait, what);
}

/* The private bus and tapi3d */

typedef struct
{
  char        *dir;
  GSubprocess *bus;
  GSubprocess *tapi3d;
  GPid         tapi3d_pid;
  GDBusConnection *connection;
} Session;

static gboolean
name_owned (gpointer user_data)
{
  Session *session = user_data;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (session->connection,
                                       "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", BROKER_BUS_NAME),
                                       G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply)
    g_variant_get (reply, "(b)", &owned);
  return owned || failure != NULL;
}

static gboolean
session_start (Session    *session,
               const char *tapi3d_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *config_home = NULL;

  session->dir = g_dir_make_tmp ("tapi3-bench-session-XXXXXX", &error);
  if (session->dir == NULL)
    return fail_error ("temporary directory", error);
  listen = g_strdup_printf ("unix:dir=%s", session->dir);
  config_home = g_build_filename (session->dir, "config", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  session->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon",
                                              "--session", "--nofork",
                                              "--print-address=1", "--address",
                                              listen, NULL);
  if (session->bus == NULL)
    return fail_error ("dbus-daemon", error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (session->bus));
  address = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  if (address == NULL)
    return error ? fail_error ("the bus address", error)
                 : fail ("dbus-daemon printed no address");

  /* Every application of this process and of its children uses this bus. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_unsetenv ("TAPI3_PRIORITIES");
  g_unsetenv ("TAPI3_SIM_CONFIG");

  session->connection = g_dbus_connection_new_for_address_sync (
    address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  if (session->connection == NULL)
    return fail_error ("connecting to the bus", error);

  g_clear_object (&launcher);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  session->tapi3d = g_subprocess_launcher_spawn (launcher, &error, tapi3d_path,
                                                 NULL);
  if (session->tapi3d == NULL)
    return fail_error (tapi3d_path, error);
  session->tapi3d_pid = atoi (g_subprocess_get_identifier (session->tapi3d));
  return wait_for (name_owned, session, "tapi3d to own " BROKER_BUS_NAME);
}

static void
session_stop (Session *session)
{
  g_autoptr(GError) error = NULL;

  if (session->tapi3d)
    {
      g_subprocess_send_signal (session->tapi3d, SIGTERM);
      if (!g_subprocess_wait (session->tapi3d, NULL, &error))
        g_printerr ("bench-session: waiting for tapi3d: %s\n", error->message);
      else if (!g_subprocess_get_if_exited (session->tapi3d) ||
               g_subprocess_get_exit_status (session->tapi3d) != 0)
        g_printerr ("bench-session: tapi3d did not exit cleanly (wait status %d)\n",
                    g_subprocess_get_status (session->tapi3d));
      g_clear_object (&session->tapi3d);
    }
  if (session->connection)
    g_dbus_connection_close_sync (session->connection, NULL, NULL);
  g_clear_object (&session->connection);
  if (session->bus)
    {
      g_subprocess_force_exit (session->bus);
      g_subprocess_wait (session->bus, NULL, NULL);
      g_clear_object (&session->bus);
    }
  if (session->dir)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (session->dir);
      g_autoptr(GFileEnumerator) children = NULL;
      GFileInfo *info;

      children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                            NULL, NULL);

      /* tapi3d may have left config/tapi3/ behind. */
      while (children &&
             (info = g_file_enumerator_next_file (children, NULL, NULL)))
        {
          g_autoptr(GFile) child =
            g_file_get_child (dir, g_file_info_get_name (info));
          g_autoptr(GFile) tapi3 = g_file_get_child (child, "tapi3");

          g_file_delete (tapi3, NULL, NULL);
          g_file_delete (child, NULL, NULL);
          g_object_unref (info);
        }
      g_file_delete (dir, NULL, NULL);
      g_clear_pointer (&session->dir, g_free);
    }
}

/* Two applications of this process */

typedef struct
{
  const char  *mode;
  TapiTapi    *app_a;
  TapiTapi    *app_b;
  TapiAddress *address_a;
  TapiAddress *address_b;
  guint        registration_b;
  GPtrArray   *offered;        /* B's owner handles, in arrival order */
  gboolean     auto_answer;
} Pair;

static void
pair_notification_cb (TapiTapi                  *app,
                      TapiCall                  *call,
                      TapiCallNotificationEvent  event,
                      gpointer                   user_data)
{
  Pair *pair = user_data;

  if (event != TAPI_CALL_NOTIFICATION_EVENT_OWNER)
    return;
  g_ptr_array_add (pair->offered, g_object_ref (call));
  if (pair->auto_answer)
    tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                          answer_cb, NULL);
}

static gboolean
pair_start (Pair       *pair,
            const char *mode)
{
  g_autoptr(GError) error = NULL;

  pair->mode = mode;
  pair->offered = g_ptr_array_new_with_free_func (g_object_unref);
  pair->app_a = tapi_tapi_new (APP_A_NAME);
  pair->app_b = tapi_tapi_new (APP_B_NAME);
  if (!tapi_tapi_initialize_sync (pair->app_a, NULL, &error) ||
      !tapi_tapi_initialize_sync (pair->app_b, NULL, &error))
    return fail_error ("initialize", error);
  if (g_strcmp0 (bench_enum_nick (TAPI_TYPE_BROKER_MODE,
                                  tapi_tapi_get_broker_mode (pair->app_a)),
                 mode) != 0)
    return fail ("the applications are not in %s mode", mode);

  pair->address_a = tapi_tapi_find_address (pair->app_a, "100");
  pair->address_b = tapi_tapi_find_address (pair->app_b, "101");
  if (pair->address_a == NULL || pair->address_b == NULL)
    return fail ("no extension 100 or 101");
  pair->registration_b = tapi_tapi_register_call_notifications (pair->app_b, pair->address_b,
                                                                FALSE, TRUE,
                                                                TAPI_MEDIA_TYPE_AUDIO, &error);
  if (pair->registration_b == 0)
    return fail_error ("register_call_notifications", error);
  g_signal_connect (pair->app_b, "call-notification",
                    G_CALLBACK (pair_notification_cb), pair);
  return TRUE;
}

static void
pair_stop (Pair *pair)
{
  if (pair->app_a && tapi_tapi_get_initialized (pair->app_a))
    tapi_tapi_shutdown (pair->app_a, NULL);
  if (pair->app_b && tapi_tapi_get_initialized (pair->app_b))
    tapi_tapi_shutdown (pair->app_b, NULL);
  g_clear_object (&pair->app_a);
  g_clear_object (&pair->app_b);
  g_clear_pointer (&pair->offered, g_ptr_array_unref);
}

static gboolean
has_offer (gpointer user_data)
{
  return ((Pair *) user_data)->offered->len > 0 || failure != NULL;
}

/* One full cycle */
static gboolean
cycle (Pair *pair)
{
  g_autoptr(TapiCall) call_a = NULL;
  g_autoptr(TapiCall) call_b = NULL;
  g_autoptr(GError) error = NULL;
  Op connected = { 0 }, answered = { 0 }, hung_up = { 0 };
  gboolean ok;

  call_a = tapi_address_create_call (pair->address_a, "101",
                                     TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                     TAPI_MEDIA_TYPE_AUDIO, &error);
  if (call_a == NULL)
    return fail_error ("create_call", error);
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (call_a), NULL,
                                         connect_cb, &connected);
  if (!wait_for (has_offer, pair, "the offer to B"))
    return FALSE;
  call_b = g_ptr_array_steal_index (pair->offered, 0);
  tapi_basic_call_control_answer_async (TAPI_BASIC_CALL_CONTROL (call_b), NULL,
                                        answer_cb, &answered);
  ok = op_wait (&answered, "answer") && op_wait (&connected, "connect") &&
       wait_state (call_b, TAPI_CALL_STATE_CONNECTED, "B connected");
  if (ok)
    {
      tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (call_a),
                                                TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                                disconnect_cb, &hung_up);
      ok = op_wait (&hung_up, "disconnect") &&
           wait_state (call_b, TAPI_CALL_STATE_DISCONNECTED, "B disconnected");
    }
  if (ok && tapi_call_get_state_cause (call_b) !=
              TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL)
    ok = fail ("B's call ended with %s",
               bench_enum_nick (TAPI_TYPE_CALL_STATE_CAUSE,
                                tapi_call_get_state_cause (call_b)));
  if (ok && (!tapi_call_release (call_a, &error) ||
             !tapi_call_release (call_b, &error)))
    ok = fail_error ("release", error);
  g_clear_error (&connected.error);
  g_clear_error (&answered.error);
  g_clear_error (&hung_up.error);
  return ok;
}

static gboolean
bench_cycles (Pair *pair,
              guint n_cycles)
{
  gint64 start;
  double seconds;
  guint warmup = MAX (n_cycles / 10, 5);

  for (guint i = 0; i < warmup; i++)
    if (!cycle (pair))
      return FALSE;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_cycles; i++)
    if (!cycle (pair))
      return FALSE;
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("%s_cycles=%u\n%s_cycles_per_s=%.1f\n%s_cycle_ms=%.3f\n",
           pair->mode, n_cycles, pair->mode, n_cycles / seconds,
           pair->mode, seconds * 1000.0 / n_cycles);
  return TRUE;
}

static gboolean
bench_round_trips (Pair *pair,
                   guint n_trips)
{
  g_autoptr(GArray) registration = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) hold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) unhold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  char key[64];
  Op op = { 0 };

  for (guint i = 0; i < n_trips; i++)
    {
      gint64 start = g_get_monotonic_time ();
      guint id =
        tapi_tapi_register_call_notifications (pair->app_a, pair->address_a,
                                               TRUE, FALSE,
                                               TAPI_MEDIA_TYPE_AUDIO, &error);
      double us = (double) (g_get_monotonic_time () - start);

      if (id == 0)
        return fail_error ("register_call_notifications", error);
      g_array_append_val (registration, us);
      if (!tapi_tapi_unregister_notifications (pair->app_a, id, &error))
        return fail_error ("unregister_notifications", error);
    }

  call = tapi_address_create_call (pair->address_a, "answer",
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  if (call == NULL)
    return fail_error ("create_call", error);
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                         connect_cb, &op);
  if (!op_wait (&op, "connect to answer"))
    return FALSE;
  for (guint i = 0; i < n_trips; i++)
    {
      for (int on = 1; on >= 0; on--)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;

          op_reset (&op);
          tapi_basic_call_control_hold_async (TAPI_BASIC_CALL_CONTROL (call), on, NULL,
                                              hold_cb, &op);
          if (!op_wait (&op, on ? "hold" : "unhold"))
            return FALSE;
          ms = (op.done_us - start) / 1000.0;
          g_array_append_val (on ? hold : unhold, ms);
        }
    }
  op_reset (&op);
  tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (call),
                                            TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                            disconnect_cb, &op);
  if (!op_wait (&op, "disconnect") || !tapi_call_release (call, &error))
    return error ? fail_error ("release", error) : FALSE;
  op_reset (&op);

  g_print ("%s_round_trips=%u\n", pair->mode, n_trips);
  g_snprintf (key, sizeof key, "%s_register_us", pair->mode);
  print_stats (key, registration);
  g_snprintf (key, sizeof key, "%s_hold_ms", pair->mode);
  print_stats (key, hold);
  g_snprintf (key, sizeof key, "%s_unhold_ms", pair->mode);
  print_stats (key, unhold);
  return TRUE;
}

/* Broker memory with calls held */

typedef struct
{
  GPtrArray *calls;
  Op        *ops;
  guint      n;
} Held;

static gboolean
all_in_state (gpointer user_data)
{
  Held *held = user_data;

  if (failure != NULL)
    return TRUE;
  for (guint i = 0; i < held->calls->len; i++)
    {
      TapiCallState state = tapi_call_get_state (g_ptr_array_index (held->calls, i));

      if (state != TAPI_CALL_STATE_IN_PROGRESS &&
          state != TAPI_CALL_STATE_CONNECTED)
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_ops_done (gpointer user_data)
{
  Held *held = user_data;

  if (failure != NULL)
    return TRUE;
  for (guint i = 0; i < held->n; i++)
    if (!held->ops[i].done)
      return FALSE;
  return TRUE;
}

static gboolean
all_offers_connected (gpointer user_data)
{
  Pair *pair = user_data;

  if (failure != NULL)
    return TRUE;
  for (guint i = 0; i < pair->offered->len; i++)
    if (tapi_call_get_state (g_ptr_array_index (pair->offered, i)) !=
        TAPI_CALL_STATE_CONNECTED)
      return FALSE;
  return TRUE;
}

static void
print_broker (const char *what,
              Session    *session)
{
  g_print ("broker_%s_rss_kib=%ld\nbroker_%s_fds=%ld\n",
           what, pid_status_value (session->tapi3d_pid, "VmRSS"),
           what, pid_fd_count (session->tapi3d_pid));
}

/* Holds @n calls from 100 to @destination, measures, drops them. */
static gboolean
hold_calls (Pair       *pair,
            Session    *session,
            const char *destination,
            const char *what,
            guint       n,
            long        rss_before)
{
  Held held = { g_ptr_array_new_with_free_func (g_object_unref), g_new0 (Op, n), n };
  g_autoptr(GError) error = NULL;
  gboolean connected = g_str_equal (destination, "101");
  gboolean ok = TRUE;
  long rss;
  char key[64];

  pair->auto_answer = connected;
  for (guint i = 0; i < n && ok; i++)
    {
      TapiCall *call = tapi_address_create_call (pair->address_a, destination,
                                                 TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                                 TAPI_MEDIA_TYPE_AUDIO, &error);

      if (call == NULL)
        {
          ok = fail_error ("create_call", error);
          break;
        }
      g_ptr_array_add (held.calls, call);
      tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (call), NULL,
                                             connect_cb, &held.ops[i]);
    }
  if (ok)
    ok = wait_for (all_in_state, &held, "the calls to be placed");
  if (ok && connected)
    ok = wait_for (all_ops_done, &held, "the calls to be answered") &&
         wait_for (all_offers_connected, pair, "B's calls to be connected");
  for (guint i = 0; ok && connected && i < n; i++)
    if (held.ops[i].error)
      ok = fail_error ("connect", held.ops[i].error);

  if (ok)
    {
      /* Let the broker settle. */
      bench_spin (500);
      rss = pid_status_value (session->tapi3d_pid, "VmRSS");
      g_snprintf (key, sizeof key, "with_%u_%s", n, what);
      print_broker (key, session);
      /* A call between extensions is two calls of the broker. */
      if (rss_before > 0)
        g_print ("broker_per_%s_call_kib=%.2f\n", what,
                 (double) (rss - rss_before) / (connected ? 2 * n : n));
    }

  /* Drop them all: A hangs up; the pending connects of ringing calls
   * complete with an error. */
  if (ok)
    {
      g_autofree Op *hang_ups = g_new0 (Op, n);
      Held hanging = { held.calls, hang_ups, n };

      for (guint i = 0; i < n; i++)
        tapi_basic_call_control_disconnect_async (g_ptr_array_index (held.calls,
                                                                     i),
                                                  TAPI_DISCONNECT_CODE_NORMAL,
                                                  NULL, disconnect_cb,
                                                  &hang_ups[i]);
      ok = wait_for (all_ops_done, &hanging, "the calls to be dropped") &&
           (connected ||
            wait_for (all_ops_done, &held, "the connects to complete"));
      for (guint i = 0; i < n; i++)
        g_clear_error (&hang_ups[i].error);
    }
  for (guint i = 0; ok && i < held.calls->len; i++)
    if (!tapi_call_release (g_ptr_array_index (held.calls, i), &error))
      ok = fail_error ("release", error);
  for (guint i = 0; ok && i < pair->offered->len; i++)
    {
      TapiCall *call = g_ptr_array_index (pair->offered, i);

      ok = wait_state (call, TAPI_CALL_STATE_DISCONNECTED, "B's call to end");
      if (ok && !tapi_call_release (call, &error))
        ok = fail_error ("release of B's call", error);
    }
  g_ptr_array_set_size (pair->offered, 0);
  pair->auto_answer = FALSE;

  if (ok)
    {
      /* Every connect must have completed before its Op goes. */
      ok = wait_for (all_ops_done, &held, "the connects to complete");
      bench_spin (500);
      g_snprintf (key, sizeof key, "after_%s", what);
      print_broker (key, session);
    }
  for (guint i = 0; i < n; i++)
    g_clear_error (&held.ops[i].error);
  g_free (held.ops);
  g_ptr_array_unref (held.calls);
  return ok;
}

static gboolean
bench_memory (Pair    *pair,
              Session *session,
              guint    n)
{
  long rss_before;

  /* One call of each kind first, so that what only the first call
   * allocates does not count per call. */
  if (!hold_calls (pair, session, "ringing", "warmup_ringing", 1, 0) ||
      !hold_calls (pair, session, "101", "warmup_connected", 1, 0))
    return FALSE;

  rss_before = pid_status_value (session->tapi3d_pid, "VmRSS");
  print_broker ("idle", session);
  if (!hold_calls (pair, session, "ringing", "ringing", n, rss_before))
    return FALSE;
  rss_before = pid_status_value (session->tapi3d_pid, "VmRSS");
  /* As many broker calls: half as many calls between extensions. */
  return hold_calls (pair, session, "101", "connected", MAX (n / 2, 1),
                     rss_before);
}

/* Cross-process handoff: the receiving process */

static void
samples_cb (TapiMediaStreamTerminal *terminal,
            GBytes                  *bytes,
            gpointer                 user_data)
{
  bench_ear_feed (user_data, bytes);
}

typedef struct
{
  TapiAddress  *address;
  TapiCall     *call;
  TapiTerminal *render;
  BenchEar      ear;
  gboolean      reported_tone;
  gboolean      hanging_up;
} Receiver;

static void
receiver_disconnected_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Receiver *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tapi_basic_call_control_disconnect_finish (TAPI_BASIC_CALL_CONTROL (source), result, &error))
    g_print ("error disconnect %s\n", error->message);
  else if (!tapi_call_release (self->call, &error))
    g_print ("error release %s\n", error->message);
  else
    g_print ("done\n");
  g_signal_handlers_disconnect_by_data (self->render, self);
  g_clear_object (&self->call);
  g_clear_object (&self->render);
  memset (&self->ear, 0, sizeof self->ear);
  self->reported_tone = self->hanging_up = FALSE;
}

static void
receiver_samples_cb (TapiMediaStreamTerminal *terminal,
                     GBytes                  *bytes,
                     gpointer                 user_data)
{
  Receiver *self = user_data;

  bench_ear_feed (&self->ear, bytes);
  if (self->ear.first_tone_start_us != 0 && !self->reported_tone)
    {
      self->reported_tone = TRUE;
      g_print ("tone %" G_GINT64_FORMAT "\n", self->ear.first_tone_start_us);
    }
  if (!self->hanging_up && self->call != NULL &&
      bench_ear_tone_ms (&self->ear) >= TONE_AFTER_MS)
    {
      self->hanging_up = TRUE;
      tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (self->call),
                                                TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                                receiver_disconnected_cb, self);
    }
}

static void
receiver_media_event_cb (TapiCall           *call,
                         TapiCallMediaEvent  event,
                         TapiCallMediaCause  cause,
                         TapiStream         *stream,
                         TapiTerminal       *terminal,
                         gpointer            user_data)
{
  if (event == TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE && stream != NULL &&
      tapi_stream_get_direction (stream) == TAPI_TERMINAL_DIRECTION_RENDER)
    g_print ("active %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static void
receiver_notification_cb (TapiTapi                  *app,
                          TapiCall                  *call,
                          TapiCallNotificationEvent  event,
                          gpointer                   user_data)
{
  Receiver *self = user_data;
  g_autoptr(GError) error = NULL;
  TapiStream *render;

  if (event != TAPI_CALL_NOTIFICATION_EVENT_OWNER || self->call != NULL)
    {
      g_print ("error unexpected notification\n");
      return;
    }
  g_print ("owner %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  self->call = g_object_ref (call);
  g_signal_connect (call, "media-event", G_CALLBACK (receiver_media_event_cb),
                    self);
  render = bench_stream_of (call, TAPI_TERMINAL_DIRECTION_RENDER);
  self->render = bench_new_terminal (self->address,
                                     TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                                     TAPI_TERMINAL_DIRECTION_RENDER, &error);
  if (render == NULL || self->render == NULL)
    {
      g_print ("error no render terminal\n");
      return;
    }
  g_signal_connect (self->render, "samples-received",
                    G_CALLBACK (receiver_samples_cb), self);
  if (!tapi_stream_select_terminal (render, self->render, &error))
    g_print ("error select_terminal %s\n", error->message);
}

static gboolean
stdin_closed_cb (gint         fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  char buffer[64];

  if (read (fd, buffer, sizeof buffer) <= 0)
    {
      g_main_loop_quit (user_data);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Runs until standard input closes. */
static int
run_receiver (void)
{
  g_autoptr(TapiTapi) app = tapi_tapi_new (RECEIVER_NAME);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Receiver self = { 0 };

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (!tapi_tapi_initialize_sync (app, NULL, &error))
    {
      g_print ("error initialize %s\n", error->message);
      return EXIT_FAILURE;
    }
  self.address = tapi_tapi_find_address (app, "100");
  if (self.address == NULL ||
      tapi_tapi_register_call_notifications (app, self.address, FALSE, TRUE,
                                             TAPI_MEDIA_TYPE_AUDIO,
                                             &error) == 0)
    {
      g_print ("error register %s\n",
               error ? error->message : "no address 100");
      return EXIT_FAILURE;
    }
  g_signal_connect (app, "call-notification",
                    G_CALLBACK (receiver_notification_cb), &self);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP, stdin_closed_cb, loop);
  g_print ("ready %s\n", bench_enum_nick (TAPI_TYPE_BROKER_MODE,
                                          tapi_tapi_get_broker_mode (app)));
  g_main_loop_run (loop);
  tapi_tapi_shutdown (app, NULL);
  return EXIT_SUCCESS;
}

/* Cross-process handoff: the handing-off side */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *output;
  GQueue            lines;
  gboolean          reading;
  gboolean          ended;
} Child;

static void child_read (Child *child);

static void
child_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;
  char *line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                               result, NULL, NULL);

  child->reading = FALSE;
  if (line == NULL)
    {
      child->ended = TRUE;
      return;
    }
  g_queue_push_tail (&child->lines, line);
  child_read (child);
}

static void
child_read (Child *child)
{
  if (child->reading || child->ended)
    return;
  child->reading = TRUE;
  g_data_input_stream_read_line_async (child->output, G_PRIORITY_DEFAULT, NULL,
                                       child_line_cb, child);
}

typedef struct
{
  Child      *child;
  const char *word;
  char       *line;
} LineWait;

static gboolean
child_has_line (gpointer user_data)
{
  LineWait *wait = user_data;
  size_t len = strlen (wait->word);

  if (failure != NULL)
    return TRUE;
  for (GList *l = wait->child->lines.head; l; l = l->next)
    {
      const char *line = l->data;

      if (g_str_has_prefix (line, "error "))
        {
          fail ("receiver: %s", line + 6);
          return TRUE;
        }
      if (strncmp (line, wait->word, len) == 0 &&
          (line[len] == ' ' || line[len] == '\0'))
        {
          wait->line = l->data;
          g_queue_delete_link (&wait->child->lines, l);
          return TRUE;
        }
    }
  if (wait->child->ended)
    {
      fail ("the receiver exited");
      return TRUE;
    }
  return FALSE;
}

/* The value after @word in the child's next such line, or 0 on failure. */
static gint64
child_expect (Child      *child,
              const char *word)
{
  LineWait wait = { child, word, NULL };
  gint64 value;

  if (!wait_for (child_has_line, &wait, word) || wait.line == NULL)
    return 0;
  value = g_ascii_strtoll (wait.line + strlen (word), NULL, 10);
  g_free (wait.line);
  return value == 0 ? 1 : value;
}

typedef struct
{
  TapiCall     *call;
  TapiTerminal *render;
  BenchEar      ear;
  gboolean      render_active;
  gboolean      render_stopped;
  gboolean      handed_off;
} Handing;

static void
handing_media_event_cb (TapiCall           *call,
                        TapiCallMediaEvent  event,
                        TapiCallMediaCause  cause,
                        TapiStream         *stream,
                        TapiTerminal       *terminal,
                        gpointer            user_data)
{
  Handing *self = user_data;

  if (stream == NULL ||
      tapi_stream_get_direction (stream) != TAPI_TERMINAL_DIRECTION_RENDER)
    return;
  if (event == TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE)
    self->render_active = TRUE;
  else if (event == TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE && self->handed_off)
    self->render_stopped = TRUE;
  else if (event != TAPI_CALL_MEDIA_EVENT_NEW_STREAM)
    fail ("A's render stream: %s (%s)",
          bench_enum_nick (TAPI_TYPE_CALL_MEDIA_EVENT, event),
          bench_enum_nick (TAPI_TYPE_CALL_MEDIA_CAUSE, cause));
}

static gboolean
tone_flows (gpointer user_data)
{
  Handing *self = user_data;

  return failure != NULL ||
         (self->render_active &&
          bench_ear_tone_ms (&self->ear) >= TONE_BEFORE_MS);
}

static gboolean
render_stopped (gpointer user_data)
{
  return ((Handing *) user_data)->render_stopped || failure != NULL;
}

static gboolean
handoff_once (Pair   *pair,
              Child  *child,
              double *owner_ms,
              double *active_ms,
              double *complete_ms,
              double *gap_ms)
{
  g_autoptr(GError) error = NULL;
  Handing self = { 0 };
  Op connected = { 0 }, handed = { 0 };
  gint64 handoff_us, owner_us, active_us, tone_us;
  gboolean ok = FALSE;

  self.call = tapi_address_create_call (pair->address_a, "tone",
                                        TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                        TAPI_MEDIA_TYPE_AUDIO, &error);
  if (self.call == NULL)
    return fail_error ("create_call", error);
  g_signal_connect (self.call, "media-event",
                    G_CALLBACK (handing_media_event_cb), &self);
  self.render = bench_new_terminal (pair->address_a,
                                    TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                                    TAPI_TERMINAL_DIRECTION_RENDER, &error);
  if (self.render == NULL ||
      !tapi_stream_select_terminal (bench_stream_of (self.call, TAPI_TERMINAL_DIRECTION_RENDER),
                                    self.render, &error))
    {
      fail_error ("A's render terminal", error);
      goto out;
    }
  g_signal_connect (self.render, "samples-received", G_CALLBACK (samples_cb),
                    &self.ear);
  tapi_basic_call_control_connect_async (TAPI_BASIC_CALL_CONTROL (self.call), NULL,
                                         connect_cb, &connected);
  if (!op_wait (&connected, "connect to tone") ||
      !wait_for (tone_flows, &self, "the tone in A"))
    goto out;

  self.handed_off = TRUE;
  handoff_us = g_get_monotonic_time ();
  tapi_basic_call_control_handoff_direct_async (TAPI_BASIC_CALL_CONTROL (self.call),
                                                RECEIVER_NAME, NULL, handoff_cb, &handed);
  if (!op_wait (&handed, "handoff_direct") ||
      (owner_us = child_expect (child, "owner")) == 0 ||
      (active_us = child_expect (child, "active")) == 0 ||
      (tone_us = child_expect (child, "tone")) == 0 ||
      !wait_for (render_stopped, &self, "A's render stream to stop") ||
      child_expect (child, "done") == 0 ||
      !wait_state (self.call, TAPI_CALL_STATE_DISCONNECTED,
                   "the end of the call"))
    goto out;
  if (tapi_call_get_privilege (self.call) != TAPI_CALL_PRIVILEGE_MONITOR)
    {
      fail ("A is not a monitor after the handoff");
      goto out;
    }

  *owner_ms = (owner_us - handoff_us) / 1000.0;
  *active_ms = (active_us - handoff_us) / 1000.0;
  *complete_ms = (handed.done_us - handoff_us) / 1000.0;
  *gap_ms = (tone_us - self.ear.last_tone_end_us) / 1000.0;
  ok = TRUE;

out:
  if (self.render)
    g_signal_handlers_disconnect_by_data (self.render, &self.ear);
  g_signal_handlers_disconnect_by_data (self.call, &self);
  if (ok && !tapi_call_release (self.call, &error))
    ok = fail_error ("release", error);
  g_clear_object (&self.call);
  g_clear_object (&self.render);
  g_clear_error (&connected.error);
  g_clear_error (&handed.error);
  return ok;
}

static gboolean
bench_handoffs (Pair       *pair,
                const char *self_path,
                guint       n_runs)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GArray) owner = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) active = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) complete = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gap = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  Child child = { 0 };
  LineWait ready = { &child, "ready", NULL };
  gboolean ok = TRUE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "TAPI3_BROKER", "session", TRUE);
  child.process = g_subprocess_launcher_spawn (launcher, &error, self_path,
                                               "--receiver", NULL);
  if (child.process == NULL)
    return fail_error ("the receiver process", error);
  child.output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child.process));
  child_read (&child);
  ok = wait_for (child_has_line, &ready, "the receiver");
  if (ok && g_strcmp0 (ready.line, "ready session") != 0)
    ok = fail ("the receiver is not in session mode: %s", ready.line);
  g_free (ready.line);

  for (guint i = 0; ok && i < n_runs; i++)
    {
      double owner_ms, active_ms, complete_ms, gap_ms;

      ok = handoff_once (pair, &child, &owner_ms, &active_ms, &complete_ms,
                         &gap_ms);
      if (!ok)
        break;
      g_print ("handoff_run=%u owner_ms=%.1f active_ms=%.1f complete_ms=%.1f gap_ms=%.1f\n",
               i + 1, owner_ms, active_ms, complete_ms, gap_ms);
      g_array_append_val (owner, owner_ms);
      g_array_append_val (active, active_ms);
      g_array_append_val (complete, complete_ms);
      g_array_append_val (gap, gap_ms);
      bench_spin (100);
    }

  /* Closing its standard input ends the receiver. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (child.process), NULL,
                         NULL);
  if (!g_subprocess_wait (child.process, NULL, NULL) ||
      !g_subprocess_get_if_exited (child.process))
    g_subprocess_force_exit (child.process);
  while (child.reading)
    g_main_context_iteration (NULL, TRUE);
  g_queue_clear_full (&child.lines, g_free);
  g_clear_object (&child.output);
  g_clear_object (&child.process);

  if (ok)
    {
      g_print ("handoff_runs=%u\n", owner->len);
      print_stats ("handoff_to_owner_ms", owner);
      print_stats ("handoff_to_active_ms", active);
      print_stats ("handoff_complete_ms", complete);
      print_stats ("handoff_media_gap_ms", gap);
    }
  return ok;
}

/* Main */

static gboolean
run_mode (const char *mode,
          const char *self_path,
          const char *tapi3d_path,
          guint       cycles,
          guint       trips,
          guint       handoffs,
          guint       idle_calls)
{
  Session session = { 0 };
  Pair pair = { 0 };
  gboolean ok;
  gboolean session_mode = g_str_equal (mode, "session");

  g_setenv ("TAPI3_BROKER", mode, TRUE);
  ok = (!session_mode || session_start (&session, tapi3d_path)) &&
       pair_start (&pair, mode);
  if (ok && session_mode)
    print_broker ("started", &session);
  if (ok && cycles > 0)
    ok = bench_cycles (&pair, cycles);
  if (ok && trips > 0)
    ok = bench_round_trips (&pair, trips);
  if (ok && session_mode && handoffs > 0)
    ok = bench_handoffs (&pair, self_path, handoffs);
  if (ok && session_mode && idle_calls > 0)
    ok = bench_memory (&pair, &session, idle_calls);
  pair_stop (&pair);
  if (session_mode)
    session_stop (&session);
  return ok;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = g_strdup ("both");
  g_autofree char *tapi3d_path = g_strdup (TAPI3D_PATH);
  g_autofree char *self_path = NULL;
  gboolean receiver = FALSE;
  int cycles = 200, trips = 300, handoffs = 10, idle_calls = 1000;
  gboolean ok = TRUE;
  const GOptionEntry entries[] = {
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode,
      "embedded, session or both (default)", "MODE" },
    { "cycles", 'n', 0, G_OPTION_ARG_INT, &cycles, "Call cycles (default 200)",
      "N" },
    { "round-trips", 'r', 0, G_OPTION_ARG_INT, &trips,
      "Round trips of each operation (default 300)", "N" },
    { "handoffs", 'h', 0, G_OPTION_ARG_INT, &handoffs,
      "Cross-process handoffs, session mode (default 10)", "N" },
    { "idle-calls", 'i', 0, G_OPTION_ARG_INT, &idle_calls,
      "Calls held for the broker's memory, session mode (default 1000)", "N" },
    { "tapi3d", 0, 0, G_OPTION_ARG_FILENAME, &tapi3d_path, "The tapi3d to run",
      "PATH" },
    { "receiver", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &receiver, NULL,
      NULL },
    { NULL }
  };

  setlocale (LC_ALL, "C");
  context = g_option_context_new ("- the session broker against the embedded one");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-session: %s\n", error->message);
      return 2;
    }
  if (receiver)
    return run_receiver ();
  if (cycles < 0 || trips < 0 || handoffs < 0 || idle_calls < 0 ||
      (!g_str_equal (mode, "both") && !g_str_equal (mode, "embedded") &&
       !g_str_equal (mode, "session")))
    {
      g_printerr ("bench-session: bad arguments (see --help)\n");
      return 2;
    }

  self_path = g_file_read_link ("/proc/self/exe", &error);
  if (self_path == NULL)
    {
      g_printerr ("bench-session: %s\n", error->message);
      return EXIT_FAILURE;
    }
  bench_watch_log ();

  g_print ("benchmark=session\n");
  g_print ("cores=%u\n", g_get_num_processors ());

  if (g_str_equal (mode, "both") || g_str_equal (mode, "embedded"))
    ok = run_mode ("embedded", self_path, tapi3d_path, cycles, trips, 0, 0);
  if (ok && (g_str_equal (mode, "both") || g_str_equal (mode, "session")))
    ok = run_mode ("session", self_path, tapi3d_path, cycles, trips, handoffs,
                   idle_calls);

  g_print ("criticals=%u\n", bench_log_criticals ());
  g_print ("warnings=%u\n", bench_log_warnings ());
  if (!ok)
    {
      g_printerr ("bench-session: %s\n", failure);
      g_print ("failed=1\n");
      return EXIT_FAILURE;
    }
  g_print ("failed=0\n");
  return EXIT_SUCCESS;
}
