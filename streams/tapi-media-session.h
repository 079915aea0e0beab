/* tapi-media-session.h: the media pipelines of one call in its owner
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-call.h"
#include "tapi-stream.h"

G_BEGIN_DECLS

#define TAPI_TYPE_MEDIA_SESSION (tapi_media_session_get_type ())

G_DECLARE_FINAL_TYPE (TapiMediaSession, tapi_media_session, TAPI, MEDIA_SESSION, GObject)

TapiMediaSession *tapi_media_session_new             (TapiCall           *call,
                                                      GMainContext       *context);
GListModel       *tapi_media_session_get_streams     (TapiMediaSession   *self);
void              tapi_media_session_set_media       (TapiMediaSession   *self,
                                                      GVariant           *media);
void              tapi_media_session_update          (TapiMediaSession   *self,
                                                      TapiCallMediaCause  cause);
gboolean          tapi_media_session_generate_digits (TapiMediaSession   *self,
                                                      const char         *digits,
                                                      GError            **error);
void              tapi_media_session_set_detect_digits (TapiMediaSession *self,
                                                        TapiDigitMode     mode);
void              tapi_media_session_digit_received    (TapiMediaSession *self,
                                                        char              digit);
void              tapi_media_session_set_monitor_media (TapiMediaSession *self,
                                                        TapiMediaType     media_types);
void              tapi_media_session_close           (TapiMediaSession   *self);

/* Which stream a terminal is selected on, across every call of the
 * process: a terminal serves one stream at a time. */
gboolean          tapi_media_session_terminal_in_use (TapiTerminal       *terminal);
void              tapi_media_session_claim_terminal  (TapiTerminal       *terminal,
                                                      TapiStream         *stream);

G_END_DECLS
