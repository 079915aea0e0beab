/* bench-pair.h: two applications calling through the embedded broker
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "bench-media-util.h"

G_BEGIN_DECLS

/* Application A places a call from its address; application B owns the
 * calls to its own. A benchmark embeds it first in its state, so that the
 * handlers it connects with its state as data get the pair too. */
typedef struct
{
  TapiTapi    *app_a;
  TapiTapi    *app_b;
  TapiAddress *address_a;
  TapiAddress *address_b;
  char        *failure;         /* the first failure, or NULL */
  guint        pending;         /* operations under way */

  /* The call under way */
  TapiCall    *call_a;
  TapiCall    *call_b;
  gboolean     connected;       /* a connect succeeded */
  gboolean     answered;        /* an answer succeeded */
  gboolean     ending;          /* the call is being hung up */
  gboolean     a_disconnected;
  gboolean     b_disconnected;
} BenchPair;

gboolean      bench_pair_init          (BenchPair     *self,
                                        const char    *app_a,
                                        const char    *address_a,
                                        const char    *app_b,
                                        const char    *address_b,
                                        GError       **error);
gboolean      bench_pair_shutdown      (BenchPair     *self,
                                        GError       **error);

void          bench_pair_fail          (BenchPair     *self,
                                        const char    *format,
                                        ...) G_GNUC_PRINTF (2, 3);
gboolean      bench_pair_failed        (gpointer       self);
gboolean      bench_pair_wait          (BenchPair     *self,
                                        BenchPredicate done,
                                        guint          timeout_ms,
                                        const char    *what);

/* GAsyncReadyCallbacks of operations started with the pair as user data:
 * each counts the operation done and records its failure. */
void          bench_pair_connect_cb    (GObject       *source,
                                        GAsyncResult  *result,
                                        gpointer       self);
void          bench_pair_answer_cb     (GObject       *source,
                                        GAsyncResult  *result,
                                        gpointer       self);
void          bench_pair_disconnect_cb (GObject       *source,
                                        GAsyncResult  *result,
                                        gpointer       self);

gboolean      bench_pair_place_call    (BenchPair     *self,
                                        const char    *destination,
                                        GCallback      media_event);
gboolean      bench_pair_take_call     (BenchPair     *self,
                                        TapiCall      *call,
                                        TapiCallNotificationEvent event,
                                        GCallback      media_event);
gboolean      bench_pair_hang_up       (BenchPair     *self,
                                        TapiCall      *call,
                                        guint          timeout_ms);
void          bench_pair_end_call      (BenchPair     *self);

TapiTerminal *bench_pair_attach        (BenchPair             *self,
                                        TapiCall              *call,
                                        TapiAddress           *address,
                                        TapiTerminalDirection  direction,
                                        GCallback              samples_received,
                                        const char            *who);

G_END_DECLS
