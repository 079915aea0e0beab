/* tapi-sip-provider.c: the SIP provider (sofia-sip)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_log.h>
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

#include "tapi-broker.h"
#include "tapi-codec.h"
#include "tapi-error.h"
#include "tapi-sip-provider.h"
#include "tapi-sip-sdp.h"

/* The SIP provider is a sofia-sip user agent (nua) per configured account,
 * all on one su_root that runs as a GSource of the broker's main context.
 * Each account is one address. SDP is built and read by tapi-sip-sdp.c
 * with GstSDPMessage (nua's own offer/answer engine is off); the broker
 * call owns the RTP and RTCP sockets the SDP names. See docs/sip.md for
 * the configuration and the behaviour. */

/* nua's logs: exported by libsofia-sip-ua, not declared in its headers. */
extern su_log_t nua_log[];
extern su_log_t nta_log[];
extern su_log_t tport_log[];
extern su_log_t soa_log[];
extern su_log_t sresolv_log[];
extern su_log_t iptsec_log[];
extern su_log_t nea_log[];

#define SHUTDOWN_TIMEOUT_MS 3000
#define REGISTER_RETRY_SECONDS 30
/* A transfer with no final word from the transferee by then has failed
 * (64 × T1, the lifetime of a non-INVITE transaction). */
#define TRANSFER_TIMEOUT_SECONDS 32
#define MAX_AUTH_TRIES 3
#define DEFAULT_CODECS "PCMU;PCMA;G722;OPUS"

typedef struct _SipAccount SipAccount;
typedef struct _SipCall SipCall;

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
  GStrv              codecs;
  gboolean           delayed_offer; /* take INVITEs without SDP */

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

G_DEFINE_FINAL_TYPE (TapiSipProvider, tapi_sip_provider, TAPI_TYPE_PROVIDER)

static void event_cb (nua_event_t   event,
                      int           status,
                      char const   *phrase,
                      nua_t        *nua,
                      nua_magic_t  *magic,
                      nua_handle_t *nh,
                      nua_hmagic_t *hmagic,
                      sip_t const  *sip,
                      tagi_t        tags[]);

static TapiBroker *
tapi_sip_account_get_broker (SipAccount *account)
{
  return tapi_provider_get_broker (TAPI_PROVIDER (account->sip));
}

/* Logging */

static void
sofia_log_cb (void       *stream,
              char const *format,
              va_list     args)
{
  g_autofree char *text = g_strdup_vprintf (format, args);

  g_debug ("sofia: %s", g_strchomp (text));
}

static void
setup_sofia_logs (void)
{
  su_log_t *logs[] = {
    su_log_default, nua_log, nta_log, tport_log, soa_log, sresolv_log, iptsec_log, nea_log,
  };
  const char *debug = g_getenv ("TAPI3_SIP_DEBUG");
  guint64 level = 0;

  if (debug && *debug &&
      !g_ascii_string_to_unsigned (debug, 10, 0, 9, &level, NULL))
    level = 9;

  for (guint i = 0; i < G_N_ELEMENTS (logs); i++)
    {
      su_log_init (logs[i]);
      su_log_set_level (logs[i], level);
      /* Without TAPI3_SIP_DEBUG even sofia's level-0 messages go to
       * g_debug, not to stderr. */
      if (level == 0)
        su_log_redirect (logs[i], sofia_log_cb, NULL);
    }
}

/* Identities */

/* Text from the network goes into properties and D-Bus messages, which
 * take UTF-8 only. */
static char *
tapi_sip_network_text (const char *text,
                       gssize      length)
{
  if (text == NULL)
    return NULL;
  return g_utf8_make_valid (text, length);
}

static char *
tapi_sip_url_identity (su_home_t   *home,
                       url_t const *url)
{
  url_t copy[1];

  /* sip:user@host[:port], without parameters or headers. */
  *copy = *url;
  copy->url_params = NULL;
  copy->url_headers = NULL;
  copy->url_password = NULL;
  return tapi_sip_network_text (url_as_string (home, copy), -1);
}

static char *
unquote_display (const char *display)
{
  gsize length;

  if (display == NULL || *display == '\0')
    return NULL;
  length = strlen (display);
  if (length >= 2 && display[0] == '"' && display[length - 1] == '"')
    return tapi_sip_network_text (display + 1, length - 2);
  return tapi_sip_network_text (display, -1);
}

/* The remote identity of a request: P-Asserted-Identity, else From. */
static void
tapi_sip_caller_identity (sip_t const  *sip,
                          char        **name,
                          char        **number)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_p_asserted_identity_t *paid = sip_p_asserted_identity (sip);

  su_home_init (home);
  if (paid && paid->paid_url->url_type != url_invalid)
    {
      *name = unquote_display (paid->paid_display);
      *number = tapi_sip_url_identity (home, paid->paid_url);
    }
  else if (sip->sip_from)
    {
      *name = unquote_display (sip->sip_from->a_display);
      *number = tapi_sip_url_identity (home, sip->sip_from->a_url);
    }
  else
    {
      *name = NULL;
      *number = NULL;
    }
  su_home_deinit (home);
}

static void
tapi_sip_address_identity (sip_addr_t const  *address,
                           char             **name,
                           char             **number)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };

  su_home_init (home);
  *name = address ? unquote_display (address->a_display) : NULL;
  *number = address ? tapi_sip_url_identity (home, address->a_url) : NULL;
  su_home_deinit (home);
}

/* Destinations */

static gboolean
is_user_part (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 128)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.!~*'()&=+$,%#", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* @destination as a request URI of @account, or NULL when malformed. */
static char *
tapi_sip_resolve_destination (SipAccount *account,
                              const char *destination,
                              GError    **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autofree char *candidate = NULL;
  url_t *url;
  char *result = NULL;

  su_home_init (home);
  if (destination && (g_str_has_prefix (destination, "sip:") ||
                      g_str_has_prefix (destination, "sips:")))
    candidate = g_strdup (destination);
  else if (is_user_part (destination))
    {
      g_autofree char *user = g_uri_escape_string (destination, "-_.!~*'()&=+$,", FALSE);

      candidate = g_strdup_printf ("sip:%s@%s", user, account->domain);
    }

  url = candidate ? url_make (home, candidate) : NULL;
  if (url == NULL || (url->url_type != url_sip && url->url_type != url_sips) ||
      url->url_host == NULL || *url->url_host == '\0' || strchr (candidate, ' ') ||
      (url->url_port && !g_ascii_string_to_unsigned (url->url_port, 10, 1, 65535, NULL, NULL)))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS,
                   "'%s' is neither a sip: URI nor a user part of %s",
                   destination ? destination : "(null)", account->domain);
      su_home_deinit (home);
      return NULL;
    }

  /* Without a proxy, the request goes where the account's transport goes. */
  if (url->url_type == url_sip && !g_str_equal (account->transport, "udp") &&
      !url_has_param (url, "transport"))
    result = g_strdup_printf ("%s;transport=%s", candidate,
                              g_str_equal (account->transport, "tls") ? "tls" : "tcp");
  else
    result = g_steal_pointer (&candidate);
  su_home_deinit (home);
  return result;
}

/* Calls */

static void
sip_call_drop_handle (SipCall *self)
{
  gboolean stack_alive = self->account != NULL && self->account->nua != NULL;

  if (self->nh)
    {
      if (stack_alive)
        {
          nua_handle_bind (self->nh, NULL);
          nua_handle_destroy (self->nh);
        }
      self->nh = NULL;
    }
  if (self->refer_handle)
    {
      if (stack_alive)
        nua_handle_unref (self->refer_handle);
      self->refer_handle = NULL;
    }
}

static void
tapi_sip_call_stop_transfer_timeout (SipCall *self)
{
  if (self->transfer_timeout)
    {
      g_source_destroy (self->transfer_timeout);
      g_clear_pointer (&self->transfer_timeout, g_source_unref);
    }
}

static void
sip_call_free (SipCall *self)
{
  if (self->account)
    g_ptr_array_remove_fast (self->account->calls, self);
  sip_call_drop_handle (self);
  tapi_sip_call_stop_transfer_timeout (self);
  tapi_sip_sdp_media_clear (&self->remote);
  g_free (self->remote_target);
  g_free (self->refer_event);
  g_free (self->replaces);
  g_free (self->transfer_target);
  g_clear_object (&self->consultation);
  g_clear_object (&self->referred_call);
  g_free (self);
}

static SipAccount *
account_of_address (TapiSipProvider   *self,
                    TapiBrokerAddress *address)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      SipAccount *account = g_ptr_array_index (self->accounts, i);

      if (account->address == address)
        return account;
    }
  return NULL;
}

static SipCall *
tapi_sip_call_of (TapiSipProvider *self,
                  TapiBrokerCall  *call)
{
  SipCall *sip_call = tapi_broker_call_get_provider_data (call);

  if (sip_call == NULL)
    {
      sip_call = g_new0 (SipCall, 1);
      sip_call->account = account_of_address (self, tapi_broker_call_get_address (call));
      sip_call->call = call;
      sip_call->session_id = g_random_int ();
      g_ptr_array_add (sip_call->account->calls, sip_call);
      tapi_broker_call_set_provider_data (call, sip_call, (GDestroyNotify) sip_call_free);
    }
  return sip_call;
}

