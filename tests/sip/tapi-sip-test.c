/* tapi-sip-test.c: real SIP peers for the tests of the SIP provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"

struct _TapiSipTestPeer
{
  char        *name;
  GSubprocess *process;
  GPid         pid;
  char        *log_path;
  char        *messages_path;   /* sipp only */
  char        *errors_path;     /* sipp only */
  gboolean     exited;
  int          status;
};

static char *test_dir;
static GPtrArray *peers;
static gboolean atexit_installed;

/* The test's directory */

/* Ends every peer still running: called at exit, so that a test that
 * fails half-way leaves nothing behind. Each peer leads a process group
 * of its own (Kamailio forks workers), which gets the signals. */
static void
kill_peers_at_exit (void)
{
  if (peers == NULL)
    return;

  for (guint i = 0; i < peers->len; i++)
    {
      TapiSipTestPeer *peer = g_ptr_array_index (peers, i);

      if (!peer->exited && peer->pid > 0)
        kill (-peer->pid, SIGTERM);
    }
  for (int round = 0; round < 50; round++)
    {
      gboolean running = FALSE;

      for (guint i = 0; i < peers->len; i++)
        {
          TapiSipTestPeer *peer = g_ptr_array_index (peers, i);

          if (peer->exited || peer->pid <= 0)
            continue;
          if (kill (-peer->pid, 0) == 0)
            running = TRUE;
          else
            peer->exited = TRUE;
        }
      if (!running)
        return;
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  for (guint i = 0; i < peers->len; i++)
    {
      TapiSipTestPeer *peer = g_ptr_array_index (peers, i);

      if (!peer->exited && peer->pid > 0)
        kill (-peer->pid, SIGKILL);
    }
}

/**
 * tapi_sip_test_setup:
 *
 * Makes the test's temporary directory; call first in a fixture.
 */
void
tapi_sip_test_setup (void)
{
  g_autoptr(GError) error = NULL;

  test_dir = g_dir_make_tmp ("tapi-sip-XXXXXX", &error);
  tapi_test_assert_no_error (&error);
  if (!atexit_installed)
    {
      atexit (kill_peers_at_exit);
      atexit_installed = TRUE;
    }
}

static void
peer_free (TapiSipTestPeer *peer)
{
  g_clear_object (&peer->process);
  g_free (peer->name);
  g_free (peer->log_path);
  g_free (peer->messages_path);
  g_free (peer->errors_path);
  g_free (peer);
}

/**
 * tapi_sip_test_teardown:
 *
 * Shuts the applications down, stops every peer and removes the
 * test's directory.
 */
void
tapi_sip_test_teardown (void)
{
  tapi_test_teardown ();

  while (peers != NULL && peers->len > 0)
    {
      TapiSipTestPeer *peer = g_ptr_array_index (peers, peers->len - 1);

      tapi_sip_test_peer_stop (peer);
      g_ptr_array_remove_index (peers, peers->len - 1);
      peer_free (peer);
    }

  g_unsetenv ("TAPI3_SIP_CONFIG");
  if (test_dir != NULL && g_getenv ("TAPI_SIP_TEST_KEEP") == NULL)
    tapi_test_remove_tree (test_dir);
  g_clear_pointer (&test_dir, g_free);
}

char *
tapi_sip_test_path (const char *name)
{
  ck_assert_msg (test_dir != NULL, "tapi_sip_test_setup() was not called");
  return g_build_filename (test_dir, name, NULL);
}

static gboolean
udp_port_free (GInetAddress *host,
               guint         port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (host, port);

  socket = g_socket_new (g_inet_address_get_family (host), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, NULL);
  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/**
 * tapi_sip_test_free_port_on:
 * @host: an IP address of this machine, such as 127.0.0.1 or ::1
 *
 * Finds a UDP port of @host that nobody uses, nor the three above it
 * (sipp binds its media port and the one two above), and that this
 * process did not hand out before: the ports go to processes that bind
 * them later.
 *
 * Returns: the port
 */
guint
tapi_sip_test_free_port_on (const char *host)
{
  static GHashTable *given;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);

  ck_assert_msg (inet != NULL, "%s is not an IP address", host);
  if (given == NULL)
    given = g_hash_table_new (NULL, NULL);
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autoptr(GSocket) socket = NULL;
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (inet, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      guint port;

      socket = g_socket_new (g_inet_address_get_family (inet),
                             G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                             NULL);
      ck_assert_msg (socket != NULL, "Cannot make a UDP socket");
      ck_assert_msg (g_socket_bind (socket, any, FALSE, NULL),
                     "Cannot bind %s port 0", host);
      bound = g_socket_get_local_address (socket, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      g_socket_close (socket, NULL);

      if (port % 2 == 0 && port < 65500 &&
          !g_hash_table_contains (given, GUINT_TO_POINTER (port)) &&
          !g_hash_table_contains (given, GUINT_TO_POINTER (port + 2)) &&
          udp_port_free (inet, port + 1) && udp_port_free (inet, port + 2) &&
          udp_port_free (inet, port + 3))
        {
          for (guint i = 0; i < 4; i++)
            g_hash_table_add (given, GUINT_TO_POINTER (port + i));
          return port;
        }
    }
  ck_abort_msg ("Found no free UDP port on %s", host);
  return 0;
}

/**
 * tapi_sip_test_free_port:
 *
 * Returns: a free UDP port of 127.0.0.1, see tapi_sip_test_free_port_on()
 */
guint
tapi_sip_test_free_port (void)
{
  return tapi_sip_test_free_port_on ("127.0.0.1");
}

/**
 * tapi_sip_test_set_config:
 * @contents: the keyfile of the SIP provider
 *
 * Writes @contents and names it in `TAPI3_SIP_CONFIG`; call before the
 * first application of the test.
 */
void
tapi_sip_test_set_config (const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tapi_sip_test_path ("sip.conf");

  g_file_set_contents (path, contents, -1, &error);
  tapi_test_assert_no_error (&error);
  g_setenv ("TAPI3_SIP_CONFIG", path, TRUE);
}

/**
 * tapi_sip_test_account_on:
 * @host: the IP address it binds, such as 127.0.0.1 or ::1
 * @name: the account and user name
 * @domain: (nullable): host:port of its address of record; %NULL for
 *   @host:@bind_port (direct mode)
 * @bind_port: the local port, 0 for any
 * @registrar_port: the registrar and outbound proxy on 127.0.0.1, or 0
 * @password: (nullable): the password
 * @codecs: (nullable): the codec preference list
 *
 * Returns: a keyfile section for the account
 */
char *
tapi_sip_test_account_on (const char *host,
                          const char *name,
                          const char *domain,
                          guint       bind_port,
                          guint       registrar_port,
                          const char *password,
                          const char *codecs)
{
  GString *section = g_string_new (NULL);
  g_autofree char *uri_host = strchr (host, ':')
                                ? g_strdup_printf ("[%s]", host)
                                : g_strdup (host);

  g_string_append_printf (section, "[account:%s]\n", name);
  if (domain != NULL)
    g_string_append_printf (section, "uri=sip:%s@%s\n", name, domain);
  else
    g_string_append_printf (section, "uri=sip:%s@%s:%u\n", name, uri_host,
                            bind_port);
  g_string_append_printf (section, "bind=sip:%s:%u\n", uri_host, bind_port);
  if (registrar_port != 0)
    {
      g_string_append_printf (section, "registrar=sip:127.0.0.1:%u\n",
                              registrar_port);
      g_string_append_printf (section, "proxy=sip:127.0.0.1:%u\n",
                              registrar_port);
    }
  g_string_append_printf (section, "username=%s\n", name);
  if (password != NULL)
    g_string_append_printf (section, "password=%s\n", password);
  g_string_append (section, "transport=udp\n");
  g_string_append_printf (section, "codecs=%s\n\n",
                          codecs != NULL ? codecs : "PCMU;PCMA");

  return g_string_free (section, FALSE);
}

/**
 * tapi_sip_test_account:
 *
 * Like tapi_sip_test_account_on() on 127.0.0.1.
 *
 * Returns: a keyfile section for the account
 */
char *
tapi_sip_test_account (const char *name,
                       const char *domain,
                       guint       bind_port,
                       guint       registrar_port,
                       const char *password,
                       const char *codecs)
{
  return tapi_sip_test_account_on ("127.0.0.1", name, domain, bind_port,
                                   registrar_port, password, codecs);
}

/**
 * tapi_sip_test_start_direct_on:
 * @host: the IP address of the account, such as 127.0.0.1 or ::1
 * @user: the account and user name, also the name of its address
 * @codecs: (nullable): the codec preference list
 * @port: (out) (optional): the local port of the account
 *
 * Configures one account in direct mode on a free port of @host and
 * starts the application %TAPI_TEST_APP_A, which owns its incoming calls.
 *
 * Returns: (transfer none): the application
 */
TapiTapi *
tapi_sip_test_start_direct_on (const char *host,
                               const char *user,
                               const char *codecs,
                               guint      *port)
{
  return tapi_sip_test_start_direct_with (host, user, codecs, NULL, port);
}

/**
 * tapi_sip_test_start_direct_with:
 * @host: the IP address of the account
 * @user: the account and user name
 * @codecs: (nullable): the codec preference list
 * @extra: (nullable): more lines of the account, such as `srtp=optional\n`
 * @port: (out) (optional): the local port of the account
 *
 * Like tapi_sip_test_start_direct_on(), with @extra in the account.
 *
 * Returns: (transfer none): the application
 */
TapiTapi *
tapi_sip_test_start_direct_with (const char *host,
                                 const char *user,
                                 const char *codecs,
                                 const char *extra,
                                 guint      *port)
{
  g_autofree char *account = NULL;
  g_autofree char *config = NULL;
  guint bind_port = tapi_sip_test_free_port_on (host);
  TapiTapi *app;

  account = tapi_sip_test_account_on (host, user, NULL, bind_port, 0, "secret",
                                      codecs);
  config = g_strconcat (account, extra, NULL);
  tapi_sip_test_set_config (config);
  app = tapi_test_app_new (TAPI_TEST_APP_A);
  tapi_test_register (app, user, FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  if (port != NULL)
    *port = bind_port;

  return app;
}

/**
 * tapi_sip_test_start_direct:
 *
 * Like tapi_sip_test_start_direct_on() on 127.0.0.1.
 *
 * Returns: (transfer none): the application
 */
TapiTapi *
tapi_sip_test_start_direct (const char *user,
                            const char *codecs,
                            guint      *port)
{
  return tapi_sip_test_start_direct_on ("127.0.0.1", user, codecs, port);
}

/* Peers */

static void
child_setup (gpointer user_data)
{
  /* Its own process group, ended with the test process: a failing test
   * leaves with _exit(), running neither teardown nor atexit(). */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, GPOINTER_TO_INT (user_data));
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  TapiSipTestPeer *peer = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (g_subprocess_get_if_exited (G_SUBPROCESS (source)))
    peer->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  else
    peer->status = 128 + g_subprocess_get_term_sig (G_SUBPROCESS (source));
  peer->exited = TRUE;
}

/**
 * tapi_sip_test_spawn:
 * @name: a name for messages and the log file
 * @argv: the command
 *
 * Starts a process whose output goes to `<name>.log` in the test's
 * directory.
 *
 * Returns: (transfer none): the peer
 */
static TapiSipTestPeer *
spawn (const char         *name,
       const char * const *argv,
       int                 death_signal)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_name = g_strdup_printf ("%s.log", name);
  TapiSipTestPeer *peer = g_new0 (TapiSipTestPeer, 1);
  const char *identifier;

  peer->name = g_strdup (name);
  peer->log_path = tapi_sip_test_path (log_name);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, test_dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, peer->log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup,
                                         GINT_TO_POINTER (death_signal), NULL);
  peer->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (peer->process == NULL)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      ck_abort_msg ("Cannot start %s: %s", command, error->message);
    }
  identifier = g_subprocess_get_identifier (peer->process);
  peer->pid = identifier != NULL ? atoi (identifier) : 0;
  g_subprocess_wait_async (peer->process, NULL, wait_cb, peer);

  if (peers == NULL)
    peers = g_ptr_array_new ();
  g_ptr_array_add (peers, peer);

  return peer;
}

