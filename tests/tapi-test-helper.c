/* tapi-test-helper.c: shared code of the libtapi3 test suites
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdarg.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "tapi-test-helper.h"

#define APP_DATA_KEY "tapi-test-app-data"
#define CALL_LOG_KEY "tapi-test-call-log"
#define MEDIA_LOG_KEY "tapi-test-media-log"
#define DIGIT_LOG_KEY "tapi-test-digits"

/* Log messages */

typedef struct
{
  char *log_domain;
  GLogLevelFlags log_level;
  char *pattern;
  gboolean seen;
} ExpectedMessage;

static GMutex expected_lock;
static GPtrArray *expected_messages;

static const char *
log_field_string (const GLogField *field,
                  char           **to_free)
{
  if (field->length < 0)
    return field->value;
  *to_free = g_strndup (field->value, field->length);
  return *to_free;
}

static gboolean
consume_expected (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message)
{
  gboolean found = FALSE;

  g_mutex_lock (&expected_lock);
  for (guint i = 0; expected_messages && i < expected_messages->len; i++)
    {
      ExpectedMessage *expected = g_ptr_array_index (expected_messages, i);

      if (expected->seen)
        continue;
      if (g_strcmp0 (expected->log_domain, log_domain) != 0)
        continue;
      if ((expected->log_level & log_level & G_LOG_LEVEL_MASK) == 0)
        continue;
      if (!g_pattern_match_simple (expected->pattern, message))
        continue;
      expected->seen = TRUE;
      found = TRUE;
      break;
    }
  g_mutex_unlock (&expected_lock);

  return found;
}

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *domain_copy = NULL;
  g_autofree char *message_copy = NULL;
  const char *log_domain = NULL;
  const char *message = "";
  const char *level_name;

  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
                    G_LOG_LEVEL_WARNING)) == 0)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        log_domain = log_field_string (&fields[i], &domain_copy);
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = log_field_string (&fields[i], &message_copy);
    }

  if (consume_expected (log_domain, log_level, message))
    return G_LOG_WRITER_HANDLED;

  if (log_level & G_LOG_LEVEL_ERROR)
    level_name = "error";
  else if (log_level & G_LOG_LEVEL_CRITICAL)
    level_name = "critical";
  else
    level_name = "warning";

  /* Aborts the test from whichever thread logged (the broker runs in a
   * thread of its own): libcheck reports the message and ends the test. */
  ck_abort_msg ("Unexpected %s from %s: %s", level_name,
                log_domain != NULL ? log_domain : "(no domain)", message);

  return G_LOG_WRITER_HANDLED;
}

/**
 * tapi_test_expect_message:
 * @log_domain: (nullable): the domain of the message
 * @log_level: its level(s)
 * @pattern: a g_pattern_match_simple() pattern of the message
 *
 * Lets one message through without failing the test;
 * tapi_test_teardown() fails if it was not logged.
 */
void
tapi_test_expect_message (const char     *log_domain,
                          GLogLevelFlags  log_level,
                          const char     *pattern)
{
  ExpectedMessage *expected = g_new0 (ExpectedMessage, 1);

  expected->log_domain = g_strdup (log_domain);
  expected->log_level = log_level;
  expected->pattern = g_strdup (pattern);

  g_mutex_lock (&expected_lock);
  if (expected_messages == NULL)
    expected_messages = g_ptr_array_new ();
  g_ptr_array_add (expected_messages, expected);
  g_mutex_unlock (&expected_lock);
}

gboolean
tapi_test_expected_messages_seen (void)
{
  gboolean all_seen = TRUE;

  g_mutex_lock (&expected_lock);
  for (guint i = 0; expected_messages && i < expected_messages->len; i++)
    {
      ExpectedMessage *expected = g_ptr_array_index (expected_messages, i);

      all_seen = all_seen && expected->seen;
    }
  g_mutex_unlock (&expected_lock);

  return all_seen;
}

