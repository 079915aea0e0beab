/* tapi-tapi-requests.c: TapiTapi's notification registrations and priorities
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-address-private.h"
#include "tapi-error.h"
#include "tapi-sync-call-private.h"
#include "tapi-tapi-private.h"
#include "tapi-dbus-generated.h"

static int last_registration_id;

typedef struct
{
  char          *address;
  gboolean       monitor;
  gboolean       owner;
  TapiMediaType  media_types;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_free (data->address);
  g_free (data);
}

static void
register_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TapiTapi *self = g_task_get_source_object (task);
  RegisterData *data = g_task_get_task_data (task);
  Registration *registration;
  GError *error = NULL;
  guint broker_id;
  gboolean ok;

  ok = tapi_dbus_broker1_call_register_notifications_finish (TAPI_DBUS_BROKER1 (source),
                                                             &broker_id, result, &error);
  tapi_tapi_broker_call_done (self, &error);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }

  registration = g_new0 (Registration, 1);
  /* Unique in the process, like the broker's own. */
  registration->id = (guint) g_atomic_int_add (&last_registration_id, 1) + 1;
  registration->broker_id = broker_id;
  registration->address = g_steal_pointer (&data->address);
  registration->monitor = data->monitor;
  registration->owner = data->owner;
  registration->media_types = data->media_types;
  g_ptr_array_add (self->registrations, registration);
  g_task_return_int (task, registration->id);
}

/**
 * tapi_tapi_register_call_notifications_async:
 * @self: a [class@Tapi.Tapi]
 * @address: the address to hear about
 * @monitor: whether to get a monitor handle to every call on @address
 * @owner: whether to own incoming calls of @media_types
 * @media_types: the media types to own calls of
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the application is registered
 * @user_data: data for @callback
 *
 * Registers the application for calls on @address
 * [ITTAPI::RegisterCallNotifications]. New handles arrive through
 * [signal@Tapi.Tapi::call-notification]. Which owner gets an incoming
 * call is decided by priority: see
 * [method@Tapi.Tapi.set_application_priority_async].
 */
