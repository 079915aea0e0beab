/* tapi-address.c: TapiAddress, a line address of a provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-address-private.h"
#include "tapi-call-private.h"
#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-sync-call-private.h"
#include "tapi-tapi-private.h"
#include "tapi-terminal-factory.h"

/**
 * TapiAddress:
 *
 * An address of a telephony provider [ITAddress, ITAddressCapabilities]:
 * an extension of the simulated PBX, or a SIP account.
 *
 * Addresses come from [method@Tapi.Tapi.get_addresses]. An address places
 * calls with [method@Tapi.Address.create_call] and says what its provider
 * supports in [property@Tapi.Address:call-features].
 */

struct _TapiAddress
{
  GObject           parent_instance;

  TapiTapi         *tapi;      /* unowned: the application owns its addresses */
  char             *name;
  char             *dialable_address;
  char             *provider_name;
  TapiAddressState  state;
  TapiMediaType     media_types;
  TapiAddressType   address_types;
  TapiCallFeatures  call_features;
  GListStore       *calls;
  gboolean          watching_terminals;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_DIALABLE_ADDRESS,
  PROP_PROVIDER_NAME,
  PROP_STATE,
  PROP_MEDIA_TYPES,
  PROP_ADDRESS_TYPES,
  PROP_CALL_FEATURES,
  N_PROPS
};

enum {
  EVENT,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TapiAddress, tapi_address, G_TYPE_OBJECT)

static void
tapi_address_finalize (GObject *object)
{
  TapiAddress *self = TAPI_ADDRESS (object);

  g_free (self->name);
  g_free (self->dialable_address);
  g_free (self->provider_name);
  g_clear_object (&self->calls);

  G_OBJECT_CLASS (tapi_address_parent_class)->finalize (object);
}

