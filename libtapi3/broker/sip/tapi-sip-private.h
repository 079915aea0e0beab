/* tapi-sip-private.h: what the files of the SIP provider share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_tagarg.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/url.h>
#include <sofia-sip/hostdomain.h>
#include <sofia-sip/tport_tag.h>

#include "tapi-error.h"
#include "tapi-sip-provider.h"
#include "tapi-sip-sdp.h"

G_BEGIN_DECLS

#define MAX_AUTH_TRIES 3

typedef struct _SipAccount SipAccount;
typedef struct _SipCall SipCall;

/* srtp= of an account */
typedef enum {
  SIP_SRTP_OFF,
  SIP_SRTP_OPTIONAL,    /* RTP/AVP with a=crypto: SRTP when the peer takes it */
  SIP_SRTP_MANDATORY,   /* RTP/SAVP only */
} SipSrtpMode;

/* The SDES crypto lines this side offers, one key each. */
#define SIP_N_CRYPTO 2

typedef enum {
  TRANSFER_NONE,
  TRANSFER_BLIND,
  TRANSFER_CONSULTATION,
} TransferKind;

struct _SipAccount
{
  TapiSipProvider   *sip;
  TapiBrokerAddress *address;     /* owned by the provider's address list */
  char              *name;
  char              *aor;         /* sip:user@domain */
  char              *user;
  char              *domain;
  char              *display_name;
  char              *bind_host;   /* the IP address of SIP and RTP */
  guint              bind_port;
  char              *contact;     /* sip:user@host:port;transport=… */
  char              *registrar;
  char              *proxy;
  char              *username;
  char              *password;
  char              *transport;   /* udp, tcp or tls */
  char              *tls_ca_file; /* the CAs of the peers' certificates */
  char              *tls_certificate; /* ours, with its key, or NULL */
  gboolean           tls_verify;  /* check the certificates of the peers */
  char              *tls_dir;     /* sofia-sip's view of the three above */
  GCancellable      *tls_check;   /* the certificate check under way */
  GStrv              codecs;
  gboolean           delayed_offer; /* take INVITEs without SDP */
  guint              max_calls;   /* calls at a time, both ways */
  SipSrtpMode        srtp;

  nua_t             *nua;
  nua_handle_t      *register_handle;
  guint              register_auth_tries;
  gboolean           registered;
  gboolean           shutdown_done;
  GSource           *retry_source;
  GPtrArray         *calls;       /* SipCall, unowned */
  GArray            *refused;     /* RefusedHandle: REFERs of no call */
  GSource           *refused_source;
};

typedef struct
{
  nua_handle_t *nh;
  gint64        destroy_time;
} RefusedHandle;

struct _SipCall
{
  SipAccount      *account;
  TapiBrokerCall  *call;          /* unowned: the call owns its SipCall */
  nua_handle_t    *nh;
  gboolean         dial_tone;
  gboolean         established;   /* a 2xx was sent or received */
  gboolean         offer_in_answer;  /* the INVITE had no SDP */
  gboolean         local_hold;
  guint            auth_tries;
  guint64          session_id;
  guint            sdp_version;
  TapiSipSdpMedia  remote;
  gboolean         have_remote;
  /* SRTP: the keys of our last offer (a new one gets new keys), by
   * tag 1…SIP_N_CRYPTO, and the key of the suite in use. */
  char            *offer_keys[SIP_N_CRYPTO];
  char            *send_key;
  char            *remote_target;  /* the peer's Contact */

  /* A transfer this side started on this call. */
  TransferKind     transfer;
  TapiBrokerCall  *consultation;   /* TRANSFER_CONSULTATION */
  char            *transfer_target; /* TRANSFER_BLIND: the destination */
  GSource         *transfer_timeout;

  /* This call was placed for a REFER received on another call. */
  nua_handle_t    *refer_handle;
  char            *refer_event;
  TapiBrokerCall  *referred_call;
  char            *replaces;       /* the Replaces header to send */
};

struct _TapiSipProvider
{
  TapiProvider   parent_instance;

  GMainContext  *context;
  su_home_t      home[1];
  su_root_t     *root;
  GPtrArray     *accounts;      /* SipAccount */
};

typedef struct
{
  const char *path;
  const char *contents;
  const char *group;
} ConfigContext;

/* tapi-sip-provider.c */
char       *tapi_sip_network_text        (const char        *text,
                                          gssize             length);
char       *tapi_sip_url_identity        (su_home_t         *home,
                                          url_t const       *url);
void        tapi_sip_caller_identity     (sip_t const       *sip,
                                          char             **name,
                                          char             **number);
void        tapi_sip_address_identity    (sip_addr_t const  *address,
                                          char             **name,
                                          char             **number);
char       *tapi_sip_resolve_destination (SipAccount        *account,
                                          const char        *destination,
                                          GError           **error);

