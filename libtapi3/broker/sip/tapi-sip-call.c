/* tapi-sip-call.c: SIP calls: INVITE dialogs and their media
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-SIP"

#include <string.h>

#include "tapi-sip-private.h"
#include "tapi-srtp-key.h"

/* Calls */

static void
clear_key (char **key)
{
  if (*key)
    explicit_bzero (*key, strlen (*key));
  g_clear_pointer (key, g_free);
}

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
sip_call_free (SipCall *self)
{
  if (self->account)
    g_ptr_array_remove_fast (self->account->calls, self);
  sip_call_drop_handle (self);
  tapi_sip_call_stop_transfer_timeout (self);
  tapi_sip_sdp_media_clear (&self->remote);
  for (guint i = 0; i < SIP_N_CRYPTO; i++)
    clear_key (&self->offer_keys[i]);
  clear_key (&self->send_key);
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

SipCall *
tapi_sip_call_of (TapiSipProvider *self,
                  TapiBrokerCall  *call)
{
  SipCall *sip_call = tapi_broker_call_get_provider_data (call);

  if (sip_call == NULL)
    {
      sip_call = g_new0 (SipCall, 1);
      sip_call->account =
        account_of_address (self, tapi_broker_call_get_address (call));
      sip_call->call = call;
      sip_call->session_id = g_random_int ();
      g_ptr_array_add (sip_call->account->calls, sip_call);
      tapi_broker_call_set_provider_data (call, sip_call,
                                          (GDestroyNotify) sip_call_free);
    }
  return sip_call;
}

void
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

  if (tapi_broker_call_ensure_sockets (self->call, self->account->bind_host,
                                       &local_error))
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

/* With SRTP, every offer has new keys, one for each suite (RFC 4568
 * 7.1.4): a re-INVITE rekeys the media. */
static char *
make_offer (SipCall *self)
{
  TapiSipSdpCrypto crypto[SIP_N_CRYPTO];
  guint n_crypto = 0;

  for (guint i = 0; i < SIP_N_CRYPTO && self->account->srtp != SIP_SRTP_OFF;
       i++)
    {
      g_autoptr(GError) error = NULL;

      clear_key (&self->offer_keys[i]);
      self->offer_keys[i] = tapi_srtp_key_new (&error);
      if (self->offer_keys[i] == NULL)
        {
          g_warning ("SIP call %u: %s", tapi_broker_call_get_id (self->call),
                     error->message);
          continue;
        }
      crypto[n_crypto].tag = i + 1;
      crypto[n_crypto].suite = tapi_srtp_suite_nth (i)->name;
      crypto[n_crypto].key = self->offer_keys[i];
      n_crypto++;
    }
  return tapi_sip_sdp_offer (self->account->bind_host,
                             tapi_broker_call_get_rtp_port (self->call),
                             tapi_broker_call_get_rtcp_port (self->call),
                             (const char *const *) self->account->codecs,
                             wanted_direction (self), self->session_id,
                             ++self->sdp_version,
                             self->account->srtp == SIP_SRTP_MANDATORY, crypto,
                             n_crypto);
}

/* The crypto line of our answer to the remote offer, if it is SRTP. */
static const TapiSipSdpCrypto *
answer_crypto (SipCall          *self,
               TapiSipSdpCrypto *crypto)
{
  if (self->remote.crypto_suite == NULL || self->send_key == NULL)
    return NULL;
  crypto->tag = self->remote.crypto_tag;
  crypto->suite = self->remote.crypto_suite;
  crypto->key = self->send_key;
  return crypto;
}

/* Takes the SRTP keys of the peer's @media, an offer (@answering) or the
 * answer to our offer, as the account's srtp= allows. */
static gboolean
take_crypto (SipCall          *self,
             TapiSipSdpMedia  *media,
             gboolean          answering,
             GError          **error)
{
  const TapiSrtpSuite *offered;
  g_autoptr(GError) key_error = NULL;

  if (media->crypto_suite == NULL)
    {
      if (self->account->srtp == SIP_SRTP_MANDATORY)
        {
          g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                       "The %s has no SRTP key, and the account %s requires SRTP (srtp=mandatory)",
                       answering ? "offer" : "answer", self->account->name);
          return FALSE;
        }
      clear_key (&self->send_key);
      return TRUE;
    }

  if (!answering)
    {
      offered = media->crypto_tag >= 1 && media->crypto_tag <= SIP_N_CRYPTO ?
                tapi_srtp_suite_nth (media->crypto_tag - 1) : NULL;
      if (offered == NULL || self->offer_keys[media->crypto_tag - 1] == NULL ||
          !g_str_equal (offered->name, media->crypto_suite))
        {
          g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                       "The answer's a=crypto:%u %s is none that was offered",
                       media->crypto_tag, media->crypto_suite);
          return FALSE;
        }
      clear_key (&self->send_key);
      self->send_key = g_strdup (self->offer_keys[media->crypto_tag - 1]);
      return TRUE;
    }

  /* Answering: our key stays as long as the suite does. */
  if (self->send_key &&
      g_strcmp0 (self->remote.crypto_suite, media->crypto_suite) == 0)
    return TRUE;
  clear_key (&self->send_key);
  self->send_key = tapi_srtp_key_new (&key_error);
  if (self->send_key == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE, "%s",
                   key_error->message);
      return FALSE;
    }
  return TRUE;
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
                                                          direction, self->send_key));
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
                           (const char *const *) self->account->codecs,
                           answering, self->account->srtp != SIP_SRTP_OFF,
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
  if (!take_crypto (self, &media, answering, error))
    {
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
TapiError
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

void
tapi_sip_call_hang_up (SipCall            *self,
                       TapiCallStateCause  cause)
{
  if (self->nh && self->established && tapi_broker_call_is_live (self->call))
    nua_bye (self->nh, TAG_END ());
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED, cause);
}

