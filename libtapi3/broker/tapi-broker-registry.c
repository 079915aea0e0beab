/* tapi-broker-registry.c: the broker's applications, priorities and handles
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include <errno.h>

#include "tapi-broker-private.h"
#include "tapi-enum-types.h"

/* Applications */

static void
registration_free (Registration *registration)
{
  tapi_broker_address_unref (registration->address);
  g_free (registration);
}

void
broker_app_free (BrokerApp *app)
{
  g_array_unref (app->outbox);
  g_ptr_array_unref (app->registrations);
  if (app->watch_id != 0)
    g_bus_unwatch_name (app->watch_id);
  g_clear_object (&app->connection);
  g_free (app->sender);
  g_free (app->name);
  g_free (app);
}

BrokerApp *
find_app (TapiBroker      *self,
          GDBusConnection *connection,
          const char      *sender)
{
  for (guint i = 0; i < self->apps->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (self->apps, i);

      if (app->connection == connection && g_strcmp0 (app->sender, sender) == 0)
        return app;
    }
  return NULL;
}

/* Signals
 *
 * What one step of the broker (a method call, an event of a provider)
 * tells an application goes out in one message: its signals wait in the
 * application's outbox until the step is over, or until the broker
 * replies to a method call, whichever comes first. Every reply is sent
 * after broker_flush_signals(), so the signals sent before it still
 * arrive before it. An outbox of one signal goes out as that signal,
 * one of several as an Events signal that carries them in order. */

static void
send_signal (BrokerApp  *app,
             const char *signal_name,
             GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  /* Whether the application was initialized counted when the signal
   * was queued. */
  g_variant_ref_sink (parameters);
  if (!g_dbus_connection_is_closed (app->connection) &&
      !g_dbus_connection_emit_signal (app->connection, app->sender,
                                      TAPI_BROKER_OBJECT_PATH,
                                      TAPI_BROKER_INTERFACE, signal_name,
                                      parameters, &error))
    g_debug ("Could not tell %s about %s: %s", app->name, signal_name,
             error->message);
  g_variant_unref (parameters);
}

static void
send_outbox (BrokerApp *app)
{
  GArray *outbox = app->outbox;
  GVariantBuilder builder;

  if (outbox->len == 1)
    {
      PendingSignal *pending = &g_array_index (outbox, PendingSignal, 0);

      send_signal (app, pending->signal_name, pending->parameters);
    }
  else if (outbox->len > 1)
    {
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sv)"));
      for (guint i = 0; i < outbox->len; i++)
        {
          PendingSignal *pending = &g_array_index (outbox, PendingSignal, i);

          g_variant_builder_add (&builder, "(sv)", pending->signal_name,
                                 pending->parameters);
        }
      send_signal (app, "Events", g_variant_new ("(a(sv))", &builder));
    }
  g_array_set_size (outbox, 0);
}

/* Sends every application's outbox: before each reply, and when a step
 * of the broker is over. */
void
broker_flush_signals (TapiBroker *self)
{
  for (guint i = 0; i < self->outboxes->len; i++)
    send_outbox (g_ptr_array_index (self->outboxes, i));
  g_ptr_array_set_size (self->outboxes, 0);
}

static gboolean
flush_signals_cb (gpointer user_data)
{
  TapiBroker *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  broker_flush_signals (self);
  return G_SOURCE_REMOVE;
}

/* Queues @signal_name (a static string) for @app; it goes out when the
 * broker's step is over (a source of high priority after it), or before
 * the broker's next reply. */
void
app_emit (BrokerApp  *app,
          const char *signal_name,
          GVariant   *parameters)
{
  TapiBroker *self = app->broker;
  PendingSignal pending = { signal_name, g_variant_ref_sink (parameters) };

  if (!app->initialized)
    {
      g_variant_unref (pending.parameters);
      return;
    }
  if (app->outbox->len == 0)
    g_ptr_array_add (self->outboxes, app);
  g_array_append_val (app->outbox, pending);

  if (self->flush_source == NULL)
    {
      self->flush_source = g_idle_source_new ();
      g_source_set_priority (self->flush_source, G_PRIORITY_HIGH);
      g_source_set_callback (self->flush_source, flush_signals_cb, self, NULL);
      g_source_attach (self->flush_source,
                       g_main_context_get_thread_default ());
    }
}

