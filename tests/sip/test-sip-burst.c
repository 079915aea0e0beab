/* test-sip-burst.c: the SIP provider under bursts of hostile datagrams
 *
 * An account in direct mode on 127.0.0.1 and an application that answers
 * its calls get datagrams that look like STUN, broken and mutated INVITEs,
 * INVITEs whose Contact cannot be used and text that is no UTF-8. The
 * process must survive all of it without a GLib critical (the helper's log
 * writer fails the test on any) and still complete a real call with sipp.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-sip-raw.h"
#include "tapi-sip-test.h"

/* Fixed, so that every run sends the same bytes. */
#define BURST_SEED 4475
#define BURST_ROUNDS 20
#define MUTATIONS_PER_ROUND 150

static TapiTapi *app;
static guint our_port;

static void
setup (void)
{
  tapi_sip_test_setup ();
}

static void
teardown (void)
{
  tapi_sip_test_teardown ();
  app = NULL;
  our_port = 0;
}

static guint16
local_port (GSocket *sock)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (sock, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* An INVITE from @sock's port with a PCMU offer. @display is the raw bytes
 * of From's display name (quoted here), @contact the whole Contact value or
 * NULL for none. */
static GString *
invite_new (guint16     from_port,
            const char *call_id,
            const char *display,
            gsize       display_len,
            const char *contact)
{
  GString *invite = g_string_new (NULL);
  g_autofree char *sdp = g_strdup_printf ("v=0\r\n"
                                          "o=raw 1 1 IN IP4 127.0.0.1\r\n"
                                          "s=-\r\n"
                                          "c=IN IP4 127.0.0.1\r\n"
                                          "t=0 0\r\n"
                                          "m=audio %u RTP/AVP 0\r\n"
                                          "a=rtpmap:0 PCMU/8000\r\n",
                                          (guint) from_port + 2);

  g_string_append_printf (invite,
                          "INVITE sip:alice@127.0.0.1:%u SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-%s\r\n"
                          "From: \"",
                          our_port, from_port, call_id);
  g_string_append_len (invite, display, display_len);
  g_string_append_printf (invite,
                          "\" <sip:raw@127.0.0.1:%u>;tag=raw-%s\r\n"
                          "To: <sip:alice@127.0.0.1:%u>\r\n"
                          "Call-ID: %s@127.0.0.1\r\n"
                          "CSeq: 1 INVITE\r\n",
                          from_port, call_id, our_port, call_id);
  if (contact != NULL)
    g_string_append_printf (invite, "Contact: %s\r\n", contact);
  g_string_append_printf (invite,
                          "Max-Forwards: 70\r\n"
                          "Content-Type: application/sdp\r\n"
                          "Content-Length: %u\r\n"
                          "\r\n%s",
                          (guint) strlen (sdp), sdp);
  return invite;
}

static GString *
valid_invite (GSocket    *sock,
              const char *call_id)
{
  g_autofree char *contact = g_strdup_printf ("<sip:raw@127.0.0.1:%u>",
                                              local_port (sock));

  return invite_new (local_port (sock), call_id, "Raw", 3, contact);
}

/* Receives datagrams, running the default context meanwhile, until a final
 * response whose CSeq names @method; returns it. */
static char *
final_response (GSocket    *sock,
                const char *method)
{
  g_autofree char *cseq_suffix = g_strdup_printf (" %s\r\n", method);
  gint64 deadline = g_get_monotonic_time () +
    TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    {
      char *datagram = tapi_sip_raw_receive (sock, 0, NULL);
      const char *cseq;
      const char *end;

      if (datagram == NULL)
        {
          tapi_test_iterate ();
          continue;
        }
      cseq = strstr (datagram, "\r\nCSeq: ");
      end = cseq ? strstr (cseq + 2, "\r\n") : NULL;
      if (tapi_sip_raw_status (datagram) >= 200 && end != NULL &&
          end - cseq >= (gssize) strlen (cseq_suffix) &&
          strncmp (end + 2 - strlen (cseq_suffix), cseq_suffix,
                   strlen (cseq_suffix)) == 0)
        return datagram;
      g_free (datagram);
    }
  ck_abort_msg ("No final response to %s", method);
  return NULL;
}

/* Reads and drops whatever the broker answered. */
static void
drain (GSocket *sock)
{
  char *datagram;

  while ((datagram = tapi_sip_raw_receive (sock, 0, NULL)) != NULL)
    g_free (datagram);
}

/* The threads named like the broker's: the broker's own one, and any
 * thread it started without naming it. */
static guint
broker_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;
  guint count = 0;

  ck_assert (dir != NULL);
  while ((task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/comm", task);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) &&
          g_strcmp0 (g_strstrip (comm), "tapi-broker") == 0)
        count++;
    }
  return count;
}