/* Places the INVITE of an outgoing call to its destination. */
gboolean
tapi_sip_call_place (SipCall  *self,
                     GError  **error)
{
  SipAccount *account = self->account;
  g_autofree char *uri = NULL;
  g_autofree char *offer = NULL;

  if (tapi_sip_account_is_full (account, self))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "The SIP account %s carries %u calls, as many as it may (max-calls)",
                   account->name, account->max_calls);
      return FALSE;
    }
  uri =
    tapi_sip_resolve_destination (account,
                                  tapi_broker_call_get_destination (self->call),
                                  error);
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
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_IN_PROGRESS,
                           TAPI_CALL_STATE_CAUSE_NONE);
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

gboolean
tapi_sip_provider_check_destination (TapiProvider      *provider,
                                     TapiBrokerAddress *address,
                                     const char        *destination,
                                     GError           **error)
{
  SipAccount *account = account_of_address (TAPI_SIP_PROVIDER (provider),
                                            address);
  g_autofree char *uri = tapi_sip_resolve_destination (account, destination,
                                                       error);

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

gboolean
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
      tapi_sip_call_set_state (self, TAPI_CALL_STATE_IN_PROGRESS,
                               TAPI_CALL_STATE_CAUSE_NONE);
      return TRUE;
    }
  return tapi_sip_call_place (self, error);
}

gboolean
tapi_sip_provider_dial (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        const char     *destination,
                        GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);

  if (!self->dial_tone)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is not in dial tone",
                   tapi_broker_call_get_id (call));
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

gboolean
tapi_sip_provider_answer (TapiProvider   *provider,
                          TapiBrokerCall *call,
                          GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);
  g_autofree char *sdp = NULL;
  TapiSipSdpCrypto crypto;

  if (self->nh == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "The caller of call %u has gone",
                   tapi_broker_call_get_id (call));
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
                               self->session_id, ++self->sdp_version,
                               answer_crypto (self, &crypto));
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (sdp),
               TAG_END ());
  self->established = TRUE;
  if (self->have_remote)
    publish_media (self,
                   tapi_sip_sdp_reverse_direction (self->remote.direction));
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

