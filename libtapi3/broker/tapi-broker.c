/* tapi-broker.c: the broker (the TAPI server)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include "tapi-broker-private.h"
#include "tapi-error.h"
#include "tapi-sim-provider.h"
#include "tapi-sip-provider.h"

/* The broker keeps one registry of applications, their registrations and
 * priorities, and of calls with every application's handle to them. It
 * runs on one GMainContext; providers report progress by changing their
 * calls' state, and the broker turns every change into D-Bus signals for
 * the applications holding a handle, and completes the requests waiting
 * for it. */

/* What one application may make the broker keep, so that no bus peer can
 * exhaust it for the others. A call costs a broker call object and, once
 * connected, two sockets; each handle costs a signal on every change of
 * the call. The defaults are far above what a softphone, recorder or
 * switchboard holds at once, and far below the broker's file descriptor
 * limit (1024 by default: 256 calls of two sockets each leave room for
 * the providers and for other applications). The [limits] group of the
 * broker's keyfile (sim.conf) changes them. */
#define DEFAULT_MAX_CALLS          256  /* calls it created and still holds */
#define DEFAULT_MAX_REGISTRATIONS  64   /* RegisterNotifications */
#define DEFAULT_MAX_PRIORITIES     64   /* applications in one media type's priority list */

#define LIMITS_GROUP "limits"

G_DEFINE_FINAL_TYPE (TapiBroker, tapi_broker, G_TYPE_OBJECT)

/* Calls */

static void
call_state_changed_cb (TapiBrokerCall     *call,
                       TapiCallState       state,
                       TapiCallStateCause  cause,
                       TapiBroker         *self)
{
  g_autoptr(TapiBrokerCall) keep G_GNUC_UNUSED = g_object_ref (call);
  g_autoptr(GPtrArray) holders = tapi_broker_call_dup_handle_apps (call);

  for (guint i = 0; i < holders->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (holders, i);

      app_emit (app, "CallStateChanged",
                g_variant_new ("(uuu@a{sv})", tapi_broker_call_get_id (call),
                               state, cause,
                               tapi_broker_call_changes_to_variant (call,
                                                                    app)));
    }

  process_waiters (self, call);
  maybe_remove_call (self, call);
}

static void
call_info_changed_cb (TapiBrokerCall     *call,
                      TapiCallInfoChange  change,
                      TapiBroker         *self)
{
  g_autoptr(GPtrArray) holders = tapi_broker_call_dup_handle_apps (call);

  for (guint i = 0; i < holders->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (holders, i);

      app_emit (app, "CallInfoChanged",
                g_variant_new ("(uu@a{sv})", tapi_broker_call_get_id (call),
                               change,
                               tapi_broker_call_changes_to_variant (call,
                                                                    app)));
    }
}

/* @media without its SRTP keys: those go to the application that runs
 * the media only. */
static GVariant *
media_without_keys (GVariant *media)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, media);
  g_variant_dict_remove (&dict, "srtp-send-key");
  g_variant_dict_remove (&dict, "srtp-receive-key");
  return g_variant_dict_end (&dict);
}

static void
call_media_changed_cb (TapiBrokerCall *call,
                       TapiBroker     *self)
{
  g_autoptr(GPtrArray) holders = tapi_broker_call_dup_handle_apps (call);
  GVariant *media = tapi_broker_call_get_media (call);
  gpointer media_app = tapi_broker_call_get_media_app (call);
  g_autoptr(GVariant) public_media = NULL;

  if (media == NULL)
    return;
  public_media = g_variant_ref_sink (media_without_keys (media));
  for (guint i = 0; i < holders->len; i++)
    {
      gpointer app = g_ptr_array_index (holders, i);

      app_emit (app, "MediaChanged",
                g_variant_new ("(u@a{sv})", tapi_broker_call_get_id (call),
                               app == media_app ? media : public_media));
    }
}

void
add_call (TapiBroker     *self,
          TapiBrokerCall *call)
{
  g_return_if_fail (TAPI_IS_BROKER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));

  g_hash_table_insert (self->calls,
                       GUINT_TO_POINTER (tapi_broker_call_get_id (call)),
                       g_object_ref (call));
  g_signal_connect_object (call, "state-changed",
                           G_CALLBACK (call_state_changed_cb), self, 0);
  g_signal_connect_object (call, "info-changed",
                           G_CALLBACK (call_info_changed_cb), self, 0);
  g_signal_connect_object (call, "media-changed",
                           G_CALLBACK (call_media_changed_cb), self, 0);
}

