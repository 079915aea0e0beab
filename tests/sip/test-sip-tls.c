/* test-sip-tls.c: SIP over TLS through Kamailio
 *
 * Kamailio, with its tls module, is the registrar and proxy of two
 * accounts with transport=tls, alice and bob. The test makes its own
 * certificate authority with openssl: Kamailio's certificate and the
 * accounts' own (bob's listener needs one: Kamailio opens a connection
 * to it for each INVITE) are issued by it, for 127.0.0.1. A second
 * authority issues nothing anyone uses: an account that trusts only that
 * one must not get through.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "tapi-sip-test.h"
#include "tapi-test-audio.h"

static TapiTapi *alice;
static TapiTapi *bob;
static TapiSipTestPeer *kamailio;
static guint kamailio_port;
static guint tls_port;

static void
setup (void)
{
  tapi_sip_test_setup ();
}

static void
teardown (void)
{
  tapi_sip_test_teardown ();
  alice = bob = NULL;
  kamailio = NULL;
  kamailio_port = tls_port = 0;
}

/* A TCP port of 127.0.0.1 that nobody uses */
static guint
free_tcp_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  tapi_test_assert_no_error (&error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Runs openssl with @args in the test's directory. */
static void
openssl (const char *args)
{
  g_autofree char *dir = tapi_sip_test_path (".");
  g_autofree char *command = g_strdup_printf ("openssl %s", args);
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  ck_assert (g_shell_parse_argv (command, NULL, &argv, NULL));
  ck_assert_msg (g_spawn_sync (dir, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error),
                 "openssl cannot run: %s", error ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, NULL),
                 "%s failed:\n%s%s", command, out, err);
}

/* Makes the authority @ca (@ca.pem, @ca.key). */
static void
make_authority (const char *ca)
{
  g_autofree char *args = NULL;

  args = g_strdup_printf ("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                          "-nodes -days 2 -subj '/CN=libtapi3 test %s' "
                          "-keyout %s.key -out %s.pem", ca, ca, ca);
  openssl (args);
}

/* Makes a certificate for 127.0.0.1 issued by @ca: @name.crt and
 * @name.key, and @name.pem with both (what an account's tls-certificate
 * takes). */
static void
make_certificate (const char *ca,
                  const char *name)
{
  g_autofree char *ext = tapi_sip_test_path ("san.ext");
  g_autofree char *request = NULL;
  g_autofree char *sign = NULL;
  g_autofree char *base = tapi_sip_test_path (name);
  g_autofree char *crt_path = g_strdup_printf ("%s.crt", base);
  g_autofree char *key_path = g_strdup_printf ("%s.key", base);
  g_autofree char *pem_path = g_strdup_printf ("%s.pem", base);
  g_autofree char *crt = NULL;
  g_autofree char *key = NULL;
  g_autofree char *pem = NULL;

  ck_assert (g_file_set_contents (ext, "subjectAltName=IP:127.0.0.1\n", -1, NULL));
  request = g_strdup_printf ("req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                             "-nodes -subj /CN=127.0.0.1 -keyout %s.key -out %s.csr",
                             name, name);
  openssl (request);
  sign = g_strdup_printf ("x509 -req -in %s.csr -CA %s.pem -CAkey %s.key "
                          "-CAcreateserial -days 2 -extfile san.ext -out %s.crt",
                          name, ca, ca, name);
  openssl (sign);

  ck_assert (g_file_get_contents (crt_path, &crt, NULL, NULL));
  ck_assert (g_file_get_contents (key_path, &key, NULL, NULL));
  pem = g_strconcat (crt, key, NULL);
  ck_assert (g_file_set_contents (pem_path, pem, -1, NULL));
}

