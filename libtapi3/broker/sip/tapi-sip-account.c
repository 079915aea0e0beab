/* tapi-sip-account.c: SIP accounts: configuration, registration, events
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-SIP"

#include <stdlib.h>
#include <string.h>

#include "tapi-codec.h"
#include "tapi-sip-private.h"

#define SHUTDOWN_TIMEOUT_MS 3000
#define REGISTER_RETRY_SECONDS 30
#define DEFAULT_CODECS "PCMU;PCMA;G722;OPUS"
#define DEFAULT_MAX_CALLS 256
#define MAX_MAX_CALLS 65535

static void event_cb (nua_event_t   event,
                      int           status,
                      char const   *phrase,
                      nua_t        *nua,
                      nua_magic_t  *magic,
                      nua_handle_t *nh,
                      nua_hmagic_t *hmagic,
                      sip_t const  *sip,
                      tagi_t        tags[]);

TapiBroker *
tapi_sip_account_get_broker (SipAccount *account)
{
  return tapi_provider_get_broker (TAPI_PROVIDER (account->sip));
}

/* Whether @account carries as many calls as it may (max-calls), not
 * counting @except; calls that ended do not count. */
gboolean
tapi_sip_account_is_full (SipAccount *account,
                          SipCall    *except)
{
  guint active = 0;

  for (guint i = 0; i < account->calls->len; i++)
    {
      SipCall *call = g_ptr_array_index (account->calls, i);
      TapiCallState state;

      if (call == except)
        continue;
      state = tapi_broker_call_get_state (call->call);
      if (state != TAPI_CALL_STATE_IDLE &&
          state != TAPI_CALL_STATE_DISCONNECTED)
        active++;
    }
  return active >= account->max_calls;
}

/* The Authorization credentials for a 401 or 407 in @sip, or NULL. */
char *
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

/* Registration */

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
  tapi_provider_emit_address_state_changed (TAPI_PROVIDER (account->sip), account->address,
                                            state);
}

static void
register_failed (SipAccount *account,
                 int         status,
                 const char *phrase)
{
  g_debug ("SIP: registration of %s failed: %d %s", account->name, status,
           phrase);
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
      g_source_set_callback (account->retry_source, retry_register_cb, account,
                             NULL);
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

  if ((status != 401 && status != 407) ||
      account->register_auth_tries >= MAX_AUTH_TRIES)
    return FALSE;
  credentials = tapi_sip_account_credentials (account, sip);
  if (credentials == NULL)
    return FALSE;
  account->register_auth_tries++;
  nua_authenticate (account->register_handle, NUTAG_AUTH (credentials),
                    TAG_END ());
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

void
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
      gint64 next =
        g_array_index (account->refused, RefusedHandle, 0).destroy_time;

      account->refused_source = g_timeout_source_new ((next - now) / 1000 + 1);
      g_source_set_callback (account->refused_source, destroy_refused_cb,
                             account, NULL);
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
      g_source_set_callback (account->refused_source, destroy_refused_cb,
                             account, NULL);
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
          nua_respond (nh, 481, "Call Does Not Exist", NUTAG_WITH_THIS (nua),
                       TAG_END ());
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
      tapi_sip_call_set_state (call, TAPI_CALL_STATE_DISCONNECTED,
                               TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED);
      break;
    case nua_i_bye:
      tapi_sip_call_set_state (call, TAPI_CALL_STATE_DISCONNECTED,
                               TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
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
          g_autofree char *credentials = tapi_sip_account_credentials (account,
                                                                       sip);

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
        if (state == nua_callstate_terminating ||
            state == nua_callstate_terminated)
          tapi_sip_call_terminated (call);
      }
      break;
    default:
      break;
    }
}

/* Configuration */

/* The line of @key in [@group] of @contents, or of the group header. */
guint
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

void
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
             tapi_sip_config_line_of (context->contents, context->group, key),
             context->group, message);
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
       url->url_host && *url->url_host &&
       (!need_user || (url->url_user && *url->url_user)) &&
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
                         stream ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP,
                         error);
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

void
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

