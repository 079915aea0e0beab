/* tapi3-demo.c: "tapi3 demo", a scripted tour of the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tapi3-audio.h"
#include "tapi3-cli.h"

/* Several applications share the embedded broker in this one process and
 * thread. Every operation is asynchronous, so an application waiting for
 * the broker never keeps another one from answering.
 *
 * The tour is a list of scenes; a scene is a list of steps run one after
 * the other. A step starts an operation, or waits for a condition that
 * events make true, and must complete within STEP_TIMEOUT_MS. A step whose
 * outcome differs from what it expects fails its scene: the scene is
 * cleaned up (live calls hung up, handles released, registrations removed)
 * and the tour goes on with the next scene. */

#define STEP_TIMEOUT_MS 5000
#define LOUD_DBFS CLI_LOUD_DBFS
#define SETTLE_TIMEOUT_MS 3000
#define DEMO_TIMEOUT_S 55
#define OP_OK (-1)

typedef enum
{
  APP_CALLER,
  APP_SOFTPHONE,
  APP_RECEPTION,
  APP_FAX,
  APP_RECORDER,
  APP_COLLEAGUE,
  APP_OPERATOR,
  N_APPS
} AppId;

static const struct
{
  const char *name;
  const char *address;
} app_info[N_APPS] = {
  [APP_CALLER] = { "org.example.Caller", "100" },
  [APP_SOFTPHONE] = { "org.example.Softphone", "101" },
  [APP_RECEPTION] = { "org.example.Reception", "101" },
  [APP_FAX] = { "org.example.Fax", "101" },
  [APP_RECORDER] = { "org.example.Recorder", "101" },
  [APP_COLLEAGUE] = { "org.example.Colleague", "102" },
  [APP_OPERATOR] = { "org.example.Operator", "103" },
};

typedef struct _Demo Demo;

typedef struct
{
  Demo        *demo;
  AppId        id;
  const char  *label;
  TapiTapi    *tapi;
  TapiAddress *address;   /* the application's own extension */
  GPtrArray   *calls;     /* handles followed in this scene */
  GPtrArray   *notified;  /* those that came with call-notification */
} App;

#define BCC(object) TAPI_BASIC_CALL_CONTROL (object)

typedef gboolean (*FinishFunc) (TapiBasicCallControl *self,
                                GAsyncResult         *result,
                                GError              **error);

typedef struct
{
  Demo       *demo;
  App        *app;
  TapiCall   *call;
  char       *what;
  FinishFunc  finish;
  gboolean    done;
  GError     *error;
  char       *park_address;
  guint       scene;
  gboolean    cleanup;
} Op;

typedef gboolean (*WaitFunc) (Demo *demo);

typedef struct
{
  AppId       actor;
  const char *what;          /* told before the step runs; NULL: quiet */
  void      (*run) (Demo *demo);
} Step;

typedef struct
{
  const char *title;
  const Step *steps;
} Scene;

typedef struct
{
  App   *app;
  guint  id;
} Registration;

struct _Demo
{
  GMainLoop  *loop;
  gint64      start_us;
  App         apps[N_APPS];

  const Scene *scenes;
  guint        n_scenes;
  guint        scene_index;
  guint        step_index;
  guint        step_source;
  guint        timeout_source;
  WaitFunc     wait;
  const char  *wait_what;
  Op          *wait_op;
  int          wait_error;
  gboolean     scene_failed;
  gboolean     cleaning;
  gboolean     settle_expired;
  guint        cleanup_source;
  guint        pending_disconnects;
  guint        n_initializing;
  GPtrArray   *failed_scenes;
  gboolean     fatal;

  GPtrArray   *ops;
  GArray      *registrations;
  gboolean     priority_set;

  /* Where recordings go; removed at the end unless the user chose it */
  char        *recordings_dir;
  gboolean     remove_recordings;

  /* What the running scene is playing with */
  TapiCall    *outgoing;      /* the call placed first (mostly the Caller's) */
  TapiCall    *incoming;      /* the answering application's handle */
  TapiCall    *consultation;  /* the Softphone's second call */
  TapiCall    *third;         /* the Colleague's or the Operator's call */
  TapiCall    *handed;        /* a handle that received a handoff */
  Op          *connect_op;
  Op          *pending_op;
  char        *orbit;

  /* Media */
  GPtrArray   *terminals;     /* the terminals made in this scene */
  GString     *digits;        /* the digits detected in this scene */
  TapiMediaType detected;     /* the media types detected in this scene */
  char        *media_failure; /* a stream or terminal that failed */
  TapiStream  *metered;       /* the stream whose peak level is kept */
  double       peak_level;
  guint        sleep_source;
  gboolean     slept;
  char        *first_recording;
  char        *second_recording;
};

/* The timeline */

static void
timeline (Demo       *demo,
          App        *app,
          TapiCall   *call,
          const char *format,
          ...) G_GNUC_PRINTF (4, 5);

static void
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

static const char *
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

static void
step_done (Demo *demo)
{
  demo->wait = NULL;
  demo->wait_what = NULL;
  demo->wait_op = NULL;
  demo->step_index++;
  schedule_step (demo);
}

static void
step_fail (Demo       *demo,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
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
static void
step_wait (Demo       *demo,
           WaitFunc    func,
           const char *what)
{
  demo->wait = func;
  demo->wait_what = what;
  poke (demo);
}

static gboolean
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
static void
step_wait_op (Demo *demo,
              Op   *op,
              int   expected)
{
  demo->wait_op = op;
  demo->wait_error = expected;
  poke (demo);
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

static gboolean
expect (Demo       *demo,
        gboolean    condition,
        const char *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
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

static App *
app_of_call (Demo     *demo,
             TapiCall *call)
{
  for (guint i = 0; i < N_APPS; i++)
    if (g_ptr_array_find (demo->apps[i].calls, call, NULL))
      return &demo->apps[i];
  return NULL;
}

static const char *
call_owner_label (Demo     *demo,
                  TapiCall *call)
{
  App *app = app_of_call (demo, call);

  return app != NULL ? app->label : "?";
}

static gboolean
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

static gboolean
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

static gboolean
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

static TapiCall *
app_last_notified (App *app)
{
  if (app->notified->len == 0)
    return NULL;
  return g_ptr_array_index (app->notified, app->notified->len - 1);
}

static TapiCall *
last_notified (Demo  *demo,
               AppId  id)
{
  return app_last_notified (&demo->apps[id]);
}

static gboolean
connected_to (TapiCall   *call,
              const char *number)
{
  return g_strcmp0 (tapi_call_get_connected_id_number (call), number) == 0;
}

static TapiCall *
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

static gboolean
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

static Op *
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

static void
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

static void
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

static Op *
start_connect (Demo     *demo,
               App      *app,
               TapiCall *call)
{
  Op *op = op_new (demo, app, call, "connect",
                   tapi_basic_call_control_connect_finish);

  tapi_basic_call_control_connect_async (BCC (call), NULL, op_done_cb, op);
  return op;
}

static Op *
start_answer (Demo     *demo,
              App      *app,
              TapiCall *call)
{
  Op *op = op_new (demo, app, call, "answer",
                   tapi_basic_call_control_answer_finish);

  tapi_basic_call_control_answer_async (BCC (call), NULL, op_done_cb, op);
  return op;
}

static Op *
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

static Op *
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

/* Shared steps */

static gboolean
is_offered (TapiCall *call)
{
  return call != NULL && tapi_call_get_state (call) == TAPI_CALL_STATE_OFFERING;
}

static gboolean
has_state (TapiCall      *call,
           TapiCallState  state)
{
  return call != NULL && tapi_call_get_state (call) == state;
}

static void
caller_dials (Demo       *demo,
              const char *destination)
{
  App *caller = &demo->apps[APP_CALLER];

  demo->outgoing = app_create_call (demo, caller, destination);
  if (demo->outgoing == NULL)
    return;
  demo->connect_op = start_connect (demo, caller, demo->outgoing);
  step_done (demo);
}

static void
caller_dials_101 (Demo *demo)
{
  caller_dials (demo, "101");
}

static gboolean
softphone_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_SOFTPHONE));
}

