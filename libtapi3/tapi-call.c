/* tapi-call.c: TapiCall, an application's handle of a call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-address-private.h"
#include "tapi-basic-call-control.h"
#include "tapi-call-media-control.h"
#include "tapi-call-private.h"
#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-tapi-private.h"
#include "tapi-media-session.h"
#include "tapi-stream-control.h"
#include "tapi-sync-call-private.h"

/**
 * TapiCall:
 *
 * An application's handle of a call [ITCallInfo].
 *
 * Each application holds its own `TapiCall` for a call: the object is its
 * call handle. It implements [iface@Tapi.BasicCallControl] to control the
 * call and [iface@Tapi.CallMediaControl] for its media.
 *
 * The properties follow the call; every change of state is announced by
 * [signal@Tapi.Call::state-changed] and every change of information by
 * [signal@Tapi.Call::info-changed]. A handle stays readable after the call
 * has ended, until [method@Tapi.Call.release]; from then on, operations on
 * it fail with %TAPI_ERROR_INVALID_CALL_HANDLE.
 */

struct _TapiCall
{
  GObject             parent_instance;

  TapiTapi           *tapi;       /* unowned: the application holds its calls */
  TapiAddress        *address;
  gboolean            released;
  gboolean            shut_down;
  gboolean            orphaned;
  gboolean            media_owner;   /* this owner runs the call's media */
  TapiMediaSession   *media;

  guint               id;
  guint               state;
  guint               state_cause;
  guint               privilege;
  guint               media_types;
  guint               origin;
  guint               related_call_id;
  char               *caller_id_name;
  char               *caller_id_number;
  char               *called_id_name;
  char               *called_id_number;
  char               *connected_id_name;
  char               *connected_id_number;
  char               *redirecting_id_number;
  char               *redirection_id_number;
  guint               number_of_owners;
  guint               number_of_monitors;
  guint               app_specific;
  guint               detected_media_types;
};

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_RELEASED,
  /* From here on, the properties the broker reports (see info_fields). */
  PROP_CALL_ID,
  PROP_STATE,
  PROP_STATE_CAUSE,
  PROP_PRIVILEGE,
  PROP_MEDIA_TYPES,
  PROP_ORIGIN,
  PROP_RELATED_CALL_ID,
  PROP_CALLER_ID_NAME,
  PROP_CALLER_ID_NUMBER,
  PROP_CALLED_ID_NAME,
  PROP_CALLED_ID_NUMBER,
  PROP_CONNECTED_ID_NAME,
  PROP_CONNECTED_ID_NUMBER,
  PROP_REDIRECTING_ID_NUMBER,
  PROP_REDIRECTION_ID_NUMBER,
  PROP_NUMBER_OF_OWNERS,
  PROP_NUMBER_OF_MONITORS,
  PROP_APP_SPECIFIC,
  PROP_DETECTED_MEDIA_TYPES,
  N_PROPS
};

enum {
  STATE_CHANGED,
  INFO_CHANGED,
  MEDIA_EVENT,
  DIGIT_DETECTED,
  MEDIA_DETECTED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum {
  FIELD_UINT,
  FIELD_ENUM,
  FIELD_FLAGS,
  FIELD_STRING,
} FieldKind;

/* The broker's call information: each key is the name of the property it
 * sets, stored at an offset of the instance. */
static const struct
{
  guint      prop;
  FieldKind  kind;
  gsize      offset;
} info_fields[] = {
  { PROP_CALL_ID, FIELD_UINT, G_STRUCT_OFFSET (TapiCall, id) },
  { PROP_STATE, FIELD_ENUM, G_STRUCT_OFFSET (TapiCall, state) },
  { PROP_STATE_CAUSE, FIELD_ENUM, G_STRUCT_OFFSET (TapiCall, state_cause) },
  { PROP_PRIVILEGE, FIELD_ENUM, G_STRUCT_OFFSET (TapiCall, privilege) },
  { PROP_MEDIA_TYPES, FIELD_FLAGS, G_STRUCT_OFFSET (TapiCall, media_types) },
  { PROP_ORIGIN, FIELD_ENUM, G_STRUCT_OFFSET (TapiCall, origin) },
  { PROP_RELATED_CALL_ID, FIELD_UINT, G_STRUCT_OFFSET (TapiCall, related_call_id) },
  { PROP_CALLER_ID_NAME, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, caller_id_name) },
  { PROP_CALLER_ID_NUMBER, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, caller_id_number) },
  { PROP_CALLED_ID_NAME, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, called_id_name) },
  { PROP_CALLED_ID_NUMBER, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, called_id_number) },
  { PROP_CONNECTED_ID_NAME, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, connected_id_name) },
  { PROP_CONNECTED_ID_NUMBER, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, connected_id_number) },
  { PROP_REDIRECTING_ID_NUMBER, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, redirecting_id_number) },
  { PROP_REDIRECTION_ID_NUMBER, FIELD_STRING, G_STRUCT_OFFSET (TapiCall, redirection_id_number) },
  { PROP_NUMBER_OF_OWNERS, FIELD_UINT, G_STRUCT_OFFSET (TapiCall, number_of_owners) },
  { PROP_NUMBER_OF_MONITORS, FIELD_UINT, G_STRUCT_OFFSET (TapiCall, number_of_monitors) },
  { PROP_APP_SPECIFIC, FIELD_UINT, G_STRUCT_OFFSET (TapiCall, app_specific) },
  { PROP_DETECTED_MEDIA_TYPES, FIELD_FLAGS, G_STRUCT_OFFSET (TapiCall, detected_media_types) },
};

static void tapi_call_basic_call_control_init (TapiBasicCallControlInterface *iface);
static void tapi_call_call_media_control_init (TapiCallMediaControlInterface *iface);
static void tapi_call_stream_control_init (TapiStreamControlInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TapiCall, tapi_call, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TAPI_TYPE_BASIC_CALL_CONTROL,
                                                      tapi_call_basic_call_control_init)
                               G_IMPLEMENT_INTERFACE (TAPI_TYPE_CALL_MEDIA_CONTROL,
                                                      tapi_call_call_media_control_init)
                               G_IMPLEMENT_INTERFACE (TAPI_TYPE_STREAM_CONTROL,
                                                      tapi_call_stream_control_init))

static gpointer
field_location (TapiCall *self,
                guint     index)
{
  return G_STRUCT_MEMBER_P (self, info_fields[index].offset);
}

