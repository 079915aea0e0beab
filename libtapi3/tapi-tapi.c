/* tapi-tapi.c: TapiTapi, one per application
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <unistd.h>

#include "tapi-address-private.h"
#include "tapi-call-private.h"
#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-sync-call-private.h"
#include "tapi-tapi-private.h"
#include "tapi-broker.h"
#include "tapi-dbus-generated.h"

#include <gio/gunixfdlist.h>

/**
 * TapiTapi:
 *
 * An application's connection to telephony [ITTAPI].
 *
 * Each application creates one `TapiTapi` with its name, initializes it,
 * and finds its addresses with [method@Tapi.Tapi.get_addresses] or
 * [method@Tapi.Tapi.find_address]. To learn about incoming calls it
 * registers on addresses with [method@Tapi.Tapi.register_call_notifications]
 * and listens to [signal@Tapi.Tapi::call-notification].
 *
 * Every `TapiTapi` is a separate application to the broker (the TAPI
 * server), even several in one process: they can hand calls to each other.
 * Where the broker runs is chosen by the `TAPI3_BROKER` environment
 * variable: `embedded` runs it in a thread of this process, `session` uses
 * the `tapi3d` daemon on the session bus, and any other value is taken as
 * the D-Bus address of a peer-to-peer broker. Unset, the application uses
 * `tapi3d` when it owns `org.libtapi3.Broker` on the session bus or can be
 * started by D-Bus activation, and the embedded broker otherwise. See
 * [property@Tapi.Tapi:broker-mode] and the [session broker](session.html).
 *
 * When the broker stops (the daemon crashed or was restarted), the
 * application's calls become %TAPI_CALL_STATE_DISCONNECTED with
 * %TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED, its addresses go out of
 * service, and operations fail with %TAPI_ERROR_SERVICE_NOT_RUNNING. On
 * the session bus the application attaches itself to the next broker that
 * owns the name, registering its notifications again; its addresses then
 * come back into service.
 *
 * A `TapiTapi` and its objects belong to the thread whose thread-default
 * main context was current when it was initialized; their signals are
 * emitted there.
 */

enum {
  PROP_0,
  PROP_APPLICATION_NAME,
  PROP_BROKER_MODE,
  PROP_INITIALIZED,
  N_PROPS
};

enum {
  CALL_NOTIFICATION,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TapiTapi, tapi_tapi, G_TYPE_OBJECT)

/* The broker's signals are dispatched in tapi-tapi-events.c; this one
 * becomes the application's own signal. */
void
call_notification_cb (TapiDBusBroker1 *proxy,
                      guint            event,
                      GVariant        *info,
                      TapiTapi        *self)
{
  TapiCall *call;
  guint id;

  if (!g_variant_lookup (info, "call-id", "u", &id))
    return;
  call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));
  if (call)
    tapi_call_apply_info (call, info);
  else
    call = tapi_tapi_add_call (self, info);
  if (call)
    g_signal_emit (self, signals[CALL_NOTIFICATION], 0, call, event);
}

/* Talking to the broker */

static GError *
translate_error (GError *error)
{
  GError *translated;

  if (error->domain == TAPI_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_dbus_error_strip_remote_error (error);
      return error;
    }

  if ((error->domain == G_DBUS_ERROR &&
       (error->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
        error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
        error->code == G_DBUS_ERROR_NO_REPLY ||
        error->code == G_DBUS_ERROR_DISCONNECTED)) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    translated = g_error_new (TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING,
                              "The telephony broker is not running: %s",
                              error->message);
  else
    translated = g_error_new (TAPI_ERROR, TAPI_ERROR_FAILED,
                              "The telephony broker refused the request: %s",
                              error->message);
  g_error_free (error);
  return translated;
}

static GError *
broker_lost_error (void)
{
  return g_error_new_literal (TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING,
                              "The telephony broker stopped; the application "
                              "reattaches when it is back");
}

gboolean
tapi_tapi_check_initialized (TapiTapi  *self,
                             GError   **error)
{
  if (self == NULL || !self->initialized)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_NOT_INITIALIZED,
                           "The application is not initialized");
      return FALSE;
    }
  return TRUE;
}

/* The broker's proxy, when the broker can be asked something. */
TapiDBusBroker1 *
tapi_tapi_get_broker (TapiTapi  *self,
                      GError   **error)
{
  if (!tapi_tapi_check_initialized (self, error))
    return NULL;
  if (self->broker_lost)
    {
      g_propagate_error (error, broker_lost_error ());
      return NULL;
    }
  return self->proxy;
}

