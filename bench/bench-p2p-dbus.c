/* bench-p2p-dbus.c: round trips per second over a private GDBus connection
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The ceiling for libtapi3 in embedded mode, where every application talks
 * to the broker thread over a private peer-to-peer D-Bus connection: two
 * ends of a socketpair, the server end in a second thread with its own
 * GMainContext exporting one trivial method, the client end in the main
 * thread making sequential calls, first asynchronously from a GMainLoop,
 * then synchronously. Results go to standard output, one key=value per
 * line.
 */

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#define BENCH_OBJECT_PATH "/org/libtapi3/Bench"
#define BENCH_INTERFACE "org.libtapi3.Bench"

/* The call cycle measured by bench-calls: CreateCall, Connect, Answer,
 * Disconnect and two ReleaseCall. */
#define ROUNDTRIPS_PER_CYCLE 6

#define SERVER_FLAGS G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER
#define CLIENT_FLAGS G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT

static const char introspection_xml[] =
  "<node>"
  "  <interface name='" BENCH_INTERFACE "'>"
  "    <method name='Ping'>"
  "      <arg name='value' type='u' direction='in'/>"
  "      <arg name='reply' type='u' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GIOStream    *stream;
  GMainContext *context;
  GMainLoop    *loop;

  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GError       *error;
} Server;

typedef struct
{
  double seconds;
  double cpu_seconds;
} Timing;

typedef struct
{
  GDBusConnection *connection;
  GMainLoop       *loop;
  guint            remaining;
  guint            next_value;
  GError          *error;
} AsyncRun;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
timing_start (Timing *timing)
{
  timing->cpu_seconds = cpu_seconds ();
  timing->seconds = g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static void
timing_stop (Timing *timing)
{
  timing->seconds = g_get_monotonic_time () / (double) G_USEC_PER_SEC
                    - timing->seconds;
  timing->cpu_seconds = cpu_seconds () - timing->cpu_seconds;
}

static void
server_method_call_cb (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *object_path,
                       const char            *interface_name,
                       const char            *method_name,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  guint32 value;

  g_variant_get (parameters, "(u)", &value);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(u)", value + 1));
}

static const GDBusInterfaceVTable server_vtable = {
  server_method_call_cb, NULL, NULL, { 0 }
};

static void
server_ready (Server *server,
              GError *error)
{
  g_mutex_lock (&server->lock);
  server->ready = TRUE;
  server->error = error;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);
}

/* Runs inside the server's loop, so a quit from the main thread can never
 * come before the loop runs. */
static gboolean
server_running_cb (gpointer user_data)
{
  server_ready (user_data, NULL);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread_func (gpointer data)
{
  Server *server = data;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  g_autoptr(GSource) running = NULL;
  GError *error = NULL;
  guint registration_id;

  g_main_context_push_thread_default (server->context);

  /* Method calls are dispatched to the thread-default context of the
   * registration, so this thread serves them. */
  connection = g_dbus_connection_new_sync (server->stream, guid, SERVER_FLAGS,
                                           NULL, NULL, &error);
  if (connection == NULL)
    goto out;

  info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  if (info == NULL)
    goto out;

  registration_id =
    g_dbus_connection_register_object (connection, BENCH_OBJECT_PATH,
                                       info->interfaces[0], &server_vtable,
                                       NULL, NULL, &error);
  if (registration_id == 0)
    goto out;

  running = g_idle_source_new ();
  g_source_set_callback (running, server_running_cb, server, NULL);
  g_source_attach (running, server->context);
  g_main_loop_run (server->loop);
  g_dbus_connection_unregister_object (connection, registration_id);
  g_main_context_pop_thread_default (server->context);
  return NULL;

out:
  server_ready (server, error);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static gboolean
check_reply (GVariant *reply,
             guint32   sent,
             GError  **error)
{
  guint32 value;

  g_variant_get (reply, "(u)", &value);
  if (value != sent + 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "reply %u to %u is wrong", value, sent);
      return FALSE;
    }
  return TRUE;
}

static void call_next (AsyncRun *run);

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncRun *run = user_data;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                         &run->error);
  if (reply == NULL || !check_reply (reply, run->next_value, &run->error))
    {
      g_main_loop_quit (run->loop);
      return;
    }

  run->next_value++;
  if (--run->remaining == 0)
    g_main_loop_quit (run->loop);
  else
    call_next (run);
}

static void
call_next (AsyncRun *run)
{
  g_dbus_connection_call (run->connection, NULL, BENCH_OBJECT_PATH,
                          BENCH_INTERFACE, "Ping",
                          g_variant_new ("(u)", run->next_value),
                          G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                          -1, NULL, call_done_cb, run);
}

