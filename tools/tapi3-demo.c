/* tapi3-demo.c: "tapi3 demo", a scripted tour of the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi3-demo-private.h"

#define SETTLE_TIMEOUT_MS 3000
#define DEMO_TIMEOUT_S 55

const AppInfo app_info[N_APPS] = {
  [APP_CALLER] = { "org.example.Caller", "100" },
  [APP_SOFTPHONE] = { "org.example.Softphone", "101" },
  [APP_RECEPTION] = { "org.example.Reception", "101" },
  [APP_FAX] = { "org.example.Fax", "101" },
  [APP_RECORDER] = { "org.example.Recorder", "101" },
  [APP_COLLEAGUE] = { "org.example.Colleague", "102" },
  [APP_OPERATOR] = { "org.example.Operator", "103" },
};

/* The timeline */

void
timeline (Demo       *demo,
          App        *app,
          TapiCall   *call,
          const char *format,
          ...)
{
  g_autofree char *message = NULL;
  g_autofree char *call_label = NULL;
  gint64 elapsed = g_get_monotonic_time () - demo->start_us;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (call != NULL)
    {
      TapiAddress *address = tapi_call_get_address (call);

      call_label = g_strdup_printf ("call %u@%s", tapi_call_get_call_id (call),
                                    tapi_address_get_name (address));
    }

  g_print ("%3d.%03ds  %-10s %-12s %s\n",
           (int) (elapsed / G_USEC_PER_SEC),
           (int) ((elapsed % G_USEC_PER_SEC) / 1000),
           app != NULL ? app->label : "",
           call_label != NULL ? call_label : "",
           message);
}

static const char *
state_nick (TapiCallState state)
{
  return cli_enum_to_string (TAPI_TYPE_CALL_STATE, state);
}

static const char *
cause_nick (TapiCallStateCause cause)
{
  return cli_enum_to_string (TAPI_TYPE_CALL_STATE_CAUSE, cause);
}

static const char *
error_nick (int code)
{
  if (code == OP_OK)
    return "success";
  return cli_enum_to_string (TAPI_TYPE_ERROR, code);
}

const char *
str_or_empty (const char *string)
{
  return string != NULL ? string : "";
}

/* The script runner */

static void cleanup_begin (Demo *demo);
static void cleanup_poke (Demo *demo);
static void poke (Demo *demo);

static gboolean
run_step_cb (gpointer user_data)
{
  Demo *demo = user_data;
  const Scene *scene = &demo->scenes[demo->scene_index];
  const Step *step = &scene->steps[demo->step_index];

  demo->step_source = 0;
  if (step->run == NULL)
    {
      cleanup_begin (demo);
      return G_SOURCE_REMOVE;
    }

  if (step->what != NULL)
    timeline (demo, &demo->apps[step->actor], NULL, "> %s", step->what);
  step->run (demo);
  return G_SOURCE_REMOVE;
}

static gboolean step_timeout_cb (gpointer user_data);

static void
schedule_step (Demo *demo)
{
  g_clear_handle_id (&demo->timeout_source, g_source_remove);
  demo->timeout_source = g_timeout_add (STEP_TIMEOUT_MS, step_timeout_cb, demo);
  demo->step_source = g_idle_add (run_step_cb, demo);
}

void
step_done (Demo *demo)
{
  demo->wait = NULL;
  demo->wait_what = NULL;
  demo->wait_op = NULL;
  demo->step_index++;
  schedule_step (demo);
}

void
step_fail (Demo       *demo,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  timeline (demo, NULL, NULL, "!! UNEXPECTED: %s", message);
  demo->wait = NULL;
  demo->wait_op = NULL;
  demo->scene_failed = TRUE;
  cleanup_begin (demo);
}

static gboolean
step_timeout_cb (gpointer user_data)
{
  Demo *demo = user_data;

  demo->timeout_source = 0;
  if (demo->cleaning)
    return G_SOURCE_REMOVE;
  if (demo->wait_op != NULL)
    step_fail (demo, "%s %s did not complete within %d ms (expected %s)",
               demo->wait_op->app->label, demo->wait_op->what, STEP_TIMEOUT_MS,
               error_nick (demo->wait_error));
  else
    step_fail (demo, "timed out after %d ms; expected %s", STEP_TIMEOUT_MS,
               demo->wait_what != NULL ? demo->wait_what :
                 "the step to complete");
  return G_SOURCE_REMOVE;
}