/* Process setup and running */

/**
 * tapi_test_init:
 *
 * Prepares the process: call first in main(), before any thread exists.
 */
void
tapi_test_init (void)
{
  g_setenv ("TAPI3_BROKER", "embedded", FALSE);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
}

/**
 * tapi_test_run:
 * @suite: (transfer full): the suite
 *
 * Runs @suite, each test in a process of its own.
 *
 * Returns: the exit status of the test program
 */
int
tapi_test_run (Suite *suite)
{
  SRunner *runner = srunner_create (suite);
  int failed;

  srunner_run_all (runner, CK_ENV);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);

  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Main loop */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * tapi_test_iterate:
 *
 * Dispatches the default main context once, waiting at most 10 ms.
 */
void
tapi_test_iterate (void)
{
  GSource *source = g_timeout_source_new (10);

  g_source_set_callback (source, wake_up_cb, NULL, NULL);
  g_source_attach (source, NULL);
  g_main_context_iteration (NULL, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
}

/**
 * tapi_test_spin:
 * @milliseconds: how long
 *
 * Runs the default main context for @milliseconds.
 */
void
tapi_test_spin (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () +
    milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < deadline)
    tapi_test_iterate ();
}

/* Asynchronous results */

/* Results live until the process ends: a test process is short, and an
 * operation still pending when a test ends must not write to freed
 * memory. */
static GPtrArray *asyncs;

TapiTestAsync *
tapi_test_async_new (void)
{
  TapiTestAsync *async = g_new0 (TapiTestAsync, 1);

  if (asyncs == NULL)
    asyncs = g_ptr_array_new ();
  g_ptr_array_add (asyncs, async);

  return async;
}

void
tapi_test_async_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TapiTestAsync *async = user_data;

  ck_assert_msg (async->result == NULL,
                 "An asynchronous operation completed twice");
  async->result = g_object_ref (result);
}

gboolean
tapi_test_async_done (TapiTestAsync *async)
{
  return async->result != NULL;
}

/**
 * tapi_test_async_wait:
 * @async: a #TapiTestAsync passed to an `_async` function
 * @what: the operation, for the failure message
 *
 * Runs the default main context until the operation completes; fails the
 * test when it does not complete within %TAPI_TEST_TIMEOUT_MS.
 *
 * Returns: (transfer none): the result
 */
GAsyncResult *
tapi_test_async_wait (TapiTestAsync *async,
                      const char    *what)
{
  gint64 deadline = g_get_monotonic_time () +
    TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (async->result == NULL)
    {
      ck_assert_msg (g_get_monotonic_time () < deadline,
                     "%s did not complete within %d ms",
                     what, TAPI_TEST_TIMEOUT_MS);
      tapi_test_iterate ();
    }

  return async->result;
}

/* Names of values */

static const char *
enum_name (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  g_autofree char *unknown = NULL;
  const char *name;

  if (enum_value != NULL)
    {
      name = enum_value->value_name;
    }
  else
    {
      unknown = g_strdup_printf ("%s(%d)", g_type_name (type), value);
      name = g_intern_string (unknown);
    }
  g_type_class_unref (klass);

  return name;
}

const char *
tapi_test_error_name (int code)
{
  return enum_name (TAPI_TYPE_ERROR, code);
}

const char *
tapi_test_state_name (TapiCallState state)
{
  return enum_name (TAPI_TYPE_CALL_STATE, state);
}

const char *
tapi_test_cause_name (TapiCallStateCause cause)
{
  return enum_name (TAPI_TYPE_CALL_STATE_CAUSE, cause);
}

const char *
tapi_test_info_name (TapiCallInfoChange change)
{
  return enum_name (TAPI_TYPE_CALL_INFO_CHANGE, change);
}

const char *
tapi_test_media_event_name (TapiCallMediaEvent event)
{
  return enum_name (TAPI_TYPE_CALL_MEDIA_EVENT, event);
}