static void
wait_softphone_offered (Demo *demo)
{
  step_wait (demo, softphone_offered_ready,
             "the Softphone to be offered the call (owner handle, offering)");
}

static void
check_softphone_owner (Demo *demo)
{
  demo->incoming = g_object_ref (last_notified (demo, APP_SOFTPHONE));
  if (expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_string (demo, demo->incoming, "caller-id-number",
                     tapi_call_get_caller_id_number (demo->incoming), "100"))
    step_done (demo);
}

static void
answer_incoming (Demo *demo)
{
  App *app = app_of_call (demo, demo->incoming);

  step_wait_op (demo, start_answer (demo, app, demo->incoming), OP_OK);
}

static void
check_incoming_connected (Demo *demo)
{
  if (expect_state (demo, demo->incoming, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
wait_caller_connect (Demo *demo)
{
  step_wait_op (demo, demo->connect_op, OP_OK);
}

static void
check_outgoing_connected (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static gboolean
outgoing_disconnected_ready (Demo *demo)
{
  return has_state (demo->outgoing, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_outgoing_disconnected (Demo *demo)
{
  step_wait (demo, outgoing_disconnected_ready,
             "the Caller's call to be disconnected");
}

static void
check_outgoing_normal (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

static void
incoming_hangs_up (Demo *demo)
{
  App *app = app_of_call (demo, demo->incoming);

  step_wait_op (demo, start_disconnect (demo, app, demo->incoming, "hang-up"),
                OP_OK);
}

static void
caller_hangs_up (Demo *demo)
{
  step_wait_op (demo, start_disconnect (demo, &demo->apps[APP_CALLER],
                                        demo->outgoing, "hang-up"),
                OP_OK);
}

static gboolean
incoming_disconnected_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_incoming_disconnected (Demo *demo)
{
  step_wait (demo, incoming_disconnected_ready,
             "the answering application's call to be disconnected");
}

static void
check_incoming_normal (Demo *demo)
{
  if (expect_state (demo, demo->incoming, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

static void
register_softphone (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
register_softphone_colleague (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_COLLEAGUE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

#define SOFTPHONE_ANSWERS_CALL_FROM_100 \
  { APP_CALLER, "dials 101 from 100", caller_dials_101 }, \
  { APP_SOFTPHONE, NULL, wait_softphone_offered }, \
  { APP_SOFTPHONE, NULL, check_softphone_owner }, \
  { APP_SOFTPHONE, "answers", answer_incoming }, \
  { APP_SOFTPHONE, NULL, check_incoming_connected }, \
  { APP_CALLER, NULL, wait_caller_connect }, \
  { APP_CALLER, NULL, check_outgoing_connected }

/* Scene 1: an incoming call offered by priority */

static void
s1_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_RECEPTION], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_RECORDER], TRUE, FALSE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
s1_priority (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  App *reception = &demo->apps[APP_RECEPTION];

  if (!tapi_tapi_set_application_priority (reception->tapi,
                                           app_info[APP_RECEPTION].name,
                                           TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                           &error))
    {
      step_fail (demo, "set_application_priority: expected success, got %s",
                 error->message);
      return;
    }
  demo->priority_set = TRUE;
  step_done (demo);
}

static gboolean
s1_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_RECEPTION)) &&
         last_notified (demo, APP_RECORDER) != NULL;
}

static void
s1_wait_offered (Demo *demo)
{
  step_wait (demo, s1_offered_ready,
             "the Reception to be offered the call (owner, offering) and the "
             "Recorder to get a monitor handle");
}

static void
s1_check_offered (Demo *demo)
{
  TapiCall *monitor = last_notified (demo, APP_RECORDER);

  demo->incoming = g_object_ref (last_notified (demo, APP_RECEPTION));
  if (!expect (demo, demo->apps[APP_SOFTPHONE].notified->len == 0,
               "the Softphone (lower priority) got a handle; expected none"))
    return;
  if (!expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_OWNER) ||
      !expect_privilege (demo, monitor, TAPI_CALL_PRIVILEGE_MONITOR) ||
      !expect_string (demo, demo->incoming, "caller-id-number",
                      tapi_call_get_caller_id_number (demo->incoming), "100"))
    return;
  step_done (demo);
}

static void
s1_check_softphone (Demo *demo)
{
  if (expect (demo, demo->apps[APP_SOFTPHONE].notified->len == 0,
              "the Softphone got a handle of the answered call; expected none"))
    step_done (demo);
}

static gboolean
s1_recorder_disconnected_ready (Demo *demo)
{
  return has_state (last_notified (demo, APP_RECORDER),
                    TAPI_CALL_STATE_DISCONNECTED);
}

static void
s1_wait_recorder (Demo *demo)
{
  step_wait (demo, s1_recorder_disconnected_ready,
             "the Recorder's monitor handle to see the call disconnected");
}

static void
s1_restore_priority (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  App *reception = &demo->apps[APP_RECEPTION];

  if (!tapi_tapi_set_application_priority (reception->tapi,
                                           app_info[APP_RECEPTION].name,
                                           TAPI_MEDIA_TYPE_AUDIO, FALSE,
                                           &error))
    {
      step_fail (demo, "set_application_priority (FALSE): expected success, "
                 "got %s", error->message);
      return;
    }
  demo->priority_set = FALSE;
  step_done (demo);
}

static const Step scene1[] = {
  { APP_SOFTPHONE, "Softphone, then Reception register as owners on 101; "
                   "Recorder as monitor", s1_register },
  { APP_RECEPTION, "puts itself first for audio (set_application_priority)",
    s1_priority },
  { APP_CALLER, "dials 101 from 100", caller_dials_101 },
  { APP_RECEPTION, NULL, s1_wait_offered },
  { APP_RECEPTION, NULL, s1_check_offered },
  { APP_RECEPTION, "answers", answer_incoming },
  { APP_RECEPTION, NULL, check_incoming_connected },
  { APP_CALLER, NULL, wait_caller_connect },
  { APP_CALLER, NULL, check_outgoing_connected },
  { APP_SOFTPHONE, NULL, s1_check_softphone },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_RECEPTION, NULL, wait_incoming_disconnected },
  { APP_RECEPTION, NULL, check_incoming_normal },
  { APP_RECORDER, NULL, s1_wait_recorder },
  { APP_RECEPTION, "gives up its priority", s1_restore_priority },
  { 0, NULL, NULL }
};

/* Scene 2: handoff by media type and by name */

static void
s2_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_FAX], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_G3FAX) &&
      app_register (demo, &demo->apps[APP_RECORDER], TRUE, FALSE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static gboolean
s2_recorder_monitor_ready (Demo *demo)
{
  return last_notified (demo, APP_RECORDER) != NULL;
}

static void
s2_wait_recorder_monitor (Demo *demo)
{
  step_wait (demo, s2_recorder_monitor_ready,
             "the Recorder to get a monitor handle of the call");
}

static void
s2_set_media_type (Demo *demo)
{
  g_autoptr(GError) error = NULL;

  TapiCallMediaControl *media_control =
    TAPI_CALL_MEDIA_CONTROL (demo->incoming);

  if (!tapi_call_media_control_set_media_type (media_control,
                                               TAPI_MEDIA_TYPE_G3FAX, &error))
    {
      step_fail (demo, "set_media_type (g3fax): expected success, got %s",
                 error->message);
      return;
    }
  step_done (demo);
}

static gboolean
s2_media_type_seen_ready (Demo *demo)
{
  TapiCall *monitor = last_notified (demo, APP_RECORDER);

  return (tapi_call_get_media_types (monitor) & TAPI_MEDIA_TYPE_G3FAX) != 0;
}

static void
s2_wait_media_type_seen (Demo *demo)
{
  step_wait (demo, s2_media_type_seen_ready,
             "the Recorder to see the media type change to g3fax");
}

static void
s2_handoff_fax (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                   "handoff-indirect to g3fax",
                   tapi_basic_call_control_handoff_indirect_finish);

  tapi_basic_call_control_handoff_indirect_async (BCC (demo->incoming),
                                                  TAPI_MEDIA_TYPE_G3FAX, NULL,
                                                  op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s2_fax_owns_ready (Demo *demo)
{
  TapiCall *fax_call = last_notified (demo, APP_FAX);

  TapiCall *handles[] = { fax_call, demo->incoming,
                          last_notified (demo, APP_RECORDER) };

  if (fax_call == NULL ||
      tapi_call_get_privilege (demo->incoming) != TAPI_CALL_PRIVILEGE_MONITOR)
    return FALSE;

  /* One owner (Fax), two monitors (Softphone, Recorder), seen by all. */
  for (guint i = 0; i < G_N_ELEMENTS (handles); i++)
    if (tapi_call_get_number_of_owners (handles[i]) != 1 ||
        tapi_call_get_number_of_monitors (handles[i]) != 2)
      return FALSE;
  return TRUE;
}

static void
s2_wait_fax_owns (Demo *demo)
{
  step_wait (demo, s2_fax_owns_ready,
             "the Fax to get an owner handle, the Softphone's handle to "
             "become monitor, and every handle to count 1 owner and 2 "
             "monitors");
}

static void
s2_check_fax_owns (Demo *demo)
{
  demo->handed = g_object_ref (last_notified (demo, APP_FAX));
  if (expect_privilege (demo, demo->handed, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_MONITOR) &&
      expect_state (demo, demo->incoming, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s2_handoff_self (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_FAX], demo->handed,
                                      app_info[APP_FAX].name),
                TAPI_ERROR_TARGET_SELF);
}

static void
s2_check_unchanged (Demo *demo)
{
  if (expect_privilege (demo, demo->handed, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_MONITOR))
    step_done (demo);
}

static void
s2_handoff_recorder (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_FAX], demo->handed,
                                      app_info[APP_RECORDER].name),
                OP_OK);
}

static gboolean
s2_recorder_owns_ready (Demo *demo)
{
  TapiCall *recorder_call = last_notified (demo, APP_RECORDER);

  return tapi_call_get_privilege (recorder_call) == TAPI_CALL_PRIVILEGE_OWNER &&
         tapi_call_get_privilege (demo->handed) == TAPI_CALL_PRIVILEGE_MONITOR;
}

static void
s2_wait_recorder_owns (Demo *demo)
{
  step_wait (demo, s2_recorder_owns_ready,
             "the Recorder's monitor handle to become owner and the Fax's "
             "handle to become monitor");
}

static void
s2_check_recorder_owns (Demo *demo)
{
  App *recorder = &demo->apps[APP_RECORDER];

  if (!expect (demo, recorder->notified->len == 1,
               "the Recorder got %u handles; expected its one monitor handle "
               "to become owner", recorder->notified->len))
    return;
  if (expect_state (demo, app_last_notified (recorder),
                    TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s2_handoff_nobody (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_RECORDER],
                                      last_notified (demo, APP_RECORDER),
                                      "org.example.Nobody"),
                TAPI_ERROR_TARGET_NOT_FOUND);
}

static gboolean
s2_dropped_ready (Demo *demo)
{
  return has_state (last_notified (demo, APP_RECORDER),
                    TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_DISCONNECTED);
}

static void
s2_wait_dropped (Demo *demo)
{
  step_wait (demo, s2_dropped_ready,
             "the call to be disconnected after the failed handoff (the "
             "Recorder's and the Caller's calls)");
}

static void
s2_check_dropped (Demo *demo)
{
  if (expect_state (demo, last_notified (demo, APP_RECORDER),
                    TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED))
    step_done (demo);
}

static const Step scene2[] = {
  { APP_SOFTPHONE, "Softphone registers as owner for audio on 101, Fax for "
                   "g3fax, Recorder as monitor", s2_register },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_RECORDER, NULL, s2_wait_recorder_monitor },
  { APP_SOFTPHONE, "hears a fax tone: sets the media type to g3fax",
    s2_set_media_type },
  { APP_RECORDER, NULL, s2_wait_media_type_seen },
  { APP_SOFTPHONE, "hands the call off to whoever takes g3fax",
    s2_handoff_fax },
  { APP_FAX, NULL, s2_wait_fax_owns },
  { APP_FAX, NULL, s2_check_fax_owns },
  { APP_FAX, "hands the call to itself (expect target-self)",
    s2_handoff_self },
  { APP_FAX, NULL, s2_check_unchanged },
  { APP_FAX, "hands the call to org.example.Recorder by name",
    s2_handoff_recorder },
  { APP_RECORDER, NULL, s2_wait_recorder_owns },
  { APP_RECORDER, NULL, s2_check_recorder_owns },
  { APP_RECORDER, "hands the call to org.example.Nobody (expect "
                  "target-not-found)", s2_handoff_nobody },
  { APP_RECORDER, NULL, s2_wait_dropped },
  { APP_RECORDER, NULL, s2_check_dropped },
  { 0, NULL, NULL }
};

/* Scene 3: blind transfer */

static void
s3_blind_transfer (Demo *demo)
{
  demo->pending_op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                             "blind-transfer to 102",
                             tapi_basic_call_control_blind_transfer_finish);
  tapi_basic_call_control_blind_transfer_async (BCC (demo->incoming), "102",
                                                NULL, op_done_cb,
                                                demo->pending_op);
  step_done (demo);
}