static void
tapi_sip_call_set_state (SipCall            *self,
                         TapiCallState       state,
                         TapiCallStateCause  cause)
{
  g_debug ("SIP call %u: state %d, cause 0x%x", tapi_broker_call_get_id (self->call),
           state, cause);
  if (state == TAPI_CALL_STATE_DISCONNECTED && self->transfer != TRANSFER_NONE)
    {
      /* The broker takes a transferred call that goes as the end of
       * its transfer, whoever hung up. */
      self->transfer = TRANSFER_NONE;
      tapi_sip_call_stop_transfer_timeout (self);
      g_clear_object (&self->consultation);
    }
  tapi_broker_call_set_state (self->call, state, cause);
}

static gboolean
ensure_sockets (SipCall  *self,
                GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (tapi_broker_call_ensure_sockets (self->call, self->account->bind_host, &local_error))
    return TRUE;
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
               "No media sockets for call %u: %s", tapi_broker_call_get_id (self->call),
               local_error->message);
  return FALSE;
}

/* The direction this side wants, before the peer has its say. */
static const char *
wanted_direction (SipCall *self)
{
  return self->local_hold ? "sendonly" : "sendrecv";
}

static char *
make_offer (SipCall *self)
{
  return tapi_sip_sdp_offer (self->account->bind_host,
                             tapi_broker_call_get_rtp_port (self->call),
                             tapi_broker_call_get_rtcp_port (self->call),
                             (const char * const *) self->account->codecs,
                             wanted_direction (self), self->session_id,
                             ++self->sdp_version);
}

/* Tells the broker call what was negotiated. @direction is ours. */
static void
publish_media (SipCall    *self,
               const char *direction)
{
  tapi_broker_call_set_media (self->call,
                              tapi_sip_sdp_media_variant (&self->remote,
                                                          tapi_broker_call_get_rtp_port (self->call),
                                                          tapi_broker_call_get_rtcp_port (self->call),
                                                          direction));
}

static gboolean
is_sdp (sip_t const *sip)
{
  return sip && sip->sip_payload && sip->sip_payload->pl_len > 0 &&
         (sip->sip_content_type == NULL ||
          g_strcmp0 (sip->sip_content_type->c_type, "application/sdp") == 0);
}

/* Reads the peer's SDP: an offer (@answering) or an answer to ours. */
static gboolean
read_remote_sdp (SipCall     *self,
                 sip_t const *sip,
                 gboolean     answering,
                 GError     **error)
{
  TapiSipSdpMedia media;

  if (!tapi_sip_sdp_parse (sip->sip_payload->pl_data, sip->sip_payload->pl_len,
                           (const char * const *) self->account->codecs, answering,
                           &media, error))
    return FALSE;
  if (!tapi_sip_sdp_same_family (media.address, self->account->bind_host))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "The audio stream's address %s is not of the family of %s",
                   media.address, self->account->bind_host);
      tapi_sip_sdp_media_clear (&media);
      return FALSE;
    }
  tapi_sip_sdp_media_clear (&self->remote);
  self->remote = media;
  self->have_remote = TRUE;
  return TRUE;
}

static void
remember_remote_target (SipCall     *self,
                        sip_t const *sip)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };

  if (sip == NULL || sip->sip_contact == NULL)
    return;
  su_home_init (home);
  g_free (self->remote_target);
  self->remote_target = tapi_sip_url_identity (home, sip->sip_contact->m_url);
  su_home_deinit (home);
}

/* The Authorization credentials for a 401 or 407 in @sip, or NULL. */
static char *
tapi_sip_account_credentials (SipAccount  *account,
                              sip_t const *sip)
{
  msg_auth_t const *challenge = NULL;
  const char *realm;

  if (account->password == NULL || sip == NULL)
    return NULL;
  if (sip->sip_www_authenticate)
    challenge = sip->sip_www_authenticate;
  else if (sip->sip_proxy_authenticate)
    challenge = sip->sip_proxy_authenticate;
  if (challenge == NULL || challenge->au_scheme == NULL)
    return NULL;
  realm = msg_params_find (challenge->au_params, "realm=");
  if (realm == NULL)
    return NULL;
  return g_strdup_printf ("%s:%s:%s:%s", challenge->au_scheme, realm,
                          account->username, account->password);
}

static TapiCallStateCause
cause_for_status (int status)
{
  switch (status)
    {
    case 486:
    case 600:
      return TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY;
    case 404:
    case 484:
    case 604:
      return TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS;
    case 408:
    case 480:
      return TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER;
    case 403:
    case 603:
      return TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED;
    case 487:
      return TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED;
    default:
      return TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED;
    }
}

/* The error of an operation that a final @status ended. */
static TapiError
tapi_sip_error_for_status (int status)
{
  switch (status)
    {
    case 405:
    case 420:
    case 501:
      return TAPI_ERROR_NOT_SUPPORTED;
    default:
      break;
    }

  switch (cause_for_status (status))
    {
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY:
      return TAPI_ERROR_DEST_BUSY;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS:
      return TAPI_ERROR_INVALID_ADDRESS;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER:
      return TAPI_ERROR_DEST_NO_ANSWER;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED:
      return TAPI_ERROR_DEST_UNAVAILABLE;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED:
      return TAPI_ERROR_DROPPED;
    default:
      return TAPI_ERROR_FAILED;
    }
}

/* Being transferred: tells the transferor how the new call goes. */
static void
tapi_sip_call_notify_referrer (SipCall    *self,
                               int         status,
                               const char *phrase)
{
  g_autofree char *fragment = NULL;

  if (self->refer_handle == NULL)
    return;
  fragment = g_strdup_printf ("SIP/2.0 %03d %s\r\n", status, phrase ? phrase : "");
  nua_notify (self->refer_handle,
              NUTAG_SUBSTATE (status >= 200 ? nua_substate_terminated : nua_substate_active),
              SIPTAG_EVENT_STR (self->refer_event),
              SIPTAG_CONTENT_TYPE_STR ("message/sipfrag"),
              SIPTAG_PAYLOAD_STR (fragment),
              TAG_END ());
  if (status >= 200)
    {
      nua_handle_unref (self->refer_handle);
      self->refer_handle = NULL;
    }
}

static void
tapi_sip_call_hang_up (SipCall            *self,
                       TapiCallStateCause  cause)
{
  if (self->nh && self->established && tapi_broker_call_is_live (self->call))
    nua_bye (self->nh, TAG_END ());
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED, cause);
}

/* Places the INVITE of an outgoing call to its destination. */
static gboolean
tapi_sip_call_place (SipCall  *self,
                     GError  **error)
{
  SipAccount *account = self->account;
  g_autofree char *uri = NULL;
  g_autofree char *offer = NULL;

  uri = tapi_sip_resolve_destination (account, tapi_broker_call_get_destination (self->call), error);
  if (uri == NULL || !ensure_sockets (self, error))
    return FALSE;

  offer = make_offer (self);
  self->nh = nua_handle (account->nua, self, SIPTAG_TO_STR (uri), TAG_END ());
  if (self->nh == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "The SIP stack could not make a call to %s", uri);
      return FALSE;
    }
  g_debug ("SIP call %u: INVITE %s", tapi_broker_call_get_id (self->call), uri);
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (offer),
              TAG_IF (self->replaces, SIPTAG_REPLACES_STR (self->replaces)),
              TAG_END ());
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_IN_PROGRESS, TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

static void
send_reinvite (SipCall *self)
{
  g_autofree char *offer = make_offer (self);

  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (offer),
              TAG_END ());
}

/* Provider operations */

static gboolean
tapi_sip_provider_check_destination (TapiProvider      *provider,
                                     TapiBrokerAddress *address,
                                     const char        *destination,
                                     GError           **error)
{
  SipAccount *account = account_of_address (TAPI_SIP_PROVIDER (provider), address);
  g_autofree char *uri = tapi_sip_resolve_destination (account, destination, error);

  return uri != NULL;
}

static gboolean
check_in_service (SipCall  *self,
                  GError  **error)
{
  if (self->account->nua == NULL ||
      self->account->address->state == TAPI_ADDRESS_STATE_OUT_OF_SERVICE)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "Address %s is not registered", self->account->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tapi_sip_provider_connect (TapiProvider   *provider,
                           TapiBrokerCall *call,
                           GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);

  if (!check_in_service (self, error))
    return FALSE;
  if (tapi_broker_call_get_destination (call) == NULL)
    {
      self->dial_tone = TRUE;
      tapi_sip_call_set_state (self, TAPI_CALL_STATE_IN_PROGRESS, TAPI_CALL_STATE_CAUSE_NONE);
      return TRUE;
    }
  return tapi_sip_call_place (self, error);
}

static gboolean
tapi_sip_provider_dial (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        const char     *destination,
                        GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);

  if (!self->dial_tone)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is not in dial tone", tapi_broker_call_get_id (call));
      return FALSE;
    }
  if (!check_in_service (self, error))
    return FALSE;
  tapi_broker_call_set_destination (call, destination);
  if (!tapi_sip_call_place (self, error))
    {
      tapi_broker_call_set_destination (call, NULL);
      return FALSE;
    }
  self->dial_tone = FALSE;
  tapi_broker_call_set_called_id (call, NULL, destination);
  return TRUE;
}

