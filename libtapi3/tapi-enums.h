/* tapi-enums.h: enumerations and flags of the TAPI 3 object model
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(TAPI_INSIDE) && !defined(TAPI_COMPILATION)
#error "Only <tapi3.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * TapiBrokerMode:
 * @TAPI_BROKER_MODE_EMBEDDED: the broker runs in a thread of this process
 * @TAPI_BROKER_MODE_SESSION: the `tapi3d` broker on the session bus
 * @TAPI_BROKER_MODE_ADDRESS: a broker at an explicit D-Bus address
 *
 * Where the broker (the TAPI server) of a [class@Tapi.Tapi] runs.
 */
typedef enum {
  TAPI_BROKER_MODE_EMBEDDED,
  TAPI_BROKER_MODE_SESSION,
  TAPI_BROKER_MODE_ADDRESS,
} TapiBrokerMode;

/**
 * TapiCallState:
 * @TAPI_CALL_STATE_IDLE: created, nothing sent yet
 * @TAPI_CALL_STATE_IN_PROGRESS: dial tone, dialling, proceeding or ringing back
 * @TAPI_CALL_STATE_CONNECTED: the parties are connected
 * @TAPI_CALL_STATE_DISCONNECTED: the call has ended; see
 *   [property@Tapi.Call:state-cause]
 * @TAPI_CALL_STATE_OFFERING: an incoming call that has not been answered
 * @TAPI_CALL_STATE_HOLD: the call is on hold
 * @TAPI_CALL_STATE_QUEUED: the call is queued
 *
 * The state of a call (TAPI 3 `CALL_STATE`).
 */
typedef enum {
  TAPI_CALL_STATE_IDLE = 0,
  TAPI_CALL_STATE_IN_PROGRESS = 1,
  TAPI_CALL_STATE_CONNECTED = 2,
  TAPI_CALL_STATE_DISCONNECTED = 3,
  TAPI_CALL_STATE_OFFERING = 4,
  TAPI_CALL_STATE_HOLD = 5,
  TAPI_CALL_STATE_QUEUED = 6,
} TapiCallState;

/**
 * TapiCallStateCause:
 * @TAPI_CALL_STATE_CAUSE_NONE: no particular cause
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL: a party hung up
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY: the destination was busy
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS: the destination does not exist
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER: nobody answered in time
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED: the caller gave up
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED: the destination rejected the call
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED: the call failed, or a handoff
 *   found no target, or its last owner vanished
 * @TAPI_CALL_STATE_CAUSE_DISCONNECT_BLOCKED: the call was blocked
 *
 * Why a call entered its state (TAPI 3 `CALL_STATE_EVENT_CAUSE` and
 * `DISCONNECT_CODE`).
 */
typedef enum {
  TAPI_CALL_STATE_CAUSE_NONE,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED,
  TAPI_CALL_STATE_CAUSE_DISCONNECT_BLOCKED,
} TapiCallStateCause;

/**
 * TapiCallPrivilege:
 * @TAPI_CALL_PRIVILEGE_OWNER: the application may control the call
 * @TAPI_CALL_PRIVILEGE_MONITOR: the application may only watch the call
 *
 * What an application's handle allows it to do with a call.
 */
typedef enum {
  TAPI_CALL_PRIVILEGE_OWNER = 0,
  TAPI_CALL_PRIVILEGE_MONITOR = 1,
} TapiCallPrivilege;

/**
 * TapiCallNotificationEvent:
 * @TAPI_CALL_NOTIFICATION_EVENT_OWNER: the new handle has owner privilege
 * @TAPI_CALL_NOTIFICATION_EVENT_MONITOR: the new handle has monitor privilege
 *
 * The kind of handle announced by [signal@Tapi.Tapi::call-notification].
 */
typedef enum {
  TAPI_CALL_NOTIFICATION_EVENT_OWNER = 0,
  TAPI_CALL_NOTIFICATION_EVENT_MONITOR = 1,
} TapiCallNotificationEvent;

/**
 * TapiCallMediaEvent:
 * @TAPI_CALL_MEDIA_EVENT_NEW_STREAM: a stream was added to the call
 * @TAPI_CALL_MEDIA_EVENT_STREAM_FAIL: a stream failed
 * @TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL: a terminal failed
 * @TAPI_CALL_MEDIA_EVENT_STREAM_NOT_USED: a stream is not used by the call
 * @TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE: a stream started moving media
 * @TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE: a stream stopped moving media
 *
 * Media events of a call (TAPI 3 `CALL_MEDIA_EVENT`).
 */