TapiSipTestPeer *
tapi_sip_test_spawn (const char         *name,
                     const char * const *argv)
{
  return spawn (name, argv, SIGKILL);
}

/**
 * tapi_sip_test_spawn_group:
 * @name: a name for messages and the log file
 * @argv: the command
 *
 * Like tapi_sip_test_spawn(), for a command whose processes outlive it
 * (Kamailio's workers, the bus and program of dbus-run-session): a shell
 * leads the group and, told by SIGTERM (also when the test process dies),
 * passes it to the whole group.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_spawn_group (const char         *name,
                           const char * const *argv)
{
  g_autoptr(GPtrArray) command = g_ptr_array_new ();
  const char *shell[] = {
    "/bin/sh", "-c",
    "trap 'trap \"\" TERM; kill -TERM 0' TERM; \"$@\" & wait $!", "sh",
  };

  for (guint i = 0; i < G_N_ELEMENTS (shell); i++)
    g_ptr_array_add (command, (gpointer) shell[i]);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (command, (gpointer) argv[i]);
  g_ptr_array_add (command, NULL);

  return spawn (name, (const char * const *) command->pdata, SIGTERM);
}

/**
 * tapi_sip_test_sipp:
 * @scenario: the file name of a scenario in tests/sip, or an absolute path
 * @port: the SIP port of sipp
 * @remote_port: the port it sends to, or 0 for a server
 * @...: more arguments, %NULL-terminated
 *
 * Starts sipp for one call on 127.0.0.1, its media on a free port, with
 * a trace of its messages and errors.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_sipp (const char *scenario,
                    guint       port,
                    guint       remote_port,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = g_strdup_printf ("sipp-%u", port);
  g_autofree char *messages = g_strdup_printf ("%s-messages.log", name);
  g_autofree char *errors = g_strdup_printf ("%s-errors.log", name);
  TapiSipTestPeer *peer;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup (SIPP_PATH));
  g_ptr_array_add (argv, g_strdup ("-sf"));
  if (g_path_is_absolute (scenario))
    g_ptr_array_add (argv, g_strdup (scenario));
  else
    g_ptr_array_add (argv,
                     g_build_filename (SIP_TEST_SOURCE_DIR, scenario, NULL));
  if (remote_port != 0)
    g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", remote_port));
  g_ptr_array_add (argv, g_strdup ("-i"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  g_ptr_array_add (argv, g_strdup ("-mi"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("-mp"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", tapi_sip_test_free_port ()));
  g_ptr_array_add (argv, g_strdup ("-nostdin"));
  g_ptr_array_add (argv, g_strdup ("-timeout"));
  g_ptr_array_add (argv, g_strdup ("60"));
  g_ptr_array_add (argv, g_strdup ("-timeout_error"));
  g_ptr_array_add (argv, g_strdup ("-trace_msg"));
  g_ptr_array_add (argv, g_strdup ("-message_file"));
  g_ptr_array_add (argv, tapi_sip_test_path (messages));
  g_ptr_array_add (argv, g_strdup ("-trace_err"));
  g_ptr_array_add (argv, g_strdup ("-error_file"));
  g_ptr_array_add (argv, tapi_sip_test_path (errors));

  va_start (args, remote_port);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);

  /* One call unless the caller said otherwise */
  if (!g_ptr_array_find_with_equal_func (argv, "-m", g_str_equal, NULL))
    {
      g_ptr_array_add (argv, g_strdup ("-m"));
      g_ptr_array_add (argv, g_strdup ("1"));
    }
  g_ptr_array_add (argv, NULL);

  peer = tapi_sip_test_spawn (name, (const char * const *) argv->pdata);
  peer->messages_path = tapi_sip_test_path (messages);
  peer->errors_path = tapi_sip_test_path (errors);

  /* A server must listen before anything is sent to it: an ICMP port
   * unreachable would fail the request at once. */
  if (remote_port == 0)
    {
      gint64 deadline = g_get_monotonic_time () +
        TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

      while (udp_port_free (loopback, port))
        {
          if (peer->exited || g_get_monotonic_time () >= deadline)
            {
              tapi_sip_test_peer_dump (peer);
              ck_abort_msg ("sipp does not listen on port %u", port);
            }
          tapi_test_spin (10);
        }
    }

  return peer;
}