static gboolean
tapi_sip_provider_answer (TapiProvider   *provider,
                          TapiBrokerCall *call,
                          GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);
  g_autofree char *sdp = NULL;

  if (self->nh == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "The caller of call %u has gone", tapi_broker_call_get_id (call));
      return FALSE;
    }

  if (self->offer_in_answer)
    sdp = make_offer (self);
  else
    sdp = tapi_sip_sdp_answer (self->account->bind_host,
                               tapi_broker_call_get_rtp_port (call),
                               tapi_broker_call_get_rtcp_port (call),
                               &self->remote,
                               tapi_sip_sdp_combine_direction (wanted_direction (self),
                                                               tapi_sip_sdp_reverse_direction (self->remote.direction)),
                               self->session_id, ++self->sdp_version);
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (sdp),
               TAG_END ());
  self->established = TRUE;
  if (self->have_remote)
    publish_media (self, tapi_sip_sdp_reverse_direction (self->remote.direction));
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_CONNECTED, TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

static gboolean
tapi_sip_provider_disconnect (TapiProvider       *provider,
                              TapiBrokerCall     *call,
                              TapiDisconnectCode  code,
                              TapiCallStateCause  cause,
                              GError            **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);
  TapiCallState state = tapi_broker_call_get_state (call);

  if (self->nh == NULL)
    ;
  else if (state == TAPI_CALL_STATE_OFFERING)
    {
      if (code == TAPI_DISCONNECT_CODE_REJECTED)
        nua_respond (self->nh, SIP_603_DECLINE, TAG_END ());
      else if (code == TAPI_DISCONNECT_CODE_NO_ANSWER)
        nua_respond (self->nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END ());
      else
        nua_respond (self->nh, SIP_486_BUSY_HERE, TAG_END ());
    }
  else if (!self->established)
    nua_cancel (self->nh, TAG_END ());
  else
    nua_bye (self->nh, TAG_END ());

  self->dial_tone = FALSE;
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED, cause);
  if (self->referred_call)
    tapi_sip_call_notify_referrer (self, 487, "Request Terminated");
  return TRUE;
}

static gboolean
tapi_sip_provider_hold (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        gboolean        hold,
                        GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);

  if (self->nh == NULL || !self->established)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u has no SIP session to hold", tapi_broker_call_get_id (call));
      return FALSE;
    }
  self->local_hold = hold;
  send_reinvite (self);
  tapi_sip_call_set_state (self, hold ? TAPI_CALL_STATE_HOLD : TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

/* Transfers this side starts */

/* The transfer this side started on @self did not happen: the call stays
 * as it is (CONNECTED, or HOLD for the original call of a consultation),
 * and the application's request fails with @code. */
static void tapi_sip_call_transfer_failed (SipCall    *self,
                                           TapiError   code,
                                           const char *format,
                                           ...) G_GNUC_PRINTF (3, 4);

static void
tapi_sip_call_transfer_failed (SipCall    *self,
                               TapiError   code,
                               const char *format,
                               ...)
{
  g_autoptr(GError) error = NULL;
  TapiBroker *broker;
  va_list args;

  if (self->transfer == TRANSFER_NONE)
    return;
  self->transfer = TRANSFER_NONE;
  tapi_sip_call_stop_transfer_timeout (self);
  g_clear_object (&self->consultation);

  va_start (args, format);
  error = g_error_new_valist (TAPI_ERROR, code, format, args);
  va_end (args);
  g_debug ("SIP call %u: transfer failed: %s", tapi_broker_call_get_id (self->call),
           error->message);
  broker = self->account ? tapi_sip_account_get_broker (self->account) : NULL;
  if (broker)
    tapi_broker_transfer_failed (broker, self->call, error);
}

/* The transferee reported success: our calls are done. */
static void
transfer_succeeded (SipCall *self)
{
  g_autoptr(TapiBrokerCall) consultation = NULL;

  if (self->transfer == TRANSFER_NONE)
    return;
  g_debug ("SIP call %u: transfer succeeded", tapi_broker_call_get_id (self->call));
  if (self->transfer == TRANSFER_BLIND && self->transfer_target)
    tapi_broker_call_set_redirection_id_number (self->call, self->transfer_target);
  consultation = g_steal_pointer (&self->consultation);
  /* The consultation call first: the request completes when the
   * original call goes, and then both are gone. */
  if (consultation && tapi_broker_call_is_live (consultation))
    {
      SipCall *other = tapi_broker_call_get_provider_data (consultation);

      if (other)
        tapi_sip_call_hang_up (other, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
    }
  tapi_sip_call_hang_up (self, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}

static gboolean
transfer_timeout_cb (gpointer user_data)
{
  SipCall *self = user_data;

  g_clear_pointer (&self->transfer_timeout, g_source_unref);
  tapi_sip_call_transfer_failed (self, TAPI_ERROR_TIMEOUT,
                                 "The transferee of call %u sent no result within %u s",
                                 tapi_broker_call_get_id (self->call), TRANSFER_TIMEOUT_SECONDS);
  return G_SOURCE_REMOVE;
}

static gboolean
start_refer (SipCall     *self,
             const char  *refer_to,
             GError     **error)
{
  if (self->nh == NULL || !self->established)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u has no SIP session to transfer", tapi_broker_call_get_id (self->call));
      return FALSE;
    }
  if (self->transfer != TRANSFER_NONE)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is being transferred already", tapi_broker_call_get_id (self->call));
      return FALSE;
    }
  g_debug ("SIP call %u: REFER to %s", tapi_broker_call_get_id (self->call), refer_to);
  self->auth_tries = 0;
  nua_refer (self->nh,
             SIPTAG_REFER_TO_STR (refer_to),
             SIPTAG_REFERRED_BY_STR (self->account->aor),
             TAG_END ());

  tapi_sip_call_stop_transfer_timeout (self);
  self->transfer_timeout = g_timeout_source_new_seconds (TRANSFER_TIMEOUT_SECONDS);
  g_source_set_callback (self->transfer_timeout, transfer_timeout_cb, self, NULL);
  g_source_attach (self->transfer_timeout, self->account->sip->context);
  return TRUE;
}

static gboolean
tapi_sip_provider_blind_transfer (TapiProvider   *provider,
                                  TapiBrokerCall *call,
                                  const char     *destination,
                                  GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);
  g_autofree char *uri = tapi_sip_resolve_destination (self->account, destination, error);
  g_autofree char *refer_to = NULL;

  if (uri == NULL)
    return FALSE;
  refer_to = g_strdup_printf ("<%s>", uri);
  if (!start_refer (self, refer_to, error))
    return FALSE;
  self->transfer = TRANSFER_BLIND;
  g_free (self->transfer_target);
  self->transfer_target = g_strdup (destination);
  return TRUE;
}

static gboolean
tapi_sip_provider_finish_transfer (TapiProvider   *provider,
                                   TapiBrokerCall *original,
                                   TapiBrokerCall *consultation,
                                   GError        **error)
{
  TapiSipProvider *provider_self = TAPI_SIP_PROVIDER (provider);
  SipCall *self = tapi_sip_call_of (provider_self, original);
  SipCall *other = tapi_sip_call_of (provider_self, consultation);
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_replaces_t *replaces;
  g_autofree char *target = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *refer_to = NULL;
  char *header;

  if (other->nh == NULL || !other->established)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Consultation call %u has no SIP session",
                   tapi_broker_call_get_id (consultation));
      return FALSE;
    }

  su_home_init (home);
  replaces = nua_handle_make_replaces (other->nh, home, 0);
  header = replaces ? sip_header_as_string (home, (sip_header_t const *) replaces) : NULL;
  if (header == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                   "Consultation call %u has no dialog to replace",
                   tapi_broker_call_get_id (consultation));
      return FALSE;
    }
  escaped = g_uri_escape_string (header, NULL, FALSE);
  su_home_deinit (home);

  if (other->remote_target)
    target = g_strdup (other->remote_target);
  else
    {
      char *name = NULL;

      su_home_init (home);
      tapi_sip_address_identity (nua_handle_remote (other->nh), &name, &target);
      g_free (name);
      su_home_deinit (home);
    }
  if (target == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                   "Consultation call %u has no remote party",
                   tapi_broker_call_get_id (consultation));
      return FALSE;
    }

  refer_to = g_strdup_printf ("<%s?Replaces=%s>", target, escaped);
  if (!start_refer (self, refer_to, error))
    return FALSE;
  self->transfer = TRANSFER_CONSULTATION;
  g_set_object (&self->consultation, consultation);
  return TRUE;
}

static void
tapi_sip_provider_call_removed (TapiProvider   *provider,
                                TapiBrokerCall *call)
{
  SipCall *self = tapi_broker_call_get_provider_data (call);

  if (self)
    {
      sip_call_drop_handle (self);
      self->transfer = TRANSFER_NONE;
      tapi_sip_call_stop_transfer_timeout (self);
      g_clear_object (&self->consultation);
      g_clear_object (&self->referred_call);
    }
}

/* Events of calls */