/* The step completes once @func returns TRUE; @what says what is expected. */
void
step_wait (Demo       *demo,
           WaitFunc    func,
           const char *what)
{
  demo->wait = func;
  demo->wait_what = what;
  poke (demo);
}

gboolean
op_matches (Demo *demo,
            Op   *op,
            int   expected)
{
  if (expected == OP_OK && op->error == NULL)
    return TRUE;
  if (expected != OP_OK && g_error_matches (op->error, TAPI_ERROR, expected))
    return TRUE;

  step_fail (demo, "%s %s: expected %s, got %s%s%s",
             op->app->label, op->what, error_nick (expected),
             op->error == NULL ? "success" :
               op->error->domain == TAPI_ERROR ? error_nick (op->error->code) :
               g_quark_to_string (op->error->domain),
             op->error != NULL ? ": " : "",
             op->error != NULL ? op->error->message : "");
  return FALSE;
}

/* The step completes when @op completes with @expected (OP_OK or a
 * TapiError code); anything else fails the scene. */
void
step_wait_op (Demo *demo,
              Op   *op,
              int   expected)
{
  demo->wait_op = op;
  demo->wait_error = expected;
  poke (demo);
}

static gboolean
slept_ready (Demo *demo)
{
  return demo->slept;
}

static gboolean
sleep_done_cb (gpointer user_data)
{
  Demo *demo = user_data;

  demo->sleep_source = 0;
  demo->slept = TRUE;
  poke (demo);
  return G_SOURCE_REMOVE;
}

/* The step completes after @milliseconds, which may be longer than an
 * ordinary step is given. */
void
step_sleep (Demo       *demo,
            guint       milliseconds,
            const char *what)
{
  demo->slept = FALSE;
  demo->sleep_source = g_timeout_add (milliseconds, sleep_done_cb, demo);
  g_clear_handle_id (&demo->timeout_source, g_source_remove);
  demo->timeout_source = g_timeout_add (milliseconds + STEP_TIMEOUT_MS,
                                        step_timeout_cb, demo);
  step_wait (demo, slept_ready, what);
}

static gboolean
background_op_failed (Demo *demo,
                      Op   *op)
{
  if (op == NULL || !op->done || op->error == NULL || op == demo->wait_op)
    return FALSE;
  return !op_matches (demo, op, OP_OK);
}

/* Called after every event: re-evaluates what the current step waits for. */
static void
poke (Demo *demo)
{
  if (demo->cleaning)
    {
      cleanup_poke (demo);
      return;
    }
  if (demo->step_source != 0)
    return;

  /* Operations left running in the background are expected to succeed;
   * fail at once rather than at the step's timeout. */
  if (background_op_failed (demo, demo->connect_op) ||
      background_op_failed (demo, demo->pending_op))
    return;

  /* No scene expects its media to fail. */
  if (demo->media_failure != NULL)
    {
      g_autofree char *failure = g_steal_pointer (&demo->media_failure);

      step_fail (demo, "%s", failure);
      return;
    }

  if (demo->wait_op != NULL)
    {
      if (!demo->wait_op->done)
        return;
      if (op_matches (demo, demo->wait_op, demo->wait_error))
        step_done (demo);
      return;
    }

  if (demo->wait != NULL && demo->wait (demo))
    step_done (demo);
}

/* Checks for the run functions. Each returns FALSE after failing the step. */

gboolean
expect (Demo       *demo,
        gboolean    condition,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (condition)
    return TRUE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  step_fail (demo, "%s", message);
  return FALSE;
}

App *
app_of_call (Demo     *demo,
             TapiCall *call)
{
  for (guint i = 0; i < N_APPS; i++)
    if (g_ptr_array_find (demo->apps[i].calls, call, NULL))
      return &demo->apps[i];
  return NULL;
}

const char *
call_owner_label (Demo     *demo,
                  TapiCall *call)
{
  App *app = app_of_call (demo, call);

  return app != NULL ? app->label : "?";
}

gboolean
expect_state (Demo               *demo,
              TapiCall           *call,
              TapiCallState       state,
              int                 cause)
{
  TapiCallState actual = tapi_call_get_state (call);
  TapiCallStateCause actual_cause = tapi_call_get_state_cause (call);

  if (actual == state && (cause < 0 || (int) actual_cause == cause))
    return TRUE;

  step_fail (demo, "%s's call %u: expected %s%s%s%s, got %s (cause %s)",
             call_owner_label (demo, call), tapi_call_get_call_id (call),
             state_nick (state),
             cause >= 0 ? " (cause " : "",
             cause >= 0 ? cause_nick (cause) : "",
             cause >= 0 ? ")" : "",
             state_nick (actual), cause_nick (actual_cause));
  return FALSE;
}