static int
find_info_field (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (info_fields); i++)
    if (g_str_equal (g_param_spec_get_name (props[info_fields[i].prop]), key))
      return i;
  return -1;
}

/* One pass over the broker's dictionary: it comes with every event. */
void
tapi_call_apply_info (TapiCall *self,
                      GVariant *info)
{
  GObject *object = G_OBJECT (self);
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gboolean media_owner = self->media_owner;

  g_object_freeze_notify (object);
  g_variant_iter_init (&iter, info);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      int i = find_info_field (key);

      if (i < 0)
        {
          if (g_str_equal (key, "media-owner") &&
              g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
            self->media_owner = g_variant_get_boolean (value);
        }
      else if (info_fields[i].kind == FIELD_STRING)
        {
          char **field = field_location (self, i);

          if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
              g_strcmp0 (*field, g_variant_get_string (value, NULL)) != 0)
            {
              g_free (*field);
              *field = g_variant_dup_string (value, NULL);
              g_object_notify_by_pspec (object, props[info_fields[i].prop]);
            }
        }
      else
        {
          guint *field = field_location (self, i);

          if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) &&
              *field != g_variant_get_uint32 (value))
            {
              *field = g_variant_get_uint32 (value);
              g_object_notify_by_pspec (object, props[info_fields[i].prop]);
            }
        }
      g_variant_unref (value);
    }
  g_object_thaw_notify (object);

  /* Another owner took the media over, or gave it back. */
  if (media_owner != self->media_owner && self->media != NULL)
    tapi_media_session_update (self->media, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
}

void
tapi_call_emit_state_changed (TapiCall           *self,
                              TapiCallState       state,
                              TapiCallStateCause  cause)
{
  g_object_ref (self);
  g_signal_emit (self, signals[STATE_CHANGED], 0, state, cause);
  if (self->media)
    tapi_media_session_update (self->media, TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST);
  g_object_unref (self);
}

void
tapi_call_emit_info_changed (TapiCall           *self,
                             TapiCallInfoChange  change)
{
  g_object_ref (self);
  g_signal_emit (self, signals[INFO_CHANGED], 0, change);
  if (change == TAPI_CALL_INFO_CHANGE_PRIVILEGE && self->media)
    tapi_media_session_update (self->media, TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  g_object_unref (self);
}

static void
session_media_event_cb (TapiMediaSession   *session,
                        TapiCallMediaEvent  event,
                        TapiCallMediaCause  cause,
                        TapiStream         *stream,
                        TapiTerminal       *terminal,
                        TapiCall           *self)
{
  TapiDBusBroker1 *broker;

  g_signal_emit (self, signals[MEDIA_EVENT], 0, event, cause, stream, terminal);

  /* The call's monitors learn what the owner's media does. Nothing waits
   * for the report (without a callback, no reply is asked for), and
   * nothing is lost for the owner when it fails. */
  if (self->privilege == TAPI_CALL_PRIVILEGE_OWNER && !self->released && !self->orphaned &&
      stream != NULL && (broker = tapi_tapi_get_broker (self->tapi, NULL)))
    tapi_dbus_broker1_call_report_media_event (broker, self->id, event, cause,
                                               tapi_stream_get_direction (stream),
                                               NULL, NULL, NULL);
}

/* Reported by the broker for a monitor handle: the owner's stream of
 * @direction had @event. */
void
tapi_call_relay_media_event (TapiCall           *self,
                             TapiCallMediaEvent  event,
                             TapiCallMediaCause  cause,
                             guint               direction)
{
  GListModel *streams;

  if (self->privilege != TAPI_CALL_PRIVILEGE_MONITOR || self->media == NULL)
    return;
  streams = tapi_media_session_get_streams (self->media);
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      if ((guint) tapi_stream_get_direction (stream) == direction)
        {
          g_signal_emit (self, signals[MEDIA_EVENT], 0, event, cause, stream, NULL);
          return;
        }
    }
}

/* A digit the owner's media carried, for the monitors. */
static void
session_digit_received_cb (TapiMediaSession *session,
                           guint             digit,
                           TapiCall         *self)
{
  TapiDBusBroker1 *broker;

  if (self->privilege == TAPI_CALL_PRIVILEGE_OWNER && !self->released && !self->orphaned &&
      (broker = tapi_tapi_get_broker (self->tapi, NULL)))
    tapi_dbus_broker1_call_report_digit (broker, self->id, (guint32) digit, NULL, NULL, NULL);
}

static void
session_digit_detected_cb (TapiMediaSession *session,
                           guint             digit,
                           TapiDigitMode     mode,
                           TapiCall         *self)
{
  g_signal_emit (self, signals[DIGIT_DETECTED], 0, digit, mode);
}

static void
session_media_detected_cb (TapiMediaSession *session,
                           TapiMediaType     media_type,
                           TapiCall         *self)
{
  if ((self->detected_media_types & media_type) == media_type)
    return;
  self->detected_media_types |= media_type;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DETECTED_MEDIA_TYPES]);
  g_signal_emit (self, signals[MEDIA_DETECTED], 0, media_type);
}

void
tapi_call_digit_received (TapiCall *self,
                          char      digit)
{
  if (self->media && !self->released)
    tapi_media_session_digit_received (self->media, digit);
}

void
tapi_call_set_media (TapiCall *self,
                     GVariant *media)
{
  if (self->media)
    tapi_media_session_set_media (self->media, media);
}

void
tapi_call_mark_released (TapiCall *self,
                         gboolean  by_shutdown)
{
  if (self->released)
    return;
  self->released = TRUE;
  self->shut_down = by_shutdown;
  if (self->media)
    tapi_media_session_close (self->media);
  self->tapi = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RELEASED]);
}

/* The broker that held the call stopped: the call is over, and the
 * handle only stays readable until the application releases it. */
void
tapi_call_mark_orphaned (TapiCall *self)
{
  g_autoptr(TapiCall) keep = g_object_ref (self);
  gboolean live = self->state != TAPI_CALL_STATE_IDLE &&
                  self->state != TAPI_CALL_STATE_DISCONNECTED;

  if (self->orphaned || self->released)
    return;
  self->orphaned = TRUE;
  if (!live)
    return;

  self->state = TAPI_CALL_STATE_DISCONNECTED;
  self->state_cause = TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE_CAUSE]);
  tapi_call_emit_state_changed (self, self->state, self->state_cause);
}