/* A response to our INVITE: the first one, or a re-INVITE. */
static void
tapi_sip_call_invite_response (SipCall     *self,
                               int          status,
                               char const  *phrase,
                               sip_t const *sip)
{
  g_autoptr(TapiBrokerCall) keep = g_object_ref (self->call);
  g_autoptr(GError) error = NULL;
  TapiCallState state = tapi_broker_call_get_state (self->call);

  if ((status == 401 || status == 407) && self->auth_tries < MAX_AUTH_TRIES)
    {
      g_autofree char *credentials = tapi_sip_account_credentials (self->account, sip);

      if (credentials)
        {
          self->auth_tries++;
          nua_authenticate (self->nh, NUTAG_AUTH (credentials), TAG_END ());
          return;
        }
    }

  if (self->established)
    {
      /* A re-INVITE of ours. */
      if (status >= 200 && status < 300 && is_sdp (sip))
        {
          if (read_remote_sdp (self, sip, FALSE, &error))
            publish_media (self, tapi_sip_sdp_reverse_direction (self->remote.direction));
          else
            g_debug ("SIP call %u: unusable SDP answer to a re-INVITE: %s",
                     tapi_broker_call_get_id (self->call), error->message);
        }
      else if (status >= 300)
        g_debug ("SIP call %u: re-INVITE failed: %d %s",
                 tapi_broker_call_get_id (self->call), status, phrase);
      return;
    }

  if (status < 200)
    {
      if (is_sdp (sip))
        read_remote_sdp (self, sip, FALSE, NULL);
      return;
    }

  if (status >= 300)
    {
      g_debug ("SIP call %u: %d %s", tapi_broker_call_get_id (self->call), status, phrase);
      tapi_sip_call_notify_referrer (self, status, phrase);
      tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED, cause_for_status (status));
      return;
    }

  /* 2xx */
  self->established = TRUE;
  if (state == TAPI_CALL_STATE_DISCONNECTED)
    {
      /* Answered while we gave up: CANCEL and 200 crossed. */
      nua_bye (self->nh, TAG_END ());
      return;
    }

  if (is_sdp (sip) && !read_remote_sdp (self, sip, FALSE, &error))
    self->have_remote = FALSE;
  if (!self->have_remote)
    {
      g_debug ("SIP call %u: no usable SDP answer: %s", tapi_broker_call_get_id (self->call),
               error ? error->message : "none");
      tapi_sip_call_notify_referrer (self, 488, "Not Acceptable Here");
      tapi_sip_call_hang_up (self, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
      return;
    }

  remember_remote_target (self, sip);
  if (sip && sip->sip_to)
    {
      g_autofree char *name = NULL;
      g_autofree char *number = NULL;

      tapi_sip_address_identity (sip->sip_to, &name, &number);
      tapi_broker_call_set_connected_id (self->call, name, number);
    }
  publish_media (self, tapi_sip_sdp_combine_direction (wanted_direction (self),
                                                       tapi_sip_sdp_reverse_direction (self->remote.direction)));
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_CONNECTED, TAPI_CALL_STATE_CAUSE_NONE);

  if (self->referred_call)
    {
      g_autoptr(TapiBrokerCall) referred = g_steal_pointer (&self->referred_call);
      SipCall *original = tapi_broker_call_get_provider_data (referred);

      tapi_sip_call_notify_referrer (self, status, phrase);
      if (original && tapi_broker_call_is_live (referred))
        tapi_sip_call_hang_up (original, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
    }
}

/* A re-INVITE from the peer: hold, resume, or a new address. */
static void
tapi_sip_call_incoming_reinvite (SipCall     *self,
                                 sip_t const *sip)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sdp = NULL;
  const char *direction;

  if (!is_sdp (sip))
    {
      /* The peer wants our offer; its answer comes with the ACK. */
      sdp = make_offer (self);
      nua_respond (self->nh, SIP_200_OK,
                   SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
                   SIPTAG_PAYLOAD_STR (sdp),
                   TAG_END ());
      self->offer_in_answer = TRUE;
      return;
    }

  if (!read_remote_sdp (self, sip, TRUE, &error))
    {
      g_debug ("SIP call %u: refusing a re-INVITE: %s", tapi_broker_call_get_id (self->call),
               error->message);
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
      return;
    }

  direction = tapi_sip_sdp_combine_direction (wanted_direction (self),
                                              tapi_sip_sdp_reverse_direction (self->remote.direction));
  sdp = tapi_sip_sdp_answer (self->account->bind_host,
                             tapi_broker_call_get_rtp_port (self->call),
                             tapi_broker_call_get_rtcp_port (self->call),
                             &self->remote, direction, self->session_id, ++self->sdp_version);
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (sdp),
               TAG_END ());
  g_debug ("SIP call %u: the peer's media is now %s", tapi_broker_call_get_id (self->call),
           self->remote.direction);
  remember_remote_target (self, sip);
  publish_media (self, direction);
}

static void
tapi_sip_call_incoming_ack (SipCall     *self,
                            sip_t const *sip)
{
  g_autoptr(GError) error = NULL;

  if (!self->offer_in_answer)
    return;
  self->offer_in_answer = FALSE;
  if (!is_sdp (sip) || !read_remote_sdp (self, sip, FALSE, &error))
    {
      g_debug ("SIP call %u: no usable SDP in the ACK: %s", tapi_broker_call_get_id (self->call),
               error ? error->message : "none");
      tapi_sip_call_hang_up (self, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
      return;
    }
  publish_media (self, tapi_sip_sdp_combine_direction (wanted_direction (self),
                                                       tapi_sip_sdp_reverse_direction (self->remote.direction)));
}

/* SIP INFO with a digit (application/dtmf-relay or application/dtmf). */
static void
tapi_sip_call_incoming_info (SipCall     *self,
                             sip_t const *sip)
{
  g_autofree char *body = NULL;
  const char *type;
  char digit = 0;

  if (sip == NULL || sip->sip_content_type == NULL || sip->sip_payload == NULL)
    return;
  type = sip->sip_content_type->c_type;
  body = g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);

  if (g_ascii_strcasecmp (type, "application/dtmf-relay") == 0)
    {
      g_auto(GStrv) lines = g_strsplit_set (body, "\r\n", -1);

      for (guint i = 0; lines[i]; i++)
        {
          g_auto(GStrv) pair = g_strsplit (lines[i], "=", 2);

          if (g_strv_length (pair) == 2 &&
              g_ascii_strcasecmp (g_strstrip (pair[0]), "Signal") == 0)
            {
              const char *value = g_strstrip (pair[1]);
              guint64 number;

              if (g_ascii_string_to_unsigned (value, 10, 10, 15, &number, NULL))
                digit = "*#ABCD"[number - 10];
              else if (strlen (value) == 1)
                digit = g_ascii_toupper (value[0]);
            }
        }
    }
  else if (g_ascii_strcasecmp (type, "application/dtmf") == 0)
    {
      g_strstrip (body);
      if (strlen (body) == 1)
        digit = g_ascii_toupper (body[0]);
    }

  if (digit == 0 || strchr ("0123456789*#ABCD", digit) == NULL)
    {
      g_debug ("SIP call %u: INFO without a digit", tapi_broker_call_get_id (self->call));
      return;
    }
  g_debug ("SIP call %u: digit %c by INFO", tapi_broker_call_get_id (self->call), digit);
  if (tapi_sip_account_get_broker (self->account))
    tapi_broker_digit_received (tapi_sip_account_get_broker (self->account), self->call, digit);
}

/* The peer sent REFER: we place a call to the target for our owner. */
static void
tapi_sip_call_incoming_refer (SipCall     *self,
                              sip_t const *sip,
                              tagi_t       tags[])
{
  TapiSipProvider *provider = self->account->sip;
  TapiBroker *broker = tapi_sip_account_get_broker (self->account);
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_event_t const *event = NULL;
  url_t target[1];
  g_autofree char *target_uri = NULL;
  g_autofree char *replaces = NULL;
  g_autoptr(TapiBrokerCall) call = NULL;
  g_autoptr(GError) error = NULL;
  SipCall *placed;
  char *event_text;

  if (sip == NULL || sip->sip_refer_to == NULL || broker == NULL)
    return;

  su_home_init (home);
  tl_gets (tags, NUTAG_REFER_EVENT_REF (event), TAG_END ());
  event_text = event ? sip_header_as_string (home, (sip_header_t const *) event) : NULL;

  *target = *sip->sip_refer_to->r_url;
  if (target->url_headers)
    {
      g_auto(GStrv) headers = g_strsplit (target->url_headers, "&", -1);

      for (guint i = 0; headers[i]; i++)
        if (g_ascii_strncasecmp (headers[i], "Replaces=", 9) == 0)
          replaces = g_uri_unescape_string (headers[i] + 9, NULL);
    }
  target->url_headers = NULL;
  target_uri = tapi_sip_network_text (url_as_string (home, target), -1);

  g_debug ("SIP call %u: referred to %s%s", tapi_broker_call_get_id (self->call), target_uri,
           replaces ? " (replacing a dialog)" : "");

  call = tapi_broker_call_new (self->account->address, TAPI_CALL_ORIGIN_OUTBOUND,
                               tapi_broker_call_get_media_types (self->call), target_uri);
  placed = tapi_sip_call_of (provider, call);
  placed->refer_handle = nua_handle_ref (self->nh);
  placed->refer_event = g_strdup (event_text ? event_text : "refer");
  placed->referred_call = g_object_ref (self->call);
  placed->replaces = g_steal_pointer (&replaces);
  su_home_deinit (home);

  tapi_broker_call_set_caller_id (call, self->account->display_name, self->account->aor);
  tapi_broker_call_set_called_id (call, NULL, target_uri);
  tapi_broker_call_set_redirecting_id_number (call, tapi_broker_call_get_connected_id_number (self->call));

  tapi_sip_call_notify_referrer (placed, 100, "Trying");
  tapi_broker_add_call (broker, call);
  /* The new call belongs to whoever holds the referred one. */
  tapi_broker_offer_call_like (broker, call, self->call);
  if (!tapi_sip_call_place (placed, &error))
    {
      g_debug ("SIP call %u: cannot follow the REFER: %s", tapi_broker_call_get_id (self->call),
               error->message);
      tapi_sip_call_notify_referrer (placed, 503, "Service Unavailable");
      g_clear_object (&placed->referred_call);
      tapi_sip_call_set_state (placed, TAPI_CALL_STATE_DISCONNECTED, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
    }
}

/* NOTIFY about our REFER: a sipfrag with the transfer target's status. */
static void
tapi_sip_call_incoming_notify (SipCall     *self,
                               sip_t const *sip,
                               tagi_t       tags[])
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autofree char *fragment = NULL;
  sip_status_t *status = NULL;
  int substate = -1;

  if (self->transfer == TRANSFER_NONE || sip == NULL)
    return;

  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
  su_home_init (home);
  if (sip->sip_payload && sip->sip_content_type &&
      g_ascii_strcasecmp (sip->sip_content_type->c_type, "message/sipfrag") == 0)
    {
      fragment = g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
      /* The status line only; sipfrag may carry headers after it. */
      fragment[strcspn (fragment, "\r\n")] = '\0';
      status = sip_status_make (home, fragment);
    }

  if (status && status->st_status >= 200 && status->st_status < 300)
    transfer_succeeded (self);
  else if (status && status->st_status >= 300)
    tapi_sip_call_transfer_failed (self, tapi_sip_error_for_status (status->st_status),
                                   "The transfer target answered %03d %s", status->st_status,
                                   status->st_phrase ? status->st_phrase : "");
  else if (substate == nua_substate_terminated)
    tapi_sip_call_transfer_failed (self, TAPI_ERROR_FAILED,
                                   "The transferee ended its report without a result");
  su_home_deinit (home);
}

