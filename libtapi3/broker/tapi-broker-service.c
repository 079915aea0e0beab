/* tapi-broker-service.c: the broker's session and call information methods
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include <string.h>

#include <gio/gunixfdlist.h>

#include "tapi-broker-private.h"
#include "tapi-error.h"

/* Longest string argument, in bytes: application names, addresses,
 * destinations, park orbits, pickup groups. Far above any dialable
 * address or SIP URI; it keeps a peer from making the broker store or
 * echo megabytes. */
#define MAX_STRING_LENGTH          1024

static const TapiMediaType known_media_types =
  TAPI_MEDIA_TYPE_UNKNOWN | TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_DATAMODEM |
  TAPI_MEDIA_TYPE_G3FAX | TAPI_MEDIA_TYPE_VIDEO | TAPI_MEDIA_TYPE_MULTITRACK;

/* Method handlers: one per method of the skeleton's handle-* signals,
 * each answering its invocation before it returns, or keeping it in a
 * waiter until the call it waits for gets there. */

gboolean
return_gerror (TapiBroker            *self,
               GDBusMethodInvocation *invocation,
               GError                *error)
{
  broker_flush_signals (self);
  g_dbus_method_invocation_take_error (invocation, error);
  return FALSE;
}

void
return_error (TapiBroker            *self,
              GDBusMethodInvocation *invocation,
              TapiError              code,
              const char            *format,
              ...)
{
  va_list args;

  broker_flush_signals (self);
  va_start (args, format);
  g_dbus_method_invocation_return_error_valist (invocation, TAPI_ERROR, code,
                                                format, args);
  va_end (args);
}

/* Every string argument is a name or an address: none is long. */
static gboolean
check_string_lengths (TapiBroker            *self,
                      GDBusMethodInvocation *invocation)
{
  GVariantIter iter;
  GVariant *argument;

  g_variant_iter_init (&iter,
                       g_dbus_method_invocation_get_parameters (invocation));
  while ((argument = g_variant_iter_next_value (&iter)))
    {
      gsize length = 0;

      if (g_variant_is_of_type (argument, G_VARIANT_TYPE_STRING))
        g_variant_get_string (argument, &length);
      g_variant_unref (argument);
      if (length > MAX_STRING_LENGTH)
        {
          return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                        "A string argument of %s is %" G_GSIZE_FORMAT
                        " bytes long, "
                        "longer than the %u bytes the broker takes",
                        g_dbus_method_invocation_get_method_name (invocation),
                        length, MAX_STRING_LENGTH);
          return FALSE;
        }
    }
  return TRUE;
}

/* The initialized application making the call, known by its connection
 * and its sender; else NULL, with @invocation answered. */
BrokerApp *
app_for (TapiBroker            *self,
         GDBusMethodInvocation *invocation)
{
  BrokerApp *app;

  if (!check_string_lengths (self, invocation))
    return NULL;

  app = find_app (self, g_dbus_method_invocation_get_connection (invocation),
                  g_dbus_method_invocation_get_sender (invocation));
  if (app == NULL || !app->initialized)
    {
      return_error (self, invocation, TAPI_ERROR_NOT_INITIALIZED,
                    "Call Initialize before %s",
                    g_dbus_method_invocation_get_method_name (invocation));
      return NULL;
    }
  return app;
}

static TapiBrokerAddress *
find_address (TapiBroker *self,
              const char *name)
{
  for (guint i = 0; i < self->addresses->len; i++)
    {
      TapiBrokerAddress *address = g_ptr_array_index (self->addresses, i);

      if (g_strcmp0 (address->name, name) == 0 ||
          g_strcmp0 (address->dialable_address, name) == 0)
        return address;
    }
  return NULL;
}