/* A call from sipp, answered by the application, hung up by sipp. */
static void
assert_real_call (void)
{
  TapiSipTestPeer *sipp;
  TapiCall *call;
  guint before = tapi_test_notification_count (app);

  tapi_test_app_set_auto_answer (app, TRUE);
  sipp = tapi_sip_test_sipp ("uac-call.xml", tapi_sip_test_free_port (), our_port,
                             "-s", "alice", "-d", "500",
                             "-key", "extra", "X-Libtapi3-Test: after", NULL);
  tapi_sip_test_wait_for (tapi_test_notification_count (app) > before);
  call = tapi_test_notification_get (app, before, NULL);
  ck_assert_str_eq (tapi_call_get_caller_id_name (call), "Sipp Caller");
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_states (call, TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE,
                           TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_sip_test_peer_assert_success (sipp);
}

/* The SIP stack runs in the broker's thread, on its main context. */
START_TEST (test_one_thread)
{
  app = tapi_sip_test_start_direct ("alice", NULL, &our_port);
  ck_assert_uint_eq (broker_threads (), 1);
}
END_TEST

static void
send_stun (GSocket *sock,
           GRand   *rand,
           guint8   first)
{
  guint8 datagram[48];

  /* A header (type, length, magic cookie, transaction) and attributes of
   * random bytes: a request (first byte 0x00) or a response (0x01). */
  for (guint i = 0; i < sizeof datagram; i++)
    datagram[i] = g_rand_int_range (rand, 0, 256);
  datagram[0] = first;
  datagram[1] = 0x01;
  datagram[2] = 0;
  datagram[3] = g_rand_int_range (rand, 0, 2) ? 28 : 200;
  datagram[4] = 0x21, datagram[5] = 0x12, datagram[6] = 0xa4,
  datagram[7] = 0x42;
  tapi_sip_raw_send (sock, our_port, datagram,
                     20 + g_rand_int_range (rand, 0, 29));
  /* A runt of each */
  tapi_sip_raw_send (sock, our_port, datagram, g_rand_int_range (rand, 1, 20));
}

static void
send_mutation (GSocket       *sock,
               GRand         *rand,
               const GString *invite)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint changes = g_rand_int_range (rand, 1, 9);

  g_byte_array_append (bytes, (const guint8 *) invite->str, invite->len);
  for (guint i = 0; i < changes && bytes->len > 1; i++)
    {
      guint at = g_rand_int_range (rand, 0, bytes->len);

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0: /* a random byte */
          bytes->data[at] = g_rand_int_range (rand, 0, 256);
          break;
        case 1: /* a byte less */
          g_byte_array_remove_index (bytes, at);
          break;
        case 2: /* a NUL, a CR, a LF or a colon in between */
          {
            static const guint8 inserts[] = { 0, '\r', '\n', ':' };

            g_byte_array_set_size (bytes, bytes->len + 1);
            memmove (bytes->data + at + 1, bytes->data + at,
                     bytes->len - at - 1);
            bytes->data[at] = inserts[at % 4];
          }
          break;
        case 3: /* cut */
          g_byte_array_set_size (bytes, at + 1);
          break;
        default: /* a byte that is no UTF-8 */
          bytes->data[at] = 0x80 + g_rand_int_range (rand, 0, 0x80);
          break;
        }
    }
  tapi_sip_raw_send (sock, our_port, bytes->data, bytes->len);
}

/* Bursts of STUN-looking, truncated, garbled and mutated datagrams; then
 * a real call. */