static gboolean
colleague_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_COLLEAGUE));
}

static void
wait_colleague_offered (Demo *demo)
{
  step_wait (demo, colleague_offered_ready,
             "the Colleague to be offered a call on 102");
}

static void
take_colleague_call (Demo       *demo,
                     const char *caller)
{
  demo->third = g_object_ref (last_notified (demo, APP_COLLEAGUE));
  if (expect_privilege (demo, demo->third, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_string (demo, demo->third, "caller-id-number",
                     tapi_call_get_caller_id_number (demo->third), caller))
    step_done (demo);
}

static void
s3_take_colleague_call (Demo *demo)
{
  take_colleague_call (demo, "100");
}

static void
answer_third (Demo *demo)
{
  step_wait_op (demo, start_answer (demo, app_of_call (demo, demo->third),
                                    demo->third),
                OP_OK);
}

static void
wait_pending_op (Demo *demo)
{
  step_wait_op (demo, demo->pending_op, OP_OK);
}

static gboolean
s3_transferred_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->third, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_CONNECTED) &&
         connected_to (demo->outgoing, "102");
}

static void
s3_wait_transferred (Demo *demo)
{
  step_wait (demo, s3_transferred_ready,
             "the Softphone's call disconnected, the Caller (100) connected "
             "to 102 and the Colleague's call connected");
}

static void
third_hangs_up (Demo *demo)
{
  step_wait_op (demo, start_disconnect (demo, app_of_call (demo, demo->third),
                                        demo->third, "hang-up"),
                OP_OK);
}