gboolean
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

gboolean
tapi_sip_provider_hold (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        gboolean        hold,
                        GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);

  if (self->nh == NULL || !self->established)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u has no SIP session to hold",
                   tapi_broker_call_get_id (call));
      return FALSE;
    }
  self->local_hold = hold;
  send_reinvite (self);
  tapi_sip_call_set_state (self,
                           hold ? TAPI_CALL_STATE_HOLD
                                : TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

void
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
void
tapi_sip_call_invite_response (SipCall     *self,
                               int          status,
                               char const  *phrase,
                               sip_t const *sip)
{
  g_autoptr(TapiBrokerCall) keep G_GNUC_UNUSED = g_object_ref (self->call);
  g_autoptr(GError) error = NULL;
  TapiCallState state = tapi_broker_call_get_state (self->call);

  if ((status == 401 || status == 407) && self->auth_tries < MAX_AUTH_TRIES)
    {
      g_autofree char *credentials =
        tapi_sip_account_credentials (self->account, sip);

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
      g_debug ("SIP call %u: %d %s", tapi_broker_call_get_id (self->call),
               status, phrase);
      tapi_sip_call_notify_referrer (self, status, phrase);
      tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED,
                               cause_for_status (status));
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
      g_debug ("SIP call %u: no usable SDP answer: %s",
               tapi_broker_call_get_id (self->call),
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
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_CONNECTED,
                           TAPI_CALL_STATE_CAUSE_NONE);

  if (self->referred_call)
    {
      g_autoptr(TapiBrokerCall) referred = g_steal_pointer (&self->referred_call);
      SipCall *original = tapi_broker_call_get_provider_data (referred);

      tapi_sip_call_notify_referrer (self, status, phrase);
      if (original && tapi_broker_call_is_live (referred))
        tapi_sip_call_hang_up (original,
                               TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
    }
}

/* A re-INVITE from the peer: hold, resume, or a new address. */
void
tapi_sip_call_incoming_reinvite (SipCall     *self,
                                 sip_t const *sip)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sdp = NULL;
  const char *direction;
  TapiSipSdpCrypto crypto;

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
                             &self->remote, direction, self->session_id,
                             ++self->sdp_version,
                             answer_crypto (self, &crypto));
  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (sdp),
               TAG_END ());
  g_debug ("SIP call %u: the peer's media is now %s", tapi_broker_call_get_id (self->call),
           self->remote.direction);
  remember_remote_target (self, sip);
  publish_media (self, direction);
}

void
tapi_sip_call_incoming_ack (SipCall     *self,
                            sip_t const *sip)
{
  g_autoptr(GError) error = NULL;

  if (!self->offer_in_answer)
    return;
  self->offer_in_answer = FALSE;
  if (!is_sdp (sip) || !read_remote_sdp (self, sip, FALSE, &error))
    {
      g_debug ("SIP call %u: no usable SDP in the ACK: %s",
               tapi_broker_call_get_id (self->call),
               error ? error->message : "none");
      tapi_sip_call_hang_up (self, TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
      return;
    }
  publish_media (self, tapi_sip_sdp_combine_direction (wanted_direction (self),
                                                       tapi_sip_sdp_reverse_direction (self->remote.direction)));
}

/* SIP INFO with a digit (application/dtmf-relay or application/dtmf). */
void
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
      g_debug ("SIP call %u: INFO without a digit",
               tapi_broker_call_get_id (self->call));
      return;
    }
  g_debug ("SIP call %u: digit %c by INFO",
           tapi_broker_call_get_id (self->call), digit);
  tapi_provider_emit_digit_received (TAPI_PROVIDER (self->account->sip),
                                     self->call, digit);
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
         (host_is_ip4_address (url->url_host) ||
          host_is_ip6_reference (url->url_host));
}