static gboolean
check_usable (TapiCall  *self,
              GError   **error)
{
  if (self->shut_down)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_INITIALIZED,
                   "The application of call %u was shut down", self->id);
      return FALSE;
    }
  if (self->released)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                   "The handle of call %u was released", self->id);
      return FALSE;
    }
  if (!tapi_tapi_check_initialized (self->tapi, error))
    return FALSE;
  if (self->orphaned)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_SERVICE_NOT_RUNNING,
                   "The telephony broker that held call %u stopped", self->id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_owner (TapiCall  *self,
             GError   **error)
{
  if (!check_usable (self, error))
    return FALSE;
  if (self->privilege != TAPI_CALL_PRIVILEGE_OWNER)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_OWNER,
                   "This application only monitors call %u", self->id);
      return FALSE;
    }
  return TRUE;
}

/* The media session */

static gboolean
session_runs_media (gpointer user_data)
{
  TapiCall *self = user_data;

  return !self->released && self->privilege == TAPI_CALL_PRIVILEGE_OWNER &&
         self->media_owner;
}

static gboolean
session_is_connected (gpointer user_data)
{
  TapiCall *self = user_data;

  return self->state == TAPI_CALL_STATE_CONNECTED;
}

static gboolean
session_check_owner (gpointer   user_data,
                     GError   **error)
{
  return check_owner (user_data, error);
}

static gboolean
session_fetch_media_async (gpointer             user_data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             callback_data)
{
  TapiCall *self = user_data;

  if (self->tapi == NULL)
    return FALSE;
  tapi_tapi_get_media_async (self->tapi, self->id, cancellable, callback, callback_data);
  return TRUE;
}

static gboolean
session_fetch_media_finish (GObject       *source,
                            GAsyncResult  *result,
                            GVariant     **media,
                            GSocket      **rtp_socket,
                            GSocket      **rtcp_socket,
                            GError       **error)
{
  return tapi_tapi_get_media_finish (TAPI_TAPI (source), result, media,
                                     rtp_socket, rtcp_socket, error);
}

static const TapiMediaSessionCallbacks session_callbacks = {
  .runs_media = session_runs_media,
  .is_connected = session_is_connected,
  .check_owner = session_check_owner,
  .fetch_media_async = session_fetch_media_async,
  .fetch_media_finish = session_fetch_media_finish,
};

TapiCall *
tapi_call_new (TapiTapi    *tapi,
               TapiAddress *address,
               GVariant    *info)
{
  TapiCall *self = g_object_new (TAPI_TYPE_CALL, NULL);

  self->tapi = tapi;
  self->address = g_object_ref (address);
  tapi_call_apply_info (self, info);
  self->media = tapi_media_session_new (self, self->id, tapi_tapi_get_context (tapi),
                                        &session_callbacks, self);
  g_signal_connect (self->media, "media-event",
                    G_CALLBACK (session_media_event_cb), self);
  g_signal_connect (self->media, "digit-received",
                    G_CALLBACK (session_digit_received_cb), self);
  g_signal_connect (self->media, "digit-detected",
                    G_CALLBACK (session_digit_detected_cb), self);
  g_signal_connect (self->media, "media-detected",
                    G_CALLBACK (session_media_detected_cb), self);
  return self;
}

static gboolean
check_feature (TapiCall          *self,
               TapiCallFeatures   feature,
               GError           **error)
{
  if ((tapi_address_get_call_features (self->address) & feature) == 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "Address %s does not support this operation",
                   tapi_address_get_name (self->address));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_connected (TapiCall  *self,
                 GError   **error)
{
  if (self->state != TAPI_CALL_STATE_CONNECTED)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is not connected", self->id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_same_application (TapiCall  *self,
                        TapiCall  *other,
                        GError   **error)
{
  if (other == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                           "No second call was given");
      return FALSE;
    }
  if (!TAPI_IS_CALL (other) || other->tapi != self->tapi || other->released)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                           "The second call is not a handle of this application");
      return FALSE;
    }
  return TRUE;
}

/* The generated _finish of a broker method without results. */
typedef gboolean (*BrokerFinishFunc) (TapiDBusBroker1  *broker,
                                      GAsyncResult     *result,
                                      GError          **error);

/* The application is held while the method runs (the call may lose it
 * meanwhile), and no longer: a result kept by the caller must not keep
 * the application alive. */
typedef struct
{
  TapiTapi         *tapi;
  BrokerFinishFunc  finish;
} Operation;

static void
operation_free (Operation *operation)
{
  g_clear_object (&operation->tapi);
  g_free (operation);
}

/* Dispatches the broker's signals sent before its reply, and lets the
 * application go. */
static void
operation_reply_done (Operation  *operation,
                      GError    **error)
{
  g_autoptr(TapiTapi) tapi = g_steal_pointer (&operation->tapi);

  tapi_tapi_broker_call_done (tapi, error);
}

/* Every operation is one broker method on this call. Returns the task to
 * complete with the method's reply, and the broker to call; or NULL when
 * the handle cannot be used, and the task has failed already. */
static GTask *
operation_new (TapiCall             *self,
               gpointer              source_tag,
               BrokerFinishFunc      finish,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data,
               TapiDBusBroker1     **broker)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  Operation *operation;

  g_task_set_source_tag (task, source_tag);
  if (!check_usable (self, &error) ||
      !(*broker = tapi_tapi_get_broker (self->tapi, &error)))
    {
      g_task_return_error (task, error);
      return NULL;
    }

  operation = g_new0 (Operation, 1);
  operation->tapi = g_object_ref (self->tapi);
  operation->finish = finish;
  g_task_set_task_data (task, operation, (GDestroyNotify) operation_free);
  return g_steal_pointer (&task);
}

static void
operation_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(TapiTapi) tapi = g_object_ref (operation->tapi);
  GError *error = NULL;
  gboolean ok;

  ok = operation->finish (TAPI_DBUS_BROKER1 (source), result, &error);
  operation_reply_done (operation, &error);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A released handle leaves the application once the broker agreed. */
  if (g_task_get_source_tag (task) == tapi_call_release_async)
    tapi_tapi_remove_call (tapi, g_task_get_source_object (task), FALSE);
  g_task_return_boolean (task, TRUE);
}

static gboolean
call_operation_finish (TapiCall      *self,
                       GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* TapiBasicCallControl */

static void
tapi_call_connect_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_connect_async,
                        tapi_dbus_broker1_call_connect_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_connect (broker, self->id, cancellable,
                                    operation_done_cb, task);
}

