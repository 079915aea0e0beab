#!/usr/bin/python3
# tapi-app.py: one libtapi3 application in a process of its own
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: tapi-app.py APPLICATION-NAME
#
# Initializes a Tapi.Tapi with the broker that TAPI3_BROKER names (or the
# one the library picks when it is unset), then takes commands on standard
# input, one per line, and reports on standard output, one line per event,
# so that a test in another process drives it and reads what it sees:
#
#   READY <broker-mode>                 initialized
#   FAILED init <error> <message>       could not initialize; the process exits
#   OK <command> [<value>]              a command completed
#   ERR <command> <error> <message>     a command failed (<error>: the nick of
#                                       the Tapi.Error code, or domain:code)
#   NOTIFY <call> <event> <state> <privilege>    call-notification
#   STATE <call> <state> <cause>                 state-changed
#   INFO <call> <change>                         info-changed
#   MEDIA <call> <event> <cause> <direction>     media-event
#   CALL <call> <state> <cause> <privilege> <owners> <monitors> <origin>
#
# Commands (<call> is the broker's call id, <media> a Tapi.MediaType nick):
#
#   register <address> <monitor 0|1> <owner 0|1> <media>  → OK register <id>
#   unregister <id>
#   priority <application> <media> <0|1>
#   call <address> <destination> [<tone-frequency>]  → CREATED <call>, then
#                                       OK call <call> once connected
#   answer <call> | disconnect <call> | release <call> | hold <call> <0|1>
#   handoff <call> <application>       handoff_direct
#   handoff-media <call> <media>       handoff_indirect
#   tone <call> <frequency>            a tone terminal on the capture stream
#   record <call> <path>               a WAV recording of the render stream
#   auto-record <path-prefix>          records every call this application
#                                      gets as owner, to <prefix><call>.wav
#   auto-answer                        answers every call offered as owner
#   stop <call>                        stops the render stream
#   info <call>                        → CALL …
#   mode                               → OK mode <broker-mode>
#   quit                               shuts down and exits

import os
import sys

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Tapi', '3.0')
from gi.repository import GLib, Tapi  # noqa: E402


def nick(value):
    return value.value_nick if value is not None else 'none'


def error_name(error):
    if error.domain == GLib.quark_to_string(Tapi.error_quark()):
        try:
            return Tapi.Error(error.code).value_nick
        except ValueError:
            pass
    return '%s:%d' % (error.domain, error.code)


def media_type(name):
    value = getattr(Tapi.MediaType, name.upper(), None)
    if not isinstance(value, Tapi.MediaType):
        raise ValueError('no media type %s' % name)
    return value


def say(*words):
    print(*words, flush=True)


