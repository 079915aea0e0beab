/* tapi-sip-raw.h: raw SIP datagrams for the torture tests
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
char        *tapi_sip_raw_expand            (const char      *template,
                                             GSocket         *sock,
                                             guint16          peer_port,
                                             gsize           *len);

guint16      tapi_sip_raw_local_port        (GSocket         *sock);
char        *tapi_sip_raw_final_response    (GSocket         *sock,
                                             guint            timeout_ms);
char        *tapi_sip_raw_header            (const char      *message,
                                             const char      *name);

G_END_DECLS