/* Starts Kamailio with @config_name of examples/kamailio (the
 * configurations shipped as examples are the ones tested) listening on UDP @port
 * (and on TLS @tls_port unless 0), with the pre-processor @defines (-A),
 * and waits until it listens. */
static TapiSipTestPeer *
start_kamailio (const char         *config_name,
                guint               port,
                guint               tls_port,
                const char * const *defines)
{
  g_autofree char *tls_listen = g_strdup_printf ("tls:127.0.0.1:%u", tls_port);
  g_autofree char *config = g_build_filename (KAMAILIO_CONFIG_DIR, config_name,
                                              NULL);
  g_autofree char *listen = g_strdup_printf ("udp:127.0.0.1:%u", port);
  g_autofree char *pid_file = tapi_sip_test_path ("kamailio.pid");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *command[] = {
    KAMAILIO_PATH, "-f", config, "-DD", "-E", "-l", listen,
    "-P", pid_file, "-Y", test_dir, "-w", test_dir, "-m", "32", "-M", "4",
  };
  TapiSipTestPeer *peer;

  for (guint i = 0; i < G_N_ELEMENTS (command); i++)
    g_ptr_array_add (argv, (gpointer) command[i]);
  if (tls_port != 0)
    {
      g_ptr_array_add (argv, "-l");
      g_ptr_array_add (argv, tls_listen);
    }
  for (guint i = 0; defines != NULL && defines[i] != NULL; i++)
    {
      g_ptr_array_add (argv, "-A");
      g_ptr_array_add (argv, (gpointer) defines[i]);
    }
  g_ptr_array_add (argv, NULL);
  peer = tapi_sip_test_spawn_group ("kamailio",
                                    (const char * const *) argv->pdata);

  tapi_sip_test_peer_wait_log (peer, "Listening on");
  /* The workers start after the main process printed its sockets. */
  tapi_test_spin (500);
  ck_assert_msg (!peer->exited, "Kamailio exited at once");

  return peer;
}