/* The dialog's later requests (BYE, re-INVITE) go to the Contact of the
 * INVITE: one SIP or SIPS URI whose host is an IP address. A host name
 * would need DNS, which the stack resolves asynchronously and without a
 * reachable name server never completes. */
static gboolean
is_usable_contact (sip_contact_t const *contact)
{
  url_t const *url;

  if (contact == NULL || contact->m_next != NULL)
    return FALSE;
  url = contact->m_url;
  return (url->url_type == url_sip || url->url_type == url_sips) &&
    url->url_host != NULL &&
    (host_is_ip4_address (url->url_host) || host_is_ip6_reference (url->url_host));
}

static void
tapi_sip_call_incoming_invite (SipAccount   *account,
                               nua_handle_t *nh,
                               sip_t const  *sip)
{
  TapiSipProvider *provider = account->sip;
  TapiBroker *broker = tapi_sip_account_get_broker (account);
  g_autoptr(TapiBrokerCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;
  nua_handle_t *replaced_nh = NULL;
  SipCall *replaced = NULL;
  SipCall *self;

  if (broker == NULL || sip == NULL)
    {
      nua_respond (nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END ());
      nua_handle_destroy (nh);
      return;
    }

  if (!is_usable_contact (sip->sip_contact))
    {
      g_debug ("SIP: refusing a call to %s without a usable Contact", account->name);
      nua_respond (nh, 400, "Bad Contact Header", TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  for (sip_error_t *bad = sip->sip_error; bad; bad = bad->er_next)
    if (bad->er_name && g_ascii_strcasecmp (bad->er_name, "Replaces") == 0)
      {
        /* Not to be taken for a new call: it was meant to replace one. */
        nua_respond (nh, 400, "Bad Replaces Header", TAG_END ());
        nua_handle_destroy (nh);
        return;
      }

  if (sip->sip_replaces)
    {
      replaced_nh = nua_handle_by_replaces (account->nua, sip->sip_replaces);
      if (replaced_nh)
        {
          replaced = nua_handle_magic (replaced_nh);
          nua_handle_unref (replaced_nh);
        }
      if (replaced == NULL || replaced->account != account || !replaced->established ||
          !tapi_broker_call_is_live (replaced->call))
        {
          g_debug ("SIP: INVITE replaces no call of %s", account->name);
          nua_respond (nh, 481, "Call Does Not Exist", TAG_END ());
          nua_handle_destroy (nh);
          return;
        }
    }

  call = tapi_broker_call_new (account->address, TAPI_CALL_ORIGIN_INBOUND,
                               TAPI_MEDIA_TYPE_AUDIO, NULL);
  self = tapi_sip_call_of (provider, call);
  self->nh = nh;
  nua_handle_bind (nh, self);

  if (is_sdp (sip))
    {
      if (!read_remote_sdp (self, sip, TRUE, &error))
        {
          g_debug ("SIP: refusing a call to %s: %s", account->name, error->message);
          nua_respond (nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
          sip_call_drop_handle (self);
          return;
        }
    }
  else if (sip->sip_payload && sip->sip_payload->pl_len > 0)
    {
      g_debug ("SIP: refusing a call to %s with a body that is no SDP", account->name);
      nua_respond (nh, SIP_415_UNSUPPORTED_MEDIA, TAG_END ());
      sip_call_drop_handle (self);
      return;
    }
  else if (!account->delayed_offer)
    {
      /* An INVITE must carry an offer unless the account takes delayed
       * offers (RFC 3261 allows them; most peers never send them). */
      g_debug ("SIP: refusing a call to %s without an SDP offer", account->name);
      nua_respond (nh, 488, "Not Acceptable Here (no SDP offer)",
                   SIPTAG_WARNING_STR ("399 tapi3 \"An SDP offer is required\""),
                   TAG_END ());
      sip_call_drop_handle (self);
      return;
    }
  else
    self->offer_in_answer = TRUE;

  if (!ensure_sockets (self, &error))
    {
      g_debug ("SIP: %s", error->message);
      nua_respond (nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END ());
      sip_call_drop_handle (self);
      return;
    }

  remember_remote_target (self, sip);
  tapi_sip_caller_identity (sip, &name, &number);
  tapi_broker_call_set_caller_id (call, name, number);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&number, g_free);
  tapi_sip_address_identity (sip->sip_to, &name, &number);
  tapi_broker_call_set_called_id (call, name ? name : account->display_name, number);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&number, g_free);
  tapi_sip_caller_identity (sip, &name, &number);
  tapi_broker_call_set_connected_id (call, name, number);

  g_debug ("SIP call %u: incoming call to %s from %s", tapi_broker_call_get_id (call),
           account->name, tapi_broker_call_get_caller_id_number (call));
  tapi_broker_add_call (broker, call);

  if (replaced)
    {
      /* An attended transfer ends here: the new call takes the old one's
       * place at once, without ringing. */
      g_autoptr(TapiBrokerCall) keep = g_object_ref (replaced->call);
      GError *answer_error = NULL;

      tapi_broker_call_set_redirecting_id_number (call, tapi_broker_call_get_connected_id_number (replaced->call));
      tapi_broker_call_set_state (call, TAPI_CALL_STATE_OFFERING, TAPI_CALL_STATE_CAUSE_NONE);
      /* The new call belongs to whoever holds the replaced one. */
      tapi_broker_offer_call_like (broker, call, replaced->call);
      if (!tapi_sip_provider_answer (TAPI_PROVIDER (provider), call, &answer_error))
        {
          g_debug ("SIP: %s", answer_error->message);
          g_error_free (answer_error);
        }
      tapi_sip_call_hang_up (replaced, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
      return;
    }

  nua_respond (nh, SIP_180_RINGING, TAG_END ());
  tapi_broker_call_set_state (call, TAPI_CALL_STATE_OFFERING, TAPI_CALL_STATE_CAUSE_NONE);
  tapi_broker_offer_call (broker, call);
}

static void
tapi_sip_call_terminated (SipCall *self)
{
  if (!tapi_broker_call_is_live (self->call))
    return;
  if (tapi_broker_call_get_state (self->call) == TAPI_CALL_STATE_IN_PROGRESS && self->dial_tone)
    return;
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
}

/* Registration */

static void tapi_sip_account_register (SipAccount *account);

static gboolean
retry_register_cb (gpointer user_data)
{
  SipAccount *account = user_data;

  g_clear_pointer (&account->retry_source, g_source_unref);
  tapi_sip_account_register (account);
  return G_SOURCE_REMOVE;
}

static void
set_address_state (SipAccount       *account,
                   TapiAddressState  state)
{
  TapiBroker *broker = tapi_sip_account_get_broker (account);

  if (broker)
    tapi_broker_set_address_state (broker, account->address, state);
  else
    account->address->state = state;
}

static void
register_failed (SipAccount *account,
                 int         status,
                 const char *phrase)
{
  g_debug ("SIP: registration of %s failed: %d %s", account->name, status, phrase);
  account->registered = FALSE;
  set_address_state (account, TAPI_ADDRESS_STATE_OUT_OF_SERVICE);

  /* The retry starts afresh: after a failed refresh, sofia-sip would
   * still be busy removing the old registration on this handle. */
  if (account->register_handle)
    {
      nua_handle_destroy (account->register_handle);
      account->register_handle = NULL;
    }

  if (account->retry_source == NULL && !account->shutdown_done)
    {
      account->retry_source = g_timeout_source_new_seconds (REGISTER_RETRY_SECONDS);
      g_source_set_callback (account->retry_source, retry_register_cb, account, NULL);
      g_source_attach (account->retry_source, account->sip->context);
    }
}

/* Answers a challenge to a REGISTER (or its removal); FALSE when it
 * cannot. */
static gboolean
register_authenticate (SipAccount  *account,
                       int          status,
                       sip_t const *sip)
{
  g_autofree char *credentials = NULL;

  if ((status != 401 && status != 407) || account->register_auth_tries >= MAX_AUTH_TRIES)
    return FALSE;
  credentials = tapi_sip_account_credentials (account, sip);
  if (credentials == NULL)
    return FALSE;
  account->register_auth_tries++;
  nua_authenticate (account->register_handle, NUTAG_AUTH (credentials), TAG_END ());
  return TRUE;
}

static void
register_response (SipAccount  *account,
                   int          status,
                   char const  *phrase,
                   sip_t const *sip)
{
  if (status < 200)
    return;
  if (register_authenticate (account, status, sip))
    return;
  account->register_auth_tries = 0;
  if (status >= 300)
    {
      register_failed (account, status, phrase);
      return;
    }
  g_debug ("SIP: %s is registered", account->name);
  account->registered = TRUE;
  set_address_state (account, TAPI_ADDRESS_STATE_IN_SERVICE);
}

static void
tapi_sip_account_register (SipAccount *account)
{
  if (account->nua == NULL || account->registrar == NULL)
    return;
  if (account->register_handle == NULL)
    account->register_handle = nua_handle (account->nua, NULL,
                                           SIPTAG_TO_STR (account->aor),
                                           SIPTAG_FROM_STR (account->aor),
                                           TAG_END ());
  account->register_auth_tries = 0;
  g_debug ("SIP: registering %s at %s", account->name, account->registrar);
  nua_register (account->register_handle,
                NUTAG_REGISTRAR (account->registrar),
                NUTAG_M_USERNAME (account->user),
                TAG_IF (account->display_name, NUTAG_M_DISPLAY (account->display_name)),
                /* No keepalive OPTIONS to the domain: the registrar is
                 * the only server an account talks to on its own. */
                NUTAG_OUTBOUND ("no-options-keepalive no-validate"),
                TAG_END ());
}

/* Events */

/* sofia-sip crashes in a timer of its stack when a handle that took a
 * REFER is destroyed at once: such a handle goes when the transaction
 * is over (64*T1). */
#define REFUSED_HANDLE_SECONDS 32

static gboolean
destroy_refused_cb (gpointer user_data)
{
  SipAccount *account = user_data;
  gint64 now = g_get_monotonic_time ();

  g_clear_pointer (&account->refused_source, g_source_unref);
  while (account->refused->len > 0 &&
         g_array_index (account->refused, RefusedHandle, 0).destroy_time <= now)
    {
      nua_handle_destroy (g_array_index (account->refused, RefusedHandle, 0).nh);
      g_array_remove_index (account->refused, 0);
    }
  if (account->refused->len > 0)
    {
      gint64 next = g_array_index (account->refused, RefusedHandle, 0).destroy_time;

      account->refused_source = g_timeout_source_new ((next - now) / 1000 + 1);
      g_source_set_callback (account->refused_source, destroy_refused_cb, account, NULL);
      g_source_attach (account->refused_source, account->sip->context);
    }
  return G_SOURCE_REMOVE;
}

static void
destroy_refused_later (SipAccount   *account,
                       nua_handle_t *nh)
{
  RefusedHandle refused = {
    nh, g_get_monotonic_time () + REFUSED_HANDLE_SECONDS * G_TIME_SPAN_SECOND
  };

  if (account->refused == NULL)
    account->refused = g_array_new (FALSE, FALSE, sizeof (RefusedHandle));
  g_array_append_val (account->refused, refused);
  if (account->refused_source == NULL)
    {
      account->refused_source = g_timeout_source_new_seconds (REFUSED_HANDLE_SECONDS);
      g_source_set_callback (account->refused_source, destroy_refused_cb, account, NULL);
      g_source_attach (account->refused_source, account->sip->context);
    }
}

static void
forget_refused (SipAccount *account)
{
  if (account->refused_source)
    {
      g_source_destroy (account->refused_source);
      g_clear_pointer (&account->refused_source, g_source_unref);
    }
  /* nua_destroy() takes the handles */
  g_clear_pointer (&account->refused, g_array_unref);
}

static void
event_cb (nua_event_t   event,
          int           status,
          char const   *phrase,
          nua_t        *nua,
          nua_magic_t  *magic,
          nua_handle_t *nh,
          nua_hmagic_t *hmagic,
          sip_t const  *sip,
          tagi_t        tags[])
{
  SipAccount *account = (SipAccount *) magic;
  SipCall *call = (SipCall *) hmagic;

  g_debug ("SIP %s: %s %d %s", account->name, nua_event_name (event), status,
           phrase ? phrase : "");

  if (event == nua_r_shutdown)
    {
      if (status >= 200)
        account->shutdown_done = TRUE;
      return;
    }

  if (nh && account->register_handle == nh)
    {
      if (event == nua_r_register)
        register_response (account, status, phrase, sip);
      else if (event == nua_r_unregister && status >= 200 &&
               !register_authenticate (account, status, sip))
        {
          account->register_auth_tries = 0;
          account->registered = FALSE;
        }
      return;
    }

  if (call == NULL)
    {
      if (event == nua_i_invite)
        tapi_sip_call_incoming_invite (account, nh, sip);
      else if (event == nua_i_info || event == nua_i_refer)
        {
          /* RFC 6086: INFO belongs to an INVITE dialog; so does REFER,
           * which transfers one of our calls. */
          nua_respond (nh, 481, "Call Does Not Exist", NUTAG_WITH_THIS (nua), TAG_END ());
          if (event == nua_i_refer)
            destroy_refused_later (account, nh);
          else
            nua_handle_destroy (nh);
        }
      else if (nh && nua_event_is_incoming_request (event))
        /* nua answered it already; nothing here holds the handle. */
        nua_handle_destroy (nh);
      return;
    }

  switch (event)
    {
    case nua_i_invite:
      tapi_sip_call_incoming_reinvite (call, sip);
      break;
    case nua_r_invite:
      tapi_sip_call_invite_response (call, status, phrase, sip);
      break;
    case nua_i_ack:
      tapi_sip_call_incoming_ack (call, sip);
      break;
    case nua_i_cancel:
      tapi_sip_call_set_state (call, TAPI_CALL_STATE_DISCONNECTED, TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED);
      break;
    case nua_i_bye:
      tapi_sip_call_set_state (call, TAPI_CALL_STATE_DISCONNECTED, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
      break;
    case nua_i_info:
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), TAG_END ());
      tapi_sip_call_incoming_info (call, sip);
      break;
    case nua_i_refer:
      nua_respond (nh, SIP_202_ACCEPTED, NUTAG_WITH_THIS (nua), TAG_END ());
      tapi_sip_call_incoming_refer (call, sip, tags);
      break;
    case nua_r_refer:
      if ((status == 401 || status == 407) && call->auth_tries < MAX_AUTH_TRIES)
        {
          g_autofree char *credentials = tapi_sip_account_credentials (account, sip);

          if (credentials)
            {
              call->auth_tries++;
              nua_authenticate (nh, NUTAG_AUTH (credentials), TAG_END ());
              break;
            }
        }
      if (status >= 300)
        tapi_sip_call_transfer_failed (call, tapi_sip_error_for_status (status),
                                       "The transferee refused the REFER: %03d %s", status,
                                       phrase ? phrase : "");
      break;
    case nua_i_notify:
      tapi_sip_call_incoming_notify (call, sip, tags);
      break;
    case nua_i_state:
      {
        int state = -1;

        tl_gets (tags, NUTAG_CALLSTATE_REF (state), TAG_END ());
        /* Terminating: sofia-sip ends the call with a BYE of its own, as
         * when an answer's ACK never came; the BYE may take 32 s more. */
        if (state == nua_callstate_terminating || state == nua_callstate_terminated)
          tapi_sip_call_terminated (call);
      }
      break;
    default:
      break;
    }
}

/* Configuration */

/* The line of @key in [@group] of @contents, or of the group header. */
static guint
tapi_sip_config_line_of (const char *contents,
                         const char *group,
                         const char *key)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *header = g_strdup_printf ("[%s]", group);
  guint group_line = 0;

  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] == '[')
        {
          if (group_line != 0)
            break;
          if (g_str_equal (line, header))
            group_line = i + 1;
          continue;
        }
      if (group_line != 0 && key && g_str_has_prefix (line, key))
        {
          const char *rest = g_strchug (line + strlen (key));

          if (*rest == '=')
            return i + 1;
        }
    }
  return group_line;
}