/* An application that goes away takes its unsent signals with it. */
static void
drop_signals (BrokerApp *app)
{
  g_ptr_array_remove (app->broker->outboxes, app);
  g_array_set_size (app->outbox, 0);
}

gboolean
app_registered_on (BrokerApp         *app,
                   TapiBrokerAddress *address)
{
  for (guint i = 0; i < app->registrations->len; i++)
    {
      Registration *registration = g_ptr_array_index (app->registrations, i);

      if (registration->address == address)
        return TRUE;
    }
  return FALSE;
}

/* Priorities */

static int
priority_rank (TapiBroker    *self,
               TapiMediaType  media_type,
               const char    *name)
{
  GPtrArray *names = g_hash_table_lookup (self->priorities,
                                          GUINT_TO_POINTER (media_type));
  guint index;

  if (names &&
      g_ptr_array_find_with_equal_func (names, name, g_str_equal, &index))
    return (int) index;
  return G_MAXINT;
}

/* The highest-priority application registered as owner on @address for
 * exactly @media_type, or NULL. */
BrokerApp *
best_owner_for (TapiBroker        *self,
                TapiBrokerAddress *address,
                TapiMediaType      media_type,
                BrokerApp         *exclude)
{
  BrokerApp *best = NULL;
  int best_rank = G_MAXINT;
  guint64 best_order = G_MAXUINT64;

  for (guint i = 0; i < self->apps->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (self->apps, i);

      if (app == exclude || !app->initialized)
        continue;

      for (guint j = 0; j < app->registrations->len; j++)
        {
          Registration *registration = g_ptr_array_index (app->registrations,
                                                          j);
          int rank;

          if (registration->address != address || !registration->owner ||
              (registration->media_types & media_type) == 0)
            continue;

          rank = priority_rank (self, media_type, app->name);
          if (rank < best_rank ||
              (rank == best_rank && registration->order < best_order))
            {
              best = app;
              best_rank = rank;
              best_order = registration->order;
            }
        }
    }
  return best;
}

/* The owner of a new call: UNKNOWN first, then from the highest media
 * type bit down, the highest-priority owner of the first bit that has
 * one. */
BrokerApp *
choose_owner (TapiBroker        *self,
              TapiBrokerAddress *address,
              TapiMediaType      media_types,
              BrokerApp         *exclude)
{
  BrokerApp *app;

  if (media_types & TAPI_MEDIA_TYPE_UNKNOWN)
    {
      app = best_owner_for (self, address, TAPI_MEDIA_TYPE_UNKNOWN, exclude);
      if (app)
        return app;
    }

  for (int bit = 31; bit >= 0; bit--)
    {
      TapiMediaType media_type = 1u << bit;

      if (media_type == TAPI_MEDIA_TYPE_UNKNOWN ||
          (media_types & media_type) == 0)
        continue;
      app = best_owner_for (self, address, media_type, exclude);
      if (app)
        return app;
    }
  return NULL;
}

/* Priorities, kept in a keyfile: one key per media type, its value the
 * applications first to last. */

#define PRIORITIES_GROUP "priorities"

void
save_priorities (TapiBroker *self)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFlagsClass) flags = NULL;
  g_autofree char *dir = NULL;

  if (self->priorities_path == NULL)
    return;

  keyfile = g_key_file_new ();
  flags = g_type_class_ref (TAPI_TYPE_MEDIA_TYPE);
  g_key_file_set_comment (keyfile, NULL, NULL,
                          " Application priorities of the tapi3 broker, per media type,\n"
                          " highest first. Written by the broker.",
                          NULL);
  for (guint i = 0; i < flags->n_values; i++)
    {
      GPtrArray *names =
        g_hash_table_lookup (self->priorities,
                             GUINT_TO_POINTER (flags->values[i].value));

      if (names != NULL && names->len > 0)
        g_key_file_set_string_list (keyfile, PRIORITIES_GROUP,
                                    flags->values[i].value_nick,
                                    (const char *const *) names->pdata,
                                    names->len);
    }

  dir = g_path_get_dirname (self->priorities_path);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_key_file_save_to_file (keyfile, self->priorities_path, &error))
    g_warning ("Could not save the application priorities to %s: %s",
               self->priorities_path,
               error ? error->message : g_strerror (errno));
}

