/* tapi-sip-account.c: SIP accounts: configuration, registration, events
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-SIP"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tapi-codec.h"
#include "tapi-sip-private.h"

#define SHUTDOWN_TIMEOUT_MS 3000
#define REGISTER_RETRY_SECONDS 30
#define TLS_CHECK_TIMEOUT_SECONDS 10
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

static void
send_register (SipAccount *account)
{
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

/* The certificate check of a TLS account's server.
 *
 * sofia-sip checks the certificate of the server it connects to and
 * drops the connection when it does not trust it; but then the REGISTER
 * just goes unanswered (408 after 32 s), with nothing to say why. So
 * before each registration GIO's TLS makes the same check against the
 * same authorities: a certificate the account does not trust is reported
 * at once, with what is wrong with it, and no REGISTER is sent. */
static gboolean parse_sip_url (const char  *text,
                               gboolean     need_user,
                               char       **user,
                               char       **host,
                               char       **port);

typedef struct
{
  SipAccount           *account;
  char                 *server;      /* host:port */
  GTlsDatabase         *database;    /* tls-ca-file */
  GTlsCertificateFlags  errors;
} TlsCheck;

static void
tls_check_free (TlsCheck *check)
{
  g_free (check->server);
  g_clear_object (&check->database);
  g_free (check);
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       TlsCheck             *check)
{
  check->errors = errors;
  return FALSE;
}

static void
tls_check_event_cb (GSocketClient      *client,
                    GSocketClientEvent  event,
                    GSocketConnectable *connectable,
                    GIOStream          *connection,
                    TlsCheck           *check)
{
  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING)
    return;
  g_tls_connection_set_database (G_TLS_CONNECTION (connection),
                                 check->database);
  g_signal_connect (connection, "accept-certificate",
                    G_CALLBACK (accept_certificate_cb), check);
}

static char *
describe_certificate_errors (GTlsCertificateFlags errors)
{
  static const struct
  {
    GTlsCertificateFlags flag;
    const char *text;
  } texts[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "its issuer is not among the authorities of tls-ca-file" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "it is made out to another host" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "it is not valid yet" },
    { G_TLS_CERTIFICATE_EXPIRED, "it has expired" },
    { G_TLS_CERTIFICATE_REVOKED, "it was revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "its algorithms are insecure" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "it is not valid" },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (errors & texts[i].flag)
      g_string_append_printf (text, "%s%s", text->len ? "; " : "",
                              texts[i].text);
  if (text->len == 0)
    g_string_append (text, "it is not valid");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
tls_checked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TlsCheck *check = user_data;
  SipAccount *account = check->account;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source),
                                                       result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The account may be gone */
      tls_check_free (check);
      return;
    }
  g_clear_object (&account->tls_check);

  if (connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      send_register (account);
    }
  else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_autofree char *why = describe_certificate_errors (check->errors);

      g_warning ("SIP: account %s does not trust the TLS certificate of %s: %s",
                 account->name, check->server, why);
      register_failed (account, 0, "untrusted TLS certificate");
    }
  else
    {
      /* Not a matter of certificates: sofia-sip tries and reports */
      g_debug ("SIP: TLS check of %s for %s: %s", check->server, account->name,
               error->message);
      send_register (account);
    }
  tls_check_free (check);
}

/* Checks the certificate of the server the account registers through,
 * then registers. */
static void
check_tls_server (SipAccount *account)
{
  const char *server_uri = account->proxy ? account->proxy : account->registrar;
  g_autofree char *host = NULL;
  g_autofree char *port = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  TlsCheck *check;

  if (!parse_sip_url (server_uri, FALSE, NULL, &host, &port))
    {
      send_register (account);
      return;
    }
  /* Read again for each check, as sofia-sip reads it for each
   * connection; a file that became unreadable since the account started
   * stops the registration rather than letting the check use other
   * authorities than sofia-sip's. */
  database = g_tls_file_database_new (account->tls_ca_file, &error);
  if (database == NULL)
    {
      g_warning ("SIP: account %s cannot check TLS certificates: %s",
                 account->name, error->message);
      register_failed (account, 0, "unreadable tls-ca-file");
      return;
    }
  check = g_new0 (TlsCheck, 1);
  check->account = account;
  check->server = g_strdup_printf ("%s:%s", host, port ? port : "5061");
  check->database = g_steal_pointer (&database);
  account->tls_check = g_cancellable_new ();

  client = g_socket_client_new ();
  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, TLS_CHECK_TIMEOUT_SECONDS);
  g_signal_connect (client, "event", G_CALLBACK (tls_check_event_cb), check);
  g_main_context_push_thread_default (account->sip->context);
  g_socket_client_connect_to_host_async (client, check->server, 5061,
                                         account->tls_check, tls_checked_cb,
                                         check);
  g_main_context_pop_thread_default (account->sip->context);
}