/* Once a broker method has returned: dispatches the signals the broker
 * sent before its reply, and turns a failure into a TAPI_ERROR. */
void
tapi_tapi_broker_call_done (TapiTapi  *self,
                            GError   **error)
{
  dispatch_events (self);
  if (error != NULL && *error != NULL)
    *error = translate_error (*error);
}

GMainContext *
tapi_tapi_get_context (TapiTapi *self)
{
  return self->events ? self->events->context
                      : g_main_context_get_thread_default ();
}

typedef struct
{
  GVariant *media;
  int rtp_index;
  int rtcp_index;
  GUnixFDList *fds;
} MediaReply;

static void
media_reply_free (MediaReply *reply)
{
  g_clear_pointer (&reply->media, g_variant_unref);
  g_clear_object (&reply->fds);
  g_free (reply);
}

static void
got_media_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) rtp = NULL;
  g_autoptr(GVariant) rtcp = NULL;
  MediaReply *reply = g_new0 (MediaReply, 1);
  GError *error = NULL;

  if (!tapi_dbus_broker1_call_get_media_finish (TAPI_DBUS_BROKER1 (source),
                                                &reply->media, &rtp, &rtcp,
                                                &reply->fds, result, &error))
    {
      media_reply_free (reply);
      g_task_return_error (task, translate_error (error));
      return;
    }
  reply->rtp_index = g_variant_get_handle (rtp);
  reply->rtcp_index = g_variant_get_handle (rtcp);
  g_task_return_pointer (task, reply, (GDestroyNotify) media_reply_free);
}

/* The call's media sockets, passed as file descriptors. The reply is
 * dispatched in the application's context even when a _sync operation
 * of another call is running on a private one. */
void
tapi_tapi_get_media_async (TapiTapi            *self,
                           guint                call_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GMainContext *context = tapi_tapi_get_context (self);
  TapiDBusBroker1 *broker;
  GError *error = NULL;
  GTask *task;

  g_main_context_push_thread_default (context);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tapi_tapi_get_media_async);
  if ((broker = tapi_tapi_get_broker (self, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
    }
  else
    tapi_dbus_broker1_call_get_media (broker, call_id, NULL, cancellable,
                                      got_media_cb, task);
  g_main_context_pop_thread_default (context);
}

static GSocket *
socket_from_fds (GUnixFDList  *fds,
                 int           index,
                 GError      **error)
{
  int fd = fds ? g_unix_fd_list_get (fds, index, error) : -1;
  GSocket *socket;

  if (fd < 0)
    {
      if (error && *error == NULL)
        g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_FAILED,
                             "The broker sent no media socket");
      return NULL;
    }
  socket = g_socket_new_from_fd (fd, error);
  if (socket == NULL)
    close (fd);
  return socket;
}

gboolean
tapi_tapi_get_media_finish (TapiTapi      *self,
                            GAsyncResult  *result,
                            GVariant     **media,
                            GSocket      **rtp_socket,
                            GSocket      **rtcp_socket,
                            GError       **error)
{
  MediaReply *reply;
  g_autoptr(GSocket) rtp = NULL;
  g_autoptr(GSocket) rtcp = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return FALSE;

  if (!(rtp = socket_from_fds (reply->fds, reply->rtp_index, error)) ||
      !(rtcp = socket_from_fds (reply->fds, reply->rtcp_index, error)))
    {
      media_reply_free (reply);
      return FALSE;
    }
  *media = g_steal_pointer (&reply->media);
  *rtp_socket = g_steal_pointer (&rtp);
  *rtcp_socket = g_steal_pointer (&rtcp);
  media_reply_free (reply);
  return TRUE;
}

/* Calls */

TapiCall *
tapi_tapi_add_call (TapiTapi *self,
                    GVariant *info)
{
  const char *address_name;
  TapiAddress *address;
  TapiCall *call;

  if (!g_variant_lookup (info, "address", "&s", &address_name) ||
      !(address = lookup_address (self, address_name)))
    {
      g_debug ("A call on an unknown address was ignored");
      return NULL;
    }

  call = tapi_call_new (self, address, info);
  g_hash_table_insert (self->calls_by_id,
                       GUINT_TO_POINTER (tapi_call_get_call_id (call)), call);
  g_list_store_append (self->calls, call);
  tapi_address_add_call (address, call);
  g_object_unref (call);
  return call;
}