gboolean
expect_privilege (Demo              *demo,
                  TapiCall          *call,
                  TapiCallPrivilege  privilege)
{
  TapiCallPrivilege actual = tapi_call_get_privilege (call);

  return expect (demo, actual == privilege,
                 "%s's call %u: expected privilege %s, got %s",
                 call_owner_label (demo, call), tapi_call_get_call_id (call),
                 cli_enum_to_string (TAPI_TYPE_CALL_PRIVILEGE, privilege),
                 cli_enum_to_string (TAPI_TYPE_CALL_PRIVILEGE, actual));
}

gboolean
expect_string (Demo       *demo,
               TapiCall   *call,
               const char *property,
               const char *actual,
               const char *expected)
{
  return expect (demo, g_strcmp0 (actual, expected) == 0,
                 "%s's call %u: expected %s \"%s\", got \"%s\"",
                 call_owner_label (demo, call), tapi_call_get_call_id (call),
                 property, expected, str_or_empty (actual));
}

/* Applications and their handles */

static void
call_state_changed_cb (TapiCall          *call,
                       TapiCallState      state,
                       TapiCallStateCause cause,
                       App               *app)
{
  timeline (app->demo, app, call, "state %s (cause %s)",
            state_nick (state), cause_nick (cause));
  poke (app->demo);
}

static void
call_info_changed_cb (TapiCall          *call,
                      TapiCallInfoChange change,
                      App               *app)
{
  g_autofree char *description = cli_describe_info_change (call, change);

  timeline (app->demo, app, call, "%s", description);
  poke (app->demo);
}

static void
call_media_event_cb (TapiCall           *call,
                     TapiCallMediaEvent  event,
                     TapiCallMediaCause  cause,
                     TapiStream         *stream,
                     TapiTerminal       *terminal,
                     App                *app)
{
  Demo *demo = app->demo;
  g_autofree char *description = cli_describe_media_event (event, cause,
                                                           stream, terminal);

  timeline (demo, app, call, "%s", description);
  if ((event == TAPI_CALL_MEDIA_EVENT_STREAM_FAIL ||
       event == TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL) &&
      !demo->cleaning && demo->media_failure == NULL)
    demo->media_failure = g_strdup_printf ("%s's call %u: %s", app->label,
                                           tapi_call_get_call_id (call),
                                           description);
  poke (demo);
}

static void
call_digit_detected_cb (TapiCall      *call,
                        guint          digit,
                        TapiDigitMode  mode,
                        App           *app)
{
  Demo *demo = app->demo;
  char character = digit < 128 && g_ascii_isprint (digit) ? (char) digit : '?';
  g_autofree char *mode_nick = cli_flags_to_string (TAPI_TYPE_DIGIT_MODE,
                                                    mode);

  timeline (demo, app, call, "digit detected: %c (%s)", character, mode_nick);
  g_string_append_c (demo->digits, character);
  poke (demo);
}

static void
call_media_detected_cb (TapiCall      *call,
                        TapiMediaType  media_type,
                        App           *app)
{
  Demo *demo = app->demo;
  g_autofree char *types = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                                media_type);

  timeline (demo, app, call, "media detected: %s", types);
  demo->detected |= media_type;
  poke (demo);
}

static void
stream_state_cb (TapiStream *stream,
                 GParamSpec *pspec,
                 App        *app)
{
  poke (app->demo);
}

static void
app_follow_call (App      *app,
                 TapiCall *call)
{
  GListModel *streams;

  if (g_ptr_array_find (app->calls, call, NULL))
    return;

  /* Steps wait for stream states as well as for call events. */
  streams = tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      g_signal_connect (stream, "notify::state",
                        G_CALLBACK (stream_state_cb), app);
    }

  g_ptr_array_add (app->calls, g_object_ref (call));
  g_signal_connect (call, "state-changed",
                    G_CALLBACK (call_state_changed_cb), app);
  g_signal_connect (call, "info-changed",
                    G_CALLBACK (call_info_changed_cb), app);
  g_signal_connect (call, "media-event",
                    G_CALLBACK (call_media_event_cb), app);
  g_signal_connect (call, "digit-detected",
                    G_CALLBACK (call_digit_detected_cb), app);
  g_signal_connect (call, "media-detected",
                    G_CALLBACK (call_media_detected_cb), app);
}

