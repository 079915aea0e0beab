/* tapi-dtmf-generator.h: adds DTMF digits as tones to sent audio
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TapiDtmfGenerator TapiDtmfGenerator;

TapiDtmfGenerator *tapi_dtmf_generator_new     (guint               sample_rate,
                                                guint               on_ms,
                                                guint               off_ms);
void               tapi_dtmf_generator_free    (TapiDtmfGenerator  *self);
void               tapi_dtmf_generator_push    (TapiDtmfGenerator  *self,
                                                const char         *digits);
gboolean           tapi_dtmf_generator_is_busy (TapiDtmfGenerator  *self);
char              *tapi_dtmf_generator_flush   (TapiDtmfGenerator  *self);
gboolean           tapi_dtmf_generator_process (TapiDtmfGenerator  *self,
                                                gint16             *samples,
                                                gsize               n_samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TapiDtmfGenerator, tapi_dtmf_generator_free)

G_END_DECLS