void
tapi_tapi_remove_call (TapiTapi *self,
                       TapiCall *call,
                       gboolean  by_shutdown)
{
  guint position;

  g_object_ref (call);
  /* After a broker restart, another call may have the same id. */
  if (g_hash_table_lookup (self->calls_by_id,
                           GUINT_TO_POINTER (tapi_call_get_call_id (call))) ==
      call)
    g_hash_table_remove (self->calls_by_id,
                         GUINT_TO_POINTER (tapi_call_get_call_id (call)));
  tapi_address_remove_call (tapi_call_get_address (call), call);
  if (g_list_store_find (self->calls, call, &position))
    g_list_store_remove (self->calls, position);
  tapi_call_mark_released (call, by_shutdown);
  g_object_unref (call);
}

static void
forget_everything (TapiTapi *self)
{
  guint n_addresses = g_list_model_get_n_items (G_LIST_MODEL (self->addresses));

  while (g_list_model_get_n_items (G_LIST_MODEL (self->calls)) > 0)
    {
      g_autoptr(TapiCall) call =
        g_list_model_get_item (G_LIST_MODEL (self->calls), 0);

      tapi_tapi_remove_call (self, call, TRUE);
    }
  for (guint i = 0; i < n_addresses; i++)
    {
      g_autoptr(TapiAddress) address =
        g_list_model_get_item (G_LIST_MODEL (self->addresses), i);

      tapi_address_detach (address);
    }
  g_list_store_remove_all (self->addresses);
}

static void
registration_free (Registration *registration)
{
  g_free (registration->address);
  g_free (registration);
}

static void
close_connection (TapiTapi *self)
{
  if (self->connection == NULL)
    return;

  if (self->broker_watch_id != 0)
    g_bus_unwatch_name (self->broker_watch_id);
  self->broker_watch_id = 0;
  g_clear_signal_handler (&self->closed_id, self->connection);
  self->broker_lost = FALSE;
  if (self->filter_id)
    g_dbus_connection_remove_filter (self->connection, self->filter_id);
  self->filter_id = 0;
  if (self->proxy)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);
  /* Synchronously, so that no GDBus work is left for after the
   * application exits. */
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->broker_name, g_free);
  g_clear_pointer (&self->events, event_queue_unref);
}

/* GObject */

static void
tapi_tapi_dispose (GObject *object)
{
  TapiTapi *self = TAPI_TAPI (object);

  close_connection (self);
  if (self->calls)
    forget_everything (self);

  G_OBJECT_CLASS (tapi_tapi_parent_class)->dispose (object);
}

static void
tapi_tapi_finalize (GObject *object)
{
  TapiTapi *self = TAPI_TAPI (object);

  g_clear_object (&self->addresses);
  g_clear_object (&self->calls);
  g_clear_pointer (&self->calls_by_id, g_hash_table_unref);
  g_clear_pointer (&self->registrations, g_ptr_array_unref);
  g_free (self->application_name);

  G_OBJECT_CLASS (tapi_tapi_parent_class)->finalize (object);
}

