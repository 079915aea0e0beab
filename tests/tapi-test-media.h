/* tapi-test-media.h: streams, terminals and media events of the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <check.h>
#include <tapi3.h>

#include "tapi-test-audio.h"

G_BEGIN_DECLS

/* Streams and terminals of audio calls */
TapiStream   *tapi_test_stream             (TapiCall              *call,
                                            TapiTerminalDirection  direction);
TapiTerminal *tapi_test_new_terminal       (TapiTapi              *app,
                                            const char            *address,
                                            const char            *terminal_class,
                                            TapiTerminalDirection  direction);
TapiTerminal *tapi_test_new_tone           (TapiTapi              *app,
                                            const char            *address,
                                            double                 frequency);
TapiTerminal *tapi_test_new_recorder       (TapiTapi              *app,
                                            const char            *address,
                                            const char            *path);
void          tapi_test_select_terminal    (TapiStream            *stream,
                                            TapiTerminal          *terminal);
TapiTestAudio *tapi_test_load_recording    (const char            *path);

/* media-event records, one list per call, started by tapi_test_watch_media() */
typedef struct
{
  TapiCallMediaEvent  event;
  TapiCallMediaCause  cause;
  TapiStream         *stream;
  TapiTerminal       *terminal;
  TapiStreamState     stream_state;     /* when it was emitted */
  TapiTerminalState   terminal_state;
  gboolean            connected_seen;   /* CONNECTED was emitted before */
  gint64              time;
} TapiTestMediaRecord;

/* A cause that matches any in tapi_test_find_media_event() */
#define TAPI_TEST_ANY_CAUSE ((TapiCallMediaCause) -1)

void         tapi_test_watch_media         (TapiCall            *call);
guint        tapi_test_media_mark          (TapiCall            *call);
char        *tapi_test_media_events_to_string (TapiCall         *call,
                                               TapiStream       *stream);
TapiTestMediaRecord *tapi_test_find_media_event (TapiCall           *call,
                                                 TapiStream         *stream,
                                                 TapiCallMediaEvent  event,
                                                 TapiCallMediaCause  cause,
                                                 guint               from);
guint        tapi_test_media_event_count   (TapiCall            *call,
                                            TapiStream          *stream,
                                            TapiCallMediaEvent   event);
TapiTestMediaRecord *tapi_test_wait_media_event (TapiCall           *call,
                                                 TapiStream         *stream,
                                                 TapiCallMediaEvent  event,
                                                 guint               from);
char        *tapi_test_media_events_diff   (TapiCall            *call,
                                            TapiStream          *stream,
                                            ...);

/**
 * tapi_test_assert_media_events:
 * @call: a call watched with tapi_test_watch_media()
 * @stream: (nullable): one of its streams, or %NULL for all
 * @...: pairs of #TapiCallMediaEvent and #TapiCallMediaCause
 *
 * Fails unless the `media-event` emissions of @call about @stream are
 * exactly the given pairs, in order.
 */
#define tapi_test_assert_media_events(call, stream, ...)                     \
  G_STMT_START {                                                             \
    g_autofree char *tapi_test_diff_ =                                       \
      tapi_test_media_events_diff ((call), (stream), __VA_ARGS__, -1);       \
    ck_assert_msg (tapi_test_diff_ == NULL, "%s: %s", #stream,               \
                   tapi_test_diff_);                                         \
  } G_STMT_END

/* digit-detected records */
GString     *tapi_test_watch_digits        (TapiCall            *call);

G_END_DECLS