START_TEST (test_burst)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (BURST_SEED);

  app = tapi_sip_test_start_direct ("alice", NULL, &our_port);
  tapi_test_app_set_auto_answer (app, TRUE);
  sock = tapi_sip_raw_socket_new ();

  for (guint round = 0; round < BURST_ROUNDS; round++)
    {
      g_autofree char *call_id = g_strdup_printf ("burst-%u", round);
      g_autoptr(GString) invite = valid_invite (sock, call_id);

      send_stun (sock, rand, 0x00);
      send_stun (sock, rand, 0x01);
      /* Truncated: each header line cut in half, the body cut */
      for (gsize cut = 7; cut < invite->len; cut += invite->len / 9)
        tapi_sip_raw_send (sock, our_port, invite->str, cut);
      /* Garbled: start line and framing */
      tapi_sip_raw_send (sock, our_port, "INVITE  SIP/2.0\r\n\r\n", 19);
      tapi_sip_raw_send (sock, our_port,
                         "INVITE sip:alice@127.0.0.1 SIP/9.9\r\n\r\n", 38);
      tapi_sip_raw_send (sock, our_port, "\r\n\r\n", 4);
      tapi_sip_raw_send (sock, our_port, "SIP/2.0 200 OK\r\nCSeq: x\r\n\r\n",
                         27);
      tapi_sip_raw_send (sock, our_port, "\xf8\xff\x00\x01sigcomp", 11);
      for (guint i = 0; i < MUTATIONS_PER_ROUND; i++)
        send_mutation (sock, rand, invite);
      /* Let the broker work through them, then do it again */
      tapi_test_spin (300);
      drain (sock);
    }

  /* Still one thread, still serving */
  ck_assert_uint_eq (broker_threads (), 1);
  assert_real_call ();
}
END_TEST

/* Contacts that the later BYE cannot use */
static const char *bad_contacts[] = {
  NULL,                                 /* none */
  "<sip:@>",
  "*",
  "<sip:raw@>",
  "<sip:raw@bad_host!name>",
  "<sip:raw@-dash-.example>",
  "<sip:raw@needs-dns.example.invalid>",
  "<http://127.0.0.1/>",
};

START_TEST (test_bad_contact)
{
  g_autoptr(GSocket) sock = NULL;
  g_autofree char *call_id = g_strdup_printf ("contact-%d", _i);
  g_autoptr(GString) invite = NULL;
  g_autofree char *response = NULL;

  app = tapi_sip_test_start_direct ("alice", NULL, &our_port);
  tapi_test_app_set_auto_answer (app, TRUE);
  sock = tapi_sip_raw_socket_new ();
  invite = invite_new (local_port (sock), call_id, "Raw", 3, bad_contacts[_i]);
  tapi_sip_raw_send (sock, our_port, invite->str, invite->len);

  response = final_response (sock, "INVITE");
  ck_assert_msg (tapi_sip_raw_status (response) == 400,
                 "Contact %s: expected 400, got: %s", bad_contacts[_i],
                 response);
  tapi_test_spin (200);
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);

  assert_real_call ();
}
END_TEST

static char *
header_value (const char *message,
              const char *name)
{
  g_autofree char *start = g_strdup_printf ("\r\n%s: ", name);
  const char *value = strstr (message, start);
  const char *end;

  ck_assert_msg (value != NULL, "No %s in: %s", name, message);
  value += strlen (start);
  end = strstr (value, "\r\n");
  return g_strndup (value, end - value);
}

/* A request in the dialog of the INVITE answered by @ok */
static GString *
in_dialog (GSocket    *sock,
           const char *ok,
           const char *method,
           guint       cseq,
           const char *type,
           const char *body,
           gsize       body_len)
{
  g_autofree char *to = header_value (ok, "To");
  g_autofree char *from = header_value (ok, "From");
  g_autofree char *call_id = header_value (ok, "Call-ID");
  GString *request = g_string_new (NULL);

  g_string_append_printf (request,
                          "%s sip:alice@127.0.0.1:%u SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-%s-%u\r\n"
                          "From: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
                          "CSeq: %u %s\r\nMax-Forwards: 70\r\n",
                          method, our_port, local_port (sock), method, cseq,
                          from, to, call_id, cseq, method);
  if (type != NULL)
    g_string_append_printf (request, "Content-Type: %s\r\n", type);
  g_string_append_printf (request, "Content-Length: %u\r\n\r\n",
                          (guint) body_len);
  g_string_append_len (request, body, body_len);
  return request;
}

