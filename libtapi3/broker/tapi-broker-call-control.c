/* tapi-broker-call-control.c: the broker's call control methods
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include "tapi-broker-private.h"
#include "tapi-error.h"

/* The methods that act on a call through its provider: each checks that
 * the application owns the call and that the call can do it now (its
 * address's features, its state), then asks the provider. */

static gboolean
check_feature (TapiBrokerCall   *call,
               TapiCallFeatures  feature,
               GError          **error)
{
  TapiBrokerAddress *address = tapi_broker_call_get_address (call);

  if ((address->call_features & feature) == 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                   "Address %s does not support this operation", address->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_state (TapiBrokerCall *call,
             GError        **error,
             ...)
{
  TapiCallState state = tapi_broker_call_get_state (call);
  va_list args;
  int allowed;

  va_start (args, error);
  while ((allowed = va_arg (args, int)) >= 0)
    if ((TapiCallState) allowed == state)
      {
        va_end (args);
        return TRUE;
      }
  va_end (args);

  g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
               "Call %u is %s", tapi_broker_call_get_id (call),
               state_name (state));
  return FALSE;
}

static gboolean
handle_connect (TapiDBusBroker1       *skeleton,
                GDBusMethodInvocation *invocation,
                guint                  id,
                TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_CONNECT, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_IDLE, -1))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  if (tapi_broker_call_get_destination (call) == NULL)
    {
      /* No destination: the call completes in dial tone. */
      if (!tapi_provider_connect (provider_of (call), call, &error))
        return_gerror (self, invocation, error);
      else
        {
          broker_flush_signals (self);
          tapi_dbus_broker1_complete_connect (skeleton, invocation);
        }
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  add_waiter (self, call, WAIT_CONNECT, invocation);
  if (!tapi_provider_connect (provider_of (call), call, &error))
    {
      remove_waiter (self, invocation);
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  process_waiters (self, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_dial (TapiDBusBroker1       *skeleton,
             GDBusMethodInvocation *invocation,
             guint                  id,
             const char            *destination,
             TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_DIAL, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_IN_PROGRESS, -1))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (tapi_broker_call_get_destination (call) != NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Call %u is not in dial tone", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tapi_provider_check_destination (provider_of (call),
                                        tapi_broker_call_get_address (call),
                                        destination, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  add_waiter (self, call, WAIT_CONNECT, invocation);
  if (!tapi_provider_dial (provider_of (call), call, destination, &error))
    {
      remove_waiter (self, invocation);
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  process_waiters (self, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_answer (TapiDBusBroker1       *skeleton,
               GDBusMethodInvocation *invocation,
               guint                  id,
               TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_ANSWER, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_OFFERING, -1))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  add_waiter (self, call, WAIT_ANSWER, invocation);
  if (!tapi_provider_answer (provider_of (call), call, &error))
    {
      remove_waiter (self, invocation);
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  process_waiters (self, call);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_disconnect (TapiDBusBroker1       *skeleton,
                   GDBusMethodInvocation *invocation,
                   guint                  id,
                   guint                  code,
                   TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  TapiCallStateCause cause;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  switch (code)
    {
    case TAPI_DISCONNECT_CODE_NORMAL:
      cause = TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL;
      break;
    case TAPI_DISCONNECT_CODE_NO_ANSWER:
      cause = TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER;
      break;
    case TAPI_DISCONNECT_CODE_REJECTED:
      cause = TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED;
      break;
    default:
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "No disconnect code %u", code);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!check_feature (call, TAPI_CALL_FEATURES_DISCONNECT, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_IN_PROGRESS, TAPI_CALL_STATE_CONNECTED,
                    TAPI_CALL_STATE_OFFERING, TAPI_CALL_STATE_HOLD,
                    TAPI_CALL_STATE_QUEUED, -1) ||
      !tapi_provider_disconnect (provider_of (call), call, code, cause, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_disconnect (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_hold (TapiDBusBroker1       *skeleton,
             GDBusMethodInvocation *invocation,
             guint                  id,
             gboolean               hold,
             TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_HOLD, &error) ||
      !check_state (call, &error,
                    hold ? TAPI_CALL_STATE_CONNECTED : TAPI_CALL_STATE_HOLD,
                    -1) ||
      !tapi_provider_hold (provider_of (call), call, hold, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_hold (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
disconnect_failed_handoff (TapiBrokerCall *call)
{
  if (tapi_broker_call_is_live (call))
    tapi_provider_disconnect (provider_of (call), call,
                              TAPI_DISCONNECT_CODE_NORMAL,
                              TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED, NULL);
}

static void
hand_over (TapiBroker     *self,
           TapiBrokerCall *call,
           BrokerApp      *from,
           BrokerApp      *to)
{
  /* The target learns of the call as of a new one, also when it held a
   * handle already: the privilege change comes first, then the
   * notification, on the same handle. */
  HandleChange changes[] = {
    { to, TAPI_CALL_PRIVILEGE_OWNER, TRUE },
    { from, TAPI_CALL_PRIVILEGE_MONITOR },
  };

  apply_handles (self, call, changes, G_N_ELEMENTS (changes));
}

static gboolean
handle_handoff_direct (TapiDBusBroker1       *skeleton,
                       GDBusMethodInvocation *invocation,
                       guint                  id,
                       const char            *name,
                       TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  BrokerApp *target = NULL;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_HANDOFF, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (*name == '\0')
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "The application name must not be empty");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (tapi_broker_call_get_state (call) == TAPI_CALL_STATE_DISCONNECTED)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Call %u is disconnected", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (g_str_equal (name, app->name))
    {
      return_error (self, invocation, TAPI_ERROR_TARGET_SELF,
                    "%s is the application handing off the call", name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  for (guint i = 0; i < self->apps->len && target == NULL; i++)
    {
      BrokerApp *candidate = g_ptr_array_index (self->apps, i);

      if (candidate->initialized && g_str_equal (candidate->name, name) &&
          app_registered_on (candidate, tapi_broker_call_get_address (call)))
        target = candidate;
    }

  if (target == NULL)
    {
      disconnect_failed_handoff (call);
      return_error (self, invocation, TAPI_ERROR_TARGET_NOT_FOUND,
                    "No application %s is registered on address %s; the call was disconnected",
                    name, tapi_broker_call_get_address (call)->name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  hand_over (self, call, app, target);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_handoff_direct (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_handoff_indirect (TapiDBusBroker1       *skeleton,
                         GDBusMethodInvocation *invocation,
                         guint                  id,
                         guint                  media_type,
                         TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  BrokerApp *target;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_HANDOFF, &error) ||
      !check_single_media_type (media_type, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (tapi_broker_call_get_state (call) == TAPI_CALL_STATE_DISCONNECTED)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Call %u is disconnected", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  target = best_owner_for (self, tapi_broker_call_get_address (call),
                           media_type, NULL);
  if (target == app)
    {
      return_error (self, invocation, TAPI_ERROR_TARGET_SELF,
                    "This application is the highest-priority owner for media type 0x%x",
                    media_type);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (target == NULL)
    {
      /* A failed UNKNOWN probe leaves the call with the application so
       * that it can try the next media type. */
      if (media_type != TAPI_MEDIA_TYPE_UNKNOWN)
        disconnect_failed_handoff (call);
      return_error (self, invocation, TAPI_ERROR_TARGET_NOT_FOUND,
                    "No application owns media type 0x%x on address %s%s",
                    media_type, tapi_broker_call_get_address (call)->name,
                    media_type != TAPI_MEDIA_TYPE_UNKNOWN
                      ? "; the call was disconnected"
                      : "");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  hand_over (self, call, app, target);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_handoff_indirect (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_blind_transfer (TapiDBusBroker1       *skeleton,
                       GDBusMethodInvocation *invocation,
                       guint                  id,
                       const char            *destination,
                       TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_BLIND_TRANSFER, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_CONNECTED, -1) ||
      !tapi_provider_check_destination (provider_of (call),
                                        tapi_broker_call_get_address (call),
                                        destination, &error) ||
      !tapi_provider_blind_transfer (provider_of (call), call, destination,
                                     &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  complete_transfer (self, call, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The second call of transfer, conference and swap_hold. */
static TapiBrokerCall *
lookup_second_call (TapiBroker     *self,
                    BrokerApp      *app,
                    TapiBrokerCall *call,
                    guint           id,
                    GError        **error)
{
  TapiBrokerCall *other = lookup_call (self, app, id, TRUE, error);

  if (other == NULL)
    return NULL;
  if (other == call)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS,
                   "Call %u cannot be its own consultation call", id);
      return NULL;
    }
  if (tapi_broker_call_get_address (other) !=
      tapi_broker_call_get_address (call))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS,
                   "Call %u is on address %s, not %s", id,
                   tapi_broker_call_get_address (other)->name,
                   tapi_broker_call_get_address (call)->name);
      return NULL;
    }
  return other;
}

static void
setup_consultation (TapiBroker            *self,
                    BrokerApp             *app,
                    guint                  id,
                    guint                  consultation_id,
                    GDBusMethodInvocation *invocation,
                    TapiCallFeatures       feature)
{
  TapiBrokerCall *call, *consultation = NULL;
  TapiProvider *provider;
  GError *error = NULL;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, feature, &error) ||
      !(consultation = lookup_second_call (self, app, call, consultation_id,
                                           &error)) ||
      !check_state (call, &error, TAPI_CALL_STATE_CONNECTED, -1) ||
      !check_state (consultation, &error, TAPI_CALL_STATE_IDLE,
                    TAPI_CALL_STATE_CONNECTED, -1))
    {
      return_gerror (self, invocation, error);
      return;
    }
  provider = provider_of (call);
  if (tapi_broker_call_get_state (consultation) == TAPI_CALL_STATE_IDLE &&
      tapi_broker_call_get_destination (consultation) == NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ADDRESS,
                    "Consultation call %u has no destination", consultation_id);
      return;
    }
  if (feature == TAPI_CALL_FEATURES_CONFERENCE &&
      tapi_provider_is_in_conference (provider, call))
    {
      return_error (self, invocation, TAPI_ERROR_CONFERENCE_FULL,
                    "Call %u is in a conference of three already", id);
      return;
    }

  if (!tapi_provider_hold (provider, call, TRUE, &error))
    {
      return_gerror (self, invocation, error);
      return;
    }
  tapi_broker_call_set_consultation_of (consultation, call);

  if (tapi_broker_call_get_state (consultation) == TAPI_CALL_STATE_CONNECTED)
    {
      broker_flush_signals (self);
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  add_waiter (self, consultation, WAIT_CONSULTATION, invocation);
  if (!tapi_provider_connect (provider, consultation, &error))
    {
      remove_waiter (self, invocation);
      tapi_broker_call_set_consultation_of (consultation, NULL);
      tapi_provider_hold (provider, call, FALSE, NULL);
      return_gerror (self, invocation, error);
      return;
    }
  process_waiters (self, consultation);
}

static gboolean
handle_transfer (TapiDBusBroker1       *skeleton,
                 GDBusMethodInvocation *invocation,
                 guint                  id,
                 guint                  consultation_id,
                 TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);

  if (app != NULL)
    setup_consultation (self, app, id, consultation_id, invocation,
                        TAPI_CALL_FEATURES_TRANSFER);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_conference (TapiDBusBroker1       *skeleton,
                   GDBusMethodInvocation *invocation,
                   guint                  id,
                   guint                  consultation_id,
                   TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);

  if (app != NULL)
    setup_consultation (self, app, id, consultation_id, invocation,
                        TAPI_CALL_FEATURES_CONFERENCE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_finish (TapiDBusBroker1       *skeleton,
               GDBusMethodInvocation *invocation,
               guint                  id,
               guint                  mode,
               TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *consultation, *original;
  GError *error = NULL;
  gboolean ok;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(consultation = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (mode > TAPI_FINISH_MODE_AS_CONFERENCE)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_ARGUMENT,
                    "No finish mode %u", mode);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  original = tapi_broker_call_get_consultation_of (consultation);
  if (original == NULL || !tapi_broker_call_lookup_handle (original, app, NULL))
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_CALL_STATE,
                    "Call %u is not a consultation call set up by transfer or conference", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!check_state (consultation, &error, TAPI_CALL_STATE_CONNECTED, -1) ||
      !check_state (original, &error, TAPI_CALL_STATE_HOLD, -1))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  if (mode == TAPI_FINISH_MODE_AS_TRANSFER)
    ok = tapi_provider_finish_transfer (provider_of (original), original,
                                        consultation, &error);
  else
    ok = tapi_provider_finish_conference (provider_of (original), original,
                                          consultation, &error);
  if (!ok)
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (mode == TAPI_FINISH_MODE_AS_TRANSFER &&
      tapi_broker_call_get_state (original) != TAPI_CALL_STATE_DISCONNECTED)
    {
      /* The far end decides: the original call goes when it is done. */
      complete_transfer (self, original, invocation);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  tapi_broker_call_set_consultation_of (consultation, NULL);
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_finish (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_swap_hold (TapiDBusBroker1       *skeleton,
                  GDBusMethodInvocation *invocation,
                  guint                  id,
                  guint                  held_id,
                  TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call, *held = NULL;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_SWAP_HOLD, &error) ||
      !(held = lookup_second_call (self, app, call, held_id, &error)) ||
      !check_state (call, &error, TAPI_CALL_STATE_CONNECTED, -1) ||
      !check_state (held, &error, TAPI_CALL_STATE_HOLD, -1) ||
      !tapi_provider_hold (provider_of (call), call, TRUE, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tapi_provider_hold (provider_of (held), held, FALSE, &error))
    {
      tapi_provider_hold (provider_of (call), call, FALSE, NULL);
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_swap_hold (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Parks call @id at @orbit, or where the provider chooses when @orbit is
 * NULL. Returns where, or NULL with @invocation answered. */
static char *
park (TapiBroker            *self,
      BrokerApp             *app,
      guint                  id,
      const char            *orbit,
      GDBusMethodInvocation *invocation)
{
  TapiBrokerCall *call;
  char *parked_at;
  GError *error = NULL;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_PARK, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_CONNECTED, -1))
    {
      return_gerror (self, invocation, error);
      return NULL;
    }
  if (orbit && *orbit == '\0')
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_PARK_ID,
                    "The park orbit must not be empty");
      return NULL;
    }
  parked_at = tapi_provider_park (provider_of (call), call, orbit, &error);
  if (parked_at == NULL)
    return_gerror (self, invocation, error);
  return parked_at;
}

static gboolean
handle_park_direct (TapiDBusBroker1       *skeleton,
                    GDBusMethodInvocation *invocation,
                    guint                  id,
                    const char            *orbit,
                    TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  g_autofree char *parked_at = NULL;

  if (app != NULL &&
      (parked_at = park (self, app, id, orbit, invocation)) != NULL)
    {
      broker_flush_signals (self);
      tapi_dbus_broker1_complete_park_direct (skeleton, invocation);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_park_indirect (TapiDBusBroker1       *skeleton,
                      GDBusMethodInvocation *invocation,
                      guint                  id,
                      TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  g_autofree char *parked_at = NULL;

  if (app != NULL &&
      (parked_at = park (self, app, id, NULL, invocation)) != NULL)
    {
      broker_flush_signals (self);
      tapi_dbus_broker1_complete_park_indirect (skeleton, invocation,
                                                parked_at);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_unpark (TapiDBusBroker1       *skeleton,
               GDBusMethodInvocation *invocation,
               guint                  id,
               TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_UNPARK, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_IDLE, -1))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (tapi_broker_call_get_destination (call) == NULL)
    {
      return_error (self, invocation, TAPI_ERROR_INVALID_PARK_ID,
                    "Call %u was created without a park orbit as destination",
                    id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tapi_provider_unpark (provider_of (call), call, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_unpark (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_pickup (TapiDBusBroker1       *skeleton,
               GDBusMethodInvocation *invocation,
               guint                  id,
               const char            *group,
               TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)) ||
      !check_feature (call, TAPI_CALL_FEATURES_PICKUP, &error) ||
      !check_state (call, &error, TAPI_CALL_STATE_IDLE, -1) ||
      !tapi_provider_pickup (provider_of (call), call, *group ? group : NULL,
                             &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_pickup (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_remove_from_conference (TapiDBusBroker1       *skeleton,
                               GDBusMethodInvocation *invocation,
                               guint                  id,
                               TapiBroker            *self)
{
  BrokerApp *app = app_for (self, invocation);
  TapiBrokerCall *call;
  GError *error = NULL;

  if (app == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  if (!(call = lookup_call (self, app, id, TRUE, &error)))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tapi_provider_is_in_conference (provider_of (call), call))
    {
      return_error (self, invocation, TAPI_ERROR_NO_CONFERENCE,
                    "Call %u is in no conference", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!tapi_provider_remove_from_conference (provider_of (call), call, &error))
    {
      return_gerror (self, invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  broker_flush_signals (self);
  tapi_dbus_broker1_complete_remove_from_conference (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
connect_call_control_handlers (TapiBroker *self)
{
  g_signal_connect (self->skeleton, "handle-connect",
                    G_CALLBACK (handle_connect), self);
  g_signal_connect (self->skeleton, "handle-answer",
                    G_CALLBACK (handle_answer), self);
  g_signal_connect (self->skeleton, "handle-disconnect",
                    G_CALLBACK (handle_disconnect), self);
  g_signal_connect (self->skeleton, "handle-hold",
                    G_CALLBACK (handle_hold), self);
  g_signal_connect (self->skeleton, "handle-handoff-direct",
                    G_CALLBACK (handle_handoff_direct), self);
  g_signal_connect (self->skeleton, "handle-handoff-indirect",
                    G_CALLBACK (handle_handoff_indirect), self);
  g_signal_connect (self->skeleton, "handle-blind-transfer",
                    G_CALLBACK (handle_blind_transfer), self);
  g_signal_connect (self->skeleton, "handle-transfer",
                    G_CALLBACK (handle_transfer), self);
  g_signal_connect (self->skeleton, "handle-conference",
                    G_CALLBACK (handle_conference), self);
  g_signal_connect (self->skeleton, "handle-finish",
                    G_CALLBACK (handle_finish), self);
  g_signal_connect (self->skeleton, "handle-swap-hold",
                    G_CALLBACK (handle_swap_hold), self);
  g_signal_connect (self->skeleton, "handle-park-direct",
                    G_CALLBACK (handle_park_direct), self);
  g_signal_connect (self->skeleton, "handle-park-indirect",
                    G_CALLBACK (handle_park_indirect), self);
  g_signal_connect (self->skeleton, "handle-unpark",
                    G_CALLBACK (handle_unpark), self);
  g_signal_connect (self->skeleton, "handle-pickup",
                    G_CALLBACK (handle_pickup), self);
  g_signal_connect (self->skeleton, "handle-dial",
                    G_CALLBACK (handle_dial), self);
  g_signal_connect (self->skeleton, "handle-remove-from-conference",
                    G_CALLBACK (handle_remove_from_conference), self);
}