SipAccount *
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
    "codecs", "display-name", "delayed-offer", "max-calls", "srtp", NULL
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
      tapi_sip_config_warning (context, NULL,
                               "the account has no name after 'account:'");
      return NULL;
    }

  account->aor = get_string (config, context->group, "uri");
  if (!parse_sip_url (account->aor, TRUE, &account->user, &account->domain,
                      &aor_port))
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
  if (!g_str_equal (account->transport, "udp") &&
      !g_str_equal (account->transport, "tcp") &&
      !g_str_equal (account->transport, "tls"))
    {
      tapi_sip_config_warning (context, "transport",
                               "transport=%s is none of udp, tcp, tls",
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
  /* sip:[::1]:5070 names ::1: the sockets and the SDP want the address */
  if (host_is_ip6_reference (account->bind_host))
    {
      char *address = g_strndup (account->bind_host + 1,
                                 strlen (account->bind_host) - 2);

      g_free (account->bind_host);
      account->bind_host = address;
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
  if (account->registrar &&
      !parse_sip_url (account->registrar, FALSE, NULL, NULL, NULL))
    {
      tapi_sip_config_warning (context, "registrar",
                               "registrar=%s is not a SIP URI",
                               account->registrar);
      return NULL;
    }
  account->proxy = get_string (config, context->group, "proxy");
  if (account->proxy &&
      !parse_sip_url (account->proxy, FALSE, NULL, NULL, NULL))
    {
      tapi_sip_config_warning (context, "proxy", "proxy=%s is not a SIP URI",
                               account->proxy);
      return NULL;
    }
  account->username = get_string (config, context->group, "username");
  if (account->username == NULL)
    account->username = g_strdup (account->user);
  account->password = g_key_file_get_string (config, context->group, "password",
                                             NULL);
  account->display_name = get_string (config, context->group, "display-name");

  if (g_key_file_has_key (config, context->group, "delayed-offer", NULL))
    {
      g_autoptr(GError) error = NULL;

      account->delayed_offer = g_key_file_get_boolean (config, context->group,
                                                       "delayed-offer", &error);
      if (error != NULL)
        {
          tapi_sip_config_warning (context, "delayed-offer",
                                   "delayed-offer must be true or false");
          return NULL;
        }
    }

  {
    g_autofree char *srtp = get_string (config, context->group, "srtp");

    if (srtp == NULL || g_str_equal (srtp, "off"))
      account->srtp = SIP_SRTP_OFF;
    else if (g_str_equal (srtp, "optional"))
      account->srtp = SIP_SRTP_OPTIONAL;
    else if (g_str_equal (srtp, "mandatory"))
      account->srtp = SIP_SRTP_MANDATORY;
    else
      {
        tapi_sip_config_warning (context, "srtp",
                                 "srtp=%s is none of off, optional, mandatory",
                                 srtp);
        return NULL;
      }
  }

  account->max_calls = DEFAULT_MAX_CALLS;
  if (g_key_file_has_key (config, context->group, "max-calls", NULL))
    {
      g_autofree char *text = g_key_file_get_value (config, context->group,
                                                    "max-calls", NULL);
      guint64 value;

      if (text == NULL ||
          !g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, MAX_MAX_CALLS,
                                       &value, NULL))
        {
          tapi_sip_config_warning (context, "max-calls",
                                   "max-calls must be a number from 1 to " G_STRINGIFY (MAX_MAX_CALLS));
          return NULL;
        }
      account->max_calls = value;
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
        if (!g_ptr_array_find_with_equal_func (names, codec->name, g_str_equal,
                                               NULL))
          g_ptr_array_add (names, g_strdup (codec->name));
      }
    if (names->len == 0)
      {
        tapi_sip_config_warning (context, "codecs",
                                 "codecs must name at least one codec");
        return NULL;
      }
    g_ptr_array_add (names, NULL);
    g_strfreev (account->codecs);
    account->codecs = (GStrv) g_ptr_array_free (g_steal_pointer (&names),
                                                FALSE);
  }

  return g_steal_pointer (&account);
}

gboolean
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
                                      !g_str_equal (account->transport, "udp"),
                                      &error);
      if (account->bind_port == 0)
        {
          tapi_sip_config_warning (context, "bind", "no free port on %s: %s", account->bind_host,
                                   error->message);
          return FALSE;
        }
    }

  host = strchr (account->bind_host, ':')
           ? g_strdup_printf ("[%s]", account->bind_host)
           : g_strdup (account->bind_host);
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
      tapi_sip_config_warning (context, "bind",
                               "the SIP stack cannot listen on %s", url);
      return FALSE;
    }
  /* INFO and REFER outside a call are refused by event_cb(), not
   * accepted by sofia-sip and ignored */
  nua_set_params (account->nua, NUTAG_APPL_METHOD ("INFO"), NUTAG_APPL_METHOD ("REFER"),
                  TAG_END ());
  g_debug ("SIP: account %s is %s, contact %s", account->name, account->aor,
           account->contact);
  return TRUE;
}

void
tapi_sip_provider_add_account (TapiSipProvider *self,
                               SipAccount      *account)
{
  TapiBrokerAddress *address;

  address = tapi_broker_address_new (TAPI_PROVIDER (self), account->name, account->aor,
                                     account->display_name);
  address->media_types = TAPI_MEDIA_TYPE_AUDIO;
  address->address_types = TAPI_ADDRESS_TYPE_PHONE_NUMBER |
                           TAPI_ADDRESS_TYPE_DOMAIN_NAME;
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

/* Iterates the broker's context until @account's stack is down. */
void
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
  deadline = g_get_monotonic_time () +
             SHUTDOWN_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (!account->shutdown_done && g_get_monotonic_time () < deadline)
    su_root_step (self->root, 50);
  if (!account->shutdown_done)
    g_debug ("SIP: %s did not shut down in time", account->name);
  account->shutdown_done = TRUE;

  nua_destroy (account->nua);
  account->nua = NULL;
  account->register_handle = NULL;
}