/* The call @id as @app holds it; @need_owner refuses monitors. */
TapiBrokerCall *
lookup_call (TapiBroker *self,
             BrokerApp  *app,
             guint       id,
             gboolean    need_owner,
             GError    **error)
{
  TapiBrokerCall *call = g_hash_table_lookup (self->calls,
                                              GUINT_TO_POINTER (id));
  TapiCallPrivilege privilege;

  if (call == NULL || !tapi_broker_call_lookup_handle (call, app, &privilege))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                   "This application has no handle to call %u", id);
      return NULL;
    }
  if (need_owner && privilege != TAPI_CALL_PRIVILEGE_OWNER)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_OWNER,
                   "This application only monitors call %u", id);
      return NULL;
    }
  return call;
}

const char *
state_name (TapiCallState state)
{
  static const char *names[] = {
    "idle", "in progress", "connected", "disconnected", "offering", "on hold", "queued"
  };

  return state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

/* A media type argument with exactly one known bit. */
gboolean
check_single_media_type (guint    media_type,
                         GError **error)
{
  if (media_type == 0 || (media_type & (media_type - 1)) != 0 ||
      (media_type & known_media_types) == 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "0x%x is not exactly one media type", media_type);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_media_types_for (TapiBrokerAddress *address,
                       guint              media_types,
                       GError           **error)
{
  if (media_types == 0 ||
      (media_types & ~(address->media_types | TAPI_MEDIA_TYPE_UNKNOWN)) != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "Address %s does not carry media types 0x%x",
                   address->name, media_types);
      return FALSE;
    }
  return TRUE;
}

static gboolean
handle_initialize (TapiDBusBroker1       *skeleton,
                   GDBusMethodInvocation *invocation,
                   const char            *name,
                   TapiBroker            *self)
{
  GDBusConnection *connection = g_dbus_method_invocation_get_connection (invocation);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  BrokerApp *app;
  GVariantBuilder builder;

  if (!check_string_lengths (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  app = find_app (self, connection, sender);
  if (app == NULL)
    app = add_app (self, connection, sender);

  if (*name == '\0')
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "The application name must not be empty");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (app->initialized)
    {
      return_error (self, invocation, TAPI_ERROR_FAILED,
                    "This connection is initialized already as %s", app->name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  g_free (app->name);
  app->name = g_strdup (name);
  app->initialized = TRUE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->addresses->len; i++)
    g_variant_builder_add_value (&builder,
                                 tapi_broker_address_to_variant (g_ptr_array_index (self->addresses, i)));
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_initialize (skeleton, invocation,
                                         g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_shutdown (TapiDBusBroker1       *skeleton,
                 GDBusMethodInvocation *invocation,
                 TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  app_release_everything (self, app);
  app->initialized = FALSE;
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_shutdown (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_register_notifications (TapiDBusBroker1       *skeleton,
                               GDBusMethodInvocation *invocation,
                               const char            *address_name,
                               gboolean               monitor,
                               gboolean               owner,
                               guint                  media_types,
                               TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerAddress *address;
  Registration *registration;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  address = find_address (self, address_name);
  if (address == NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ADDRESS,
                    "No address %s", address_name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!monitor && !owner)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "A registration is for owner or monitor privilege, or both");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (owner && !check_media_types_for (address, media_types, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (app->registrations->len >= self->limits.registrations)
    {
      return_error (self, invocation, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                    "Application %s has %u registrations, the most one application "
                    "may have ([limits] registrations); unregister one first",
                    app->name, app->registrations->len);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  registration = g_new0 (Registration, 1);
  registration->id = ++self->last_registration_id;
  registration->app = app;
  registration->address = tapi_broker_address_ref (address);
  registration->monitor = monitor;
  registration->owner = owner;
  registration->media_types = media_types;
  registration->order = ++self->last_order;
  g_ptr_array_add (app->registrations, registration);

  /* A monitor also gets a handle to every call already on the address
   * that is not over (lineGetNewCalls), before the reply. */
  if (monitor)
    {
      g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->calls);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (tapi_broker_call_get_address (value) == address &&
            tapi_broker_call_get_state (value) !=
              TAPI_CALL_STATE_DISCONNECTED &&
            !tapi_broker_call_lookup_handle (value, app, NULL))
          g_ptr_array_add (calls, g_object_ref (value));
      g_ptr_array_sort (calls, compare_call_ids);
      for (guint i = 0; i < calls->len; i++)
        set_one_handle (self, g_ptr_array_index (calls, i), app,
                        TAPI_CALL_PRIVILEGE_MONITOR);
    }

  broker_flush_signals (self);
  tapi_dbus_broker1_complete_register_notifications (skeleton, invocation,
                                                     registration->id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unregister_notifications (TapiDBusBroker1       *skeleton,
                                 GDBusMethodInvocation *invocation,
                                 guint                  id,
                                 TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  for (guint i = 0; i < app->registrations->len; i++)
    {
      Registration *registration = g_ptr_array_index (app->registrations, i);

      if (registration->id == id)
        {
          g_ptr_array_remove_index (app->registrations, i);
          broker_flush_signals (self);
          tapi_dbus_broker1_complete_unregister_notifications (skeleton,
                                                               invocation);
          return G_DBUS_METHOD_INVOCATION_HANDLED;
        }
    }
  return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                "This application has no registration %u", id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_application_priority (TapiDBusBroker1       *skeleton,
                                 GDBusMethodInvocation *invocation,
                                 const char            *name,
                                 guint                  media_type,
                                 gboolean               priority,
                                 TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  GPtrArray *names;
  guint index;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (*name == '\0')
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "The application name must not be empty");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!check_single_media_type (media_type, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  names = g_hash_table_lookup (self->priorities, GUINT_TO_POINTER (media_type));
  if (names == NULL)
    {
      names = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->priorities, GUINT_TO_POINTER (media_type),
                           names);
    }
  if (g_ptr_array_find_with_equal_func (names, name, g_str_equal, &index))
    g_ptr_array_remove_index (names, index);
  else if (priority && names->len >= self->limits.priorities)
    {
      return_error (self, invocation, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                    "Media type 0x%x has %u applications with priority, the most "
                    "the broker keeps ([limits] priorities); take one away first",
                    media_type, names->len);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (priority)
    g_ptr_array_insert (names, 0, g_strdup (name));
  save_priorities (self);

  broker_flush_signals (self);
  tapi_dbus_broker1_complete_set_application_priority (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The serial of the application that created a call. */
static GQuark
creator_quark (void)
{
  return g_quark_from_static_string ("tapi-broker-creator");
}

/* The calls @app created and still holds a handle to: those it handed
 * off and released, or that it never owned, are another's. */
static guint
count_created_calls (TapiBroker *self,
                     BrokerApp  *app)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_UINT (g_object_get_qdata (value, creator_quark ())) ==
          app->serial &&
        tapi_broker_call_lookup_handle (value, app, NULL))
      n++;
  return n;
}

static gboolean
handle_create_call (TapiDBusBroker1       *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char            *address_name,
                    const char            *destination,
                    gboolean               has_destination,
                    guint                  address_type,
                    guint                  media_types,
                    TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerAddress *address;
  g_autoptr(TapiBrokerCall) call = NULL;
  guint n_created;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  address = find_address (self, address_name);
  if (address == NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ADDRESS,
                    "No address %s", address_name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if ((address->call_features & TAPI_CALL_FEATURES_CONNECT) == 0)
    {
      return_error (self, invocation, TAPI_ERROR_NOT_SUPPORTED,
                    "Address %s cannot place calls", address->name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (address_type == 0 || (address_type & (address_type - 1)) != 0 ||
      (address_type & address->address_types) == 0)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ADDRESS_TYPE,
                    "Address %s does not take destinations of type 0x%x",
                    address->name, address_type);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!check_media_types_for (address, media_types, &error) ||
      (has_destination &&
       !tapi_provider_check_destination (address->provider, address,
                                         destination, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if ((n_created = count_created_calls (self, app)) >= self->limits.calls)
    {
      return_error (self, invocation, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                    "Application %s holds %u calls it created, the most one application "
                    "may hold ([limits] calls); release calls it no longer needs",
                    app->name, n_created);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  call = tapi_broker_call_new (address, TAPI_CALL_ORIGIN_OUTBOUND, media_types,
                               has_destination ? destination : NULL);
  tapi_broker_call_set_caller_id (call, address->display_name,
                                  address->dialable_address);
  if (has_destination)
    tapi_broker_call_set_called_id (call, NULL, destination);
  g_object_set_qdata (G_OBJECT (call), creator_quark (),
                      GUINT_TO_POINTER (app->serial));
  add_call (self, call);
  tapi_broker_call_set_handle (call, app, TAPI_CALL_PRIVILEGE_OWNER);

  /* Monitors of the address see outgoing calls too. They get their
   * handles before the creator's reply, so that the reply has the final
   * counts: a NUMBER_OF_MONITORS change sent after it could reach the
   * creator before its call object exists. */
  announce_to_monitors (self, call, app);

  broker_flush_signals (self);
  tapi_dbus_broker1_complete_create_call (skeleton, invocation,
                                          tapi_broker_call_to_variant (call,
                                                                       app));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_release_call (TapiDBusBroker1       *skeleton,
                     GDBusMethodInvocation *invocation,
                     guint                  id,
                     TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  TapiCallPrivilege privilege;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, FALSE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  tapi_broker_call_lookup_handle (call, app, &privilege);
  if (privilege == TAPI_CALL_PRIVILEGE_OWNER &&
      tapi_broker_call_is_live (call) &&
      tapi_broker_call_count_handles (call, TAPI_CALL_PRIVILEGE_OWNER) == 1)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Call %u is %s and this application is its only owner: "
                    "disconnect it or hand it off first",
                    id, state_name (tapi_broker_call_get_state (call)));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  release_handle (self, call, app);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_release_call (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_call_info (TapiDBusBroker1       *skeleton,
                      GDBusMethodInvocation *invocation,
                      guint                  id,
                      TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, FALSE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_get_call_info (skeleton, invocation,
                                            tapi_broker_call_to_variant (call,
                                                                         app));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_privilege (TapiDBusBroker1       *skeleton,
                      GDBusMethodInvocation *invocation,
                      guint                  id,
                      guint                  privilege,
                      TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  TapiCallPrivilege current;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, FALSE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (privilege > TAPI_CALL_PRIVILEGE_MONITOR)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "No privilege %u", privilege);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  tapi_broker_call_lookup_handle (call, app, &current);
  if (current == TAPI_CALL_PRIVILEGE_OWNER &&
      privilege == TAPI_CALL_PRIVILEGE_MONITOR &&
      tapi_broker_call_is_live (call) &&
      tapi_broker_call_count_handles (call, TAPI_CALL_PRIVILEGE_OWNER) == 1)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "This application is the only owner of live call %u", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  if (current != privilege)
    set_one_handle (self, call, app, privilege);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_set_privilege (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_app_specific (TapiDBusBroker1       *skeleton,
                         GDBusMethodInvocation *invocation,
                         guint                  id,
                         guint                  value,
                         TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  tapi_broker_call_set_app_specific (call, value);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_set_app_specific (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_set_media_type (TapiDBusBroker1       *skeleton,
                       GDBusMethodInvocation *invocation,
                       guint                  id,
                       guint                  media_type,
                       TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_media_types_for (tapi_broker_call_get_address (call), media_type,
                              &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  tapi_broker_call_set_media_types (call, media_type);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_set_media_type (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_media (TapiDBusBroker1       *skeleton,
                  GDBusMethodInvocation *invocation,
                  GUnixFDList           *fd_list,
                  guint                  id,
                  TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GVariant *media;
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  int rtp, rtcp;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (tapi_broker_call_get_media_app (call) != app)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Another owner of call %u runs its media", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  media = tapi_broker_call_get_media (call);
  if (media == NULL || tapi_broker_call_get_rtp_socket (call) == NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Call %u has no media yet", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if ((rtp = g_unix_fd_list_append (fds, g_socket_get_fd (tapi_broker_call_get_rtp_socket (call)), &error)) < 0 ||
      (rtcp = g_unix_fd_list_append (fds, g_socket_get_fd (tapi_broker_call_get_rtcp_socket (call)), &error)) < 0)
    {
      g_prefix_error (&error, "Could not pass the media sockets: ");
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_get_media (skeleton, invocation, fds, media,
                                        g_variant_new_handle (rtp),
                                        g_variant_new_handle (rtcp));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Reports of the owner's media, passed on to the call's other holders. */

static void
emit_to_others (TapiBrokerCall *call,
                BrokerApp      *sender,
                const char     *signal_name,
                GVariant       *parameters)
{
  g_autoptr(GPtrArray) holders = tapi_broker_call_dup_handle_apps (call);

  g_variant_ref_sink (parameters);
  for (guint i = 0; i < holders->len; i++)
    if (g_ptr_array_index (holders, i) != sender)
      app_emit (g_ptr_array_index (holders, i), signal_name,
                g_variant_ref (parameters));
  g_variant_unref (parameters);
}

static gboolean
handle_report_media_event (TapiDBusBroker1       *skeleton,
                           GDBusMethodInvocation *invocation,
                           guint                  id,
                           guint                  event,
                           guint                  cause,
                           guint                  direction,
                           TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (event > TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE ||
      cause > TAPI_CALL_MEDIA_CAUSE_QUALITY_OF_SERVICE ||
      direction > TAPI_TERMINAL_DIRECTION_BIDIRECTIONAL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "No such media event");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  emit_to_others (call, app, "MediaEvent",
                  g_variant_new ("(uuuu)", id, event, cause, direction));
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_report_media_event (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_report_digit (TapiDBusBroker1       *skeleton,
                     GDBusMethodInvocation *invocation,
                     guint                  id,
                     guint                  digit,
                     TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (digit == 0 || digit > 127 ||
      strchr ("0123456789*#ABCD", (char) digit) == NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "%u is not a DTMF digit", digit);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  emit_to_others (call, app, "DigitReceived",
                  g_variant_new ("(uu)", id, digit));
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_report_digit (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
connect_service_handlers (TapiBroker *self)
{
  g_signal_connect (self->skeleton, "handle-initialize",
                    G_CALLBACK (handle_initialize), self);
  g_signal_connect (self->skeleton, "handle-shutdown",
                    G_CALLBACK (handle_shutdown), self);
  g_signal_connect (self->skeleton, "handle-register-notifications",
                    G_CALLBACK (handle_register_notifications), self);
  g_signal_connect (self->skeleton, "handle-unregister-notifications",
                    G_CALLBACK (handle_unregister_notifications), self);
  g_signal_connect (self->skeleton, "handle-set-application-priority",
                    G_CALLBACK (handle_set_application_priority), self);
  g_signal_connect (self->skeleton, "handle-create-call",
                    G_CALLBACK (handle_create_call), self);
  g_signal_connect (self->skeleton, "handle-release-call",
                    G_CALLBACK (handle_release_call), self);
  g_signal_connect (self->skeleton, "handle-get-call-info",
                    G_CALLBACK (handle_get_call_info), self);
  g_signal_connect (self->skeleton, "handle-set-privilege",
                    G_CALLBACK (handle_set_privilege), self);
  g_signal_connect (self->skeleton, "handle-set-app-specific",
                    G_CALLBACK (handle_set_app_specific), self);
  g_signal_connect (self->skeleton, "handle-set-media-type",
                    G_CALLBACK (handle_set_media_type), self);
  g_signal_connect (self->skeleton, "handle-get-media",
                    G_CALLBACK (handle_get_media), self);
  g_signal_connect (self->skeleton, "handle-report-media-event",
                    G_CALLBACK (handle_report_media_event), self);
  g_signal_connect (self->skeleton, "handle-report-digit",
                    G_CALLBACK (handle_report_digit), self);
}
