/* tapi-test-calls.c: calls of the tests and what they emit
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdarg.h>

#include "tapi-test-helper.h"

#define CALL_LOG_KEY "tapi-test-call-log"

/* state-changed and info-changed records */

typedef struct
{
  TapiCallState state;
  TapiCallStateCause cause;
  TapiCallState property_state;
  TapiCallStateCause property_cause;
} StateRecord;

typedef struct
{
  GArray *states;
  GArray *infos;
} CallLog;

static void
call_log_free (gpointer data)
{
  CallLog *log = data;

  g_array_unref (log->states);
  g_array_unref (log->infos);
  g_free (log);
}

static void
state_changed_cb (TapiCall           *call,
                  TapiCallState       state,
                  TapiCallStateCause  cause,
                  CallLog            *log)
{
  StateRecord record = {
    state, cause, tapi_call_get_state (call), tapi_call_get_state_cause (call)
  };

  g_array_append_val (log->states, record);
}

static void
info_changed_cb (TapiCall           *call,
                 TapiCallInfoChange  change,
                 CallLog            *log)
{
  g_array_append_val (log->infos, change);
}

/**
 * tapi_test_watch_call:
 * @call: a #TapiCall
 *
 * Starts recording the `state-changed` and `info-changed` emissions of
 * @call; does nothing if they are recorded already.
 */
void
tapi_test_watch_call (TapiCall *call)
{
  CallLog *log;

  ck_assert_msg (TAPI_IS_CALL (call), "Not a TapiCall: %p", (gpointer) call);
  if (g_object_get_data (G_OBJECT (call), CALL_LOG_KEY) != NULL)
    return;

  log = g_new0 (CallLog, 1);
  log->states = g_array_new (FALSE, FALSE, sizeof (StateRecord));
  log->infos = g_array_new (FALSE, FALSE, sizeof (TapiCallInfoChange));
  g_object_set_data_full (G_OBJECT (call), CALL_LOG_KEY, log, call_log_free);

  g_signal_connect (call, "state-changed", G_CALLBACK (state_changed_cb), log);
  g_signal_connect (call, "info-changed", G_CALLBACK (info_changed_cb), log);
}

static CallLog *
call_log (TapiCall *call)
{
  CallLog *log;

  ck_assert_msg (TAPI_IS_CALL (call), "Not a TapiCall: %p", (gpointer) call);
  log = g_object_get_data (G_OBJECT (call), CALL_LOG_KEY);
  ck_assert_msg (log != NULL, "The call %p is not watched", (gpointer) call);

  return log;
}

guint
tapi_test_state_count (TapiCall *call)
{
  return call_log (call)->states->len;
}

gboolean
tapi_test_state_seen (TapiCall      *call,
                      TapiCallState  state)
{
  CallLog *log = call_log (call);

  for (guint i = 0; i < log->states->len; i++)
    if (g_array_index (log->states, StateRecord, i).state == state)
      return TRUE;

  return FALSE;
}

void
tapi_test_states_clear (TapiCall *call)
{
  g_array_set_size (call_log (call)->states, 0);
}

char *
tapi_test_states_to_string (TapiCall *call)
{
  CallLog *log = call_log (call);
  GString *string = g_string_new ("[");

  for (guint i = 0; i < log->states->len; i++)
    {
      StateRecord *record = &g_array_index (log->states, StateRecord, i);

      g_string_append_printf (string, "%s%s/%s", i > 0 ? ", " : "",
                              tapi_test_state_name (record->state),
                              tapi_test_cause_name (record->cause));
    }
  g_string_append (string, "]");

  return g_string_free (string, FALSE);
}

/**
 * tapi_test_states_diff:
 * @call: a watched call
 * @...: pairs of state and cause, ended by -1
 *
 * Compares the recorded `state-changed` emissions with the expected ones.
 * Each emission must also have been visible in the `state` and
 * `state-cause` properties when it was emitted.
 *
 * Returns: (nullable): %NULL if they match, else a description
 */
char *
tapi_test_states_diff (TapiCall *call,
                       ...)
{
  CallLog *log = call_log (call);
  GString *expected = g_string_new ("[");
  g_autofree char *seen = tapi_test_states_to_string (call);
  gboolean match = TRUE;
  guint n = 0;
  va_list args;
  int state;

  va_start (args, call);
  while ((state = va_arg (args, int)) != -1)
    {
      int cause = va_arg (args, int);

      g_string_append_printf (expected, "%s%s/%s", n > 0 ? ", " : "",
                              tapi_test_state_name (state),
                              tapi_test_cause_name (cause));
      if (n >= log->states->len ||
          g_array_index (log->states, StateRecord,
                         n).state != (TapiCallState) state ||
          g_array_index (log->states, StateRecord,
                         n).cause != (TapiCallStateCause) cause)
        match = FALSE;
      n++;
    }
  va_end (args);
  g_string_append (expected, "]");

  if (n != log->states->len)
    match = FALSE;

  if (!match)
    {
      g_autofree char *want = g_string_free (expected, FALSE);

      return g_strdup_printf ("state-changed emissions %s, expected %s",
                              seen, want);
    }
  g_string_free (expected, TRUE);

  for (guint i = 0; i < log->states->len; i++)
    {
      StateRecord *record = &g_array_index (log->states, StateRecord, i);

      if (record->property_state != record->state ||
          record->property_cause != record->cause)
        return g_strdup_printf ("state-changed (%s, %s) was emitted while "
                                "the properties said %s/%s",
                                tapi_test_state_name (record->state),
                                tapi_test_cause_name (record->cause),
                                tapi_test_state_name (record->property_state),
                                tapi_test_cause_name (record->property_cause));
    }

  return NULL;
}