/**
 * tapi_broker_set_priorities_file:
 * @self: the broker
 * @path: (type filename): a keyfile
 * @error: return location for a #GError
 *
 * Makes the broker keep its application priorities in @path: those in the
 * file are read now, and every change is written back. A missing file is
 * no error.
 *
 * Returns: %FALSE when @path exists and cannot be read
 */
gboolean
tapi_broker_set_priorities_file (TapiBroker  *self,
                                 const char  *path,
                                 GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GFlagsClass) flags = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TAPI_IS_BROKER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_free (self->priorities_path);
  self->priorities_path = g_strdup (path);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Could not read the application priorities %s: ", path);
      return FALSE;
    }

  flags = g_type_class_ref (TAPI_TYPE_MEDIA_TYPE);
  for (guint i = 0; i < flags->n_values; i++)
    {
      g_auto(GStrv) list = g_key_file_get_string_list (keyfile, PRIORITIES_GROUP,
                                                       flags->values[i].value_nick,
                                                       NULL, NULL);
      GPtrArray *names;

      if (list == NULL ||
          !check_single_media_type (flags->values[i].value, NULL))
        continue;
      names = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; list[j]; j++)
        if (*list[j] != '\0')
          g_ptr_array_add (names, g_strdup (list[j]));
      g_hash_table_replace (self->priorities,
                            GUINT_TO_POINTER (flags->values[i].value), names);
    }
  return TRUE;
}

/* Handles */

/* Applies several handle changes to @call at once, then tells each
 * application what changed for it: a new handle comes as CallNotification,
 * a changed privilege as CallInfoChanged (PRIVILEGE), followed by a
 * CallNotification when the change is to be announced like a new call,
 * and every other holder sees the owner and monitor counts change once. */
void
apply_handles (TapiBroker     *self,
               TapiBrokerCall *call,
               HandleChange   *changes,
               guint           n_changes)
{
  guint owners = tapi_broker_call_count_handles (call,
                                                 TAPI_CALL_PRIVILEGE_OWNER);
  guint monitors = tapi_broker_call_count_handles (call,
                                                   TAPI_CALL_PRIVILEGE_MONITOR);
  g_autoptr(GPtrArray) holders = NULL;
  guint id = tapi_broker_call_get_id (call);

  for (guint i = 0; i < n_changes; i++)
    {
      HandleChange *change = &changes[i];

      change->had = tapi_broker_call_lookup_handle (call, change->app,
                                                    &change->old);
      if (change->privilege < 0)
        tapi_broker_call_remove_handle (call, change->app);
      else
        tapi_broker_call_set_handle (call, change->app, change->privilege);
    }

  for (guint i = 0; i < n_changes; i++)
    {
      HandleChange *change = &changes[i];

      if (change->privilege < 0)
        continue;
      if (change->had && change->old != (TapiCallPrivilege) change->privilege)
        app_emit (change->app, "CallInfoChanged",
                  g_variant_new ("(uu@a{sv})", id, TAPI_CALL_INFO_CHANGE_PRIVILEGE,
                                 tapi_broker_call_changes_to_variant (call, change->app)));
      if (!change->had || change->announce)
        app_emit (change->app, "CallNotification",
                  g_variant_new ("(u@a{sv})",
                                 change->privilege == TAPI_CALL_PRIVILEGE_OWNER
                                   ? TAPI_CALL_NOTIFICATION_EVENT_OWNER
                                   : TAPI_CALL_NOTIFICATION_EVENT_MONITOR,
                                 tapi_broker_call_to_variant (call,
                                                              change->app)));
    }

  holders = tapi_broker_call_dup_handle_apps (call);
  for (guint i = 0; i < holders->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (holders, i);
      gboolean is_new = FALSE;

      for (guint j = 0; j < n_changes; j++)
        if (changes[j].app == app && !changes[j].had)
          is_new = TRUE;
      if (is_new)
        continue;

      if (owners !=
          tapi_broker_call_count_handles (call, TAPI_CALL_PRIVILEGE_OWNER))
        app_emit (app, "CallInfoChanged",
                  g_variant_new ("(uu@a{sv})", id,
                                 TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS,
                                 tapi_broker_call_changes_to_variant (call,
                                                                      app)));
      if (monitors !=
          tapi_broker_call_count_handles (call, TAPI_CALL_PRIVILEGE_MONITOR))
        app_emit (app, "CallInfoChanged",
                  g_variant_new ("(uu@a{sv})", id,
                                 TAPI_CALL_INFO_CHANGE_NUMBER_OF_MONITORS,
                                 tapi_broker_call_changes_to_variant (call,
                                                                      app)));
    }
}