static void
tapi_tapi_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TapiTapi *self = TAPI_TAPI (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_NAME:
      g_value_set_string (value, self->application_name);
      break;
    case PROP_BROKER_MODE:
      g_value_set_enum (value, self->broker_mode);
      break;
    case PROP_INITIALIZED:
      g_value_set_boolean (value, self->initialized);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_tapi_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TapiTapi *self = TAPI_TAPI (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_NAME:
      self->application_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_tapi_class_init (TapiTapiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tapi_tapi_dispose;
  object_class->finalize = tapi_tapi_finalize;

  /* The broker's errors are decoded by their D-Bus names, which must be
   * known before the first reply arrives. */
  g_type_ensure (TAPI_TYPE_ERROR);
  (void) tapi_error_quark ();
  object_class->get_property = tapi_tapi_get_property;
  object_class->set_property = tapi_tapi_set_property;

  /**
   * TapiTapi:application-name:
   *
   * The application's name, such as `org.example.Softphone`: what
   * [method@Tapi.BasicCallControl.handoff_direct_async] and
   * [method@Tapi.Tapi.set_application_priority] name it by.
   */
  props[PROP_APPLICATION_NAME] =
    g_param_spec_string ("application-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TapiTapi:broker-mode:
   *
   * Where the broker of this application runs, known once it is
   * initialized: chosen by `TAPI3_BROKER`, or when it is unset, the
   * session broker if one runs or can be activated, else the embedded one.
   */
  props[PROP_BROKER_MODE] =
    g_param_spec_enum ("broker-mode", NULL, NULL,
                       TAPI_TYPE_BROKER_MODE, TAPI_BROKER_MODE_EMBEDDED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  /**
   * TapiTapi:initialized:
   *
   * Whether the application is initialized and not shut down.
   */
  props[PROP_INITIALIZED] =
    g_param_spec_boolean ("initialized", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * TapiTapi::call-notification:
   * @self: the application
   * @call: the new handle, or the handle it had to a call handed to it
   * @event: whether the handle has owner or monitor privilege
   *
   * The application has a new call handle: an incoming call on an
   * address it registered on, a call handed off to it, or a call
   * transferred, unparked or picked up to it. A call handed off to an
   * application that held a handle to it already comes as the same
   * @call, after its [signal@Tapi.Call::info-changed] (`PRIVILEGE`).
   */
  signals[CALL_NOTIFICATION] =
    g_signal_new ("call-notification", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAPI_TYPE_CALL, TAPI_TYPE_CALL_NOTIFICATION_EVENT);
}

static void
tapi_tapi_init (TapiTapi *self)
{
  self->addresses = g_list_store_new (TAPI_TYPE_ADDRESS);
  self->calls = g_list_store_new (TAPI_TYPE_CALL);
  self->calls_by_id = g_hash_table_new (NULL, NULL);
  self->registrations = g_ptr_array_new_with_free_func ((GDestroyNotify) registration_free);
}

/**
 * tapi_tapi_new:
 * @application_name: the application's name, such as `org.example.Softphone`
 *
 * Creates the telephony object of an application. Initialize it with
 * [method@Tapi.Tapi.initialize_async] before use.
 *
 * Returns: (transfer full): a new [class@Tapi.Tapi]
 */
TapiTapi *
tapi_tapi_new (const char *application_name)
{
  return g_object_new (TAPI_TYPE_TAPI, "application-name", application_name,
                       NULL);
}

/**
 * tapi_tapi_get_application_name:
 * @self: a [class@Tapi.Tapi]
 *
 * Gets the application's name.
 *
 * Returns: (nullable): the name
 */
const char *
tapi_tapi_get_application_name (TapiTapi *self)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), NULL);

  return self->application_name;
}

/**
 * tapi_tapi_get_broker_mode:
 * @self: a [class@Tapi.Tapi]
 *
 * Gets where the broker runs.
 *
 * Returns: the broker mode
 */
TapiBrokerMode
tapi_tapi_get_broker_mode (TapiTapi *self)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), TAPI_BROKER_MODE_EMBEDDED);

  return self->broker_mode;
}

/**
 * tapi_tapi_get_initialized:
 * @self: a [class@Tapi.Tapi]
 *
 * Gets whether the application is initialized.
 *
 * Returns: %TRUE between initialization and shutdown
 */
gboolean
tapi_tapi_get_initialized (TapiTapi *self)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);

  return self->initialized;
}

/* Initialization */

/* When the broker goes away
 *
 * A broker that stops (tapi3d crashed, was killed or restarted) takes its
 * calls with it: the application sees each of its calls become
 * DISCONNECTED (DISCONNECT_FAILED) and its addresses go out of service,
 * and operations fail with SERVICE_NOT_RUNNING. On a bus, the application
 * waits for a broker to own the name again, then initializes with it and
 * makes its registrations again by itself. */

static void
set_addresses_state (TapiTapi         *self,
                     TapiAddressState  state)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->addresses));
  GVariantDict dict;
  g_autoptr(GVariant) info = NULL;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "state", "u", (guint32) state);
  info = g_variant_ref_sink (g_variant_dict_end (&dict));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiAddress) address =
        g_list_model_get_item (G_LIST_MODEL (self->addresses), i);

      if (tapi_address_get_state (address) == state)
        continue;
      tapi_address_update (address, info);
      g_signal_emit_by_name (address, "event", TAPI_ADDRESS_EVENT_STATE);
    }
}