void
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
      g_debug ("SIP: refusing a call to %s without a usable Contact",
               account->name);
      nua_respond (nh, 400, "Bad Contact Header", TAG_END ());
      nua_handle_destroy (nh);
      return;
    }
  /* The erroneous headers; sofia-sip also keeps a repeated single-valued
   * header there (a second Max-Forwards), which has no er_name. */
  for (sip_error_t *bad = sip->sip_error; bad; bad = bad->er_next)
    if (bad->er_common->h_class == sip_error_class &&
        bad->er_name && g_ascii_strcasecmp (bad->er_name, "Replaces") == 0)
      {
        /* Not to be taken for a new call: it was meant to replace one. */
        nua_respond (nh, 400, "Bad Replaces Header", TAG_END ());
        nua_handle_destroy (nh);
        return;
      }
  /* A peer that never ends its INVITEs must not take every socket. */
  if (tapi_sip_account_is_full (account, NULL))
    {
      g_debug ("SIP: %s carries %u calls, refusing another", account->name,
               account->max_calls);
      nua_respond (nh, SIP_486_BUSY_HERE, TAG_END ());
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
          g_debug ("SIP: refusing a call to %s: %s", account->name,
                   error->message);
          nua_respond (nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
          sip_call_drop_handle (self);
          return;
        }
    }
  else if (sip->sip_payload && sip->sip_payload->pl_len > 0)
    {
      g_debug ("SIP: refusing a call to %s with a body that is no SDP",
               account->name);
      nua_respond (nh, SIP_415_UNSUPPORTED_MEDIA, TAG_END ());
      sip_call_drop_handle (self);
      return;
    }
  else if (!account->delayed_offer)
    {
      /* An INVITE must carry an offer unless the account takes delayed
       * offers (RFC 3261 allows them; most peers never send them). */
      g_debug ("SIP: refusing a call to %s without an SDP offer",
               account->name);
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
  tapi_broker_call_set_called_id (call, name ? name : account->display_name,
                                  number);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&number, g_free);
  tapi_sip_caller_identity (sip, &name, &number);
  tapi_broker_call_set_connected_id (call, name, number);

  g_debug ("SIP call %u: incoming call to %s from %s",
           tapi_broker_call_get_id (call), account->name,
           tapi_broker_call_get_caller_id_number (call));
  tapi_provider_emit_call_added (TAPI_PROVIDER (provider), call);

  if (replaced)
    {
      /* An attended transfer ends here: the new call takes the old one's
       * place at once, without ringing. */
      g_autoptr(TapiBrokerCall) keep G_GNUC_UNUSED = g_object_ref (replaced->call);
      GError *answer_error = NULL;

      tapi_broker_call_set_redirecting_id_number (call, tapi_broker_call_get_connected_id_number (replaced->call));
      tapi_broker_call_set_state (call, TAPI_CALL_STATE_OFFERING,
                                  TAPI_CALL_STATE_CAUSE_NONE);
      /* The new call belongs to whoever holds the replaced one. */
      tapi_provider_emit_call_offered (TAPI_PROVIDER (provider), call,
                                       replaced->call);
      if (!tapi_sip_provider_answer (TAPI_PROVIDER (provider), call,
                                     &answer_error))
        {
          g_debug ("SIP: %s", answer_error->message);
          g_error_free (answer_error);
        }
      tapi_sip_call_hang_up (replaced, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
      return;
    }

  nua_respond (nh, SIP_180_RINGING, TAG_END ());
  tapi_broker_call_set_state (call, TAPI_CALL_STATE_OFFERING,
                              TAPI_CALL_STATE_CAUSE_NONE);
  tapi_provider_emit_call_offered (TAPI_PROVIDER (provider), call, NULL);
}

void
tapi_sip_call_terminated (SipCall *self)
{
  if (!tapi_broker_call_is_live (self->call))
    return;
  if (tapi_broker_call_get_state (self->call) == TAPI_CALL_STATE_IN_PROGRESS &&
      self->dial_tone)
    return;
  tapi_sip_call_set_state (self, TAPI_CALL_STATE_DISCONNECTED,
                           TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
}