static const Step scene3[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Colleague on 102",
    register_softphone_colleague },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "blind-transfers the call to 102", s3_blind_transfer },
  { APP_COLLEAGUE, NULL, wait_colleague_offered },
  { APP_COLLEAGUE, NULL, s3_take_colleague_call },
  { APP_COLLEAGUE, "answers", answer_third },
  { APP_SOFTPHONE, NULL, wait_pending_op },
  { APP_CALLER, NULL, s3_wait_transferred },
  { APP_COLLEAGUE, "hangs up", third_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 4: consultation transfer */

static void
create_consultation (Demo       *demo,
                     const char *destination)
{
  demo->consultation = app_create_call (demo, &demo->apps[APP_SOFTPHONE],
                                        destination);
  if (demo->consultation != NULL)
    step_done (demo);
}

static void
s4_create_consultation (Demo *demo)
{
  create_consultation (demo, "102");
}

static void
s4_take_colleague_call (Demo *demo)
{
  take_colleague_call (demo, "101");
}

static void
s4_transfer (Demo *demo)
{
  demo->pending_op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                             "transfer",
                             tapi_basic_call_control_transfer_finish);
  tapi_basic_call_control_transfer_async (BCC (demo->incoming),
                                          demo->consultation, NULL,
                                          op_done_cb, demo->pending_op);
  step_done (demo);
}

static gboolean
incoming_held_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_HOLD);
}

static void
wait_incoming_held (Demo *demo)
{
  step_wait (demo, incoming_held_ready,
             "the Softphone's first call to go on hold");
}

static void
check_consultation_connected (Demo *demo)
{
  if (expect_state (demo, demo->consultation, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->incoming, TAPI_CALL_STATE_HOLD, -1))
    step_done (demo);
}

static void
finish_consultation (Demo           *demo,
                     TapiFinishMode  mode)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->consultation,
                   mode == TAPI_FINISH_MODE_AS_TRANSFER ?
                     "finish as transfer" : "finish as conference",
                   tapi_basic_call_control_finish_finish);

  tapi_basic_call_control_finish_async (BCC (demo->consultation), mode, NULL,
                                        op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static void
s4_finish (Demo *demo)
{
  finish_consultation (demo, TAPI_FINISH_MODE_AS_TRANSFER);
}

static gboolean
s4_transferred_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->consultation, TAPI_CALL_STATE_DISCONNECTED) &&
         connected_to (demo->outgoing, "102") &&
         connected_to (demo->third, "100");
}

static void
s4_wait_transferred (Demo *demo)
{
  step_wait (demo, s4_transferred_ready,
             "both Softphone calls disconnected, the Caller seeing 102 and "
             "the Colleague seeing 100 in connected-id-number");
}

static void
s4_check_transferred (Demo *demo)
{
  timeline (demo, &demo->apps[APP_CALLER], demo->outgoing,
            "connected-id-number is %s",
            tapi_call_get_connected_id_number (demo->outgoing));
  timeline (demo, &demo->apps[APP_COLLEAGUE], demo->third,
            "connected-id-number is %s",
            tapi_call_get_connected_id_number (demo->third));
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->third, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static gboolean
third_disconnected_ready (Demo *demo)
{
  return has_state (demo->third, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_third_disconnected (Demo *demo)
{
  step_wait (demo, third_disconnected_ready,
             "the Colleague's call to be disconnected");
}

static void
check_third_normal (Demo *demo)
{
  if (expect_state (demo, demo->third, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

static const Step scene4[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Colleague on 102",
    register_softphone_colleague },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "creates a consultation call to 102",
    s4_create_consultation },
  { APP_SOFTPHONE, "starts a transfer (the first call goes on hold)",
    s4_transfer },
  { APP_SOFTPHONE, NULL, wait_incoming_held },
  { APP_COLLEAGUE, NULL, wait_colleague_offered },
  { APP_COLLEAGUE, NULL, s4_take_colleague_call },
  { APP_COLLEAGUE, "answers", answer_third },
  { APP_SOFTPHONE, NULL, wait_pending_op },
  { APP_SOFTPHONE, NULL, check_consultation_connected },
  { APP_SOFTPHONE, "finishes the transfer", s4_finish },
  { APP_SOFTPHONE, NULL, s4_wait_transferred },
  { APP_CALLER, NULL, s4_check_transferred },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_COLLEAGUE, NULL, wait_third_disconnected },
  { APP_COLLEAGUE, NULL, check_third_normal },
  { 0, NULL, NULL }
};

/* Scene 5: conference */

static void
s5_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_OPERATOR], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
s5_create_consultation (Demo *demo)
{
  create_consultation (demo, "103");
}

static void
s5_conference (Demo *demo)
{
  demo->pending_op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                             "conference",
                             tapi_basic_call_control_conference_finish);
  tapi_basic_call_control_conference_async (BCC (demo->incoming),
                                            demo->consultation, NULL,
                                            op_done_cb, demo->pending_op);
  step_done (demo);
}

static gboolean
operator_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_OPERATOR));
}

static void
s5_wait_operator_offered (Demo *demo)
{
  step_wait (demo, operator_offered_ready,
             "the Operator to be offered a call on 103");
}

static void
s5_take_operator_call (Demo *demo)
{
  demo->third = g_object_ref (last_notified (demo, APP_OPERATOR));
  if (expect_string (demo, demo->third, "caller-id-number",
                     tapi_call_get_caller_id_number (demo->third), "101"))
    step_done (demo);
}

static void
s5_finish (Demo *demo)
{
  finish_consultation (demo, TAPI_FINISH_MODE_AS_CONFERENCE);
}

static gboolean
s5_conference_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->consultation, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->third, TAPI_CALL_STATE_CONNECTED);
}

static void
s5_wait_conference (Demo *demo)
{
  step_wait (demo, s5_conference_ready,
             "the held call to resume and all three parties (100, 101, 103) "
             "to be connected");
}

