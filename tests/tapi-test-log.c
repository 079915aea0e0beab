/* tapi-test-log.c: log messages; an unexpected warning fails the test
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi-test-helper.h"

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

/**
 * tapi_test_log_init:
 *
 * Makes every warning and critical the process logs fail the test,
 * unless tapi_test_expect_message() announced it.
 */
void
tapi_test_log_init (void)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
}