guint
tapi_test_info_count (TapiCall           *call,
                      TapiCallInfoChange  change)
{
  CallLog *log = call_log (call);
  guint count = 0;

  for (guint i = 0; i < log->infos->len; i++)
    if (g_array_index (log->infos, TapiCallInfoChange, i) == change)
      count++;

  return count;
}

void
tapi_test_infos_clear (TapiCall *call)
{
  g_array_set_size (call_log (call)->infos, 0);
}

char *
tapi_test_infos_to_string (TapiCall *call)
{
  CallLog *log = call_log (call);
  GString *string = g_string_new ("[");

  for (guint i = 0; i < log->infos->len; i++)
    {
      TapiCallInfoChange change =
        g_array_index (log->infos, TapiCallInfoChange, i);

      g_string_append_printf (string, "%s%s", i > 0 ? ", " : "",
                              tapi_test_info_name (change));
    }
  g_string_append (string, "]");

  return g_string_free (string, FALSE);
}

/* Calls */

/**
 * tapi_test_create_call:
 * @app: an application
 * @from: the name of its address
 * @destination: (nullable): the destination
 *
 * Creates a watched audio call to a phone number.
 *
 * Returns: (transfer full): the call in IDLE
 */
TapiCall *
tapi_test_create_call (TapiTapi   *app,
                       const char *from,
                       const char *destination)
{
  g_autoptr(GError) error = NULL;
  TapiCall *call;

  call = tapi_address_create_call (tapi_test_address (app, from), destination,
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (TAPI_IS_CALL (call), "create_call returned no call");
  tapi_test_watch_call (call);
  tapi_test_assert_state (call, TAPI_CALL_STATE_IDLE);

  return call;
}

/**
 * tapi_test_connected_call:
 * @app: an application
 * @from: the name of its address
 * @destination: a service number that answers by itself
 *
 * Returns: (transfer full): a watched call in CONNECTED
 */
TapiCall *
tapi_test_connected_call (TapiTapi   *app,
                          const char *from,
                          const char *destination)
{
  g_autoptr(GError) error = NULL;
  TapiCall *call = tapi_test_create_call (app, from, destination);

  tapi_test_await (call, connect, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  return call;
}

/**
 * tapi_test_extension_call:
 * @caller: the calling application
 * @from: the caller's address
 * @callee: the application that is offered the call as owner
 * @to: the called extension
 * @callee_call: (out) (transfer none) (optional): the callee's call
 *
 * Places a call between two extensions and has the callee answer it.
 *
 * Returns: (transfer full): the caller's call, CONNECTED
 */
TapiCall *
tapi_test_extension_call (TapiTapi    *caller,
                          const char  *from,
                          TapiTapi    *callee,
                          const char  *to,
                          TapiCall   **callee_call)
{
  g_autoptr(GError) error = NULL;
  TapiTestAsync *connecting;
  TapiCallNotificationEvent event;
  TapiCall *call = tapi_test_create_call (caller, from, to);
  TapiCall *incoming;

  connecting = tapi_test_start (call, connect);
  incoming = tapi_test_next_notification (callee, &event);
  ck_assert_int_eq (event, TAPI_CALL_NOTIFICATION_EVENT_OWNER);
  tapi_test_assert_state (incoming, TAPI_CALL_STATE_OFFERING);

  tapi_test_await (incoming, answer, &error);
  tapi_test_assert_no_error (&error);

  tapi_test_end (call, connect, connecting, &error);
  tapi_test_assert_no_error (&error);
  tapi_test_wait_for_state (incoming, TAPI_CALL_STATE_CONNECTED);
  tapi_test_assert_state (call, TAPI_CALL_STATE_CONNECTED);

  if (callee_call != NULL)
    *callee_call = incoming;

  return call;
}

/**
 * tapi_test_extension_call_cleared:
 * @caller: the calling application
 * @from: the caller's address
 * @callee: the application that is offered the call as owner
 * @to: the called extension
 * @callee_call: (out) (transfer none): the callee's call
 *
 * Like tapi_test_extension_call(), then forgets the states both calls
 * went through, so that the test sees only what follows.
 *
 * Returns: (transfer full): the caller's call, CONNECTED
 */
TapiCall *
tapi_test_extension_call_cleared (TapiTapi    *caller,
                                  const char  *from,
                                  TapiTapi    *callee,
                                  const char  *to,
                                  TapiCall   **callee_call)
{
  TapiCall *call = tapi_test_extension_call (caller, from, callee, to,
                                             callee_call);

  tapi_test_states_clear (call);
  tapi_test_states_clear (*callee_call);

  return call;
}

/**
 * tapi_test_hang_up:
 * @call: a call that is not DISCONNECTED
 *
 * Disconnects @call normally; fails unless that succeeds and leaves it
 * DISCONNECTED with the cause `DISCONNECT_NORMAL`.
 */
void
tapi_test_hang_up (TapiCall *call)
{
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_test_await (call, disconnect, TAPI_DISCONNECT_CODE_NORMAL,
                              &error));
  tapi_test_assert_no_error (&error);
  tapi_test_assert_state (call, TAPI_CALL_STATE_DISCONNECTED);
  tapi_test_assert_cause (call, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
}

guint
tapi_test_list_count (GListModel *model)
{
  ck_assert_msg (G_IS_LIST_MODEL (model), "Not a GListModel");
  return g_list_model_get_n_items (model);
}

gboolean
tapi_test_list_contains (GListModel *model,
                         gpointer    item)
{
  guint n = tapi_test_list_count (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (model, i);

      if (object == item)
        return TRUE;
    }

  return FALSE;
}