static gboolean
tapi_call_connect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_connect_async, error);
}

static void
tapi_call_answer_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_answer_async, tapi_dbus_broker1_call_answer_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_answer (broker, self->id, cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_answer_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result, tapi_call_answer_async, error);
}

static void
tapi_call_disconnect_async (TapiBasicCallControl *control,
    TapiDisconnectCode code,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_disconnect_async,
                        tapi_dbus_broker1_call_disconnect_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_disconnect (broker, self->id, code, cancellable,
                                       operation_done_cb, task);
}

static gboolean
tapi_call_disconnect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_disconnect_async, error);
}

static void
tapi_call_hold_async (TapiBasicCallControl *control,
    gboolean hold,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_hold_async, tapi_dbus_broker1_call_hold_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_hold (broker, self->id, hold, cancellable,
                                 operation_done_cb, task);
}

static gboolean
tapi_call_hold_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result, tapi_call_hold_async, error);
}

static void
tapi_call_handoff_direct_async (TapiBasicCallControl *control,
    const char *application_name,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_handoff_direct_async,
                        tapi_dbus_broker1_call_handoff_direct_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_handoff_direct (broker, self->id,
                                           application_name ? application_name : "",
                                           cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_handoff_direct_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_handoff_direct_async, error);
}

static void
tapi_call_handoff_indirect_async (TapiBasicCallControl *control,
    TapiMediaType media_type,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_handoff_indirect_async,
                        tapi_dbus_broker1_call_handoff_indirect_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_handoff_indirect (broker, self->id, media_type, cancellable,
                                             operation_done_cb, task);
}

static gboolean
tapi_call_handoff_indirect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_handoff_indirect_async, error);
}

static void
tapi_call_blind_transfer_async (TapiBasicCallControl *control,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_blind_transfer_async,
                        tapi_dbus_broker1_call_blind_transfer_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_blind_transfer (broker, self->id,
                                           destination ? destination : "",
                                           cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_blind_transfer_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_blind_transfer_async, error);
}

static void
tapi_call_transfer_async (TapiBasicCallControl *control,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;
  GError *error = NULL;

  if (!check_same_application (self, consultation_call, &error))
    {
      g_task_report_error (self, callback, user_data, tapi_call_transfer_async, error);
      return;
    }
  task = operation_new (self, tapi_call_transfer_async,
                        tapi_dbus_broker1_call_transfer_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_transfer (broker, self->id, consultation_call->id,
                                     cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_transfer_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_transfer_async, error);
}

static void
tapi_call_conference_async (TapiBasicCallControl *control,
    TapiCall *consultation_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;
  GError *error = NULL;

  if (!check_same_application (self, consultation_call, &error))
    {
      g_task_report_error (self, callback, user_data, tapi_call_conference_async, error);
      return;
    }
  task = operation_new (self, tapi_call_conference_async,
                        tapi_dbus_broker1_call_conference_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_conference (broker, self->id, consultation_call->id,
                                       cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_conference_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_conference_async, error);
}

static void
tapi_call_finish_async (TapiBasicCallControl *control,
    TapiFinishMode finish_mode,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_finish_async, tapi_dbus_broker1_call_finish_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_finish (broker, self->id, finish_mode, cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_finish_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result, tapi_call_finish_async, error);
}

static void
tapi_call_swap_hold_async (TapiBasicCallControl *control,
    TapiCall *held_call,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;
  GError *error = NULL;

  if (!check_same_application (self, held_call, &error))
    {
      g_task_report_error (self, callback, user_data, tapi_call_swap_hold_async, error);
      return;
    }
  task = operation_new (self, tapi_call_swap_hold_async,
                        tapi_dbus_broker1_call_swap_hold_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_swap_hold (broker, self->id, held_call->id,
                                      cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_swap_hold_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_swap_hold_async, error);
}

static void
tapi_call_park_direct_async (TapiBasicCallControl *control,
    const char *park_address,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_park_direct_async,
                        tapi_dbus_broker1_call_park_direct_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_park_direct (broker, self->id,
                                        park_address ? park_address : "",
                                        cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_park_direct_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_park_direct_async, error);
}

static void
park_indirect_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *operation = g_task_get_task_data (task);
  GError *error = NULL;
  char *park_address = NULL;

  tapi_dbus_broker1_call_park_indirect_finish (TAPI_DBUS_BROKER1 (source), &park_address,
                                               result, &error);
  operation_reply_done (operation, &error);
  if (park_address != NULL)
    g_task_return_pointer (task, park_address, g_free);
  else
    g_task_return_error (task, error);
}

static void
tapi_call_park_indirect_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_park_indirect_async, NULL,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_park_indirect (broker, self->id, cancellable,
                                          park_indirect_done_cb, task);
}

static char *
tapi_call_park_indirect_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, control), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tapi_call_park_indirect_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tapi_call_unpark_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_unpark_async, tapi_dbus_broker1_call_unpark_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_unpark (broker, self->id, cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_unpark_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result, tapi_call_unpark_async, error);
}

static void
tapi_call_pickup_async (TapiBasicCallControl *control,
    const char *group_id,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_pickup_async, tapi_dbus_broker1_call_pickup_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_pickup (broker, self->id, group_id ? group_id : "", cancellable,
                                   operation_done_cb, task);
}

static gboolean
tapi_call_pickup_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result, tapi_call_pickup_async, error);
}

static void
tapi_call_dial_async (TapiBasicCallControl *control,
    const char *destination,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_dial_async, tapi_dbus_broker1_call_dial_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_dial (broker, self->id,
                                 destination ? destination : "",
                                 cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_dial_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result, tapi_call_dial_async, error);
}

static void
tapi_call_remove_from_conference_async (TapiBasicCallControl *control,
    GCancellable *cancellable,
    GAsyncReadyCallback callback,
    gpointer user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_remove_from_conference_async,
                        tapi_dbus_broker1_call_remove_from_conference_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_remove_from_conference (broker, self->id, cancellable,
                                                   operation_done_cb, task);
}

static gboolean
tapi_call_remove_from_conference_finish (TapiBasicCallControl *control,
    GAsyncResult *result,
    GError **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_remove_from_conference_async, error);
}