static void
app_unfollow_call (App      *app,
                   TapiCall *call)
{
  GListModel *streams =
    tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));

  for (guint i = 0; i < g_list_model_get_n_items (streams); i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      g_signal_handlers_disconnect_by_data (stream, app);
    }
  g_signal_handlers_disconnect_by_data (call, app);
}

static void
call_notification_cb (TapiTapi                 *tapi,
                      TapiCall                 *call,
                      TapiCallNotificationEvent event,
                      App                      *app)
{
  gboolean known = g_ptr_array_find (app->calls, call, NULL);

  timeline (app->demo, app, call,
            "call notification: %s handle%s, %s, from %s to %s",
            cli_enum_to_string (TAPI_TYPE_CALL_NOTIFICATION_EVENT, event),
            known ? " (a handle it already had)" : "",
            state_nick (tapi_call_get_state (call)),
            str_or_empty (tapi_call_get_caller_id_number (call)),
            str_or_empty (tapi_call_get_called_id_number (call)));
  app_follow_call (app, call);
  if (!g_ptr_array_find (app->notified, call, NULL))
    g_ptr_array_add (app->notified, g_object_ref (call));
  poke (app->demo);
}

TapiCall *
app_last_notified (App *app)
{
  if (app->notified->len == 0)
    return NULL;
  return g_ptr_array_index (app->notified, app->notified->len - 1);
}

TapiCall *
last_notified (Demo  *demo,
               AppId  id)
{
  return app_last_notified (&demo->apps[id]);
}

gboolean
connected_to (TapiCall   *call,
              const char *number)
{
  return g_strcmp0 (tapi_call_get_connected_id_number (call), number) == 0;
}

TapiCall *
app_create_call (Demo       *demo,
                 App        *app,
                 const char *destination)
{
  g_autoptr(GError) error = NULL;
  TapiCall *call;

  call = tapi_address_create_call (app->address, destination,
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  if (call == NULL)
    {
      step_fail (demo, "%s cannot create a call to %s: %s", app->label,
                 destination != NULL ? destination : "(dial tone)",
                 error->message);
      return NULL;
    }

  app_follow_call (app, call);
  timeline (demo, app, call, "created, %s, to %s",
            state_nick (tapi_call_get_state (call)),
            destination != NULL ? destination : "(none: dial tone)");
  return call;
}

gboolean
app_register (Demo          *demo,
              App           *app,
              gboolean       monitor,
              gboolean       owner,
              TapiMediaType  media_types)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *types = cli_flags_to_string (TAPI_TYPE_MEDIA_TYPE,
                                                media_types);
  Registration registration = { app, 0 };

  registration.id = tapi_tapi_register_call_notifications (app->tapi,
                                                           app->address,
                                                           monitor, owner,
                                                           media_types,
                                                           &error);
  if (registration.id == 0)
    {
      step_fail (demo, "%s cannot register on %s: %s", app->label,
                 tapi_address_get_name (app->address), error->message);
      return FALSE;
    }

  g_array_append_val (demo->registrations, registration);
  timeline (demo, app, NULL, "registered on %s as%s%s%s%s%s",
            tapi_address_get_name (app->address),
            owner ? " owner (" : "", owner ? types : "", owner ? ")" : "",
            owner && monitor ? " and" : "", monitor ? " monitor" : "");
  return TRUE;
}

/* Operations */

static void
op_free (Op *op)
{
  g_clear_error (&op->error);
  g_clear_object (&op->call);
  g_free (op->park_address);
  g_free (op->what);
  g_free (op);
}

Op *
op_new (Demo       *demo,
        App        *app,
        TapiCall   *call,
        const char *what,
        FinishFunc  finish)
{
  Op *op = g_new0 (Op, 1);

  op->demo = demo;
  op->app = app;
  op->call = g_object_ref (call);
  op->what = g_strdup (what);
  op->finish = finish;
  op->scene = demo->scene_index;
  g_ptr_array_add (demo->ops, op);
  return op;
}

static void
op_report (Op *op)
{
  /* Hanging up races with the other party doing the same. */
  if (op->cleanup &&
      g_error_matches (op->error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE))
    timeline (op->demo, op->app, op->call, "%s: already over", op->what);
  else if (op->error != NULL)
    timeline (op->demo, op->app, op->call, "%s failed: %s (%s)", op->what,
              op->error->message,
              op->error->domain == TAPI_ERROR ?
                error_nick (op->error->code) : "?");
  else if (op->park_address != NULL)
    timeline (op->demo, op->app, op->call, "%s done: parked at %s", op->what,
              op->park_address);
  else
    timeline (op->demo, op->app, op->call, "%s done", op->what);
}

