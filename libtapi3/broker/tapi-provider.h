/* tapi-provider.h: the base class of telephony service providers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-broker-address.h"
#include "tapi-broker-call.h"

G_BEGIN_DECLS

typedef struct _TapiBroker TapiBroker;

#define TAPI_TYPE_PROVIDER (tapi_provider_get_type ())

G_DECLARE_DERIVABLE_TYPE (TapiProvider, tapi_provider, TAPI, PROVIDER, GObject)

/* Each operation starts what it names and returns TRUE, or fails without
 * changing anything. Progress is reported by changing the calls' state;
 * the broker completes the applications' requests from those changes. An
 * operation a provider does not implement fails with NOT_SUPPORTED. */
struct _TapiProviderClass
{
  GObjectClass parent_class;

  gboolean (*check_destination)      (TapiProvider      *self,
                                      TapiBrokerAddress *address,
                                      const char        *destination,
                                      GError           **error);
  gboolean (*connect)                (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      GError           **error);
  gboolean (*dial)                   (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      const char        *destination,
                                      GError           **error);
  gboolean (*answer)                 (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      GError           **error);
  gboolean (*disconnect)             (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      TapiDisconnectCode code,
                                      TapiCallStateCause cause,
                                      GError           **error);
  gboolean (*hold)                   (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      gboolean           hold,
                                      GError           **error);
  gboolean (*blind_transfer)         (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      const char        *destination,
                                      GError           **error);
  gboolean (*finish_transfer)        (TapiProvider      *self,
                                      TapiBrokerCall    *original,
                                      TapiBrokerCall    *consultation,
                                      GError           **error);
  gboolean (*finish_conference)      (TapiProvider      *self,
                                      TapiBrokerCall    *original,
                                      TapiBrokerCall    *consultation,
                                      GError           **error);
  gboolean (*is_in_conference)       (TapiProvider      *self,
                                      TapiBrokerCall    *call);
  gboolean (*remove_from_conference) (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      GError           **error);
  char    *(*park)                   (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      const char        *orbit,
                                      GError           **error);
  gboolean (*unpark)                 (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      GError           **error);
  gboolean (*pickup)                 (TapiProvider      *self,
                                      TapiBrokerCall    *call,
                                      const char        *group_id,
                                      GError           **error);
  void     (*call_removed)           (TapiProvider      *self,
                                      TapiBrokerCall    *call);
};

const char  *tapi_provider_get_name      (TapiProvider      *self);
TapiBroker  *tapi_provider_get_broker    (TapiProvider      *self);
void         tapi_provider_set_broker    (TapiProvider      *self,
                                          TapiBroker        *broker);
GPtrArray   *tapi_provider_get_addresses (TapiProvider      *self);
void         tapi_provider_add_address   (TapiProvider      *self,
                                          TapiBrokerAddress *address);

/* Reports to the broker: see the signals in tapi-provider.c. */
void tapi_provider_emit_call_added            (TapiProvider      *self,
                                               TapiBrokerCall    *call);
void tapi_provider_emit_call_offered          (TapiProvider      *self,
                                               TapiBrokerCall    *call,
                                               TapiBrokerCall    *model);
void tapi_provider_emit_transfer_failed       (TapiProvider      *self,
                                               TapiBrokerCall    *call,
                                               const GError      *error);
void tapi_provider_emit_digit_received        (TapiProvider      *self,
                                               TapiBrokerCall    *call,
                                               char               digit);
void tapi_provider_emit_address_state_changed (TapiProvider      *self,
                                               TapiBrokerAddress *address,
                                               TapiAddressState   state);

gboolean tapi_provider_check_destination      (TapiProvider *self, TapiBrokerAddress *address, const char *destination, GError **error);
gboolean tapi_provider_connect                (TapiProvider *self, TapiBrokerCall *call, GError **error);
gboolean tapi_provider_dial                   (TapiProvider *self, TapiBrokerCall *call, const char *destination, GError **error);
gboolean tapi_provider_answer                 (TapiProvider *self, TapiBrokerCall *call, GError **error);
gboolean tapi_provider_disconnect             (TapiProvider *self, TapiBrokerCall *call, TapiDisconnectCode code, TapiCallStateCause cause, GError **error);
gboolean tapi_provider_hold                   (TapiProvider *self, TapiBrokerCall *call, gboolean hold, GError **error);
gboolean tapi_provider_blind_transfer         (TapiProvider *self, TapiBrokerCall *call, const char *destination, GError **error);
gboolean tapi_provider_finish_transfer        (TapiProvider *self, TapiBrokerCall *original, TapiBrokerCall *consultation, GError **error);
gboolean tapi_provider_finish_conference      (TapiProvider *self, TapiBrokerCall *original, TapiBrokerCall *consultation, GError **error);
gboolean tapi_provider_is_in_conference       (TapiProvider *self, TapiBrokerCall *call);
gboolean tapi_provider_remove_from_conference (TapiProvider *self, TapiBrokerCall *call, GError **error);
char    *tapi_provider_park                   (TapiProvider *self, TapiBrokerCall *call, const char *orbit, GError **error);
gboolean tapi_provider_unpark                 (TapiProvider *self, TapiBrokerCall *call, GError **error);
gboolean tapi_provider_pickup                 (TapiProvider *self, TapiBrokerCall *call, const char *group_id, GError **error);
void     tapi_provider_call_removed           (TapiProvider *self, TapiBrokerCall *call);

G_END_DECLS
