/* test-sip-dispatcher.c: tapi3d brokers behind Kamailio's dispatcher
 *
 * Two tapi3d brokers, each on a private bus of its own (dbus-run-session)
 * with its own SIP account and an application ("tapi3 answer") that
 * answers every call, stand behind Kamailio, whose dispatcher spreads the
 * INVITEs over them and probes them with OPTIONS (see
 * docs/scale-out.md). sipp offers 200 calls at 50 calls/s through
 * Kamailio; one broker is killed half-way. What each call went through
 * is read from the logs of sipp (one outcome line per call), Kamailio
 * (where it sent each INVITE, when the broker went down) and the two
 * applications (the calls they answered).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tapi-sip-raw.h"
#include "tapi-sip-test.h"

#define N_CALLS 200
#define CALL_RATE "50"
/* Calls the broker that dies answers before it dies */
#define ANSWERED_BEFORE_KILL 5
/* Calls sipp keeps for after the dead broker is out of rotation */
#define HELD_BACK 40

static void
setup (void)
{
  tapi_sip_test_setup ();
}

static void
teardown (void)
{
  tapi_sip_test_teardown ();
}

/* The account's answer to the OPTIONS a dispatcher probes it with: to its
 * contact's host and port, without a user. */
START_TEST (test_options_probe)
{
  g_autoptr(GSocket) sock = tapi_sip_raw_socket_new ();
  g_autofree char *datagram = NULL;
  g_autofree char *response = NULL;
  g_autofree char *allow = NULL;
  guint port;
  gsize len;

  tapi_sip_test_start_direct ("svc", NULL, &port);
  datagram = tapi_sip_raw_expand ("OPTIONS sip:127.0.0.1:[peer_port] SIP/2.0\n"
                                  "Via: SIP/2.0/UDP 127.0.0.1:[local_port]"
                                  ";branch=[branch]\n"
                                  "From: <sip:dispatcher@127.0.0.1>;tag=[tag]\n"
                                  "To: <sip:127.0.0.1:[peer_port]>\n"
                                  "Call-ID: [call_id]\n"
                                  "CSeq: 10 OPTIONS\n"
                                  "Max-Forwards: 70\n"
                                  "Content-Length: 0\n\n",
                                  sock, port, &len);
  tapi_sip_raw_send (sock, port, datagram, len);
  response = tapi_sip_raw_final_response (sock, TAPI_SIP_TEST_TIMEOUT_MS);
  ck_assert_msg (response != NULL, "no answer to OPTIONS");
  ck_assert_uint_eq (tapi_sip_raw_status (response), 200);
  allow = tapi_sip_raw_header (response, "Allow");
  ck_assert_msg (allow != NULL && strstr (allow, "INVITE") != NULL,
                 "the answer to OPTIONS allows \"%s\"", allow);
}
END_TEST

/* A broker: tapi3d and "tapi3 answer" on a bus of their own */
typedef struct
{
  TapiSipTestPeer *peer;
  guint            port;        /* its account's SIP port */
  GPid             tapi3d;
  char            *uri;         /* its destination in the dispatcher list */
  GHashTable      *answered;    /* call numbers, from its application */
} Broker;

static void
broker_clear (Broker *broker)
{
  g_free (broker->uri);
  g_clear_pointer (&broker->answered, g_hash_table_unref);
}

static char *
read_log (const char *name)
{
  g_autofree char *path = tapi_sip_test_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  tapi_test_assert_no_error (&error);
  return contents;
}

/* Starts broker @index (1 or 2) with an account "svc" of the domain
 * @domain, and waits until its application owns the address. */