void
tapi_sip_account_register (SipAccount *account)
{
  if (account->nua == NULL || account->registrar == NULL ||
      account->tls_check != NULL)
    return;
  if (g_str_equal (account->transport, "tls") && account->tls_verify &&
      account->tls_ca_file != NULL)
    check_tls_server (account);
  else
    send_register (account);
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

/* The system's CAs, as Debian's ca-certificates gathers them */
#define SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/* A readable file named by @key, as an absolute path; %NULL and a warning
 * if it is missing. */
static char *
read_file_key (GKeyFile      *config,
               ConfigContext *context,
               const char    *key)
{
  g_autofree char *value = get_string (config, context->group, key);
  g_autofree char *path = NULL;

  if (value == NULL)
    return NULL;
  path = g_canonicalize_filename (value, NULL);
  if (g_access (path, R_OK) != 0)
    {
      int saved = errno;

      tapi_sip_config_warning (context, key, "%s=%s cannot be read: %s",
                               key, value, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* tls-ca-file, tls-certificate and tls-verify: for transport=tls only. */
static gboolean
read_tls (SipAccount    *account,
          GKeyFile      *config,
          ConfigContext *context)
{
  static const char * const keys[] = { "tls-ca-file", "tls-certificate",
                                       "tls-verify" };
  gboolean tls = g_str_equal (account->transport, "tls");

  account->tls_verify = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!tls && g_key_file_has_key (config, context->group, keys[i], NULL))
      {
        tapi_sip_config_warning (context, keys[i],
                                 "%s needs transport=tls", keys[i]);
        return FALSE;
      }
  if (!tls)
    return TRUE;

  if (g_key_file_has_key (config, context->group, "tls-ca-file", NULL) &&
      !(account->tls_ca_file = read_file_key (config, context, "tls-ca-file")))
    return FALSE;
  if (g_key_file_has_key (config, context->group, "tls-certificate", NULL) &&
      !(account->tls_certificate = read_file_key (config, context,
                                                  "tls-certificate")))
    return FALSE;
  if (account->tls_ca_file == NULL && g_access (SYSTEM_CA_FILE, R_OK) == 0)
    account->tls_ca_file = g_strdup (SYSTEM_CA_FILE);
  if (account->tls_ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = NULL;
      g_autoptr(GError) error = NULL;

      database = g_tls_file_database_new (account->tls_ca_file, &error);
      if (database == NULL)
        {
          tapi_sip_config_warning (context, "tls-ca-file",
                                   "tls-ca-file=%s holds no certificate authorities: %s",
                                   account->tls_ca_file, error->message);
          return FALSE;
        }
    }

  if (g_key_file_has_key (config, context->group, "tls-verify", NULL))
    {
      g_autoptr(GError) error = NULL;

      account->tls_verify = g_key_file_get_boolean (config, context->group,
                                                    "tls-verify", &error);
      if (error != NULL)
        {
          tapi_sip_config_warning (context, "tls-verify",
                                   "tls-verify must be true or false");
          return FALSE;
        }
    }
  return TRUE;
}

/* sofia-sip takes its TLS files from a directory: cafile.pem (the CAs)
 * and agent.pem (our certificate and key). The account gets a private
 * one whose files link to those it was given. */
static gboolean
make_tls_dir (SipAccount  *account,
              GError     **error)
{
  g_autofree char *ca = NULL;
  g_autofree char *agent = NULL;

  account->tls_dir = g_dir_make_tmp ("tapi-sip-tls-XXXXXX", error);
  if (account->tls_dir == NULL)
    return FALSE;
  ca = g_build_filename (account->tls_dir, "cafile.pem", NULL);
  agent = g_build_filename (account->tls_dir, "agent.pem", NULL);
  if ((account->tls_ca_file && symlink (account->tls_ca_file, ca) != 0) ||
      (account->tls_certificate &&
       symlink (account->tls_certificate, agent) != 0))
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot link the TLS files in %s: %s", account->tls_dir,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
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
  if (account->tls_check)
    {
      g_cancellable_cancel (account->tls_check);
      g_clear_object (&account->tls_check);
    }
  g_free (account->tls_ca_file);
  g_free (account->tls_certificate);
  if (account->tls_dir)
    {
      g_autofree char *ca = g_build_filename (account->tls_dir, "cafile.pem", NULL);
      g_autofree char *agent = g_build_filename (account->tls_dir, "agent.pem", NULL);

      g_unlink (ca);
      g_unlink (agent);
      g_rmdir (account->tls_dir);
      g_free (account->tls_dir);
    }
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
    "codecs", "display-name", "delayed-offer", "max-calls", "srtp",
    "tls-ca-file", "tls-certificate", "tls-verify", NULL
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

  if (!read_tls (account, config, context))
    return NULL;

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
  if (tls && !make_tls_dir (account, &error))
    {
      tapi_sip_config_warning (context, "transport", "%s", error->message);
      return FALSE;
    }
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
                TAG_IF (tls, TPTAG_CERTIFICATE (account->tls_dir)),
                /* The server's certificate must chain to a CA of
                 * cafile.pem, be valid today and name the host we
                 * connected to (its CN). */
                TAG_IF (tls, TPTAG_TLS_VERIFY_POLICY (account->tls_verify
                                                        ? TPTLS_VERIFY_SUBJECTS_OUT
                                                        : TPTLS_VERIFY_NONE)),
                TAG_IF (tls, TPTAG_TLS_VERIFY_DATE (account->tls_verify)),
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

  if (account->tls_check)
    {
      g_cancellable_cancel (account->tls_check);
      g_clear_object (&account->tls_check);
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