static void
tapi_call_basic_call_control_init (TapiBasicCallControlInterface *iface)
{
  iface->connect_async = tapi_call_connect_async;
  iface->connect_finish = tapi_call_connect_finish;
  iface->answer_async = tapi_call_answer_async;
  iface->answer_finish = tapi_call_answer_finish;
  iface->disconnect_async = tapi_call_disconnect_async;
  iface->disconnect_finish = tapi_call_disconnect_finish;
  iface->hold_async = tapi_call_hold_async;
  iface->hold_finish = tapi_call_hold_finish;
  iface->handoff_direct_async = tapi_call_handoff_direct_async;
  iface->handoff_direct_finish = tapi_call_handoff_direct_finish;
  iface->handoff_indirect_async = tapi_call_handoff_indirect_async;
  iface->handoff_indirect_finish = tapi_call_handoff_indirect_finish;
  iface->blind_transfer_async = tapi_call_blind_transfer_async;
  iface->blind_transfer_finish = tapi_call_blind_transfer_finish;
  iface->transfer_async = tapi_call_transfer_async;
  iface->transfer_finish = tapi_call_transfer_finish;
  iface->conference_async = tapi_call_conference_async;
  iface->conference_finish = tapi_call_conference_finish;
  iface->finish_async = tapi_call_finish_async;
  iface->finish_finish = tapi_call_finish_finish;
  iface->swap_hold_async = tapi_call_swap_hold_async;
  iface->swap_hold_finish = tapi_call_swap_hold_finish;
  iface->park_direct_async = tapi_call_park_direct_async;
  iface->park_direct_finish = tapi_call_park_direct_finish;
  iface->park_indirect_async = tapi_call_park_indirect_async;
  iface->park_indirect_finish = tapi_call_park_indirect_finish;
  iface->unpark_async = tapi_call_unpark_async;
  iface->unpark_finish = tapi_call_unpark_finish;
  iface->pickup_async = tapi_call_pickup_async;
  iface->pickup_finish = tapi_call_pickup_finish;
  iface->dial_async = tapi_call_dial_async;
  iface->dial_finish = tapi_call_dial_finish;
  iface->remove_from_conference_async = tapi_call_remove_from_conference_async;
  iface->remove_from_conference_finish = tapi_call_remove_from_conference_finish;
}
/* TapiCallMediaControl */

static void
tapi_call_set_media_type_async (TapiCallMediaControl *control,
                                TapiMediaType         media_type,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_set_media_type_async,
                        tapi_dbus_broker1_call_set_media_type_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_set_media_type (broker, self->id, media_type,
                                           cancellable, operation_done_cb, task);
}

static gboolean
tapi_call_set_media_type_finish (TapiCallMediaControl  *control,
                                 GAsyncResult          *result,
                                 GError               **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_set_media_type_async, error);
}

static gboolean
check_digit_mode (TapiDigitMode   mode,
                  gboolean        allow_none,
                  GError        **error)
{
  if (mode == 0 && allow_none)
    return TRUE;
  if (mode & TAPI_DIGIT_MODE_PULSE)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                           "Pulse digits are not supported on IP calls");
      return FALSE;
    }
  if (mode == 0 || (mode & ~(TAPI_DIGIT_MODE_DTMF | TAPI_DIGIT_MODE_DTMF_END)) != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "0x%x is not a digit mode", mode);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tapi_call_generate_digits (TapiCallMediaControl  *control,
                           const char            *digits,
                           TapiDigitMode          mode,
                           GError               **error)
{
  TapiCall *self = TAPI_CALL (control);

  return check_owner (self, error) &&
         check_feature (self, TAPI_CALL_FEATURES_GENERATE_DIGITS, error) &&
         check_digit_mode (mode, FALSE, error) &&
         check_connected (self, error) &&
         tapi_media_session_generate_digits (self->media, digits, error);
}

static gboolean
tapi_call_detect_digits (TapiCallMediaControl  *control,
                         TapiDigitMode          mode,
                         GError               **error)
{
  TapiCall *self = TAPI_CALL (control);

  /* Monitors may watch digits too (lineMonitorDigits). */
  if (!check_usable (self, error) ||
      !check_feature (self, TAPI_CALL_FEATURES_DETECT_DIGITS, error) ||
      !check_digit_mode (mode, TRUE, error))
    return FALSE;
  tapi_media_session_set_detect_digits (self->media, mode);
  return TRUE;
}

static gboolean
tapi_call_monitor_media (TapiCallMediaControl  *control,
                         TapiMediaType          media_types,
                         GError               **error)
{
  TapiCall *self = TAPI_CALL (control);

  if (!check_owner (self, error) ||
      !check_feature (self, TAPI_CALL_FEATURES_MONITOR_MEDIA, error))
    return FALSE;
  if ((media_types & ~(TAPI_MEDIA_TYPE_G3FAX | TAPI_MEDIA_TYPE_DATAMODEM)) != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "Only fax (G3FAX) and modem (DATAMODEM) tones are detected, not 0x%x",
                   media_types);
      return FALSE;
    }
  tapi_media_session_set_monitor_media (self->media, media_types);
  return TRUE;
}

static void
tapi_call_call_media_control_init (TapiCallMediaControlInterface *iface)
{
  iface->set_media_type_async = tapi_call_set_media_type_async;
  iface->set_media_type_finish = tapi_call_set_media_type_finish;
  iface->generate_digits = tapi_call_generate_digits;
  iface->detect_digits = tapi_call_detect_digits;
  iface->monitor_media = tapi_call_monitor_media;
}

/* TapiStreamControl */

static GListModel *
tapi_call_get_streams (TapiStreamControl *control)
{
  return tapi_media_session_get_streams (TAPI_CALL (control)->media);
}

static TapiStream *
tapi_call_create_stream (TapiStreamControl      *control,
                         TapiMediaType           media_type,
                         TapiTerminalDirection   direction,
                         GError                **error)
{
  TapiCall *self = TAPI_CALL (control);

  if (!check_owner (self, error))
    return NULL;
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
               "The %s provider gives each call one audio stream each way",
               tapi_address_get_provider_name (self->address));
  return NULL;
}

static gboolean
tapi_call_remove_stream (TapiStreamControl  *control,
                         TapiStream         *stream,
                         GError            **error)
{
  TapiCall *self = TAPI_CALL (control);
  guint position;

  if (!check_owner (self, error))
    return FALSE;
  if (stream == NULL ||
      !g_list_store_find (G_LIST_STORE (tapi_media_session_get_streams (self->media)),
                          stream, &position))
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_STREAM,
                           "The stream does not belong to this call");
      return FALSE;
    }
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
               "The %s provider does not remove the streams of a call",
               tapi_address_get_provider_name (self->address));
  return FALSE;
}