static void
lose_broker (TapiTapi *self)
{
  g_autoptr(TapiTapi) keep G_GNUC_UNUSED = g_object_ref (self);
  guint n;

  if (!self->initialized || self->broker_lost)
    return;

  g_info ("The telephony broker of %s stopped", self->application_name);
  self->broker_lost = TRUE;
  if (self->events)
    {
      g_mutex_lock (&self->events->mutex);
      g_clear_pointer (&self->events->broker_owner, g_free);
      g_mutex_unlock (&self->events->mutex);
    }
  dispatch_events (self);

  /* The ids belong to the broker that stopped: the next one starts over. */
  g_hash_table_remove_all (self->calls_by_id);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->calls));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiCall) call =
        g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      tapi_call_mark_orphaned (call);
    }
  set_addresses_state (self, TAPI_ADDRESS_STATE_OUT_OF_SERVICE);
}

static void
reattach_reply_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TapiTapi) self = user_data;
  g_autoptr(GVariant) addresses = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  GVariant *info;
  gboolean ok;

  self->reattaching = FALSE;
  ok = tapi_dbus_broker1_call_initialize_finish (TAPI_DBUS_BROKER1 (source), &addresses,
                                                 result, &error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (source), G_MAXINT);
  if (!ok || !self->initialized || !self->broker_lost)
    {
      if (!ok)
        g_warning ("Could not reattach %s to the telephony broker: %s",
                   self->application_name, error->message);
      return;
    }

  g_variant_iter_init (&iter, addresses);
  while ((info = g_variant_iter_next_value (&iter)))
    {
      const char *name;
      TapiAddress *address;

      if (g_variant_lookup (info, "name", "&s", &name) &&
          (address = lookup_address (self, name)))
        tapi_address_update (address, info);
      else
        {
          g_autoptr(TapiAddress) added = tapi_address_new (self, info);

          g_list_store_append (self->addresses, added);
        }
      g_variant_unref (info);
    }

  self->broker_lost = FALSE;
  for (guint i = 0; i < self->registrations->len; i++)
    {
      Registration *registration = g_ptr_array_index (self->registrations, i);
      g_autoptr(GError) register_error = NULL;
      guint broker_id = 0;

      ok = tapi_dbus_broker1_call_register_notifications_sync (self->proxy,
                                                               registration->address,
                                                               registration->monitor,
                                                               registration->owner,
                                                               registration->media_types,
                                                               &broker_id, NULL,
                                                               &register_error);
      tapi_tapi_broker_call_done (self, &register_error);
      if (!ok)
        g_warning ("Could not register %s on %s again: %s",
                   self->application_name, registration->address,
                   register_error->message);
      registration->broker_id = ok ? broker_id : 0;
    }

  g_info ("%s reattached to the telephony broker", self->application_name);
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->addresses));

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(TapiAddress) address =
          g_list_model_get_item (G_LIST_MODEL (self->addresses), i);

        g_signal_emit_by_name (address, "event", TAPI_ADDRESS_EVENT_STATE);
      }
  }
}

static void
reattach (TapiTapi *self)
{
  if (!self->initialized || !self->broker_lost || self->reattaching)
    return;

  self->reattaching = TRUE;
  /* The new broker owns the name: the proxy sends to it. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), -1);
  tapi_dbus_broker1_call_initialize (self->proxy, self->application_name, NULL,
                                     reattach_reply_cb, g_object_ref (self));
}

static void
broker_appeared_cb (GDBusConnection *connection,
                    const char      *name,
                    const char      *name_owner,
                    gpointer         user_data)
{
  reattach (user_data);
}

static void
broker_vanished_cb (GDBusConnection *connection,
                    const char      *name,
                    gpointer         user_data)
{
  lose_broker (user_data);
}

static void
connection_closed_cb (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      TapiTapi        *self)
{
  lose_broker (self);
}

static void
watch_broker (TapiTapi *self)
{
  if (self->closed_id == 0)
    self->closed_id = g_signal_connect (self->connection, "closed",
                                        G_CALLBACK (connection_closed_cb),
                                        self);
  if (self->broker_name != NULL && self->broker_watch_id == 0)
    self->broker_watch_id =
      g_bus_watch_name_on_connection (self->connection, self->broker_name,
                                      G_BUS_NAME_WATCHER_FLAGS_NONE,
                                      broker_appeared_cb, broker_vanished_cb,
                                      self, NULL);
}

static void
initialize_reply_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  g_autoptr(GVariant) addresses = NULL;
  GVariantIter iter;
  GVariant *info;
  GError *error = NULL;

  self->initializing = FALSE;
  if (!tapi_dbus_broker1_call_initialize_finish (TAPI_DBUS_BROKER1 (source), &addresses,
                                                 result, &error))
    {
      close_connection (self);
      g_task_return_error (task, translate_error (error));
      return;
    }
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (source), G_MAXINT);

  g_list_store_remove_all (self->addresses);
  g_variant_iter_init (&iter, addresses);
  while ((info = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(TapiAddress) address = tapi_address_new (self, info);

      g_list_store_append (self->addresses, address);
      g_variant_unref (info);
    }

  self->initialized = TRUE;
  watch_broker (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INITIALIZED]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BROKER_MODE]);
  g_task_return_boolean (task, TRUE);
}

/* Initialize alone keeps GDBus's default timeout; the other methods
 * wait for remote parties as long as these take. */
static void
call_initialize (GTask *task)
{
  TapiTapi *self = g_task_get_source_object (task);

  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), -1);
  tapi_dbus_broker1_call_initialize (self->proxy, self->application_name,
                                     g_task_get_cancellable (task),
                                     initialize_reply_cb, task);
}

