/* tapi-address.h: TapiAddress, a line address of a provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-terminal.h"
#include "tapi-types.h"
#include "tapi-version.h"

G_BEGIN_DECLS

#define TAPI_TYPE_ADDRESS (tapi_address_get_type ())

TAPI_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TapiAddress, tapi_address, TAPI, ADDRESS, GObject)

TAPI_AVAILABLE_IN_ALL
TapiTapi         *tapi_address_get_tapi             (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
const char       *tapi_address_get_name             (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
const char       *tapi_address_get_dialable_address (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
const char       *tapi_address_get_provider_name    (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
TapiAddressState  tapi_address_get_state            (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
TapiMediaType     tapi_address_get_media_types      (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
TapiAddressType   tapi_address_get_address_types    (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
TapiCallFeatures  tapi_address_get_call_features    (TapiAddress   *self);

TAPI_AVAILABLE_IN_ALL
TapiCall         *tapi_address_create_call          (TapiAddress   *self,
                                                     const char    *destination,
                                                     TapiAddressType address_type,
                                                     TapiMediaType  media_types,
                                                     GError       **error);
TAPI_AVAILABLE_IN_ALL
void              tapi_address_create_call_async    (TapiAddress        *self,
                                                     const char         *destination,
                                                     TapiAddressType     address_type,
                                                     TapiMediaType       media_types,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
TAPI_AVAILABLE_IN_ALL
TapiCall         *tapi_address_create_call_finish   (TapiAddress        *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
TAPI_AVAILABLE_IN_ALL
GListModel       *tapi_address_get_calls            (TapiAddress   *self);

TAPI_AVAILABLE_IN_ALL
GListModel       *tapi_address_get_static_terminals (TapiAddress   *self);
TAPI_AVAILABLE_IN_ALL
TapiTerminal     *tapi_address_get_default_static_terminal (TapiAddress           *self,
                                                            TapiMediaType          media_type,
                                                            TapiTerminalDirection  direction);
TAPI_AVAILABLE_IN_ALL
TapiTerminal     *tapi_address_create_terminal      (TapiAddress           *self,
                                                     const char            *terminal_class,
                                                     TapiMediaType          media_type,
                                                     TapiTerminalDirection  direction,
                                                     GError               **error);

G_END_DECLS
