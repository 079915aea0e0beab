/* tapi-sip-raw.h: raw SIP datagrams over UDP on 127.0.0.1
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSocket     *tapi_sip_raw_socket_new        (void);
void         tapi_sip_raw_send              (GSocket         *sock,
                                             guint16          port,
                                             const void      *data,
                                             gsize            len);
char        *tapi_sip_raw_receive           (GSocket         *sock,
                                             guint            timeout_ms,
                                             gsize           *len);
guint        tapi_sip_raw_status            (const char      *response);

G_END_DECLS