/* A display name and an INFO body with bytes that are no UTF-8 and NULs */
START_TEST (test_bad_text)
{
  static const char display[] = "Bad \xff\xfe Name \xc3";
  static const char info[] = "Signal=\xff\x00\xc3\r\nDuration=\x80\x00"
                             "160\r\n";
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GString) invite = NULL;
  g_autoptr(GString) request = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *response = NULL;
  TapiCall *call;
  const char *name;

  app = tapi_sip_test_start_direct ("alice", NULL, &our_port);
  tapi_test_app_set_auto_answer (app, TRUE);
  sock = tapi_sip_raw_socket_new ();
  contact = g_strdup_printf ("<sip:raw@127.0.0.1:%u>", local_port (sock));
  invite = invite_new (local_port (sock), "text", display, sizeof display - 1,
                       contact);
  tapi_sip_raw_send (sock, our_port, invite->str, invite->len);

  ok = final_response (sock, "INVITE");
  ck_assert_uint_eq (tapi_sip_raw_status (ok), 200);
  call = tapi_test_notification_get (app, 0, NULL);
  name = tapi_call_get_caller_id_name (call);
  ck_assert (name != NULL);
  ck_assert_msg (g_utf8_validate (name, -1, NULL),
                 "The caller's name is no UTF-8");
  ck_assert_str_eq (name, "Bad \xef\xbf\xbd\xef\xbf\xbd Name \xef\xbf\xbd");
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_CONNECTED);

  request = in_dialog (sock, ok, "ACK", 1, NULL, "", 0);
  tapi_sip_raw_send (sock, our_port, request->str, request->len);
  g_string_free (g_steal_pointer (&request), TRUE);

  request = in_dialog (sock, ok, "INFO", 2, "application/dtmf-relay", info,
                       sizeof info - 1);
  tapi_sip_raw_send (sock, our_port, request->str, request->len);
  response = final_response (sock, "INFO");
  ck_assert_msg (tapi_sip_raw_status (response) < 500, "INFO got: %s",
                 response);
  g_clear_pointer (&response, g_free);
  g_string_free (g_steal_pointer (&request), TRUE);

  request = in_dialog (sock, ok, "BYE", 3, NULL, "", 0);
  tapi_sip_raw_send (sock, our_port, request->str, request->len);
  response = final_response (sock, "BYE");
  ck_assert_uint_eq (tapi_sip_raw_status (response), 200);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  assert_real_call ();
}
END_TEST

/* A NUL in the display name: the message is refused, or the name arrives as
 * text */
START_TEST (test_nul_display)
{
  static const char display[] = "Nul\x00" "Name\xff";
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GString) invite = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *response = NULL;
  guint status;

  app = tapi_sip_test_start_direct ("alice", NULL, &our_port);
  tapi_test_app_set_auto_answer (app, TRUE);
  sock = tapi_sip_raw_socket_new ();
  contact = g_strdup_printf ("<sip:raw@127.0.0.1:%u>", local_port (sock));
  invite = invite_new (local_port (sock), "nul", display, sizeof display - 1,
                       contact);
  tapi_sip_raw_send (sock, our_port, invite->str, invite->len);

  response = tapi_sip_raw_receive (sock, TAPI_SIP_TEST_TIMEOUT_MS, NULL);
  status = tapi_sip_raw_status (response);
  if (status == 0 || (status >= 100 && status < 200))
    {
      g_clear_pointer (&response, g_free);
      response = final_response (sock, "INVITE");
      status = tapi_sip_raw_status (response);
    }
  if (status == 200)
    {
      TapiCall *call = tapi_test_notification_get (app, 0, NULL);
      const char *name = tapi_call_get_caller_id_name (call);

      ck_assert_msg (name == NULL || g_utf8_validate (name, -1, NULL),
                     "The caller's name is no UTF-8");
    }
  else
    ck_assert_msg (status >= 400 && status < 500, "Got: %s", response);
}
END_TEST

