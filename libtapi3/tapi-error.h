/* tapi-error.h: the TAPI_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <glib.h>

#include "tapi-version.h"

G_BEGIN_DECLS

/**
 * TAPI_ERROR:
 *
 * The error domain of libtapi3; errors carry a [enum@Tapi.Error] code.
 */
#define TAPI_ERROR (tapi_error_quark ())

/**
 * TapiError:
 * @TAPI_ERROR_FAILED: a failure with no better code
 * @TAPI_ERROR_NOT_INITIALIZED: the [class@Tapi.Tapi] is not initialized
 * @TAPI_ERROR_SERVICE_NOT_RUNNING: the broker cannot be reached
 * @TAPI_ERROR_INVALID_ADDRESS: a malformed or unknown address
 * @TAPI_ERROR_INVALID_ADDRESS_TYPE: an address type the address does not
 *   support
 * @TAPI_ERROR_INVALID_MEDIA_TYPE: a media type that is not allowed here
 * @TAPI_ERROR_INVALID_CALL_STATE: the call is in the wrong state for this
 * @TAPI_ERROR_INVALID_CALL_HANDLE: the call handle was released or never
 *   belonged to this application
 * @TAPI_ERROR_NOT_OWNER: the application has only monitor privilege
 * @TAPI_ERROR_NOT_SUPPORTED: the provider does not support this operation
 * @TAPI_ERROR_TARGET_NOT_FOUND: no application to hand the call to
 * @TAPI_ERROR_TARGET_SELF: the application handed the call to itself
 * @TAPI_ERROR_CALL_UNAVAILABLE: no call to take
 * @TAPI_ERROR_DEST_BUSY: the destination is busy
 * @TAPI_ERROR_DEST_NO_ANSWER: the destination did not answer
 * @TAPI_ERROR_DEST_UNAVAILABLE: the destination rejected or cannot take the
 *   call
 * @TAPI_ERROR_DROPPED: the call was dropped while the operation ran
 * @TAPI_ERROR_INVALID_PARK_ID: a park orbit that is malformed or empty
 * @TAPI_ERROR_INVALID_GROUP_ID: an unknown pickup group
 * @TAPI_ERROR_NO_CONFERENCE: the call is not in a conference
 * @TAPI_ERROR_CONFERENCE_FULL: the conference cannot take more parties
 * @TAPI_ERROR_RESOURCE_UNAVAILABLE: a resource is in use or exhausted
 * @TAPI_ERROR_NO_TERMINAL_SELECTED: the stream has no terminal
 * @TAPI_ERROR_NOT_STOPPED: the stream must be stopped first
 * @TAPI_ERROR_INVALID_TERMINAL: the terminal cannot be used here
 * @TAPI_ERROR_INVALID_TERMINAL_CLASS: an unknown terminal class
 * @TAPI_ERROR_TERMINAL_IN_USE: the terminal is in use
 * @TAPI_ERROR_MAX_TERMINALS: the stream takes no more terminals
 * @TAPI_ERROR_INVALID_DIRECTION: a direction the stream or terminal lacks
 * @TAPI_ERROR_INVALID_STREAM: the stream does not belong to the call
 * @TAPI_ERROR_TIMEOUT: the operation timed out
 * @TAPI_ERROR_INVALID_ARGUMENT: an argument is %NULL, empty or out of range
 *   where that is not allowed (an application name, an enumeration value)
 *
 * Error codes of the %TAPI_ERROR domain, named after TAPI's `TAPI_E_*`.
 * They cross D-Bus intact.
 */
typedef enum {
  TAPI_ERROR_FAILED,
  TAPI_ERROR_NOT_INITIALIZED,
  TAPI_ERROR_SERVICE_NOT_RUNNING,
  TAPI_ERROR_INVALID_ADDRESS,
  TAPI_ERROR_INVALID_ADDRESS_TYPE,
  TAPI_ERROR_INVALID_MEDIA_TYPE,
  TAPI_ERROR_INVALID_CALL_STATE,
  TAPI_ERROR_INVALID_CALL_HANDLE,
  TAPI_ERROR_NOT_OWNER,
  TAPI_ERROR_NOT_SUPPORTED,
  TAPI_ERROR_TARGET_NOT_FOUND,
  TAPI_ERROR_TARGET_SELF,
  TAPI_ERROR_CALL_UNAVAILABLE,
  TAPI_ERROR_DEST_BUSY,
  TAPI_ERROR_DEST_NO_ANSWER,
  TAPI_ERROR_DEST_UNAVAILABLE,
  TAPI_ERROR_DROPPED,
  TAPI_ERROR_INVALID_PARK_ID,
  TAPI_ERROR_INVALID_GROUP_ID,
  TAPI_ERROR_NO_CONFERENCE,
  TAPI_ERROR_CONFERENCE_FULL,
  TAPI_ERROR_RESOURCE_UNAVAILABLE,
  TAPI_ERROR_NO_TERMINAL_SELECTED,
  TAPI_ERROR_NOT_STOPPED,
  TAPI_ERROR_INVALID_TERMINAL,
  TAPI_ERROR_INVALID_TERMINAL_CLASS,
  TAPI_ERROR_TERMINAL_IN_USE,
  TAPI_ERROR_MAX_TERMINALS,
  TAPI_ERROR_INVALID_DIRECTION,
  TAPI_ERROR_INVALID_STREAM,
  TAPI_ERROR_TIMEOUT,
  TAPI_ERROR_INVALID_ARGUMENT,
} TapiError;

TAPI_AVAILABLE_IN_ALL
GQuark tapi_error_quark (void);

G_END_DECLS
