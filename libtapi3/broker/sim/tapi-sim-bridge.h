/* tapi-sim-bridge.h: the simulated PBX's conference bridge
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TAPI_TYPE_SIM_BRIDGE (tapi_sim_bridge_get_type ())

G_DECLARE_FINAL_TYPE (TapiSimBridge, tapi_sim_bridge, TAPI, SIM_BRIDGE, GObject)

TapiSimBridge *tapi_sim_bridge_new           (guint           n_participants,
                                              GError        **error);
guint          tapi_sim_bridge_get_n_participants (TapiSimBridge *self);
guint          tapi_sim_bridge_get_rtp_port  (TapiSimBridge  *self,
                                              guint           participant);
guint          tapi_sim_bridge_get_rtcp_port (TapiSimBridge  *self,
                                              guint           participant);
gboolean       tapi_sim_bridge_start         (TapiSimBridge  *self,
                                              GVariant      **media,
                                              GError        **error);
void           tapi_sim_bridge_stop          (TapiSimBridge  *self);

G_END_DECLS
