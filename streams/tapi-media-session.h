/* tapi-media-session.h: the media pipelines of one call in its owner
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tapi-enums.h"
#include "tapi-stream.h"
#include "tapi-types.h"

G_BEGIN_DECLS

#define TAPI_TYPE_MEDIA_SESSION (tapi_media_session_get_type ())

G_DECLARE_FINAL_TYPE (TapiMediaSession, tapi_media_session, TAPI, MEDIA_SESSION, GObject)

/* What the session asks of the call handle it serves, which passes
 * @user_data; the session reports back with its signals. */
typedef struct
{
  /* Whether this handle runs the call's media now: it owns the call and
   * holds its media, and it was not released. */
  gboolean (*runs_media)         (gpointer              user_data);
  gboolean (*is_connected)       (gpointer              user_data);
  /* Whether the handle may operate the streams, and if not, why. */
  gboolean (*check_owner)        (gpointer              user_data,
                                  GError              **error);
  /* Fetches the call's media description and its RTP and RTCP sockets;
   * returns FALSE, without calling @callback, when there is nothing to
   * fetch them from. */
  gboolean (*fetch_media_async)  (gpointer              user_data,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              callback_data);
  gboolean (*fetch_media_finish) (GObject              *source,
                                  GAsyncResult         *result,
                                  GVariant            **media,
                                  GSocket             **rtp_socket,
                                  GSocket             **rtcp_socket,
                                  GError              **error);
} TapiMediaSessionCallbacks;

TapiMediaSession *tapi_media_session_new             (TapiCall                        *call,
                                                      guint                            call_id,
                                                      GMainContext                    *context,
                                                      const TapiMediaSessionCallbacks *callbacks,
                                                      gpointer                         user_data);
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

/* Used by the session's streams. */
gboolean          tapi_media_session_check_owner     (TapiMediaSession   *self,
                                                      GError            **error);
void              tapi_media_session_emit_media_event (TapiMediaSession   *self,
                                                       TapiCallMediaEvent  event,
                                                       TapiCallMediaCause  cause,
                                                       TapiStream         *stream,
                                                       TapiTerminal       *terminal);

/* Which stream a terminal is selected on, across every call of the
 * process: a terminal serves one stream at a time. */
gboolean          tapi_media_session_terminal_in_use (TapiTerminal       *terminal);
void              tapi_media_session_claim_terminal  (TapiTerminal       *terminal,
                                                      TapiStream         *stream);

G_END_DECLS