class App:

    def __init__(self, name):
        self.loop = GLib.MainLoop()
        self.tapi = Tapi.Tapi.new(name)
        self.calls = {}
        self.auto_answer = False
        self.auto_record = None
        self.buffer = b''
        self.status = 0

    # Calls

    def track(self, call):
        call_id = call.props.call_id
        if self.calls.get(call_id) is call:
            return call_id
        self.calls[call_id] = call
        call.connect('state-changed', self.on_state_changed)
        call.connect('info-changed', self.on_info_changed)
        call.connect('media-event', self.on_media_event)
        return call_id

    def on_state_changed(self, call, state, cause):
        say('STATE', call.props.call_id, nick(state), nick(cause))

    def on_info_changed(self, call, change):
        say('INFO', call.props.call_id, nick(change))

    def on_media_event(self, call, event, cause, stream, terminal):
        direction = nick(stream.props.direction) if stream else 'none'
        say('MEDIA', call.props.call_id, nick(event), nick(cause), direction)

    def on_call_notification(self, tapi, call, event):
        call_id = self.track(call)
        say('NOTIFY', call_id, nick(event), nick(call.props.state),
            nick(call.props.privilege))
        if event != Tapi.CallNotificationEvent.OWNER:
            return
        if self.auto_record is not None:
            self.select_recording(call, '%s%d.wav' % (self.auto_record, call_id))
        if self.auto_answer and call.props.state == Tapi.CallState.OFFERING:
            self.run_async('answer', call.answer_async, call.answer_finish)

    def call_of(self, word):
        call = self.calls.get(int(word))
        if call is None:
            raise KeyError('no call %s' % word)
        return call

    def stream_of(self, call, direction):
        streams = call.get_streams()
        for i in range(streams.get_n_items()):
            stream = streams.get_item(i)
            if stream.props.direction == direction:
                return stream
        raise KeyError('no %s stream' % nick(direction))

    def select_tone(self, call, frequency):
        terminal = call.props.address.create_terminal(
            Tapi.TERMINAL_CLASS_TONE, Tapi.MediaType.AUDIO,
            Tapi.TerminalDirection.CAPTURE)
        terminal.props.frequency = frequency
        self.stream_of(call, Tapi.TerminalDirection.CAPTURE).select_terminal(terminal)

    def select_recording(self, call, path):
        terminal = call.props.address.create_terminal(
            Tapi.TERMINAL_CLASS_FILE_RECORDING, Tapi.MediaType.AUDIO,
            Tapi.TerminalDirection.RENDER)
        terminal.props.file_name = path
        self.stream_of(call, Tapi.TerminalDirection.RENDER).select_terminal(terminal)

    # Commands

    def run_async(self, name, start, finish, *args, value=None):
        def done(source, result, *user_data):
            try:
                finish(result)
            except GLib.Error as error:
                say('ERR', name, error_name(error), error.message)
                return
            if value is None:
                say('OK', name)
            else:
                say('OK', name, value)

        start(*args, None, done)

    def command(self, words):
        name, args = words[0], words[1:]
        if name == 'register':
            address = self.tapi.find_address(args[0])
            if address is None:
                raise KeyError('no address %s' % args[0])
            registration = self.tapi.register_call_notifications(
                address, args[1] == '1', args[2] == '1',
                media_type(args[3]))
            say('OK register', registration)
        elif name == 'unregister':
            self.tapi.unregister_notifications(int(args[0]))
            say('OK unregister')
        elif name == 'priority':
            self.tapi.set_application_priority(args[0], media_type(args[1]),
                                               args[2] == '1')
            say('OK priority')
        elif name == 'call':
            address = self.tapi.find_address(args[0])
            if address is None:
                raise KeyError('no address %s' % args[0])
            call = address.create_call(args[1], Tapi.AddressType.PHONE_NUMBER,
                                       Tapi.MediaType.AUDIO)
            call_id = self.track(call)
            if len(args) > 2:
                self.select_tone(call, float(args[2]))
            say('CREATED', call_id)
            self.run_async('call', call.connect_async, call.connect_finish, value=call_id)
        elif name == 'answer':
            call = self.call_of(args[0])
            self.run_async(name, call.answer_async, call.answer_finish)
        elif name == 'disconnect':
            call = self.call_of(args[0])
            self.run_async(name, call.disconnect_async, call.disconnect_finish,
                           Tapi.DisconnectCode.NORMAL)
        elif name == 'hold':
            call = self.call_of(args[0])
            self.run_async(name, call.hold_async, call.hold_finish, args[1] == '1')
        elif name == 'handoff':
            call = self.call_of(args[0])
            self.run_async(name, call.handoff_direct_async, call.handoff_direct_finish,
                           args[1])
        elif name == 'handoff-media':
            call = self.call_of(args[0])
            self.run_async(name, call.handoff_indirect_async,
                           call.handoff_indirect_finish,
                           media_type(args[1]))
        elif name == 'release':
            call = self.calls.pop(int(args[0]))
            call.release()
            say('OK release')
        elif name == 'tone':
            self.select_tone(self.call_of(args[0]), float(args[1]))
            say('OK tone')
        elif name == 'record':
            self.select_recording(self.call_of(args[0]), args[1])
            say('OK record')
        elif name == 'auto-record':
            self.auto_record = args[0]
            say('OK auto-record')
        elif name == 'auto-answer':
            self.auto_answer = True
            say('OK auto-answer')
        elif name == 'stop':
            self.stream_of(self.call_of(args[0]), Tapi.TerminalDirection.RENDER).stop()
            say('OK stop')
        elif name == 'info':
            call = self.call_of(args[0])
            say('CALL', call.props.call_id, nick(call.props.state),
                nick(call.props.state_cause), nick(call.props.privilege),
                call.props.number_of_owners, call.props.number_of_monitors,
                nick(call.props.origin))
        elif name == 'mode':
            say('OK mode', nick(self.tapi.props.broker_mode))
        elif name == 'quit':
            self.quit()
        else:
            raise KeyError('unknown command %s' % name)

    def on_input(self, fd, condition):
        data = os.read(fd, 4096)
        if not data:
            # The test went away: so does this application.
            self.status = 1
            self.quit()
            return GLib.SOURCE_REMOVE
        self.buffer += data
        while b'\n' in self.buffer:
            line, self.buffer = self.buffer.split(b'\n', 1)
            words = line.decode().split()
            if not words:
                continue
            try:
                self.command(words)
            except GLib.Error as error:
                say('ERR', words[0], error_name(error), error.message)
            except (KeyError, IndexError, ValueError) as error:
                say('ERR', words[0], 'usage', str(error))
            except Exception as error:
                say('ERR', words[0], 'exception', repr(error))
        return GLib.SOURCE_CONTINUE

    def quit(self):
        if self.tapi.props.initialized:
            try:
                self.tapi.shutdown()
            except GLib.Error as error:
                say('ERR', 'quit', error_name(error), error.message)
        self.loop.quit()

    def run(self):
        try:
            self.tapi.initialize_sync(None)
        except GLib.Error as error:
            say('FAILED', 'init', error_name(error), error.message)
            return 1
        self.tapi.connect('call-notification', self.on_call_notification)
        GLib.unix_fd_add_full(GLib.PRIORITY_DEFAULT, sys.stdin.fileno(),
                              GLib.IOCondition.IN | GLib.IOCondition.HUP,
                              self.on_input)
        say('READY', nick(self.tapi.props.broker_mode))
        self.loop.run()
        return self.status


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: tapi-app.py APPLICATION-NAME', file=sys.stderr)
        sys.exit(2)
    sys.exit(App(sys.argv[1]).run())