static void
offer_call (TapiBroker     *self,
            TapiBrokerCall *call)
{
  TapiBrokerAddress *address = tapi_broker_call_get_address (call);
  BrokerApp *owner;
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (HandleChange));

  g_return_if_fail (TAPI_IS_BROKER (self));

  owner = choose_owner (self, address, tapi_broker_call_get_media_types (call),
                        NULL);
  add_monitor_changes (self, address, owner, changes);

  if (owner)
    {
      HandleChange change = { owner, TAPI_CALL_PRIVILEGE_OWNER };

      g_array_append_val (changes, change);
    }

  apply_handles (self, call, (HandleChange *) (gpointer) changes->data,
                 changes->len);
}

/* A provider changed the state of @address from @previous: every
 * application gets an `AddressChanged` (`STATE`) signal, also when the
 * state stays the same, so that each failed attempt to bring an address
 * into service (a refused registration) is reported. An address that goes
 * out of service invalidates every handle to its calls: each holder gets
 * `CallHandleRemoved`, and live calls are dropped with `DISCONNECT_FAILED`. */
static void
address_state_changed (TapiBroker        *self,
                       TapiBrokerAddress *address,
                       TapiAddressState   previous)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;
  TapiAddressState state;
  gboolean changed;

  g_return_if_fail (TAPI_IS_BROKER (self));
  g_return_if_fail (address != NULL);

  state = address->state;
  changed = previous != state;

  for (guint i = 0; i < self->apps->len; i++)
    app_emit (g_ptr_array_index (self->apps, i), "AddressChanged",
              g_variant_new ("(su@a{sv})", address->name,
                             TAPI_ADDRESS_EVENT_STATE,
                             tapi_broker_address_to_variant (address)));

  if (!changed || state != TAPI_ADDRESS_STATE_OUT_OF_SERVICE)
    return;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (tapi_broker_call_get_address (value) == address)
      g_ptr_array_add (calls, g_object_ref (value));

  for (guint i = 0; i < calls->len; i++)
    {
      TapiBrokerCall *call = g_ptr_array_index (calls, i);
      g_autoptr(GPtrArray) holders = tapi_broker_call_dup_handle_apps (call);

      if (tapi_broker_call_is_live (call))
        tapi_provider_disconnect (provider_of (call), call,
                                  TAPI_DISCONNECT_CODE_NORMAL,
                                  TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED,
                                  NULL);
      for (guint j = 0; j < holders->len; j++)
        {
          BrokerApp *app = g_ptr_array_index (holders, j);

          tapi_broker_call_remove_handle (call, app);
          app_emit (app, "CallHandleRemoved",
                    g_variant_new ("(u)", tapi_broker_call_get_id (call)));
        }
      maybe_remove_call (self, call);
    }
}

/* Gives @call the same handles as @model, owners as owners and monitors
 * as monitors, each told by `CallNotification`. For the call a provider
 * places because @model was transferred to it (an incoming REFER), or
 * that replaces @model. When nobody holds @model any more, @call is
 * offered like an incoming call. */
static void
offer_call_like (TapiBroker     *self,
                 TapiBrokerCall *call,
                 TapiBrokerCall *model)
{
  g_autoptr(GPtrArray) holders = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (HandleChange));

  g_return_if_fail (TAPI_IS_BROKER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));
  g_return_if_fail (TAPI_IS_BROKER_CALL (model));

  holders = tapi_broker_call_dup_handle_apps (model);
  for (guint i = 0; i < holders->len; i++)
    {
      HandleChange change = { g_ptr_array_index (holders, i), TAPI_CALL_PRIVILEGE_MONITOR };
      TapiCallPrivilege privilege;

      if (!tapi_broker_call_lookup_handle (model, change.app, &privilege) ||
          !((BrokerApp *) change.app)->initialized)
        continue;
      change.privilege = privilege;
      g_array_append_val (changes, change);
    }

  if (changes->len == 0)
    {
      offer_call (self, call);
      return;
    }
  apply_handles (self, call, (HandleChange *) (gpointer) changes->data,
                 changes->len);
}

static void
call_offered (TapiBroker     *self,
              TapiBrokerCall *call,
              TapiBrokerCall *model)
{
  if (model)
    offer_call_like (self, call, model);
  else
    offer_call (self, call);
}

/* The transfer of @call (blind, or the original call of a consultation
 * transfer) that the provider started did not happen. The application's
 * request fails with @error (its code when it is a #TAPI_ERROR, else
 * %TAPI_ERROR_FAILED); the call stays as it is. */
static void
transfer_failed (TapiBroker     *self,
                 TapiBrokerCall *call,
                 const GError   *error)
{
  GList *l;

  g_return_if_fail (TAPI_IS_BROKER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));
  g_return_if_fail (error != NULL);

  l = self->waiters;
  while (l)
    {
      GList *next = l->next;
      Waiter *waiter = l->data;

      if (waiter->call == call && waiter->kind == WAIT_TRANSFER)
        {
          broker_flush_signals (self);
          g_dbus_method_invocation_return_error_literal (waiter->invocation,
                                                         TAPI_ERROR,
                                                         error->domain ==
                                                             TAPI_ERROR
                                                           ? error->code
                                                           : TAPI_ERROR_FAILED,
                                                         error->message);
          g_object_unref (waiter->call);
          g_free (waiter);
          self->waiters = g_list_delete_link (self->waiters, l);
        }
      l = next;
    }
}

