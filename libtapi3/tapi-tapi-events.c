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
 * (call-state-changed, …), handled below.
 *
 * The broker sends what one of its steps tells the application as one
 * message: a single signal, or Events carrying several. The filter takes
 * Events apart, so that the queue holds one event per signal and a
 * handler that runs a _sync operation still dispatches the events after
 * its own in order. */

/* One signal of the broker, waiting for its turn. */
typedef struct
{
  const char *member;    /* the interface's own string */
  GVariant   *body;
  char       *sender;
} BrokerEvent;

static void
broker_event_free (BrokerEvent *event)
{
  g_variant_unref (event->body);
  g_free (event->sender);
  g_free (event);
}

/* The broker's signals by name, each with the type of its arguments,
 * worked out once from the interface: the proxy's g-signal handler
 * trusts the arguments to match it (GDBusProxy checks them only on its
 * own subscription). */
static GHashTable *
signal_types (void)
{
  static GHashTable *types;

  if (g_once_init_enter (&types))
    {
      GDBusInterfaceInfo *info = tapi_dbus_broker1_interface_info ();
      GHashTable *table =
        g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                               (GDestroyNotify) g_variant_type_free);

      for (guint i = 0; info->signals != NULL && info->signals[i] != NULL; i++)
        {
          GDBusSignalInfo *signal_info = info->signals[i];
          g_autoptr(GString) signature = g_string_new ("(");

          for (guint j = 0;
               signal_info->args != NULL && signal_info->args[j] != NULL; j++)
            g_string_append (signature, signal_info->args[j]->signature);
          g_string_append_c (signature, ')');
          g_hash_table_insert (table, signal_info->name,
                               g_variant_type_new (signature->str));
        }
      g_once_init_leave (&types, table);
    }
  return types;
}

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
  g_queue_clear_full (&queue->events, (GDestroyNotify) broker_event_free);
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
  g_queue_init (&queue->events);
  queue->context = g_main_context_ref (context);
  g_weak_ref_init (&queue->tapi, tapi);
  return queue;
}

static BrokerEvent *
event_queue_pop (EventQueue *queue)
{
  BrokerEvent *event;

  g_mutex_lock (&queue->mutex);
  event = g_queue_pop_head (&queue->events);
  g_mutex_unlock (&queue->mutex);
  return event;
}

/* Queues the signal @member with @body when it is one of the broker's
 * (not Events) and its arguments are the interface's; @queue is locked. */
static void
queue_event (EventQueue *queue,
             const char *sender,
             const char *member,
             GVariant   *body)
{
  gpointer name, type;
  BrokerEvent *event;

  if (member == NULL || body == NULL ||
      !g_hash_table_lookup_extended (signal_types (), member, &name, &type) ||
      !g_variant_is_of_type (body, type) || g_str_equal (member, "Events"))
    {
      g_debug ("Ignoring unexpected broker signal %s",
               member ? member : "(none)");
      return;
    }
  event = g_new (BrokerEvent, 1);
  event->member = name;
  event->body = g_variant_ref (body);
  event->sender = g_strdup (sender);
  g_queue_push_tail (&queue->events, event);
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
      g_strcmp0 (g_dbus_message_get_interface (message),
                 TAPI_BROKER_INTERFACE) != 0 ||
      g_strcmp0 (g_dbus_message_get_path (message), TAPI_BROKER_OBJECT_PATH) !=
        0)
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
  if (g_strcmp0 (g_dbus_message_get_member (message), "Events") == 0 &&
      g_variant_is_of_type (g_dbus_message_get_body (message),
                            G_VARIANT_TYPE ("(a(sv))")))
    {
      g_autoptr(GVariant) events =
        g_variant_get_child_value (g_dbus_message_get_body (message), 0);
      GVariantIter iter;
      const char *member;
      GVariant *body;

      g_variant_iter_init (&iter, events);
      while (g_variant_iter_next (&iter, "(&sv)", &member, &body))
        {
          queue_event (queue, sender, member, body);
          g_variant_unref (body);
        }
    }
  else
    queue_event (queue, sender, g_dbus_message_get_member (message),
                 g_dbus_message_get_body (message));
  schedule = !queue->scheduled && queue->events.length > 0;
  queue->scheduled |= schedule;
  g_mutex_unlock (&queue->mutex);
  g_object_unref (message);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, event_queue_idle_cb,
                             event_queue_ref (queue),
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
      g_autoptr(TapiAddress) address =
        g_list_model_get_item (G_LIST_MODEL (self->addresses), i);

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
  TapiCall *call = g_hash_table_lookup (self->calls_by_id,
                                        GUINT_TO_POINTER (id));

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
  TapiCall *call = g_hash_table_lookup (self->calls_by_id,
                                        GUINT_TO_POINTER (id));

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
  TapiCall *call = g_hash_table_lookup (self->calls_by_id,
                                        GUINT_TO_POINTER (id));

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
  TapiCall *call = g_hash_table_lookup (self->calls_by_id,
                                        GUINT_TO_POINTER (id));

  if (call)
    tapi_call_relay_media_event (call, event, cause, direction);
}

static void
digit_received_cb (TapiDBusBroker1 *proxy,
                   guint            id,
                   guint            digit,
                   TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id,
                                        GUINT_TO_POINTER (id));

  if (call && digit > 0 && digit < 128)
    tapi_call_digit_received (call, (char) digit);
}

static void
call_handle_removed_cb (TapiDBusBroker1 *proxy,
                        guint            id,
                        TapiTapi        *self)
{
  TapiCall *call = g_hash_table_lookup (self->calls_by_id,
                                        GUINT_TO_POINTER (id));

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

static void
dispatch_event (TapiTapi    *self,
                BrokerEvent *event)
{
  static guint g_signal_id;

  if (self->proxy == NULL)
    return;
  if (g_signal_id == 0)
    g_signal_id = g_signal_lookup ("g-signal", G_TYPE_DBUS_PROXY);
  g_signal_emit (self->proxy, g_signal_id, 0, event->sender, event->member,
                 event->body);
}

/* One event at a time, so that a handler that runs a _sync operation
 * dispatches the events after it in order.
 *
 * The handlers run with the application's context as the thread-default
 * one, also when a blocking request waits on a private context: what they
 * start (an answer_async() in a call-notification handler) completes in
 * the application's context, not in one nobody iterates again.
 *
 * A handler's _sync operation dispatches the events before its reply from
 * within the handler, and their handlers may do the same: in a burst of
 * events, each handled with a blocking operation, the nesting would grow
 * with the burst until the stack ran out. Beyond MAX_DISPATCH_DEPTH, the
 * innermost operation returns without dispatching; the events stay queued,
 * in order, for the dispatch that is running further up the stack. */
#define MAX_DISPATCH_DEPTH 32

void
dispatch_events (TapiTapi *self)
{
  g_autoptr(GMainContext) context = NULL;
  BrokerEvent *event;

  if (self->events == NULL || self->dispatch_depth >= MAX_DISPATCH_DEPTH)
    return;

  self->dispatch_depth++;
  g_object_ref (self);
  context = g_main_context_ref (self->events->context);
  g_main_context_push_thread_default (context);
  while (self->events && (event = event_queue_pop (self->events)))
    {
      dispatch_event (self, event);
      broker_event_free (event);
    }
  g_main_context_pop_thread_default (context);
  self->dispatch_depth--;
  g_object_unref (self);
}
