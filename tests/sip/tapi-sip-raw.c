/* tapi-sip-raw.c: raw SIP datagrams for the torture tests
 *
 * The torture tests send what no SIP stack would: these helpers put
 * bytes on a UDP socket of 127.0.0.1 and read what comes back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-sip-raw.h"

/**
 * tapi_sip_raw_socket_new:
 *
 * Returns: (transfer full): a UDP socket bound to 127.0.0.1:0, or %NULL
 */
GSocket *
tapi_sip_raw_socket_new (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocket) sock = NULL;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                       G_SOCKET_PROTOCOL_UDP, NULL);
  if (sock == NULL || !g_socket_bind (sock, any, FALSE, NULL))
    return NULL;
  g_socket_set_blocking (sock, FALSE);
  return g_steal_pointer (&sock);
}

guint16
tapi_sip_raw_local_port (GSocket *sock)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (sock, NULL);

  return address
           ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address))
           : 0;
}

/**
 * tapi_sip_raw_send:
 * @sock: a socket of tapi_sip_raw_socket_new()
 * @port: a UDP port of 127.0.0.1
 * @data: the datagram
 * @len: its length, 0 for an empty datagram
 */
void
tapi_sip_raw_send (GSocket    *sock,
                   guint16     port,
                   const void *data,
                   gsize       len)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, port);

  g_socket_send_to (sock, to, data, len, NULL, NULL);
}

/**
 * tapi_sip_raw_receive:
 * @sock: a socket of tapi_sip_raw_socket_new()
 * @timeout_ms: how long to wait
 * @len: (out) (optional): the length of the datagram
 *
 * Waits for one datagram, running the default main context meanwhile.
 *
 * Returns: (transfer full) (nullable): the datagram, NUL-terminated, or
 *   %NULL on timeout
 */
char *
tapi_sip_raw_receive (GSocket *sock,
                      guint    timeout_ms,
                      gsize   *len)
{
  gint64 deadline = g_get_monotonic_time () +
                    timeout_ms * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      char buffer[65536];
      gssize received = g_socket_receive (sock, buffer, sizeof buffer - 1, NULL,
                                          NULL);

      if (received >= 0)
        {
          char *datagram = g_malloc (received + 1);

          memcpy (datagram, buffer, received);
          datagram[received] = '\0';
          if (len)
            *len = received;
          return datagram;
        }
      if (g_get_monotonic_time () >= deadline)
        return NULL;
      /* The provider runs in this process: let it work. */
      g_main_context_iteration (NULL, FALSE);
      g_socket_condition_timed_wait (sock, G_IO_IN,
                                     10 * G_TIME_SPAN_MILLISECOND, NULL, NULL);
    }
}

/**
 * tapi_sip_raw_status:
 * @response: (nullable): a datagram
 *
 * Returns: the status code of a SIP response, 0 if it is none
 */
guint
tapi_sip_raw_status (const char *response)
{
  guint64 status;
  char code[4] = { 0 };

  if (response == NULL || !g_str_has_prefix (response, "SIP/2.0 ") ||
      strlen (response) < 11)
    return 0;
  memcpy (code, response + 8, 3);
  if (!g_ascii_string_to_unsigned (code, 10, 100, 699, &status, NULL))
    return 0;
  return status;
}

/**
 * tapi_sip_raw_final_response:
 * @sock: a socket that sent a request
 * @timeout_ms: how long to wait
 *
 * Returns: (transfer full) (nullable): the first response of status 200
 *   or above, or %NULL if none came
 */
char *
tapi_sip_raw_final_response (GSocket *sock,
                             guint    timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () +
                    timeout_ms * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) /
                    G_TIME_SPAN_MILLISECOND;
      char *message;

      if (left <= 0)
        return NULL;
      message = tapi_sip_raw_receive (sock, left, NULL);
      if (message == NULL || tapi_sip_raw_status (message) >= 200)
        return message;
      g_free (message);
    }
}

/**
 * tapi_sip_raw_header:
 * @message: a SIP message
 * @name: a header name, without the colon
 *
 * Returns: (transfer full) (nullable): the value of the first header
 *   @name in the head of @message, trimmed
 */
char *
tapi_sip_raw_header (const char *message,
                     const char *name)
{
  g_auto(GStrv) lines = NULL;
  const char *end = strstr (message, "\r\n\r\n");
  g_autofree char *head = g_strndup (message, end ? (gsize) (end - message)
                                                  : strlen (message));
  gsize name_len = strlen (name);

  lines = g_strsplit (head, "\r\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (g_ascii_strncasecmp (lines[i], name, name_len) == 0 &&
        lines[i][name_len] == ':')
      return g_strstrip (g_strdup (lines[i] + name_len + 1));
  return NULL;
}

/**
 * tapi_sip_raw_expand:
 * @template: a SIP message, lines ended by "\n"
 * @sock: the socket that sends it
 * @peer_port: the port it goes to
 * @len: (out): the length of the message
 *
 * Makes a datagram of @template: every "\n" becomes "\r\n" (a "\r\n"
 * stays), and these placeholders are replaced: `[local_port]` (of
 * @sock), `[peer_port]`, `[call_id]`, `[branch]` and `[tag]` (fresh for
 * each call), `[nul]` (a NUL byte) and `[len]` (the length of the body,
 * what follows the first empty line).
 *
 * Returns: (transfer full): the datagram
 */
char *
tapi_sip_raw_expand (const char *template,
                     GSocket    *sock,
                     guint16     peer_port,
                     gsize      *len)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *local_port =
    g_strdup_printf ("%u", tapi_sip_raw_local_port (sock));
  g_autofree char *peer = g_strdup_printf ("%u", peer_port);
  g_autofree char *call_id = g_uuid_string_random ();
  g_autofree char *branch = NULL;
  g_autofree char *tag = g_strdup_printf ("%08x", g_random_int ());
  g_autofree char *body_len = NULL;
  const char *body;

  branch = g_strdup_printf ("z9hG4bK%08x%08x", g_random_int (),
                            g_random_int ());
  for (const char *p = template; *p; p++)
    {
      if (*p == '\n' && (p == template || p[-1] != '\r'))
        g_string_append_c (text, '\r');
      g_string_append_c (text, *p);
    }
  g_string_replace (text, "[local_port]", local_port, 0);
  g_string_replace (text, "[peer_port]", peer, 0);
  g_string_replace (text, "[call_id]", call_id, 0);
  g_string_replace (text, "[branch]", branch, 0);
  g_string_replace (text, "[tag]", tag, 0);

  body = strstr (text->str, "\r\n\r\n");
  body = body ? body + 4 : text->str + text->len;
  {
    /* [nul] counts as one byte of the body */
    gsize length = strlen (body);
    guint nuls = 0;

    for (const char *p = body; (p = strstr (p, "[nul]")); p++)
      nuls++;
    body_len = g_strdup_printf ("%" G_GSIZE_FORMAT, length - nuls * 4);
  }
  g_string_replace (text, "[len]", body_len, 0);

  /* Last: a NUL would end the string for the replacements above */
  {
    gsize out = 0;

    for (gsize in = 0; in < text->len; )
      {
        if (strncmp (text->str + in, "[nul]", 5) == 0)
          {
            text->str[out++] = '\0';
            in += 5;
          }
        else
          text->str[out++] = text->str[in++];
      }
    g_string_truncate (text, out);
  }
  *len = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}
