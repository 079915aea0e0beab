/* fuzz-common.h: what the fuzz targets share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <stdint.h>

G_BEGIN_DECLS

int              LLVMFuzzerInitialize   (int            *argc,
                                         char         ***argv);
int              LLVMFuzzerTestOneInput (const uint8_t  *data,
                                         size_t          size);

void             fuzz_init              (void);
char            *fuzz_write_config      (const char     *variable,
                                         const char     *basename,
                                         const char     *contents,
                                         gsize           length);
guint            fuzz_free_udp_port     (void);
GDBusConnection *fuzz_connect_embedded  (void);
void             fuzz_initialize_application (GDBusConnection *connection);
GVariant        *fuzz_arguments         (GDBusArgInfo  **args,
                                         const uint8_t  *data,
                                         size_t          size);
GVariant        *fuzz_call              (GDBusConnection *connection,
                                         const char      *method,
                                         GVariant        *parameters,
                                         GError         **error);

G_END_DECLS
