/* tapi-test-helper.h: shared code of the libtapi3 test suites
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <tapi3.h>

#include "tapi-test-audio.h"
#include "tapi-test-calls.h"
#include "tapi-test-log.h"
#include "tapi-test-loop.h"
#include "tapi-test-media.h"
#include "tapi-test-names.h"

G_BEGIN_DECLS

#define TAPI_TEST_APP_A "org.example.A"
#define TAPI_TEST_APP_B "org.example.B"
#define TAPI_TEST_APP_C "org.example.C"
#define TAPI_TEST_APP_D "org.example.D"

/* Process setup and running */
void         tapi_test_init                (void);
int          tapi_test_run                 (Suite           *suite);
void         tapi_test_teardown            (void);

/* Files */
void         tapi_test_remove_tree         (const char      *path);

/* A keyfile for the simulated PBX; call before the first application. */
void         tapi_test_set_sim_config      (const char      *contents);

/* Applications: created and initialized, shut down by tapi_test_teardown(). */
TapiTapi    *tapi_test_app_new             (const char      *application_name);
TapiAddress *tapi_test_address             (TapiTapi        *app,
                                            const char      *name);
guint        tapi_test_register            (TapiTapi        *app,
                                            const char      *address,
                                            gboolean         monitor,
                                            gboolean         owner,
                                            TapiMediaType    media_types);
void         tapi_test_app_set_auto_answer (TapiTapi        *app,
                                            gboolean         auto_answer);

/* call-notification records, one list per application */
guint        tapi_test_notification_count  (TapiTapi        *app);
TapiCall    *tapi_test_notification_get    (TapiTapi        *app,
                                            guint            index,
                                            TapiCallNotificationEvent *event);
TapiCall    *tapi_test_next_notification   (TapiTapi        *app,
                                            TapiCallNotificationEvent *event);

G_END_DECLS
