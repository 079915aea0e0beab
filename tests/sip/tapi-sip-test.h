/* tapi-sip-test.h: real SIP peers for the tests of the SIP provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-test-helper.h"

G_BEGIN_DECLS

/* How long a test waits for a SIP peer: SIP retransmissions take seconds. */
#define TAPI_SIP_TEST_TIMEOUT_MS 15000

/* The test's directory and configuration */
void         tapi_sip_test_setup            (void);
void         tapi_sip_test_teardown         (void);
char        *tapi_sip_test_path             (const char      *name);
guint        tapi_sip_test_free_port        (void);
guint        tapi_sip_test_free_port_on     (const char      *host);
void         tapi_sip_test_set_config       (const char      *contents);
char        *tapi_sip_test_account          (const char      *name,
                                             const char      *domain,
                                             guint            bind_port,
                                             guint            registrar_port,
                                             const char      *password,
                                             const char      *codecs);
char        *tapi_sip_test_account_on       (const char      *host,
                                             const char      *name,
                                             const char      *domain,
                                             guint            bind_port,
                                             guint            registrar_port,
                                             const char      *password,
                                             const char      *codecs);
TapiTapi    *tapi_sip_test_start_direct     (const char      *user,
                                             const char      *codecs,
                                             guint           *port);
TapiTapi    *tapi_sip_test_start_direct_on  (const char      *host,
                                             const char      *user,
                                             const char      *codecs,
                                             guint           *port);
TapiTapi    *tapi_sip_test_start_direct_with (const char     *host,
                                              const char     *user,
                                              const char     *codecs,
                                              const char     *extra,
                                              guint          *port);

/* Peers: processes started by the test, stopped by its teardown (or, if
 * the test dies, by the end of the process). */
typedef struct _TapiSipTestPeer TapiSipTestPeer;

TapiSipTestPeer *tapi_sip_test_spawn        (const char      *name,
                                             const char * const *argv);
TapiSipTestPeer *tapi_sip_test_spawn_group  (const char      *name,
                                             const char * const *argv);
TapiSipTestPeer *tapi_sip_test_sipp         (const char      *scenario,
                                             guint            port,
                                             guint            remote_port,
                                             ...) G_GNUC_NULL_TERMINATED;
char        *tapi_sip_test_scenario_from_template (const char *template,
                                                   const char *placeholder,
                                                   const char *value);
TapiSipTestPeer *tapi_sip_test_kamailio     (guint            port,
                                             gboolean         with_auth);
TapiSipTestPeer *tapi_sip_test_kamailio_tls (guint            port,
                                             guint            tls_port,
                                             const char      *tls_config);
TapiSipTestPeer *tapi_sip_test_kamailio_dispatcher (guint            port,
                                                    const char      *list_path,
                                                    guint            ping_interval,
                                                    guint            ring_timeout_ms);
TapiSipTestPeer *tapi_sip_test_baresip      (const char      *user,
                                             guint            port,
                                             guint            frequency);
TapiSipTestPeer *tapi_sip_test_baresip_with (const char      *user,
                                             guint            port,
                                             guint            frequency,
                                             const char      *mediaenc);

gboolean     tapi_sip_test_peer_exited      (TapiSipTestPeer *peer);
int          tapi_sip_test_peer_wait        (TapiSipTestPeer *peer,
                                             guint            timeout_ms);
void         tapi_sip_test_peer_assert_success (TapiSipTestPeer *peer);
void         tapi_sip_test_peer_stop        (TapiSipTestPeer *peer);
void         tapi_sip_test_peer_dump        (TapiSipTestPeer *peer);
void         tapi_sip_test_dump_peers       (void);
void         tapi_sip_test_peer_wait_log    (TapiSipTestPeer *peer,
                                             const char      *text);
void         tapi_sip_test_peer_wait_log_count (TapiSipTestPeer *peer,
                                                const char      *text,
                                                guint            count);
gboolean     tapi_sip_test_peer_write       (TapiSipTestPeer *peer,
                                             const char      *line);

/* Calls */
TapiCall    *tapi_sip_test_create_call      (TapiTapi        *app,
                                             const char      *address,
                                             const char      *destination);
void         tapi_sip_test_wait_address_state (TapiAddress   *address,
                                               TapiAddressState state);
void         tapi_sip_test_send_garbage     (guint            port);

/* Media */
TapiTerminal *tapi_sip_test_select_tone     (TapiTapi        *app,
                                             const char      *address,
                                             TapiCall        *call,
                                             double           frequency);
char        *tapi_sip_test_select_recorder  (TapiTapi        *app,
                                             const char      *address,
                                             TapiCall        *call,
                                             const char      *name);
void         tapi_sip_test_wait_media_event (TapiCall        *call,
                                             TapiStream      *stream,
                                             TapiCallMediaEvent event,
                                             TapiCallMediaCause cause,
                                             guint            from);
void         tapi_sip_test_assert_tone      (const char      *path,
                                             double           frequency,
                                             double           absent_frequency);

/**
 * tapi_sip_test_wait_for:
 * @expr: a condition
 *
 * Like tapi_test_wait_for(), with the longer timeout of SIP.
 */
#define tapi_sip_test_wait_for(expr)                                         \
  G_STMT_START {                                                             \
    gint64 tapi_sip_deadline_ = g_get_monotonic_time () +                    \
      TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;                    \
    while (!(expr))                                                          \
      {                                                                      \
        if (g_get_monotonic_time () >= tapi_sip_deadline_)                   \
          {                                                                  \
            tapi_sip_test_dump_peers ();                                     \
            ck_abort_msg ("Timed out after %d ms waiting for: %s",           \
                          TAPI_SIP_TEST_TIMEOUT_MS, #expr);                  \
          }                                                                  \
        tapi_test_iterate ();                                                \
      }                                                                      \
  } G_STMT_END

#define tapi_sip_test_wait_for_state(call, state)                            \
  G_STMT_START {                                                             \
    gint64 tapi_sip_deadline_ = g_get_monotonic_time () +                    \
      TAPI_SIP_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;                    \
    while (tapi_call_get_state (call) != (state))                            \
      {                                                                      \
        if (g_get_monotonic_time () >= tapi_sip_deadline_)                   \
          {                                                                  \
            g_autofree char *seen_ = tapi_test_states_to_string (call);      \
            tapi_sip_test_dump_peers ();                                     \
            ck_abort_msg ("%s is not %s after %d ms; its states: %s", #call, \
                          tapi_test_state_name (state),                      \
                          TAPI_SIP_TEST_TIMEOUT_MS, seen_);                  \
          }                                                                  \
        tapi_test_iterate ();                                                \
      }                                                                      \
  } G_STMT_END

G_END_DECLS