static void
proxy_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->proxy = tapi_dbus_broker1_proxy_new_finish (result, &error);
  if (self->proxy == NULL)
    {
      self->initializing = FALSE;
      close_connection (self);
      g_task_return_error (task, translate_error (error));
      g_object_unref (task);
      return;
    }
  connect_proxy_signals (self);
  call_initialize (task);
}

static void
send_initialize (GTask *task)
{
  TapiTapi *self = g_task_get_source_object (task);

  if (self->events == NULL)
    {
      self->events = event_queue_new (self, g_task_get_context (task));
      self->events->on_bus = self->broker_name != NULL;
      self->filter_id =
        g_dbus_connection_add_filter (self->connection, filter_cb,
                                      event_queue_ref (self->events),
                                      (GDestroyNotify) event_queue_unref);
    }

  if (self->proxy != NULL)
    {
      call_initialize (task);
      return;
    }
  /* Signals come through the filter (see "Events from the broker"), and
   * the broker has no properties. Initialize may still start tapi3d by
   * D-Bus activation, as before. */
  tapi_dbus_broker1_proxy_new (self->connection,
                               G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                               G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
                               G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START_AT_CONSTRUCTION,
                               self->broker_name, TAPI_BROKER_OBJECT_PATH,
                               g_task_get_cancellable (task), proxy_ready_cb, task);
}

/* Choosing the broker when TAPI3_BROKER is not set: tapi3d when it runs
 * or can be activated on the session bus, else one in this process. */

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
use_embedded (GTask *task)
{
  TapiTapi *self = g_task_get_source_object (task);

  self->probing = FALSE;
  if (self->connection)
    {
      g_dbus_connection_close (self->connection, NULL, NULL, NULL);
      g_clear_object (&self->connection);
    }
  g_clear_pointer (&self->broker_name, g_free);
  self->broker_mode = TAPI_BROKER_MODE_EMBEDDED;
  tapi_broker_connect_embedded_async (g_task_get_cancellable (task),
                                      connected_cb, task);
}

static void
probe_activatable_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                         NULL);
  if (reply != NULL)
    {
      g_variant_get (reply, "(^a&s)", &names);
      if (g_strv_contains (names, TAPI_BROKER_BUS_NAME))
        {
          self->probing = FALSE;
          send_initialize (task);
          return;
        }
    }
  use_embedded (task);
}

static void
probe_owner_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                         NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  if (owned)
    {
      self->probing = FALSE;
      send_initialize (task);
      return;
    }
  g_dbus_connection_call (self->connection, "org.freedesktop.DBus",
                          "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "ListActivatableNames", NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), probe_activatable_cb,
                          task);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (self->broker_mode == TAPI_BROKER_MODE_EMBEDDED)
    self->connection = tapi_broker_connect_embedded_finish (result, &error);
  else
    self->connection = g_dbus_connection_new_for_address_finish (result,
                                                                 &error);

  if (self->connection == NULL && self->probing)
    {
      /* No session bus to reach: the broker runs here. */
      g_debug ("No session bus (%s): using an embedded broker", error->message);
      g_error_free (error);
      use_embedded (task);
      return;
    }

  if (self->connection == NULL)
    {
      self->initializing = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          error->domain != TAPI_ERROR)
        {
          GError *wrapped =
            g_error_new (TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING,
                         "Could not reach the telephony broker: %s",
                         error->message);
          g_error_free (error);
          error = wrapped;
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_dbus_connection_set_exit_on_close (self->connection, FALSE);
  if (self->probing)
    g_dbus_connection_call (self->connection, "org.freedesktop.DBus",
                            "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "NameHasOwner",
                            g_variant_new ("(s)", TAPI_BROKER_BUS_NAME),
                            G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                            g_task_get_cancellable (task), probe_owner_cb,
                            task);
  else
    send_initialize (task);
}