static void
tapi_address_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TapiAddress *self = TAPI_ADDRESS (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DIALABLE_ADDRESS:
      g_value_set_string (value, self->dialable_address);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MEDIA_TYPES:
      g_value_set_flags (value, self->media_types);
      break;
    case PROP_ADDRESS_TYPES:
      g_value_set_flags (value, self->address_types);
      break;
    case PROP_CALL_FEATURES:
      g_value_set_flags (value, self->call_features);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_address_class_init (TapiAddressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_address_finalize;
  object_class->get_property = tapi_address_get_property;

  /**
   * TapiAddress:name:
   *
   * The address's name: an extension number, a SIP account's name.
   */
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                          G_PARAM_READABLE |
                                            G_PARAM_EXPLICIT_NOTIFY |
                                            G_PARAM_STATIC_STRINGS);

  /**
   * TapiAddress:dialable-address:
   *
   * What other parties dial to reach this address.
   */
  props[PROP_DIALABLE_ADDRESS] =
    g_param_spec_string ("dialable-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS);

  /**
   * TapiAddress:provider-name:
   *
   * The provider of the address: `sim` or `sip`.
   */
  props[PROP_PROVIDER_NAME] =
    g_param_spec_string ("provider-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS);

  /**
   * TapiAddress:state:
   *
   * Whether the address is in service.
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TAPI_TYPE_ADDRESS_STATE,
                       TAPI_ADDRESS_STATE_IN_SERVICE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TapiAddress:media-types:
   *
   * The media types calls on this address can carry.
   */
  props[PROP_MEDIA_TYPES] =
    g_param_spec_flags ("media-types", NULL, NULL,
                        TAPI_TYPE_MEDIA_TYPE, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiAddress:address-types:
   *
   * The kinds of destination the address dials.
   */
  props[PROP_ADDRESS_TYPES] =
    g_param_spec_flags ("address-types", NULL, NULL, TAPI_TYPE_ADDRESS_TYPE,
                        TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * TapiAddress:call-features:
   *
   * The operations the address's provider supports. Others fail with
   * %TAPI_ERROR_NOT_SUPPORTED.
   */
  props[PROP_CALL_FEATURES] =
    g_param_spec_flags ("call-features", NULL, NULL,
                        TAPI_TYPE_CALL_FEATURES, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * TapiAddress::event:
   * @self: the address
   * @event: what happened
   *
   * Something happened to the address [ITAddressEvent].
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAPI_TYPE_ADDRESS_EVENT);
}

static void
tapi_address_init (TapiAddress *self)
{
  self->calls = g_list_store_new (TAPI_TYPE_CALL);
}

static gboolean
update_string (char       **field,
               GVariant    *info,
               const char  *key)
{
  const char *value;

  if (!g_variant_lookup (info, key, "&s", &value) ||
      g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
update_uint (guint      *field,
             GVariant   *info,
             const char *key)
{
  guint value;

  if (!g_variant_lookup (info, key, "u", &value) || *field == value)
    return FALSE;
  *field = value;
  return TRUE;
}

void
tapi_address_update (TapiAddress *self,
                     GVariant    *info)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  if (update_string (&self->name, info, "name"))
    g_object_notify_by_pspec (object, props[PROP_NAME]);
  if (update_string (&self->dialable_address, info, "dialable-address"))
    g_object_notify_by_pspec (object, props[PROP_DIALABLE_ADDRESS]);
  if (update_string (&self->provider_name, info, "provider-name"))
    g_object_notify_by_pspec (object, props[PROP_PROVIDER_NAME]);
  if (update_uint (&self->state, info, "state"))
    g_object_notify_by_pspec (object, props[PROP_STATE]);
  if (update_uint (&self->media_types, info, "media-types"))
    g_object_notify_by_pspec (object, props[PROP_MEDIA_TYPES]);
  if (update_uint (&self->address_types, info, "address-types"))
    g_object_notify_by_pspec (object, props[PROP_ADDRESS_TYPES]);
  if (update_uint (&self->call_features, info, "call-features"))
    g_object_notify_by_pspec (object, props[PROP_CALL_FEATURES]);
  g_object_thaw_notify (object);
}

static void
static_terminals_changed_cb (GListModel  *terminals,
                             guint        position,
                             guint        removed,
                             guint        added,
                             TapiAddress *self)
{
  for (guint i = 0; i < removed; i++)
    g_signal_emit (self, signals[EVENT], 0, TAPI_ADDRESS_EVENT_REMOVE_TERMINAL);
  for (guint i = 0; i < added; i++)
    g_signal_emit (self, signals[EVENT], 0, TAPI_ADDRESS_EVENT_NEW_TERMINAL);
}

TapiAddress *
tapi_address_new (TapiTapi *tapi,
                  GVariant *info)
{
  TapiAddress *self = g_object_new (TAPI_TYPE_ADDRESS, NULL);

  self->tapi = tapi;
  tapi_address_update (self, info);
  return self;
}

/* The device monitor starts when an application first asks for devices;
 * from then on the address reports them coming and going. */
static GListModel *
watch_static_terminals (TapiAddress *self)
{
  GListModel *terminals = tapi_terminal_get_static_terminals ();

  if (!self->watching_terminals)
    {
      self->watching_terminals = TRUE;
      g_signal_connect_object (terminals, "items-changed",
                               G_CALLBACK (static_terminals_changed_cb), self,
                               0);
    }
  return terminals;
}

void
tapi_address_add_call (TapiAddress *self,
                       TapiCall    *call)
{
  g_list_store_append (self->calls, call);
}

void
tapi_address_remove_call (TapiAddress *self,
                          TapiCall    *call)
{
  guint position;

  if (g_list_store_find (self->calls, call, &position))
    g_list_store_remove (self->calls, position);
}

void
tapi_address_detach (TapiAddress *self)
{
  self->tapi = NULL;
  g_list_store_remove_all (self->calls);
}

/**
 * tapi_address_get_tapi:
 * @self: a [class@Tapi.Address]
 *
 * Gets the application the address belongs to.
 *
 * Returns: (transfer none) (nullable): the application, or %NULL after it
 *   was disposed
 */
TapiTapi *
tapi_address_get_tapi (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  return self->tapi;
}

/**
 * tapi_address_get_name:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:name].
 *
 * Returns: the name
 */
const char *
tapi_address_get_name (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  return self->name;
}

/**
 * tapi_address_get_dialable_address:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:dialable-address].
 *
 * Returns: the dialable address
 */
const char *
tapi_address_get_dialable_address (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  return self->dialable_address;
}

/**
 * tapi_address_get_provider_name:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:provider-name].
 *
 * Returns: the provider's name
 */
const char *
tapi_address_get_provider_name (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  return self->provider_name;
}

/**
 * tapi_address_get_state:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:state].
 *
 * Returns: the state
 */
TapiAddressState
tapi_address_get_state (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self),
                        TAPI_ADDRESS_STATE_OUT_OF_SERVICE);

  return self->state;
}

/**
 * tapi_address_get_media_types:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:media-types].
 *
 * Returns: the media types
 */
TapiMediaType
tapi_address_get_media_types (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), 0);

  return self->media_types;
}

/**
 * tapi_address_get_address_types:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:address-types].
 *
 * Returns: the address types
 */
TapiAddressType
tapi_address_get_address_types (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), 0);

  return self->address_types;
}