static void
start_broker (Broker     *broker,
              guint       index,
              const char *domain)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *name = g_strdup_printf ("broker%u", index);
  g_autofree char *conf_name = g_strdup_printf ("sip%u.conf", index);
  g_autofree char *conf = tapi_sip_test_path (conf_name);
  g_autofree char *config_home = tapi_sip_test_path (name);
  g_autofree char *bus_conf = tapi_sip_test_path ("bus.conf");
  g_autofree char *log_name = g_strdup_printf ("%s.log", name);
  g_autofree char *log = NULL;
  g_autofree char *sip_config = NULL;
  g_autofree char *xdg_config = NULL;
  g_autofree char *bus_option = NULL;
  const char *pid_line;
  /* The application waits until tapi3d owns its name. */
  const char *script =
    "\"$1\" & echo \"tapi3d pid $!\"; "
    "gdbus wait --session --timeout 15 org.libtapi3.Broker && "
    "exec \"$2\" answer svc --application org.example.Answer";

  broker->port = tapi_sip_test_free_port ();
  broker->uri = g_strdup_printf ("sip:127.0.0.1:%u", broker->port);
  account = tapi_sip_test_account ("svc", domain, broker->port, 0, NULL, NULL);
  g_file_set_contents (conf, account, -1, &error);
  tapi_test_assert_no_error (&error);
  g_mkdir (config_home, 0700);

  sip_config = g_strdup_printf ("TAPI3_SIP_CONFIG=%s", conf);
  xdg_config = g_strdup_printf ("XDG_CONFIG_HOME=%s", config_home);
  bus_option = g_strdup_printf ("--config-file=%s", bus_conf);
  {
    const char *argv[] = {
      "/usr/bin/env", sip_config, xdg_config, "TAPI3_BROKER=session",
      DBUS_RUN_SESSION_PATH, bus_option, "--",
      "/bin/sh", "-c", script, "sh", TAPI3D_PATH, TAPI3_PATH, NULL
    };

    /* The bus and the program outlive dbus-run-session when it is
     * killed: the whole group goes. */
    broker->peer = tapi_sip_test_spawn_group (name, argv);
  }
  tapi_sip_test_peer_wait_log (broker->peer, "waiting for calls on svc");

  log = read_log (log_name);
  pid_line = strstr (log, "tapi3d pid ");
  ck_assert_msg (pid_line != NULL, "%s does not say the pid of tapi3d",
                 log_name);
  broker->tapi3d = atoi (pid_line + strlen ("tapi3d pid "));
  ck_assert_int_gt (broker->tapi3d, 0);
}

/* A bus configuration without service directories: nothing is activated. */
static void
write_bus_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tapi_sip_test_path ("bus.conf");
  g_autofree char *dir = tapi_sip_test_path ("");
  g_autofree char *contents =
    g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus "
                     "Bus Configuration 1.0//EN\"\n"
                     " \"http://www.freedesktop.org/standards/dbus/1.0/"
                     "busconfig.dtd\">\n"
                     "<busconfig>\n"
                     "  <type>session</type>\n"
                     "  <keep_umask/>\n"
                     "  <listen>unix:dir=%s</listen>\n"
                     "  <auth>EXTERNAL</auth>\n"
                     "  <policy context=\"default\">\n"
                     "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                     "    <allow eavesdrop=\"true\"/>\n"
                     "    <allow own=\"*\"/>\n"
                     "  </policy>\n"
                     "</busconfig>\n", dir);

  g_file_set_contents (path, contents, -1, &error);
  tapi_test_assert_no_error (&error);
}

/* The call number of the user part "cN" at @text, or 0 */
static guint
call_number_at (const char *text)
{
  char *end = NULL;
  guint64 number;

  if (text[0] != 'c' || !g_ascii_isdigit (text[1]))
    return 0;
  number = g_ascii_strtoull (text + 1, &end, 10);
  return number >= 1 && number <= N_CALLS ? (guint) number : 0;
}

/* Reads the calls the application of @broker answered from its lines
 * "call ID  notification …, sip:cN@… → …" and
 * "call ID  state connected". */
static void
read_answered (Broker     *broker,
               const char *log_name)
{
  g_autofree char *log = read_log (log_name);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  /* call id → N */
  g_autoptr(GHashTable) callers = g_hash_table_new (NULL, NULL);

  broker->answered = g_hash_table_new (NULL, NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *call = strstr (lines[i], "  call ");
      const char *rest;
      guint64 id;

      if (call == NULL)
        continue;
      id = g_ascii_strtoull (call + strlen ("  call "), (char **) &rest, 10);
      if (id == 0)
        continue;
      if (strstr (rest, "  notification ") != NULL)
        {
          const char *from = strstr (rest, "sip:c");
          guint number = 0;

          if (from != NULL)
            number = call_number_at (from + strlen ("sip:"));
          if (number != 0)
            g_hash_table_insert (callers, GUINT_TO_POINTER (id),
                                 GUINT_TO_POINTER (number));
        }
      else if (g_str_has_prefix (rest, "  state connected"))
        {
          gpointer number = g_hash_table_lookup (callers,
                                                 GUINT_TO_POINTER (id));

          ck_assert_msg (number != NULL, "%s: call %" G_GUINT64_FORMAT
                         " connected without a caller cN", log_name, id);
          g_hash_table_add (broker->answered, number);
        }
    }
}

