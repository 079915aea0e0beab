/* tapi3.h: the libtapi3 umbrella header
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define TAPI_INSIDE

#include "tapi-version.h"
#include "tapi-types.h"
#include "tapi-enums.h"
#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-tapi.h"
#include "tapi-address.h"
#include "tapi-call.h"
#include "tapi-basic-call-control.h"
#include "tapi-call-media-control.h"
#include "tapi-terminal.h"
#include "tapi-tone-terminal.h"
#include "tapi-file-recording-terminal.h"
#include "tapi-file-playback-terminal.h"
#include "tapi-media-stream-terminal.h"
#include "tapi-stream.h"
#include "tapi-stream-control.h"

#undef TAPI_INSIDE
