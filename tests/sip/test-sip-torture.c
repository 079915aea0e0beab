/* test-sip-torture.c: the SIP provider against malformed and odd SIP
 *
 * Cases in the spirit of RFC 4475 and of SDP offers no sane peer sends,
 * put on the wire as raw UDP datagrams to an account, "alice", in direct
 * mode whose application answers every call. Each case asserts its one
 * outcome: a status code, no answer at all, or a call whose media flows.
 * After each burst the same process completes a real call with sipp.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "tapi-sip-raw.h"
#include "tapi-sip-test.h"

/* How long a datagram that gets no answer is given to get one */
#define SILENCE_MS 1500

static TapiTapi *app;
static guint our_port;

static void
setup (void)
{
  tapi_sip_test_setup ();
  app = tapi_sip_test_start_direct ("alice", "PCMU;PCMA", &our_port);
  tapi_test_app_set_auto_answer (app, TRUE);
}

static void
teardown (void)
{
  tapi_sip_test_teardown ();
  app = NULL;
  our_port = 0;
}

#define VIA "Via: SIP/2.0/UDP 127.0.0.1:[local_port];branch=[branch]\n"
#define FROM "From: \"Torture\" <sip:torture@127.0.0.1:[local_port]>;tag=[tag]\n"
#define TO "To: <sip:alice@127.0.0.1:[peer_port]>\n"
#define CALL_ID "Call-ID: [call_id]\n"
#define CONTACT "Contact: <sip:torture@127.0.0.1:[local_port]>\n"
#define MAX_FORWARDS "Max-Forwards: 70\n"
#define NO_BODY "Content-Length: 0\n\n"
#define REQUEST(method, headers) \
  method " sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM TO CALL_ID \
  "CSeq: 1 " method "\n" CONTACT MAX_FORWARDS headers
#define SDP_BODY(media) \
  "Content-Type: application/sdp\nContent-Length: [len]\n\n" \
  "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nt=0 0\n" media

typedef struct
{
  const char *name;
  const char *message;   /* a template of tapi_sip_raw_expand() */
  guint       status;    /* the final answer, 0 if none may come */
} Case;

/* Sends one case from a fresh socket and asserts its outcome. */
static void
run_case (const Case *c)
{
  g_autoptr(GSocket) sock = tapi_sip_raw_socket_new ();
  g_autofree char *datagram = NULL;
  g_autofree char *response = NULL;
  gsize len;

  ck_assert_msg (sock != NULL, "Cannot make a UDP socket");
  datagram = tapi_sip_raw_expand (c->message, sock, our_port, &len);
  tapi_sip_raw_send (sock, our_port, datagram, len);
  response = tapi_sip_raw_final_response (sock, c->status
                                                  ? TAPI_SIP_TEST_TIMEOUT_MS
                                                  : SILENCE_MS);
  if (c->status == 0)
    ck_assert_msg (response == NULL, "%s: answered, expected no answer:\n%s",
                   c->name, response);
  else
    {
      ck_assert_msg (response != NULL, "%s: no answer, expected %u", c->name,
                     c->status);
      ck_assert_msg (tapi_sip_raw_status (response) == c->status,
                     "%s: answered %u, expected %u:\n%s", c->name,
                     tapi_sip_raw_status (response), c->status, response);
    }
}

static void
run_cases (const Case *cases,
           gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    run_case (&cases[i]);
}

/* The provider still works: sipp calls alice, who answers. */
static void
assert_real_call (void)
{
  guint before = tapi_test_notification_count (app);
  TapiSipTestPeer *sipp;
  TapiCall *call;

  sipp = tapi_sip_test_sipp ("uac-call.xml", tapi_sip_test_free_port (), our_port,
                             "-s", "alice", "-d", "500",
                             "-key", "extra", "X-Libtapi3-Test: after", NULL);
  call = tapi_test_next_notification (app, NULL);
  tapi_sip_test_wait_for_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_sip_test_peer_assert_success (sipp);
  ck_assert_uint_eq (tapi_test_notification_count (app), before + 1);
}

