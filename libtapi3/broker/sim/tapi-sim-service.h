/* tapi-sim-service.h: a scripted remote party of the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * TapiSimServiceKind:
 * @TAPI_SIM_SERVICE_TONE: sends a continuous 1000 Hz sine
 * @TAPI_SIM_SERVICE_ECHO: sends back the media and the RFC 4733 digits it
 *   receives
 * @TAPI_SIM_SERVICE_FAX: sends a fax calling tone (CNG: 1100 Hz for 0.5 s,
 *   then 3 s of silence, repeating)
 * @TAPI_SIM_SERVICE_DTMF: waits 500 ms, sends its digits as RFC 4733 events
 *   (in-band tones when no telephone-event payload was negotiated), then
 *   sends silence
 * @TAPI_SIM_SERVICE_SILENCE: sends silence
 *
 * What a service sends to the leg it is linked to.
 */
typedef enum {
  TAPI_SIM_SERVICE_TONE,
  TAPI_SIM_SERVICE_ECHO,
  TAPI_SIM_SERVICE_FAX,
  TAPI_SIM_SERVICE_DTMF,
  TAPI_SIM_SERVICE_SILENCE,
} TapiSimServiceKind;

#define TAPI_TYPE_SIM_SERVICE (tapi_sim_service_get_type ())

G_DECLARE_FINAL_TYPE (TapiSimService, tapi_sim_service, TAPI, SIM_SERVICE, GObject)

TapiSimService     *tapi_sim_service_new           (TapiSimServiceKind  kind,
                                                    const char         *digits,
                                                    GError            **error);

TapiSimServiceKind  tapi_sim_service_get_kind      (TapiSimService     *self);
guint               tapi_sim_service_get_rtp_port  (TapiSimService     *self);
guint               tapi_sim_service_get_rtcp_port (TapiSimService     *self);

gboolean            tapi_sim_service_start         (TapiSimService     *self,
                                                    GVariant           *media,
                                                    GError            **error);
void                tapi_sim_service_stop          (TapiSimService     *self);
gboolean            tapi_sim_service_is_running    (TapiSimService     *self);

/* The running pipeline, for tests; NULL when stopped. */
GstElement         *tapi_sim_service_get_pipeline  (TapiSimService     *self);

G_END_DECLS
