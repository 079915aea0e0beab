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
  PROP_MEDIA_ENCRYPTED,
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
  FIELD_BOOLEAN,
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
  { PROP_MEDIA_ENCRYPTED, FIELD_BOOLEAN, G_STRUCT_OFFSET (TapiCall, media_encrypted) },
};

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
      else if (info_fields[i].kind == FIELD_BOOLEAN)
        {
          gboolean *field = field_location (self, i);

          if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
              *field != g_variant_get_boolean (value))
            {
              *field = g_variant_get_boolean (value);
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
    tapi_media_session_update (self->media,
                               TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
}

void
tapi_call_emit_state_changed (TapiCall           *self,
                              TapiCallState       state,
                              TapiCallStateCause  cause)
{
  g_object_ref (self);
  g_signal_emit (self, signals[STATE_CHANGED], 0, state, cause);
  if (self->media)
    tapi_media_session_update (self->media,
                               TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST);
  g_object_unref (self);
}

void
tapi_call_emit_info_changed (TapiCall           *self,
                             TapiCallInfoChange  change)
{
  g_object_ref (self);
  g_signal_emit (self, signals[INFO_CHANGED], 0, change);
  if (change == TAPI_CALL_INFO_CHANGE_PRIVILEGE && self->media)
    tapi_media_session_update (self->media,
                               TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
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
          g_signal_emit (self, signals[MEDIA_EVENT], 0, event, cause, stream,
                         NULL);
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

  if (self->privilege == TAPI_CALL_PRIVILEGE_OWNER && !self->released &&
      !self->orphaned && (broker = tapi_tapi_get_broker (self->tapi, NULL)))
    tapi_dbus_broker1_call_report_digit (broker, self->id, (guint32) digit,
                                         NULL, NULL, NULL);
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
  gboolean encrypted = media &&
                       g_variant_lookup (media, "srtp-suite", "&s", NULL);

  if (encrypted != self->media_encrypted)
    {
      self->media_encrypted = encrypted;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MEDIA_ENCRYPTED]);
    }
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
  g_autoptr(TapiCall) keep G_GNUC_UNUSED = g_object_ref (self);
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
  tapi_tapi_get_media_async (self->tapi, self->id, cancellable, callback,
                             callback_data);
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
  self->media = tapi_media_session_new (self, self->id,
                                        tapi_tapi_get_context (tapi),
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
        case FIELD_BOOLEAN:
          g_value_set_boolean (value, *(gboolean *) field_location (self, i));
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
        g_warning ("Could not set app-specific of call %u: %s", self->id,
                   error->message);
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
  props[PROP_MEDIA_TYPES] = g_param_spec_flags ("media-types", NULL, NULL,
                                                TAPI_TYPE_MEDIA_TYPE, 0,
                                                READABLE);

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
  props[PROP_RELATED_CALL_ID] = g_param_spec_uint ("related-call-id", NULL,
                                                   NULL, 0, G_MAXUINT, 0,
                                                   READABLE);

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
  props[PROP_NUMBER_OF_OWNERS] = g_param_spec_uint ("number-of-owners", NULL,
                                                    NULL, 0, G_MAXUINT, 0,
                                                    READABLE);

  /**
   * TapiCall:number-of-monitors:
   *
   * How many applications monitor the call.
   */
  props[PROP_NUMBER_OF_MONITORS] = g_param_spec_uint ("number-of-monitors",
                                                      NULL, NULL, 0, G_MAXUINT,
                                                      0, READABLE);

  /**
   * TapiCall:app-specific:
   *
   * A value owners may set for every application to read. Setting it as a
   * property logs a warning on failure; use
   * [method@Tapi.Call.set_app_specific] to get the error.
   */
  props[PROP_APP_SPECIFIC] =
    g_param_spec_uint ("app-specific", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TapiCall:detected-media-types:
   *
   * The media types detected on the call by media monitoring.
   */
  props[PROP_DETECTED_MEDIA_TYPES] =
    g_param_spec_flags ("detected-media-types", NULL, NULL,
                        TAPI_TYPE_MEDIA_TYPE, 0, READABLE);

  /**
   * TapiCall:media-encrypted:
   *
   * Whether the call's media is encrypted: SRTP (RFC 3711) with keys
   * negotiated by SDES (RFC 4568), as a SIP account with `srtp=optional`
   * or `srtp=mandatory` or the simulated PBX with `srtp=true` sets it up.
   * It can change with the media: a re-INVITE may turn SRTP on or off on
   * an account with `srtp=optional`. Every holder of the call sees it;
   * the keys themselves reach only the application that runs the media.
   */
  props[PROP_MEDIA_ENCRYPTED] =
    g_param_spec_boolean ("media-encrypted", NULL, NULL, FALSE, READABLE);

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
 * tapi_call_get_media_encrypted:
 * @self: a [class@Tapi.Call]
 *
 * Gets [property@Tapi.Call:media-encrypted].
 *
 * Returns: whether the call's media is SRTP
 */
gboolean
tapi_call_get_media_encrypted (TapiCall *self)
{
  g_return_val_if_fail (TAPI_IS_CALL (self), FALSE);

  return self->media_encrypted;
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
                                             cancellable, operation_done_cb,
                                             task);
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

  return call_operation_finish (self, result, tapi_call_set_app_specific_async,
                                error);
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
  tapi_call_set_app_specific_async (self, app_specific, NULL,
                                    tapi_sync_call_done_cb, &sync);
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

  return call_operation_finish (self, result, tapi_call_set_privilege_async,
                                error);
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
  tapi_call_set_privilege_async (self, privilege, NULL, tapi_sync_call_done_cb,
                                 &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_call_set_privilege_finish (self, result, error);
}