/* RFC 4475 3.1.1: odd but valid, to be taken */
static const Case odd_cases[] = {
  { "line folding",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA
    "From: \"Torture\"\n  <sip:torture@127.0.0.1:[local_port]>;tag=[tag]\n"
    "To:\n\t<sip:alice@127.0.0.1:[peer_port]>\n" CALL_ID
    "CSeq:\n 1\n OPTIONS\n" MAX_FORWARDS "Subject: a\n b\n\tc\n" NO_BODY, 200 },
  { "escaped URI",
    "OPTIONS sip:%61lice@127.0.0.1:[peer_port];%6C%72 SIP/2.0\n" VIA FROM
    "To: <sip:%61lice@127.0.0.1:[peer_port]>\n" CALL_ID "CSeq: 1 OPTIONS\n"
    MAX_FORWARDS NO_BODY, 200 },
  { "compact and odd-case headers",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n"
    "v: SIP/2.0/UDP 127.0.0.1:[local_port];branch=[branch]\n"
    "f: <sip:torture@127.0.0.1:[local_port]>;tag=[tag]\n"
    "t: <sip:alice@127.0.0.1:[peer_port]>\n"
    "i: [call_id]\nCSEQ: 1 OPTIONS\nmAx-fOrWaRdS: 70\nl: 0\n\n", 200 },
  { "unknown method", REQUEST ("NEWMETHOD", NO_BODY), 501 },
  { "unknown method with a body",
    REQUEST ("NEWMETHOD", "Content-Type: text/plain\nContent-Length: [len]\n\nhello"), 501 },
  { "known method not allowed", REQUEST ("PUBLISH", "Event: presence\n" NO_BODY), 405 },
  { "unknown URI scheme",
    "OPTIONS nope:alice@127.0.0.1 SIP/2.0\n" VIA FROM TO CALL_ID
    "CSeq: 1 OPTIONS\n" MAX_FORWARDS NO_BODY, 416 },
  { "largest CSeq",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM TO CALL_ID
    "CSeq: 4294967295 OPTIONS\n" MAX_FORWARDS NO_BODY, 200 },
  { "unsolicited response with status 699",
    "SIP/2.0 699 Odd\n" VIA FROM TO CALL_ID "CSeq: 1 INVITE\n" NO_BODY, 0 },
  { "unsolicited response with status 9999",
    "SIP/2.0 9999 Odd\n" VIA FROM TO CALL_ID "CSeq: 1 INVITE\n" NO_BODY, 0 },
  { "two requests in one datagram",
    REQUEST ("OPTIONS", NO_BODY) REQUEST ("NEWMETHOD", NO_BODY), 200 },
};

