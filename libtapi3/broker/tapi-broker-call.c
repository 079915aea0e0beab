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
 * and ::info-changed and tells every application that holds a handle.
 *
 * Each holder is told only what changed since it was last told: every
 * field shared by all holders records the generation of the call it last
 * changed in, and each handle the generation its application has seen,
 * with the values of the fields that differ between applications. */

/* The fields of the call information that can change, the same for every
 * holder. */
typedef enum {
  FIELD_STATE,
  FIELD_STATE_CAUSE,
  FIELD_MEDIA_TYPES,
  FIELD_RELATED_CALL_ID,
  FIELD_CALLER_ID_NAME,
  FIELD_CALLER_ID_NUMBER,
  FIELD_CALLED_ID_NAME,
  FIELD_CALLED_ID_NUMBER,
  FIELD_CONNECTED_ID_NAME,
  FIELD_CONNECTED_ID_NUMBER,
  FIELD_REDIRECTING_ID_NUMBER,
  FIELD_REDIRECTION_ID_NUMBER,
  FIELD_APP_SPECIFIC,
  N_FIELDS
} Field;

/* An application's handle, and what it was last told. */
typedef struct
{
  TapiCallPrivilege privilege;
  gboolean          told;           /* it has had the whole information */
  guint             seen;           /* the generation it was told last */
  TapiCallPrivilege told_privilege;
  gboolean          told_media_owner;
  gboolean          told_media_encrypted;
  guint             told_owners;
  guint             told_monitors;
} Handle;

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

  guint               generation;
  guint               changed_in[N_FIELDS];

  GHashTable         *handles;          /* app → Handle */
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
  self->handles = g_hash_table_new_full (NULL, NULL, NULL, g_free);
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

static void
mark_changed (TapiBrokerCall *self,
              Field           field)
{
  self->changed_in[field] = ++self->generation;
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

  if (state == TAPI_CALL_STATE_DISCONNECTED &&
      self->drop_cause != TAPI_CALL_STATE_CAUSE_NONE)
    cause = self->drop_cause;
  if (self->state != state)
    mark_changed (self, FIELD_STATE);
  if (self->cause != cause)
    mark_changed (self, FIELD_STATE_CAUSE);
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
  mark_changed (self, FIELD_MEDIA_TYPES);
  emit_info (self, TAPI_CALL_INFO_CHANGE_MEDIA_TYPE);
}

void
tapi_broker_call_set_related_call_id (TapiBrokerCall *self,
                                      guint           related_call_id)
{
  if (self->related_call_id == related_call_id)
    return;
  self->related_call_id = related_call_id;
  mark_changed (self, FIELD_RELATED_CALL_ID);
  emit_info (self, TAPI_CALL_INFO_CHANGE_RELATED_CALL_ID);
}

void
tapi_broker_call_set_app_specific (TapiBrokerCall *self,
                                   guint           app_specific)
{
  if (self->app_specific == app_specific)
    return;
  self->app_specific = app_specific;
  mark_changed (self, FIELD_APP_SPECIFIC);
  emit_info (self, TAPI_CALL_INFO_CHANGE_APP_SPECIFIC);
}

static gboolean
set_string (TapiBrokerCall  *self,
            char           **field,
            Field            which,
            const char      *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  mark_changed (self, which);
  return TRUE;
}

static void
set_id (TapiBrokerCall     *self,
        char              **name_field,
        Field               name_which,
        char              **number_field,
        Field               number_which,
        const char         *name,
        const char         *number,
        TapiCallInfoChange  change)
{
  gboolean changed = FALSE;

  if (name_field)
    changed |= set_string (self, name_field, name_which, name);
  changed |= set_string (self, number_field, number_which, number);
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
  set_id (self, &self->caller_id_name, FIELD_CALLER_ID_NAME,
          &self->caller_id_number, FIELD_CALLER_ID_NUMBER,
          name, number, TAPI_CALL_INFO_CHANGE_CALLER_ID);
}

