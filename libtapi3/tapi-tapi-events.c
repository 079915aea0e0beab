/* tapi-tapi-events.c: TapiTapi's dispatch of the broker's signals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-address-private.h"
#include "tapi-call-private.h"
#include "tapi-tapi-private.h"
#include "tapi-dbus-generated.h"

/* Events from the broker
 *
 * Signals from the broker are taken off the connection by a filter, in
 * the order they arrive, and dispatched in the application's context.
 * Before an operation's result is delivered, every signal that arrived
 * before its reply is dispatched, so that when connect_finish() returns,
 * the call's state-changed signals have been emitted and its properties
 * are up to date — with the _sync calls too.
 *
 * The generated proxy is not left to subscribe to the signals itself: its
 * subscription delivers them from idle sources of its own, which may run
 * after the result of an operation the broker answered later, and never
 * run while a _sync call waits. The filter stays the one subscription;
 * each signal it took is handed to the proxy's GDBusProxy::g-signal when
 * its turn comes, and the proxy turns it into its typed signals
 * (call-state-changed, …), handled below. */

EventQueue *
event_queue_ref (EventQueue *queue)
{
  g_atomic_ref_count_inc (&queue->ref_count);
  return queue;
}

void
event_queue_unref (EventQueue *queue)
{
  if (!g_atomic_ref_count_dec (&queue->ref_count))
    return;
  g_queue_clear_full (&queue->messages, g_object_unref);
  g_mutex_clear (&queue->mutex);
  g_free (queue->broker_owner);
  g_main_context_unref (queue->context);
  g_weak_ref_clear (&queue->tapi);
  g_free (queue);
}

EventQueue *
event_queue_new (TapiTapi     *tapi,
                 GMainContext *context)
{
  EventQueue *queue = g_new0 (EventQueue, 1);

  g_atomic_ref_count_init (&queue->ref_count);
  g_mutex_init (&queue->mutex);
  g_queue_init (&queue->messages);
  queue->context = g_main_context_ref (context);
  g_weak_ref_init (&queue->tapi, tapi);
  return queue;
}

static GDBusMessage *
event_queue_pop (EventQueue *queue)
{
  GDBusMessage *message;

  g_mutex_lock (&queue->mutex);
  message = g_queue_pop_head (&queue->messages);
  g_mutex_unlock (&queue->mutex);
  return message;
}

static gboolean
event_queue_idle_cb (gpointer user_data)
{
  EventQueue *queue = user_data;
  g_autoptr(TapiTapi) tapi = NULL;

  g_mutex_lock (&queue->mutex);
  queue->scheduled = FALSE;
  g_mutex_unlock (&queue->mutex);

  tapi = g_weak_ref_get (&queue->tapi);
  if (tapi)
    dispatch_events (tapi);
  return G_SOURCE_REMOVE;
}

/* Runs in GDBus's worker thread. */
GDBusMessage *
filter_cb (GDBusConnection *connection,
           GDBusMessage    *message,
           gboolean         incoming,
           gpointer         user_data)
{
  EventQueue *queue = user_data;
  GDBusMessageType type = g_dbus_message_get_message_type (message);
  const char *sender = g_dbus_message_get_sender (message);
  gboolean schedule;

  if (!incoming)
    return message;

  /* On a bus, this connection calls only the broker and the bus itself:
   * the unique name that replies is the broker's, and its signals are
   * the only ones taken. The broker sends none before it replies to
   * Initialize, and a bus keeps the order of one sender's messages. */
  if (queue->on_bus && type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN &&
      sender != NULL && sender[0] == ':')
    {
      g_mutex_lock (&queue->mutex);
      if (g_strcmp0 (queue->broker_owner, sender) != 0)
        {
          g_free (queue->broker_owner);
          queue->broker_owner = g_strdup (sender);
        }
      g_mutex_unlock (&queue->mutex);
      return message;
    }

  if (type != G_DBUS_MESSAGE_TYPE_SIGNAL ||
      g_strcmp0 (g_dbus_message_get_interface (message), TAPI_BROKER_INTERFACE) != 0 ||
      g_strcmp0 (g_dbus_message_get_path (message), TAPI_BROKER_OBJECT_PATH) != 0)
    return message;

  g_mutex_lock (&queue->mutex);
  if (queue->on_bus && g_strcmp0 (queue->broker_owner, sender) != 0)
    {
      g_mutex_unlock (&queue->mutex);
      g_debug ("Dropping a broker signal from %s, which is not the broker",
               sender ? sender : "(no sender)");
      g_object_unref (message);
      return NULL;
    }
  g_queue_push_tail (&queue->messages, message);
  schedule = !queue->scheduled;
  queue->scheduled = TRUE;
  g_mutex_unlock (&queue->mutex);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, event_queue_idle_cb, event_queue_ref (queue),
                             (GDestroyNotify) event_queue_unref);
      g_source_attach (source, queue->context);
      g_source_unref (source);
    }
  return NULL;
}