void
op_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Op *op = user_data;

  op->finish (TAPI_BASIC_CALL_CONTROL (source), result, &op->error);
  op->done = TRUE;
  op_report (op);
  if (op->cleanup && op->scene == op->demo->scene_index &&
      op->demo->cleaning && op->demo->pending_disconnects > 0)
    op->demo->pending_disconnects--;
  poke (op->demo);
}

void
park_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;

  op->park_address =
    tapi_basic_call_control_park_indirect_finish (BCC (source), result,
                                                  &op->error);
  op->done = TRUE;
  op_report (op);
  poke (op->demo);
}

Op *
start_connect (Demo     *demo,
               App      *app,
               TapiCall *call)
{
  Op *op = op_new (demo, app, call, "connect",
                   tapi_basic_call_control_connect_finish);

  tapi_basic_call_control_connect_async (BCC (call), NULL, op_done_cb, op);
  return op;
}

Op *
start_answer (Demo     *demo,
              App      *app,
              TapiCall *call)
{
  Op *op = op_new (demo, app, call, "answer",
                   tapi_basic_call_control_answer_finish);

  tapi_basic_call_control_answer_async (BCC (call), NULL, op_done_cb, op);
  return op;
}

Op *
start_disconnect (Demo       *demo,
                  App        *app,
                  TapiCall   *call,
                  const char *what)
{
  Op *op = op_new (demo, app, call, what,
                   tapi_basic_call_control_disconnect_finish);

  tapi_basic_call_control_disconnect_async (BCC (call),
                                            TAPI_DISCONNECT_CODE_NORMAL, NULL,
                                            op_done_cb, op);
  return op;
}

Op *
start_handoff_direct (Demo       *demo,
                      App        *app,
                      TapiCall   *call,
                      const char *target)
{
  g_autofree char *what = g_strdup_printf ("handoff-direct to %s", target);
  Op *op = op_new (demo, app, call, what,
                   tapi_basic_call_control_handoff_direct_finish);

  tapi_basic_call_control_handoff_direct_async (BCC (call), target, NULL,
                                                op_done_cb, op);
  return op;
}

static const Scene scenes[] = {
  { "Incoming call offered by priority", demo_scene1 },
  { "Handoff by media type and by name", demo_scene2 },
  { "Blind transfer", demo_scene3 },
  { "Consultation transfer", demo_scene4 },
  { "Conference", demo_scene5 },
  { "Park and unpark", demo_scene6 },
  { "Pickup", demo_scene7 },
  { "Busy, a malformed number, dial tone and dial", demo_scene8 },
  { "Recording across a handoff", demo_scene9 },
  { "Digits", demo_scene10 },
  { "Fax detection and handoff by media type", demo_scene11 },
};

/* Scene boundaries */

static gboolean
call_is_live (TapiCall *call)
{
  TapiCallState state = tapi_call_get_state (call);

  return !tapi_call_get_released (call) &&
         state != TAPI_CALL_STATE_IDLE &&
         state != TAPI_CALL_STATE_DISCONNECTED;
}

static gboolean
all_calls_settled (Demo *demo)
{
  for (guint i = 0; i < N_APPS; i++)
    for (guint j = 0; j < demo->apps[i].calls->len; j++)
      if (call_is_live (g_ptr_array_index (demo->apps[i].calls, j)))
        return FALSE;
  return TRUE;
}

static void start_scene (Demo *demo);
static gboolean cleanup_check_cb (gpointer user_data);

static gboolean
settle_timeout_cb (gpointer user_data)
{
  Demo *demo = user_data;

  demo->timeout_source = 0;
  demo->settle_expired = TRUE;
  cleanup_poke (demo);
  return G_SOURCE_REMOVE;
}

/* After the last step, or after a failure: hangs up what the scene left
 * behind, then waits for every handle to settle before releasing them. */