const char *
tapi_test_media_cause_name (TapiCallMediaCause cause)
{
  return enum_name (TAPI_TYPE_CALL_MEDIA_CAUSE, cause);
}

const char *
tapi_test_stream_state_name (TapiStreamState state)
{
  return enum_name (TAPI_TYPE_STREAM_STATE, state);
}

char *
tapi_test_describe_error (const GError *error)
{
  if (error == NULL)
    return g_strdup ("no error (success)");
  if (error->domain == TAPI_ERROR)
    return g_strdup_printf ("TAPI_ERROR %s: %s",
                            tapi_test_error_name (error->code),
                            error->message);
  return g_strdup_printf ("%s %d: %s", g_quark_to_string (error->domain),
                          error->code, error->message);
}

/* Calls */

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

/* Files */

/**
 * tapi_test_remove_tree:
 * @path: a directory
 *
 * Removes @path and everything in it, as far as it can.
 */
void
tapi_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tapi_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Applications */

typedef struct
{
  GPtrArray *calls;
  GArray *events;
  guint cursor;
  gboolean auto_answer;
} AppData;

static GPtrArray *apps;
static char *sim_config_dir;
static char *sim_config_file;

/**
 * tapi_test_set_sim_config:
 * @contents: the keyfile
 *
 * Makes the simulated PBX of this test read @contents (through
 * `TAPI3_SIM_CONFIG`). The broker reads it when it starts, so call this
 * before the first tapi_test_app_new() of the test. tapi_test_teardown()
 * removes it.
 */
void
tapi_test_set_sim_config (const char *contents)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (apps == NULL || apps->len == 0,
                 "the simulated PBX is configured before it starts");
  sim_config_dir = g_dir_make_tmp ("tapi-test-XXXXXX", &error);
  tapi_test_assert_no_error (&error);
  sim_config_file = g_build_filename (sim_config_dir, "sim.conf", NULL);
  g_file_set_contents (sim_config_file, contents, -1, &error);
  tapi_test_assert_no_error (&error);
  g_setenv ("TAPI3_SIM_CONFIG", sim_config_file, TRUE);
}

static void
app_data_free (gpointer data)
{
  AppData *app_data = data;

  g_ptr_array_unref (app_data->calls);
  g_array_unref (app_data->events);
  g_free (app_data);
}

static AppData *
app_data (TapiTapi *app)
{
  AppData *data;

  ck_assert_msg (TAPI_IS_TAPI (app), "Not a TapiTapi: %p", (gpointer) app);
  data = g_object_get_data (G_OBJECT (app), APP_DATA_KEY);
  ck_assert_msg (data != NULL, "%s was not made by tapi_test_app_new()",
                 tapi_tapi_get_application_name (app));

  return data;
}

static void
auto_answer_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  if (tapi_basic_call_control_answer_finish (TAPI_BCC (source), result, &error))
    return;

  description = tapi_test_describe_error (error);
  ck_abort_msg ("Answering an offered call failed: %s", description);
}

static void
call_notification_cb (TapiTapi                  *app,
                      TapiCall                  *call,
                      TapiCallNotificationEvent  event,
                      AppData                   *data)
{
  tapi_test_watch_call (call);
  g_ptr_array_add (data->calls, g_object_ref (call));
  g_array_append_val (data->events, event);

  if (data->auto_answer && event == TAPI_CALL_NOTIFICATION_EVENT_OWNER &&
      tapi_call_get_state (call) == TAPI_CALL_STATE_OFFERING)
    tapi_basic_call_control_answer_async (TAPI_BCC (call), NULL,
                                          auto_answer_cb, NULL);
}

/**
 * tapi_test_app_new:
 * @application_name: the name
 *
 * Creates and initializes an application that records its
 * `call-notification` emissions. tapi_test_teardown() shuts it down.
 *
 * Returns: (transfer none): the application
 */