/* Built at run time: a 16 KiB header and 300 Via lines */
static char *
huge_header_case (void)
{
  g_autoptr(GString) text = g_string_new ("OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM TO CALL_ID
                                          "CSeq: 1 OPTIONS\n" MAX_FORWARDS "X-Huge: ");

  for (guint i = 0; i < 16384; i++)
    g_string_append_c (text, 'a' + i % 26);
  g_string_append (text, "\n" NO_BODY);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
many_vias_case (void)
{
  g_autoptr(GString) text = g_string_new ("OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA);

  for (guint i = 0; i < 299; i++)
    g_string_append_printf (text, "Via: SIP/2.0/UDP 127.0.0.%u:5060;branch=z9hG4bK%u\n",
                            2 + i % 250, i);
  g_string_append (text,
                   FROM TO CALL_ID "CSeq: 1 OPTIONS\n" MAX_FORWARDS NO_BODY);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
big_datagram_case (void)
{
  g_autoptr(GString) text = g_string_new (REQUEST ("OPTIONS", "X-Pad: "));

  while (text->len < 65000)
    g_string_append (text, "0123456789");
  g_string_append (text, "\n" NO_BODY);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

START_TEST (test_odd)
{
  g_autofree char *huge = huge_header_case ();
  g_autofree char *vias = many_vias_case ();
  g_autofree char *big = big_datagram_case ();
  Case built[] = {
    { "16 KiB header", huge, 200 },
    { "300 Via headers", vias, 200 },
    { "64 KiB request", big, 200 },
  };

  run_cases (odd_cases, G_N_ELEMENTS (odd_cases));
  run_cases (built, G_N_ELEMENTS (built));
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
  assert_real_call ();
}
END_TEST

/* RFC 4475 3.1.2: malformed, to be refused or dropped */
static const Case malformed_cases[] = {
  { "Content-Length beyond the datagram",
    REQUEST ("OPTIONS", "Content-Type: text/plain\nContent-Length: 9999\n\nshort"), 400 },
  { "negative Content-Length",
    REQUEST ("OPTIONS", "Content-Type: text/plain\nContent-Length: -5\n\nshort"), 400 },
  { "two different Content-Lengths",
    REQUEST ("OPTIONS", "Content-Type: text/plain\nContent-Length: 5\nContent-Length: 3\n\nshort"), 400 },
  { "SIP version 7.0",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/7.0\n" VIA FROM TO CALL_ID
    "CSeq: 1 OPTIONS\n" MAX_FORWARDS NO_BODY, 505 },
  { "CSeq beyond 2^32",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM TO CALL_ID
    "CSeq: 36893488147419103232 OPTIONS\n" MAX_FORWARDS NO_BODY, 400 },
  { "CSeq method not the request's",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM TO CALL_ID
    "CSeq: 1 INVITE\n" MAX_FORWARDS NO_BODY, 400 },
  { "NUL byte in a display name",
    "OPTIONS sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA
    "From: \"Tor[nul]ture\" <sip:torture@127.0.0.1:[local_port]>;tag=[tag]\n" TO CALL_ID
    "CSeq: 1 OPTIONS\n" MAX_FORWARDS NO_BODY, 400 },
  { "empty datagram", "", 0 },
  { "no SIP at all", "\x01\x02\x03\x04 hello\n\n", 0 },
};

static char *
big_garbage_case (void)
{
  char *text = g_malloc (65001);

  for (guint i = 0; i < 65000; i++)
    text[i] = 0x80 + i % 0x7f;
  text[65000] = '\0';
  return text;
}

START_TEST (test_malformed)
{
  g_autofree char *garbage = big_garbage_case ();
  Case built[] = { { "64 KiB of garbage", garbage, 0 } };

  run_cases (malformed_cases, G_N_ELEMENTS (malformed_cases));
  run_cases (built, G_N_ELEMENTS (built));
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
  assert_real_call ();
}
END_TEST

/* Requests of a dialog that does not exist */
#define IN_DIALOG(method, headers) \
  method " sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM \
  "To: <sip:alice@127.0.0.1:[peer_port]>;tag=nosuchdialog\n" CALL_ID \
  "CSeq: 2 " method "\n" CONTACT MAX_FORWARDS headers

static const Case out_of_dialog_cases[] = {
  { "BYE", IN_DIALOG ("BYE", NO_BODY), 481 },
  { "CANCEL", REQUEST ("CANCEL", NO_BODY), 481 },
  { "ACK", IN_DIALOG ("ACK", NO_BODY), 0 },
  { "REFER", IN_DIALOG ("REFER", "Refer-To: <sip:bob@127.0.0.1:9>\n" NO_BODY), 481 },
  { "REFER outside any dialog", REQUEST ("REFER", "Refer-To: <sip:bob@127.0.0.1:9>\n" NO_BODY), 481 },
  { "NOTIFY", IN_DIALOG ("NOTIFY", "Event: refer\nSubscription-State: active\n"
                         "Content-Type: message/sipfrag\nContent-Length: [len]\n\n"
                         "SIP/2.0 200 OK\n"), 481 },
  { "INFO", IN_DIALOG ("INFO", "Content-Type: application/dtmf-relay\nContent-Length: [len]\n\n"
                       "Signal=5\nDuration=160\n"), 481 },
  { "INFO outside any dialog",
    REQUEST ("INFO", "Content-Type: application/dtmf\nContent-Length: [len]\n\n5"), 481 },
  { "INVITE with an unknown To-tag",
    IN_DIALOG ("INVITE", SDP_BODY ("c=IN IP4 127.0.0.1\nm=audio 9 RTP/AVP 0\n")), 481 },
};

START_TEST (test_out_of_dialog)
{
  run_cases (out_of_dialog_cases, G_N_ELEMENTS (out_of_dialog_cases));
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
  assert_real_call ();
}
END_TEST

#define AUDIO "c=IN IP4 127.0.0.1\nm=audio 9 RTP/AVP 0\n"

static const Case invite_cases[] = {
  { "Replaces of no dialog",
    REQUEST ("INVITE", "Replaces: nosuchcall@127.0.0.1;to-tag=a;from-tag=b\n" SDP_BODY (AUDIO)), 481 },
  { "garbage Replaces",
    REQUEST ("INVITE", "Replaces: ;;;@@@\n" SDP_BODY (AUDIO)), 400 },
  /* sofia-sip keeps a repeated single-valued header with the erroneous
   * ones, though it is no error header. */
  { "a second Max-Forwards before a garbage Replaces",
    REQUEST ("INVITE", MAX_FORWARDS "Replaces: ;;;@@@\n" SDP_BODY (AUDIO)), 400 },
  { "Require of an unknown extension",
    REQUEST ("INVITE", "Require: nosuchextension, 100rel\n" SDP_BODY (AUDIO)), 420 },
  { "a body of the wrong type",
    REQUEST ("INVITE", "Content-Type: application/x-nothing\nContent-Length: [len]\n\n\xff\xfe[nul]\x80"), 415 },
};


/* Calls by raw INVITE */

#define PCMU "m=audio [rtp_port] RTP/AVP 0\n"
#define LOCAL "c=IN IP4 127.0.0.1\n"

typedef struct
{
  GSocket *sip;
  GSocket *rtp;
  char    *call_id;
  char    *tag;
  char    *branch;        /* of the INVITE */
  char    *to;            /* the To of the answer, with its tag */
  char    *answer;
  guint    our_rtp_port;  /* from the answer's SDP */
} RawCall;

static void
raw_call_clear (RawCall *call)
{
  g_clear_object (&call->sip);
  g_clear_object (&call->rtp);
  g_clear_pointer (&call->call_id, g_free);
  g_clear_pointer (&call->tag, g_free);
  g_clear_pointer (&call->branch, g_free);
  g_clear_pointer (&call->to, g_free);
  g_clear_pointer (&call->answer, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RawCall, raw_call_clear)

/* Sends a message of the dialog of @call. */
static void
raw_call_send (RawCall    *call,
               const char *template)
{
  g_autoptr(GString) text = g_string_new (template);
  g_autofree char *rtp_port =
    g_strdup_printf ("%u", tapi_sip_raw_local_port (call->rtp));
  g_autofree char *datagram = NULL;
  gsize len;

  g_string_replace (text, "[call_id]", call->call_id, 0);
  g_string_replace (text, "[tag]", call->tag, 0);
  g_string_replace (text, "[invite_branch]", call->branch, 0);
  g_string_replace (text, "[rtp_port]", rtp_port, 0);
  if (call->to)
    g_string_replace (text, "[to]", call->to, 0);
  datagram = tapi_sip_raw_expand (text->str, call->sip, our_port, &len);
  tapi_sip_raw_send (call->sip, our_port, datagram, len);
}

/* Sends @invite, a template with [rtp_port] (of @call's RTP socket),
 * and returns the status of the final answer. */
static guint
raw_call_send_invite (RawCall    *call,
                      const char *invite)
{
  g_autoptr(GString) text = g_string_new (invite);
  const char *m;

  call->branch = g_strdup_printf ("z9hG4bK%08x%08x", g_random_int (),
                                  g_random_int ());
  g_string_replace (text, "[branch]", "[invite_branch]", 1);
  call->sip = tapi_sip_raw_socket_new ();
  call->rtp = tapi_sip_raw_socket_new ();
  call->call_id = g_uuid_string_random ();
  call->tag = g_strdup_printf ("%08x", g_random_int ());
  raw_call_send (call, text->str);
  call->answer = tapi_sip_raw_final_response (call->sip,
                                              TAPI_SIP_TEST_TIMEOUT_MS);
  ck_assert_msg (call->answer != NULL, "No answer to the INVITE");
  call->to = tapi_sip_raw_header (call->answer, "To");
  if (tapi_sip_raw_status (call->answer) == 200 &&
      (m = strstr (call->answer, "\r\nm=audio ")) != NULL)
    call->our_rtp_port = strtoul (m + 10, NULL, 10);
  return tapi_sip_raw_status (call->answer);
}

/* Sends an INVITE with @sdp, see raw_call_send_invite(). */
static guint
raw_call_invite (RawCall    *call,
                 const char *sdp)
{
  g_autofree char *invite = g_strconcat (REQUEST ("INVITE", SDP_BODY ("")), sdp,
                                         NULL);

  return raw_call_send_invite (call, invite);
}

#define DIALOG(method, cseq) \
  method " sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM "To: [to]\n" CALL_ID \
  "CSeq: " cseq " " method "\n" CONTACT MAX_FORWARDS NO_BODY

static void
raw_call_ack (RawCall *call)
{
  raw_call_send (call, DIALOG ("ACK", "1"));
}

/* The ACK of a refusal: of the INVITE's transaction */
static void
raw_call_ack_refusal (RawCall *call)
{
  raw_call_send (call,
                 "ACK sip:alice@127.0.0.1:[peer_port] SIP/2.0\n"
                 "Via: SIP/2.0/UDP 127.0.0.1:[local_port];branch=[invite_branch]\n"
                 FROM "To: [to]\n" CALL_ID "CSeq: 1 ACK\n" MAX_FORWARDS NO_BODY);
}

/* Hangs up with CSeq @cseq and waits for the 200 to the BYE. */
static void
raw_call_bye_cseq (RawCall    *call,
                   const char *cseq)
{
  g_autofree char *response = NULL;
  g_autoptr(GString) bye = g_string_new (DIALOG ("BYE", "[cseq]"));

  g_string_replace (bye, "[cseq]", cseq, 0);
  raw_call_send (call, bye->str);
  response = tapi_sip_raw_final_response (call->sip, TAPI_SIP_TEST_TIMEOUT_MS);
  ck_assert_msg (tapi_sip_raw_status (response) == 200, "The BYE got %s",
                 response);
}

static void
raw_call_bye (RawCall *call)
{
  raw_call_bye_cseq (call, "2");
}

/* Sends RTP (PCMU) to @call's peer until @call's render stream is
 * active, and waits for RTP from it. */
static void
assert_media_flows (RawCall  *call,
                    TapiCall *tapi_call)
{
  TapiStream *render = tapi_test_stream (tapi_call,
                                         TAPI_TERMINAL_DIRECTION_RENDER);
  gint64 deadline = g_get_monotonic_time () +
                    TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  g_autofree char *rtp = NULL;
  guint8 packet[12 + 160];
  guint16 sequence = 1;
  gsize len = 0;

  ck_assert_msg (call->our_rtp_port != 0, "The answer has no audio port:\n%s",
                 call->answer);
  memset (packet, 0xff, sizeof packet);
  while (tapi_test_find_media_event (tapi_call, render,
                                     TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                     TAPI_TEST_ANY_CAUSE, 0) == NULL)
    {
      ck_assert_msg (g_get_monotonic_time () < deadline,
                     "The render stream did not start from our RTP");
      packet[0] = 0x80;
      packet[1] = 0;
      packet[2] = sequence >> 8;
      packet[3] = sequence & 0xff;
      *(guint32 *) (packet + 4) = g_htonl (sequence * 160);
      *(guint32 *) (packet + 8) = g_htonl (0x1234);
      sequence++;
      tapi_sip_raw_send (call->rtp, call->our_rtp_port, packet, sizeof packet);
      tapi_test_spin (20);
    }

  /* And ours to the address the offer gave */
  do
    {
      g_clear_pointer (&rtp, g_free);
      rtp = tapi_sip_raw_receive (call->rtp, TAPI_SIP_TEST_TIMEOUT_MS, &len);
      ck_assert_msg (rtp != NULL, "No RTP came to the offer's address");
    }
  while (len < 12 || (guint8) rtp[0] >> 6 != 2);
}

/* A call whose caller has a display name of bytes that are no UTF-8 and
 * an SDP body with more of them: offered with a valid UTF-8 name. INFO
 * in the call works. */
static void
assert_non_utf8_call (void)
{
  g_auto(RawCall) call = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *response = NULL;
  TapiCall *tapi_call;
  const char *name;
  GString *digits;

  ck_assert_uint_eq (raw_call_send_invite (&call,
    "INVITE sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA
    "From: \"Tor\xff\xfe\x80ture\" <sip:torture@127.0.0.1:[local_port]>;tag=[tag]\n"
    TO CALL_ID "CSeq: 1 INVITE\n" CONTACT MAX_FORWARDS
    SDP_BODY ("i=\xc3\x28\xa0\xa1\n" LOCAL PCMU)), 200);
  raw_call_ack (&call);
  tapi_call = tapi_test_next_notification (app, NULL);
  name = tapi_call_get_caller_id_name (tapi_call);
  ck_assert_msg (name != NULL && g_utf8_validate (name, -1, NULL) &&
                   g_str_has_prefix (name, "Tor") &&
                   g_str_has_suffix (name, "ture"),
                 "The caller's name is \"%s\"", name);
  tapi_sip_test_wait_for_state (tapi_call, TAPI_CALL_STATE_CONNECTED);

  /* An INFO in the call is answered, and its digit detected */
  digits = tapi_test_watch_digits (tapi_call);
  ck_assert (tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (tapi_call),
                                                    TAPI_DIGIT_MODE_DTMF, &error));
  tapi_test_assert_no_error (&error);
  raw_call_send (&call,
                 "INFO sip:alice@127.0.0.1:[peer_port] SIP/2.0\n" VIA FROM "To: [to]\n" CALL_ID
                 "CSeq: 2 INFO\n" CONTACT MAX_FORWARDS
                 "Content-Type: application/dtmf-relay\nContent-Length: [len]\n\n"
                 "Signal=5\nDuration=160\n");
  response = tapi_sip_raw_final_response (call.sip, TAPI_SIP_TEST_TIMEOUT_MS);
  ck_assert_msg (tapi_sip_raw_status (response) == 200, "The INFO got %s",
                 response);
  tapi_sip_test_wait_for (digits->len >= 1);
  ck_assert_str_eq (digits->str, "5");

  raw_call_bye_cseq (&call, "3");
  tapi_sip_test_wait_for_state (tapi_call, TAPI_CALL_STATE_DISCONNECTED);
}

START_TEST (test_invite)
{
  run_cases (invite_cases, G_N_ELEMENTS (invite_cases));
  ck_assert_uint_eq (tapi_test_notification_count (app), 0);
  assert_non_utf8_call ();
  assert_real_call ();
}
END_TEST

/* SDP offers */

typedef struct
{
  const char *name;
  const char *sdp;        /* the media part; [rtp_port] is the caller's */
  guint       status;     /* 200: a call with media, else no call */
} SdpCase;


static const SdpCase sdp_cases[] = {
  { "no c=", PCMU, 488 },
  { "c=IN IP6 on an IPv4 account", "c=IN IP6 ::1\n" PCMU, 488 },
  { "c=IN IP4 with an IPv6 address", "c=IN IP4 ::1\n" PCMU, 488 },
  { "unparseable address", "c=IN IP4 300.1.2.3\n" PCMU, 488 },
  { "host name for an address", "c=IN IP4 localhost.invalid\n" PCMU, 488 },
  { "port 0", LOCAL "m=audio 0 RTP/AVP 0\n", 488 },
  { "port 99999", LOCAL "m=audio 99999 RTP/AVP 0\n", 488 },
  { "payload types above 127 only", LOCAL "m=audio [rtp_port] RTP/AVP 128 255 1000\n"
    "a=rtpmap:128 PCMU/8000\n", 488 },
  { "RTP/SAVP with garbage crypto", LOCAL "m=audio [rtp_port] RTP/SAVP 0\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!garbage!!!\n", 488 },
  { "video only", LOCAL "m=video [rtp_port] RTP/AVP 96\na=rtpmap:96 H264/90000\n", 488 },
  { "conflicting directions", LOCAL PCMU "a=sendonly\na=recvonly\n", 488 },
  { "a=rtcp beyond 65535", LOCAL PCMU "a=rtcp:70000\n", 488 },
  { "a=rtcp of port 0", LOCAL PCMU "a=rtcp:0\n", 488 },
  /* RFC 4566 text excludes NUL: no SDP */
  { "NUL byte in the body", "i=a[nul]b\n" LOCAL PCMU, 488 },
  { "payload types above 127 and PCMU", LOCAL "m=audio [rtp_port] RTP/AVP 200 0\n", 200 },
  { "video first, then audio", LOCAL "m=video 9 RTP/AVP 96\na=rtpmap:96 H264/90000\n" PCMU, 200 },
  { "a=rtcp in range", LOCAL PCMU "a=rtcp:9\n", 200 },
  { "non-UTF-8 session name", "s=\xff\xfe\x80\n" LOCAL PCMU, 200 },
};

/* Offers with thousands of payload types or 200 m= lines */
static char *
many_payload_types_sdp (void)
{
  g_autoptr(GString) text = g_string_new (LOCAL "m=audio [rtp_port] RTP/AVP");
  g_autoptr(GString) maps = g_string_new (NULL);

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, " %u", 96 + i % 32);
  g_string_append (text, " 0\n");
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (maps, "a=rtpmap:%u X-%u/8000\n", 96 + i % 32, i);
  g_string_append (text, maps->str);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
many_media_sdp (void)
{
  g_autoptr(GString) text = g_string_new (LOCAL PCMU);

  for (guint i = 0; i < 199; i++)
    g_string_append_printf (text,
                            "m=video %u RTP/AVP 96\na=rtpmap:96 H264/90000\n",
                            20000 + 2 * i);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The lines of @text starting with @prefix */
static guint
count_lines (const char *text,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i]; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

/* The index of the first m= line of @sdp with an audio stream taken */
static int
audio_index (const char *sdp)
{
  g_auto(GStrv) lines = g_strsplit (sdp, "\n", -1);
  int index = -1;

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "m="))
      {
        index++;
        if (g_str_has_prefix (lines[i], "m=audio ") &&
            !g_str_has_prefix (lines[i], "m=audio 0 "))
          return index;
      }
  return -1;
}

static void
run_sdp_case (const SdpCase *c)
{
  g_auto(RawCall) call = { 0 };
  guint before = tapi_test_notification_count (app);
  guint status = raw_call_invite (&call, c->sdp);
  TapiCall *tapi_call;

  ck_assert_msg (status == c->status, "%s: answered %u, expected %u:\n%s", c->name,
                 status, c->status, call.answer);
  if (status != 200)
    {
      ck_assert_msg (tapi_test_notification_count (app) == before,
                     "%s: offered as a call", c->name);
      /* ACK the refusal, or it is sent again for seconds */
      raw_call_ack_refusal (&call);
      return;
    }

  /* RFC 3264 6: one m= line for each of the offer, in its order */
  ck_assert_msg (count_lines (call.answer, "m=") == count_lines (c->sdp, "m="),
                 "%s: the answer's m= lines are not the offer's:\n%s", c->name,
                 call.answer);
  ck_assert_msg (audio_index (call.answer) == audio_index (c->sdp),
                 "%s: the answer's audio is not where the offer's was:\n%s",
                 c->name, call.answer);

  raw_call_ack (&call);
  tapi_call = tapi_test_next_notification (app, NULL);
  tapi_sip_test_wait_for_state (tapi_call, TAPI_CALL_STATE_CONNECTED);
  tapi_test_watch_media (tapi_call);
  tapi_sip_test_select_tone (app, "alice", tapi_call, 1000.0);
  g_free (tapi_sip_test_select_recorder (app, "alice", tapi_call, "sdp.wav"));
  assert_media_flows (&call, tapi_call);
  raw_call_bye (&call);
  tapi_sip_test_wait_for_state (tapi_call, TAPI_CALL_STATE_DISCONNECTED);
}

START_TEST (test_sdp)
{
  g_autofree char *many_types = many_payload_types_sdp ();
  g_autofree char *many_media = many_media_sdp ();
  SdpCase built[] = {
    { "3000 payload types", many_types, 200 },
    { "200 m= lines", many_media, 200 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sdp_cases); i++)
    run_sdp_case (&sdp_cases[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (built); i++)
    run_sdp_case (&built[i]);
  assert_real_call ();
}
END_TEST

/* A call answered whose ACK never comes ends after 64*T1 with our BYE. */
START_TEST (test_no_ack)
{
  g_auto(RawCall) call = { 0 };
  TapiCall *tapi_call;
  gint64 deadline;
  g_autofree char *bye = NULL;
  g_autofree char *bye_call_id = NULL;

  ck_assert_uint_eq (raw_call_invite (&call, LOCAL PCMU), 200);
  tapi_call = tapi_test_next_notification (app, NULL);
  tapi_sip_test_wait_for_state (tapi_call, TAPI_CALL_STATE_CONNECTED);

  /* The 200 comes again until 64*T1 (32 s); then a BYE */
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (bye == NULL)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) /
                    G_TIME_SPAN_MILLISECOND;
      char *message;

      ck_assert_msg (left > 0, "No BYE within 60 s of an answer never ACKed");
      message = tapi_sip_raw_receive (call.sip, left, NULL);
      ck_assert_msg (message != NULL,
                     "No BYE within 60 s of an answer never ACKed");
      if (g_str_has_prefix (message, "BYE "))
        bye = message;
      else
        {
          ck_assert_msg (tapi_sip_raw_status (message) == 200,
                         "Not a 200 again:\n%s", message);
          g_free (message);
        }
    }
  bye_call_id = tapi_sip_raw_header (bye, "Call-ID");
  ck_assert_msg (g_strcmp0 (bye_call_id, call.call_id) == 0,
                 "A BYE of another call:\n%s", bye);
  tapi_sip_test_wait_for_state (tapi_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (tapi_call, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
  assert_real_call ();
}
END_TEST

static Suite *
sip_torture_suite (void)
{
  Suite *suite = suite_create ("sip-torture");
  TCase *tcase;

  tcase = tcase_create ("messages");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 60);
  tcase_add_test (tcase, test_odd);
  tcase_add_test (tcase, test_malformed);
  tcase_add_test (tcase, test_out_of_dialog);
  tcase_add_test (tcase, test_invite);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("sdp");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 90);
  tcase_add_test (tcase, test_sdp);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("no-ack");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 90);
  tcase_add_test (tcase, test_no_ack);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_torture_suite ());
}