/* Kamailio on UDP and TLS with its certificate from the test authority */
static void
start_kamailio (void)
{
  g_autofree char *config_path = tapi_sip_test_path ("tls.cfg");
  g_autofree char *key = tapi_sip_test_path ("kamailio.key");
  g_autofree char *crt = tapi_sip_test_path ("kamailio.crt");
  g_autofree char *config = NULL;

  make_authority ("ca");
  make_authority ("other-ca");
  make_certificate ("ca", "kamailio");
  make_certificate ("ca", "alice");
  make_certificate ("ca", "bob");

  /* Kamailio checks no certificate: the accounts' checks are tested */
  config = g_strdup_printf ("[server:default]\n"
                            "method = TLSv1.2+\n"
                            "verify_certificate = no\n"
                            "require_certificate = no\n"
                            "private_key = %s\n"
                            "certificate = %s\n"
                            "\n"
                            "[client:default]\n"
                            "method = TLSv1.2+\n"
                            "verify_certificate = no\n"
                            "require_certificate = no\n",
                            key, crt);
  ck_assert (g_file_set_contents (config_path, config, -1, NULL));

  kamailio_port = tapi_sip_test_free_port ();
  tls_port = free_tcp_port ();
  kamailio = tapi_sip_test_kamailio_tls (kamailio_port, tls_port, config_path);
}

/* The account @name over TLS to Kamailio, trusting @ca; @extra is more
 * of its keys. */
static char *
tls_account (const char *name,
             const char *ca,
             const char *extra)
{
  g_autofree char *ca_path = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *ca_file = g_strdup_printf ("%s.pem", ca);
  g_autofree char *pem = g_strdup_printf ("%s.pem", name);

  ca_path = tapi_sip_test_path (ca_file);
  certificate = tapi_sip_test_path (pem);
  return g_strdup_printf ("[account:%s]\n"
                          "uri=sip:%s@127.0.0.1:%u\n"
                          "bind=sip:127.0.0.1:0\n"
                          "registrar=sip:127.0.0.1:%u;transport=tls\n"
                          "proxy=sip:127.0.0.1:%u;transport=tls\n"
                          "transport=tls\n"
                          "tls-ca-file=%s\n"
                          "tls-certificate=%s\n"
                          "codecs=PCMU\n"
                          "%s\n",
                          name, name, kamailio_port, tls_port, tls_port,
                          ca_path, certificate, extra ? extra : "");
}

/* Starts an application on the account @name, registered as its owner. */
static TapiTapi *
start_app (const char *app_name,
           const char *name)
{
  TapiTapi *app = tapi_test_app_new (app_name);

  tapi_test_register (app, name, FALSE, TRUE, TAPI_MEDIA_TYPE_AUDIO);
  return app;
}

/* Nothing of @user reached Kamailio */
static void
assert_no_register (const char *user)
{
  g_autofree char *log_path = tapi_sip_test_path ("kamailio.log");
  g_autofree char *log = NULL;
  g_autofree char *line = g_strdup_printf ("REGISTER from %s", user);

  ck_assert (g_file_get_contents (log_path, &log, NULL, NULL));
  ck_assert_msg (strstr (log, line) == NULL,
                 "A REGISTER of %s reached Kamailio over a connection it should have refused",
                 user);
}

/* Both accounts register over TLS, and a call from alice to bob goes
 * through Kamailio over TLS with its media. */