void
tapi_broker_call_set_called_id (TapiBrokerCall *self,
                                const char     *name,
                                const char     *number)
{
  set_id (self, &self->called_id_name, FIELD_CALLED_ID_NAME,
          &self->called_id_number, FIELD_CALLED_ID_NUMBER,
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
  set_id (self, &self->connected_id_name, FIELD_CONNECTED_ID_NAME,
          &self->connected_id_number, FIELD_CONNECTED_ID_NUMBER,
          name, number, TAPI_CALL_INFO_CHANGE_CONNECTED_ID);
}

void
tapi_broker_call_set_redirecting_id_number (TapiBrokerCall *self,
                                            const char     *number)
{
  set_id (self, NULL, 0, &self->redirecting_id_number,
          FIELD_REDIRECTING_ID_NUMBER, NULL, number,
          TAPI_CALL_INFO_CHANGE_REDIRECTING_ID);
}

void
tapi_broker_call_set_redirection_id_number (TapiBrokerCall *self,
                                            const char     *number)
{
  set_id (self, NULL, 0, &self->redirection_id_number,
          FIELD_REDIRECTION_ID_NUMBER, NULL, number,
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
    if (((Handle *) value)->privilege == TAPI_CALL_PRIVILEGE_OWNER)
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
  Handle *handle = g_hash_table_lookup (self->handles, app);
  gboolean had = handle != NULL;
  TapiCallPrivilege old = had ? handle->privilege : privilege;

  if (handle == NULL)
    {
      handle = g_new0 (Handle, 1);
      g_hash_table_insert (self->handles, app, handle);
    }
  handle->privilege = privilege;

  /* The media follows the application that became owner last: the target
   * of a handoff, or an application that took owner privilege. */
  if (privilege == TAPI_CALL_PRIVILEGE_OWNER &&
      (!had || old != TAPI_CALL_PRIVILEGE_OWNER))
    self->media_app = app;
  else if (privilege != TAPI_CALL_PRIVILEGE_OWNER && self->media_app == app)
    choose_media_app (self);
}

gboolean
tapi_broker_call_lookup_handle (TapiBrokerCall    *self,
                                gpointer           app,
                                TapiCallPrivilege *privilege)
{
  Handle *handle = g_hash_table_lookup (self->handles, app);

  if (handle == NULL)
    return FALSE;
  if (privilege)
    *privilege = handle->privilege;
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
    if (((Handle *) value)->privilege == privilege)
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
  return address
           ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address))
           : 0;
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
  if (self->media == media ||
      (self->media && media && g_variant_equal (self->media, media)))
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

/* Where each field is, and its key in the call information. The enums
 * and flags are stored as 32-bit integers. */
static const struct
{
  const char *key;
  gboolean    is_string;
  gsize       offset;
} fields[N_FIELDS] = {
  [FIELD_STATE] = { "state", FALSE, G_STRUCT_OFFSET (TapiBrokerCall, state) },
  [FIELD_STATE_CAUSE] = { "state-cause", FALSE, G_STRUCT_OFFSET (TapiBrokerCall, cause) },
  [FIELD_MEDIA_TYPES] = { "media-types", FALSE, G_STRUCT_OFFSET (TapiBrokerCall, media_types) },
  [FIELD_RELATED_CALL_ID] = { "related-call-id", FALSE,
                              G_STRUCT_OFFSET (TapiBrokerCall, related_call_id) },
  [FIELD_CALLER_ID_NAME] = { "caller-id-name", TRUE,
                             G_STRUCT_OFFSET (TapiBrokerCall, caller_id_name) },
  [FIELD_CALLER_ID_NUMBER] = { "caller-id-number", TRUE,
                               G_STRUCT_OFFSET (TapiBrokerCall, caller_id_number) },
  [FIELD_CALLED_ID_NAME] = { "called-id-name", TRUE,
                             G_STRUCT_OFFSET (TapiBrokerCall, called_id_name) },
  [FIELD_CALLED_ID_NUMBER] = { "called-id-number", TRUE,
                               G_STRUCT_OFFSET (TapiBrokerCall, called_id_number) },
  [FIELD_CONNECTED_ID_NAME] = { "connected-id-name", TRUE,
                                G_STRUCT_OFFSET (TapiBrokerCall, connected_id_name) },
  [FIELD_CONNECTED_ID_NUMBER] = { "connected-id-number", TRUE,
                                  G_STRUCT_OFFSET (TapiBrokerCall, connected_id_number) },
  [FIELD_REDIRECTING_ID_NUMBER] = { "redirecting-id-number", TRUE,
                                    G_STRUCT_OFFSET (TapiBrokerCall, redirecting_id_number) },
  [FIELD_REDIRECTION_ID_NUMBER] = { "redirection-id-number", TRUE,
                                    G_STRUCT_OFFSET (TapiBrokerCall, redirection_id_number) },
  [FIELD_APP_SPECIFIC] = { "app-specific", FALSE,
                           G_STRUCT_OFFSET (TapiBrokerCall, app_specific) },
};

G_STATIC_ASSERT (sizeof (TapiCallState) == sizeof (guint32));
G_STATIC_ASSERT (sizeof (TapiCallStateCause) == sizeof (guint32));
G_STATIC_ASSERT (sizeof (TapiMediaType) == sizeof (guint32));

static void
add_uint (GVariantBuilder *builder,
          const char      *key,
          guint32          value)
{
  g_variant_builder_add (builder, "{sv}", key, g_variant_new_uint32 (value));
}

static void
add_string (GVariantBuilder *builder,
            const char      *key,
            const char      *value)
{
  g_variant_builder_add (builder, "{sv}", key,
                         g_variant_new_string (value ? value : ""));
}

/* The call information for @app, built straight into its a{sv}: all of
 * it when @whole or when @app was never told, else what changed since it
 * was told last (always with the call's id). @app is told it all now. */
static GVariant *
build_info (TapiBrokerCall *self,
            gpointer        app,
            gboolean        whole)
{
  Handle *handle = app ? g_hash_table_lookup (self->handles, app) : NULL;
  TapiCallPrivilege privilege = handle ? handle->privilege
                                       : TAPI_CALL_PRIVILEGE_MONITOR;
  gboolean media_owner = app != NULL && app == self->media_app;
  gboolean media_encrypted = self->media != NULL &&
                             g_variant_lookup (self->media, "srtp-suite", "&s",
                                               NULL);
  guint owners = tapi_broker_call_count_handles (self,
                                                 TAPI_CALL_PRIVILEGE_OWNER);
  guint monitors = tapi_broker_call_count_handles (self,
                                                   TAPI_CALL_PRIVILEGE_MONITOR);
  GVariantBuilder builder;

  if (handle == NULL || !handle->told)
    whole = TRUE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_uint (&builder, "call-id", self->id);
  if (whole)
    {
      g_variant_builder_add (&builder, "{sv}", "address",
                             g_variant_new_string (self->address->name));
      add_uint (&builder, "origin", self->origin);
      add_uint (&builder, "detected-media-types", self->detected_media_types);
    }
  for (guint i = 0; i < N_FIELDS; i++)
    {
      gpointer location = G_STRUCT_MEMBER_P (self, fields[i].offset);

      if (!whole && self->changed_in[i] <= handle->seen)
        continue;
      if (fields[i].is_string)
        add_string (&builder, fields[i].key, *(char **) location);
      else
        add_uint (&builder, fields[i].key, *(guint32 *) location);
    }
  if (whole || handle->told_privilege != privilege)
    add_uint (&builder, "privilege", privilege);
  if (whole || handle->told_media_owner != media_owner)
    g_variant_builder_add (&builder, "{sv}", "media-owner",
                           g_variant_new_boolean (media_owner));
  if (whole || handle->told_media_encrypted != media_encrypted)
    g_variant_builder_add (&builder, "{sv}", "media-encrypted",
                           g_variant_new_boolean (media_encrypted));
  if (whole || handle->told_owners != owners)
    add_uint (&builder, "number-of-owners", owners);
  if (whole || handle->told_monitors != monitors)
    add_uint (&builder, "number-of-monitors", monitors);

  if (handle != NULL)
    {
      handle->told = TRUE;
      handle->seen = self->generation;
      handle->told_privilege = privilege;
      handle->told_media_owner = media_owner;
      handle->told_media_encrypted = media_encrypted;
      handle->told_owners = owners;
      handle->told_monitors = monitors;
    }
  return g_variant_builder_end (&builder);
}

/* All of the call's information, as @app sees it. */
GVariant *
tapi_broker_call_to_variant (TapiBrokerCall *self,
                             gpointer        app)
{
  return build_info (self, app, TRUE);
}

/* What changed for @app since it was last told; all of it the first
 * time. The call's id is always in it. */
GVariant *
tapi_broker_call_changes_to_variant (TapiBrokerCall *self,
                                     gpointer        app)
{
  return build_info (self, app, FALSE);
}