/**
 * tapi_tapi_initialize_async:
 * @self: a [class@Tapi.Tapi]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the application is initialized
 * @user_data: data for @callback
 *
 * Connects the application to the broker [ITTAPI::Initialize] and reads
 * its addresses. An application shut down with [method@Tapi.Tapi.shutdown]
 * can be initialized again.
 */
void
tapi_tapi_initialize_async (TapiTapi            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *broker = g_getenv ("TAPI3_BROKER");
  g_autofree char *address = NULL;

  g_return_if_fail (TAPI_IS_TAPI (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tapi_tapi_initialize_async);

  if (self->application_name == NULL || *self->application_name == '\0')
    {
      g_task_return_new_error (task, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                               "An application needs a name");
      return;
    }
  if (self->initialized || self->initializing)
    {
      g_task_return_new_error (task, TAPI_ERROR, TAPI_ERROR_FAILED,
                               "The application %s is initialized already",
                               self->application_name);
      return;
    }
  self->initializing = TRUE;

  if (self->connection != NULL)
    {
      /* Shut down before: the connection is still there. */
      send_initialize (g_steal_pointer (&task));
      return;
    }

  if (broker != NULL && g_str_equal (broker, "embedded"))
    {
      self->broker_mode = TAPI_BROKER_MODE_EMBEDDED;
      tapi_broker_connect_embedded_async (cancellable, connected_cb,
                                          g_steal_pointer (&task));
      return;
    }

  if (broker == NULL || *broker == '\0')
    {
      address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION,
                                                 cancellable, NULL);
      self->probing = TRUE;
      if (address == NULL)
        {
          use_embedded (g_steal_pointer (&task));
          return;
        }
      self->broker_mode = TAPI_BROKER_MODE_SESSION;
      self->broker_name = g_strdup (TAPI_BROKER_BUS_NAME);
      g_dbus_connection_new_for_address (address,
                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                         NULL, cancellable, connected_cb, g_steal_pointer (&task));
      return;
    }

  if (g_str_equal (broker, "session"))
    {
      GError *error = NULL;

      self->broker_mode = TAPI_BROKER_MODE_SESSION;
      self->broker_name = g_strdup (TAPI_BROKER_BUS_NAME);
      address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION,
                                                 cancellable, &error);
      if (address == NULL)
        {
          self->initializing = FALSE;
          g_task_return_new_error (task, TAPI_ERROR,
                                   TAPI_ERROR_SERVICE_NOT_RUNNING,
                                   "There is no session bus: %s",
                                   error->message);
          g_error_free (error);
          return;
        }
      g_dbus_connection_new_for_address (address,
                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                         NULL, cancellable, connected_cb, g_steal_pointer (&task));
      return;
    }

  self->broker_mode = TAPI_BROKER_MODE_ADDRESS;
  g_dbus_connection_new_for_address (broker, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                     NULL, cancellable, connected_cb, g_steal_pointer (&task));
}

/**
 * tapi_tapi_initialize_finish:
 * @self: a [class@Tapi.Tapi]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Tapi.initialize_async].
 *
 * Returns: %TRUE when the application is initialized
 */
gboolean
tapi_tapi_initialize_finish (TapiTapi      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                          tapi_tapi_initialize_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
initialize_sync_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/**
 * tapi_tapi_initialize_sync:
 * @self: a [class@Tapi.Tapi]
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Initializes the application and waits until it is done. The
 * application's signals are emitted in the thread-default main context of
 * the caller.
 *
 * Returns: %TRUE when the application is initialized
 */
gboolean
tapi_tapi_initialize_sync (TapiTapi      *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);

  /* The events of the application belong to the caller's context, so the
   * wait iterates that context; nothing else is pending in it yet for
   * this application. */
  tapi_tapi_initialize_async (self, cancellable, initialize_sync_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  return tapi_tapi_initialize_finish (self, result, error);
}

static void
forget_handles (TapiTapi *self)
{
  g_ptr_array_set_size (self->registrations, 0);

  while (g_list_model_get_n_items (G_LIST_MODEL (self->calls)) > 0)
    {
      g_autoptr(TapiCall) call =
        g_list_model_get_item (G_LIST_MODEL (self->calls), 0);

      tapi_tapi_remove_call (self, call, TRUE);
    }
  self->initialized = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INITIALIZED]);
}

