/* tapi-test-names.h: names of values and errors, for failure messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <tapi3.h>

G_BEGIN_DECLS

/* Names of values, for messages */
const char  *tapi_test_enum_name           (GType            type,
                                            int              value);

#define tapi_test_error_name(code)                                           \
  tapi_test_enum_name (TAPI_TYPE_ERROR, (code))
#define tapi_test_state_name(state)                                          \
  tapi_test_enum_name (TAPI_TYPE_CALL_STATE, (state))
#define tapi_test_cause_name(cause)                                          \
  tapi_test_enum_name (TAPI_TYPE_CALL_STATE_CAUSE, (cause))
#define tapi_test_info_name(change)                                          \
  tapi_test_enum_name (TAPI_TYPE_CALL_INFO_CHANGE, (change))
#define tapi_test_media_event_name(event)                                    \
  tapi_test_enum_name (TAPI_TYPE_CALL_MEDIA_EVENT, (event))
#define tapi_test_media_cause_name(cause)                                    \
  tapi_test_enum_name (TAPI_TYPE_CALL_MEDIA_CAUSE, (cause))
#define tapi_test_stream_state_name(state)                                   \
  tapi_test_enum_name (TAPI_TYPE_STREAM_STATE, (state))

char        *tapi_test_describe_error      (const GError    *error);

/**
 * tapi_test_assert_error:
 * @errorp: a `GError **`
 * @expected_code: the expected #TapiError
 *
 * Fails unless *@errorp is @expected_code in the %TAPI_ERROR domain; clears it.
 */
#define tapi_test_assert_error(errorp, expected_code)                        \
  G_STMT_START {                                                             \
    GError **tapi_test_errorp_ = (errorp);                                   \
    g_autofree char *tapi_test_got_ =                                        \
      tapi_test_describe_error (*tapi_test_errorp_);                         \
    ck_assert_msg (*tapi_test_errorp_ != NULL &&                             \
                   (*tapi_test_errorp_)->domain == TAPI_ERROR &&             \
                   (*tapi_test_errorp_)->code == (int) (expected_code),      \
                   "Expected TAPI_ERROR %s, got %s",                         \
                   tapi_test_error_name (expected_code), tapi_test_got_);    \
    g_clear_error (tapi_test_errorp_);                                       \
  } G_STMT_END

/**
 * tapi_test_assert_no_error:
 * @errorp: a `GError **`
 *
 * Fails if *@errorp is set.
 */
#define tapi_test_assert_no_error(errorp)                                    \
  G_STMT_START {                                                             \
    GError **tapi_test_errorp_ = (errorp);                                   \
    g_autofree char *tapi_test_got_ =                                        \
      tapi_test_describe_error (*tapi_test_errorp_);                         \
    ck_assert_msg (*tapi_test_errorp_ == NULL,                               \
                   "Unexpected error %s", tapi_test_got_);                   \
  } G_STMT_END

G_END_DECLS