/* A digit, `0`-`9`, `*`, `#` or `A`-`D`, came by signalling (SIP INFO)
 * rather than in the media. Every application holding @call gets
 * `DigitReceived`; the owner reports it like a detected digit when it
 * asked for digit detection. */
static void
digit_received (TapiBroker     *self,
                TapiBrokerCall *call,
                char            digit)
{
  g_autoptr(GPtrArray) holders = NULL;

  g_return_if_fail (TAPI_IS_BROKER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));

  holders = tapi_broker_call_dup_handle_apps (call);
  for (guint i = 0; i < holders->len; i++)
    app_emit (g_ptr_array_index (holders, i), "DigitReceived",
              g_variant_new ("(uu)", tapi_broker_call_get_id (call),
                             (guint32) (guchar) digit));
}

/* Connections */

static void
connection_closed_cb (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      TapiBroker      *self)
{
  forget_apps (self, connection, NULL);
  g_signal_handlers_disconnect_by_data (connection, self);
  g_dbus_interface_skeleton_unexport_from_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                                      connection);
  g_ptr_array_remove (self->peers, connection);
}

void
tapi_broker_add_peer_connection (TapiBroker      *self,
                                 GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TAPI_IS_BROKER (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                         connection, TAPI_BROKER_OBJECT_PATH, &error))
    {
      g_warning ("Could not export the broker: %s", error->message);
      return;
    }
  g_ptr_array_add (self->peers, g_object_ref (connection));
  g_signal_connect_object (connection, "closed",
                           G_CALLBACK (connection_closed_cb), self, 0);
  g_dbus_connection_start_message_processing (connection);
}

/**
 * tapi_broker_shutdown:
 * @self: the broker
 *
 * Drops every live call with `DISCONNECT_FAILED`, telling the
 * applications holding them, before the broker goes away.
 */
void
tapi_broker_shutdown (TapiBroker *self)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (TAPI_IS_BROKER (self));

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (tapi_broker_call_is_live (value))
      g_ptr_array_add (calls, g_object_ref (value));
  g_ptr_array_sort (calls, compare_call_ids);

  if (calls->len > 0)
    g_info ("Dropping %u calls", calls->len);
  /* The far leg of a call between two extensions ends with the same
   * cause as the near one. */
  for (guint i = 0; i < calls->len; i++)
    tapi_broker_call_set_drop_cause (g_ptr_array_index (calls, i),
                                     TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED);
  for (guint i = 0; i < calls->len; i++)
    {
      TapiBrokerCall *call = g_ptr_array_index (calls, i);

      /* Calls linked to each other may already be over. */
      if (tapi_broker_call_is_live (call))
        tapi_provider_disconnect (provider_of (call), call,
                                  TAPI_DISCONNECT_CODE_NORMAL,
                                  TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED,
                                  NULL);
    }

  broker_flush_signals (self);
  for (guint i = 0; i < self->peers->len; i++)
    g_dbus_connection_flush_sync (g_ptr_array_index (self->peers, i), NULL,
                                  NULL);
}

/* GObject */

static void
tapi_broker_dispose (GObject *object)
{
  TapiBroker *self = TAPI_BROKER (object);

  /* No method call may reach a broker that is going away. */
  if (g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  for (guint i = 0; i < self->peers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->peers, i),
                                          self);
  g_ptr_array_set_size (self->peers, 0);
  for (guint i = 0; i < self->apps->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (self->apps, i);

      if (app->watch_id != 0)
        g_bus_unwatch_name (app->watch_id);
      app->watch_id = 0;
    }

  if (self->flush_source)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  g_ptr_array_set_size (self->outboxes, 0);

  G_OBJECT_CLASS (tapi_broker_parent_class)->dispose (object);
}

static void
tapi_broker_finalize (GObject *object)
{
  TapiBroker *self = TAPI_BROKER (object);

  g_ptr_array_unref (self->outboxes);
  g_ptr_array_unref (self->apps);
  g_ptr_array_unref (self->peers);
  g_object_unref (self->skeleton);
  g_hash_table_unref (self->calls);
  g_hash_table_unref (self->priorities);
  g_ptr_array_unref (self->addresses);
  g_ptr_array_unref (self->providers);
  g_free (self->priorities_path);

  G_OBJECT_CLASS (tapi_broker_parent_class)->finalize (object);
}

static void
tapi_broker_class_init (TapiBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tapi_broker_dispose;
  object_class->finalize = tapi_broker_finalize;
}

