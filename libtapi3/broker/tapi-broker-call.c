/* tapi-broker-call.c: one call as the broker holds it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include "tapi-broker-call.h"
#include "tapi-enum-types.h"

/* A TapiBrokerCall is one leg of a connection on one address: a call
 * between two extensions of the simulated PBX is two of them. Providers
 * change its state and information; the broker listens to ::state-changed
 * and ::info-changed and tells every application that holds a handle. */

struct _TapiBrokerCall
{
  GObject             parent_instance;

  guint               id;
  TapiBrokerAddress  *address;
  TapiCallOrigin      origin;
  char               *destination;
  TapiCallState       state;
  TapiCallStateCause  cause;
  TapiCallStateCause  drop_cause;
  TapiMediaType       media_types;
  TapiMediaType       detected_media_types;
  guint               related_call_id;
  guint               app_specific;
  char               *caller_id_name;
  char               *caller_id_number;
  char               *called_id_name;
  char               *called_id_number;
  char               *connected_id_name;
  char               *connected_id_number;
  char               *redirecting_id_number;
  char               *redirection_id_number;

  GHashTable         *handles;          /* app → privilege + 1 */
  gpointer            media_app;        /* the owner that runs the media */
  GWeakRef            consultation_of;

  GSocket            *rtp_socket;
  GSocket            *rtcp_socket;
  GVariant           *media;

  gpointer            provider_data;
  GDestroyNotify      provider_data_destroy;
};

enum {
  STATE_CHANGED,
  INFO_CHANGED,
  MEDIA_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TapiBrokerCall, tapi_broker_call, G_TYPE_OBJECT)

static void
tapi_broker_call_finalize (GObject *object)
{
  TapiBrokerCall *self = TAPI_BROKER_CALL (object);

  if (self->provider_data_destroy)
    self->provider_data_destroy (self->provider_data);
  g_weak_ref_clear (&self->consultation_of);
  g_hash_table_unref (self->handles);
  if (self->rtp_socket)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
  g_clear_pointer (&self->media, g_variant_unref);
  tapi_broker_address_unref (self->address);
  g_free (self->destination);
  g_free (self->caller_id_name);
  g_free (self->caller_id_number);
  g_free (self->called_id_name);
  g_free (self->called_id_number);
  g_free (self->connected_id_name);
  g_free (self->connected_id_number);
  g_free (self->redirecting_id_number);
  g_free (self->redirection_id_number);

  G_OBJECT_CLASS (tapi_broker_call_parent_class)->finalize (object);
}

