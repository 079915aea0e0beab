/* tapi-test-log.h: log messages; an unexpected warning fails the test
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An unexpected warning or critical fails the test. */
void         tapi_test_log_init            (void);
void         tapi_test_expect_message      (const char      *log_domain,
                                            GLogLevelFlags   log_level,
                                            const char      *pattern);
gboolean     tapi_test_expected_messages_seen (void);

G_END_DECLS
