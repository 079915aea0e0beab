/* tapi-broker-embedded.c: the broker of this process, on a thread of its own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tapi-broker.h"
#include "tapi-error.h"

/* Each application of the process reaches the embedded broker over a
 * private peer-to-peer connection of its own, so that the broker tells
 * applications apart by their connection, as it does on a message bus by
 * their unique name. */

typedef struct
{
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GMainContext *context;
  TapiBroker   *broker;
  GError       *error;
  char         *guid;
} EmbeddedBroker;

static EmbeddedBroker embedded;

static gpointer
embedded_thread_func (gpointer data)
{
  g_autoptr(GMainLoop) loop = NULL;
  GError *error = NULL;
  TapiBroker *broker;

  g_main_context_push_thread_default (embedded.context);
  broker = tapi_broker_new (&error);

  g_mutex_lock (&embedded.mutex);
  embedded.broker = broker;
  embedded.error = error;
  embedded.ready = TRUE;
  g_cond_broadcast (&embedded.cond);
  g_mutex_unlock (&embedded.mutex);

  if (broker == NULL)
    return NULL;

  /* The embedded broker lives as long as the process. */
  loop = g_main_loop_new (embedded.context, FALSE);
  g_main_loop_run (loop);
  return NULL;
}

static gpointer
embedded_start (gpointer data)
{
  g_mutex_init (&embedded.mutex);
  g_cond_init (&embedded.cond);
  embedded.context = g_main_context_new ();
  embedded.guid = g_dbus_generate_guid ();
  g_thread_unref (g_thread_new ("tapi-broker", embedded_thread_func, NULL));

  g_mutex_lock (&embedded.mutex);
  while (!embedded.ready)
    g_cond_wait (&embedded.cond, &embedded.mutex);
  g_mutex_unlock (&embedded.mutex);
  return NULL;
}

static void
embedded_server_ready_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_dbus_connection_new_finish (result, &error);
  if (connection == NULL)
    {
      g_debug ("An application could not connect to the broker: %s",
               error->message);
      return;
    }
  tapi_broker_add_peer_connection (embedded.broker, connection);
}

static gboolean
embedded_accept_cb (gpointer user_data)
{
  g_autoptr(GIOStream) stream = user_data;

  g_dbus_connection_new (stream, embedded.guid,
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                         G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                         NULL, NULL, embedded_server_ready_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
embedded_client_ready_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GDBusConnection *connection;
  GError *error = NULL;

  connection = g_dbus_connection_new_finish (result, &error);
  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connection, g_object_unref);
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

void
tapi_broker_connect_embedded_async (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GIOStream) server = NULL;
  GError *error = NULL;
  int fds[2];

  g_task_set_source_tag (task, tapi_broker_connect_embedded_async);
  g_once (&once, embedded_start, NULL);

  if (embedded.broker == NULL)
    {
      g_task_return_new_error (task, TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING,
                               "The embedded broker could not start: %s",
                               embedded.error ? embedded.error->message
                                              : "unknown error");
      return;
    }

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, TAPI_ERROR,
                               TAPI_ERROR_RESOURCE_UNAVAILABLE,
                               "Could not connect to the embedded broker: %s",
                               g_strerror (saved_errno));
      return;
    }
  client = stream_for_fd (fds[0], &error);
  server = client ? stream_for_fd (fds[1], &error) : (close (fds[1]), NULL);
  if (server == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_main_context_invoke (embedded.context, embedded_accept_cb,
                         g_steal_pointer (&server));
  g_dbus_connection_new (client, NULL,
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL,
                         cancellable, embedded_client_ready_cb,
                         g_steal_pointer (&task));
}

GDBusConnection *
tapi_broker_connect_embedded_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                          tapi_broker_connect_embedded_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