static void
shutdown_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  tapi_dbus_broker1_call_shutdown_finish (TAPI_DBUS_BROKER1 (source), result,
                                          &error);
  /* A broker that is gone has released everything anyway. */
  tapi_tapi_broker_call_done (self, &error);
  forget_handles (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * tapi_tapi_shutdown_async:
 * @self: a [class@Tapi.Tapi]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the application is shut down
 * @user_data: data for @callback
 *
 * Shuts the application down [ITTAPI::Shutdown]: every call handle and
 * registration of the application is released. A live call it owned alone
 * goes to the next owner by priority, or is disconnected. The handles'
 * objects stay readable but every operation on them fails with
 * %TAPI_ERROR_NOT_INITIALIZED.
 *
 * Once started, the shutdown is carried out even if @cancellable is
 * cancelled; the result is then %G_IO_ERROR_CANCELLED.
 */
void
tapi_tapi_shutdown_async (TapiTapi            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (TAPI_IS_TAPI (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tapi_tapi_shutdown_async);
  if (!tapi_tapi_check_initialized (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->broker_lost)
    {
      close_connection (self);
      forget_handles (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  tapi_dbus_broker1_call_shutdown (self->proxy, NULL, shutdown_done_cb,
                                   g_steal_pointer (&task));
}

/**
 * tapi_tapi_shutdown_finish:
 * @self: a [class@Tapi.Tapi]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Tapi.shutdown_async].
 *
 * Returns: %TRUE on success; %FALSE with %TAPI_ERROR_NOT_INITIALIZED when
 *   the application was not initialized
 */
gboolean
tapi_tapi_shutdown_finish (TapiTapi      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                          tapi_tapi_shutdown_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tapi_tapi_shutdown:
 * @self: a [class@Tapi.Tapi]
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Tapi.shutdown_async]: waits until the
 * application is shut down.
 *
 * Returns: %TRUE on success; %FALSE with %TAPI_ERROR_NOT_INITIALIZED when
 *   the application was not initialized
 */
gboolean
tapi_tapi_shutdown (TapiTapi  *self,
                    GError   **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_tapi_shutdown_async (self, NULL, tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_tapi_shutdown_finish (self, result, error);
}

/**
 * tapi_tapi_get_addresses:
 * @self: a [class@Tapi.Tapi]
 *
 * Gets the addresses the application can use [ITTAPI::EnumerateAddresses].
 *
 * Returns: (transfer none): a list model of [class@Tapi.Address]
 */
GListModel *
tapi_tapi_get_addresses (TapiTapi *self)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), NULL);

  return G_LIST_MODEL (self->addresses);
}

/**
 * tapi_tapi_find_address:
 * @self: a [class@Tapi.Tapi]
 * @name_or_dialable_address: an address's name or dialable address
 *
 * Finds an address by its name or its dialable address.
 *
 * Returns: (transfer none) (nullable): the address, or %NULL
 */
TapiAddress *
tapi_tapi_find_address (TapiTapi   *self,
                        const char *name_or_dialable_address)
{
  guint n;

  g_return_val_if_fail (TAPI_IS_TAPI (self), NULL);

  if (name_or_dialable_address == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->addresses));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiAddress) address =
        g_list_model_get_item (G_LIST_MODEL (self->addresses), i);

      if (g_strcmp0 (tapi_address_get_name (address),
                     name_or_dialable_address) == 0 ||
          g_strcmp0 (tapi_address_get_dialable_address (address),
                     name_or_dialable_address) == 0)
        return address;
    }
  return NULL;
}

/**
 * tapi_tapi_get_calls:
 * @self: a [class@Tapi.Tapi]
 *
 * Gets the application's call handles: every call it holds until it
 * releases it.
 *
 * Returns: (transfer none): a list model of [class@Tapi.Call]
 */
GListModel *
tapi_tapi_get_calls (TapiTapi *self)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), NULL);

  return G_LIST_MODEL (self->calls);
}

/**
 * tapi_tapi_find_call:
 * @self: a [class@Tapi.Tapi]
 * @call_id: a call id, as in [property@Tapi.Call:call-id]
 *
 * Finds the application's handle of a call.
 *
 * Returns: (transfer none) (nullable): the handle, or %NULL
 */
TapiCall *
tapi_tapi_find_call (TapiTapi *self,
                     guint     call_id)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), NULL);

  return g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (call_id));
}
