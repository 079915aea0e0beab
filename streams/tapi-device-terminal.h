/* tapi-device-terminal.h: TapiDeviceTerminal, a sound device of the machine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gst/gst.h>

#include "tapi-terminal.h"

G_BEGIN_DECLS

#define TAPI_TYPE_DEVICE_TERMINAL (tapi_device_terminal_get_type ())

G_DECLARE_FINAL_TYPE (TapiDeviceTerminal, tapi_device_terminal, TAPI, DEVICE_TERMINAL, TapiTerminal)

TapiTerminal *tapi_device_terminal_new        (GstDevice          *device);
GstDevice    *tapi_device_terminal_get_device (TapiDeviceTerminal *self);

G_END_DECLS