static void
s5_remove (Demo *demo)
{
  TapiBasicCallControl *control = BCC (demo->consultation);
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->consultation,
                   "remove-from-conference",
                   tapi_basic_call_control_remove_from_conference_finish);

  tapi_basic_call_control_remove_from_conference_async (control, NULL,
                                                        op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s5_removed_ready (Demo *demo)
{
  return has_state (demo->consultation, TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->third, TAPI_CALL_STATE_DISCONNECTED);
}

static void
s5_wait_removed (Demo *demo)
{
  step_wait (demo, s5_removed_ready,
             "the Softphone's call to 103 and the Operator's call to be "
             "disconnected");
}

static void
s5_check_removed (Demo *demo)
{
  if (expect_state (demo, demo->incoming, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static const Step scene5[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Operator on 103",
    s5_register },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "creates a consultation call to 103",
    s5_create_consultation },
  { APP_SOFTPHONE, "starts a conference (the first call goes on hold)",
    s5_conference },
  { APP_SOFTPHONE, NULL, wait_incoming_held },
  { APP_OPERATOR, NULL, s5_wait_operator_offered },
  { APP_OPERATOR, NULL, s5_take_operator_call },
  { APP_OPERATOR, "answers", answer_third },
  { APP_SOFTPHONE, NULL, wait_pending_op },
  { APP_SOFTPHONE, NULL, check_consultation_connected },
  { APP_SOFTPHONE, "joins everybody (finish as conference)", s5_finish },
  { APP_SOFTPHONE, NULL, s5_wait_conference },
  { APP_SOFTPHONE, "removes 103 from the conference", s5_remove },
  { APP_SOFTPHONE, NULL, s5_wait_removed },
  { APP_SOFTPHONE, NULL, s5_check_removed },
  { APP_SOFTPHONE, "hangs up", incoming_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 6: park and unpark */

static void
s6_park (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                   "park-indirect", NULL);

  demo->pending_op = op;
  tapi_basic_call_control_park_indirect_async (BCC (demo->incoming), NULL,
                                               park_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static void
s6_check_parked (Demo *demo)
{
  const char *orbit = demo->pending_op->park_address;
  gboolean valid = orbit != NULL && strlen (orbit) == 4 &&
                   g_str_has_prefix (orbit, "70") &&
                   g_ascii_isdigit (orbit[2]) && g_ascii_isdigit (orbit[3]);

  if (!expect (demo, valid, "park-indirect returned \"%s\"; expected an orbit "
               "7000-7099", str_or_empty (orbit)))
    return;
  demo->orbit = g_strdup (orbit);
  step_done (demo);
}

static void
s6_wait_softphone_disconnected (Demo *demo)
{
  step_wait (demo, incoming_disconnected_ready,
             "the Softphone's call to be disconnected after parking");
}

static void
s6_unpark (Demo *demo)
{
  App *colleague = &demo->apps[APP_COLLEAGUE];
  Op *op;

  demo->third = app_create_call (demo, colleague, demo->orbit);
  if (demo->third == NULL)
    return;
  op = op_new (demo, colleague, demo->third, "unpark",
               tapi_basic_call_control_unpark_finish);
  tapi_basic_call_control_unpark_async (BCC (demo->third), NULL, op_done_cb,
                                        op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s6_unparked_ready (Demo *demo)
{
  return has_state (demo->third, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_CONNECTED) &&
         connected_to (demo->third, "100");
}

static void
s6_wait_unparked (Demo *demo)
{
  step_wait (demo, s6_unparked_ready,
             "the Colleague (102) connected to the Caller (100)");
}

static void
s6_unpark_again (Demo *demo)
{
  App *colleague = &demo->apps[APP_COLLEAGUE];
  TapiCall *call = app_create_call (demo, colleague, demo->orbit);
  Op *op;

  if (call == NULL)
    return;
  op = op_new (demo, colleague, call, "unpark",
               tapi_basic_call_control_unpark_finish);
  tapi_basic_call_control_unpark_async (BCC (call), NULL, op_done_cb, op);
  g_object_unref (call);
  step_wait_op (demo, op, TAPI_ERROR_INVALID_PARK_ID);
}

static const Step scene6[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101", register_softphone },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "parks the call (park-indirect)", s6_park },
  { APP_SOFTPHONE, NULL, s6_check_parked },
  { APP_SOFTPHONE, NULL, s6_wait_softphone_disconnected },
  { APP_COLLEAGUE, "unparks the orbit from 102", s6_unpark },
  { APP_COLLEAGUE, NULL, s6_wait_unparked },
  { APP_COLLEAGUE, "unparks the now empty orbit again (expect "
                   "invalid-park-id)", s6_unpark_again },
  { APP_COLLEAGUE, "hangs up", third_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 7: pickup */

static void
pickup_from_colleague (Demo *demo,
                       int   expected)
{
  App *colleague = &demo->apps[APP_COLLEAGUE];
  TapiCall *call = app_create_call (demo, colleague, NULL);
  Op *op;

  if (call == NULL)
    return;
  if (expected == OP_OK)
    demo->third = g_object_ref (call);
  op = op_new (demo, colleague, call, "pickup in group 1",
               tapi_basic_call_control_pickup_finish);
  tapi_basic_call_control_pickup_async (BCC (call), "1", NULL, op_done_cb, op);
  g_object_unref (call);
  step_wait_op (demo, op, expected);
}

static void
s7_pickup (Demo *demo)
{
  pickup_from_colleague (demo, OP_OK);
}

static void
s7_take_softphone_call (Demo *demo)
{
  demo->incoming = g_object_ref (last_notified (demo, APP_SOFTPHONE));
  step_done (demo);
}

static gboolean
s7_picked_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED) &&
         demo->connect_op->done;
}

static void
s7_wait_picked (Demo *demo)
{
  step_wait (demo, s7_picked_ready,
             "the Softphone's offering handle to be disconnected and the "
             "Caller's call to complete");
}

static void
s7_check_picked (Demo *demo)
{
  if (!op_matches (demo, demo->connect_op, OP_OK))
    return;
  if (expect_state (demo, demo->third, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s7_pickup_nothing (Demo *demo)
{
  pickup_from_colleague (demo, TAPI_ERROR_CALL_UNAVAILABLE);
}

static const Step scene7[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101 (and lets it ring)",
    register_softphone },
  { APP_CALLER, "dials 101 from 100", caller_dials_101 },
  { APP_SOFTPHONE, NULL, wait_softphone_offered },
  { APP_SOFTPHONE, NULL, s7_take_softphone_call },
  { APP_COLLEAGUE, "picks the ringing call up from 102 (group 1)", s7_pickup },
  { APP_COLLEAGUE, NULL, s7_wait_picked },
  { APP_COLLEAGUE, NULL, s7_check_picked },
  { APP_COLLEAGUE, "hangs up", third_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { APP_COLLEAGUE, "tries a pickup with nothing ringing (expect "
                   "call-unavailable)", s7_pickup_nothing },
  { 0, NULL, NULL }
};

/* Scene 8: busy, malformed destination, dial tone */

static void
s8_dial_busy (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  demo->outgoing = app_create_call (demo, caller, "busy");
  if (demo->outgoing == NULL)
    return;
  step_wait_op (demo, start_connect (demo, caller, demo->outgoing),
                TAPI_ERROR_DEST_BUSY);
}

static void
s8_check_busy (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY))
    step_done (demo);
}

static void
s8_malformed (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;

  call = tapi_address_create_call (caller->address, "10#1 ?",
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  if (!expect (demo, call == NULL &&
               g_error_matches (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS),
               "create_call (\"10#1 ?\"): expected invalid-address, got %s",
               call != NULL ? "a call" : error->message))
    return;
  timeline (demo, caller, NULL, "refused: %s", error->message);
  step_done (demo);
}

static void
s8_dial_tone (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  g_clear_object (&demo->outgoing);
  demo->outgoing = app_create_call (demo, caller, NULL);
  if (demo->outgoing == NULL)
    return;
  step_wait_op (demo, start_connect (demo, caller, demo->outgoing), OP_OK);
}

static void
s8_check_dial_tone (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_IN_PROGRESS, -1))
    step_done (demo);
}

static void
s8_dial (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_CALLER], demo->outgoing,
                   "dial answer", tapi_basic_call_control_dial_finish);

  tapi_basic_call_control_dial_async (BCC (demo->outgoing), "answer", NULL,
                                      op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static void
s8_check_hung_up (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

static const Step scene8[] = {
  { APP_CALLER, "dials \"busy\" (expect dest-busy)", s8_dial_busy },
  { APP_CALLER, NULL, s8_check_busy },
  { APP_CALLER, "creates a call to \"10#1 ?\" (expect invalid-address)",
    s8_malformed },
  { APP_CALLER, "goes off-hook without a number (dial tone)", s8_dial_tone },
  { APP_CALLER, NULL, s8_check_dial_tone },
  { APP_CALLER, "dials \"answer\"", s8_dial },
  { APP_CALLER, NULL, check_outgoing_connected },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_CALLER, NULL, s8_check_hung_up },
  { 0, NULL, NULL }
};

/* Media helpers */

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
static void
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

static char *
recording_path (Demo       *demo,
                const char *name)
{
  return g_build_filename (demo->recordings_dir, name, NULL);
}

static gboolean
stream_has_state (TapiCall              *call,
                  TapiTerminalDirection  direction,
                  TapiStreamState        state)
{
  g_autoptr(TapiStream) stream = NULL;

  if (call == NULL)
    return FALSE;
  stream = cli_find_stream (call, direction);
  return stream != NULL && tapi_stream_get_state (stream) == state;
}

static gboolean
expect_stream_state (Demo                  *demo,
                     TapiCall              *call,
                     TapiTerminalDirection  direction,
                     TapiStreamState        state)
{
  g_autoptr(TapiStream) stream = cli_find_stream (call, direction);
  const char *direction_nick =
    cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION, direction);

  if (!expect (demo, stream != NULL, "%s's call %u has no %s stream",
               call_owner_label (demo, call), tapi_call_get_call_id (call),
               direction_nick))
    return FALSE;
  return expect (demo, tapi_stream_get_state (stream) == state,
                 "%s's call %u: expected its %s stream %s, got %s",
                 call_owner_label (demo, call), tapi_call_get_call_id (call),
                 direction_nick,
                 cli_enum_to_string (TAPI_TYPE_STREAM_STATE, state),
                 cli_enum_to_string (TAPI_TYPE_STREAM_STATE,
                                     tapi_stream_get_state (stream)));
}

static TapiTerminal *
app_create_terminal (Demo                  *demo,
                     App                   *app,
                     TapiCall              *call,
                     const char            *terminal_class,
                     TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address = tapi_call_get_address (call);
  TapiTerminal *terminal;

  terminal = tapi_address_create_terminal (address, terminal_class,
                                           TAPI_MEDIA_TYPE_AUDIO, direction,
                                           &error);
  if (terminal == NULL)
    {
      step_fail (demo, "%s cannot create a %s terminal on %s: %s", app->label,
                 terminal_class, tapi_address_get_name (address),
                 error->message);
      return NULL;
    }

  g_ptr_array_add (demo->terminals, terminal);
  return terminal;
}

static gboolean
app_select_terminal (Demo         *demo,
                     App          *app,
                     TapiCall     *call,
                     TapiTerminal *terminal)
{
  g_autoptr(GError) error = NULL;
  TapiTerminalDirection direction = tapi_terminal_get_direction (terminal);
  const char *direction_nick =
    cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION, direction);
  g_autoptr(TapiStream) stream = cli_find_stream (call, direction);

  if (!expect (demo, stream != NULL, "%s's call %u has no %s stream",
               app->label, tapi_call_get_call_id (call), direction_nick))
    return FALSE;
  if (!tapi_stream_select_terminal (stream, terminal, &error))
    {
      step_fail (demo, "%s cannot select the %s terminal on the %s stream: %s",
                 app->label, tapi_terminal_get_terminal_class (terminal),
                 direction_nick, error->message);
      return FALSE;
    }

  timeline (demo, app, call, "%s terminal selected on the %s stream",
            tapi_terminal_get_terminal_class (terminal), direction_nick);
  return TRUE;
}

/* Records what @call receives into @path (a file-recording terminal on its
 * render stream); it starts as soon as the call allows. */
static gboolean
app_record (Demo       *demo,
            App        *app,
            TapiCall   *call,
            const char *path)
{
  TapiFileRecordingTerminal *recording;
  TapiTerminal *terminal;

  terminal = app_create_terminal (demo, app, call,
                                  TAPI_TERMINAL_CLASS_FILE_RECORDING,
                                  TAPI_TERMINAL_DIRECTION_RENDER);
  if (terminal == NULL)
    return FALSE;
  recording = TAPI_FILE_RECORDING_TERMINAL (terminal);
  tapi_file_recording_terminal_set_file_name (recording, path);
  timeline (demo, app, call, "records to %s", path);
  return app_select_terminal (demo, app, call, terminal);
}

static gboolean
app_stop_recording (Demo     *demo,
                    App      *app,
                    TapiCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiStream) stream = NULL;

  stream = cli_find_stream (call, TAPI_TERMINAL_DIRECTION_RENDER);
  if (!expect (demo, stream != NULL, "%s's call %u has no render stream",
               app->label, tapi_call_get_call_id (call)))
    return FALSE;
  if (!tapi_stream_stop (stream, &error))
    {
      step_fail (demo, "%s cannot stop its render stream: %s", app->label,
                 error->message);
      return FALSE;
    }
  return TRUE;
}

static void
metered_level_cb (TapiStream *stream,
                  GParamSpec *pspec,
                  Demo       *demo)
{
  demo->peak_level = MAX (demo->peak_level, tapi_stream_get_level (stream));
}

/* Keeps the highest level @call's render stream reaches from now on. */
static void
meter_render_stream (Demo     *demo,
                     TapiCall *call)
{
  if (demo->metered != NULL)
    {
      g_signal_handlers_disconnect_by_data (demo->metered, demo);
      g_clear_object (&demo->metered);
    }
  demo->peak_level = -G_MAXDOUBLE;
  if (call == NULL)
    return;

  demo->metered = cli_find_stream (call, TAPI_TERMINAL_DIRECTION_RENDER);
  if (demo->metered == NULL)
    return;
  demo->peak_level = tapi_stream_get_level (demo->metered);
  g_signal_connect (demo->metered, "notify::level",
                    G_CALLBACK (metered_level_cb), demo);
}

static gboolean
expect_loud_recording (Demo *demo,
                       App  *app)
{
  double peak = demo->peak_level;

  meter_render_stream (demo, NULL);
  timeline (demo, app, NULL, "the render stream peaked at %.1f dBFS", peak);
  return expect (demo, peak > LOUD_DBFS,
                 "%s's render stream peaked at %.1f dBFS while recording; "
                 "expected above %.0f dBFS", app->label, peak, LOUD_DBFS);
}

/* Checks that the recording at @path holds at least @min_seconds of a tone
 * of @frequency. */
static gboolean
expect_tone (Demo       *demo,
             App        *app,
             const char *path,
             double      frequency,
             double      min_seconds)
{
  g_autoptr(GError) error = NULL;
  CliToneAnalysis analysis;

  if (!cli_analyse_recording (path, &analysis, &error))
    {
      step_fail (demo, "%s's recording %s: %s", app->label, path,
                 error->message);
      return FALSE;
    }

  timeline (demo, app, NULL,
            "%s: %.2f s at %u Hz, %.2f s above %.0f dBFS, strongest "
            "frequency %.0f Hz (%.0f%% of the power)", path, analysis.seconds,
            analysis.rate, analysis.loud_seconds, LOUD_DBFS, analysis.frequency,
            analysis.share * 100.0);

  return expect (demo, analysis.loud_seconds >= min_seconds,
                 "%s's recording %s holds %.2f s of sound; expected at least "
                 "%.2f s", app->label, path, analysis.loud_seconds,
                 min_seconds) &&
         expect (demo, fabs (analysis.frequency - frequency) <= 20.0 &&
                 analysis.share >= 0.5,
                 "%s's recording %s: expected a %.0f Hz tone, its strongest "
                 "frequency is %.0f Hz with %.0f%% of the power", app->label,
                 path, frequency, analysis.frequency, analysis.share * 100.0);
}

/* Scene 9: recording across a handoff */

static void
s9_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_RECORDER], TRUE, FALSE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
s9_caller_dials_with_tone (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];
  TapiTerminal *tone;

  demo->outgoing = app_create_call (demo, caller, "101");
  if (demo->outgoing == NULL)
    return;
  tone = app_create_terminal (demo, caller, demo->outgoing,
                              TAPI_TERMINAL_CLASS_TONE,
                              TAPI_TERMINAL_DIRECTION_CAPTURE);
  if (tone == NULL)
    return;
  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (tone), 1000.0);
  if (!app_select_terminal (demo, caller, demo->outgoing, tone))
    return;
  demo->connect_op = start_connect (demo, caller, demo->outgoing);
  step_done (demo);
}

static void
s9_softphone_records (Demo *demo)
{
  demo->first_recording = recording_path (demo, "softphone.wav");
  if (app_record (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                  demo->first_recording))
    step_done (demo);
}

static gboolean
s9_softphone_recording_ready (Demo *demo)
{
  return stream_has_state (demo->outgoing, TAPI_TERMINAL_DIRECTION_CAPTURE,
                           TAPI_STREAM_STATE_ACTIVE) &&
         stream_has_state (demo->incoming, TAPI_TERMINAL_DIRECTION_RENDER,
                           TAPI_STREAM_STATE_ACTIVE);
}

static void
s9_wait_softphone_recording (Demo *demo)
{
  step_wait (demo, s9_softphone_recording_ready,
             "the Caller's capture stream (tone) and the Softphone's render "
             "stream (recording) to become active");
}

static void
s9_record_1s (Demo *demo)
{
  meter_render_stream (demo, demo->incoming);
  step_sleep (demo, 1000, "1 s of recording");
}

static void
s9_check_softphone_level (Demo *demo)
{
  if (expect_loud_recording (demo, &demo->apps[APP_SOFTPHONE]))
    step_done (demo);
}

static void
s9_handoff_recorder (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_SOFTPHONE],
                                      demo->incoming,
                                      app_info[APP_RECORDER].name),
                OP_OK);
}