typedef enum {
  TAPI_CALL_MEDIA_EVENT_NEW_STREAM,
  TAPI_CALL_MEDIA_EVENT_STREAM_FAIL,
  TAPI_CALL_MEDIA_EVENT_TERMINAL_FAIL,
  TAPI_CALL_MEDIA_EVENT_STREAM_NOT_USED,
  TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE,
  TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
} TapiCallMediaEvent;

/**
 * TapiCallMediaCause:
 * @TAPI_CALL_MEDIA_CAUSE_UNKNOWN: unknown
 * @TAPI_CALL_MEDIA_CAUSE_BAD_DEVICE: a device failed
 * @TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL: the media could not be connected
 * @TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST: this application asked for it
 * @TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST: the remote party asked for it
 * @TAPI_CALL_MEDIA_CAUSE_MEDIA_TIMEOUT: media stopped arriving
 * @TAPI_CALL_MEDIA_CAUSE_MEDIA_RECOVERED: media arrives again
 * @TAPI_CALL_MEDIA_CAUSE_QUALITY_OF_SERVICE: the network quality changed
 *
 * Why a media event happened (TAPI 3 `CALL_MEDIA_EVENT_CAUSE`).
 */
typedef enum {
  TAPI_CALL_MEDIA_CAUSE_UNKNOWN,
  TAPI_CALL_MEDIA_CAUSE_BAD_DEVICE,
  TAPI_CALL_MEDIA_CAUSE_CONNECT_FAIL,
  TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST,
  TAPI_CALL_MEDIA_CAUSE_REMOTE_REQUEST,
  TAPI_CALL_MEDIA_CAUSE_MEDIA_TIMEOUT,
  TAPI_CALL_MEDIA_CAUSE_MEDIA_RECOVERED,
  TAPI_CALL_MEDIA_CAUSE_QUALITY_OF_SERVICE,
} TapiCallMediaCause;

/**
 * TapiFinishMode:
 * @TAPI_FINISH_MODE_AS_TRANSFER: complete a consultation transfer
 * @TAPI_FINISH_MODE_AS_CONFERENCE: join all parties in a conference
 *
 * How [method@Tapi.BasicCallControl.finish_async] completes a consultation.
 */
typedef enum {
  TAPI_FINISH_MODE_AS_TRANSFER = 0,     /*< nick=as-transfer >*/
  TAPI_FINISH_MODE_AS_CONFERENCE = 1,   /*< nick=as-conference >*/
} TapiFinishMode;

/**
 * TapiDisconnectCode:
 * @TAPI_DISCONNECT_CODE_NORMAL: hang up normally
 * @TAPI_DISCONNECT_CODE_NO_ANSWER: the call was not answered
 * @TAPI_DISCONNECT_CODE_REJECTED: the call is rejected
 *
 * Why an application disconnects a call (TAPI 3 `DISCONNECT_CODE`).
 */
typedef enum {
  TAPI_DISCONNECT_CODE_NORMAL = 0,
  TAPI_DISCONNECT_CODE_NO_ANSWER = 1,
  TAPI_DISCONNECT_CODE_REJECTED = 2,
} TapiDisconnectCode;

/**
 * TapiAddressState:
 * @TAPI_ADDRESS_STATE_IN_SERVICE: the address can place and receive calls
 * @TAPI_ADDRESS_STATE_OUT_OF_SERVICE: the address cannot be used
 *
 * The state of an address.
 */
typedef enum {
  TAPI_ADDRESS_STATE_IN_SERVICE,
  TAPI_ADDRESS_STATE_OUT_OF_SERVICE,
} TapiAddressState;

/**
 * TapiAddressEvent:
 * @TAPI_ADDRESS_EVENT_STATE: the address state changed
 * @TAPI_ADDRESS_EVENT_CAPS_CHANGE: the capabilities changed
 * @TAPI_ADDRESS_EVENT_RINGING: the address is ringing
 * @TAPI_ADDRESS_EVENT_CONFIG_CHANGE: the configuration changed
 * @TAPI_ADDRESS_EVENT_FORWARD: forwarding changed
 * @TAPI_ADDRESS_EVENT_NEW_TERMINAL: a terminal appeared
 * @TAPI_ADDRESS_EVENT_REMOVE_TERMINAL: a terminal went away
 * @TAPI_ADDRESS_EVENT_MSGWAIT_ON: the message-waiting lamp went on
 * @TAPI_ADDRESS_EVENT_MSGWAIT_OFF: the message-waiting lamp went off
 *
 * Events of an address (TAPI 3 `ADDRESS_EVENT`).
 */
