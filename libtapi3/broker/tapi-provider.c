/* tapi-provider.c: the base class of telephony service providers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-provider.h"

typedef struct
{
  char       *name;
  TapiBroker *broker;    /* unowned: the broker owns its providers */
  GPtrArray  *addresses;
} TapiProviderPrivate;

enum {
  PROP_0,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  CALL_ADDED,
  CALL_OFFERED,
  TRANSFER_FAILED,
  DIGIT_RECEIVED,
  ADDRESS_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TapiProvider, tapi_provider, G_TYPE_OBJECT)

static gboolean
not_supported (TapiProvider *self,
               const char   *operation,
               GError      **error)
{
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
               "The %s provider does not support %s",
               tapi_provider_get_name (self), operation);
  return FALSE;
}

static void
tapi_provider_finalize (GObject *object)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (TAPI_PROVIDER (object));

  g_free (priv->name);
  g_ptr_array_unref (priv->addresses);

  G_OBJECT_CLASS (tapi_provider_parent_class)->finalize (object);
}

static void
tapi_provider_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (TAPI_PROVIDER (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_provider_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (TAPI_PROVIDER (object));

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_provider_class_init (TapiProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_provider_finalize;
  object_class->get_property = tapi_provider_get_property;
  object_class->set_property = tapi_provider_set_property;

  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * TapiProvider::call-added:
   * @self: the provider
   * @call: a call the provider made: an incoming call, or one it placed
   *   on its own
   *
   * The broker takes @call into its registry. Emitted before the call
   * is offered, with no handle to it yet.
   */
  signals[CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TAPI_TYPE_BROKER_CALL);

  /**
   * TapiProvider::call-offered:
   * @self: the provider
   * @call: an added call, OFFERING or placed for another call
   * @model: (nullable): a call whose applications should hold @call
   *
   * The broker gives @call handles: to the owner it chooses for an
   * incoming call and to the monitors of its address, or, with @model,
   * the handles of @model (a call @call was transferred from or
   * replaces).
   */
  signals[CALL_OFFERED] =
    g_signal_new ("call-offered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAPI_TYPE_BROKER_CALL, TAPI_TYPE_BROKER_CALL);

  /**
   * TapiProvider::transfer-failed:
   * @self: the provider
   * @call: a call the provider was transferring
   * @error: why the transfer did not happen
   *
   * The transfer of @call that the provider started did not happen; the
   * call stays as it is.
   */
  signals[TRANSFER_FAILED] =
    g_signal_new ("transfer-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAPI_TYPE_BROKER_CALL,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * TapiProvider::digit-received:
   * @self: the provider
   * @call: a call
   * @digit: a DTMF digit, `0`-`9`, `*`, `#` or `A`-`D`
   *
   * A digit came by signalling rather than in the media.
   */
  signals[DIGIT_RECEIVED] =
    g_signal_new ("digit-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAPI_TYPE_BROKER_CALL, G_TYPE_CHAR);

  /**
   * TapiProvider::address-state-changed:
   * @self: the provider
   * @address: (type gpointer): an address of the provider
   * @previous: the state @address had before
   *
   * The provider set the state of @address. Emitted for every report,
   * also when the state stays the same, so that each failed attempt to
   * bring an address into service is seen.
   */
  signals[ADDRESS_STATE_CHANGED] =
    g_signal_new ("address-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, TAPI_TYPE_ADDRESS_STATE);
}

static void
tapi_provider_init (TapiProvider *self)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (self);

  priv->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) tapi_broker_address_unref);
}

const char *
tapi_provider_get_name (TapiProvider *self)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (self);

  return priv->name;
}

TapiBroker *
tapi_provider_get_broker (TapiProvider *self)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (self);

  return priv->broker;
}

void
tapi_provider_set_broker (TapiProvider *self,
                          TapiBroker   *broker)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (self);

  priv->broker = broker;
}

GPtrArray *
tapi_provider_get_addresses (TapiProvider *self)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (self);

  return priv->addresses;
}

void
tapi_provider_add_address (TapiProvider      *self,
                           TapiBrokerAddress *address)
{
  TapiProviderPrivate *priv = tapi_provider_get_instance_private (self);

  g_ptr_array_add (priv->addresses, address);
}

/* Reports to the broker, by signals: the broker connects to them when it
 * takes the provider, and a provider with no broker reports to nobody. */

void
tapi_provider_emit_call_added (TapiProvider   *self,
                               TapiBrokerCall *call)
{
  g_return_if_fail (TAPI_IS_PROVIDER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));

  g_signal_emit (self, signals[CALL_ADDED], 0, call);
}

void
tapi_provider_emit_call_offered (TapiProvider   *self,
                                 TapiBrokerCall *call,
                                 TapiBrokerCall *model)
{
  g_return_if_fail (TAPI_IS_PROVIDER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));
  g_return_if_fail (model == NULL || TAPI_IS_BROKER_CALL (model));

  g_signal_emit (self, signals[CALL_OFFERED], 0, call, model);
}