/* tapi-sip-account.c */
TapiBroker *tapi_sip_account_get_broker        (SipAccount      *account);
gboolean    tapi_sip_account_is_full           (SipAccount      *account,
                                                SipCall         *except);
char       *tapi_sip_account_credentials       (SipAccount      *account,
                                                sip_t const     *sip);
void        tapi_sip_account_register          (SipAccount      *account);
void        tapi_sip_account_free              (SipAccount      *account);
guint       tapi_sip_config_line_of            (const char      *contents,
                                                const char      *group,
                                                const char      *key);
void        tapi_sip_config_warning            (ConfigContext   *context,
                                                const char      *key,
                                                const char      *format,
                                                ...) G_GNUC_PRINTF (3, 4);
SipAccount *tapi_sip_provider_read_account     (TapiSipProvider *self,
                                                GKeyFile        *config,
                                                ConfigContext   *context,
                                                const char      *name);
gboolean    tapi_sip_provider_start_account    (TapiSipProvider *self,
                                                SipAccount      *account,
                                                ConfigContext   *context);
void        tapi_sip_provider_add_account      (TapiSipProvider *self,
                                                SipAccount      *account);
void        tapi_sip_provider_shutdown_account (TapiSipProvider *self,
                                                SipAccount      *account);

/* tapi-sip-call.c */
SipCall  *tapi_sip_call_of                (TapiSipProvider    *self,
                                           TapiBrokerCall     *call);
void      tapi_sip_call_set_state         (SipCall            *self,
                                           TapiCallState       state,
                                           TapiCallStateCause  cause);
void      tapi_sip_call_hang_up           (SipCall            *self,
                                           TapiCallStateCause  cause);
gboolean  tapi_sip_call_place             (SipCall            *self,
                                           GError            **error);
TapiError tapi_sip_error_for_status       (int                 status);
void      tapi_sip_call_incoming_invite   (SipAccount         *account,
                                           nua_handle_t       *nh,
                                           sip_t const        *sip);
void      tapi_sip_call_incoming_reinvite (SipCall            *self,
                                           sip_t const        *sip);
void      tapi_sip_call_invite_response   (SipCall            *self,
                                           int                 status,
                                           char const         *phrase,
                                           sip_t const        *sip);
void      tapi_sip_call_incoming_ack      (SipCall            *self,
                                           sip_t const        *sip);
void      tapi_sip_call_incoming_info     (SipCall            *self,
                                           sip_t const        *sip);
void      tapi_sip_call_terminated        (SipCall            *self);

/* tapi-sip-transfer.c */
void tapi_sip_call_stop_transfer_timeout (SipCall    *self);
void tapi_sip_call_notify_referrer       (SipCall    *self,
                                          int         status,
                                          const char *phrase);
void tapi_sip_call_transfer_failed       (SipCall    *self,
                                          TapiError   code,
                                          const char *format,
                                          ...) G_GNUC_PRINTF (3, 4);
void tapi_sip_call_incoming_refer        (SipCall    *self,
                                          sip_t const *sip,
                                          tagi_t      tags[]);
void tapi_sip_call_incoming_notify       (SipCall    *self,
                                          sip_t const *sip,
                                          tagi_t      tags[]);

/* Provider operations (tapi-sip-call.c, tapi-sip-transfer.c) */
gboolean tapi_sip_provider_check_destination (TapiProvider       *provider,
                                              TapiBrokerAddress  *address,
                                              const char         *destination,
                                              GError            **error);
gboolean tapi_sip_provider_connect           (TapiProvider       *provider,
                                              TapiBrokerCall     *call,
                                              GError            **error);
gboolean tapi_sip_provider_dial              (TapiProvider       *provider,
                                              TapiBrokerCall     *call,
                                              const char         *destination,
                                              GError            **error);
gboolean tapi_sip_provider_answer            (TapiProvider       *provider,
                                              TapiBrokerCall     *call,
                                              GError            **error);
gboolean tapi_sip_provider_disconnect        (TapiProvider       *provider,
                                              TapiBrokerCall     *call,
                                              TapiDisconnectCode  code,
                                              TapiCallStateCause  cause,
                                              GError            **error);
gboolean tapi_sip_provider_hold              (TapiProvider       *provider,
                                              TapiBrokerCall     *call,
                                              gboolean            hold,
                                              GError            **error);
gboolean tapi_sip_provider_blind_transfer    (TapiProvider       *provider,
                                              TapiBrokerCall     *call,
                                              const char         *destination,
                                              GError            **error);
gboolean tapi_sip_provider_finish_transfer   (TapiProvider       *provider,
                                              TapiBrokerCall     *original,
                                              TapiBrokerCall     *consultation,
                                              GError            **error);
void     tapi_sip_provider_call_removed      (TapiProvider       *provider,
                                              TapiBrokerCall     *call);

G_END_DECLS