typedef enum {
  TAPI_ADDRESS_EVENT_STATE,
  TAPI_ADDRESS_EVENT_CAPS_CHANGE,
  TAPI_ADDRESS_EVENT_RINGING,
  TAPI_ADDRESS_EVENT_CONFIG_CHANGE,
  TAPI_ADDRESS_EVENT_FORWARD,
  TAPI_ADDRESS_EVENT_NEW_TERMINAL,
  TAPI_ADDRESS_EVENT_REMOVE_TERMINAL,
  TAPI_ADDRESS_EVENT_MSGWAIT_ON,
  TAPI_ADDRESS_EVENT_MSGWAIT_OFF,
} TapiAddressEvent;

/**
 * TapiMediaType:
 * @TAPI_MEDIA_TYPE_NONE: no media type
 * @TAPI_MEDIA_TYPE_UNKNOWN: the media type is not known yet (probing)
 * @TAPI_MEDIA_TYPE_AUDIO: interactive voice
 * @TAPI_MEDIA_TYPE_DATAMODEM: a data modem
 * @TAPI_MEDIA_TYPE_G3FAX: a group 3 fax
 * @TAPI_MEDIA_TYPE_VIDEO: video
 * @TAPI_MEDIA_TYPE_MULTITRACK: several tracks
 *
 * Media types (TAPI 3 `TAPIMEDIATYPE_*`).
 */
typedef enum /*< flags >*/ {
  TAPI_MEDIA_TYPE_NONE = 0,
  TAPI_MEDIA_TYPE_UNKNOWN = 0x2,
  TAPI_MEDIA_TYPE_AUDIO = 0x8,
  TAPI_MEDIA_TYPE_DATAMODEM = 0x10,
  TAPI_MEDIA_TYPE_G3FAX = 0x20,
  TAPI_MEDIA_TYPE_VIDEO = 0x8000,
  TAPI_MEDIA_TYPE_MULTITRACK = 0x10000,
} TapiMediaType;

/**
 * TapiAddressType:
 * @TAPI_ADDRESS_TYPE_PHONE_NUMBER: a dialable phone number
 * @TAPI_ADDRESS_TYPE_SDP: an SDP conference
 * @TAPI_ADDRESS_TYPE_EMAIL_NAME: an e-mail style name
 * @TAPI_ADDRESS_TYPE_DOMAIN_NAME: a domain name
 * @TAPI_ADDRESS_TYPE_IP_ADDRESS: an IP address
 *
 * Kinds of destination address (TAPI 3 `LINEADDRESSTYPE_*`).
 */
typedef enum /*< flags >*/ {
  TAPI_ADDRESS_TYPE_PHONE_NUMBER = 0x1,
  TAPI_ADDRESS_TYPE_SDP = 0x2,
  TAPI_ADDRESS_TYPE_EMAIL_NAME = 0x4,
  TAPI_ADDRESS_TYPE_DOMAIN_NAME = 0x8,
  TAPI_ADDRESS_TYPE_IP_ADDRESS = 0x10,
} TapiAddressType;

/**
 * TapiTerminalDirection:
 * @TAPI_TERMINAL_DIRECTION_CAPTURE: media goes from the terminal into the call
 * @TAPI_TERMINAL_DIRECTION_RENDER: media goes from the call to the terminal
 * @TAPI_TERMINAL_DIRECTION_BIDIRECTIONAL: both
 * @TAPI_TERMINAL_DIRECTION_MULTITRACK_MIXED: several mixed tracks
 * @TAPI_TERMINAL_DIRECTION_NONE: no direction
 *
 * The direction of a terminal or stream (TAPI 3 `TERMINAL_DIRECTION`).
 */