/**
 * tapi_sip_test_kamailio:
 * @port: its UDP port on 127.0.0.1
 * @with_auth: whether REGISTER needs credentials (password "secret")
 *
 * Starts Kamailio with examples/kamailio/team.cfg and waits until it
 * listens.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_kamailio (guint    port,
                        gboolean with_auth)
{
  const char *defines[] = { with_auth ? "WITH_AUTH" : NULL, NULL };

  return start_kamailio ("team.cfg", port, 0, defines);
}

/**
 * tapi_sip_test_kamailio_tls:
 * @port: its UDP port on 127.0.0.1
 * @tls_port: its TLS port on 127.0.0.1
 * @tls_config: its TLS configuration file (the tls module's)
 *
 * Starts Kamailio with examples/kamailio/team.cfg, without authentication,
 * listening on UDP and TLS, and waits until it listens.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_kamailio_tls (guint       port,
                            guint       tls_port,
                            const char *tls_config)
{
  g_autofree char *config = g_strdup_printf ("TLS_CONFIG=\"%s\"", tls_config);
  const char *defines[] = { "WITH_TLS", config, NULL };

  return start_kamailio ("team.cfg", port, tls_port, defines);
}

/**
 * tapi_sip_test_kamailio_dispatcher:
 * @port: its UDP port on 127.0.0.1
 * @list_path: its dispatcher list
 * @ping_interval: the seconds between its OPTIONS probes
 * @ring_timeout_ms: how long it lets an INVITE ring
 *
 * Starts Kamailio with examples/kamailio/call-centre.cfg, spreading the
 * INVITEs it gets over set 1 of @list_path, and waits until it listens.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_kamailio_dispatcher (guint       port,
                                   const char *list_path,
                                   guint       ping_interval,
                                   guint       ring_timeout_ms)
{
  g_autofree char *list = g_strdup_printf ("DISPATCHER_LIST=\"%s\"",
                                           list_path);
  g_autofree char *interval = g_strdup_printf ("PING_INTERVAL=%u",
                                               ping_interval);
  g_autofree char *ring = g_strdup_printf ("RING_TIMEOUT=%u", ring_timeout_ms);
  const char *defines[] = { list, interval, ring, NULL };

  return start_kamailio ("call-centre.cfg", port, 0, defines);
}

/**
 * tapi_sip_test_baresip:
 * @user: the user of its account
 * @port: its SIP port on 127.0.0.1
 * @frequency: the sine it sends in calls
 *
 * Starts baresip with an account <sip:@user@127.0.0.1:@port> that answers
 * every call at once with G.711, sending a sine of @frequency.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_baresip (const char *user,
                       guint       port,
                       guint       frequency)
{
  return tapi_sip_test_baresip_with (user, port, frequency, NULL);
}

/**
 * tapi_sip_test_baresip_with:
 * @user: the user of its account
 * @port: its SIP port on 127.0.0.1
 * @frequency: the sine it sends in calls
 * @mediaenc: (nullable): its media encryption (`srtp`: SDES when the
 *   peer takes it, `srtp-mand`: RTP/SAVP only), or %NULL for none
 *
 * Like tapi_sip_test_baresip(), with media encryption.
 *
 * Returns: (transfer none): the peer
 */