static void
tapi_call_stream_control_init (TapiStreamControlInterface *iface)
{
  iface->get_streams = tapi_call_get_streams;
  iface->create_stream = tapi_call_create_stream;
  iface->remove_stream = tapi_call_remove_stream;
}

/* GObject */

static void
tapi_call_dispose (GObject *object)
{
  TapiCall *self = TAPI_CALL (object);

  if (self->media)
    {
      tapi_media_session_close (self->media);
      g_signal_handlers_disconnect_by_data (self->media, self);
    }
  g_clear_object (&self->media);

  G_OBJECT_CLASS (tapi_call_parent_class)->dispose (object);
}

static void
tapi_call_finalize (GObject *object)
{
  TapiCall *self = TAPI_CALL (object);

  g_clear_object (&self->address);
  for (guint i = 0; i < G_N_ELEMENTS (info_fields); i++)
    if (info_fields[i].kind == FIELD_STRING)
      g_free (*(char **) field_location (self, i));

  G_OBJECT_CLASS (tapi_call_parent_class)->finalize (object);
}

static void
tapi_call_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TapiCall *self = TAPI_CALL (object);

  if (prop_id == PROP_ADDRESS)
    {
      g_value_set_object (value, self->address);
      return;
    }
  if (prop_id == PROP_RELEASED)
    {
      g_value_set_boolean (value, self->released);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (info_fields); i++)
    {
      if (info_fields[i].prop != prop_id)
        continue;
      switch (info_fields[i].kind)
        {
        case FIELD_UINT:
          g_value_set_uint (value, *(guint *) field_location (self, i));
          break;
        case FIELD_ENUM:
          g_value_set_enum (value, *(guint *) field_location (self, i));
          break;
        case FIELD_FLAGS:
          g_value_set_flags (value, *(guint *) field_location (self, i));
          break;
        case FIELD_STRING:
        default:
          g_value_set_string (value, *(char **) field_location (self, i));
          break;
        }
      return;
    }
  G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tapi_call_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TapiCall *self = TAPI_CALL (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_APP_SPECIFIC:
      if (!tapi_call_set_app_specific (self, g_value_get_uint (value), &error))
        g_warning ("Could not set app-specific of call %u: %s", self->id, error->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
tapi_call_class_init (TapiCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tapi_call_dispose;
  object_class->finalize = tapi_call_finalize;
  object_class->get_property = tapi_call_get_property;
  object_class->set_property = tapi_call_set_property;

  /**
   * TapiCall:address:
   *
   * The address the call is on.
   */
  props[PROP_ADDRESS] =
    g_param_spec_object ("address", NULL, NULL, TAPI_TYPE_ADDRESS, READABLE);

  /**
   * TapiCall:released:
   *
   * Whether this handle was released, by [method@Tapi.Call.release] or by
   * [method@Tapi.Tapi.shutdown]. A released handle stays readable.
   */
  props[PROP_RELEASED] =
    g_param_spec_boolean ("released", NULL, NULL, FALSE, READABLE);

  /**
   * TapiCall:call-id:
   *
   * The call's id, the same for every application's handle of it.
   */
  props[PROP_CALL_ID] =
    g_param_spec_uint ("call-id", NULL, NULL, 0, G_MAXUINT, 0, READABLE);

  /**
   * TapiCall:state:
   *
   * The call's state.
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TAPI_TYPE_CALL_STATE,
                       TAPI_CALL_STATE_IDLE, READABLE);

  /**
   * TapiCall:state-cause:
   *
   * Why the call entered its state.
   */
  props[PROP_STATE_CAUSE] =
    g_param_spec_enum ("state-cause", NULL, NULL, TAPI_TYPE_CALL_STATE_CAUSE,
                       TAPI_CALL_STATE_CAUSE_NONE, READABLE);

  /**
   * TapiCall:privilege:
   *
   * This application's privilege on the call.
   */
  props[PROP_PRIVILEGE] =
    g_param_spec_enum ("privilege", NULL, NULL, TAPI_TYPE_CALL_PRIVILEGE,
                       TAPI_CALL_PRIVILEGE_OWNER, READABLE);

  /**
   * TapiCall:media-types:
   *
   * The media types of the call, as set by its creator or by
   * [method@Tapi.CallMediaControl.set_media_type].
   */
  props[PROP_MEDIA_TYPES] =
    g_param_spec_flags ("media-types", NULL, NULL, TAPI_TYPE_MEDIA_TYPE, 0, READABLE);

  /**
   * TapiCall:origin:
   *
   * Where the call came from.
   */
  props[PROP_ORIGIN] =
    g_param_spec_enum ("origin", NULL, NULL, TAPI_TYPE_CALL_ORIGIN,
                       TAPI_CALL_ORIGIN_OUTBOUND, READABLE);

  /**
   * TapiCall:related-call-id:
   *
   * For a consultation call, the id of the call it consults about; else 0.
   */
  props[PROP_RELATED_CALL_ID] =
    g_param_spec_uint ("related-call-id", NULL, NULL, 0, G_MAXUINT, 0, READABLE);

  /**
   * TapiCall:caller-id-name:
   *
   * The name of the calling party.
   */
  props[PROP_CALLER_ID_NAME] =
    g_param_spec_string ("caller-id-name", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:caller-id-number:
   *
   * The number of the calling party.
   */
  props[PROP_CALLER_ID_NUMBER] =
    g_param_spec_string ("caller-id-number", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:called-id-name:
   *
   * The name of the called party.
   */
  props[PROP_CALLED_ID_NAME] =
    g_param_spec_string ("called-id-name", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:called-id-number:
   *
   * The number that was called.
   */
  props[PROP_CALLED_ID_NUMBER] =
    g_param_spec_string ("called-id-number", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:connected-id-name:
   *
   * The name of the party the call is connected to.
   */
  props[PROP_CONNECTED_ID_NAME] =
    g_param_spec_string ("connected-id-name", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:connected-id-number:
   *
   * The number of the party the call is connected to; after a transfer,
   * the party it was transferred to.
   */
  props[PROP_CONNECTED_ID_NUMBER] =
    g_param_spec_string ("connected-id-number", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:redirecting-id-number:
   *
   * The number that redirected the call here (for example by a transfer).
   */
  props[PROP_REDIRECTING_ID_NUMBER] =
    g_param_spec_string ("redirecting-id-number", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:redirection-id-number:
   *
   * The number the call was redirected to.
   */
  props[PROP_REDIRECTION_ID_NUMBER] =
    g_param_spec_string ("redirection-id-number", NULL, NULL, NULL, READABLE);

  /**
   * TapiCall:number-of-owners:
   *
   * How many applications own the call.
   */
  props[PROP_NUMBER_OF_OWNERS] =
    g_param_spec_uint ("number-of-owners", NULL, NULL, 0, G_MAXUINT, 0, READABLE);

  /**
   * TapiCall:number-of-monitors:
   *
   * How many applications monitor the call.
   */
  props[PROP_NUMBER_OF_MONITORS] =
    g_param_spec_uint ("number-of-monitors", NULL, NULL, 0, G_MAXUINT, 0, READABLE);

  /**
   * TapiCall:app-specific:
   *
   * A value owners may set for every application to read. Setting it as a
   * property logs a warning on failure; use
   * [method@Tapi.Call.set_app_specific] to get the error.
   */
  props[PROP_APP_SPECIFIC] =
    g_param_spec_uint ("app-specific", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiCall:detected-media-types:
   *
   * The media types detected on the call by media monitoring.
   */
  props[PROP_DETECTED_MEDIA_TYPES] =
    g_param_spec_flags ("detected-media-types", NULL, NULL, TAPI_TYPE_MEDIA_TYPE, 0, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * TapiCall::state-changed:
   * @self: the call
   * @state: the new state
   * @cause: why
   *
   * The call changed state [ITCallStateEvent]. The properties are up to
   * date when it is emitted.
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAPI_TYPE_CALL_STATE, TAPI_TYPE_CALL_STATE_CAUSE);

  /**
   * TapiCall::info-changed:
   * @self: the call
   * @change: what changed
   *
   * The call's information changed [ITCallInfoChangeEvent]; the
   * properties are up to date when it is emitted.
   */
  signals[INFO_CHANGED] =
    g_signal_new ("info-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAPI_TYPE_CALL_INFO_CHANGE);

  /**
   * TapiCall::media-event:
   * @self: the call
   * @event: what happened
   * @cause: why
   * @stream: (nullable): the stream concerned
   * @terminal: (nullable): the terminal concerned
   *
   * Something happened to the call's media [ITCallMediaEvent]: a stream
   * started or stopped moving media, or a stream or terminal failed.
   */
  signals[MEDIA_EVENT] =
    g_signal_new ("media-event", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, TAPI_TYPE_CALL_MEDIA_EVENT, TAPI_TYPE_CALL_MEDIA_CAUSE,
                  TAPI_TYPE_STREAM, TAPI_TYPE_TERMINAL);

  /**
   * TapiCall::digit-detected:
   * @self: the call
   * @digit: the digit, as its character (`'0'`–`'9'`, `'*'`, `'#'`, `'A'`–`'D'`)
   * @mode: how it was detected
   *
   * The remote party sent a digit, while digit detection is on
   * ([method@Tapi.CallMediaControl.detect_digits]). Digits arrive in order.
   */
  signals[DIGIT_DETECTED] =
    g_signal_new ("digit-detected", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, TAPI_TYPE_DIGIT_MODE);

  /**
   * TapiCall::media-detected:
   * @self: the call
   * @media_type: the media type found
   *
   * Media monitoring ([method@Tapi.CallMediaControl.monitor_media]) found
   * a media type in what the remote party sends, such as a fax calling
   * tone.
   */
  signals[MEDIA_DETECTED] =
    g_signal_new ("media-detected", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAPI_TYPE_MEDIA_TYPE);
}

static void
tapi_call_init (TapiCall *self)
{
}
/* Public API */

/**
 * tapi_call_get_address:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:address].
 *
 * Returns: (transfer none): the address
 */
TapiAddress *
tapi_call_get_address (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->address;
}

/**
 * tapi_call_get_state:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:state].
 *
 * Returns: the state
 */
TapiCallState
tapi_call_get_state (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), TAPI_CALL_STATE_IDLE);

  return (TapiCallState) self->state;
}

/**
 * tapi_call_get_state_cause:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:state-cause].
 *
 * Returns: the state cause
 */
TapiCallStateCause
tapi_call_get_state_cause (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), TAPI_CALL_STATE_CAUSE_NONE);

  return (TapiCallStateCause) self->state_cause;
}

/**
 * tapi_call_get_privilege:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:privilege].
 *
 * Returns: the privilege
 */
TapiCallPrivilege
tapi_call_get_privilege (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), TAPI_CALL_PRIVILEGE_MONITOR);

  return (TapiCallPrivilege) self->privilege;
}

/**
 * tapi_call_get_media_types:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:media-types].
 *
 * Returns: the media types
 */
TapiMediaType
tapi_call_get_media_types (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return (TapiMediaType) self->media_types;
}

/**
 * tapi_call_get_origin:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:origin].
 *
 * Returns: the origin
 */
TapiCallOrigin
tapi_call_get_origin (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), TAPI_CALL_ORIGIN_OUTBOUND);

  return (TapiCallOrigin) self->origin;
}

/**
 * tapi_call_get_call_id:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:call-id].
 *
 * Returns: the call id
 */
guint
tapi_call_get_call_id (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return self->id;
}

/**
 * tapi_call_get_related_call_id:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:related-call-id].
 *
 * Returns: the related call id
 */
guint
tapi_call_get_related_call_id (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return self->related_call_id;
}

/**
 * tapi_call_get_caller_id_name:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:caller-id-name].
 *
 * Returns: (nullable): the caller id name
 */
const char *
tapi_call_get_caller_id_name (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->caller_id_name;
}

/**
 * tapi_call_get_caller_id_number:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:caller-id-number].
 *
 * Returns: (nullable): the caller id number
 */
const char *
tapi_call_get_caller_id_number (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->caller_id_number;
}

/**
 * tapi_call_get_called_id_name:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:called-id-name].
 *
 * Returns: (nullable): the called id name
 */
const char *
tapi_call_get_called_id_name (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->called_id_name;
}

/**
 * tapi_call_get_called_id_number:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:called-id-number].
 *
 * Returns: (nullable): the called id number
 */
const char *
tapi_call_get_called_id_number (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->called_id_number;
}

/**
 * tapi_call_get_connected_id_name:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:connected-id-name].
 *
 * Returns: (nullable): the connected id name
 */
const char *
tapi_call_get_connected_id_name (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->connected_id_name;
}

/**
 * tapi_call_get_connected_id_number:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:connected-id-number].
 *
 * Returns: (nullable): the connected id number
 */
const char *
tapi_call_get_connected_id_number (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->connected_id_number;
}

/**
 * tapi_call_get_redirecting_id_number:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:redirecting-id-number].
 *
 * Returns: (nullable): the redirecting id number
 */
const char *
tapi_call_get_redirecting_id_number (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->redirecting_id_number;
}

/**
 * tapi_call_get_redirection_id_number:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:redirection-id-number].
 *
 * Returns: (nullable): the redirection id number
 */
const char *
tapi_call_get_redirection_id_number (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), NULL);

  return self->redirection_id_number;
}

/**
 * tapi_call_get_number_of_owners:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:number-of-owners].
 *
 * Returns: the number of owners
 */
guint
tapi_call_get_number_of_owners (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return self->number_of_owners;
}

/**
 * tapi_call_get_number_of_monitors:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:number-of-monitors].
 *
 * Returns: the number of monitors
 */
guint
tapi_call_get_number_of_monitors (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return self->number_of_monitors;
}

/**
 * tapi_call_get_app_specific:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:app-specific].
 *
 * Returns: the app specific
 */
guint
tapi_call_get_app_specific (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return self->app_specific;
}

/**
 * tapi_call_get_detected_media_types:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:detected-media-types].
 *
 * Returns: the detected media types
 */
TapiMediaType
tapi_call_get_detected_media_types (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), 0);

  return (TapiMediaType) self->detected_media_types;
}

