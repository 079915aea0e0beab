/* bench-sipp.h: running sipp next to the SIP benchmarks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

guint        bench_free_udp_port    (void);
GSubprocess *bench_start_sipp       (const char * const *argv,
                                     const char         *log_path);

G_END_DECLS