void
set_one_handle (TapiBroker     *self,
                TapiBrokerCall *call,
                BrokerApp      *app,
                int             privilege)
{
  HandleChange change = { app, privilege };

  apply_handles (self, call, &change, 1);
}

static gboolean
is_forgotten (TapiBrokerCall *call)
{
  g_autoptr(GPtrArray) holders = tapi_broker_call_dup_handle_apps (call);

  return holders->len == 0 && !tapi_broker_call_is_live (call);
}

static gboolean
remove_forgotten_calls_cb (gpointer user_data)
{
  TapiBroker *self = user_data;
  g_autoptr(GPtrArray) forgotten = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  self->remove_source_id = 0;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (is_forgotten (value))
      g_ptr_array_add (forgotten, value);

  for (guint i = 0; i < forgotten->len; i++)
    {
      TapiBrokerCall *call = g_ptr_array_index (forgotten, i);

      drop_waiters_for (self, call);
      g_signal_handlers_disconnect_by_data (call, self);
      tapi_provider_call_removed (provider_of (call), call);
      g_hash_table_remove (self->calls,
                           GUINT_TO_POINTER (tapi_broker_call_get_id (call)));
    }
  return G_SOURCE_REMOVE;
}

/* A call nobody holds and that is over is forgotten, from an idle so that
 * providers never see a call go away in the middle of an operation. */
void
maybe_remove_call (TapiBroker     *self,
                   TapiBrokerCall *call)
{
  GSource *source;

  if (self->remove_source_id != 0 || !is_forgotten (call))
    return;

  source = g_idle_source_new ();
  g_source_set_callback (source, remove_forgotten_calls_cb, self, NULL);
  self->remove_source_id =
    g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* @app gives up its handle to @call. A live call that loses its last
 * owner goes to the next owner by priority, or is dropped. */
void
release_handle (TapiBroker     *self,
                TapiBrokerCall *call,
                BrokerApp      *app)
{
  g_autoptr(TapiBrokerCall) keep G_GNUC_UNUSED = g_object_ref (call);
  TapiCallPrivilege privilege;
  gboolean was_owner;

  if (!tapi_broker_call_lookup_handle (call, app, &privilege))
    return;
  was_owner = privilege == TAPI_CALL_PRIVILEGE_OWNER;
  set_one_handle (self, call, app, -1);

  if (was_owner && tapi_broker_call_is_live (call) &&
      tapi_broker_call_count_handles (call, TAPI_CALL_PRIVILEGE_OWNER) == 0)
    {
      BrokerApp *next = choose_owner (self, tapi_broker_call_get_address (call),
                                      tapi_broker_call_get_media_types (call),
                                      app);

      if (next)
        set_one_handle (self, call, next, TAPI_CALL_PRIVILEGE_OWNER);
      else
        tapi_provider_disconnect (tapi_broker_call_get_address (call)->provider,
                                  call, TAPI_DISCONNECT_CODE_NORMAL,
                                  TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED,
                                  NULL);
    }

  maybe_remove_call (self, call);
}

void
app_release_everything (TapiBroker *self,
                        BrokerApp  *app)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (tapi_broker_call_lookup_handle (value, app, NULL))
      g_ptr_array_add (calls, g_object_ref (value));

  g_ptr_array_set_size (app->registrations, 0);
  for (guint i = 0; i < calls->len; i++)
    release_handle (self, g_ptr_array_index (calls, i), app);
}