static void
cleanup_begin (Demo *demo)
{
  if (demo->cleaning)
    return;

  demo->cleaning = TRUE;
  demo->settle_expired = FALSE;
  demo->wait = NULL;
  demo->wait_op = NULL;
  g_clear_handle_id (&demo->timeout_source, g_source_remove);
  g_clear_handle_id (&demo->step_source, g_source_remove);
  g_clear_handle_id (&demo->sleep_source, g_source_remove);
  meter_render_stream (demo, NULL);

  for (guint i = 0; i < N_APPS; i++)
    {
      App *app = &demo->apps[i];

      for (guint j = 0; j < app->calls->len; j++)
        {
          TapiCall *call = g_ptr_array_index (app->calls, j);

          if (call_is_live (call) &&
              tapi_call_get_privilege (call) == TAPI_CALL_PRIVILEGE_OWNER)
            {
              Op *op = start_disconnect (demo, app, call, "clean-up hang-up");

              op->cleanup = TRUE;
              demo->pending_disconnects++;
            }
        }
    }

  demo->timeout_source = g_timeout_add (SETTLE_TIMEOUT_MS, settle_timeout_cb,
                                        demo);
  cleanup_poke (demo);
}

static void
cleanup_poke (Demo *demo)
{
  if (demo->cleanup_source == 0)
    demo->cleanup_source = g_idle_add (cleanup_check_cb, demo);
}

static void
cleanup_finish (Demo *demo)
{
  const Scene *scene = &demo->scenes[demo->scene_index];
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_APPS; i++)
    {
      App *app = &demo->apps[i];

      for (guint j = 0; j < app->calls->len; j++)
        {
          TapiCall *call = g_ptr_array_index (app->calls, j);

          app_unfollow_call (app, call);
          if (!tapi_call_get_released (call) &&
              !tapi_call_release (call, &error))
            {
              timeline (demo, app, call, "!! release failed: %s",
                        error->message);
              g_clear_error (&error);
              demo->scene_failed = TRUE;
            }
        }
      g_ptr_array_set_size (app->calls, 0);
      g_ptr_array_set_size (app->notified, 0);
    }

  for (guint i = 0; i < demo->registrations->len; i++)
    {
      Registration *registration = &g_array_index (demo->registrations,
                                                   Registration, i);

      if (!tapi_tapi_unregister_notifications (registration->app->tapi,
                                               registration->id, &error))
        {
          timeline (demo, registration->app, NULL,
                    "!! unregister failed: %s", error->message);
          g_clear_error (&error);
          demo->scene_failed = TRUE;
        }
    }
  g_array_set_size (demo->registrations, 0);

  if (demo->priority_set)
    {
      tapi_tapi_set_application_priority (demo->apps[APP_RECEPTION].tapi,
                                          app_info[APP_RECEPTION].name,
                                          TAPI_MEDIA_TYPE_AUDIO, FALSE, NULL);
      demo->priority_set = FALSE;
    }

  g_clear_object (&demo->outgoing);
  g_clear_object (&demo->incoming);
  g_clear_object (&demo->consultation);
  g_clear_object (&demo->third);
  g_clear_object (&demo->handed);
  g_clear_pointer (&demo->orbit, g_free);
  demo->connect_op = NULL;
  demo->pending_op = NULL;
  demo->pending_disconnects = 0;

  /* The calls were released: no stream holds a terminal any more. */
  g_ptr_array_set_size (demo->terminals, 0);
  g_string_truncate (demo->digits, 0);
  demo->detected = 0;
  g_clear_pointer (&demo->media_failure, g_free);
  g_clear_pointer (&demo->first_recording, g_free);
  g_clear_pointer (&demo->second_recording, g_free);

  if (demo->scene_failed)
    {
      g_ptr_array_add (demo->failed_scenes,
                       g_strdup_printf ("%u. %s", demo->scene_index + 1,
                                        scene->title));
      g_print ("Scene %u FAILED\n", demo->scene_index + 1);
    }
  else
    g_print ("Scene %u passed\n", demo->scene_index + 1);

  demo->cleaning = FALSE;
  demo->scene_index++;
  start_scene (demo);
}

static gboolean
cleanup_check_cb (gpointer user_data)
{
  Demo *demo = user_data;

  demo->cleanup_source = 0;
  if (!demo->cleaning)
    return G_SOURCE_REMOVE;

  if (demo->pending_disconnects > 0 || !all_calls_settled (demo))
    {
      if (!demo->settle_expired)
        return G_SOURCE_REMOVE;
      timeline (demo, NULL, NULL,
                "!! calls still live %d ms after the scene ended",
                SETTLE_TIMEOUT_MS);
      demo->scene_failed = TRUE;
    }

  g_clear_handle_id (&demo->timeout_source, g_source_remove);
  cleanup_finish (demo);
  return G_SOURCE_REMOVE;
}

