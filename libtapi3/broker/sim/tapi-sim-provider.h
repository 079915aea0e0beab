/* tapi-sim-provider.h: the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-provider.h"

G_BEGIN_DECLS

#define TAPI_TYPE_SIM_PROVIDER (tapi_sim_provider_get_type ())

G_DECLARE_FINAL_TYPE (TapiSimProvider, tapi_sim_provider, TAPI, SIM_PROVIDER, TapiProvider)

TapiProvider *tapi_sim_provider_new (GKeyFile *config,
                                     GError  **error);

G_END_DECLS
