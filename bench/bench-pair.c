/* bench-pair.c: two applications calling through the embedded broker
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "bench-pair.h"

/* Initializes A and B and registers B as the owner of @address_b. */
gboolean
bench_pair_init (BenchPair   *self,
                 const char  *app_a,
                 const char  *address_a,
                 const char  *app_b,
                 const char  *address_b,
                 GError     **error)
{
  self->app_a = tapi_tapi_new (app_a);
  self->app_b = tapi_tapi_new (app_b);
  if (!tapi_tapi_initialize_sync (self->app_a, NULL, error) ||
      !tapi_tapi_initialize_sync (self->app_b, NULL, error))
    return FALSE;

  self->address_a = tapi_tapi_find_address (self->app_a, address_a);
  self->address_b = tapi_tapi_find_address (self->app_b, address_b);
  if (self->address_a == NULL || self->address_b == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no address %s",
                   self->address_a == NULL ? address_a : address_b);
      return FALSE;
    }
  return tapi_tapi_register_call_notifications (self->app_b, self->address_b,
                                                FALSE, TRUE,
                                                TAPI_MEDIA_TYPE_AUDIO,
                                                error) != 0;
}

gboolean
bench_pair_shutdown (BenchPair  *self,
                     GError    **error)
{
  gboolean ok = tapi_tapi_shutdown (self->app_a, error) &&
                tapi_tapi_shutdown (self->app_b, error);

  g_clear_object (&self->app_a);
  g_clear_object (&self->app_b);
  return ok;
}

/* Keeps the first failure only: what follows it is mostly its echo. */
void
bench_pair_fail (BenchPair  *self,
                 const char *format,
                 ...)
{
  va_list args;

  if (self->failure != NULL)
    return;
  va_start (args, format);
  self->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

gboolean
bench_pair_failed (gpointer self)
{
  return ((BenchPair *) self)->failure != NULL;
}

/* Runs the main context until @done, called with the pair, holds;
 * returns FALSE on a failure or when @timeout_ms passed first. */
gboolean
bench_pair_wait (BenchPair      *self,
                 BenchPredicate  done,
                 guint           timeout_ms,
                 const char     *what)
{
  if (!bench_spin_until (done, self, timeout_ms) && self->failure == NULL)
    bench_pair_fail (self, "timed out waiting for %s", what);
  return self->failure == NULL;
}

static void
operation_done (BenchPair    *self,
                const char   *what,
                gboolean      ok,
                const GError *error,
                gboolean     *done)
{
  self->pending--;
  if (!ok)
    bench_pair_fail (self, "%s: %s", what, error->message);
  else if (done != NULL)
    *done = TRUE;
}

void
bench_pair_connect_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok =
    tapi_basic_call_control_connect_finish (TAPI_BASIC_CALL_CONTROL (source),
                                            result, &error);

  operation_done (self, "connect", ok, error, &((BenchPair *) self)->connected);
}

void
bench_pair_answer_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok =
    tapi_basic_call_control_answer_finish (TAPI_BASIC_CALL_CONTROL (source),
                                           result, &error);

  operation_done (self, "answer", ok, error, &((BenchPair *) self)->answered);
}

void
bench_pair_disconnect_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok =
    tapi_basic_call_control_disconnect_finish (TAPI_BASIC_CALL_CONTROL (source),
                                               result, &error);

  operation_done (self, "disconnect", ok, error, NULL);
}

/* Selects a new media stream terminal of @address on the stream of @call
 * in @direction, with @samples_received (if any) connected to its
 * "samples-received" with the pair as data before any sample can come;
 * @who names the application in a failure. */
