/* tapi-broker-requests.c: method calls of the broker that wait for a call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include "tapi-broker-private.h"
#include "tapi-error.h"

/* Method calls that complete when a call gets somewhere: Connect, Dial
 * and Answer, Transfer and Conference for the consultation call, when the
 * call is connected, or fail when it is dropped; transfers when the
 * transferred call goes DISCONNECTED. A waiter keeps the invocation until
 * then. */

void
drop_waiters_for (TapiBroker     *self,
                  TapiBrokerCall *call)
{
  GList *l = self->waiters;

  while (l)
    {
      GList *next = l->next;
      Waiter *waiter = l->data;

      if (waiter->call == call)
        {
          broker_flush_signals (self);
          g_dbus_method_invocation_return_error_literal (waiter->invocation,
                                                         TAPI_ERROR,
                                                         TAPI_ERROR_DROPPED,
                                                         "The call went away");
          g_object_unref (waiter->call);
          g_free (waiter);
          self->waiters = g_list_delete_link (self->waiters, l);
        }
      l = next;
    }
}

static void
return_error_for_cause (GDBusMethodInvocation *invocation,
                        TapiBrokerCall        *call)
{
  TapiCallStateCause cause = tapi_broker_call_get_state_cause (call);
  TapiError code;
  const char *message;

  switch (cause)
    {
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY:
      code = TAPI_ERROR_DEST_BUSY;
      message = "The destination is busy";
      break;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER:
      code = TAPI_ERROR_DEST_NO_ANSWER;
      message = "The destination did not answer";
      break;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED:
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_BLOCKED:
      code = TAPI_ERROR_DEST_UNAVAILABLE;
      message = "The destination rejected the call";
      break;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS:
      code = TAPI_ERROR_INVALID_ADDRESS;
      message = "The destination does not exist";
      break;
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL:
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED:
      code = TAPI_ERROR_DROPPED;
      message = "The call was disconnected while it was being placed";
      break;
    case TAPI_CALL_STATE_CAUSE_NONE:
    case TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED:
    default:
      code = TAPI_ERROR_FAILED;
      message = "The call failed";
      break;
    }

  g_dbus_method_invocation_return_error_literal (invocation, TAPI_ERROR, code,
                                                 message);
}

/* Completes the requests waiting for @call, from its state. */
void
process_waiters (TapiBroker     *self,
                 TapiBrokerCall *call)
{
  TapiCallState state = tapi_broker_call_get_state (call);
  GList *l = self->waiters;

  while (l)
    {
      GList *next = l->next;
      Waiter *waiter = l->data;
      gboolean done = FALSE;

      if (waiter->call == call && waiter->kind == WAIT_TRANSFER)
        {
          if (state == TAPI_CALL_STATE_DISCONNECTED)
            {
              broker_flush_signals (self);
              g_dbus_method_invocation_return_value (waiter->invocation, NULL);
              done = TRUE;
            }
        }
      else if (waiter->call == call)
        {
          if (state == TAPI_CALL_STATE_CONNECTED)
            {
              broker_flush_signals (self);
              g_dbus_method_invocation_return_value (waiter->invocation, NULL);
              done = TRUE;
            }
          else if (state == TAPI_CALL_STATE_DISCONNECTED)
            {
              broker_flush_signals (self);
              if (waiter->kind == WAIT_ANSWER)
                g_dbus_method_invocation_return_error_literal (waiter->invocation, TAPI_ERROR,
                                                               TAPI_ERROR_DROPPED,
                                                               "The caller hung up");
              else
                return_error_for_cause (waiter->invocation, call);
              done = TRUE;
            }
        }

      if (done)
        {
          g_object_unref (waiter->call);
          g_free (waiter);
          self->waiters = g_list_delete_link (self->waiters, l);
        }
      l = next;
    }
}

void
add_waiter (TapiBroker            *self,
            TapiBrokerCall        *call,
            WaitKind               kind,
            GDBusMethodInvocation *invocation)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->call = g_object_ref (call);
  waiter->kind = kind;
  waiter->invocation = invocation;
  self->waiters = g_list_append (self->waiters, waiter);
}

/* Takes the waiter back after the provider refused to start. */
void
remove_waiter (TapiBroker            *self,
               GDBusMethodInvocation *invocation)
{
  for (GList *l = self->waiters; l; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->invocation == invocation)
        {
          g_object_unref (waiter->call);
          g_free (waiter);
          self->waiters = g_list_delete_link (self->waiters, l);
          return;
        }
    }
}

/* A transfer the provider has started is done when the call goes
 * DISCONNECTED, at once with the sim, later with a real network; it fails
 * by transfer_failed(). */
void
complete_transfer (TapiBroker            *self,
                   TapiBrokerCall        *call,
                   GDBusMethodInvocation *invocation)
{
  if (tapi_broker_call_get_state (call) == TAPI_CALL_STATE_DISCONNECTED)
    {
      broker_flush_signals (self);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    add_waiter (self, call, WAIT_TRANSFER, invocation);
}