static void
tapi_broker_call_class_init (TapiBrokerCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_broker_call_finalize;

  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAPI_TYPE_CALL_STATE, TAPI_TYPE_CALL_STATE_CAUSE);
  signals[INFO_CHANGED] =
    g_signal_new ("info-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAPI_TYPE_CALL_INFO_CHANGE);
  signals[MEDIA_CHANGED] =
    g_signal_new ("media-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
tapi_broker_call_init (TapiBrokerCall *self)
{
  static guint last_id = 0;

  /* Broker calls are only made on the broker's thread. */
  self->id = ++last_id;
  self->handles = g_hash_table_new (NULL, NULL);
  g_weak_ref_init (&self->consultation_of, NULL);
}

TapiBrokerCall *
tapi_broker_call_new (TapiBrokerAddress *address,
                      TapiCallOrigin     origin,
                      TapiMediaType      media_types,
                      const char        *destination)
{
  TapiBrokerCall *self = g_object_new (TAPI_TYPE_BROKER_CALL, NULL);

  self->address = tapi_broker_address_ref (address);
  self->origin = origin;
  self->media_types = media_types;
  self->destination = g_strdup (destination);
  return self;
}

guint
tapi_broker_call_get_id (TapiBrokerCall *self)
{
  return self->id;
}

TapiBrokerAddress *
tapi_broker_call_get_address (TapiBrokerCall *self)
{
  return self->address;
}

const char *
tapi_broker_call_get_destination (TapiBrokerCall *self)
{
  return self->destination;
}

void
tapi_broker_call_set_destination (TapiBrokerCall *self,
                                  const char     *destination)
{
  g_free (self->destination);
  self->destination = g_strdup (destination);
}

TapiCallOrigin
tapi_broker_call_get_origin (TapiBrokerCall *self)
{
  return self->origin;
}

TapiCallState
tapi_broker_call_get_state (TapiBrokerCall *self)
{
  return self->state;
}

TapiCallStateCause
tapi_broker_call_get_state_cause (TapiBrokerCall *self)
{
  return self->cause;
}

void
tapi_broker_call_set_state (TapiBrokerCall    *self,
                            TapiCallState      state,
                            TapiCallStateCause cause)
{
  if (self->state == state && self->cause == cause)
    return;
  /* Nothing comes back from DISCONNECTED. */
  if (self->state == TAPI_CALL_STATE_DISCONNECTED)
    return;

  if (state == TAPI_CALL_STATE_DISCONNECTED && self->drop_cause != TAPI_CALL_STATE_CAUSE_NONE)
    cause = self->drop_cause;
  self->state = state;
  self->cause = cause;
  g_signal_emit (self, signals[STATE_CHANGED], 0, state, cause);
}

/* The call is being dropped by the broker: whatever the provider says,
 * it ends with @cause. */
void
tapi_broker_call_set_drop_cause (TapiBrokerCall     *self,
                                 TapiCallStateCause  cause)
{
  self->drop_cause = cause;
}

gboolean
tapi_broker_call_is_live (TapiBrokerCall *self)
{
  return self->state != TAPI_CALL_STATE_IDLE &&
         self->state != TAPI_CALL_STATE_DISCONNECTED;
}

TapiMediaType
tapi_broker_call_get_media_types (TapiBrokerCall *self)
{
  return self->media_types;
}

static void
emit_info (TapiBrokerCall     *self,
           TapiCallInfoChange  change)
{
  g_signal_emit (self, signals[INFO_CHANGED], 0, change);
}

void
tapi_broker_call_set_media_types (TapiBrokerCall *self,
                                  TapiMediaType   media_types)
{
  if (self->media_types == media_types)
    return;
  self->media_types = media_types;
  emit_info (self, TAPI_CALL_INFO_CHANGE_MEDIA_TYPE);
}

void
tapi_broker_call_set_related_call_id (TapiBrokerCall *self,
                                      guint           related_call_id)
{
  if (self->related_call_id == related_call_id)
    return;
  self->related_call_id = related_call_id;
  emit_info (self, TAPI_CALL_INFO_CHANGE_RELATED_CALL_ID);
}

void
tapi_broker_call_set_app_specific (TapiBrokerCall *self,
                                   guint           app_specific)
{
  if (self->app_specific == app_specific)
    return;
  self->app_specific = app_specific;
  emit_info (self, TAPI_CALL_INFO_CHANGE_APP_SPECIFIC);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
set_id (TapiBrokerCall     *self,
        char              **name_field,
        char              **number_field,
        const char         *name,
        const char         *number,
        TapiCallInfoChange  change)
{
  gboolean changed = FALSE;

  if (name_field)
    changed |= set_string (name_field, name);
  changed |= set_string (number_field, number);
  if (changed)
    emit_info (self, change);
}

const char *
tapi_broker_call_get_caller_id_name (TapiBrokerCall *self)
{
  return self->caller_id_name;
}

const char *
tapi_broker_call_get_caller_id_number (TapiBrokerCall *self)
{
  return self->caller_id_number;
}

void
tapi_broker_call_set_caller_id (TapiBrokerCall *self,
                                const char     *name,
                                const char     *number)
{
  set_id (self, &self->caller_id_name, &self->caller_id_number,
          name, number, TAPI_CALL_INFO_CHANGE_CALLER_ID);
}

void
tapi_broker_call_set_called_id (TapiBrokerCall *self,
                                const char     *name,
                                const char     *number)
{
  set_id (self, &self->called_id_name, &self->called_id_number,
          name, number, TAPI_CALL_INFO_CHANGE_CALLED_ID);
}

const char *
tapi_broker_call_get_connected_id_number (TapiBrokerCall *self)
{
  return self->connected_id_number;
}

void
tapi_broker_call_set_connected_id (TapiBrokerCall *self,
                                   const char     *name,
                                   const char     *number)
{
  set_id (self, &self->connected_id_name, &self->connected_id_number,
          name, number, TAPI_CALL_INFO_CHANGE_CONNECTED_ID);
}

void
tapi_broker_call_set_redirecting_id_number (TapiBrokerCall *self,
                                            const char     *number)
{
  set_id (self, NULL, &self->redirecting_id_number, NULL, number,
          TAPI_CALL_INFO_CHANGE_REDIRECTING_ID);
}

void
tapi_broker_call_set_redirection_id_number (TapiBrokerCall *self,
                                            const char     *number)
{
  set_id (self, NULL, &self->redirection_id_number, NULL, number,
          TAPI_CALL_INFO_CHANGE_REDIRECTION_ID);
}

/* The media owner left: another owner, if there is one, takes over. */
static void
choose_media_app (TapiBrokerCall *self)
{
  GHashTableIter iter;
  gpointer app, value;

  self->media_app = NULL;
  g_hash_table_iter_init (&iter, self->handles);
  while (g_hash_table_iter_next (&iter, &app, &value))
    if (GPOINTER_TO_UINT (value) == TAPI_CALL_PRIVILEGE_OWNER + 1)
      {
        self->media_app = app;
        return;
      }
}

void
tapi_broker_call_set_handle (TapiBrokerCall    *self,
                             gpointer           app,
                             TapiCallPrivilege  privilege)
{
  TapiCallPrivilege old;
  gboolean had = tapi_broker_call_lookup_handle (self, app, &old);

  g_hash_table_insert (self->handles, app, GUINT_TO_POINTER (privilege + 1));

  /* The media follows the application that became owner last: the target
   * of a handoff, or an application that took owner privilege. */
  if (privilege == TAPI_CALL_PRIVILEGE_OWNER && (!had || old != TAPI_CALL_PRIVILEGE_OWNER))
    self->media_app = app;
  else if (privilege != TAPI_CALL_PRIVILEGE_OWNER && self->media_app == app)
    choose_media_app (self);
}

gboolean
tapi_broker_call_lookup_handle (TapiBrokerCall    *self,
                                gpointer           app,
                                TapiCallPrivilege *privilege)
{
  guint value = GPOINTER_TO_UINT (g_hash_table_lookup (self->handles, app));

  if (value == 0)
    return FALSE;
  if (privilege)
    *privilege = value - 1;
  return TRUE;
}

void
tapi_broker_call_remove_handle (TapiBrokerCall *self,
                                gpointer        app)
{
  g_hash_table_remove (self->handles, app);
  if (self->media_app == app)
    choose_media_app (self);
}

/* Which application runs the call's media: one of its owners, the last
 * to become owner. Another owner's streams do not run. */
gpointer
tapi_broker_call_get_media_app (TapiBrokerCall *self)
{
  return self->media_app;
}

guint
tapi_broker_call_count_handles (TapiBrokerCall    *self,
                                TapiCallPrivilege  privilege)
{
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->handles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_UINT (value) == privilege + 1)
      count++;
  return count;
}

GPtrArray *
tapi_broker_call_dup_handle_apps (TapiBrokerCall *self)
{
  GPtrArray *apps = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer app;

  g_hash_table_iter_init (&iter, self->handles);
  while (g_hash_table_iter_next (&iter, &app, NULL))
    g_ptr_array_add (apps, app);
  return apps;
}

TapiBrokerCall *
tapi_broker_call_get_consultation_of (TapiBrokerCall *self)
{
  TapiBrokerCall *original = g_weak_ref_get (&self->consultation_of);

  /* The broker holds every call it knows; a borrowed pointer is enough. */
  if (original)
    g_object_unref (original);
  return original;
}

void
tapi_broker_call_set_consultation_of (TapiBrokerCall *self,
                                      TapiBrokerCall *original)
{
  g_weak_ref_set (&self->consultation_of, original);
  tapi_broker_call_set_related_call_id (self, original ? original->id : 0);
}

static GSocket *
bind_udp (const char  *bind_address,
          GError     **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (bind_address);
  g_autoptr(GSocketAddress) address = NULL;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s is not an IP address", bind_address);
      return NULL;
    }
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;
  address = g_inet_socket_address_new (inet, 0);
  if (!g_socket_bind (socket, address, FALSE, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
tapi_broker_call_ensure_sockets (TapiBrokerCall  *self,
                                 const char      *bind_address,
                                 GError         **error)
{
  if (self->rtp_socket)
    return TRUE;

  self->rtp_socket = bind_udp (bind_address, error);
  if (self->rtp_socket == NULL)
    return FALSE;
  self->rtcp_socket = bind_udp (bind_address, error);
  if (self->rtcp_socket == NULL)
    {
      g_socket_close (self->rtp_socket, NULL);
      g_clear_object (&self->rtp_socket);
      return FALSE;
    }
  return TRUE;
}

GSocket *
tapi_broker_call_get_rtp_socket (TapiBrokerCall *self)
{
  return self->rtp_socket;
}

GSocket *
tapi_broker_call_get_rtcp_socket (TapiBrokerCall *self)
{
  return self->rtcp_socket;
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = NULL;

  if (socket == NULL)
    return 0;
  address = g_socket_get_local_address (socket, NULL);
  return address ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) : 0;
}

guint
tapi_broker_call_get_rtp_port (TapiBrokerCall *self)
{
  return socket_port (self->rtp_socket);
}

guint
tapi_broker_call_get_rtcp_port (TapiBrokerCall *self)
{
  return socket_port (self->rtcp_socket);
}

GVariant *
tapi_broker_call_get_media (TapiBrokerCall *self)
{
  return self->media;
}

void
tapi_broker_call_set_media (TapiBrokerCall *self,
                            GVariant       *media)
{
  if (media)
    g_variant_ref_sink (media);
  if (self->media == media || (self->media && media && g_variant_equal (self->media, media)))
    {
      g_clear_pointer (&media, g_variant_unref);
      return;
    }
  g_clear_pointer (&self->media, g_variant_unref);
  self->media = media;
  g_signal_emit (self, signals[MEDIA_CHANGED], 0);
}

gpointer
tapi_broker_call_get_provider_data (TapiBrokerCall *self)
{
  return self->provider_data;
}

void
tapi_broker_call_set_provider_data (TapiBrokerCall *self,
                                    gpointer        data,
                                    GDestroyNotify  destroy)
{
  if (self->provider_data_destroy)
    self->provider_data_destroy (self->provider_data);
  self->provider_data = data;
  self->provider_data_destroy = destroy;
}

static void
insert_string (GVariantDict *dict,
               const char   *key,
               const char   *value)
{
  g_variant_dict_insert (dict, key, "s", value ? value : "");
}

GVariant *
tapi_broker_call_to_variant (TapiBrokerCall *self,
                             gpointer        app)
{
  GVariantDict dict;
  TapiCallPrivilege privilege = TAPI_CALL_PRIVILEGE_MONITOR;

  tapi_broker_call_lookup_handle (self, app, &privilege);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "call-id", "u", self->id);
  g_variant_dict_insert (&dict, "address", "s", self->address->name);
  g_variant_dict_insert (&dict, "state", "u", (guint32) self->state);
  g_variant_dict_insert (&dict, "state-cause", "u", (guint32) self->cause);
  g_variant_dict_insert (&dict, "privilege", "u", (guint32) privilege);
  g_variant_dict_insert (&dict, "media-owner", "b", app != NULL && app == self->media_app);
  g_variant_dict_insert (&dict, "media-types", "u", (guint32) self->media_types);
  g_variant_dict_insert (&dict, "origin", "u", (guint32) self->origin);
  g_variant_dict_insert (&dict, "related-call-id", "u", self->related_call_id);
  insert_string (&dict, "caller-id-name", self->caller_id_name);
  insert_string (&dict, "caller-id-number", self->caller_id_number);
  insert_string (&dict, "called-id-name", self->called_id_name);
  insert_string (&dict, "called-id-number", self->called_id_number);
  insert_string (&dict, "connected-id-name", self->connected_id_name);
  insert_string (&dict, "connected-id-number", self->connected_id_number);
  insert_string (&dict, "redirecting-id-number", self->redirecting_id_number);
  insert_string (&dict, "redirection-id-number", self->redirection_id_number);
  g_variant_dict_insert (&dict, "number-of-owners", "u",
                         tapi_broker_call_count_handles (self, TAPI_CALL_PRIVILEGE_OWNER));
  g_variant_dict_insert (&dict, "number-of-monitors", "u",
                         tapi_broker_call_count_handles (self, TAPI_CALL_PRIVILEGE_MONITOR));
  g_variant_dict_insert (&dict, "app-specific", "u", self->app_specific);
  g_variant_dict_insert (&dict, "detected-media-types", "u",
                         (guint32) self->detected_media_types);
  return g_variant_dict_end (&dict);
}