/**
 * tapi_call_get_released:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:released].
 *
 * Returns: the released
 */
gboolean
tapi_call_get_released (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), TRUE);

  return self->released;
}

/**
 * tapi_call_set_app_specific_async:
 * @self: a [class@Tapi.Call]
 * @app_specific: the value
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the broker has set the value
 * @user_data: data for @callback
 *
 * Sets [property@Tapi.Call:app-specific], which every application with a
 * handle sees. Only owners may set it: monitors get %TAPI_ERROR_NOT_OWNER.
 */
void
tapi_call_set_app_specific_async (TapiCall            *self,
                                  guint                app_specific,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  TapiDBusBroker1 *broker;
  GTask *task;

  g_return_if_fail (TAPI_IS_CALL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_new (self, tapi_call_set_app_specific_async,
                        tapi_dbus_broker1_call_set_app_specific_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_set_app_specific (broker, self->id, app_specific,
                                             cancellable, operation_done_cb, task);
}

/**
 * tapi_call_set_app_specific_finish:
 * @self: a [class@Tapi.Call]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Call.set_app_specific_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_set_app_specific_finish (TapiCall      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  return call_operation_finish (self, result, tapi_call_set_app_specific_async, error);
}

/**
 * tapi_call_set_app_specific:
 * @self: a [class@Tapi.Call]
 * @app_specific: the value
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Call.set_app_specific_async]: waits until
 * the broker has set the value.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_set_app_specific (TapiCall  *self,
                            guint      app_specific,
                            GError   **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_call_set_app_specific_async (self, app_specific, NULL, tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_call_set_app_specific_finish (self, result, error);
}

/**
 * tapi_call_release_async:
 * @self: a [class@Tapi.Call]
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the handle is released
 * @user_data: data for @callback
 *
 * Releases this application's handle of the call [lineDeallocateCall].
 * The object stays readable, but every operation on it fails with
 * %TAPI_ERROR_INVALID_CALL_HANDLE, and it leaves
 * [method@Tapi.Tapi.get_calls]. The only owner of a live call cannot
 * release it (%TAPI_ERROR_INVALID_CALL_STATE): disconnect it or hand it
 * off first.
 */
void
tapi_call_release_async (TapiCall            *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TapiDBusBroker1 *broker;
  GTask *task;

  g_return_if_fail (TAPI_IS_CALL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self->orphaned && !self->released && self->tapi != NULL)
    {
      /* Its broker is gone: nothing to tell. */
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, tapi_call_release_async);
      tapi_tapi_remove_call (self->tapi, self, FALSE);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  task = operation_new (self, tapi_call_release_async,
                        tapi_dbus_broker1_call_release_call_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_release_call (broker, self->id, cancellable,
                                         operation_done_cb, task);
}

/**
 * tapi_call_release_finish:
 * @self: a [class@Tapi.Call]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Call.release_async].
 *
 * Returns: %TRUE when the handle is released
 */
gboolean
tapi_call_release_finish (TapiCall      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  return call_operation_finish (self, result, tapi_call_release_async, error);
}

/**
 * tapi_call_release:
 * @self: a [class@Tapi.Call]
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Call.release_async]: waits until the
 * handle is released.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_release (TapiCall  *self,
                   GError   **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_call_release_async (self, NULL, tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_call_release_finish (self, result, error);
}

/**
 * tapi_call_set_privilege_async:
 * @self: a [class@Tapi.Call]
 * @privilege: the new privilege
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the privilege has changed
 * @user_data: data for @callback
 *
 * Changes this application's privilege on the call
 * [ITCallInfo::put_CallInfoLong (CIL_PRIVILEGE)]. A monitor may become
 * owner; the other handles see [property@Tapi.Call:number-of-owners]
 * change. The only owner of a live call cannot become monitor
 * (%TAPI_ERROR_INVALID_CALL_STATE).
 */
void
tapi_call_set_privilege_async (TapiCall            *self,
                               TapiCallPrivilege    privilege,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TapiDBusBroker1 *broker;
  GTask *task;

  g_return_if_fail (TAPI_IS_CALL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_new (self, tapi_call_set_privilege_async,
                        tapi_dbus_broker1_call_set_privilege_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_set_privilege (broker, self->id, privilege,
                                          cancellable, operation_done_cb, task);
}

/**
 * tapi_call_set_privilege_finish:
 * @self: a [class@Tapi.Call]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Call.set_privilege_async].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_set_privilege_finish (TapiCall      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  return call_operation_finish (self, result, tapi_call_set_privilege_async, error);
}

/**
 * tapi_call_set_privilege:
 * @self: a [class@Tapi.Call]
 * @privilege: the new privilege
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Call.set_privilege_async]: waits until the
 * privilege has changed.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_call_set_privilege (TapiCall           *self,
                         TapiCallPrivilege   privilege,
                         GError            **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  tapi_sync_call_begin (&sync);
  tapi_call_set_privilege_async (self, privilege, NULL, tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_call_set_privilege_finish (self, result, error);
}