void
tapi_tapi_register_call_notifications_async (TapiTapi            *self,
                                             TapiAddress         *address,
                                             gboolean             monitor,
                                             gboolean             owner,
                                             TapiMediaType        media_types,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TapiDBusBroker1 *broker;
  RegisterData *data;
  GError *error = NULL;

  g_return_if_fail (TAPI_IS_TAPI (self));
  g_return_if_fail (address == NULL || TAPI_IS_ADDRESS (address));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tapi_tapi_register_call_notifications_async);
  if (!tapi_tapi_check_initialized (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (address == NULL || tapi_address_get_tapi (address) != self)
    {
      g_task_return_new_error (task, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS,
                               "The address is not one of this application's");
      return;
    }
  if (!(broker = tapi_tapi_get_broker (self, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (RegisterData, 1);
  data->address = g_strdup (tapi_address_get_name (address));
  data->monitor = monitor;
  data->owner = owner;
  data->media_types = media_types;
  g_task_set_task_data (task, data, (GDestroyNotify) register_data_free);
  tapi_dbus_broker1_call_register_notifications (broker, data->address, monitor,
                                                 owner, media_types,
                                                 cancellable, register_done_cb,
                                                 g_steal_pointer (&task));
}

/**
 * tapi_tapi_register_call_notifications_finish:
 * @self: a [class@Tapi.Tapi]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Tapi.register_call_notifications_async].
 *
 * Returns: the registration id for [method@Tapi.Tapi.unregister_notifications],
 *   or 0 on error
 */
guint
tapi_tapi_register_call_notifications_finish (TapiTapi      *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  gssize id;

  g_return_val_if_fail (TAPI_IS_TAPI (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tapi_tapi_register_call_notifications_async, 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? (guint) id : 0;
}

/**
 * tapi_tapi_register_call_notifications:
 * @self: a [class@Tapi.Tapi]
 * @address: the address to hear about
 * @monitor: whether to get a monitor handle to every call on @address
 * @owner: whether to own incoming calls of @media_types
 * @media_types: the media types to own calls of
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Tapi.register_call_notifications_async]:
 * waits until the application is registered.
 *
 * Returns: the registration id for [method@Tapi.Tapi.unregister_notifications],
 *   or 0 on error
 */
guint
tapi_tapi_register_call_notifications (TapiTapi       *self,
                                       TapiAddress    *address,
                                       gboolean        monitor,
                                       gboolean        owner,
                                       TapiMediaType   media_types,
                                       GError        **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_TAPI (self), 0);
  g_return_val_if_fail (address == NULL || TAPI_IS_ADDRESS (address), 0);

  tapi_sync_call_begin (&sync);
  tapi_tapi_register_call_notifications_async (self, address, monitor, owner,
                                               media_types, NULL,
                                               tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_tapi_register_call_notifications_finish (self, result, error);
}

/**
 * tapi_tapi_unregister_notifications:
 * @self: a [class@Tapi.Tapi]
 * @registration_id: an id from [method@Tapi.Tapi.register_call_notifications]
 * @error: return location for a #GError
 *
 * Ends a registration [ITTAPI::UnregisterNotifications]. Handles the
 * application holds already stay.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_tapi_unregister_notifications (TapiTapi  *self,
                                    guint      registration_id,
                                    GError   **error)
{
  TapiDBusBroker1 *broker;
  Registration *registration = NULL;
  guint index;

  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);

  if (!tapi_tapi_check_initialized (self, error))
    return FALSE;
  for (index = 0; index < self->registrations->len; index++)
    {
      registration = g_ptr_array_index (self->registrations, index);
      if (registration->id == registration_id)
        break;
      registration = NULL;
    }
  if (registration == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "This application has no registration %u", registration_id);
      return FALSE;
    }

  /* A registration the broker did not take again is just forgotten. */
  if (registration->broker_id != 0)
    {
      gboolean ok;

      if (!(broker = tapi_tapi_get_broker (self, error)))
        return FALSE;
      ok = tapi_dbus_broker1_call_unregister_notifications_sync (broker, registration->broker_id,
                                                                 NULL, error);
      tapi_tapi_broker_call_done (self, error);
      if (!ok)
        return FALSE;
    }
  g_ptr_array_remove_index (self->registrations, index);
  return TRUE;
}

static void
set_application_priority_done_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  ok = tapi_dbus_broker1_call_set_application_priority_finish (TAPI_DBUS_BROKER1 (source),
                                                              result, &error);
  tapi_tapi_broker_call_done (g_task_get_source_object (task), &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tapi_tapi_set_application_priority_async:
 * @self: a [class@Tapi.Tapi]
 * @application_name: the application to rank
 * @media_type: exactly one media type
 * @priority: %TRUE to put the application first for @media_type, %FALSE to
 *   take it out of the priority list
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the priority is set
 * @user_data: data for @callback
 *
 * Sets which application gets incoming calls and media-type handoffs of
 * @media_type first [ITTAPI::SetApplicationPriority, lineSetAppPriority].
 * Applications not in the list come after those in it, the first to
 * register first.
 */
void
tapi_tapi_set_application_priority_async (TapiTapi            *self,
                                          const char          *application_name,
                                          TapiMediaType        media_type,
                                          gboolean             priority,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TapiDBusBroker1 *broker;
  GError *error = NULL;

  g_return_if_fail (TAPI_IS_TAPI (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tapi_tapi_set_application_priority_async);
  if (!tapi_tapi_check_initialized (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (application_name == NULL || *application_name == '\0')
    {
      g_task_return_new_error (task, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                               "The application name must not be empty");
      return;
    }
  if (!(broker = tapi_tapi_get_broker (self, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  tapi_dbus_broker1_call_set_application_priority (broker, application_name,
                                                   media_type, priority,
                                                   cancellable,
                                                   set_application_priority_done_cb,
                                                   g_steal_pointer (&task));
}

/**
 * tapi_tapi_set_application_priority_finish:
 * @self: a [class@Tapi.Tapi]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Tapi.set_application_priority_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_tapi_set_application_priority_finish (TapiTapi      *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tapi_tapi_set_application_priority_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tapi_tapi_set_application_priority:
 * @self: a [class@Tapi.Tapi]
 * @application_name: the application to rank
 * @media_type: exactly one media type
 * @priority: %TRUE to put the application first for @media_type, %FALSE to
 *   take it out of the priority list
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Tapi.set_application_priority_async]:
 * waits until the priority is set.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_tapi_set_application_priority (TapiTapi       *self,
                                    const char     *application_name,
                                    TapiMediaType   media_type,
                                    gboolean        priority,
                                    GError        **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_TAPI (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_tapi_set_application_priority_async (self, application_name, media_type,
                                            priority, NULL,
                                            tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_tapi_set_application_priority_finish (self, result, error);
}