static gboolean
run_async (GDBusConnection *connection,
           guint            n_calls,
           Timing          *timing,
           GError         **error)
{
  AsyncRun run = { 0, };

  timing_start (timing);
  if (n_calls == 0)
    {
      timing_stop (timing);
      return TRUE;
    }

  run.connection = connection;
  run.loop = g_main_loop_new (NULL, FALSE);
  run.remaining = n_calls;

  call_next (&run);
  g_main_loop_run (run.loop);
  timing_stop (timing);

  g_main_loop_unref (run.loop);
  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_sync (GDBusConnection *connection,
          guint            n_calls,
          Timing          *timing,
          GError         **error)
{
  guint i;

  timing_start (timing);
  for (i = 0; i < n_calls; i++)
    {
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (connection, NULL, BENCH_OBJECT_PATH,
                                           BENCH_INTERFACE, "Ping",
                                           g_variant_new ("(u)", i),
                                           G_VARIANT_TYPE ("(u)"),
                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                           error);
      if (reply == NULL || !check_reply (reply, i, error))
        return FALSE;
    }
  timing_stop (timing);

  return TRUE;
}

static GIOStream *
stream_for_fd (int      fd,
               GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

static int
fail (GError *error)
{
  g_printerr ("bench-p2p-dbus: %s\n", error->message);
  g_print ("failed=1\n");
  return EXIT_FAILURE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) client_stream = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GThread) thread = NULL;
  Server server = { 0, };
  int calls = 20000;
  int warmup = 1000;
  int fds[2];
  Timing warmup_timing;
  Timing async_timing = { 0, };
  Timing sync_timing = { 0, };
  double async_rate;
  double sync_rate;
  const GOptionEntry entries[] = {
    { "calls", 'n', 0, G_OPTION_ARG_INT, &calls,
      "Number of measured round trips of each kind (default 20000)", "N" },
    { "warmup", 'w', 0, G_OPTION_ARG_INT, &warmup,
      "Number of round trips before measuring (default 1000)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "C");

  context = g_option_context_new ("- round trips over peer-to-peer D-Bus");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-p2p-dbus: %s\n", error->message);
      return 2;
    }
  if (calls < 1 || warmup < 0)
    {
      g_printerr ("bench-p2p-dbus: --calls must be at least 1, "
                  "--warmup at least 0\n");
      return 2;
    }

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "socketpair: %s", g_strerror (errno));
      return fail (error);
    }

  server.stream = stream_for_fd (fds[1], &error);
  if (server.stream == NULL)
    {
      close (fds[0]);
      return fail (error);
    }
  client_stream = stream_for_fd (fds[0], &error);
  if (client_stream == NULL)
    {
      g_object_unref (server.stream);
      return fail (error);
    }

  g_mutex_init (&server.lock);
  g_cond_init (&server.cond);
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  thread = g_thread_new ("bench-server", server_thread_func, &server);

  /* Both ends authenticate at once, one in each thread. */
  connection = g_dbus_connection_new_sync (client_stream, NULL, CLIENT_FLAGS,
                                           NULL, NULL, &error);
  /* Closing our end makes a server still waiting in authentication fail. */
  if (connection == NULL)
    g_io_stream_close (client_stream, NULL, NULL);

  g_mutex_lock (&server.lock);
  while (!server.ready)
    g_cond_wait (&server.cond, &server.lock);
  g_mutex_unlock (&server.lock);

  if (server.error != NULL)
    {
      g_clear_error (&error);
      g_propagate_prefixed_error (&error, server.error, "server: ");
    }
  else if (connection != NULL
           && (!run_async (connection, warmup, &warmup_timing, &error)
               || !run_async (connection, calls, &async_timing, &error)
               || !run_sync (connection, calls, &sync_timing, &error)))
    g_prefix_error (&error, "client: ");

  if (connection != NULL)
    g_dbus_connection_close_sync (connection, NULL, NULL);
  g_main_loop_quit (server.loop);
  g_thread_join (g_steal_pointer (&thread));
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_object_unref (server.stream);
  g_mutex_clear (&server.lock);
  g_cond_clear (&server.cond);

  if (error != NULL)
    return fail (error);

  async_rate = calls / async_timing.seconds;
  sync_rate = calls / sync_timing.seconds;

  g_print ("benchmark=p2p-dbus\n");
  g_print ("warmup_roundtrips=%d\n", warmup);
  g_print ("roundtrips=%d\n", calls);
  g_print ("seconds_async=%.6f\n", async_timing.seconds);
  g_print ("roundtrips_per_second_async=%.1f\n", async_rate);
  g_print ("usec_per_roundtrip_async=%.2f\n", 1e6 / async_rate);
  g_print ("cpu_usec_per_roundtrip_async=%.2f\n",
           async_timing.cpu_seconds * 1e6 / calls);
  g_print ("seconds_sync=%.6f\n", sync_timing.seconds);
  g_print ("roundtrips_per_second_sync=%.1f\n", sync_rate);
  g_print ("usec_per_roundtrip_sync=%.2f\n", 1e6 / sync_rate);
  g_print ("cpu_usec_per_roundtrip_sync=%.2f\n",
           sync_timing.cpu_seconds * 1e6 / calls);
  g_print ("roundtrips_per_cycle=%d\n", ROUNDTRIPS_PER_CYCLE);
  g_print ("cycles_per_second_ceiling_async=%.1f\n",
           async_rate / ROUNDTRIPS_PER_CYCLE);
  g_print ("cycles_per_second_ceiling_sync=%.1f\n",
           sync_rate / ROUNDTRIPS_PER_CYCLE);
  g_print ("failed=0\n");

  return EXIT_SUCCESS;
}