TapiSipTestPeer *
tapi_sip_test_baresip_with (const char *user,
                            guint       port,
                            guint       frequency,
                            const char *mediaenc)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tapi_sip_test_path ("baresip");
  g_autofree char *config_path = g_build_filename (dir, "config", NULL);
  g_autofree char *accounts_path = g_build_filename (dir, "accounts", NULL);
  g_autofree char *config = NULL;
  g_autofree char *accounts = NULL;
  const char *argv[] = { BARESIP_PATH, "-f", dir, NULL };
  TapiSipTestPeer *peer;

  g_mkdir (dir, 0700);
  /* ausine produces 48 kHz stereo only; baresip resamples for G.711. */
  config = g_strdup_printf ("poll_method\t\tepoll\n"
                            "sip_listen\t\t127.0.0.1:%u\n"
                            "audio_source\t\tausine,%u\n"
                            "ausrc_srate\t\t48000\n"
                            "ausrc_channels\t\t2\n"
                            "audio_alert\t\taufile,/dev/null\n"
                            "rtp_ports\t\t%u-%u\n"
                            "module_path\t\t%s\n"
                            "module\t\t\tg711.so\n"
                            "module\t\t\tausine.so\n"
                            "module\t\t\taufile.so\n"
                            "%s"
                            "module_app\t\taccount.so\n",
                            port, frequency, port + 100, port + 199,
                            BARESIP_MODULE_DIR,
                            mediaenc ? "module\t\t\tsrtp.so\n" : "");
  accounts = g_strdup_printf ("<sip:%s@127.0.0.1:%u>;regint=0;answermode=auto;"
                              "audio_codecs=PCMU,PCMA%s%s\n",
                              user, port, mediaenc ? ";mediaenc=" : "",
                              mediaenc ? mediaenc : "");
  g_file_set_contents (config_path, config, -1, &error);
  tapi_test_assert_no_error (&error);
  g_file_set_contents (accounts_path, accounts, -1, &error);
  tapi_test_assert_no_error (&error);

  peer = tapi_sip_test_spawn ("baresip", argv);
  tapi_sip_test_peer_wait_log (peer, "baresip is ready");

  return peer;
}