TapiAddress *
lookup_address (TapiTapi   *self,
                const char *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->addresses));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiAddress) address = g_list_model_get_item (G_LIST_MODEL (self->addresses), i);

      if (g_strcmp0 (tapi_address_get_name (address), name) == 0)
        return address;
    }
  return NULL;
}

static void
call_state_changed_cb (TapiDBusBroker1 *proxy,
                       guint            id,
                       guint            state,
                       guint            cause,
                       GVariant        *info,
                       TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));

  if (call)
    {
      tapi_call_apply_info (call, info);
      tapi_call_emit_state_changed (call, state, cause);
    }
}

static void
call_info_changed_cb (TapiDBusBroker1 *proxy,
                      guint            id,
                      guint            change,
                      GVariant        *info,
                      TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));

  if (call)
    {
      tapi_call_apply_info (call, info);
      tapi_call_emit_info_changed (call, change);
    }
}

static void
media_changed_cb (TapiDBusBroker1 *proxy,
                  guint            id,
                  GVariant        *media,
                  TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));

  if (call)
    tapi_call_set_media (call, media);
}

static void
media_event_cb (TapiDBusBroker1 *proxy,
                guint            id,
                guint            event,
                guint            cause,
                guint            direction,
                TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));

  if (call)
    tapi_call_relay_media_event (call, event, cause, direction);
}

static void
digit_received_cb (TapiDBusBroker1 *proxy,
                   guint            id,
                   guint            digit,
                   TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));

  if (call && digit > 0 && digit < 128)
    tapi_call_digit_received (call, (char) digit);
}

static void
call_handle_removed_cb (TapiDBusBroker1 *proxy,
                        guint            id,
                        TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id, GUINT_TO_POINTER (id));

  if (call)
    tapi_tapi_remove_call (self, call, FALSE);
}

static void
address_changed_cb (TapiDBusBroker1 *proxy,
                    const char      *name,
                    guint            event,
                    GVariant        *info,
                    TapiTapi        *self)
{
  TapiAddress *address = lookup_address (self, name);

  if (address)
    {
      tapi_address_update (address, info);
      g_signal_emit_by_name (address, "event", event);
    }
}

void
connect_proxy_signals (TapiTapi *self)
{
  g_signal_connect (self->proxy, "call-notification",
                    G_CALLBACK (call_notification_cb), self);
  g_signal_connect (self->proxy, "call-state-changed",
                    G_CALLBACK (call_state_changed_cb), self);
  g_signal_connect (self->proxy, "call-info-changed",
                    G_CALLBACK (call_info_changed_cb), self);
  g_signal_connect (self->proxy, "media-changed",
                    G_CALLBACK (media_changed_cb), self);
  g_signal_connect (self->proxy, "media-event",
                    G_CALLBACK (media_event_cb), self);
  g_signal_connect (self->proxy, "digit-received",
                    G_CALLBACK (digit_received_cb), self);
  g_signal_connect (self->proxy, "call-handle-removed",
                    G_CALLBACK (call_handle_removed_cb), self);
  g_signal_connect (self->proxy, "address-changed",
                    G_CALLBACK (address_changed_cb), self);
}

/* The proxy's g-signal handler trusts the arguments to match the
 * interface: GDBusProxy checks them only on its own subscription. */
static gboolean
signal_matches_interface (const char *member,
                          GVariant   *body)
{
  GDBusSignalInfo *info;
  g_autoptr(GString) signature = NULL;

  info = g_dbus_interface_info_lookup_signal (tapi_dbus_broker1_interface_info (), member);
  if (info == NULL)
    return FALSE;
  signature = g_string_new ("(");
  for (guint i = 0; info->args != NULL && info->args[i] != NULL; i++)
    g_string_append (signature, info->args[i]->signature);
  g_string_append_c (signature, ')');
  return g_variant_is_of_type (body, G_VARIANT_TYPE (signature->str));
}

static void
dispatch_signal (TapiTapi     *self,
                 GDBusMessage *message)
{
  const char *member = g_dbus_message_get_member (message);
  GVariant *body = g_dbus_message_get_body (message);

  if (self->proxy == NULL || member == NULL || body == NULL ||
      !signal_matches_interface (member, body))
    {
      g_debug ("Ignoring unexpected broker signal %s", member ? member : "(none)");
      return;
    }
  g_signal_emit_by_name (self->proxy, "g-signal",
                         g_dbus_message_get_sender (message), member, body);
}

/* One message at a time, so that a handler that runs a _sync operation
 * dispatches the events after it in order.
 *
 * The handlers run with the application's context as the thread-default
 * one, also when a blocking request waits on a private context: what they
 * start (an answer_async() in a call-notification handler) completes in
 * the application's context, not in one nobody iterates again. */
void
dispatch_events (TapiTapi *self)
{
  g_autoptr(GMainContext) context = NULL;
  GDBusMessage *message;

  if (self->events == NULL)
    return;

  g_object_ref (self);
  context = g_main_context_ref (self->events->context);
  g_main_context_push_thread_default (context);
  while (self->events && (message = event_queue_pop (self->events)))
    {
      dispatch_signal (self, message);
      g_object_unref (message);
    }
  g_main_context_pop_thread_default (context);
  g_object_unref (self);
}