static void
start_scene (Demo *demo)
{
  if (demo->scene_index >= demo->n_scenes)
    {
      g_main_loop_quit (demo->loop);
      return;
    }

  g_print ("\nScene %u: %s\n", demo->scene_index + 1,
           demo->scenes[demo->scene_index].title);
  demo->scene_failed = FALSE;
  demo->step_index = 0;
  schedule_step (demo);
}

/* Start-up */

static void
initialize_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  App *app = user_data;
  Demo *demo = app->demo;
  g_autoptr(GError) error = NULL;

  demo->n_initializing--;
  if (!tapi_tapi_initialize_finish (TAPI_TAPI (source), result, &error))
    {
      timeline (demo, app, NULL, "!! cannot initialize: %s", error->message);
      demo->fatal = TRUE;
    }
  else
    {
      app->address = tapi_tapi_find_address (app->tapi,
                                             app_info[app->id].address);
      if (app->address == NULL)
        {
          timeline (demo, app, NULL, "!! has no address %s",
                    app_info[app->id].address);
          demo->fatal = TRUE;
        }
      else
        timeline (demo, app, NULL, "initialized (%s broker), uses %s",
                  cli_enum_to_string (TAPI_TYPE_BROKER_MODE,
                                      tapi_tapi_get_broker_mode (app->tapi)),
                  tapi_address_get_name (app->address));
    }

  if (demo->n_initializing > 0)
    return;
  if (demo->fatal)
    g_main_loop_quit (demo->loop);
  else
    start_scene (demo);
}

static gboolean
demo_timeout_cb (gpointer user_data)
{
  Demo *demo = user_data;

  timeline (demo, NULL, NULL, "!! the demo did not finish within %d s",
            DEMO_TIMEOUT_S);
  demo->fatal = TRUE;
  g_main_loop_quit (demo->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
prepare_recordings_dir (Demo        *demo,
                        const char  *chosen,
                        GError     **error)
{
  if (chosen != NULL)
    {
      if (g_mkdir_with_parents (chosen, 0755) < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR,
                       g_file_error_from_errno (saved_errno),
                       "cannot create \"%s\": %s", chosen,
                       g_strerror (saved_errno));
          return FALSE;
        }
      demo->recordings_dir = g_strdup (chosen);
      demo->remove_recordings = FALSE;
      return TRUE;
    }

  demo->recordings_dir = g_dir_make_tmp ("tapi3-demo-XXXXXX", error);
  demo->remove_recordings = TRUE;
  return demo->recordings_dir != NULL;
}

static void
remove_recordings (Demo *demo)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (demo->recordings_dir == NULL || !demo->remove_recordings)
    return;

  dir = g_dir_open (demo->recordings_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (demo->recordings_dir, name,
                                                NULL);

      g_remove (path);
    }
  g_rmdir (demo->recordings_dir);
}