/**
 * tapi_address_get_call_features:
 * @self: a [class@Tapi.Address]
 *
 * Gets [property@Tapi.Address:call-features].
 *
 * Returns: the call features
 */
TapiCallFeatures
tapi_address_get_call_features (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), 0);

  return self->call_features;
}

static void
create_call_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TapiTapi *tapi = g_task_get_task_data (task);
  g_autoptr(GVariant) info = NULL;
  GError *error = NULL;
  TapiCall *call;

  if (!tapi_dbus_broker1_call_create_call_finish (TAPI_DBUS_BROKER1 (source), &info,
                                                  result, &error))
    {
      tapi_tapi_broker_call_done (tapi, &error);
      g_task_return_error (task, error);
      return;
    }
  tapi_tapi_broker_call_done (tapi, NULL);

  call = tapi_tapi_add_call (tapi, info);
  if (call == NULL)
    g_task_return_new_error (task, TAPI_ERROR, TAPI_ERROR_FAILED,
                             "The broker answered with a call this application cannot use");
  else
    g_task_return_pointer (task, g_object_ref (call), g_object_unref);
}

/**
 * tapi_address_create_call_async:
 * @self: a [class@Tapi.Address]
 * @destination: (nullable): what to dial, or %NULL for a call that gets
 *   dial tone and dials later with [method@Tapi.BasicCallControl.dial_async]
 * @address_type: the kind of @destination, one of
 *   [property@Tapi.Address:address-types]
 * @media_types: the media types of the call
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the call is created
 * @user_data: data for @callback
 *
 * Creates a call on this address [ITAddress::CreateCall]. The call is
 * %TAPI_CALL_STATE_IDLE and owned by this application; nothing is dialled
 * until [method@Tapi.BasicCallControl.connect_async].
 *
 * A malformed @destination fails with %TAPI_ERROR_INVALID_ADDRESS, an
 * unsupported @address_type with %TAPI_ERROR_INVALID_ADDRESS_TYPE and
 * unsupported @media_types with %TAPI_ERROR_INVALID_MEDIA_TYPE.
 */