gboolean
tapi_sip_test_peer_exited (TapiSipTestPeer *peer)
{
  return peer->exited;
}

/**
 * tapi_sip_test_peer_wait:
 * @peer: a peer
 * @timeout_ms: how long
 *
 * Runs the default main context until @peer exited or @timeout_ms passed.
 *
 * Returns: its exit status, or -1 if it is still running
 */
int
tapi_sip_test_peer_wait (TapiSipTestPeer *peer,
                         guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () +
                    timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!peer->exited && g_get_monotonic_time () < deadline)
    tapi_test_iterate ();

  return peer->exited ? peer->status : -1;
}

static void
dump_file (const char *title,
           const char *path,
           gsize       tail)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return;
  g_printerr ("---- %s (%s)%s ----\n%s\n", title, path,
              length > tail ? ", its end" : "",
              length > tail ? contents + length - tail : contents);
}

/**
 * tapi_sip_test_peer_dump:
 * @peer: a peer
 *
 * Prints what @peer logged (for sipp, its errors and the end of its
 * message trace) to stderr.
 */
void
tapi_sip_test_peer_dump (TapiSipTestPeer *peer)
{
  dump_file (peer->name, peer->log_path, 3000);
  dump_file ("sipp errors", peer->errors_path, 6000);
  dump_file ("sipp messages", peer->messages_path, 8000);
}

/**
 * tapi_sip_test_dump_peers:
 *
 * Prints what every peer of the test logged: call it before failing.
 */
void
tapi_sip_test_dump_peers (void)
{
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    tapi_sip_test_peer_dump (g_ptr_array_index (peers, i));
}

/**
 * tapi_sip_test_peer_assert_success:
 * @peer: a peer, typically sipp
 *
 * Waits for @peer to exit and fails unless it exited with 0 (for sipp:
 * its scenario ran to the end, every check in it held).
 */
void
tapi_sip_test_peer_assert_success (TapiSipTestPeer *peer)
{
  int status = tapi_sip_test_peer_wait (peer, TAPI_SIP_TEST_TIMEOUT_MS);

  if (status != 0)
    tapi_sip_test_peer_dump (peer);
  ck_assert_msg (status != -1,
                 "%s did not finish within %d ms (its log is above)",
                 peer->name, TAPI_SIP_TEST_TIMEOUT_MS);
  ck_assert_msg (status == 0,
                 "%s failed with exit status %d (its log is above)", peer->name,
                 status);
}

/**
 * tapi_sip_test_peer_stop:
 * @peer: a peer
 *
 * Ends @peer (SIGTERM, then SIGKILL) and waits for it.
 */
void
tapi_sip_test_peer_stop (TapiSipTestPeer *peer)
{
  if (peer->exited || peer->pid <= 0)
    return;

  kill (-peer->pid, SIGTERM);
  if (tapi_sip_test_peer_wait (peer, 3000) == -1)
    {
      kill (-peer->pid, SIGKILL);
      tapi_sip_test_peer_wait (peer, 3000);
    }
  /* Kamailio's workers, if any outlived it */
  kill (-peer->pid, SIGKILL);
}

/**
 * tapi_sip_test_peer_wait_log_count:
 * @peer: a peer
 * @text: what to wait for
 * @count: how many times
 *
 * Waits until the log of @peer holds @text @count times.
 */
