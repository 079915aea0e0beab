/* fuzz-common.c: what the fuzz targets share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tapi-broker.h"

#include "fuzz-common.h"

static char *config_dir;

/* Bad input may be reported (warnings, messages); a critical or an error
 * is a broken precondition inside the library and counts as a crash.
 * FUZZ_VERBOSE=1 shows everything. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  if (g_getenv ("FUZZ_VERBOSE") != NULL)
    return g_log_writer_standard_streams (log_level, fields, n_fields,
                                          user_data);
  return G_LOG_WRITER_HANDLED;
}

/**
 * fuzz_init:
 *
 * Sets up what every target needs once: a private configuration
 * directory (so no user configuration is read) and quiet logging.
 */
void
fuzz_init (void)
{
  g_autoptr(GError) error = NULL;

  if (config_dir != NULL)
    return;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  config_dir = g_dir_make_tmp ("tapi3-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_setenv ("TAPI3_BROKER", "embedded", TRUE);
  g_unsetenv ("TAPI3_SIP_CONFIG");
  g_unsetenv ("TAPI3_SIM_CONFIG");
}

/* The default for targets that need nothing more; libFuzzer and the
 * driver call it once before the first input. */
__attribute__((weak)) int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/**
 * fuzz_write_config:
 * @variable: the environment variable that names the file
 * @basename: the file's name
 * @contents: what to write
 * @length: its length
 *
 * Writes a configuration file in the private directory and names it in
 * @variable.
 *
 * Returns: (transfer full): its path
 */
char *
fuzz_write_config (const char *variable,
                   const char *basename,
                   const char *contents,
                   gsize       length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (config_dir, basename, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  g_setenv (variable, path, TRUE);
  return path;
}

/**
 * fuzz_free_udp_port:
 *
 * Returns: a UDP port of 127.0.0.1 that was free a moment ago
 */
guint
fuzz_free_udp_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
                                             G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * fuzz_connect_embedded:
 *
 * Starts the embedded broker (with the configuration written so far)
 * and connects to it.
 *
 * Returns: (transfer full): the connection
 */
GDBusConnection *
fuzz_connect_embedded (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  tapi_broker_connect_embedded_async (NULL, connected_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  connection = tapi_broker_connect_embedded_finish (result, &error);
  if (connection == NULL)
    {
      fprintf (stderr, "The embedded broker did not start: %s\n",
               error->message);
      abort ();
    }
  return connection;
}

/**
 * fuzz_arguments:
 * @args: (array zero-terminated=1) (nullable): the arguments of a method or
 *   a signal
 * @data: an input
 * @size: its length
 *
 * Reads @data as the serialised tuple of @args, whatever it holds.
 *
 * Returns: (transfer full): the arguments, in normal form
 */
GVariant *
fuzz_arguments (GDBusArgInfo  **args,
                const uint8_t  *data,
                size_t          size)
{
  g_autoptr(GString) signature = g_string_new ("(");
  g_autoptr(GVariantType) type = NULL;
  g_autoptr(GVariant) arguments = NULL;

  for (guint i = 0; args && args[i]; i++)
    g_string_append (signature, args[i]->signature);
  g_string_append_c (signature, ')');
  type = g_variant_type_new (signature->str);
  arguments = g_variant_ref_sink (g_variant_new_from_data (type, data, size, FALSE,
                                                           NULL, NULL));
  return g_variant_ref_sink (g_variant_get_normal_form (arguments));
}

/**
 * fuzz_call:
 * @connection: a connection to the broker
 * @method: a method of org.libtapi3.Broker1
 * @parameters: (transfer floating): its arguments
 * @error: return location for a #GError
 *
 * Calls @method and waits (long) for the answer. A broker that does not
 * answer in time hangs, which counts as a crash.
 *
 * Returns: (transfer full) (nullable): the reply
 */
GVariant *
fuzz_call (GDBusConnection *connection,
           const char      *method,
           GVariant        *parameters,
           GError         **error)
{
  g_autoptr(GUnixFDList) fds = NULL;
  GError *local_error = NULL;
  GVariant *reply;

  reply =
    g_dbus_connection_call_with_unix_fd_list_sync (connection, NULL,
                                                   TAPI_BROKER_OBJECT_PATH,
                                                   TAPI_BROKER_INTERFACE,
                                                   method, parameters, NULL,
                                                   G_DBUS_CALL_FLAGS_NONE,
                                                   60000, NULL, &fds, NULL,
                                                   &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    {
      fprintf (stderr, "The broker did not answer %s: %s\n", method,
               local_error->message);
      abort ();
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return reply;
}

/**
 * fuzz_initialize_application:
 * @connection: a connection to the broker
 *
 * Initializes as the application "fuzz" and registers as monitor and
 * owner of every address, so calls are offered to it.
 */
void
fuzz_initialize_application (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) addresses = NULL;
  g_autoptr(GVariant) array = NULL;
  GVariantIter iter;
  GVariant *address;

  addresses = fuzz_call (connection, "Initialize",
                         g_variant_new ("(s)", "fuzz"), &error);
  g_assert_no_error (error);
  array = g_variant_get_child_value (addresses, 0);
  g_variant_iter_init (&iter, array);
  while ((address = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(GVariant) info = address;
      g_autoptr(GVariant) registration = NULL;
      const char *name;
      guint32 media_types;

      g_assert_true (g_variant_lookup (info, "name", "&s", &name));
      g_assert_true (g_variant_lookup (info, "media-types", "u", &media_types));
      registration =
        fuzz_call (connection, "RegisterNotifications",
                   g_variant_new ("(sbbu)", name, TRUE, TRUE, media_types),
                   &error);
      g_assert_no_error (error);
    }
}
