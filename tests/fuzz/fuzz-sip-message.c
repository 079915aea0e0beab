/* fuzz-sip-message.c: SIP datagrams to the SIP provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The embedded broker runs once with one SIP account on 127.0.0.1, and an
 * application owns its address, so calls are offered as they would be.
 * Each input goes to the account as one UDP datagram; an OPTIONS request
 * after it is answered only once the stack has handled the input, so a
 * stack that stops answering counts as a crash; a D-Bus call to the
 * broker then waits for the provider to have handled what the stack
 * passed on.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

/* Long: the machine may be loaded. */
#define SYNC_TIMEOUT_S 30

static GDBusConnection *connection;
static GSocket *sip_socket;
static GSocketAddress *account_address;
static guint account_port;
static guint local_port;
static guint64 n_syncs;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *config = NULL;
  g_autofree char *path = NULL;

  fuzz_init ();
  account_port = fuzz_free_udp_port ();
  config = g_strdup_printf ("[account:fuzz]\n"
                            "uri=sip:fuzz@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:%u\n"
                            "transport=udp\n"
                            "codecs=PCMU;PCMA;G722;OPUS\n",
                            account_port, account_port);
  path = fuzz_write_config ("TAPI3_SIP_CONFIG", "sip.conf", config, -1);
  connection = fuzz_connect_embedded ();

  fuzz_initialize_application (connection);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  account_address = g_inet_socket_address_new (loopback, account_port);
  local = g_inet_socket_address_new (loopback, 0);
  sip_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                             G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (sip_socket, local, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (sip_socket, &error);
  g_assert_no_error (error);
  local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return 0;
}

static void
send_datagram (const char *data,
               gsize       size)
{
  g_autoptr(GError) error = NULL;

  if (g_socket_send_to (sip_socket, account_address, data, size, NULL, &error) <
        0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    g_error ("Cannot send to the SIP account: %s", error->message);
}

/* Sends OPTIONS (again every few seconds) until its answer comes. */
static void
sync_stack (void)
{
  g_autofree char *call_id = g_strdup_printf ("fuzz-sync-%" G_GUINT64_FORMAT "@127.0.0.1",
                                              ++n_syncs);
  g_autofree char *options = NULL;
  gint64 deadline = g_get_monotonic_time () + SYNC_TIMEOUT_S * G_USEC_PER_SEC;
  gint64 resend = 0;

  options = g_strdup_printf ("OPTIONS sip:fuzz@127.0.0.1:%u SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-sync-%" G_GUINT64_FORMAT ";rport\r\n"
                             "Max-Forwards: 70\r\n"
                             "From: <sip:sync@127.0.0.1:%u>;tag=sync\r\n"
                             "To: <sip:fuzz@127.0.0.1:%u>\r\n"
                             "Call-ID: %s\r\n"
                             "CSeq: 1 OPTIONS\r\n"
                             "Content-Length: 0\r\n"
                             "\r\n",
                             account_port, local_port, n_syncs, local_port, account_port,
                             call_id);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char buffer[65536];
      gint64 now = g_get_monotonic_time ();
      gssize length;

      if (now >= deadline)
        {
          fprintf (stderr, "The SIP stack did not answer OPTIONS in %d s\n",
                   SYNC_TIMEOUT_S);
          abort ();
        }
      if (now >= resend)
        {
          send_datagram (options, strlen (options));
          resend = now + 3 * G_USEC_PER_SEC;
        }
      if (!g_socket_condition_timed_wait (sip_socket, G_IO_IN,
                                          MIN (resend, deadline) - now, NULL,
                                          NULL))
        continue;
      length = g_socket_receive (sip_socket, buffer, sizeof buffer - 1, NULL,
                                 &error);
      if (length < 0)
        continue;
      buffer[length] = '\0';
      if (g_str_has_prefix (buffer, "SIP/2.0 ") &&
          strstr (buffer, call_id) != NULL)
        return;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GVariant) reply = NULL;

  if (size == 0 || size > 65000)
    return 0;
  send_datagram ((const char *) data, size);
  sync_stack ();
  /* The stack passes what it handled on to the provider on the broker's
   * thread, which answers D-Bus after it. */
  reply = fuzz_call (connection, "GetCallInfo", g_variant_new ("(u)", 0), NULL);
  return 0;
}
