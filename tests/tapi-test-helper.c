/* tapi-test-helper.c: shared code of the libtapi3 test suites
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>

#include <glib/gstdio.h>

#include "tapi-test-helper.h"

#define APP_DATA_KEY "tapi-test-app-data"

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
  tapi_test_log_init ();
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
