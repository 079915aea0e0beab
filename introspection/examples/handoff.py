#!/usr/bin/python3
# handoff.py: hand a call from one application to another
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Three applications share the simulated PBX of the embedded broker: a
# caller on extension 100, a softphone that owns the voice calls of
# extension 101, and a recorder that registered on 101 as well. The caller
# rings 101, the softphone answers and hands the call to the recorder by
# name; the recorder receives it as a new call and hangs up.

import sys

import gi

gi.require_version('Tapi', '3.0')
from gi.repository import GLib, Tapi  # noqa: E402

loop = GLib.MainLoop()
status = 1


def fail(error):
    print('error:', error.message, file=sys.stderr)
    loop.quit()


def start_app(name):
    app = Tapi.Tapi.new(name)
    app.initialize_sync(None)
    return app


def on_softphone_call(softphone, call, event):
    if call.props.state != Tapi.CallState.OFFERING:
        return
    print('softphone: call from', call.props.caller_id_number)
    call.answer_async(None, on_answered)


def on_answered(call, result):
    try:
        call.answer_finish(result)
    except GLib.Error as error:
        return fail(error)
    print('softphone: answered, handing the call to the recorder')
    call.handoff_direct_async('org.example.Recorder', None, on_handed_off)


def on_handed_off(call, result):
    try:
        call.handoff_direct_finish(result)
    except GLib.Error as error:
        return fail(error)
    print('softphone: handed off, privilege is now',
          call.props.privilege.value_nick)


def on_recorder_call(recorder, call, event):
    print('recorder: got the call as', event.value_nick,
          'in state', call.props.state.value_nick)
    call.disconnect_async(Tapi.DisconnectCode.NORMAL, None, on_hung_up)


def on_hung_up(call, result):
    global status
    try:
        call.disconnect_finish(result)
    except GLib.Error as error:
        return fail(error)
    print('recorder: hung up')
    status = 0
    loop.quit()


def on_caller_connected(call, result):
    try:
        call.connect_finish(result)
    except GLib.Error as error:
        return fail(error)
    print('caller: connected to', call.props.connected_id_number)


def main():
    caller = start_app('org.example.Caller')
    softphone = start_app('org.example.Softphone')
    recorder = start_app('org.example.Recorder')

    # The softphone owns voice calls of 101. The recorder registers for fax
    # only, so voice calls are not offered to it, but a directed handoff
    # still reaches it: it is registered on the address.
    softphone.register_call_notifications(softphone.find_address('101'),
                                          False, True, Tapi.MediaType.AUDIO)
    recorder.register_call_notifications(recorder.find_address('101'),
                                         False, True, Tapi.MediaType.G3FAX)
    softphone.connect('call-notification', on_softphone_call)
    recorder.connect('call-notification', on_recorder_call)

    call = caller.find_address('100').create_call(
        '101', Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO)
    call.connect_async(None, on_caller_connected)

    GLib.timeout_add_seconds(15, lambda: fail(GLib.Error('timed out')))
    loop.run()

    for app in (caller, softphone, recorder):
        app.shutdown()
    return status


if __name__ == '__main__':
    sys.exit(main())