static gboolean
s9_recorder_owns_ready (Demo *demo)
{
  TapiCall *recorder_call = last_notified (demo, APP_RECORDER);

  return recorder_call != NULL &&
         tapi_call_get_privilege (recorder_call) == TAPI_CALL_PRIVILEGE_OWNER &&
         tapi_call_get_privilege (demo->incoming) ==
           TAPI_CALL_PRIVILEGE_MONITOR &&
         !stream_has_state (demo->incoming, TAPI_TERMINAL_DIRECTION_RENDER,
                            TAPI_STREAM_STATE_ACTIVE);
}

static void
s9_wait_recorder_owns (Demo *demo)
{
  step_wait (demo, s9_recorder_owns_ready,
             "the Recorder to own the call, and the Softphone, now a monitor, "
             "to stop recording");
}

static void
s9_check_softphone_stopped (Demo *demo)
{
  demo->handed = g_object_ref (last_notified (demo, APP_RECORDER));
  if (expect_stream_state (demo, demo->incoming,
                           TAPI_TERMINAL_DIRECTION_RENDER,
                           TAPI_STREAM_STATE_STOPPED) &&
      expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s9_recorder_records (Demo *demo)
{
  demo->second_recording = recording_path (demo, "recorder.wav");
  if (app_record (demo, &demo->apps[APP_RECORDER], demo->handed,
                  demo->second_recording))
    step_done (demo);
}

static gboolean
s9_recorder_recording_ready (Demo *demo)
{
  return stream_has_state (demo->handed, TAPI_TERMINAL_DIRECTION_RENDER,
                           TAPI_STREAM_STATE_ACTIVE);
}

static void
s9_wait_recorder_recording (Demo *demo)
{
  step_wait (demo, s9_recorder_recording_ready,
             "the Recorder's render stream to become active");
}

static void
s9_record_2s (Demo *demo)
{
  meter_render_stream (demo, demo->handed);
  step_sleep (demo, 2000, "2 s of recording");
}

static void
s9_recorder_stops (Demo *demo)
{
  if (expect_loud_recording (demo, &demo->apps[APP_RECORDER]) &&
      app_stop_recording (demo, &demo->apps[APP_RECORDER], demo->handed))
    step_done (demo);
}

static void
s9_check_recordings (Demo *demo)
{
  App *recorder = &demo->apps[APP_RECORDER];

  if (!expect_stream_state (demo, demo->handed, TAPI_TERMINAL_DIRECTION_RENDER,
                            TAPI_STREAM_STATE_STOPPED) ||
      !expect_tone (demo, &demo->apps[APP_SOFTPHONE], demo->first_recording,
                    1000.0, 0.5) ||
      !expect_tone (demo, recorder, demo->second_recording, 1000.0, 1.5))
    return;
  timeline (demo, recorder, NULL, "its recording of the call: %s",
            demo->second_recording);
  step_done (demo);
}

static gboolean
handed_disconnected_ready (Demo *demo)
{
  return has_state (demo->handed, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_handed_disconnected (Demo *demo)
{
  step_wait (demo, handed_disconnected_ready,
             "the handed-off call to be disconnected");
}

static const Step scene9[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Recorder as monitor",
    s9_register },
  { APP_CALLER, "dials 101 from 100, sending a 1000 Hz tone (tone terminal "
                "on its capture stream)", s9_caller_dials_with_tone },
  { APP_SOFTPHONE, NULL, wait_softphone_offered },
  { APP_SOFTPHONE, NULL, check_softphone_owner },
  { APP_SOFTPHONE, "selects a file-recording terminal on its render stream",
    s9_softphone_records },
  { APP_SOFTPHONE, "answers", answer_incoming },
  { APP_CALLER, NULL, wait_caller_connect },
  { APP_SOFTPHONE, NULL, s9_wait_softphone_recording },
  { APP_SOFTPHONE, "records for 1 s", s9_record_1s },
  { APP_SOFTPHONE, NULL, s9_check_softphone_level },
  { APP_SOFTPHONE, "hands the call to org.example.Recorder by name",
    s9_handoff_recorder },
  { APP_RECORDER, NULL, s9_wait_recorder_owns },
  { APP_SOFTPHONE, NULL, s9_check_softphone_stopped },
  { APP_RECORDER, "selects a file-recording terminal on its render stream",
    s9_recorder_records },
  { APP_RECORDER, NULL, s9_wait_recorder_recording },
  { APP_RECORDER, "records for 2 s", s9_record_2s },
  { APP_RECORDER, "stops its render stream (the file is complete)",
    s9_recorder_stops },
  { APP_RECORDER, "checks both recordings for the 1000 Hz tone",
    s9_check_recordings },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_RECORDER, NULL, wait_handed_disconnected },
  { 0, NULL, NULL }
};

/* Scene 10: digits */

static gboolean
turn_on_digit_detection (Demo     *demo,
                         App      *app,
                         TapiCall *call)
{
  g_autoptr(GError) error = NULL;

  if (!tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                              TAPI_DIGIT_MODE_DTMF, &error))
    {
      step_fail (demo, "%s: detect_digits (dtmf): expected success, got %s",
                 app->label, error->message);
      return FALSE;
    }
  g_string_truncate (demo->digits, 0);
  timeline (demo, app, call, "detects digits");
  return TRUE;
}

static gboolean
expect_digits (Demo       *demo,
               App        *app,
               const char *expected)
{
  if (!expect (demo, g_str_equal (demo->digits->str, expected),
               "%s detected \"%s\"; expected \"%s\", in that order",
               app->label, demo->digits->str, expected))
    return FALSE;
  timeline (demo, app, NULL, "detected %s, in order", demo->digits->str);
  return TRUE;
}

static void
s10_dial_dtmf (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  demo->outgoing = app_create_call (demo, caller, "dtmf:1234#");
  if (demo->outgoing == NULL ||
      !turn_on_digit_detection (demo, caller, demo->outgoing))
    return;
  step_wait_op (demo, start_connect (demo, caller, demo->outgoing), OP_OK);
}

static gboolean
s10_service_digits_ready (Demo *demo)
{
  return demo->digits->len >= strlen ("1234#");
}

static void
s10_wait_service_digits (Demo *demo)
{
  step_wait (demo, s10_service_digits_ready,
             "the five digits the dtmf:1234# service sends");
}

static void
s10_check_service_digits (Demo *demo)
{
  if (expect_digits (demo, &demo->apps[APP_CALLER], "1234#"))
    step_done (demo);
}

static void
s10_dial_101_detecting (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  g_clear_object (&demo->outgoing);
  demo->outgoing = app_create_call (demo, caller, "101");
  if (demo->outgoing == NULL ||
      !turn_on_digit_detection (demo, caller, demo->outgoing))
    return;
  demo->connect_op = start_connect (demo, caller, demo->outgoing);
  step_done (demo);
}

static void
s10_softphone_sends (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (demo->incoming);

  if (!tapi_call_media_control_generate_digits (media, "42",
                                                TAPI_DIGIT_MODE_DTMF, &error))
    {
      step_fail (demo, "generate_digits (\"42\"): expected success, got %s",
                 error->message);
      return;
    }
  step_done (demo);
}

static gboolean
s10_softphone_digits_ready (Demo *demo)
{
  return demo->digits->len >= strlen ("42");
}

static void
s10_wait_softphone_digits (Demo *demo)
{
  step_wait (demo, s10_softphone_digits_ready,
             "the Caller to detect the two digits the Softphone sends");
}

static void
s10_check_softphone_digits (Demo *demo)
{
  if (expect_digits (demo, &demo->apps[APP_CALLER], "42"))
    step_done (demo);
}

static const Step scene10[] = {
  { APP_CALLER, "dials dtmf:1234# from 100, detecting digits",
    s10_dial_dtmf },
  { APP_CALLER, NULL, s10_wait_service_digits },
  { APP_CALLER, NULL, s10_check_service_digits },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_CALLER, NULL, check_outgoing_normal },
  { APP_SOFTPHONE, "Softphone registers as owner on 101", register_softphone },
  { APP_CALLER, "dials 101 from 100, detecting digits",
    s10_dial_101_detecting },
  { APP_SOFTPHONE, NULL, wait_softphone_offered },
  { APP_SOFTPHONE, NULL, check_softphone_owner },
  { APP_SOFTPHONE, "answers", answer_incoming },
  { APP_CALLER, NULL, wait_caller_connect },
  { APP_SOFTPHONE, "sends the digits 42", s10_softphone_sends },
  { APP_CALLER, NULL, s10_wait_softphone_digits },
  { APP_CALLER, NULL, s10_check_softphone_digits },
  { APP_SOFTPHONE, "hangs up", incoming_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 11: fax detection and handoff by media type */

static void
s11_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_FAX], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_G3FAX))
    step_done (demo);
}