static void
tapi_broker_init (TapiBroker *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->peers = g_ptr_array_new_with_free_func (g_object_unref);
  self->addresses = g_ptr_array_new ();
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->apps = g_ptr_array_new_with_free_func ((GDestroyNotify) broker_app_free);
  self->outboxes = g_ptr_array_new ();
  self->priorities = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->limits.calls = DEFAULT_MAX_CALLS;
  self->limits.registrations = DEFAULT_MAX_REGISTRATIONS;
  self->limits.priorities = DEFAULT_MAX_PRIORITIES;

  self->skeleton = tapi_dbus_broker1_skeleton_new ();
  connect_service_handlers (self);
  connect_call_control_handlers (self);
}

static gboolean
read_limit (GKeyFile    *config,
            const char  *key,
            guint       *value,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 read;

  if (!g_key_file_has_key (config, LIMITS_GROUP, key, NULL))
    return TRUE;
  read = g_key_file_get_int64 (config, LIMITS_GROUP, key, &local_error);
  if (local_error != NULL || read < 1 || read > G_MAXINT)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] %s must be a number, 1 or more", LIMITS_GROUP, key);
      return FALSE;
    }
  *value = read;
  return TRUE;
}

/* The [limits] group: calls, registrations, priorities. */
static gboolean
read_limits (TapiBroker  *self,
             GKeyFile    *config,
             GError     **error)
{
  return read_limit (config, "calls", &self->limits.calls, error) &&
         read_limit (config, "registrations", &self->limits.registrations,
                     error) &&
         read_limit (config, "priorities", &self->limits.priorities, error);
}

static void
add_provider (TapiBroker   *self,
              TapiProvider *provider)
{
  GPtrArray *addresses = tapi_provider_get_addresses (provider);

  tapi_provider_set_broker (provider, self);
  /* Swapped: the handlers take the broker first, and the provider last
   * is left out. */
  g_signal_connect_object (provider, "call-added", G_CALLBACK (add_call),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (provider, "call-offered", G_CALLBACK (call_offered),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (provider, "transfer-failed",
                           G_CALLBACK (transfer_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (provider, "digit-received",
                           G_CALLBACK (digit_received), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (provider, "address-state-changed",
                           G_CALLBACK (address_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->providers, provider);
  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (self->addresses, g_ptr_array_index (addresses, i));
}

/**
 * tapi_broker_config_path:
 * @variable: the environment variable that names the file
 * @basename: the file's name in the configuration directory
 *
 * Where a configuration file of the broker is: the path in @variable
 * when it is set and not empty, else @basename in `tapi3` in the user's
 * configuration directory (`$XDG_CONFIG_HOME`, `~/.config`).
 *
 * Returns: (transfer full) (type filename): the path
 */
char *
tapi_broker_config_path (const char *variable,
                         const char *basename)
{
  const char *path = g_getenv (variable);

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  return g_build_filename (g_get_user_config_dir (), "tapi3", basename, NULL);
}

/**
 * tapi_broker_new:
 * @error: return location for a #GError
 *
 * Creates a broker with the simulated PBX, configured from the keyfile
 * named by `TAPI3_SIM_CONFIG`, or else from `sim.conf` in the user's
 * configuration directory (`$XDG_CONFIG_HOME/tapi3`) when it exists.
 *
 * Returns: the broker, or %NULL when its configuration is wrong
 */
TapiBroker *
tapi_broker_new (GError **error)
{
  g_autoptr(TapiBroker) self = g_object_new (TAPI_TYPE_BROKER, NULL);
  g_autoptr(GKeyFile) sim_config = NULL;
  g_autofree char *sim_config_path =
    tapi_broker_config_path ("TAPI3_SIM_CONFIG", "sim.conf");
  TapiProvider *sim, *sip;

  if (g_file_test (sim_config_path, G_FILE_TEST_EXISTS) ||
      g_getenv ("TAPI3_SIM_CONFIG") != NULL)
    {
      sim_config = g_key_file_new ();
      if (!g_key_file_load_from_file (sim_config, sim_config_path,
                                      G_KEY_FILE_NONE, error))
        {
          g_prefix_error (error,
                          "Could not read the simulated PBX configuration %s: ",
                          sim_config_path);
          return NULL;
        }
      if (!read_limits (self, sim_config, error))
        {
          g_prefix_error (error, "Wrong limits in %s: ", sim_config_path);
          return NULL;
        }
    }

  sim = tapi_sim_provider_new (sim_config, error);
  if (sim == NULL)
    return NULL;
  add_provider (self, sim);

  /* SIP accounts are optional: without a configuration there is no SIP
   * provider, and a wrong one only leaves accounts out. */
  sip = tapi_sip_provider_new ();
  if (sip)
    add_provider (self, sip);

  return g_steal_pointer (&self);
}
