/* tapi-call-private.h: TapiCall internals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-call.h"
#include "tapi-stream.h"
#include "tapi-terminal.h"

G_BEGIN_DECLS

TapiCall *tapi_call_new                (TapiTapi           *tapi,
                                        TapiAddress        *address,
                                        GVariant           *info);
void      tapi_call_apply_info         (TapiCall           *self,
                                        GVariant           *info);
void      tapi_call_emit_state_changed (TapiCall           *self,
                                        TapiCallState       state,
                                        TapiCallStateCause  cause);
void      tapi_call_emit_info_changed  (TapiCall           *self,
                                        TapiCallInfoChange  change);
void      tapi_call_mark_released      (TapiCall           *self,
                                        gboolean            by_shutdown);
void      tapi_call_mark_orphaned      (TapiCall           *self);

void      tapi_call_set_media          (TapiCall           *self,
                                        GVariant           *media);
void      tapi_call_digit_received     (TapiCall           *self,
                                        char                digit);
void      tapi_call_relay_media_event  (TapiCall           *self,
                                        TapiCallMediaEvent  event,
                                        TapiCallMediaCause  cause,
                                        guint               direction);

G_END_DECLS