START_TEST (test_register_and_call)
{
  g_autofree char *alice_account = NULL;
  g_autofree char *bob_account = NULL;
  g_autofree char *config = NULL;
  g_autofree char *bob_aor = NULL;
  g_autofree char *recording = NULL;
  g_autoptr(TapiCall) call = NULL;
  g_autoptr(GError) error = NULL;
  TapiCallNotificationEvent event;
  TapiTestAsync *connecting;
  TapiCall *bob_call;

  start_kamailio ();
  alice_account = tls_account ("alice", "ca", NULL);
  bob_account = tls_account ("bob", "ca", NULL);
  config = g_strconcat (alice_account, bob_account, NULL);
  tapi_sip_test_set_config (config);
  alice = start_app (TAPI_TEST_APP_A, "alice");
  bob = start_app (TAPI_TEST_APP_B, "bob");
  tapi_sip_test_wait_address_state (tapi_test_address (alice, "alice"),
                                    TAPI_ADDRESS_STATE_IN_SERVICE);
  tapi_sip_test_wait_address_state (tapi_test_address (bob, "bob"),
                                    TAPI_ADDRESS_STATE_IN_SERVICE);
  /* Kamailio says how each request came */
  tapi_sip_test_peer_wait_log (kamailio, "REGISTER from alice over tls");
  tapi_sip_test_peer_wait_log (kamailio, "REGISTER from bob over tls");

  bob_aor = g_strdup_printf ("sip:bob@127.0.0.1:%u", kamailio_port);
  call = tapi_sip_test_create_call (alice, "alice", bob_aor);
  connecting = tapi_test_start (call, connect);
  bob_call = tapi_test_next_notification (bob, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_await (bob_call, answer, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);
  tapi_sip_test_peer_wait_log (kamailio, "INVITE from alice over tls");

  tapi_test_watch_media (bob_call);
  tapi_sip_test_select_tone (alice, "alice", call, 1000.0);
  recording = tapi_sip_test_select_recorder (bob, "bob", bob_call, "bob.wav");
  tapi_sip_test_wait_media_event (bob_call,
                                  tapi_test_stream (bob_call, TAPI_TERMINAL_DIRECTION_RENDER),
                                  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
                                  TAPI_TEST_ANY_CAUSE, 0);
  tapi_test_spin (1500);
  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_sip_test_wait_for_state (bob_call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (bob_call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  tapi_sip_test_peer_wait_log (kamailio, "BYE from alice over tls");
  tapi_sip_test_assert_tone (recording, 1000.0, 0);
}
END_TEST

/* alice trusts another authority than the one of Kamailio's certificate:
 * the connection fails, nothing reaches Kamailio and the account stays
 * out of service; with tls-verify=false it gets through. */
START_TEST (test_untrusted_certificate)
{
  g_autofree char *account = NULL;
  TapiAddress *address;

  start_kamailio ();
  account = tls_account ("alice", "other-ca", NULL);
  tapi_sip_test_set_config (account);
  tapi_test_expect_message ("Tapi-SIP", G_LOG_LEVEL_WARNING,
                            "SIP: account alice does not trust the TLS certificate of 127.0.0.1:*: "
                            "its issuer is not among the authorities of tls-ca-file");
  alice = start_app (TAPI_TEST_APP_A, "alice");
  address = tapi_test_address (alice, "alice");
  /* At once, not after the 32 s of an unanswered REGISTER */
  tapi_test_wait_for (tapi_test_expected_messages_seen ());
  ck_assert_int_eq (tapi_address_get_state (address),
                    TAPI_ADDRESS_STATE_OUT_OF_SERVICE);
  assert_no_register ("alice");
}
END_TEST

START_TEST (test_verification_off)
{
  g_autofree char *account = NULL;

  start_kamailio ();
  account = tls_account ("alice", "other-ca", "tls-verify=false\n");
  tapi_sip_test_set_config (account);
  alice = start_app (TAPI_TEST_APP_A, "alice");
  tapi_sip_test_wait_address_state (tapi_test_address (alice, "alice"),
                                    TAPI_ADDRESS_STATE_IN_SERVICE);
  tapi_sip_test_peer_wait_log (kamailio, "REGISTER from alice over tls");
}
END_TEST

/* The registrar is named localhost, which Kamailio's certificate does
 * not name: refused, with that reason. */
START_TEST (test_wrong_host)
{
  g_autofree char *account = NULL;
  g_autofree char *wrong_host = NULL;

  start_kamailio ();
  account = tls_account ("alice", "ca", NULL);
  wrong_host = g_strdup_printf ("registrar=sip:localhost:%u;transport=tls", tls_port);
  {
    g_autofree char *right = g_strdup_printf ("registrar=sip:127.0.0.1:%u;transport=tls", tls_port);
    g_autofree char *proxy = g_strdup_printf ("proxy=sip:127.0.0.1:%u;transport=tls\n", tls_port);
    g_autoptr(GString) edited = g_string_new (account);

    g_string_replace (edited, right, wrong_host, 1);
    g_string_replace (edited, proxy, "", 1);
    g_free (account);
    account = g_string_free (g_steal_pointer (&edited), FALSE);
  }
  ck_assert (strstr (account, wrong_host) != NULL);
  tapi_sip_test_set_config (account);
  tapi_test_expect_message ("Tapi-SIP", G_LOG_LEVEL_WARNING,
                            "SIP: account alice does not trust the TLS certificate of localhost:*: "
                            "it is made out to another host");
  alice = start_app (TAPI_TEST_APP_A, "alice");
  tapi_test_wait_for (tapi_test_expected_messages_seen ());
  ck_assert_int_eq (tapi_address_get_state (tapi_test_address (alice, "alice")),
                    TAPI_ADDRESS_STATE_OUT_OF_SERVICE);
  assert_no_register ("alice");
}
END_TEST

/* TLS keys on an account without TLS, and files that are not there: the
 * account is left out with a warning that says so; the others work. */
START_TEST (test_configuration_errors)
{
  g_autofree char *missing = tapi_sip_test_path ("missing.pem");
  g_autofree char *garbage = tapi_sip_test_path ("garbage.pem");
  g_autofree char *config = NULL;
  GListModel *addresses;
  g_autoptr(TapiAddress) address = NULL;

  config = g_strdup_printf ("[account:plain]\n"
                            "uri=sip:plain@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:0\n"
                            "tls-verify=false\n"
                            "\n"
                            "[account:nofile]\n"
                            "uri=sip:nofile@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:0\n"
                            "transport=tls\n"
                            "tls-ca-file=%s\n"
                            "\n"
                            "[account:garbage]\n"
                            "uri=sip:garbage@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:0\n"
                            "transport=tls\n"
                            "tls-ca-file=%s\n"
                            "\n"
                            "[account:good]\n"
                            "uri=sip:good@127.0.0.1:%u\n"
                            "bind=sip:127.0.0.1:0\n"
                            "transport=tls\n"
                            "tls-verify=false\n",
                            tapi_sip_test_free_port (), tapi_sip_test_free_port (),
                            missing, tapi_sip_test_free_port (), garbage,
                            tapi_sip_test_free_port ());
  ck_assert (g_file_set_contents (garbage, "This is no certificate.\n", -1, NULL));
  tapi_sip_test_set_config (config);
  tapi_test_expect_message ("Tapi-SIP", G_LOG_LEVEL_WARNING,
                            "*[account:garbage] tls-ca-file=*garbage.pem holds no certificate "
                            "authorities: *; the account is left out");
  tapi_test_expect_message ("Tapi-SIP", G_LOG_LEVEL_WARNING,
                            "*[account:plain] tls-verify needs transport=tls; the account is left out");
  tapi_test_expect_message ("Tapi-SIP", G_LOG_LEVEL_WARNING,
                            "*[account:nofile] tls-ca-file=*missing.pem cannot be read: "
                            "No such file or directory; the account is left out");
  alice = tapi_test_app_new (TAPI_TEST_APP_A);
  addresses = tapi_tapi_get_addresses (alice);
  for (guint i = 0; i < g_list_model_get_n_items (addresses); i++)
    {
      g_autoptr(TapiAddress) item = g_list_model_get_item (addresses, i);

      ck_assert_str_ne (tapi_address_get_name (item), "plain");
      ck_assert_str_ne (tapi_address_get_name (item), "nofile");
      ck_assert_str_ne (tapi_address_get_name (item), "garbage");
      if (g_str_equal (tapi_address_get_name (item), "good"))
        address = g_object_ref (item);
    }
  ck_assert_msg (address != NULL, "the account with good TLS keys is missing");
  ck_assert_int_eq (tapi_address_get_state (address), TAPI_ADDRESS_STATE_IN_SERVICE);
}
END_TEST

static Suite *
tls_suite (void)
{
  Suite *suite = suite_create ("sip-tls");
  TCase *tc = tcase_create ("tls");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_register_and_call);
  tcase_add_test (tc, test_untrusted_certificate);
  tcase_add_test (tc, test_verification_off);
  tcase_add_test (tc, test_wrong_host);
  tcase_add_test (tc, test_configuration_errors);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (tls_suite ());
}