/* Forgets the applications on @connection (every one when @sender is
 * NULL): their handles are released, so a call one of them owned alone
 * goes to the next owner or is dropped, and its sockets with it. */
void
forget_apps (TapiBroker      *self,
             GDBusConnection *connection,
             const char      *sender)
{
  for (guint i = self->apps->len; i > 0; i--)
    {
      BrokerApp *app = g_ptr_array_index (self->apps, i - 1);

      if (app->connection != connection ||
          (sender != NULL && g_strcmp0 (app->sender, sender) != 0))
        continue;
      g_info ("Application %s (%s) went away",
              app->name ? app->name : "(not initialized)",
              app->sender ? app->sender : "peer");
      app->initialized = FALSE;
      app_release_everything (self, app);
      drop_signals (app);
      g_ptr_array_remove_index (self->apps, i - 1);
    }
}

static void
app_vanished_cb (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  TapiBroker *self = user_data;

  forget_apps (self, connection, name);
}

static void
clear_pending_signal (gpointer data)
{
  PendingSignal *pending = data;

  g_variant_unref (pending->parameters);
}

BrokerApp *
add_app (TapiBroker      *self,
         GDBusConnection *connection,
         const char      *sender)
{
  BrokerApp *app = g_new0 (BrokerApp, 1);

  app->broker = self;
  app->outbox = g_array_new (FALSE, FALSE, sizeof (PendingSignal));
  g_array_set_clear_func (app->outbox, clear_pending_signal);
  app->connection = g_object_ref (connection);
  app->sender = g_strdup (sender);
  app->registrations = g_ptr_array_new_with_free_func ((GDestroyNotify) registration_free);
  app->order = ++self->last_order;
  app->serial = ++self->last_app_serial;
  g_ptr_array_add (self->apps, app);

  /* On a message bus, an application is gone when its unique name is:
   * it crashed, was killed or closed its connection. */
  if (sender != NULL)
    app->watch_id = g_bus_watch_name_on_connection (connection, sender,
                                                    G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                    NULL, app_vanished_cb,
                                                    self, NULL);
  return app;
}

/* Adds a monitor handle for every application but @exclude registered as
 * monitor on @address. */
void
add_monitor_changes (TapiBroker        *self,
                     TapiBrokerAddress *address,
                     BrokerApp         *exclude,
                     GArray            *changes)
{
  for (guint i = 0; i < self->apps->len; i++)
    {
      BrokerApp *app = g_ptr_array_index (self->apps, i);
      HandleChange change = { app, TAPI_CALL_PRIVILEGE_MONITOR };

      if (app == exclude || !app->initialized)
        continue;
      for (guint j = 0; j < app->registrations->len; j++)
        {
          Registration *registration = g_ptr_array_index (app->registrations,
                                                          j);

          if (registration->address == address && registration->monitor)
            {
              g_array_append_val (changes, change);
              break;
            }
        }
    }
}

void
announce_to_monitors (TapiBroker     *self,
                      TapiBrokerCall *call,
                      BrokerApp      *creator)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (HandleChange));

  add_monitor_changes (self, tapi_broker_call_get_address (call), creator,
                       changes);
  if (changes->len > 0)
    apply_handles (self, call, (HandleChange *) (gpointer) changes->data,
                   changes->len);
}

int
compare_call_ids (gconstpointer a,
                  gconstpointer b)
{
  guint id_a = tapi_broker_call_get_id (*(TapiBrokerCall **) a);
  guint id_b = tapi_broker_call_get_id (*(TapiBrokerCall **) b);

  return (id_a > id_b) - (id_a < id_b);
}
