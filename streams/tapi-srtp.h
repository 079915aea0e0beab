/* tapi-srtp.h: SRTP in a call's rtpbin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

gboolean tapi_srtp_add_encoder (GstElement  *rtpbin,
                                const char  *suite,
                                const char  *key,
                                GError     **error);
gboolean tapi_srtp_add_decoder (GstElement  *rtpbin,
                                GstElement  *rtp_source,
                                GstElement  *rtcp_source,
                                const char  *suite,
                                const char  *key,
                                GError     **error);

G_END_DECLS