TapiTapi *
tapi_test_app_new (const char *application_name)
{
  g_autoptr(GError) error = NULL;
  TapiTestAsync *async = tapi_test_async_new ();
  TapiTapi *app = tapi_tapi_new (application_name);
  AppData *data = g_new0 (AppData, 1);
  gboolean ok;

  ck_assert_msg (TAPI_IS_TAPI (app), "tapi_tapi_new (%s) failed",
                 application_name);

  data->calls = g_ptr_array_new_with_free_func (g_object_unref);
  data->events = g_array_new (FALSE, FALSE, sizeof (TapiCallNotificationEvent));
  g_object_set_data_full (G_OBJECT (app), APP_DATA_KEY, data, app_data_free);
  g_signal_connect (app, "call-notification",
                    G_CALLBACK (call_notification_cb), data);

  if (apps == NULL)
    apps = g_ptr_array_new ();
  g_ptr_array_add (apps, app);

  tapi_tapi_initialize_async (app, NULL, tapi_test_async_cb, async);
  ok = tapi_tapi_initialize_finish (app,
                                    tapi_test_async_wait (async, "initialize"),
                                    &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (ok, "initialize returned FALSE without an error");
  ck_assert_msg (tapi_tapi_get_initialized (app),
                 "%s is not initialized after initialize", application_name);

  return app;
}

/**
 * tapi_test_address:
 * @app: an application
 * @name: the name or dialable address of one of its addresses
 *
 * Returns: (transfer none): the address; fails the test if there is none
 */
TapiAddress *
tapi_test_address (TapiTapi   *app,
                   const char *name)
{
  TapiAddress *address = tapi_tapi_find_address (app, name);

  ck_assert_msg (TAPI_IS_ADDRESS (address), "%s has no address %s",
                 tapi_tapi_get_application_name (app), name);

  return address;
}

guint
tapi_test_register (TapiTapi      *app,
                    const char    *address,
                    gboolean       monitor,
                    gboolean       owner,
                    TapiMediaType  media_types)
{
  g_autoptr(GError) error = NULL;
  guint id;

  id = tapi_tapi_register_call_notifications (app,
                                              tapi_test_address (app, address),
                                              monitor, owner, media_types,
                                              &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (id != 0, "register_call_notifications returned 0");

  return id;
}

/**
 * tapi_test_app_set_auto_answer:
 * @app: an application from tapi_test_app_new()
 * @auto_answer: whether to answer
 *
 * Makes @app answer every call it is offered as owner.
 */
void
tapi_test_app_set_auto_answer (TapiTapi *app,
                               gboolean  auto_answer)
{
  app_data (app)->auto_answer = auto_answer;
}

guint
tapi_test_notification_count (TapiTapi *app)
{
  return app_data (app)->calls->len;
}

/**
 * tapi_test_notification_get:
 * @app: an application from tapi_test_app_new()
 * @index: which notification, from 0
 * @event: (out) (optional): its event
 *
 * Returns: (transfer none): the call of that notification
 */
TapiCall *
tapi_test_notification_get (TapiTapi                  *app,
                            guint                      index,
                            TapiCallNotificationEvent *event)
{
  AppData *data = app_data (app);

  ck_assert_uint_lt (index, data->calls->len);
  if (event != NULL)
    *event = g_array_index (data->events, TapiCallNotificationEvent, index);

  return g_ptr_array_index (data->calls, index);
}

/**
 * tapi_test_next_notification:
 * @app: an application from tapi_test_app_new()
 * @event: (out) (optional): its event
 *
 * Waits for the first `call-notification` of @app not yet returned here.
 *
 * Returns: (transfer none): its call
 */
TapiCall *
tapi_test_next_notification (TapiTapi                  *app,
                             TapiCallNotificationEvent *event)
{
  AppData *data = app_data (app);
  gint64 deadline = g_get_monotonic_time () +
    TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (data->cursor >= data->calls->len)
    {
      ck_assert_msg (g_get_monotonic_time () < deadline,
                     "%s received no call-notification within %d ms",
                     tapi_tapi_get_application_name (app),
                     TAPI_TEST_TIMEOUT_MS);
      tapi_test_iterate ();
    }

  return tapi_test_notification_get (app, data->cursor++, event);
}

/**
 * tapi_test_teardown:
 *
 * Shuts down and frees every application of the test; fails if a message
 * given to tapi_test_expect_message() was not logged.
 */
void
tapi_test_teardown (void)
{
  g_autoptr(GError) error = NULL;

  while (apps != NULL && apps->len > 0)
    {
      TapiTapi *app = g_ptr_array_steal_index (apps, apps->len - 1);

      if (tapi_tapi_get_initialized (app))
        {
          tapi_tapi_shutdown (app, &error);
          tapi_test_assert_no_error (&error);
        }
      g_signal_handlers_disconnect_by_func (app, call_notification_cb,
                                            app_data (app));
      g_object_set_data (G_OBJECT (app), APP_DATA_KEY, NULL);
      g_object_unref (app);
    }
  tapi_test_spin (20);

  if (sim_config_file != NULL)
    {
      g_unsetenv ("TAPI3_SIM_CONFIG");
      g_unlink (sim_config_file);
      g_rmdir (sim_config_dir);
      g_clear_pointer (&sim_config_file, g_free);
      g_clear_pointer (&sim_config_dir, g_free);
    }

  ck_assert_msg (tapi_test_expected_messages_seen (),
                 "An expected log message was not logged");
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

/* Streams and terminals */

/**
 * tapi_test_stream:
 * @call: a call
 * @direction: the direction of the stream
 *
 * Returns: (transfer none): the audio stream of @call in @direction; fails
 *   the test unless there is exactly one
 */
TapiStream *
tapi_test_stream (TapiCall              *call,
                  TapiTerminalDirection  direction)
{
  GListModel *streams;
  TapiStream *found = NULL;

  ck_assert_msg (TAPI_IS_CALL (call), "Not a TapiCall: %p", (gpointer) call);
  streams = tapi_stream_control_get_streams (TAPI_STREAM_CONTROL (call));
  ck_assert_msg (G_IS_LIST_MODEL (streams), "get_streams gave no list");
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++)
    {
      g_autoptr(TapiStream) stream = g_list_model_get_item (streams, i);

      if (tapi_stream_get_media_type (stream) == TAPI_MEDIA_TYPE_AUDIO &&
          tapi_stream_get_direction (stream) == direction)
        {
          ck_assert_msg (found == NULL,
                         "The call has two audio streams of one direction");
          found = stream;   /* the call keeps its streams */
        }
    }
  ck_assert_msg (found != NULL, "The call has no audio %s stream",
                 direction == TAPI_TERMINAL_DIRECTION_CAPTURE ?
                   "capture" : "render");

  return found;
}

/**
 * tapi_test_new_terminal:
 * @app: an application
 * @address: the name of one of its addresses
 * @terminal_class: a terminal class, such as %TAPI_TERMINAL_CLASS_TONE
 * @direction: the direction of the terminal
 *
 * Creates an audio terminal on @address; fails the test unless it is
 * created and NOT_IN_USE.
 *
 * Returns: (transfer full): the terminal
 */
TapiTerminal *
tapi_test_new_terminal (TapiTapi              *app,
                        const char            *address,
                        const char            *terminal_class,
                        TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiTerminal *terminal;

  terminal = tapi_address_create_terminal (tapi_test_address (app, address),
                                           terminal_class,
                                           TAPI_MEDIA_TYPE_AUDIO, direction,
                                           &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (TAPI_IS_TERMINAL (terminal),
                 "create_terminal (%s) gave no terminal", terminal_class);
  ck_assert_int_eq (tapi_terminal_get_state (terminal),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);

  return terminal;
}

/**
 * tapi_test_new_tone:
 * @app: an application
 * @address: the name of one of its addresses
 * @frequency: the frequency of the sine, in Hz
 *
 * Returns: (transfer full): a capture terminal that sends a sine of
 *   @frequency
 */
TapiTerminal *
tapi_test_new_tone (TapiTapi   *app,
                    const char *address,
                    double      frequency)
{
  TapiTerminal *tone = tapi_test_new_terminal (app, address,
                                               TAPI_TERMINAL_CLASS_TONE,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE);

  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (tone), frequency);

  return tone;
}

/**
 * tapi_test_new_recorder:
 * @app: an application
 * @address: the name of one of its addresses
 * @path: the WAV file to write
 *
 * Returns: (transfer full): a render terminal that records to @path
 */
TapiTerminal *
tapi_test_new_recorder (TapiTapi   *app,
                        const char *address,
                        const char *path)
{
  TapiTerminal *recorder =
    tapi_test_new_terminal (app, address, TAPI_TERMINAL_CLASS_FILE_RECORDING,
                            TAPI_TERMINAL_DIRECTION_RENDER);
  TapiFileRecordingTerminal *file = TAPI_FILE_RECORDING_TERMINAL (recorder);

  tapi_file_recording_terminal_set_file_name (file, path);

  return recorder;
}

/**
 * tapi_test_select_terminal:
 * @stream: a stream
 * @terminal: a terminal of its direction
 *
 * Selects @terminal on @stream; fails the test unless that succeeds and
 * @stream then lists @terminal.
 */
void
tapi_test_select_terminal (TapiStream   *stream,
                           TapiTerminal *terminal)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (tapi_stream_select_terminal (stream, terminal, &error),
                 "select_terminal failed");
  tapi_test_assert_no_error (&error);
  ck_assert (tapi_test_list_contains (tapi_stream_get_terminals (stream),
                                      terminal));
}

/**
 * tapi_test_load_recording:
 * @path: a finished WAV recording
 *
 * Fails the test unless @path is a complete WAV file that can be read.
 *
 * Returns: (transfer full): its audio
 */
TapiTestAudio *
tapi_test_load_recording (const char *path)
{
  g_autoptr(GError) error = NULL;
  TapiTestAudio *audio;

  tapi_test_audio_assert_wav_header (path);
  audio = tapi_test_audio_load (path, &error);
  ck_assert_msg (audio != NULL, "Cannot read %s: %s", path,
                 error ? error->message : "");

  return audio;
}

/* media-event records */

static void
media_record_free (gpointer data)
{
  TapiTestMediaRecord *record = data;

  g_clear_object (&record->stream);
  g_clear_object (&record->terminal);
  g_free (record);
}

static void
media_event_cb (TapiCall           *call,
                TapiCallMediaEvent  event,
                TapiCallMediaCause  cause,
                TapiStream         *stream,
                TapiTerminal       *terminal,
                GPtrArray          *log)
{
  TapiTestMediaRecord *record = g_new0 (TapiTestMediaRecord, 1);

  record->event = event;
  record->cause = cause;
  record->stream = stream ? g_object_ref (stream) : NULL;
  record->terminal = terminal ? g_object_ref (terminal) : NULL;
  record->stream_state = stream ? tapi_stream_get_state (stream)
                                : TAPI_STREAM_STATE_STOPPED;
  record->terminal_state = terminal ? tapi_terminal_get_state (terminal)
                                    : TAPI_TERMINAL_STATE_NOT_IN_USE;
  record->connected_seen = tapi_test_state_seen (call,
                                                 TAPI_CALL_STATE_CONNECTED);
  record->time = g_get_monotonic_time ();
  g_ptr_array_add (log, record);
}

/**
 * tapi_test_watch_media:
 * @call: a call
 *
 * Starts recording the `media-event` emissions of @call (and, through
 * tapi_test_watch_call(), its states); does nothing if they are recorded
 * already.
 */
void
tapi_test_watch_media (TapiCall *call)
{
  GPtrArray *log;

  tapi_test_watch_call (call);
  if (g_object_get_data (G_OBJECT (call), MEDIA_LOG_KEY) != NULL)
    return;

  /* Records are allocated one by one: tests keep pointers to them. */
  log = g_ptr_array_new_with_free_func (media_record_free);
  g_object_set_data_full (G_OBJECT (call), MEDIA_LOG_KEY, log,
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (call, "media-event", G_CALLBACK (media_event_cb), log);
}

static GPtrArray *
media_log (TapiCall *call)
{
  GPtrArray *log = g_object_get_data (G_OBJECT (call), MEDIA_LOG_KEY);

  ck_assert_msg (log != NULL, "The media of call %p are not watched",
                 (gpointer) call);

  return log;
}

/**
 * tapi_test_media_mark:
 * @call: a watched call
 *
 * Returns: how many `media-event` emissions of @call are recorded, the
 *   @from of a later search for what comes next
 */
guint
tapi_test_media_mark (TapiCall *call)
{
  return media_log (call)->len;
}

/**
 * tapi_test_media_events_to_string:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for all
 *
 * Returns: (transfer full): the recorded events of @stream, as
 *   "event/cause, …" (with the name of the stream if @stream is %NULL)
 */
char *
tapi_test_media_events_to_string (TapiCall   *call,
                                  TapiStream *stream)
{
  GPtrArray *log = media_log (call);
  GString *string = g_string_new ("[");
  gboolean first = TRUE;

  for (guint i = 0; i < log->len; i++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, i);

      if (stream != NULL && record->stream != stream)
        continue;
      g_string_append_printf (string, "%s%s/%s", first ? "" : ", ",
                              tapi_test_media_event_name (record->event),
                              tapi_test_media_cause_name (record->cause));
      if (stream == NULL)
        g_string_append_printf (string, " (%s)",
                                record->stream ?
                                  tapi_stream_get_name (record->stream) : "-");
      first = FALSE;
    }
  g_string_append (string, "]");

  return g_string_free (string, FALSE);
}

/**
 * tapi_test_find_media_event:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for any
 * @event: the event
 * @cause: its cause, or %TAPI_TEST_ANY_CAUSE
 * @from: the first record to look at (a tapi_test_media_mark())
 *
 * Returns: (transfer none) (nullable): the first record of @event with
 *   @cause on @stream from @from on
 */
TapiTestMediaRecord *
tapi_test_find_media_event (TapiCall           *call,
                            TapiStream         *stream,
                            TapiCallMediaEvent  event,
                            TapiCallMediaCause  cause,
                            guint               from)
{
  GPtrArray *log = media_log (call);

  for (guint i = from; i < log->len; i++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, i);

      if (record->event == event &&
          (cause == TAPI_TEST_ANY_CAUSE || record->cause == cause) &&
          (stream == NULL || record->stream == stream))
        return record;
    }

  return NULL;
}

