/* tapi-broker-address.c: an address as the broker and its providers see it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Broker"

#include "tapi-broker-address.h"
#include "tapi-provider.h"

TapiBrokerAddress *
tapi_broker_address_new (TapiProvider *provider,
                         const char   *name,
                         const char   *dialable_address,
                         const char   *display_name)
{
  TapiBrokerAddress *self = g_new0 (TapiBrokerAddress, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->provider = provider;
  self->name = g_strdup (name);
  self->dialable_address = g_strdup (dialable_address);
  self->display_name = g_strdup (display_name ? display_name : name);
  self->state = TAPI_ADDRESS_STATE_IN_SERVICE;
  self->address_types = TAPI_ADDRESS_TYPE_PHONE_NUMBER;
  return self;
}

TapiBrokerAddress *
tapi_broker_address_ref (TapiBrokerAddress *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tapi_broker_address_unref (TapiBrokerAddress *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->dialable_address);
  g_free (self->display_name);
  g_free (self->pickup_group);
  g_free (self);
}

GVariant *
tapi_broker_address_to_variant (TapiBrokerAddress *self)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", self->name);
  g_variant_dict_insert (&dict, "dialable-address", "s",
                         self->dialable_address);
  g_variant_dict_insert (&dict, "provider-name", "s",
                         tapi_provider_get_name (self->provider));
  g_variant_dict_insert (&dict, "state", "u", (guint32) self->state);
  g_variant_dict_insert (&dict, "media-types", "u",
                         (guint32) self->media_types);
  g_variant_dict_insert (&dict, "address-types", "u",
                         (guint32) self->address_types);
  g_variant_dict_insert (&dict, "call-features", "u",
                         (guint32) self->call_features);
  return g_variant_dict_end (&dict);
}