static void
s11_dial_fax (Demo *demo)
{
  App *softphone = &demo->apps[APP_SOFTPHONE];
  g_autoptr(GError) error = NULL;
  TapiCallMediaControl *media;

  demo->outgoing = app_create_call (demo, softphone, "fax");
  if (demo->outgoing == NULL)
    return;
  media = TAPI_CALL_MEDIA_CONTROL (demo->outgoing);
  if (!tapi_call_media_control_monitor_media (media,
                                              TAPI_MEDIA_TYPE_G3FAX |
                                              TAPI_MEDIA_TYPE_DATAMODEM,
                                              &error))
    {
      step_fail (demo, "monitor_media (g3fax, datamodem): expected success, "
                 "got %s", error->message);
      return;
    }
  timeline (demo, softphone, demo->outgoing,
            "listens for fax and modem tones");
  step_wait_op (demo, start_connect (demo, softphone, demo->outgoing), OP_OK);
}

static gboolean
s11_detected_ready (Demo *demo)
{
  return (demo->detected & TAPI_MEDIA_TYPE_G3FAX) != 0;
}

static void
s11_wait_detected (Demo *demo)
{
  step_wait (demo, s11_detected_ready,
             "media-detected g3fax (the fax calling tone)");
}

static void
s11_check_detected (Demo *demo)
{
  TapiMediaType detected = tapi_call_get_detected_media_types (demo->outgoing);

  if (expect (demo, (detected & TAPI_MEDIA_TYPE_G3FAX) != 0,
              "the Softphone's call has detected-media-types 0x%x; expected "
              "g3fax among them", detected) &&
      expect (demo, (demo->detected & TAPI_MEDIA_TYPE_DATAMODEM) == 0,
              "a modem was detected in a fax calling tone"))
    step_done (demo);
}