int
cli_demo (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *recordings = NULL;
  Demo demo = { 0 };
  gboolean session = FALSE;
  guint watchdog;
  int status;
  const GOptionEntry entries[] = {
    { "recordings", 0, 0, G_OPTION_ARG_FILENAME, &recordings,
      "Keep the recordings the scenes make in DIR (default: a temporary "
      "directory, removed at the end)", "DIR" },
    { "session", 0, 0, G_OPTION_ARG_NONE, &session,
      "Tour handoff, transfer and monitoring between processes on the "
      "session broker (tapi3d, started when no broker runs)", NULL },
    G_OPTION_ENTRY_NULL
  };

  g_set_prgname ("tapi3 demo");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Tours libtapi3 on the simulated PBX: several "
                                "applications in this process offer, answer, "
                                "hand off, transfer, conference, park and "
                                "pick up calls, record them, send and detect "
                                "digits and detect a fax. Every scene checks "
                                "what happens; the exit status is 0 when all "
                                "of them behaved.\n\n"
                                "The tour uses the embedded broker unless "
                                "TAPI3_BROKER says otherwise.\n\n"
                                "With --session, the applications are "
                                "separate processes (tapi3 call, answer, "
                                "monitor, transfer) on the session broker: "
                                "a caller, a softphone that hands the call "
                                "to a recorder process, a transfer and what "
                                "a monitor sees. tapi3d is started from "
                                "beside this program when no broker owns "
                                "org.libtapi3.Broker and none can be "
                                "activated, and stopped at the end.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tapi3: %s\nTry \"tapi3 demo --help\".\n", error->message);
      return EXIT_FAILURE;
    }
  if (argc > 1)
    {
      g_printerr ("tapi3: unexpected argument \"%s\"\n"
                  "Try \"tapi3 demo --help\".\n", argv[1]);
      return EXIT_FAILURE;
    }
  if (session)
    return cli_session_demo (recordings);
  if (!prepare_recordings_dir (&demo, recordings, &error))
    {
      g_printerr ("tapi3: no place for the recordings: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_setenv ("TAPI3_BROKER", "embedded", FALSE);

  loop = g_main_loop_new (NULL, FALSE);
  demo.loop = loop;
  demo.start_us = g_get_monotonic_time ();
  demo.scenes = scenes;
  demo.n_scenes = G_N_ELEMENTS (scenes);
  demo.failed_scenes = g_ptr_array_new_with_free_func (g_free);
  demo.ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  demo.registrations = g_array_new (FALSE, FALSE, sizeof (Registration));
  demo.terminals = g_ptr_array_new_with_free_func (g_object_unref);
  demo.digits = g_string_new (NULL);

  g_print ("Recordings go to %s%s\n\n", demo.recordings_dir,
           demo.remove_recordings ? " (removed at the end; keep them with "
                                    "--recordings DIR)" : "");
  g_print ("%7s  %-10s %-12s %s\n", "time", "app", "call", "event");
  for (guint i = 0; i < N_APPS; i++)
    {
      App *app = &demo.apps[i];

      app->demo = &demo;
      app->id = i;
      app->label = strrchr (app_info[i].name, '.') + 1;
      app->tapi = tapi_tapi_new (app_info[i].name);
      app->calls = g_ptr_array_new_with_free_func (g_object_unref);
      app->notified = g_ptr_array_new_with_free_func (g_object_unref);
      g_signal_connect (app->tapi, "call-notification",
                        G_CALLBACK (call_notification_cb), app);
    }

  demo.n_initializing = N_APPS;
  for (guint i = 0; i < N_APPS; i++)
    tapi_tapi_initialize_async (demo.apps[i].tapi, NULL, initialize_done_cb,
                                &demo.apps[i]);

  watchdog = g_timeout_add_seconds (DEMO_TIMEOUT_S, demo_timeout_cb, &demo);
  g_main_loop_run (loop);
  g_source_remove (watchdog);
  g_clear_handle_id (&demo.timeout_source, g_source_remove);
  g_clear_handle_id (&demo.step_source, g_source_remove);
  g_clear_handle_id (&demo.cleanup_source, g_source_remove);
  g_clear_handle_id (&demo.sleep_source, g_source_remove);
  meter_render_stream (&demo, NULL);

  g_print ("\n");
  if (demo.fatal)
    {
      g_print ("The demo could not run to its end.\n");
      status = EXIT_FAILURE;
    }
  else if (demo.failed_scenes->len > 0)
    {
      g_print ("%u of %u scenes did not behave as expected:\n",
               demo.failed_scenes->len, demo.n_scenes);
      for (guint i = 0; i < demo.failed_scenes->len; i++)
        g_print ("  %s\n", (char *) g_ptr_array_index (demo.failed_scenes, i));
      status = EXIT_FAILURE;
    }
  else
    {
      g_print ("All %u scenes behaved as expected.\n", demo.n_scenes);
      status = EXIT_SUCCESS;
    }

  for (guint i = 0; i < N_APPS; i++)
    {
      App *app = &demo.apps[i];

      for (guint j = 0; j < app->calls->len; j++)
        app_unfollow_call (app, g_ptr_array_index (app->calls, j));
      g_signal_handlers_disconnect_by_data (app->tapi, app);
      if (tapi_tapi_get_initialized (app->tapi))
        tapi_tapi_shutdown (app->tapi, NULL);
      g_ptr_array_unref (app->calls);
      g_ptr_array_unref (app->notified);
      g_object_unref (app->tapi);
    }
  g_clear_object (&demo.outgoing);
  g_clear_object (&demo.incoming);
  g_clear_object (&demo.consultation);
  g_clear_object (&demo.third);
  g_clear_object (&demo.handed);
  g_free (demo.orbit);
  g_ptr_array_unref (demo.terminals);
  g_string_free (demo.digits, TRUE);
  g_free (demo.media_failure);
  g_free (demo.first_recording);
  g_free (demo.second_recording);
  remove_recordings (&demo);
  g_free (demo.recordings_dir);
  g_ptr_array_unref (demo.ops);
  g_array_unref (demo.registrations);
  g_ptr_array_unref (demo.failed_scenes);

  return status;
}
