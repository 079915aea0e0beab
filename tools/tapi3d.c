/* tapi3d.c: the tapi3 broker on the session bus
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdlib.h>

#include "tapi-broker.h"
#include "tapi-error.h"

/* tapi3d exports the same broker that applications otherwise run in a
 * thread of their own process, under the well-known name
 * org.libtapi3.Broker, so that applications in different processes share
 * addresses and hand calls to each other. It logs through g_log with the
 * structured writer (the journal when it runs under systemd). */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "tapi3d"

typedef struct
{
  GMainLoop  *loop;
  TapiBroker *broker;
  gboolean    replace;
  gboolean    owned;
  int         status;
} Daemon;

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Daemon *daemon = user_data;

  daemon->owned = TRUE;
  g_info ("Serving %s as %s", name,
          g_dbus_connection_get_unique_name (connection));
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Daemon *daemon = user_data;

  if (daemon->owned)
    g_info ("Another broker took %s over; exiting", name);
  else
    {
      g_warning ("%s is owned by another broker already (use --replace to take it over)", name);
      daemon->status = EXIT_FAILURE;
    }
  g_main_loop_quit (daemon->loop);
}

static void
bus_closed_cb (GDBusConnection *connection,
               gboolean         remote_peer_vanished,
               GError          *error,
               Daemon          *daemon)
{
  g_warning ("The session bus went away%s%s", error ? ": " : "",
             error ? error->message : "");
  daemon->status = EXIT_FAILURE;
  g_main_loop_quit (daemon->loop);
}

static gboolean
terminate_cb (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_info ("Shutting down");
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *priorities_path = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *bus_address = NULL;
  gboolean verbose = FALSE, version = FALSE;
  Daemon daemon = { NULL, NULL, FALSE, FALSE, EXIT_SUCCESS };
  guint owner_id;
  const GOptionEntry entries[] = {
    { "replace", 'r', 0, G_OPTION_ARG_NONE, &daemon.replace,
      "Replace the broker that runs now", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      "Log every application, call and provider event", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The tapi3 telephony broker on the session bus (org.libtapi3.Broker).\n"
                                "Applications using libtapi3 find it by themselves, or start it through\n"
                                "D-Bus activation.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tapi3d: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("tapi3d %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (verbose)
    g_log_set_debug_enabled (TRUE);

  /* Sockets of dropped clients must not kill the daemon. */
  signal (SIGPIPE, SIG_IGN);

  daemon.broker = tapi_broker_new (&error);
  if (daemon.broker == NULL)
    {
      g_critical ("Could not start the broker: %s", error->message);
      return EXIT_FAILURE;
    }
  priorities_path = tapi_broker_config_path ("TAPI3_PRIORITIES",
                                             "priorities.conf");
  if (!tapi_broker_set_priorities_file (daemon.broker, priorities_path, &error))
    {
      g_warning ("%s; starting without saved priorities", error->message);
      g_clear_error (&error);
    }

  /* A connection of our own rather than the shared one, so that it is
   * closed, and GDBus's worker thread done with it, before exit. */
  bus_address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL,
                                                 &error);
  if (bus_address != NULL)
    bus = g_dbus_connection_new_for_address_sync (bus_address,
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, &error);
  if (bus == NULL)
    {
      g_critical ("Could not connect to the session bus: %s", error->message);
      g_clear_object (&daemon.broker);
      return EXIT_FAILURE;
    }
  g_dbus_connection_set_exit_on_close (bus, FALSE);
  tapi_broker_add_peer_connection (daemon.broker, bus);

  daemon.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (bus, "closed", G_CALLBACK (bus_closed_cb), &daemon);
  g_unix_signal_add (SIGTERM, terminate_cb, &daemon);
  g_unix_signal_add (SIGINT, terminate_cb, &daemon);

  owner_id =
    g_bus_own_name_on_connection (bus, TAPI_BROKER_BUS_NAME,
                                  G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT |
                                    (daemon.replace
                                       ? G_BUS_NAME_OWNER_FLAGS_REPLACE
                                       : 0),
                                  name_acquired_cb, name_lost_cb, &daemon,
                                  NULL);
  g_main_loop_run (daemon.loop);

  /* Calls are dropped with a cause the applications see, before the
   * name goes and the providers and sockets with the broker. */
  tapi_broker_shutdown (daemon.broker);
  g_bus_unown_name (owner_id);
  g_clear_object (&daemon.broker);

  g_signal_handlers_disconnect_by_func (bus, bus_closed_cb, &daemon);
  g_dbus_connection_flush_sync (bus, NULL, NULL);
  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_clear_object (&bus);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* And GStreamer's threads with the sim's services. */
  gst_task_cleanup_all ();
  g_main_loop_unref (daemon.loop);
  g_info ("Stopped");
  return daemon.status;
}