static void
s11_set_media_type (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (demo->outgoing);

  if (!tapi_call_media_control_set_media_type (media, TAPI_MEDIA_TYPE_G3FAX,
                                               &error))
    {
      step_fail (demo, "set_media_type (g3fax): expected success, got %s",
                 error->message);
      return;
    }
  step_done (demo);
}

static void
s11_handoff_fax (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->outgoing,
                   "handoff-indirect to g3fax",
                   tapi_basic_call_control_handoff_indirect_finish);

  tapi_basic_call_control_handoff_indirect_async (BCC (demo->outgoing),
                                                  TAPI_MEDIA_TYPE_G3FAX, NULL,
                                                  op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s11_fax_owns_ready (Demo *demo)
{
  TapiCall *fax_call = last_notified (demo, APP_FAX);

  return fax_call != NULL &&
         tapi_call_get_privilege (fax_call) == TAPI_CALL_PRIVILEGE_OWNER &&
         tapi_call_get_privilege (demo->outgoing) ==
           TAPI_CALL_PRIVILEGE_MONITOR;
}

static void
s11_wait_fax_owns (Demo *demo)
{
  step_wait (demo, s11_fax_owns_ready,
             "the Fax to get an owner handle and the Softphone's handle to "
             "become monitor");
}

static void
s11_fax_records (Demo *demo)
{
  App *fax = &demo->apps[APP_FAX];

  demo->handed = g_object_ref (last_notified (demo, APP_FAX));
  if (!expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1))
    return;
  demo->second_recording = recording_path (demo, "fax.wav");
  if (app_record (demo, fax, demo->handed, demo->second_recording))
    step_done (demo);
}

static void
s11_wait_fax_recording (Demo *demo)
{
  step_wait (demo, s9_recorder_recording_ready,
             "the Fax's render stream to become active");
}

static void
s11_record_4s (Demo *demo)
{
  /* The calling tone repeats every 3.5 s: 4 s hold one whole. */
  step_sleep (demo, 4000, "4 s of recording");
}

static void
s11_fax_stops (Demo *demo)
{
  if (app_stop_recording (demo, &demo->apps[APP_FAX], demo->handed))
    step_done (demo);
}

static void
s11_check_recording (Demo *demo)
{
  App *fax = &demo->apps[APP_FAX];

  if (!expect_stream_state (demo, demo->handed, TAPI_TERMINAL_DIRECTION_RENDER,
                            TAPI_STREAM_STATE_STOPPED) ||
      !expect_tone (demo, fax, demo->second_recording, 1100.0, 0.3))
    return;
  timeline (demo, fax, NULL, "its recording of the call: %s",
            demo->second_recording);
  step_done (demo);
}

static void
s11_fax_hangs_up (Demo *demo)
{
  step_wait_op (demo, start_disconnect (demo, &demo->apps[APP_FAX],
                                        demo->handed, "hang-up"),
                OP_OK);
}

static const Step scene11[] = {
  { APP_FAX, "Fax registers as owner for g3fax on 101", s11_register },
  { APP_SOFTPHONE, "dials fax from 101, listening for fax and modem tones "
                   "(monitor_media)", s11_dial_fax },
  { APP_SOFTPHONE, NULL, s11_wait_detected },
  { APP_SOFTPHONE, NULL, s11_check_detected },
  { APP_SOFTPHONE, "sets the media type to g3fax", s11_set_media_type },
  { APP_SOFTPHONE, "hands the call off to whoever takes g3fax",
    s11_handoff_fax },
  { APP_FAX, NULL, s11_wait_fax_owns },
  { APP_FAX, "selects a file-recording terminal on its render stream",
    s11_fax_records },
  { APP_FAX, NULL, s11_wait_fax_recording },
  { APP_FAX, "records for 4 s", s11_record_4s },
  { APP_FAX, "stops its render stream", s11_fax_stops },
  { APP_FAX, "checks the recording for the 1100 Hz calling tone",
    s11_check_recording },
  { APP_FAX, "hangs up", s11_fax_hangs_up },
  { APP_SOFTPHONE, NULL, wait_outgoing_disconnected },
  { APP_SOFTPHONE, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

static const Scene scenes[] = {
  { "Incoming call offered by priority", scene1 },
  { "Handoff by media type and by name", scene2 },
  { "Blind transfer", scene3 },
  { "Consultation transfer", scene4 },
  { "Conference", scene5 },
  { "Park and unpark", scene6 },
  { "Pickup", scene7 },
  { "Busy, a malformed number, dial tone and dial", scene8 },
  { "Recording across a handoff", scene9 },
  { "Digits", scene10 },
  { "Fax detection and handoff by media type", scene11 },
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
