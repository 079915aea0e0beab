/* tapi-call-media.c: TapiCall's media and stream control
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "tapi-address-private.h"
#include "tapi-call-media-control.h"
#include "tapi-call-private.h"
#include "tapi-error.h"
#include "tapi-tapi-private.h"
#include "tapi-stream-control.h"

/* TapiCallMediaControl */

static void
tapi_call_set_media_type_async (TapiCallMediaControl *control,
                                TapiMediaType         media_type,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  TapiCall *self = TAPI_CALL (control);
  TapiDBusBroker1 *broker;
  GTask *task;

  task = operation_new (self, tapi_call_set_media_type_async,
                        tapi_dbus_broker1_call_set_media_type_finish,
                        cancellable, callback, user_data, &broker);
  if (task)
    tapi_dbus_broker1_call_set_media_type (broker, self->id, media_type,
                                           cancellable, operation_done_cb,
                                           task);
}

static gboolean
tapi_call_set_media_type_finish (TapiCallMediaControl  *control,
                                 GAsyncResult          *result,
                                 GError               **error)
{
  return call_operation_finish (TAPI_CALL (control), result,
                                tapi_call_set_media_type_async, error);
}

static gboolean
check_digit_mode (TapiDigitMode   mode,
                  gboolean        allow_none,
                  GError        **error)
{
  if (mode == 0 && allow_none)
    return TRUE;
  if (mode & TAPI_DIGIT_MODE_PULSE)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
                           "Pulse digits are not supported on IP calls");
      return FALSE;
    }
  if (mode == 0 ||
      (mode & ~(TAPI_DIGIT_MODE_DTMF | TAPI_DIGIT_MODE_DTMF_END)) != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ARGUMENT,
                   "0x%x is not a digit mode", mode);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tapi_call_generate_digits (TapiCallMediaControl  *control,
                           const char            *digits,
                           TapiDigitMode          mode,
                           GError               **error)
{
  TapiCall *self = TAPI_CALL (control);

  return check_owner (self, error) &&
         check_feature (self, TAPI_CALL_FEATURES_GENERATE_DIGITS, error) &&
         check_digit_mode (mode, FALSE, error) &&
         check_connected (self, error) &&
         tapi_media_session_generate_digits (self->media, digits, error);
}

static gboolean
tapi_call_detect_digits (TapiCallMediaControl  *control,
                         TapiDigitMode          mode,
                         GError               **error)
{
  TapiCall *self = TAPI_CALL (control);

  /* Monitors may watch digits too (lineMonitorDigits). */
  if (!check_usable (self, error) ||
      !check_feature (self, TAPI_CALL_FEATURES_DETECT_DIGITS, error) ||
      !check_digit_mode (mode, TRUE, error))
    return FALSE;
  tapi_media_session_set_detect_digits (self->media, mode);
  return TRUE;
}

static gboolean
tapi_call_monitor_media (TapiCallMediaControl  *control,
                         TapiMediaType          media_types,
                         GError               **error)
{
  TapiCall *self = TAPI_CALL (control);

  if (!check_owner (self, error) ||
      !check_feature (self, TAPI_CALL_FEATURES_MONITOR_MEDIA, error))
    return FALSE;
  if ((media_types & ~(TAPI_MEDIA_TYPE_G3FAX | TAPI_MEDIA_TYPE_DATAMODEM)) != 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "Only fax (G3FAX) and modem (DATAMODEM) tones are detected, not 0x%x",
                   media_types);
      return FALSE;
    }
  tapi_media_session_set_monitor_media (self->media, media_types);
  return TRUE;
}

void
tapi_call_call_media_control_init (TapiCallMediaControlInterface *iface)
{
  iface->set_media_type_async = tapi_call_set_media_type_async;
  iface->set_media_type_finish = tapi_call_set_media_type_finish;
  iface->generate_digits = tapi_call_generate_digits;
  iface->detect_digits = tapi_call_detect_digits;
  iface->monitor_media = tapi_call_monitor_media;
}

/* TapiStreamControl */

static GListModel *
tapi_call_get_streams (TapiStreamControl *control)
{
  return tapi_media_session_get_streams (TAPI_CALL (control)->media);
}

static TapiStream *
tapi_call_create_stream (TapiStreamControl      *control,
                         TapiMediaType           media_type,
                         TapiTerminalDirection   direction,
                         GError                **error)
{
  TapiCall *self = TAPI_CALL (control);

  if (!check_owner (self, error))
    return NULL;
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
               "The %s provider gives each call one audio stream each way",
               tapi_address_get_provider_name (self->address));
  return NULL;
}

static gboolean
tapi_call_remove_stream (TapiStreamControl  *control,
                         TapiStream         *stream,
                         GError            **error)
{
  TapiCall *self = TAPI_CALL (control);
  guint position;

  if (!check_owner (self, error))
    return FALSE;
  if (stream == NULL ||
      !g_list_store_find (G_LIST_STORE (tapi_media_session_get_streams (self->media)),
                          stream, &position))
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_STREAM,
                           "The stream does not belong to this call");
      return FALSE;
    }
  g_set_error (error, TAPI_ERROR, TAPI_ERROR_NOT_SUPPORTED,
               "The %s provider does not remove the streams of a call",
               tapi_address_get_provider_name (self->address));
  return FALSE;
}

void
tapi_call_stream_control_init (TapiStreamControlInterface *iface)
{
  iface->get_streams = tapi_call_get_streams;
  iface->create_stream = tapi_call_create_stream;
  iface->remove_stream = tapi_call_remove_stream;
}