/**
 * tapi_test_media_event_count:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for any
 * @event: the event
 *
 * Returns: how often @call emitted @event about @stream
 */
guint
tapi_test_media_event_count (TapiCall           *call,
                             TapiStream         *stream,
                             TapiCallMediaEvent  event)
{
  GPtrArray *log = media_log (call);
  guint count = 0;

  for (guint i = 0; i < log->len; i++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, i);

      if (record->event == event &&
          (stream == NULL || record->stream == stream))
        count++;
    }

  return count;
}

/**
 * tapi_test_wait_media_event:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for any
 * @event: the event
 * @from: the first record to look at (a tapi_test_media_mark())
 *
 * Runs the default main context until @call emitted @event about @stream,
 * counted from @from; fails the test when that does not happen within
 * %TAPI_TEST_TIMEOUT_MS.
 *
 * Returns: (transfer none): its record
 */
TapiTestMediaRecord *
tapi_test_wait_media_event (TapiCall           *call,
                            TapiStream         *stream,
                            TapiCallMediaEvent  event,
                            guint               from)
{
  gint64 deadline = g_get_monotonic_time () +
    TAPI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  TapiTestMediaRecord *record;

  while ((record = tapi_test_find_media_event (call, stream, event,
                                               TAPI_TEST_ANY_CAUSE,
                                               from)) == NULL)
    {
      if (g_get_monotonic_time () >= deadline)
        {
          g_autofree char *seen =
            tapi_test_media_events_to_string (call, stream);

          ck_abort_msg ("No %s on %s within %d ms; the stream's events: %s",
                        tapi_test_media_event_name (event),
                        stream ? tapi_stream_get_name (stream) : "the call",
                        TAPI_TEST_TIMEOUT_MS, seen);
        }
      tapi_test_iterate ();
    }

  return record;
}