typedef struct
{
  const char *path;
  const char *contents;
  const char *group;
} ConfigContext;

static void tapi_sip_config_warning (ConfigContext *context,
                                     const char    *key,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (3, 4);

static void
tapi_sip_config_warning (ConfigContext *context,
                         const char    *key,
                         const char    *format,
                         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_warning ("%s:%u: [%s] %s; the account is left out", context->path,
             tapi_sip_config_line_of (context->contents, context->group, key), context->group, message);
}

static gboolean
parse_sip_url (const char *text,
               gboolean    need_user,
               char      **user,
               char      **host,
               char      **port)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url;
  gboolean ok;

  su_home_init (home);
  url = text ? url_make (home, text) : NULL;
  ok = url && (url->url_type == url_sip || url->url_type == url_sips) &&
       url->url_host && *url->url_host && (!need_user || (url->url_user && *url->url_user)) &&
       (url->url_port == NULL ||
        g_ascii_string_to_unsigned (url->url_port, 10, 0, 65535, NULL, NULL));
  if (ok)
    {
      if (user)
        *user = g_strdup (url->url_user);
      if (host)
        *host = g_strdup (url->url_host);
      if (port)
        *port = g_strdup (url->url_port);
    }
  su_home_deinit (home);
  return ok;
}

static char *
get_string (GKeyFile   *config,
            const char *group,
            const char *key)
{
  char *value = g_key_file_get_string (config, group, key, NULL);

  if (value)
    g_strstrip (value);
  if (value && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* A free port on @host for the account's transport, when bind says 0. */
static guint
pick_port (const char  *host,
           gboolean     stream,
           GError     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  guint port;

  socket = g_socket_new (g_inet_address_get_family (inet),
                         stream ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM,
                         stream ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return 0;
  address = g_inet_socket_address_new (inet, 0);
  if (!g_socket_bind (socket, address, FALSE, error) ||
      !(bound = g_socket_get_local_address (socket, error)))
    return 0;
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
tapi_sip_account_free (SipAccount *account)
{
  if (account->retry_source)
    {
      g_source_destroy (account->retry_source);
      g_source_unref (account->retry_source);
    }
  forget_refused (account);
  g_free (account->name);
  g_free (account->aor);
  g_free (account->user);
  g_free (account->domain);
  g_free (account->display_name);
  g_free (account->bind_host);
  g_free (account->contact);
  g_free (account->registrar);
  g_free (account->proxy);
  g_free (account->username);
  g_free (account->password);
  g_free (account->transport);
  g_strfreev (account->codecs);
  if (account->calls)
    g_ptr_array_unref (account->calls);
  g_free (account);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SipAccount, tapi_sip_account_free)

static SipAccount *
tapi_sip_provider_read_account (TapiSipProvider *self,
                                GKeyFile        *config,
                                ConfigContext   *context,
                                const char      *name)
{
  g_autoptr(SipAccount) account = g_new0 (SipAccount, 1);
  g_autofree char *bind = NULL;
  g_autofree char *bind_port = NULL;
  g_autofree char *aor_port = NULL;
  g_autofree char *codecs = NULL;
  g_auto(GStrv) keys = NULL;
  static const char * const known_keys[] = {
    "uri", "bind", "registrar", "proxy", "username", "password", "transport",
    "codecs", "display-name", "delayed-offer", NULL
  };

  account->sip = self;
  account->name = g_strdup (name);
  account->calls = g_ptr_array_new ();

  keys = g_key_file_get_keys (config, context->group, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (!g_strv_contains (known_keys, keys[i]))
      {
        tapi_sip_config_warning (context, keys[i], "unknown key '%s'", keys[i]);
        return NULL;
      }

  if (*name == '\0')
    {
      tapi_sip_config_warning (context, NULL, "the account has no name after 'account:'");
      return NULL;
    }

  account->aor = get_string (config, context->group, "uri");
  if (!parse_sip_url (account->aor, TRUE, &account->user, &account->domain, &aor_port))
    {
      tapi_sip_config_warning (context, "uri", "uri=%s is not a SIP address like sip:alice@example.org",
                               account->aor ? account->aor : "");
      return NULL;
    }
  /* User parts are dialled in the domain of the address of record, port
   * included. */
  if (aor_port)
    {
      char *domain = g_strdup_printf ("%s:%s", account->domain, aor_port);

      g_free (account->domain);
      account->domain = domain;
    }

  account->transport = get_string (config, context->group, "transport");
  if (account->transport == NULL)
    account->transport = g_strdup ("udp");
  if (!g_str_equal (account->transport, "udp") && !g_str_equal (account->transport, "tcp") &&
      !g_str_equal (account->transport, "tls"))
    {
      tapi_sip_config_warning (context, "transport", "transport=%s is none of udp, tcp, tls",
                               account->transport);
      return NULL;
    }

  bind = get_string (config, context->group, "bind");
  if (bind == NULL)
    bind = g_strdup ("sip:127.0.0.1:0");
  if (!parse_sip_url (bind, FALSE, NULL, &account->bind_host, &bind_port))
    {
      tapi_sip_config_warning (context, "bind", "bind=%s is not a SIP URI like sip:127.0.0.1:5070", bind);
      return NULL;
    }
  {
    g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (account->bind_host);

    if (inet == NULL || g_inet_address_get_is_any (inet))
      {
        tapi_sip_config_warning (context, "bind", "bind=%s must name one IP address of this machine",
                                 bind);
        return NULL;
      }
  }
  account->bind_port = bind_port ? atoi (bind_port) : 5060;

  account->registrar = get_string (config, context->group, "registrar");
  if (account->registrar && !parse_sip_url (account->registrar, FALSE, NULL, NULL, NULL))
    {
      tapi_sip_config_warning (context, "registrar", "registrar=%s is not a SIP URI", account->registrar);
      return NULL;
    }
  account->proxy = get_string (config, context->group, "proxy");
  if (account->proxy && !parse_sip_url (account->proxy, FALSE, NULL, NULL, NULL))
    {
      tapi_sip_config_warning (context, "proxy", "proxy=%s is not a SIP URI", account->proxy);
      return NULL;
    }
  account->username = get_string (config, context->group, "username");
  if (account->username == NULL)
    account->username = g_strdup (account->user);
  account->password = g_key_file_get_string (config, context->group, "password", NULL);
  account->display_name = get_string (config, context->group, "display-name");

  if (g_key_file_has_key (config, context->group, "delayed-offer", NULL))
    {
      g_autoptr(GError) error = NULL;

      account->delayed_offer = g_key_file_get_boolean (config, context->group,
                                                       "delayed-offer", &error);
      if (error != NULL)
        {
          tapi_sip_config_warning (context, "delayed-offer", "delayed-offer must be true or false");
          return NULL;
        }
    }

  codecs = get_string (config, context->group, "codecs");
  account->codecs = g_strsplit (codecs ? codecs : DEFAULT_CODECS, ";", -1);
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; account->codecs[i]; i++)
      {
        const TapiCodec *codec = tapi_codec_find (g_strstrip (account->codecs[i]));

        if (*account->codecs[i] == '\0')
          continue;
        if (codec == NULL)
          {
            tapi_sip_config_warning (context, "codecs", "codecs: unknown codec '%s' (PCMU, PCMA, G722, OPUS)",
                                     account->codecs[i]);
            return NULL;
          }
        if (!g_ptr_array_find_with_equal_func (names, codec->name, g_str_equal, NULL))
          g_ptr_array_add (names, g_strdup (codec->name));
      }
    if (names->len == 0)
      {
        tapi_sip_config_warning (context, "codecs", "codecs must name at least one codec");
        return NULL;
      }
    g_ptr_array_add (names, NULL);
    g_strfreev (account->codecs);
    account->codecs = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  }

  return g_steal_pointer (&account);
}

static gboolean
tapi_sip_provider_start_account (TapiSipProvider *self,
                                 SipAccount      *account,
                                 ConfigContext   *context)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *sips_url = NULL;
  g_autofree char *host = NULL;
  g_autofree char *from = NULL;
  gboolean tls = g_str_equal (account->transport, "tls");

  if (account->bind_port == 0)
    {
      account->bind_port = pick_port (account->bind_host,
                                      !g_str_equal (account->transport, "udp"), &error);
      if (account->bind_port == 0)
        {
          tapi_sip_config_warning (context, "bind", "no free port on %s: %s", account->bind_host,
                                   error->message);
          return FALSE;
        }
    }

  host = strchr (account->bind_host, ':') ? g_strdup_printf ("[%s]", account->bind_host) :
                                            g_strdup (account->bind_host);
  if (tls)
    {
      sips_url = g_strdup_printf ("sips:%s:%u", host, account->bind_port);
      url = g_strdup_printf ("sip:%s:0;transport=tcp", host);
    }
  else
    url = g_strdup_printf ("sip:%s:%u;transport=%s", host, account->bind_port,
                           account->transport);
  account->contact = g_strdup_printf ("%s:%s@%s:%u;transport=%s", tls ? "sips" : "sip",
                                      account->user, host, account->bind_port,
                                      account->transport);

  if (account->display_name)
    {
      g_autofree char *quoted = g_strescape (account->display_name, NULL);

      from = g_strdup_printf ("\"%s\" <%s>", quoted, account->aor);
    }
  else
    from = g_strdup_printf ("<%s>", account->aor);

  account->nua = nua_create (self->root, event_cb, account,
                             NUTAG_URL (url),
                             TAG_IF (tls, NUTAG_SIPS_URL (sips_url)),
                             TAG_IF (account->proxy, NUTAG_PROXY (account->proxy)),
                             SIPTAG_FROM_STR (from),
                             NUTAG_M_USERNAME (account->user),
                             NUTAG_MEDIA_ENABLE (0),
                             NUTAG_AUTOANSWER (0),
                             NUTAG_AUTOALERT (0),
                             NUTAG_AUTOACK (1),
                             NUTAG_ENABLEINVITE (1),
                             /* Replacing sofia-sip's defaults: without its
                              * SDP engine, session timers, 100rel, UPDATE and
                              * PRACK are not handled, so they are not offered. */
                             SIPTAG_ALLOW_STR ("INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY, INFO"),
                             SIPTAG_SUPPORTED_STR ("replaces"),
                             NUTAG_SESSION_TIMER (0),
                             NUTAG_USER_AGENT ("libtapi3/" PACKAGE_VERSION),
                             /* No STUN server on our SIP port: datagrams
                              * starting with 0x00 or 0x01 are dropped. */
                             TPTAG_STUN_SERVER (0),
                             TAG_END ());
  if (account->nua == NULL)
    {
      tapi_sip_config_warning (context, "bind", "the SIP stack cannot listen on %s", url);
      return FALSE;
    }
  /* INFO and REFER outside a call are refused by event_cb(), not
   * accepted by sofia-sip and ignored */
  nua_set_params (account->nua, NUTAG_APPL_METHOD ("INFO"), NUTAG_APPL_METHOD ("REFER"),
                  TAG_END ());
  g_debug ("SIP: account %s is %s, contact %s", account->name, account->aor, account->contact);
  return TRUE;
}

static void
tapi_sip_provider_add_account (TapiSipProvider *self,
                               SipAccount      *account)
{
  TapiBrokerAddress *address;

  address = tapi_broker_address_new (TAPI_PROVIDER (self), account->name, account->aor,
                                     account->display_name);
  address->media_types = TAPI_MEDIA_TYPE_AUDIO;
  address->address_types = TAPI_ADDRESS_TYPE_PHONE_NUMBER | TAPI_ADDRESS_TYPE_DOMAIN_NAME;
  address->call_features =
    TAPI_CALL_FEATURES_CONNECT | TAPI_CALL_FEATURES_ANSWER |
    TAPI_CALL_FEATURES_DISCONNECT | TAPI_CALL_FEATURES_HOLD |
    TAPI_CALL_FEATURES_HANDOFF | TAPI_CALL_FEATURES_BLIND_TRANSFER |
    TAPI_CALL_FEATURES_TRANSFER | TAPI_CALL_FEATURES_SWAP_HOLD |
    TAPI_CALL_FEATURES_DIAL | TAPI_CALL_FEATURES_GENERATE_DIGITS |
    TAPI_CALL_FEATURES_DETECT_DIGITS | TAPI_CALL_FEATURES_MONITOR_MEDIA;
  /* Registered accounts serve once the registrar said yes. */
  address->state = account->registrar ? TAPI_ADDRESS_STATE_OUT_OF_SERVICE :
                                        TAPI_ADDRESS_STATE_IN_SERVICE;
  account->address = address;
  tapi_provider_add_address (TAPI_PROVIDER (self), address);
  g_ptr_array_add (self->accounts, account);
}

static gboolean
init_sofia (TapiSipProvider *self)
{
  static gsize mclass_once = 0;
  GSource *source;

  if (g_once_init_enter (&mclass_once))
    {
      /* P-Asserted-Identity is an extension header: teach the parser. */
      sip_update_default_mclass (sip_extend_mclass (NULL));
      g_once_init_leave (&mclass_once, 1);
    }

  if (su_init () != 0)
    {
      g_warning ("SIP: sofia-sip could not initialize");
      return FALSE;
    }
  setup_sofia_logs ();
  su_home_init (self->home);
  self->root = su_glib_root_create (self);
  if (self->root == NULL)
    {
      g_warning ("SIP: sofia-sip could not create its event loop");
      return FALSE;
    }
  /* nua_create() runs the stack in a clone of this root; by default that
   * clone gets a thread and an event loop of its own, which then handles
   * the network concurrently with this one. Keep the clone on this root,
   * driven by the broker's context only. */
  su_root_threading (self->root, 0);
  source = su_glib_root_gsource (self->root);
  g_source_attach (source, self->context);
  return TRUE;
}

/* Iterates the broker's context until @account's stack is down. */
static void
tapi_sip_provider_shutdown_account (TapiSipProvider *self,
                                    SipAccount      *account)
{
  gint64 deadline;

  if (account->nua == NULL)
    return;

  for (guint i = 0; i < account->calls->len; i++)
    {
      SipCall *call = g_ptr_array_index (account->calls, i);

      if (call->nh)
        nua_handle_bind (call->nh, NULL);
      call->nh = NULL;
      call->refer_handle = NULL;
      call->transfer = TRANSFER_NONE;
      tapi_sip_call_stop_transfer_timeout (call);
    }

  forget_refused (account);
  account->shutdown_done = FALSE;
  account->register_auth_tries = 0;
  nua_shutdown (account->nua);
  deadline = g_get_monotonic_time () + SHUTDOWN_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (!account->shutdown_done && g_get_monotonic_time () < deadline)
    su_root_step (self->root, 50);
  if (!account->shutdown_done)
    g_debug ("SIP: %s did not shut down in time", account->name);
  account->shutdown_done = TRUE;

  nua_destroy (account->nua);
  account->nua = NULL;
  account->register_handle = NULL;
}

/* GObject */

static void
tapi_sip_provider_dispose (GObject *object)
{
  TapiSipProvider *self = TAPI_SIP_PROVIDER (object);

  if (self->accounts)
    {
      for (guint i = 0; i < self->accounts->len; i++)
        {
          SipAccount *account = g_ptr_array_index (self->accounts, i);

          if (account->retry_source)
            {
              g_source_destroy (account->retry_source);
              g_clear_pointer (&account->retry_source, g_source_unref);
            }
          tapi_sip_provider_shutdown_account (self, account);
        }
    }

  if (self->root)
    {
      g_source_destroy (su_glib_root_gsource (self->root));
      su_root_destroy (self->root);
      self->root = NULL;
      su_home_deinit (self->home);
      su_deinit ();
    }

  G_OBJECT_CLASS (tapi_sip_provider_parent_class)->dispose (object);
}

static void
tapi_sip_provider_finalize (GObject *object)
{
  TapiSipProvider *self = TAPI_SIP_PROVIDER (object);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      SipAccount *account = g_ptr_array_index (self->accounts, i);

      /* Calls that outlive the provider no longer point at it. */
      for (guint j = 0; j < account->calls->len; j++)
        ((SipCall *) g_ptr_array_index (account->calls, j))->account = NULL;
    }
  g_ptr_array_unref (self->accounts);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (tapi_sip_provider_parent_class)->finalize (object);
}

static void
tapi_sip_provider_class_init (TapiSipProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TapiProviderClass *provider_class = TAPI_PROVIDER_CLASS (klass);

  object_class->dispose = tapi_sip_provider_dispose;
  object_class->finalize = tapi_sip_provider_finalize;

  provider_class->check_destination = tapi_sip_provider_check_destination;
  provider_class->connect = tapi_sip_provider_connect;
  provider_class->dial = tapi_sip_provider_dial;
  provider_class->answer = tapi_sip_provider_answer;
  provider_class->disconnect = tapi_sip_provider_disconnect;
  provider_class->hold = tapi_sip_provider_hold;
  provider_class->blind_transfer = tapi_sip_provider_blind_transfer;
  provider_class->finish_transfer = tapi_sip_provider_finish_transfer;
  provider_class->call_removed = tapi_sip_provider_call_removed;
}

static void
tapi_sip_provider_init (TapiSipProvider *self)
{
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tapi_sip_account_free);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * tapi_sip_provider_new:
 *
 * Creates the SIP provider from `$XDG_CONFIG_HOME/tapi3/sip.conf`, or the
 * keyfile named by `TAPI3_SIP_CONFIG`. Each `[account:NAME]` group is an
 * address; a group that is wrong is reported with g_warning() and left
 * out. The user agents run on the thread-default main context.
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL when there
 *   is no configuration or no usable account in it
 */
TapiProvider *
tapi_sip_provider_new (void)
{
  g_autoptr(TapiSipProvider) self = NULL;
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tapi_broker_config_path ("TAPI3_SIP_CONFIG", "sip.conf");
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tapi_sip_account_free);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("SIP: cannot read %s: %s; there are no SIP accounts", path, error->message);
      return NULL;
    }
  if (!g_key_file_load_from_data (config, contents, -1, G_KEY_FILE_NONE, &error))
    {
      g_warning ("SIP: %s: %s; there are no SIP accounts", path, error->message);
      return NULL;
    }

  self = g_object_new (TAPI_TYPE_SIP_PROVIDER, "name", "sip", NULL);

  groups = g_key_file_get_groups (config, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      ConfigContext context = { path, contents, groups[i] };
      SipAccount *account;

      if (!g_str_has_prefix (groups[i], "account:"))
        {
          g_warning ("%s:%u: [%s] is not an [account:NAME] group; it is ignored", path,
                     tapi_sip_config_line_of (contents, groups[i], NULL), groups[i]);
          continue;
        }
      account = tapi_sip_provider_read_account (self, config, &context, groups[i] + strlen ("account:"));
      if (account == NULL)
        continue;
      for (guint j = 0; j < accounts->len; j++)
        {
          SipAccount *other = g_ptr_array_index (accounts, j);

          if (g_str_equal (other->aor, account->aor) ||
              (g_str_equal (other->bind_host, account->bind_host) &&
               other->bind_port == account->bind_port && account->bind_port != 0))
            {
              tapi_sip_config_warning (&context, NULL, "uses the address or the bind of [account:%s]",
                                       other->name);
              g_clear_pointer (&account, tapi_sip_account_free);
              break;
            }
        }
      if (account)
        g_ptr_array_add (accounts, account);
    }

  if (accounts->len == 0)
    return NULL;
  if (!init_sofia (self))
    return NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      SipAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *group = g_strdup_printf ("account:%s", account->name);
      ConfigContext context = { path, contents, group };

      if (!tapi_sip_provider_start_account (self, account, &context))
        continue;
      tapi_sip_provider_add_account (self, g_ptr_array_steal_index (accounts, i--));
    }
  if (self->accounts->len == 0)
    return NULL;

  for (guint i = 0; i < self->accounts->len; i++)
    tapi_sip_account_register (g_ptr_array_index (self->accounts, i));
  return TAPI_PROVIDER (g_steal_pointer (&self));
}