typedef enum {
  TAPI_TERMINAL_DIRECTION_CAPTURE = 0,
  TAPI_TERMINAL_DIRECTION_RENDER = 1,
  TAPI_TERMINAL_DIRECTION_BIDIRECTIONAL = 2,
  TAPI_TERMINAL_DIRECTION_MULTITRACK_MIXED = 3,
  TAPI_TERMINAL_DIRECTION_NONE = 4,
} TapiTerminalDirection;

/**
 * TapiDigitMode:
 * @TAPI_DIGIT_MODE_PULSE: pulse dialling
 * @TAPI_DIGIT_MODE_DTMF: DTMF, reported when a digit starts
 * @TAPI_DIGIT_MODE_DTMF_END: DTMF, reported when a digit ends
 *
 * How digits are generated or detected (TAPI `LINEDIGITMODE_*`).
 */
typedef enum /*< flags >*/ {
  TAPI_DIGIT_MODE_PULSE = 0x1,
  TAPI_DIGIT_MODE_DTMF = 0x2,
  TAPI_DIGIT_MODE_DTMF_END = 0x4,
} TapiDigitMode;

/**
 * TapiCallFeatures:
 * @TAPI_CALL_FEATURES_NONE: nothing
 * @TAPI_CALL_FEATURES_CONNECT: place calls
 * @TAPI_CALL_FEATURES_ANSWER: answer calls
 * @TAPI_CALL_FEATURES_DISCONNECT: hang up
 * @TAPI_CALL_FEATURES_HOLD: hold and resume
 * @TAPI_CALL_FEATURES_HANDOFF: hand calls to other applications
 * @TAPI_CALL_FEATURES_BLIND_TRANSFER: blind transfer
 * @TAPI_CALL_FEATURES_TRANSFER: consultation transfer
 * @TAPI_CALL_FEATURES_CONFERENCE: three-way conference
 * @TAPI_CALL_FEATURES_SWAP_HOLD: swap an active and a held call
 * @TAPI_CALL_FEATURES_PARK: park calls
 * @TAPI_CALL_FEATURES_UNPARK: take parked calls back
 * @TAPI_CALL_FEATURES_PICKUP: pick up calls ringing elsewhere
 * @TAPI_CALL_FEATURES_DIAL: dial on a call in dial tone
 * @TAPI_CALL_FEATURES_GENERATE_DIGITS: send digits
 * @TAPI_CALL_FEATURES_DETECT_DIGITS: detect digits
 * @TAPI_CALL_FEATURES_MONITOR_MEDIA: detect media types
 *
 * What the provider of an address supports. An operation whose feature is
 * missing fails with %TAPI_ERROR_NOT_SUPPORTED.
 */
typedef enum /*< flags >*/ {
  TAPI_CALL_FEATURES_NONE = 0,
  TAPI_CALL_FEATURES_CONNECT = 1 << 0,
  TAPI_CALL_FEATURES_ANSWER = 1 << 1,
  TAPI_CALL_FEATURES_DISCONNECT = 1 << 2,
  TAPI_CALL_FEATURES_HOLD = 1 << 3,
  TAPI_CALL_FEATURES_HANDOFF = 1 << 4,
  TAPI_CALL_FEATURES_BLIND_TRANSFER = 1 << 5,
  TAPI_CALL_FEATURES_TRANSFER = 1 << 6,
  TAPI_CALL_FEATURES_CONFERENCE = 1 << 7,
  TAPI_CALL_FEATURES_SWAP_HOLD = 1 << 8,
  TAPI_CALL_FEATURES_PARK = 1 << 9,
  TAPI_CALL_FEATURES_UNPARK = 1 << 10,
  TAPI_CALL_FEATURES_PICKUP = 1 << 11,
  TAPI_CALL_FEATURES_DIAL = 1 << 12,
  TAPI_CALL_FEATURES_GENERATE_DIGITS = 1 << 13,
  TAPI_CALL_FEATURES_DETECT_DIGITS = 1 << 14,
  TAPI_CALL_FEATURES_MONITOR_MEDIA = 1 << 15,
} TapiCallFeatures;

