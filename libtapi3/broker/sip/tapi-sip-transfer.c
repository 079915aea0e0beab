/* tapi-sip-transfer.c: SIP transfers: REFER, NOTIFY and Replaces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-SIP"

#include <string.h>

#include "tapi-sip-private.h"

/* A transfer with no final word from the transferee by then has failed
 * (64 × T1, the lifetime of a non-INVITE transaction). */
#define TRANSFER_TIMEOUT_SECONDS 32

void
tapi_sip_call_stop_transfer_timeout (SipCall *self)
{
  if (self->transfer_timeout)
    {
      g_source_destroy (self->transfer_timeout);
      g_clear_pointer (&self->transfer_timeout, g_source_unref);
    }
}

/* Being transferred: tells the transferor how the new call goes. */
void
tapi_sip_call_notify_referrer (SipCall    *self,
                               int         status,
                               const char *phrase)
{
  g_autofree char *fragment = NULL;

  if (self->refer_handle == NULL)
    return;
  fragment = g_strdup_printf ("SIP/2.0 %03d %s\r\n", status,
                              phrase ? phrase : "");
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

/* Transfers this side starts */

/* The transfer this side started on @self did not happen: the call stays
 * as it is (CONNECTED, or HOLD for the original call of a consultation),
 * and the application's request fails with @code. */
void
tapi_sip_call_transfer_failed (SipCall    *self,
                               TapiError   code,
                               const char *format,
                               ...)
{
  g_autoptr(GError) error = NULL;
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
  if (self->account)
    tapi_provider_emit_transfer_failed (TAPI_PROVIDER (self->account->sip),
                                        self->call, error);
}

/* The transferee reported success: our calls are done. */
static void
transfer_succeeded (SipCall *self)
{
  g_autoptr(TapiBrokerCall) consultation = NULL;

  if (self->transfer == TRANSFER_NONE)
    return;
  g_debug ("SIP call %u: transfer succeeded",
           tapi_broker_call_get_id (self->call));
  if (self->transfer == TRANSFER_BLIND && self->transfer_target)
    tapi_broker_call_set_redirection_id_number (self->call,
                                                self->transfer_target);
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
                   "Call %u has no SIP session to transfer",
                   tapi_broker_call_get_id (self->call));
      return FALSE;
    }
  if (self->transfer != TRANSFER_NONE)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is being transferred already",
                   tapi_broker_call_get_id (self->call));
      return FALSE;
    }
  g_debug ("SIP call %u: REFER to %s", tapi_broker_call_get_id (self->call),
           refer_to);
  self->auth_tries = 0;
  nua_refer (self->nh,
             SIPTAG_REFER_TO_STR (refer_to),
             SIPTAG_REFERRED_BY_STR (self->account->aor),
             TAG_END ());

  tapi_sip_call_stop_transfer_timeout (self);
  self->transfer_timeout = g_timeout_source_new_seconds (TRANSFER_TIMEOUT_SECONDS);
  g_source_set_callback (self->transfer_timeout, transfer_timeout_cb, self,
                         NULL);
  g_source_attach (self->transfer_timeout, self->account->sip->context);
  return TRUE;
}

gboolean
tapi_sip_provider_blind_transfer (TapiProvider   *provider,
                                  TapiBrokerCall *call,
                                  const char     *destination,
                                  GError        **error)
{
  SipCall *self = tapi_sip_call_of (TAPI_SIP_PROVIDER (provider), call);
  g_autofree char *uri = tapi_sip_resolve_destination (self->account,
                                                       destination, error);
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

gboolean
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
  header = replaces
             ? sip_header_as_string (home, (sip_header_t const *) replaces)
             : NULL;
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

/* The peer sent REFER: we place a call to the target for our owner. */
void
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
  event_text = event ? sip_header_as_string (home, (sip_header_t const *) event)
                     : NULL;

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

  g_debug ("SIP call %u: referred to %s%s",
           tapi_broker_call_get_id (self->call), target_uri,
           replaces ? " (replacing a dialog)" : "");

  call = tapi_broker_call_new (self->account->address,
                               TAPI_CALL_ORIGIN_OUTBOUND,
                               tapi_broker_call_get_media_types (self->call),
                               target_uri);
  placed = tapi_sip_call_of (provider, call);
  placed->refer_handle = nua_handle_ref (self->nh);
  placed->refer_event = g_strdup (event_text ? event_text : "refer");
  placed->referred_call = g_object_ref (self->call);
  placed->replaces = g_steal_pointer (&replaces);
  su_home_deinit (home);

  tapi_broker_call_set_caller_id (call, self->account->display_name,
                                  self->account->aor);
  tapi_broker_call_set_called_id (call, NULL, target_uri);
  tapi_broker_call_set_redirecting_id_number (call, tapi_broker_call_get_connected_id_number (self->call));

  tapi_sip_call_notify_referrer (placed, 100, "Trying");
  tapi_provider_emit_call_added (TAPI_PROVIDER (provider), call);
  /* The new call belongs to whoever holds the referred one. */
  tapi_provider_emit_call_offered (TAPI_PROVIDER (provider), call, self->call);
  if (!tapi_sip_call_place (placed, &error))
    {
      g_debug ("SIP call %u: cannot follow the REFER: %s", tapi_broker_call_get_id (self->call),
               error->message);
      tapi_sip_call_notify_referrer (placed, 503, "Service Unavailable");
      g_clear_object (&placed->referred_call);
      tapi_sip_call_set_state (placed, TAPI_CALL_STATE_DISCONNECTED,
                               TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
    }
}

/* NOTIFY about our REFER: a sipfrag with the transfer target's status. */
void
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
      g_ascii_strcasecmp (sip->sip_content_type->c_type, "message/sipfrag") ==
        0)
    {
      fragment = g_strndup (sip->sip_payload->pl_data,
                            sip->sip_payload->pl_len);
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