/* A connection address in the SDP offer that is no address (nor text) */
START_TEST (test_bad_connection_address)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GString) invite = NULL;
  g_autofree char *response = NULL;
  const char *address;

  app = tapi_sip_test_start_direct ("alice", NULL, &our_port);
  tapi_test_app_set_auto_answer (app, TRUE);
  sock = tapi_sip_raw_socket_new ();
  invite = valid_invite (sock, "connection");
  address = strstr (invite->str, "c=IN IP4 127.0.0.1");
  ck_assert (address != NULL);
  invite->str[address - invite->str + strlen ("c=IN IP4 127.0.")] = '\xff';
  tapi_sip_raw_send (sock, our_port, invite->str, invite->len);

  response = final_response (sock, "INVITE");
  ck_assert_msg (tapi_sip_raw_status (response) == 488, "Got: %s", response);
  tapi_test_spin (200);
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
}
END_TEST

/* An account carries max-calls calls at a time: an INVITE beyond them is
 * answered 486 and offered to no application, an outgoing call fails with
 * RESOURCE_UNAVAILABLE, and a call that ends makes room for the next. */
START_TEST (test_max_calls)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *busy = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *config = NULL;
  TapiCall *first, *second, *next;
  TapiCall *outgoing;
  guint bind_port = tapi_sip_test_free_port ();

  account = tapi_sip_test_account ("alice", NULL, bind_port, 0, "secret", NULL);
  parts = g_strsplit (account, "transport=udp\n", 2);
  ck_assert_uint_eq (g_strv_length (parts), 2);
  config = g_strconcat (parts[0], "transport=udp\nmax-calls=2\n", parts[1],
                        NULL);
  tapi_sip_test_set_config (config);
  app = tapi_test_app_new (TAPI_TEST_APP_A);
  tapi_test_register (app, "alice", FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  our_port = bind_port;
  sock = tapi_sip_raw_socket_new ();

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *call_id = g_strdup_printf ("max-calls-%u", i);
      g_autoptr(GString) invite = valid_invite (sock, call_id);

      tapi_sip_raw_send (sock, our_port, invite->str, invite->len);
    }
  first = tapi_test_next_notification (app, NULL);
  second = tapi_test_next_notification (app, NULL);
  ck_assert_int_eq (tapi_call_get_state (first), TAPI_CALL_STATE_OFFERING);
  ck_assert_int_eq (tapi_call_get_state (second), TAPI_CALL_STATE_OFFERING);

  {
    g_autoptr(GString) invite = valid_invite (sock, "max-calls-2");

    tapi_sip_raw_send (sock, our_port, invite->str, invite->len);
  }
  /* The two calls ring unanswered: the only final answer is the third's. */
  busy = final_response (sock, "INVITE");
  ck_assert_msg (tapi_sip_raw_status (busy) == 486, "The third INVITE got: %s",
                 busy);
  ck_assert_msg (strstr (busy, "max-calls-2") != NULL,
                 "486 to another INVITE: %s", busy);
  ck_assert_uint_eq (tapi_test_notification_count (app), 2);

  outgoing = tapi_test_create_call (app, "alice", "sip:bob@127.0.0.1:9");
  ck_assert (!tapi_test_await (outgoing, connect, &error));
  g_assert_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE);
  g_clear_error (&error);

  ck_assert (tapi_test_await (first, disconnect, TAPI_DISCONNECT_CODE_REJECTED, &error));
  g_assert_no_error (error);
  tapi_sip_test_wait_for_state (first, TAPI_CALL_STATE_DISCONNECTED);
  {
    g_autoptr(GString) invite = valid_invite (sock, "max-calls-3");

    tapi_sip_raw_send (sock, our_port, invite->str, invite->len);
  }
  next = tapi_test_next_notification (app, NULL);
  ck_assert_int_eq (tapi_call_get_state (next), TAPI_CALL_STATE_OFFERING);
  ck_assert_uint_eq (tapi_test_notification_count (app), 3);
}
END_TEST

static Suite *
sip_burst_suite (void)
{
  Suite *suite = suite_create ("sip-burst");
  TCase *tcase;

  tcase = tcase_create ("burst");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 90);
  tcase_add_test (tcase, test_one_thread);
  tcase_add_test (tcase, test_burst);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("bad-input");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 60);
  tcase_add_loop_test (tcase, test_bad_contact, 0, G_N_ELEMENTS (bad_contacts));
  tcase_add_test (tcase, test_bad_text);
  tcase_add_test (tcase, test_nul_display);
  tcase_add_test (tcase, test_bad_connection_address);
  tcase_add_test (tcase, test_max_calls);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_burst_suite ());
}
