/* tapi-error.c: the TAPI_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "tapi-error.h"

static const GDBusErrorEntry tapi_dbus_error_entries[] = {
  { TAPI_ERROR_FAILED, "org.libtapi3.Error.Failed" },
  { TAPI_ERROR_NOT_INITIALIZED, "org.libtapi3.Error.NotInitialized" },
  { TAPI_ERROR_SERVICE_NOT_RUNNING, "org.libtapi3.Error.ServiceNotRunning" },
  { TAPI_ERROR_INVALID_ADDRESS, "org.libtapi3.Error.InvalidAddress" },
  { TAPI_ERROR_INVALID_ADDRESS_TYPE, "org.libtapi3.Error.InvalidAddressType" },
  { TAPI_ERROR_INVALID_MEDIA_TYPE, "org.libtapi3.Error.InvalidMediaType" },
  { TAPI_ERROR_INVALID_CALL_STATE, "org.libtapi3.Error.InvalidCallState" },
  { TAPI_ERROR_INVALID_CALL_HANDLE, "org.libtapi3.Error.InvalidCallHandle" },
  { TAPI_ERROR_NOT_OWNER, "org.libtapi3.Error.NotOwner" },
  { TAPI_ERROR_NOT_SUPPORTED, "org.libtapi3.Error.NotSupported" },
  { TAPI_ERROR_TARGET_NOT_FOUND, "org.libtapi3.Error.TargetNotFound" },
  { TAPI_ERROR_TARGET_SELF, "org.libtapi3.Error.TargetSelf" },
  { TAPI_ERROR_CALL_UNAVAILABLE, "org.libtapi3.Error.CallUnavailable" },
  { TAPI_ERROR_DEST_BUSY, "org.libtapi3.Error.DestBusy" },
  { TAPI_ERROR_DEST_NO_ANSWER, "org.libtapi3.Error.DestNoAnswer" },
  { TAPI_ERROR_DEST_UNAVAILABLE, "org.libtapi3.Error.DestUnavailable" },
  { TAPI_ERROR_DROPPED, "org.libtapi3.Error.Dropped" },
  { TAPI_ERROR_INVALID_PARK_ID, "org.libtapi3.Error.InvalidParkId" },
  { TAPI_ERROR_INVALID_GROUP_ID, "org.libtapi3.Error.InvalidGroupId" },
  { TAPI_ERROR_NO_CONFERENCE, "org.libtapi3.Error.NoConference" },
  { TAPI_ERROR_CONFERENCE_FULL, "org.libtapi3.Error.ConferenceFull" },
  { TAPI_ERROR_RESOURCE_UNAVAILABLE, "org.libtapi3.Error.ResourceUnavailable" },
  { TAPI_ERROR_NO_TERMINAL_SELECTED, "org.libtapi3.Error.NoTerminalSelected" },
  { TAPI_ERROR_NOT_STOPPED, "org.libtapi3.Error.NotStopped" },
  { TAPI_ERROR_INVALID_TERMINAL, "org.libtapi3.Error.InvalidTerminal" },
  { TAPI_ERROR_INVALID_TERMINAL_CLASS, "org.libtapi3.Error.InvalidTerminalClass" },
  { TAPI_ERROR_TERMINAL_IN_USE, "org.libtapi3.Error.TerminalInUse" },
  { TAPI_ERROR_MAX_TERMINALS, "org.libtapi3.Error.MaxTerminals" },
  { TAPI_ERROR_INVALID_DIRECTION, "org.libtapi3.Error.InvalidDirection" },
  { TAPI_ERROR_INVALID_STREAM, "org.libtapi3.Error.InvalidStream" },
  { TAPI_ERROR_TIMEOUT, "org.libtapi3.Error.Timeout" },
  { TAPI_ERROR_INVALID_ARGUMENT, "org.libtapi3.Error.InvalidArgument" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (tapi_dbus_error_entries) ==
                 TAPI_ERROR_INVALID_ARGUMENT + 1);

/**
 * tapi_error_quark:
 *
 * The error domain of libtapi3.
 *
 * Returns: the %TAPI_ERROR quark
 */
/* Not G_DEFINE_QUARK: the domain is registered with GDBus so that errors
 * cross the broker connection with their domain and code intact. */
GQuark
tapi_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("tapi-error-quark",
                                      &quark,
                                      tapi_dbus_error_entries,
                                      G_N_ELEMENTS (tapi_dbus_error_entries));
  return (GQuark) quark;
}
