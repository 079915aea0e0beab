/* bench-sipp.c: running sipp next to the SIP benchmarks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <sys/prctl.h>

#include "bench-sipp.h"

/* A free UDP port of 127.0.0.1, never the same twice: the ports go to
 * processes that bind them later. */
guint
bench_free_udp_port (void)
{
  static GHashTable *given;

  if (given == NULL)
    given = g_hash_table_new (NULL, NULL);
  for (;;)
    {
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
                                                 G_SOCKET_TYPE_DATAGRAM,
                                                 G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      guint port;

      if (socket == NULL || !g_socket_bind (socket, any, FALSE, NULL))
        g_error ("Cannot bind a UDP socket on 127.0.0.1");
      bound = g_socket_get_local_address (socket, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      if (g_hash_table_add (given, GUINT_TO_POINTER (port)))
        return port;
    }
}

/* sipp dies with the benchmark, however that ends. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts sipp with @argv, its output going to @log_path */
GSubprocess *
bench_start_sipp (const char * const *argv,
                  const char         *log_path)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("Cannot start sipp: %s", error->message);
  return process;
}