void
tapi_sip_test_peer_wait_log_count (TapiSipTestPeer *peer,
                                   const char      *text,
                                   guint            count)
{
  gint64 deadline = g_get_monotonic_time () +
    TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_autofree char *contents = NULL;
      guint seen = 0;

      if (g_file_get_contents (peer->log_path, &contents, NULL, NULL))
        for (const char *at = strstr (contents, text); at != NULL && seen < count;
             at = strstr (at + 1, text))
          seen++;
      if (seen >= count)
        return;
      if (peer->exited || g_get_monotonic_time () >= deadline)
        {
          tapi_sip_test_peer_dump (peer);
          ck_abort_msg ("%s %s without logging \"%s\" %u times (%u only)",
                        peer->name,
                        peer->exited ? "exited" : "ran for too long", text,
                        count, seen);
        }
      tapi_test_spin (20);
    }
}

/**
 * tapi_sip_test_peer_wait_log:
 * @peer: a peer
 * @text: what to wait for
 *
 * Waits until the log of @peer holds @text.
 */
void
tapi_sip_test_peer_wait_log (TapiSipTestPeer *peer,
                             const char      *text)
{
  tapi_sip_test_peer_wait_log_count (peer, text, 1);
}

/**
 * tapi_sip_test_peer_write:
 * @peer: a peer
 * @line: a line for its standard input
 *
 * Returns: whether it was written
 */
gboolean
tapi_sip_test_peer_write (TapiSipTestPeer *peer,
                          const char      *line)
{
  GOutputStream *input = g_subprocess_get_stdin_pipe (peer->process);

  return input != NULL &&
    g_output_stream_write_all (input, line, strlen (line), NULL, NULL, NULL) &&
    g_output_stream_flush (input, NULL, NULL);
}

/* Calls */

/**
 * tapi_sip_test_create_call:
 * @app: an application
 * @address: the name of its SIP address
 * @destination: a sip: URI or a user of the account's domain
 *
 * Returns: (transfer full): a watched audio call in IDLE
 */
TapiCall *
tapi_sip_test_create_call (TapiTapi   *app,
                           const char *address,
                           const char *destination)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *from = tapi_test_address (app, address);
  TapiAddressType types = tapi_address_get_address_types (from);
  TapiAddressType type = TAPI_ADDRESS_TYPE_PHONE_NUMBER;
  TapiCall *call;

  /* A SIP address may take only URIs. */
  if ((types & TAPI_ADDRESS_TYPE_PHONE_NUMBER) == 0 && types != 0)
    type = types & -types;

  call = tapi_address_create_call (from, destination, type,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (TAPI_IS_CALL (call), "create_call returned no call");
  tapi_test_watch_call (call);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);

  return call;
}

void
tapi_sip_test_wait_address_state (TapiAddress      *address,
                                  TapiAddressState  state)
{
  tapi_sip_test_wait_for (tapi_address_get_state (address) == state);
}

/**
 * tapi_sip_test_send_garbage:
 * @port: a UDP port of 127.0.0.1
 *
 * Sends datagrams that are no SIP at all.
 */
void
tapi_sip_test_send_garbage (guint port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, port);
  /* Lengths from the literals: the first one has NUL bytes. */
#define GARBAGE(text) { text, sizeof (text) - 1 }
  const struct { const char *data; gsize length; } messages[] = {
    GARBAGE ("\x00\x01\x02\x03garbage\r\n\r\n"),
    GARBAGE ("INVITE\r\n\r\n"),
    GARBAGE ("SIP/2.0 200\r\nVia: x\r\n\r\n"),
    GARBAGE ("INVITE sip:alice@127.0.0.1 SIP/2.0\r\nContent-Length: 99999\r\n\r\nv=0"),
  };
#undef GARBAGE

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, NULL);
  ck_assert_msg (socket != NULL, "Cannot make a UDP socket");
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    g_socket_send_to (socket, to, messages[i].data, messages[i].length, NULL,
                      NULL);
}

/* Media */

/* Audio is looked at after the stream settled: the jitter buffer and the
 * codec need a moment. */
#define SETTLE_S 0.4

/**
 * tapi_sip_test_select_tone:
 *
 * Selects a sine of @frequency on the capture stream of @call.
 *
 * Returns: (transfer none): the terminal (the call keeps it)
 */
TapiTerminal *
tapi_sip_test_select_tone (TapiTapi   *app,
                           const char *address,
                           TapiCall   *call,
                           double      frequency)
{
  g_autoptr(TapiTerminal) tone = tapi_test_new_tone (app, address, frequency);

  tapi_test_select_terminal (tapi_test_stream (call,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE),
                             tone);
  return tone;
}

