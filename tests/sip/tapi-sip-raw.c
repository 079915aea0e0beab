/* tapi-sip-raw.c: raw SIP datagrams over UDP on 127.0.0.1
 *
 * For what sipp cannot send: datagrams that are no SIP, broken SIP and
 * bytes that are no text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <check.h>
#include <string.h>

#include "tapi-sip-raw.h"

/**
 * tapi_sip_raw_socket_new:
 *
 * Returns: (transfer full): a UDP socket bound to a free port of 127.0.0.1
 */
GSocket *
tapi_sip_raw_socket_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  GSocket *sock;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                       G_SOCKET_PROTOCOL_UDP, &error);
  ck_assert_msg (sock != NULL, "Cannot make a UDP socket: %s", error->message);
  ck_assert_msg (g_socket_bind (sock, any_port, FALSE, &error),
                 "Cannot bind a UDP socket: %s", error ? error->message : "");
  return sock;
}

/**
 * tapi_sip_raw_send:
 * @sock: a socket of tapi_sip_raw_socket_new()
 * @port: a UDP port of 127.0.0.1
 * @data: the datagram
 * @len: its length
 */
void
tapi_sip_raw_send (GSocket    *sock,
                   guint16     port,
                   const void *data,
                   gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, port);
  gssize sent;

  sent = g_socket_send_to (sock, to, data, len, NULL, &error);
  ck_assert_msg (sent == (gssize) len, "Cannot send %" G_GSIZE_FORMAT " bytes: %s",
                 len, error ? error->message : "short write");
}

/**
 * tapi_sip_raw_receive:
 * @sock: a socket of tapi_sip_raw_socket_new()
 * @timeout_ms: how long to wait
 * @len: (out) (optional): the length of the datagram
 *
 * Returns: (transfer full) (nullable): the next datagram, NUL-terminated,
 *   or %NULL if none came within @timeout_ms
 */
char *
tapi_sip_raw_receive (GSocket *sock,
                      guint    timeout_ms,
                      gsize   *len)
{
  char buffer[65536];
  gssize received;

  if (len != NULL)
    *len = 0;
  if (!g_socket_condition_timed_wait (sock, G_IO_IN,
                                      (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND,
                                      NULL, NULL))
    return NULL;
  received = g_socket_receive (sock, buffer, sizeof buffer, NULL, NULL);
  if (received < 0)
    return NULL;
  if (len != NULL)
    *len = received;
  return g_strndup (buffer, received);
}

/**
 * tapi_sip_raw_status:
 * @response: (nullable): a datagram
 *
 * Returns: the status code of a SIP response, 0 if @response is none
 */
guint
tapi_sip_raw_status (const char *response)
{
  guint64 status;
  char *end;

  if (response == NULL || !g_str_has_prefix (response, "SIP/2.0 "))
    return 0;
  status = g_ascii_strtoull (response + 8, &end, 10);
  if (end != response + 11 || status < 100 || status > 699)
    return 0;
  return status;
}