void
tapi_provider_emit_transfer_failed (TapiProvider   *self,
                                    TapiBrokerCall *call,
                                    const GError   *error)
{
  g_return_if_fail (TAPI_IS_PROVIDER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));
  g_return_if_fail (error != NULL);

  g_signal_emit (self, signals[TRANSFER_FAILED], 0, call, error);
}

void
tapi_provider_emit_digit_received (TapiProvider   *self,
                                   TapiBrokerCall *call,
                                   char            digit)
{
  g_return_if_fail (TAPI_IS_PROVIDER (self));
  g_return_if_fail (TAPI_IS_BROKER_CALL (call));

  g_signal_emit (self, signals[DIGIT_RECEIVED], 0, call, digit);
}

/* Sets the state of @address, then tells. */
void
tapi_provider_emit_address_state_changed (TapiProvider      *self,
                                          TapiBrokerAddress *address,
                                          TapiAddressState   state)
{
  TapiAddressState previous;

  g_return_if_fail (TAPI_IS_PROVIDER (self));
  g_return_if_fail (address != NULL);

  previous = address->state;
  address->state = state;
  g_signal_emit (self, signals[ADDRESS_STATE_CHANGED], 0, address, previous);
}

#define DISPATCH(vfunc, what, ...)                                         \
  G_STMT_START {                                                           \
    TapiProviderClass *klass = TAPI_PROVIDER_GET_CLASS (self);             \
    if (klass->vfunc == NULL)                                              \
      return not_supported (self, what, error);                            \
    return klass->vfunc (self, __VA_ARGS__);                               \
  } G_STMT_END

gboolean
tapi_provider_check_destination (TapiProvider      *self,
                                 TapiBrokerAddress *address,
                                 const char        *destination,
                                 GError           **error)
{
  DISPATCH (check_destination, "destinations", address, destination, error);
}

gboolean
tapi_provider_connect (TapiProvider   *self,
                       TapiBrokerCall *call,
                       GError        **error)
{
  DISPATCH (connect, "placing calls", call, error);
}

gboolean
tapi_provider_dial (TapiProvider   *self,
                    TapiBrokerCall *call,
                    const char     *destination,
                    GError        **error)
{
  DISPATCH (dial, "dialling", call, destination, error);
}

gboolean
tapi_provider_answer (TapiProvider   *self,
                      TapiBrokerCall *call,
                      GError        **error)
{
  DISPATCH (answer, "answering", call, error);
}

gboolean
tapi_provider_disconnect (TapiProvider      *self,
                          TapiBrokerCall    *call,
                          TapiDisconnectCode code,
                          TapiCallStateCause cause,
                          GError           **error)
{
  DISPATCH (disconnect, "disconnecting", call, code, cause, error);
}

gboolean
tapi_provider_hold (TapiProvider   *self,
                    TapiBrokerCall *call,
                    gboolean        hold,
                    GError        **error)
{
  DISPATCH (hold, "hold", call, hold, error);
}

gboolean
tapi_provider_blind_transfer (TapiProvider   *self,
                              TapiBrokerCall *call,
                              const char     *destination,
                              GError        **error)
{
  DISPATCH (blind_transfer, "blind transfer", call, destination, error);
}

gboolean
tapi_provider_finish_transfer (TapiProvider   *self,
                               TapiBrokerCall *original,
                               TapiBrokerCall *consultation,
                               GError        **error)
{
  DISPATCH (finish_transfer, "consultation transfer", original, consultation,
            error);
}

gboolean
tapi_provider_finish_conference (TapiProvider   *self,
                                 TapiBrokerCall *original,
                                 TapiBrokerCall *consultation,
                                 GError        **error)
{
  DISPATCH (finish_conference, "conferences", original, consultation, error);
}

gboolean
tapi_provider_is_in_conference (TapiProvider   *self,
                                TapiBrokerCall *call)
{
  TapiProviderClass *klass = TAPI_PROVIDER_GET_CLASS (self);

  return klass->is_in_conference != NULL &&
         klass->is_in_conference (self, call);
}

gboolean
tapi_provider_remove_from_conference (TapiProvider   *self,
                                      TapiBrokerCall *call,
                                      GError        **error)
{
  DISPATCH (remove_from_conference, "conferences", call, error);
}

char *
tapi_provider_park (TapiProvider   *self,
                    TapiBrokerCall *call,
                    const char     *orbit,
                    GError        **error)
{
  TapiProviderClass *klass = TAPI_PROVIDER_GET_CLASS (self);

  if (klass->park == NULL)
    {
      not_supported (self, "park", error);
      return NULL;
    }
  return klass->park (self, call, orbit, error);
}

gboolean
tapi_provider_unpark (TapiProvider   *self,
                      TapiBrokerCall *call,
                      GError        **error)
{
  DISPATCH (unpark, "unpark", call, error);
}

gboolean
tapi_provider_pickup (TapiProvider   *self,
                      TapiBrokerCall *call,
                      const char     *group_id,
                      GError        **error)
{
  DISPATCH (pickup, "pickup", call, group_id, error);
}

void
tapi_provider_call_removed (TapiProvider   *self,
                            TapiBrokerCall *call)
{
  TapiProviderClass *klass = TAPI_PROVIDER_GET_CLASS (self);

  if (klass->call_removed)
    klass->call_removed (self, call);
}