void
tapi_address_create_call_async (TapiAddress         *self,
                                const char          *destination,
                                TapiAddressType      address_type,
                                TapiMediaType        media_types,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TapiDBusBroker1 *broker;
  GError *error = NULL;

  g_return_if_fail (TAPI_IS_ADDRESS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tapi_address_create_call_async);
  if (!(broker = tapi_tapi_get_broker (self->tapi, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The address may leave its application while the broker works. */
  g_task_set_task_data (task, g_object_ref (self->tapi), g_object_unref);
  tapi_dbus_broker1_call_create_call (broker, self->name,
                                      destination ? destination : "",
                                      destination != NULL, address_type,
                                      media_types, cancellable,
                                      create_call_done_cb,
                                      g_steal_pointer (&task));
}

/**
 * tapi_address_create_call_finish:
 * @self: a [class@Tapi.Address]
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes [method@Tapi.Address.create_call_async].
 *
 * Returns: (transfer full) (nullable): the new call, or %NULL on error
 */
TapiCall *
tapi_address_create_call_finish (TapiAddress   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tapi_address_create_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tapi_address_create_call:
 * @self: a [class@Tapi.Address]
 * @destination: (nullable): what to dial, or %NULL for a call that gets
 *   dial tone and dials later with [method@Tapi.BasicCallControl.dial_async]
 * @address_type: the kind of @destination, one of
 *   [property@Tapi.Address:address-types]
 * @media_types: the media types of the call
 * @error: return location for a #GError
 *
 * Blocking form of [method@Tapi.Address.create_call_async]: waits until
 * the call is created.
 *
 * Returns: (transfer full) (nullable): the new call, or %NULL on error
 */
TapiCall *
tapi_address_create_call (TapiAddress     *self,
                          const char      *destination,
                          TapiAddressType  address_type,
                          TapiMediaType    media_types,
                          GError         **error)
{
  TapiSyncCall sync;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tapi_sync_call_begin (&sync);
  tapi_address_create_call_async (self, destination, address_type, media_types, NULL,
                                  tapi_sync_call_done_cb, &sync);
  result = tapi_sync_call_wait (&sync);
  return tapi_address_create_call_finish (self, result, error);
}

/**
 * tapi_address_get_calls:
 * @self: a [class@Tapi.Address]
 *
 * Gets this application's handles of calls on this address.
 *
 * Returns: (transfer none): a list model of [class@Tapi.Call]
 */
GListModel *
tapi_address_get_calls (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  return G_LIST_MODEL (self->calls);
}

/**
 * tapi_address_get_static_terminals:
 * @self: a [class@Tapi.Address]
 *
 * Gets the machine's audio devices as terminals
 * [ITTerminalSupport::EnumerateStaticTerminals]: microphones (class
 * %TAPI_TERMINAL_CLASS_MICROPHONE) and speakers
 * (%TAPI_TERMINAL_CLASS_SPEAKERS). The list follows devices as they come
 * and go; from the first call on, each change is also an
 * [signal@Tapi.Address::event] (%TAPI_ADDRESS_EVENT_NEW_TERMINAL,
 * %TAPI_ADDRESS_EVENT_REMOVE_TERMINAL). It is
 * empty on a machine without sound devices.
 *
 * Returns: (transfer none): a list model of [class@Tapi.Terminal]
 */
GListModel *
tapi_address_get_static_terminals (TapiAddress *self)
{
  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  return watch_static_terminals (self);
}

/**
 * tapi_address_get_default_static_terminal:
 * @self: a [class@Tapi.Address]
 * @media_type: the medium, %TAPI_MEDIA_TYPE_AUDIO
 * @direction: %TAPI_TERMINAL_DIRECTION_CAPTURE for a microphone,
 *   %TAPI_TERMINAL_DIRECTION_RENDER for speakers
 *
 * Gets the device a call should use by default
 * [ITTerminalSupport::GetDefaultStaticTerminal]: the first device of the
 * system's default kind for @media_type and @direction.
 *
 * Returns: (transfer none) (nullable): the terminal, or %NULL when there
 *   is no such device
 */
TapiTerminal *
tapi_address_get_default_static_terminal (TapiAddress           *self,
                                          TapiMediaType          media_type,
                                          TapiTerminalDirection  direction)
{
  GListModel *terminals;
  guint n;

  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);

  terminals = watch_static_terminals (self);
  n = g_list_model_get_n_items (terminals);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TapiTerminal) terminal = g_list_model_get_item (terminals, i);

      if ((tapi_terminal_get_media_type (terminal) & media_type) != 0 &&
          tapi_terminal_get_direction (terminal) == direction)
        return terminal;
    }
  return NULL;
}

/**
 * tapi_address_create_terminal:
 * @self: a [class@Tapi.Address]
 * @terminal_class: one of the `TAPI_TERMINAL_CLASS_*` classes that can be
 *   created: %TAPI_TERMINAL_CLASS_FILE_RECORDING,
 *   %TAPI_TERMINAL_CLASS_FILE_PLAYBACK, %TAPI_TERMINAL_CLASS_TONE,
 *   %TAPI_TERMINAL_CLASS_MEDIA_STREAM or %TAPI_TERMINAL_CLASS_NULL
 * @media_type: %TAPI_MEDIA_TYPE_AUDIO
 * @direction: the direction of the terminal
 * @error: return location for a #GError
 *
 * Creates a dynamic terminal [ITTerminalSupport::CreateTerminal] to
 * select on a stream of a call on this address. Fails with
 * %TAPI_ERROR_INVALID_TERMINAL_CLASS for an unknown class or a device
 * class, %TAPI_ERROR_INVALID_MEDIA_TYPE for a medium the address or the
 * class does not carry, and %TAPI_ERROR_INVALID_DIRECTION for a direction
 * the class lacks (a recording renders, a playback captures).
 *
 * Returns: (transfer full) (nullable): the new terminal, or %NULL on error
 */
TapiTerminal *
tapi_address_create_terminal (TapiAddress            *self,
                              const char             *terminal_class,
                              TapiMediaType           media_type,
                              TapiTerminalDirection   direction,
                              GError                **error)
{
  g_autoptr(TapiTerminal) terminal = NULL;

  g_return_val_if_fail (TAPI_IS_ADDRESS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  terminal = tapi_terminal_new_dynamic (terminal_class, media_type, direction,
                                        error);
  if (terminal == NULL)
    return NULL;
  if ((media_type & ~self->media_types) != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "Address %s does not carry media types 0x%x", self->name,
                   media_type);
      return NULL;
    }
  return g_steal_pointer (&terminal);
}