TapiTerminal *
bench_pair_attach (BenchPair             *self,
                   TapiCall              *call,
                   TapiAddress           *address,
                   TapiTerminalDirection  direction,
                   GCallback              samples_received,
                   const char            *who)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTerminal) terminal = NULL;
  const char *name = direction == TAPI_TERMINAL_DIRECTION_RENDER ? "render"
                                                                 : "capture";
  TapiStream *stream = bench_stream_of (call, direction);

  if (stream == NULL)
    {
      bench_pair_fail (self, "%s's call has no %s stream", who, name);
      return NULL;
    }
  terminal = bench_new_terminal (address, TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                                 direction, &error);
  if (terminal != NULL && samples_received != NULL)
    g_signal_connect (terminal, "samples-received", samples_received, self);
  if (terminal == NULL ||
      !tapi_stream_select_terminal (stream, terminal, &error))
    {
      bench_pair_fail (self, "%s cannot use a %s terminal: %s", who, name,
                       error->message);
      return NULL;
    }
  return g_steal_pointer (&terminal);
}

static void
state_changed_cb (TapiCall           *call,
                  TapiCallState       state,
                  TapiCallStateCause  cause,
                  gpointer            user_data)
{
  BenchPair *self = user_data;

  if (state != TAPI_CALL_STATE_DISCONNECTED)
    return;
  if (call == self->call_a)
    self->a_disconnected = TRUE;
  else
    self->b_disconnected = TRUE;
  if (!self->ending || cause != TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL)
    bench_pair_fail (self, "%s's call was disconnected (%s)",
                     call == self->call_a ? "A" : "B",
                     bench_enum_nick (TAPI_TYPE_CALL_STATE_CAUSE, cause));
}

static void
watch_call (BenchPair *self,
            TapiCall  *call,
            GCallback  media_event)
{
  g_signal_connect (call, "media-event", media_event, self);
  g_signal_connect (call, "state-changed", G_CALLBACK (state_changed_cb), self);
}

/* Creates A's call to @destination, with @media_event connected to its
 * "media-event" with the pair as data. */
gboolean
bench_pair_place_call (BenchPair  *self,
                       const char *destination,
                       GCallback   media_event)
{
  g_autoptr(GError) error = NULL;

  self->call_a = tapi_address_create_call (self->address_a, destination,
                                           TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                           TAPI_MEDIA_TYPE_AUDIO, &error);
  if (self->call_a == NULL)
    {
      bench_pair_fail (self, "create_call: %s", error->message);
      return FALSE;
    }
  watch_call (self, self->call_a, media_event);
  return TRUE;
}

/* Takes the call B was notified of as its call; fails unless it is the
 * first and B owns it. */
gboolean
bench_pair_take_call (BenchPair                 *self,
                      TapiCall                  *call,
                      TapiCallNotificationEvent  event,
                      GCallback                  media_event)
{
  if (self->call_b != NULL || event != TAPI_CALL_NOTIFICATION_EVENT_OWNER)
    {
      bench_pair_fail (self,
                       "B was notified of a handle it did not expect (%s)",
                       bench_enum_nick (TAPI_TYPE_CALL_NOTIFICATION_EVENT,
                                        event));
      return FALSE;
    }
  self->call_b = g_object_ref (call);
  watch_call (self, call, media_event);
  return TRUE;
}

static gboolean
both_disconnected (gpointer user_data)
{
  BenchPair *self = user_data;

  return self->failure != NULL ||
         (self->pending == 0 && self->a_disconnected && self->b_disconnected);
}

/* Disconnects @call, one of the pair's, and waits for both to end. */
gboolean
bench_pair_hang_up (BenchPair *self,
                    TapiCall  *call,
                    guint      timeout_ms)
{
  self->ending = TRUE;
  self->pending++;
  tapi_basic_call_control_disconnect_async (TAPI_BASIC_CALL_CONTROL (call),
                                            TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                            bench_pair_disconnect_cb, self);
  return bench_pair_wait (self, both_disconnected, timeout_ms,
                          "the end of the call");
}

static void
release (BenchPair  *self,
         TapiCall  **call)
{
  g_autoptr(GError) error = NULL;

  if (*call == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*call, self);
  if (!tapi_call_release (*call, &error))
    bench_pair_fail (self, "release: %s", error->message);
  g_clear_object (call);
}

/* Releases both calls, ready for the next. */
void
bench_pair_end_call (BenchPair *self)
{
  release (self, &self->call_a);
  release (self, &self->call_b);
  self->connected = self->answered = self->ending = FALSE;
  self->a_disconnected = self->b_disconnected = FALSE;
}
