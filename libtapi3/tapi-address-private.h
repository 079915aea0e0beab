/* tapi-address-private.h: TapiAddress internals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-address.h"

G_BEGIN_DECLS

TapiAddress *tapi_address_new         (TapiTapi    *tapi,
                                       GVariant    *info);
void         tapi_address_update      (TapiAddress *self,
                                       GVariant    *info);
void         tapi_address_add_call    (TapiAddress *self,
                                       TapiCall    *call);
void         tapi_address_remove_call (TapiAddress *self,
                                       TapiCall    *call);
void         tapi_address_detach      (TapiAddress *self);

G_END_DECLS