/**
 * tapi_test_media_events_diff:
 * @call: a watched call
 * @stream: (nullable): one of its streams, or %NULL for all
 * @...: pairs of event and cause, ended by -1
 *
 * Compares the recorded `media-event` emissions about @stream with the
 * expected ones.
 *
 * Returns: (nullable): %NULL if they match, else a description
 */
char *
tapi_test_media_events_diff (TapiCall   *call,
                             TapiStream *stream,
                             ...)
{
  GPtrArray *log = media_log (call);
  g_autofree char *seen = tapi_test_media_events_to_string (call, stream);
  g_autofree char *want = NULL;
  GString *expected = g_string_new ("[");
  gboolean match = TRUE;
  guint n = 0, position = 0;
  va_list args;
  int event;

  va_start (args, stream);
  while ((event = va_arg (args, int)) != -1)
    {
      int cause = va_arg (args, int);
      TapiTestMediaRecord *record = NULL;

      g_string_append_printf (expected, "%s%s/%s", n > 0 ? ", " : "",
                              tapi_test_media_event_name (event),
                              tapi_test_media_cause_name (cause));
      for (; position < log->len; position++)
        {
          TapiTestMediaRecord *candidate = g_ptr_array_index (log, position);

          if (stream == NULL || candidate->stream == stream)
            {
              record = candidate;
              position++;
              break;
            }
        }
      if (record == NULL || record->event != (TapiCallMediaEvent) event ||
          record->cause != (TapiCallMediaCause) cause)
        match = FALSE;
      n++;
    }
  va_end (args);
  g_string_append (expected, "]");

  for (; match && position < log->len; position++)
    {
      TapiTestMediaRecord *record = g_ptr_array_index (log, position);

      if (stream == NULL || record->stream == stream)
        match = FALSE;
    }

  want = g_string_free (expected, FALSE);
  if (match)
    return NULL;

  return g_strdup_printf ("media-event emissions %s, expected %s", seen,
                          want);
}

/* digit-detected records */

static void
digit_detected_cb (TapiCall      *call,
                   guint          digit,
                   TapiDigitMode  mode,
                   GString       *digits)
{
  ck_assert_msg (mode == TAPI_DIGIT_MODE_DTMF,
                 "digit-detected '%c' with mode 0x%x, expected DTMF", digit,
                 mode);
  g_string_append_c (digits, (char) digit);
}

static void
digits_free (gpointer digits)
{
  g_string_free (digits, TRUE);
}

/**
 * tapi_test_watch_digits:
 * @call: a call
 *
 * Records the digits @call detects; fails the test if one is reported in
 * another mode than DTMF.
 *
 * Returns: (transfer none): the digits, kept up to date while @call lives
 */
GString *
tapi_test_watch_digits (TapiCall *call)
{
  GString *digits = g_string_new (NULL);

  g_object_set_data_full (G_OBJECT (call), DIGIT_LOG_KEY, digits,
                          digits_free);
  g_signal_connect (call, "digit-detected", G_CALLBACK (digit_detected_cb),
                    digits);

  return digits;
}
