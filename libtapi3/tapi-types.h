/* tapi-types.h: forward declarations of the libtapi3 object types
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* The object headers refer to each other; each type is defined in its own
 * header with G_DECLARE_*_TYPE, which repeats these typedefs. */
typedef struct _TapiTapi TapiTapi;
typedef struct _TapiAddress TapiAddress;
typedef struct _TapiCall TapiCall;

G_END_DECLS
