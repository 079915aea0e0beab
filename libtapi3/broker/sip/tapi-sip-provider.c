/* tapi-sip-provider.c: the SIP provider (sofia-sip)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-SIP"

#include <sofia-sip/su_log.h>
#include <sofia-sip/su_uniqueid.h>

#include "tapi-broker.h"
#include "tapi-sip-private.h"

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

G_DEFINE_FINAL_TYPE (TapiSipProvider, tapi_sip_provider, TAPI_TYPE_PROVIDER)

/* sofia-sip 1.12.11 deletes a thread-specific key at unload that it only
 * creates when it first makes a random number; until then it deletes key
 * 0, which belongs to GLib, and another thread that is still running
 * aborts in g_private_set(). Making one random number at load creates
 * sofia's own key, in every process that links the library, whether it
 * makes a SIP provider or not: hence a constructor rather than class_init.
 * In the static library used by tests, the broker's reference to
 * tapi_sip_provider_new() brings this file in. */
__attribute__ ((constructor)) static void
create_sofia_key (void)
{
  (void) su_randint (0, 1);
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
char *
tapi_sip_network_text (const char *text,
                       gssize      length)
{
  if (text == NULL)
    return NULL;
  return g_utf8_make_valid (text, length);
}

char *
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
void
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

void
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
char *
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
      g_autofree char *user = g_uri_escape_string (destination,
                                                   "-_.!~*'()&=+$,", FALSE);

      candidate = g_strdup_printf ("sip:%s@%s", user, account->domain);
    }

  url = candidate ? url_make (home, candidate) : NULL;
  if (url == NULL || (url->url_type != url_sip && url->url_type != url_sips) ||
      url->url_host == NULL || *url->url_host == '\0' ||
      strchr (candidate, ' ') ||
      (url->url_port &&
       !g_ascii_string_to_unsigned (url->url_port, 10, 1, 65535, NULL, NULL)))
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
                              g_str_equal (account->transport, "tls") ? "tls"
                                                                      : "tcp");
  else
    result = g_steal_pointer (&candidate);
  su_home_deinit (home);
  return result;
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
  g_autofree char *path = tapi_broker_config_path ("TAPI3_SIP_CONFIG",
                                                   "sip.conf");
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tapi_sip_account_free);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("SIP: cannot read %s: %s; there are no SIP accounts", path,
                   error->message);
      return NULL;
    }
  if (!g_key_file_load_from_data (config, contents, -1, G_KEY_FILE_NONE,
                                  &error))
    {
      g_warning ("SIP: %s: %s; there are no SIP accounts", path,
                 error->message);
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
      account = tapi_sip_provider_read_account (self, config, &context,
                                                groups[i] +
                                                  strlen ("account:"));
      if (account == NULL)
        continue;
      for (guint j = 0; j < accounts->len; j++)
        {
          SipAccount *other = g_ptr_array_index (accounts, j);

          if (g_str_equal (other->aor, account->aor) ||
              (g_str_equal (other->bind_host, account->bind_host) &&
               other->bind_port == account->bind_port &&
               account->bind_port != 0))
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
      tapi_sip_provider_add_account (self,
                                     g_ptr_array_steal_index (accounts, i--));
    }
  if (self->accounts->len == 0)
    return NULL;

  for (guint i = 0; i < self->accounts->len; i++)
    tapi_sip_account_register (g_ptr_array_index (self->accounts, i));
  return TAPI_PROVIDER (g_steal_pointer (&self));
}