/**
 * tapi_sip_test_select_recorder:
 *
 * Selects a WAV recorder writing @name in the test's directory on the
 * render stream of @call.
 *
 * Returns: (transfer full): the path of the recording
 */
char *
tapi_sip_test_select_recorder (TapiTapi   *app,
                               const char *address,
                               TapiCall   *call,
                               const char *name)
{
  char *path = tapi_sip_test_path (name);
  g_autoptr(TapiTerminal) recorder = tapi_test_new_recorder (app, address,
                                                              path);

  tapi_test_select_terminal (tapi_test_stream (call,
                                               TAPI_TERMINAL_DIRECTION_RENDER),
                             recorder);
  return path;
}

/**
 * tapi_sip_test_wait_media_event:
 * @call: a call watched with tapi_test_watch_media()
 * @stream: (nullable): the stream, or %NULL for any
 * @event: the event
 * @cause: its cause, or %TAPI_TEST_ANY_CAUSE
 * @from: the first record to look at (a tapi_test_media_mark())
 *
 * Like tapi_test_wait_media_event(), with the longer timeout of SIP.
 */
void
tapi_sip_test_wait_media_event (TapiCall           *call,
                                TapiStream         *stream,
                                TapiCallMediaEvent  event,
                                TapiCallMediaCause  cause,
                                guint               from)
{
  gint64 deadline = g_get_monotonic_time () +
    TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (tapi_test_find_media_event (call, stream, event, cause, from) == NULL)
    {
      if (g_get_monotonic_time () >= deadline)
        {
          g_autofree char *seen = tapi_test_media_events_to_string (call, NULL);

          tapi_sip_test_dump_peers ();
          ck_abort_msg ("No media-event %s/%s on %s within %d ms; the call's events: %s",
                        tapi_test_media_event_name (event),
                        cause == TAPI_TEST_ANY_CAUSE ? "any cause" :
                        tapi_test_media_cause_name (cause),
                        stream ? tapi_stream_get_name (stream) : "any stream",
                        TAPI_SIP_TEST_TIMEOUT_MS, seen);
        }
      tapi_test_iterate ();
    }
}

/**
 * tapi_sip_test_assert_tone:
 * @path: a finished WAV recording
 * @frequency: the tone that must be in it
 * @absent_frequency: a tone that must not be, or 0
 *
 * Fails unless @frequency is the tone of @path once it settled, and
 * @absent_frequency is 20 dB below it.
 */
void
tapi_sip_test_assert_tone (const char *path,
                           double      frequency,
                           double      absent_frequency)
{
  g_autoptr(TapiTestAudio) audio = tapi_test_load_recording (path);
  gsize first;

  ck_assert_msg (tapi_test_audio_duration (audio) >= SETTLE_S + 0.5,
                 "%s lasts %.2f s only", path,
                 tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, SETTLE_S, -1, frequency);

  if (absent_frequency <= 0)
    return;
  first = (gsize) (SETTLE_S * audio->rate);
  {
    double present = tapi_goertzel_power_hann (audio->samples + first,
                                               audio->n_samples - first,
                                               audio->rate, frequency);
    double absent = tapi_goertzel_power_hann (audio->samples + first,
                                              audio->n_samples - first,
                                              audio->rate, absent_frequency);

    ck_assert_msg (absent < present / 100.0,
                   "%s holds %.0f Hz (power %g) next to %.0f Hz (power %g)", path,
                   absent_frequency, absent, frequency, present);
  }
}

/**
 * tapi_sip_test_scenario_from_template:
 * @template: the file name of a scenario template in tests/sip
 * @placeholder: the text to replace
 * @value: what replaces it
 *
 * Returns: (transfer full): the path of the scenario written in the
 *   test's directory
 */
char *
tapi_sip_test_scenario_from_template (const char *template,
                                      const char *placeholder,
                                      const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (SIP_TEST_SOURCE_DIR, template,
                                              NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) scenario = NULL;
  char *path;

  g_file_get_contents (source, &contents, NULL, &error);
  tapi_test_assert_no_error (&error);
  scenario = g_string_new (contents);
  ck_assert_msg (g_string_replace (scenario, placeholder, value, 0) > 0,
                 "%s has no %s", template, placeholder);
  path = tapi_sip_test_path (template);
  g_file_set_contents (path, scenario->str, scenario->len, &error);
  tapi_test_assert_no_error (&error);
  return path;
}
