/* tapi-media-detector.h: detects fax and modem tones and DTMF digits
 * in received audio
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "tapi-enums.h"

G_BEGIN_DECLS

typedef struct _TapiMediaDetector TapiMediaDetector;

TapiMediaDetector *tapi_media_detector_new  (guint              sample_rate);
void               tapi_media_detector_free (TapiMediaDetector *self);
TapiMediaType      tapi_media_detector_feed (TapiMediaDetector *self,
                                             const gint16      *samples,
                                             gsize              n_samples);

typedef struct _TapiDtmfDetector TapiDtmfDetector;

TapiDtmfDetector  *tapi_dtmf_detector_new   (guint              sample_rate);
void               tapi_dtmf_detector_free  (TapiDtmfDetector  *self);
void               tapi_dtmf_detector_feed  (TapiDtmfDetector  *self,
                                             const gint16      *samples,
                                             gsize              n_samples,
                                             GString           *digits);

gboolean           tapi_dtmf_frequencies    (char               digit,
                                             double            *row,
                                             double            *column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TapiMediaDetector, tapi_media_detector_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TapiDtmfDetector, tapi_dtmf_detector_free)

G_END_DECLS
