/* tapi-broker-address.h: an address as the broker and its providers see it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-enums.h"

G_BEGIN_DECLS

typedef struct _TapiProvider TapiProvider;

typedef struct _TapiBrokerAddress
{
  gatomicrefcount    ref_count;
  char              *name;
  char              *dialable_address;
  char              *display_name;
  TapiProvider      *provider;         /* unowned: the provider owns its addresses */
  TapiAddressState   state;
  TapiMediaType      media_types;
  TapiAddressType    address_types;
  TapiCallFeatures   call_features;
  char              *pickup_group;
} TapiBrokerAddress;

TapiBrokerAddress *tapi_broker_address_new     (TapiProvider      *provider,
                                                const char        *name,
                                                const char        *dialable_address,
                                                const char        *display_name);
TapiBrokerAddress *tapi_broker_address_ref     (TapiBrokerAddress *self);
void               tapi_broker_address_unref   (TapiBrokerAddress *self);
GVariant          *tapi_broker_address_to_variant (TapiBrokerAddress *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TapiBrokerAddress, tapi_broker_address_unref)

G_END_DECLS
