/* tapi-test-capture.h: RTP on the loopback interface, seen from the wire
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TapiTestCapture TapiTestCapture;

typedef struct
{
  guint rtp_packets;    /* PCMU RTP packets of one 20 ms frame */
  guint tone_packets;   /* those whose payload, decoded, is the tone */
} TapiTestCaptureResult;

TapiTestCapture *tapi_test_capture_start (double                 frequency,
                                          guint                  first_port,
                                          guint                  last_port);
void             tapi_test_capture_stop  (TapiTestCapture       *self,
                                          TapiTestCaptureResult *result);

G_END_DECLS