typedef enum
{
  OUTCOME_NONE,
  OUTCOME_ENDED,        /* answered, hung up by the caller with 200 */
  OUTCOME_BYE_FAILED,   /* answered, the caller's BYE failed */
  OUTCOME_HUNG_UP,      /* answered, hung up by the broker */
  OUTCOME_REFUSED,      /* a failure answer to the INVITE */
  OUTCOME_LOST,         /* nothing final came */
} Outcome;

typedef struct
{
  gboolean answered;
  Outcome  outcome;
  guint    route_line;  /* of its first INVITE in Kamailio's log, 0 if none */
  char    *first;       /* the broker Kamailio sent it to first */
  gboolean to_dead;     /* Kamailio sent it to the broker that died */
} CallRecord;

/* Reads sipp's outcome lines into @calls */
static void
read_outcomes (CallRecord *calls,
               const char *log_name)
{
  g_autofree char *log = read_log (log_name);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  const struct { const char *word; Outcome outcome; } words[] = {
    { "ended", OUTCOME_ENDED },
    { "bye-failed", OUTCOME_BYE_FAILED },
    { "hung-up", OUTCOME_HUNG_UP },
    { "refused", OUTCOME_REFUSED },
    { "lost", OUTCOME_LOST },
  };

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (lines[i]), " ", 2);
      guint64 number;

      if (fields[0] == NULL || fields[1] == NULL)
        continue;
      number = g_ascii_strtoull (fields[1], NULL, 10);
      ck_assert_msg (number >= 1 && number <= N_CALLS, "sipp logged \"%s\"",
                     lines[i]);
      if (g_str_equal (fields[0], "answered"))
        {
          ck_assert_msg (!calls[number].answered,
                         "call %" G_GUINT64_FORMAT " answered twice", number);
          calls[number].answered = TRUE;
          continue;
        }
      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        if (g_str_equal (fields[0], words[w].word))
          {
            ck_assert_msg (calls[number].outcome == OUTCOME_NONE,
                           "call %" G_GUINT64_FORMAT " has two outcomes",
                           number);
            calls[number].outcome = words[w].outcome;
          }
      ck_assert_msg (calls[number].outcome != OUTCOME_NONE,
                     "sipp logged \"%s\"", lines[i]);
    }
}

/* Reads Kamailio's "dispatch:" lines into @calls; returns the line that
 * says that @dead went down, 0 if none did. */
static guint
read_routes (CallRecord *calls,
             const char *dead)
{
  g_autofree char *log = read_log ("kamailio.log");
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  g_autofree char *down = g_strdup_printf ("dispatch: down %s", dead);
  guint down_line = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *route = strstr (lines[i], "dispatch: c");
      g_auto(GStrv) fields = NULL;
      guint number;

      if (down_line == 0 && g_str_has_suffix (lines[i], down))
        down_line = i + 1;
      if (route == NULL)
        continue;
      /* "dispatch: cN to URI" or "dispatch: cN to URI after a timeout" */
      fields = g_strsplit (route + strlen ("dispatch: "), " ", 4);
      number = call_number_at (fields[0]);
      ck_assert_msg (number != 0 && g_strv_length (fields) >= 3,
                     "Kamailio logged \"%s\"", lines[i]);
      if (g_str_equal (fields[1], "has"))
        {
          /* "dispatch: cN has no broker": refused at once */
          calls[number].route_line = i + 1;
          calls[number].first = g_strdup ("no broker");
          continue;
        }
      ck_assert_msg (g_str_equal (fields[1], "to"), "Kamailio logged \"%s\"",
                     lines[i]);
      if (g_str_equal (fields[2], dead))
        calls[number].to_dead = TRUE;
      if (fields[3] == NULL)
        {
          ck_assert_msg (calls[number].route_line == 0,
                         "call %u was dispatched twice", number);
          calls[number].route_line = i + 1;
          calls[number].first = g_strdup (fields[2]);
        }
    }
  return down_line;
}

