/* tapi-sip-provider.h: the SIP provider (sofia-sip)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-provider.h"

G_BEGIN_DECLS

#define TAPI_TYPE_SIP_PROVIDER (tapi_sip_provider_get_type ())

G_DECLARE_FINAL_TYPE (TapiSipProvider, tapi_sip_provider, TAPI, SIP_PROVIDER, TapiProvider)

TapiProvider *tapi_sip_provider_new (void);

G_END_DECLS