/**
 * TapiCallInfoChange:
 * @TAPI_CALL_INFO_CHANGE_OTHER: something not listed here
 * @TAPI_CALL_INFO_CHANGE_CALLER_ID: the caller id changed
 * @TAPI_CALL_INFO_CHANGE_CALLED_ID: the called id changed
 * @TAPI_CALL_INFO_CHANGE_CONNECTED_ID: the connected id changed
 * @TAPI_CALL_INFO_CHANGE_REDIRECTION_ID: the redirection id changed
 * @TAPI_CALL_INFO_CHANGE_REDIRECTING_ID: the redirecting id changed
 * @TAPI_CALL_INFO_CHANGE_RELATED_CALL_ID: the related call changed
 * @TAPI_CALL_INFO_CHANGE_PRIVILEGE: this application's privilege changed
 * @TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS: the number of owners changed
 * @TAPI_CALL_INFO_CHANGE_NUMBER_OF_MONITORS: the number of monitors changed
 * @TAPI_CALL_INFO_CHANGE_MEDIA_TYPE: the call's media type changed
 * @TAPI_CALL_INFO_CHANGE_APP_SPECIFIC: the application-specific value changed
 * @TAPI_CALL_INFO_CHANGE_ORIGIN: the origin changed
 *
 * What changed in a call's information (a subset of TAPI 3
 * `CALLINFOCHANGE_CAUSE`).
 */
typedef enum {
  TAPI_CALL_INFO_CHANGE_OTHER,
  TAPI_CALL_INFO_CHANGE_CALLER_ID,
  TAPI_CALL_INFO_CHANGE_CALLED_ID,
  TAPI_CALL_INFO_CHANGE_CONNECTED_ID,
  TAPI_CALL_INFO_CHANGE_REDIRECTION_ID,
  TAPI_CALL_INFO_CHANGE_REDIRECTING_ID,
  TAPI_CALL_INFO_CHANGE_RELATED_CALL_ID,
  TAPI_CALL_INFO_CHANGE_PRIVILEGE,
  TAPI_CALL_INFO_CHANGE_NUMBER_OF_OWNERS,
  TAPI_CALL_INFO_CHANGE_NUMBER_OF_MONITORS,
  TAPI_CALL_INFO_CHANGE_MEDIA_TYPE,
  TAPI_CALL_INFO_CHANGE_APP_SPECIFIC,
  TAPI_CALL_INFO_CHANGE_ORIGIN,
} TapiCallInfoChange;

/**
 * TapiCallOrigin:
 * @TAPI_CALL_ORIGIN_OUTBOUND: placed by this side
 * @TAPI_CALL_ORIGIN_INBOUND: came in from outside the switch
 * @TAPI_CALL_ORIGIN_INTERNAL: came in from another address of the same switch
 *
 * Where a call came from.
 */
typedef enum {
  TAPI_CALL_ORIGIN_OUTBOUND,
  TAPI_CALL_ORIGIN_INBOUND,
  TAPI_CALL_ORIGIN_INTERNAL,
} TapiCallOrigin;

/**
 * TapiStreamState:
 * @TAPI_STREAM_STATE_STOPPED: no media flows
 * @TAPI_STREAM_STATE_ACTIVE: media flows between the call and the terminal
 * @TAPI_STREAM_STATE_PAUSED: paused by the application
 * @TAPI_STREAM_STATE_FAILED: the stream failed; see
 *   [signal@Tapi.Call::media-event]
 *
 * The state of a [class@Tapi.Stream].
 */
typedef enum {
  TAPI_STREAM_STATE_STOPPED,
  TAPI_STREAM_STATE_ACTIVE,
  TAPI_STREAM_STATE_PAUSED,
  TAPI_STREAM_STATE_FAILED,
} TapiStreamState;

/**
 * TapiTerminalType:
 * @TAPI_TERMINAL_TYPE_STATIC: a device of the machine
 * @TAPI_TERMINAL_TYPE_DYNAMIC: created by the application
 *
 * Whether a terminal is a device or was created
 * (TAPI 3 `TERMINAL_TYPE`).
 */
typedef enum {
  TAPI_TERMINAL_TYPE_STATIC,
  TAPI_TERMINAL_TYPE_DYNAMIC,
} TapiTerminalType;

/**
 * TapiTerminalState:
 * @TAPI_TERMINAL_STATE_IN_USE: selected on a stream that runs
 * @TAPI_TERMINAL_STATE_NOT_IN_USE: free
 *
 * Whether a terminal is in use (TAPI 3 `TERMINAL_STATE`).
 */
typedef enum {
  TAPI_TERMINAL_STATE_IN_USE,
  TAPI_TERMINAL_STATE_NOT_IN_USE,
} TapiTerminalState;

G_END_DECLS