/* The last value of the column @name of sipp's statistics file */
static guint
read_stat (const char *path,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) values = NULL;
  guint n_lines;

  g_file_get_contents (path, &contents, NULL, &error);
  tapi_test_assert_no_error (&error);
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  n_lines = g_strv_length (lines);
  ck_assert_uint_ge (n_lines, 2);
  names = g_strsplit (lines[0], ";", -1);
  values = g_strsplit (lines[n_lines - 1], ";", -1);
  for (guint i = 0; names[i] != NULL && values[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return (guint) g_ascii_strtoull (values[i], NULL, 10);
  ck_abort_msg ("%s has no column %s", path, name);
  return 0;
}

/* Whether Kamailio's log says that @uri went down; *@dispatched is the
 * number of INVITEs it dispatched so far. */
static gboolean
went_down (const char *uri,
           guint      *dispatched)
{
  g_autofree char *log = read_log ("kamailio.log");
  g_autofree char *down = g_strdup_printf ("dispatch: down %s\n", uri);
  const char *failover = " after a timeout\n";
  gsize failover_len = strlen (failover);

  *dispatched = 0;
  for (const char *at = strstr (log, "dispatch: c"); at != NULL;
       at = strstr (at + 1, "dispatch: c"))
    {
      const char *end = strchr (at, '\n');

      /* Complete lines, failovers not counted */
      if (end != NULL &&
          !((gsize) (end + 1 - at) > failover_len &&
            strncmp (end + 1 - failover_len, failover, failover_len) == 0))
        (*dispatched)++;
    }
  return strstr (log, down) != NULL;
}

/* Lets sipp's calls run; if @dead is not out of rotation yet by the time
 * Kamailio dispatched all calls but HELD_BACK (it takes longer on a busy
 * machine), pauses sipp until it is, so that calls are dispatched after
 * it went down. */
static void
hold_back_calls (TapiSipTestPeer *sipp,
                 guint            control_port,
                 TapiSipTestPeer *kamailio,
                 Broker          *dead)
{
  g_autoptr(GSocket) control = tapi_sip_raw_socket_new ();
  g_autofree char *down = g_strdup_printf ("dispatch: down %s", dead->uri);
  guint dispatched = 0;

  while (!tapi_sip_test_peer_exited (sipp))
    {
      if (went_down (dead->uri, &dispatched))
        return;
      if (dispatched >= N_CALLS - HELD_BACK)
        break;
      tapi_test_spin (20);
    }
  if (tapi_sip_test_peer_exited (sipp))
    return;

  /* "p" pauses and resumes sipp's new calls */
  tapi_sip_raw_send (control, control_port, "p", 1);
  tapi_sip_test_peer_wait_log (kamailio, down);
  tapi_sip_raw_send (control, control_port, "p", 1);
  g_print ("dispatcher: sipp waited for %s to go down after %u calls\n",
           dead->uri, dispatched);
}

/* What the calls went through, counted by check_call() */
typedef struct
{
  guint after_down;     /* dispatched after the dead broker went down */
  guint failed_over;    /* sent to the dead broker, taken by the living */
  guint bye_failed;
  guint hung_up;
  guint refused;
} Tally;

static const char *
outcome_name (Outcome outcome)
{
  const char *names[] = { "none", "ended", "bye-failed", "hung-up",
                          "refused", "lost" };

  return names[outcome];
}

/* Checks call @n, whose record is @call, against the answers of @living
 * and the line @down_line of Kamailio's log that says the dead broker went
 * down; the dead broker was stopped by @stop_signal. */
static void
check_call (guint       n,
            CallRecord *call,
            Broker     *living,
            guint       down_line,
            int         stop_signal,
            Tally      *tally)
{
  gboolean by_living = g_hash_table_contains (living->answered,
                                              GUINT_TO_POINTER (n));
  gboolean ended_well = call->answered && call->outcome == OUTCOME_ENDED &&
                        by_living;

  /* Every call got through Kamailio and came to an end. */
  ck_assert_msg (call->route_line != 0, "Kamailio never dispatched call %u",
                 n);
  ck_assert_msg (call->outcome != OUTCOME_NONE && call->outcome != OUTCOME_LOST,
                 "call %u has outcome %s in sipp's log (%s to the dead "
                 "broker)", n, outcome_name (call->outcome),
                 call->to_dead ? "sent" : "not sent");

  /* Dispatched after the dead broker went down: the living one took it. */
  if (call->route_line > down_line)
    {
      tally->after_down++;
      ck_assert_msg (g_str_equal (call->first, living->uri),
                     "call %u went to %s after it was out of rotation", n,
                     call->first);
      ck_assert_msg (ended_well, "call %u, sent after the dead broker went "
                     "down, has outcome %s (answered by the living one: %d)",
                     n, outcome_name (call->outcome), by_living);
    }

  /* Never sent to the dead broker: not lost in any way. */
  if (!call->to_dead)
    {
      ck_assert_msg (ended_well, "call %u, never sent to the dead broker, "
                     "has outcome %s (answered by the living one: %d)", n,
                     outcome_name (call->outcome), by_living);
      return;
    }

  /* Sent to the dead broker: it went on to the living one (that broker
   * never answered the INVITE), ended before the broker went, or failed
   * cleanly. */
  if (by_living)
    {
      tally->failed_over++;
      ck_assert_msg (ended_well, "call %u, which went on to the living "
                     "broker, has outcome %s", n,
                     outcome_name (call->outcome));
    }
  else if (call->outcome == OUTCOME_BYE_FAILED)
    {
      /* Killed: the caller learns it from its BYE, which fails. */
      tally->bye_failed++;
      ck_assert_msg (stop_signal == SIGKILL && call->answered,
                     "call %u lost its BYE", n);
    }
  else if (call->outcome == OUTCOME_HUNG_UP)
    {
      /* Stopped: the broker hangs its calls up (its BYE may overtake
       * its 200). */
      tally->hung_up++;
      ck_assert_msg (stop_signal == SIGTERM,
                     "call %u was hung up by its broker", n);
    }
  else
    {
      /* Ended before the broker went, or refused (rang there, got 408). */
      tally->refused += call->outcome == OUTCOME_REFUSED;
      ck_assert_msg (call->outcome == OUTCOME_ENDED ||
                     call->outcome == OUTCOME_REFUSED,
                     "call %u, sent to the dead broker, has outcome %s", n,
                     outcome_name (call->outcome));
    }
}

/* 200 calls are spread over two brokers; half-way, one of them is
 * killed (SIGKILL: it says nothing more) or stopped (SIGTERM: it drops its
 * calls and exits). */
static const int stop_signals[] = { SIGKILL, SIGTERM };

START_TEST (test_broker_dies)
{
  int stop_signal = stop_signals[_i];
  g_autoptr(GError) error = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *list = NULL;
  g_autofree char *list_path = tapi_sip_test_path ("dispatcher.list");
  g_autofree char *outcomes_path = tapi_sip_test_path ("calls.log");
  g_autofree char *stats_path = tapi_sip_test_path ("stats.csv");
  CallRecord calls[N_CALLS + 1] = { { 0 } };
  Broker brokers[2] = { { 0 } };
  Broker *living = &brokers[0];
  Broker *dead = &brokers[1];
  Tally tally = { 0 };
  TapiSipTestPeer *kamailio;
  TapiSipTestPeer *sipp;
  g_autofree char *control = NULL;
  guint kamailio_port, control_port, down_line;
  int status;

  write_bus_config ();
  kamailio_port = tapi_sip_test_free_port ();
  domain = g_strdup_printf ("127.0.0.1:%u", kamailio_port);
  start_broker (living, 1, domain);
  start_broker (dead, 2, domain);

  list = g_strdup_printf ("1 %s\n1 %s\n", living->uri, dead->uri);
  g_file_set_contents (list_path, list, -1, &error);
  tapi_test_assert_no_error (&error);
  /* Probes every second; a call rings 10 s at most. */
  kamailio = tapi_sip_test_kamailio_dispatcher (kamailio_port, list_path, 1,
                                                10000);

  control_port = tapi_sip_test_free_port ();
  control = g_strdup_printf ("%u", control_port);
  sipp = tapi_sip_test_sipp ("uac-dispatch.xml", tapi_sip_test_free_port (),
                             kamailio_port, "-s", "svc", "-cp", control,
                             "-r", CALL_RATE, "-m", G_STRINGIFY (N_CALLS),
                             "-l", G_STRINGIFY (N_CALLS),
                             "-trace_logs", "-log_file", outcomes_path,
                             "-trace_stat", "-stf", stats_path, "-fd", "1",
                             NULL);

  /* Half-way through, the second broker goes. */
  tapi_sip_test_peer_wait_log_count (dead->peer, "state connected",
                                     ANSWERED_BEFORE_KILL);
  ck_assert_int_eq (kill (dead->tapi3d, stop_signal), 0);
  hold_back_calls (sipp, control_port, kamailio, dead);

  status = tapi_sip_test_peer_wait (sipp, 120000);
  if (status != 0)
    tapi_sip_test_dump_peers ();
  ck_assert_msg (status == 0, "sipp ended with status %d (its log is above)",
                 status);

  /* sipp's own count: every call made, and every one ran to an end of
   * its scenario */
  ck_assert_uint_eq (read_stat (stats_path, "OutgoingCall(C)"), N_CALLS);
  ck_assert_uint_eq (read_stat (stats_path, "SuccessfulCall(C)"), N_CALLS);
  ck_assert_uint_eq (read_stat (stats_path, "FailedCall(C)"), 0);

  read_answered (living, "broker1.log");
  read_answered (dead, "broker2.log");
  read_outcomes (calls, "calls.log");
  down_line = read_routes (calls, dead->uri);

  /* Both brokers had their share, and nobody answered a call twice. */
  ck_assert_uint_gt (g_hash_table_size (living->answered), 0);
  ck_assert_uint_ge (g_hash_table_size (dead->answered),
                     ANSWERED_BEFORE_KILL);
  for (guint n = 1; n <= N_CALLS; n++)
    ck_assert_msg (!(g_hash_table_contains (living->answered,
                                            GUINT_TO_POINTER (n)) &&
                     g_hash_table_contains (dead->answered,
                                            GUINT_TO_POINTER (n))),
                   "call %u was answered by both brokers", n);

  /* The probes took the dead broker out of rotation. */
  if (down_line == 0)
    tapi_sip_test_peer_dump (kamailio);
  ck_assert_msg (down_line != 0, "Kamailio did not take %s out of rotation",
                 dead->uri);

  for (guint n = 1; n <= N_CALLS; n++)
    check_call (n, &calls[n], living, down_line, stop_signal, &tally);

  /* The checks were not empty: calls came after the broker went down, and
   * it held calls when it went, which failed cleanly. */
  ck_assert_uint_gt (tally.after_down, 0);
  ck_assert_uint_gt (tally.bye_failed + tally.hung_up + tally.refused, 0);
  g_print ("dispatcher, %s: answered by the living broker %u, by the other "
           "%u; %u failed over, %u lost their BYE, %u hung up by the "
           "broker, %u refused, %u sent after it went down\n",
           g_strsignal (stop_signal), g_hash_table_size (living->answered),
           g_hash_table_size (dead->answered), tally.failed_over,
           tally.bye_failed, tally.hung_up, tally.refused, tally.after_down);

  for (guint n = 0; n <= N_CALLS; n++)
    g_free (calls[n].first);
  broker_clear (living);
  broker_clear (dead);
}
END_TEST

static Suite *
sip_dispatcher_suite (void)
{
  Suite *suite = suite_create ("sip-dispatcher");
  TCase *tcase = tcase_create ("dispatcher");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 180);
  tcase_add_test (tcase, test_options_probe);
  tcase_add_loop_test (tcase, test_broker_dies, 0, G_N_ELEMENTS (stop_signals));
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (sip_dispatcher_suite ());
}
