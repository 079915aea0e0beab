#!/usr/bin/python3
# test_tapi.py: libtapi3 through GObject introspection, from Python
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run with GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the build tree,
# TAPI3_BROKER=embedded, and TAPI_TEST_GIR and TAPI_TEST_LIBRARY naming the
# built Tapi-3.0.gir and libtapi3.so; meson test does this.

import os
import subprocess
import unittest
import xml.etree.ElementTree as ET

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Tapi', '3.0')
from gi.repository import GLib, GObject, Gio, Tapi  # noqa: E402

TIMEOUT_S = 15


class TapiTestCase(unittest.TestCase):
    """Applications on the embedded broker, driven from one main context."""

    serial = 0

    def setUp(self):
        self.context = GLib.MainContext.default()

    def new_app(self, role):
        """Creates and initializes an application; shut down after the test."""
        TapiTestCase.serial += 1
        name = 'org.example.PyTest.%s%d' % (role, TapiTestCase.serial)
        app = Tapi.Tapi.new(name)
        self.assertFalse(app.props.initialized)
        self.assertTrue(app.initialize_sync(None))
        self.assertTrue(app.props.initialized)
        self.assertEqual(app.props.application_name, name)
        self.assertEqual(app.props.broker_mode, Tapi.BrokerMode.EMBEDDED)
        self.addCleanup(self.shutdown_app, app)
        return app

    def shutdown_app(self, app):
        if app.props.initialized:
            app.shutdown()

    def address(self, app, name):
        address = app.find_address(name)
        self.assertIsNotNone(address, 'no address %s' % name)
        self.assertEqual(address.props.name, name)
        return address

    def collect_notifications(self, app):
        """Records every call-notification of app as (call, event, state).

        state is the call's state when the notification arrived.
        """
        received = []

        def on_call_notification(tapi, call, event):
            received.append((call, event, call.props.state))

        app.connect('call-notification', on_call_notification)
        return received

    def run_until(self, predicate, what):
        """Iterates the main context until predicate() is true."""
        timed_out = []

        def on_timeout():
            timed_out.append(True)
            return GLib.SOURCE_REMOVE

        source_id = GLib.timeout_add_seconds(TIMEOUT_S, on_timeout)
        try:
            while not predicate():
                if timed_out:
                    self.fail('timed out waiting for %s' % what)
                self.context.iteration(True)
        finally:
            if not timed_out:
                GLib.source_remove(source_id)

    def run_async(self, start, finish, *args):
        """Runs an _async/_finish pair on the main context.

        Returns the result of finish, or raises its GLib.Error.
        """
        outcome = {}

        def done(source, result, *user_data):
            try:
                outcome['value'] = finish(result)
            except GLib.Error as error:
                outcome['error'] = error

        start(*args, None, done)
        self.run_until(lambda: outcome, start.__name__)
        if 'error' in outcome:
            raise outcome['error']
        return outcome['value']

    def assert_tapi_error(self, error, code):
        self.assertTrue(error.matches(Tapi.error_quark(), code),
                        'expected %s, got %s (%s)' %
                        (code.value_nick, error.message, error.code))
        self.assertEqual(error.domain, GLib.quark_to_string(Tapi.error_quark()))

    def answer_on_offer(self, app):
        """Makes app answer every call offered to it as owner.

        Returns a list that receives the result of each answer.
        """
        answered = []

        def on_answered(call, result, *user_data):
            try:
                answered.append(call.answer_finish(result))
            except GLib.Error as error:
                answered.append(error)

        def on_offered(tapi, call, event):
            if (event == Tapi.CallNotificationEvent.OWNER and
                    call.props.state == Tapi.CallState.OFFERING):
                call.answer_async(None, on_answered)

        app.connect('call-notification', on_offered)
        return answered

    def place_and_answer(self, caller_address, callee_app, destination):
        """Places a call that callee_app answers once it is offered.

        Returns the caller's call and the callee's call, both CONNECTED.
        """
        offered = self.collect_notifications(callee_app)
        answered = self.answer_on_offer(callee_app)

        call = caller_address.create_call(destination,
                                          Tapi.AddressType.PHONE_NUMBER,
                                          Tapi.MediaType.AUDIO)
        self.assertEqual(call.props.state, Tapi.CallState.IDLE)
        self.assertEqual(call.props.privilege, Tapi.CallPrivilege.OWNER)
        self.assertTrue(self.run_async(call.connect_async,
                                       call.connect_finish))
        self.run_until(lambda: answered, 'answer')

        self.assertEqual(answered, [True])
        self.assertEqual(len(offered), 1)
        callee_call, event, state = offered[0]
        self.assertEqual(event, Tapi.CallNotificationEvent.OWNER)
        self.assertEqual(state, Tapi.CallState.OFFERING)
        self.assertEqual(call.props.state, Tapi.CallState.CONNECTED)
        self.run_until(lambda: callee_call.props.state ==
                       Tapi.CallState.CONNECTED, 'callee CONNECTED')
        return call, callee_call


class TestTypelib(TapiTestCase):
    """The public API of libtapi3 is visible through the typelib."""

    def test_types(self):
        self.assertTrue(Tapi.Tapi.__gtype__.is_a(GObject.Object.__gtype__))
        self.assertTrue(Tapi.Call.__gtype__.is_a(
            Tapi.BasicCallControl.__gtype__))
        self.assertTrue(Tapi.Call.__gtype__.is_a(
            Tapi.CallMediaControl.__gtype__))
        self.assertTrue(issubclass(Tapi.Call, Tapi.BasicCallControl))
        self.assertTrue(issubclass(Tapi.Call, Tapi.CallMediaControl))

    def test_tapi_api(self):
        for name in ('new', 'initialize_sync', 'initialize_async',
                     'initialize_finish', 'shutdown', 'get_addresses',
                     'find_address', 'get_calls',
                     'register_call_notifications',
                     'unregister_notifications',
                     'set_application_priority', 'shutdown_async',
                     'shutdown_finish',
                     'register_call_notifications_async',
                     'register_call_notifications_finish',
                     'set_application_priority_async',
                     'set_application_priority_finish'):
            self.assertTrue(hasattr(Tapi.Tapi, name), name)
        props = {p.name for p in Tapi.Tapi.list_properties()}
        self.assertLessEqual({'application-name', 'broker-mode',
                              'initialized'}, props)
        self.assertIn('call-notification',
                      signal_names(Tapi.Tapi))

    def test_address_api(self):
        for name in ('create_call', 'create_call_async', 'create_call_finish',
                     'get_calls'):
            self.assertTrue(hasattr(Tapi.Address, name), name)
        props = {p.name for p in Tapi.Address.list_properties()}
        self.assertLessEqual({'name', 'dialable-address', 'provider-name',
                              'state', 'media-types', 'address-types',
                              'call-features'}, props)
        self.assertIn('event', signal_names(Tapi.Address))

    def test_call_api(self):
        for name in ('release', 'release_async', 'release_finish',
                     'set_privilege', 'set_privilege_async',
                     'set_privilege_finish', 'set_app_specific',
                     'set_app_specific_async', 'set_app_specific_finish'):
            self.assertTrue(hasattr(Tapi.Call, name), name)
        props = {p.name for p in Tapi.Call.list_properties()}
        self.assertLessEqual({
            'address', 'state', 'state-cause', 'privilege', 'media-types',
            'origin', 'call-id', 'related-call-id', 'caller-id-name',
            'caller-id-number', 'called-id-name', 'called-id-number',
            'connected-id-name', 'connected-id-number',
            'redirecting-id-number', 'redirection-id-number',
            'number-of-owners', 'number-of-monitors', 'app-specific',
            'detected-media-types', 'media-encrypted'}, props)
        signals = signal_names(Tapi.Call)
        self.assertLessEqual({'state-changed', 'info-changed'}, signals)

    def test_basic_call_control_api(self):
        operations = ('connect', 'answer', 'disconnect', 'hold',
                      'handoff_direct', 'handoff_indirect',
                      'blind_transfer', 'transfer', 'conference', 'finish',
                      'swap_hold', 'park_direct', 'park_indirect', 'unpark',
                      'pickup', 'dial', 'remove_from_conference')
        for operation in operations:
            for suffix in ('_sync', '_async', '_finish'):
                name = operation + suffix
                self.assertTrue(hasattr(Tapi.BasicCallControl, name), name)
                self.assertTrue(hasattr(Tapi.Call, name), name)
        for name in ('set_media_type', 'set_media_type_async',
                     'set_media_type_finish'):
            self.assertTrue(hasattr(Tapi.CallMediaControl, name), name)

    def test_media_api(self):
        for cls in (Tapi.Stream, Tapi.Terminal, Tapi.ToneTerminal,
                    Tapi.FileRecordingTerminal, Tapi.FilePlaybackTerminal,
                    Tapi.MediaStreamTerminal):
            self.assertTrue(cls.__gtype__.is_a(GObject.Object.__gtype__))
        for cls in (Tapi.ToneTerminal, Tapi.FileRecordingTerminal,
                    Tapi.FilePlaybackTerminal, Tapi.MediaStreamTerminal):
            self.assertTrue(issubclass(cls, Tapi.Terminal), cls)
        self.assertTrue(issubclass(Tapi.Call, Tapi.StreamControl))
        for name in ('get_streams', 'create_stream', 'remove_stream'):
            self.assertTrue(hasattr(Tapi.StreamControl, name), name)
        for name in ('start', 'pause', 'stop', 'select_terminal',
                     'unselect_terminal', 'get_terminals'):
            self.assertTrue(hasattr(Tapi.Stream, name), name)
        props = {p.name for p in Tapi.Stream.list_properties()}
        self.assertLessEqual({'media-type', 'direction', 'name', 'state',
                              'level'}, props)
        props = {p.name for p in Tapi.Terminal.list_properties()}
        self.assertLessEqual({'name', 'terminal-class', 'terminal-type',
                              'media-type', 'direction', 'state'}, props)
        self.assertIn('file-name', {p.name for p in
                                    Tapi.FileRecordingTerminal.list_properties()})
        self.assertLessEqual({'play-list', 'loop'}, {
            p.name for p in Tapi.FilePlaybackTerminal.list_properties()})
        self.assertLessEqual({'frequency', 'volume'}, {
            p.name for p in Tapi.ToneTerminal.list_properties()})
        for name in ('get_static_terminals', 'get_default_static_terminal',
                     'create_terminal'):
            self.assertTrue(hasattr(Tapi.Address, name), name)
        for name in ('generate_digits', 'detect_digits', 'monitor_media',
                     'set_media_type'):
            self.assertTrue(hasattr(Tapi.CallMediaControl, name), name)
        self.assertLessEqual({'media-event', 'digit-detected',
                              'media-detected'}, signal_names(Tapi.Call))
        for name in ('STOPPED', 'ACTIVE', 'PAUSED', 'FAILED'):
            self.assertTrue(hasattr(Tapi.StreamState, name), name)
        for name in ('NEW_STREAM', 'STREAM_FAIL', 'TERMINAL_FAIL',
                     'STREAM_NOT_USED', 'STREAM_ACTIVE', 'STREAM_INACTIVE'):
            self.assertTrue(hasattr(Tapi.CallMediaEvent, name), name)
        self.assertEqual(Tapi.TERMINAL_CLASS_TONE, 'tone')
        self.assertEqual(Tapi.TERMINAL_CLASS_FILE_RECORDING, 'file-recording')
        self.assertEqual(Tapi.TERMINAL_CLASS_MEDIA_STREAM, 'media-stream')

    def test_enums(self):
        self.assertEqual(int(Tapi.CallState.IDLE), 0)
        self.assertEqual(int(Tapi.CallState.IN_PROGRESS), 1)
        self.assertEqual(int(Tapi.CallState.CONNECTED), 2)
        self.assertEqual(int(Tapi.CallState.DISCONNECTED), 3)
        self.assertEqual(int(Tapi.CallState.OFFERING), 4)
        self.assertEqual(int(Tapi.CallState.HOLD), 5)
        self.assertEqual(int(Tapi.CallState.QUEUED), 6)
        self.assertEqual(int(Tapi.CallPrivilege.OWNER), 0)
        self.assertEqual(int(Tapi.CallPrivilege.MONITOR), 1)
        self.assertEqual(int(Tapi.CallNotificationEvent.OWNER), 0)
        self.assertEqual(int(Tapi.CallNotificationEvent.MONITOR), 1)
        self.assertEqual(int(Tapi.FinishMode.AS_TRANSFER), 0)
        self.assertEqual(int(Tapi.FinishMode.AS_CONFERENCE), 1)
        self.assertEqual(int(Tapi.DisconnectCode.NORMAL), 0)
        self.assertEqual(int(Tapi.DisconnectCode.NO_ANSWER), 1)
        self.assertEqual(int(Tapi.DisconnectCode.REJECTED), 2)
        self.assertEqual(int(Tapi.MediaType.UNKNOWN), 0x2)
        self.assertEqual(int(Tapi.MediaType.AUDIO), 0x8)
        self.assertEqual(int(Tapi.MediaType.DATAMODEM), 0x10)
        self.assertEqual(int(Tapi.MediaType.G3FAX), 0x20)
        self.assertEqual(int(Tapi.MediaType.VIDEO), 0x8000)
        self.assertEqual(int(Tapi.MediaType.MULTITRACK), 0x10000)
        self.assertEqual(int(Tapi.AddressType.PHONE_NUMBER), 0x1)
        self.assertEqual(int(Tapi.AddressType.IP_ADDRESS), 0x10)
        self.assertEqual(int(Tapi.DigitMode.DTMF), 0x2)
        self.assertEqual(int(Tapi.TerminalDirection.NONE), 4)
        for name in ('NONE', 'DISCONNECT_NORMAL', 'DISCONNECT_BUSY',
                     'DISCONNECT_BAD_ADDRESS', 'DISCONNECT_NO_ANSWER',
                     'DISCONNECT_CANCELLED', 'DISCONNECT_REJECTED',
                     'DISCONNECT_FAILED', 'DISCONNECT_BLOCKED'):
            self.assertTrue(hasattr(Tapi.CallStateCause, name), name)
        for name in ('CONNECT', 'ANSWER', 'DISCONNECT', 'HOLD', 'HANDOFF',
                     'BLIND_TRANSFER', 'TRANSFER', 'CONFERENCE', 'SWAP_HOLD',
                     'PARK', 'UNPARK', 'PICKUP', 'DIAL', 'GENERATE_DIGITS',
                     'DETECT_DIGITS', 'MONITOR_MEDIA'):
            self.assertTrue(hasattr(Tapi.CallFeatures, name), name)
        for name in ('CALLER_ID', 'CALLED_ID', 'CONNECTED_ID', 'PRIVILEGE',
                     'NUMBER_OF_OWNERS', 'NUMBER_OF_MONITORS', 'MEDIA_TYPE',
                     'APP_SPECIFIC'):
            self.assertTrue(hasattr(Tapi.CallInfoChange, name), name)
        for name in ('OUTBOUND', 'INBOUND', 'INTERNAL'):
            self.assertTrue(hasattr(Tapi.CallOrigin, name), name)
        for name in ('EMBEDDED', 'SESSION', 'ADDRESS'):
            self.assertTrue(hasattr(Tapi.BrokerMode, name), name)

    def test_error_domain(self):
        for name in ('FAILED', 'NOT_INITIALIZED', 'SERVICE_NOT_RUNNING',
                     'INVALID_ADDRESS', 'INVALID_ADDRESS_TYPE',
                     'INVALID_MEDIA_TYPE', 'INVALID_CALL_STATE',
                     'INVALID_CALL_HANDLE', 'NOT_OWNER', 'NOT_SUPPORTED',
                     'TARGET_NOT_FOUND', 'TARGET_SELF', 'CALL_UNAVAILABLE',
                     'DEST_BUSY', 'DEST_NO_ANSWER', 'DEST_UNAVAILABLE',
                     'DROPPED', 'INVALID_PARK_ID', 'INVALID_GROUP_ID',
                     'NO_CONFERENCE', 'CONFERENCE_FULL',
                     'RESOURCE_UNAVAILABLE', 'NO_TERMINAL_SELECTED',
                     'NOT_STOPPED', 'INVALID_TERMINAL',
                     'INVALID_TERMINAL_CLASS', 'TERMINAL_IN_USE',
                     'MAX_TERMINALS', 'INVALID_DIRECTION', 'INVALID_STREAM',
                     'TIMEOUT'):
            self.assertTrue(hasattr(Tapi.Error, name), name)
        self.assertEqual(GLib.quark_to_string(Tapi.error_quark()),
                         'tapi-error-quark')


class TestSymbols(unittest.TestCase):
    """Every function libtapi3 exports is in the GIR and introspectable."""

    GIR_NS = {
        'core': 'http://www.gtk.org/introspection/core/1.0',
        'c': 'http://www.gtk.org/introspection/c/1.0',
        'glib': 'http://www.gtk.org/introspection/glib/1.0',
    }

    def setUp(self):
        self.gir = ET.parse(os.environ['TAPI_TEST_GIR']).getroot()
        nm = subprocess.run(['nm', '-D', '--defined-only',
                             os.environ['TAPI_TEST_LIBRARY']],
                            check=True, capture_output=True, text=True)
        self.exported = {fields[2] for fields in
                         (line.split() for line in nm.stdout.splitlines())
                         if len(fields) == 3 and fields[1] == 'T'}
        self.assertIn('tapi_tapi_new', self.exported)

    def test_exported_functions_in_gir(self):
        c_identifier = '{%s}identifier' % self.GIR_NS['c']
        get_type = '{%s}get-type' % self.GIR_NS['glib']
        in_gir = set()
        for element in self.gir.iter():
            for attribute in (c_identifier, get_type):
                if element.get(attribute):
                    in_gir.add(element.get(attribute))
        self.assertEqual(self.exported - in_gir, set(),
                         'exported but missing from the GIR')

    def test_functions_introspectable(self):
        c_identifier = '{%s}identifier' % self.GIR_NS['c']
        for tag in ('function', 'method', 'constructor'):
            for element in self.gir.iter('{%s}%s' % (self.GIR_NS['core'],
                                                     tag)):
                self.assertNotEqual(element.get('introspectable'), '0',
                                    '%s is not introspectable' %
                                    element.get(c_identifier))


class TestAddresses(TapiTestCase):

    def test_sim_addresses(self):
        app = self.new_app('Lister')
        addresses = app.get_addresses()
        self.assertIsInstance(addresses, Gio.ListModel)
        self.assertEqual(addresses.get_item_type(), Tapi.Address.__gtype__)
        names = {addresses.get_item(i).props.name
                 for i in range(addresses.get_n_items())}
        self.assertLessEqual({'100', '101', '102', '103'}, names)
        a100 = self.address(app, '100')
        self.assertEqual(a100.props.provider_name, 'sim')
        self.assertEqual(a100.props.state, Tapi.AddressState.IN_SERVICE)
        self.assertTrue(a100.props.media_types & Tapi.MediaType.AUDIO)
        self.assertTrue(a100.props.media_types & Tapi.MediaType.G3FAX)
        self.assertTrue(a100.props.call_features & Tapi.CallFeatures.TRANSFER)
        self.assertTrue(a100.props.call_features & Tapi.CallFeatures.HANDOFF)
        self.assertIsNone(app.find_address('no-such-address'))

    def test_invalid_destination(self):
        app = self.new_app('Dialler')
        a100 = self.address(app, '100')
        with self.assertRaises(GLib.Error) as raised:
            a100.create_call('not a number!', Tapi.AddressType.PHONE_NUMBER,
                             Tapi.MediaType.AUDIO)
        self.assert_tapi_error(raised.exception, Tapi.Error.INVALID_ADDRESS)

    def test_service_number(self):
        app = self.new_app('Dialler')
        a100 = self.address(app, '100')
        call = a100.create_call('answer', Tapi.AddressType.PHONE_NUMBER,
                                Tapi.MediaType.AUDIO)
        self.assertTrue(call.connect_sync(None))
        self.assertEqual(call.props.state, Tapi.CallState.CONNECTED)
        self.assertTrue(call.disconnect_sync(Tapi.DisconnectCode.NORMAL,
                                             None))
        self.assertEqual(call.props.state, Tapi.CallState.DISCONNECTED)
        self.assertEqual(call.props.state_cause,
                         Tapi.CallStateCause.DISCONNECT_NORMAL)
        # The handle stays readable until it is released.
        self.assertEqual(call.props.address, a100)
        self.assertTrue(call.release())
        with self.assertRaises(GLib.Error) as raised:
            call.hold_sync(True, None)
        self.assert_tapi_error(raised.exception,
                               Tapi.Error.INVALID_CALL_HANDLE)

    def test_async_requests_in_main_loop(self):
        """create_call_async and set_app_specific_async, chained in a loop."""
        app = self.new_app('Dialler')
        a100 = self.address(app, '100')
        loop = GLib.MainLoop.new(None, False)
        outcome = {}

        def on_timeout():
            outcome['timed out'] = True
            loop.quit()
            return GLib.SOURCE_REMOVE

        def on_app_specific_set(call, result, *user_data):
            outcome['set'] = call.set_app_specific_finish(result)
            loop.quit()

        def on_created(address, result, *user_data):
            call = address.create_call_finish(result)
            outcome['call'] = call
            call.set_app_specific_async(42, None, on_app_specific_set)

        def on_refused(address, result, *user_data):
            try:
                address.create_call_finish(result)
            except GLib.Error as error:
                outcome['error'] = error
            a100.create_call_async('answer', Tapi.AddressType.PHONE_NUMBER,
                                   Tapi.MediaType.AUDIO, None, on_created)

        timeout_id = GLib.timeout_add_seconds(TIMEOUT_S, on_timeout)
        a100.create_call_async('not a number!', Tapi.AddressType.PHONE_NUMBER,
                               Tapi.MediaType.AUDIO, None, on_refused)
        loop.run()
        self.assertNotIn('timed out', outcome)
        GLib.source_remove(timeout_id)

        self.assertIn('error', outcome)
        self.assert_tapi_error(outcome['error'], Tapi.Error.INVALID_ADDRESS)
        call = outcome['call']
        self.assertIsInstance(call, Tapi.Call)
        self.assertEqual(call.props.state, Tapi.CallState.IDLE)
        self.assertEqual(call.props.privilege, Tapi.CallPrivilege.OWNER)
        self.assertTrue(outcome['set'])
        self.run_until(lambda: call.props.app_specific == 42, 'app-specific')
        calls = app.get_calls()
        self.assertEqual(calls.get_n_items(), 1)
        self.assertEqual(calls.get_item(0), call)

    def test_busy(self):
        app = self.new_app('Dialler')
        call = self.address(app, '100').create_call(
            'busy', Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO)
        with self.assertRaises(GLib.Error) as raised:
            self.run_async(call.connect_async, call.connect_finish)
        self.assert_tapi_error(raised.exception, Tapi.Error.DEST_BUSY)
        self.assertEqual(call.props.state, Tapi.CallState.DISCONNECTED)
        self.assertEqual(call.props.state_cause,
                         Tapi.CallStateCause.DISCONNECT_BUSY)


def tone_power(samples, rate, frequency):
    """Goertzel: the power of frequency in 16-bit samples."""
    import math
    coefficient = 2.0 * math.cos(2.0 * math.pi * frequency / rate)
    s1 = s2 = 0.0
    for sample in samples:
        s0 = sample / 32768.0 + coefficient * s1 - s2
        s2, s1 = s1, s0
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2


class TestMedia(TapiTestCase):
    """Media reaches Python through a media-stream terminal."""

    def connected_call(self, app, destination):
        call = self.address(app, '100').create_call(
            destination, Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO)
        self.assertTrue(call.connect_sync(None))
        self.addCleanup(self.hang_up, call)
        return call

    def hang_up(self, call):
        if call.props.state != Tapi.CallState.DISCONNECTED:
            call.disconnect_sync(Tapi.DisconnectCode.NORMAL, None)

    def stream(self, call, direction):
        streams = call.get_streams()
        for i in range(streams.get_n_items()):
            stream = streams.get_item(i)
            if stream.props.direction == direction:
                return stream
        self.fail('no %s stream' % direction)

    def test_samples_from_tone_service(self):
        import array
        app = self.new_app('Listener')
        call = self.connected_call(app, 'tone')
        terminal = self.address(app, '100').create_terminal(
            Tapi.TERMINAL_CLASS_MEDIA_STREAM, Tapi.MediaType.AUDIO,
            Tapi.TerminalDirection.RENDER)
        self.assertIsInstance(terminal, Tapi.MediaStreamTerminal)
        rate = terminal.props.sample_rate
        received = array.array('h')
        terminal.connect('samples-received',
                         lambda t, data: received.frombytes(data.get_data()))
        events = []
        call.connect('media-event', lambda c, event, cause, stream, term:
                     events.append((event, stream.props.direction)))

        render = self.stream(call, Tapi.TerminalDirection.RENDER)
        self.assertTrue(render.select_terminal(terminal))
        self.run_until(lambda: len(received) >= 2 * rate, 'two seconds of audio')
        self.assertIn((Tapi.CallMediaEvent.STREAM_ACTIVE,
                       Tapi.TerminalDirection.RENDER), events)
        self.assertEqual(render.props.state, Tapi.StreamState.ACTIVE)
        self.assertEqual(terminal.props.state, Tapi.TerminalState.IN_USE)

        # The tone service sends 1000 Hz: it dominates other frequencies.
        second = received[-rate:]
        tone = tone_power(second, rate, 1000.0)
        for other in (400.0, 700.0, 1500.0, 2500.0):
            self.assertGreater(tone, 20 * tone_power(second, rate, other),
                               'no 1000 Hz dominance over %g Hz' % other)

    def test_digits_from_dtmf_service(self):
        app = self.new_app('DigitReader')
        digits = []
        call = self.address(app, '100').create_call(
            'dtmf:4#7', Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO)
        call.connect('digit-detected',
                     lambda c, digit, mode: digits.append(chr(digit)))
        self.assertTrue(call.detect_digits(Tapi.DigitMode.DTMF))
        self.assertTrue(call.connect_sync(None))
        self.addCleanup(self.hang_up, call)
        self.run_until(lambda: len(digits) >= 3, 'three digits')
        self.assertEqual(''.join(digits), '4#7')

    def test_bad_terminal(self):
        app = self.new_app('Selector')
        call = self.connected_call(app, 'answer')
        tone = self.address(app, '100').create_terminal(
            Tapi.TERMINAL_CLASS_TONE, Tapi.MediaType.AUDIO,
            Tapi.TerminalDirection.CAPTURE)
        render = self.stream(call, Tapi.TerminalDirection.RENDER)
        with self.assertRaises(GLib.Error) as raised:
            render.select_terminal(tone)
        self.assert_tapi_error(raised.exception, Tapi.Error.INVALID_DIRECTION)
        self.assertEqual(render.get_terminals().get_n_items(), 0)
        with self.assertRaises(GLib.Error) as raised:
            self.address(app, '100').create_terminal(
                'no-such-class', Tapi.MediaType.AUDIO,
                Tapi.TerminalDirection.CAPTURE)
        self.assert_tapi_error(raised.exception,
                               Tapi.Error.INVALID_TERMINAL_CLASS)


class TestConsultationTransfer(TapiTestCase):

    def test_consultation_transfer(self):
        a = self.new_app('A')
        b = self.new_app('B')
        c = self.new_app('C')
        b.register_call_notifications(self.address(b, '101'), False, True,
                                      Tapi.MediaType.AUDIO)
        c.register_call_notifications(self.address(c, '102'), False, True,
                                      Tapi.MediaType.AUDIO)
        a100 = self.address(a, '100')

        # A (100) calls B (101); B answers.
        a_call, b_call = self.place_and_answer(a100, b, '101')
        self.assertEqual(b_call.props.caller_id_number, '100')
        self.assertEqual(a_call.props.connected_id_number, '101')

        # A consults C (102) and completes the transfer once C answers.
        c_offered = self.collect_notifications(c)
        c_answered = self.answer_on_offer(c)
        consultation = a100.create_call('102', Tapi.AddressType.PHONE_NUMBER,
                                        Tapi.MediaType.AUDIO)
        self.assertTrue(self.run_async(a_call.transfer_async,
                                       a_call.transfer_finish, consultation))
        self.assertEqual(a_call.props.state, Tapi.CallState.HOLD)
        self.assertEqual(consultation.props.state, Tapi.CallState.CONNECTED)
        self.run_until(lambda: c_answered, 'C to answer')
        self.assertEqual(c_answered, [True])
        self.assertEqual(len(c_offered), 1)
        c_call, c_event, c_state = c_offered[0]
        self.assertEqual(c_event, Tapi.CallNotificationEvent.OWNER)
        self.assertEqual(c_state, Tapi.CallState.OFFERING)
        self.run_until(lambda: c_call.props.state ==
                       Tapi.CallState.CONNECTED, 'C connected')

        self.assertTrue(self.run_async(consultation.finish_async,
                                       consultation.finish_finish,
                                       Tapi.FinishMode.AS_TRANSFER))
        self.assertEqual(a_call.props.state, Tapi.CallState.DISCONNECTED)
        self.assertEqual(consultation.props.state,
                         Tapi.CallState.DISCONNECTED)

        # B and C now talk to each other.
        self.run_until(lambda: b_call.props.connected_id_number == '102',
                       "B's connected id to become 102")
        self.run_until(lambda: c_call.props.connected_id_number == '101',
                       "C's connected id to become 101")
        self.assertEqual(b_call.props.state, Tapi.CallState.CONNECTED)
        self.assertEqual(c_call.props.state, Tapi.CallState.CONNECTED)

        self.assertTrue(self.run_async(b_call.disconnect_async,
                                       b_call.disconnect_finish,
                                       Tapi.DisconnectCode.NORMAL))
        self.run_until(lambda: c_call.props.state ==
                       Tapi.CallState.DISCONNECTED, 'C disconnected')


class TestHandoff(TapiTestCase):

    def test_handoff_direct(self):
        caller = self.new_app('Caller')
        phone = self.new_app('Phone')
        recorder = self.new_app('Recorder')
        phone.register_call_notifications(self.address(phone, '103'), False,
                                          True, Tapi.MediaType.AUDIO)
        # Media types do not matter for a directed handoff: registering on
        # the address is enough, and the AUDIO call is not offered to it.
        recorder.register_call_notifications(self.address(recorder, '103'),
                                             False, True,
                                             Tapi.MediaType.G3FAX)
        recorder_notified = self.collect_notifications(recorder)

        caller_call, phone_call = self.place_and_answer(
            self.address(caller, '100'), phone, '103')
        self.assertEqual(recorder_notified, [])

        # Handing the call to oneself changes nothing.
        with self.assertRaises(GLib.Error) as raised:
            phone_call.handoff_direct_sync(phone.props.application_name,
                                           None)
        self.assert_tapi_error(raised.exception, Tapi.Error.TARGET_SELF)
        self.assertEqual(phone_call.props.privilege,
                         Tapi.CallPrivilege.OWNER)
        self.assertEqual(phone_call.props.state, Tapi.CallState.CONNECTED)

        self.assertTrue(self.run_async(phone_call.handoff_direct_async,
                                       phone_call.handoff_direct_finish,
                                       recorder.props.application_name))
        self.run_until(lambda: recorder_notified, 'call-notification')
        self.assertEqual(len(recorder_notified), 1)
        recorder_call, event, state = recorder_notified[0]
        self.assertEqual(event, Tapi.CallNotificationEvent.OWNER)
        self.assertEqual(recorder_call.props.privilege,
                         Tapi.CallPrivilege.OWNER)
        self.assertEqual(recorder_call.props.call_id,
                         phone_call.props.call_id)
        self.assertEqual(recorder_call.props.state, Tapi.CallState.CONNECTED)
        self.run_until(lambda: phone_call.props.privilege ==
                       Tapi.CallPrivilege.MONITOR, 'sender to be monitor')
        self.assertEqual(phone_call.props.state, Tapi.CallState.CONNECTED)
        self.assertEqual(caller_call.props.state, Tapi.CallState.CONNECTED)
        self.assertIn(recorder_call, list_items(recorder.get_calls()))

        # The monitor can no longer control the call; the new owner can.
        with self.assertRaises(GLib.Error) as raised:
            phone_call.hold_sync(True, None)
        self.assert_tapi_error(raised.exception, Tapi.Error.NOT_OWNER)
        self.assertTrue(self.run_async(recorder_call.disconnect_async,
                                       recorder_call.disconnect_finish,
                                       Tapi.DisconnectCode.NORMAL))
        self.run_until(lambda: caller_call.props.state ==
                       Tapi.CallState.DISCONNECTED, 'caller disconnected')

    def test_handoff_to_monitor(self):
        caller = self.new_app('Caller')
        phone = self.new_app('Phone')
        recorder = self.new_app('Recorder')
        phone.register_call_notifications(self.address(phone, '103'), False,
                                          True, Tapi.MediaType.AUDIO)
        recorder.register_call_notifications(self.address(recorder, '103'),
                                             True, False, 0)
        events = []

        def on_call_notification(tapi, call, event):
            events.append(('call-notification', call, event,
                           call.props.privilege))

        def on_info_changed(call, change):
            if change == Tapi.CallInfoChange.PRIVILEGE:
                events.append(('info-changed', call, change,
                               call.props.privilege))

        recorder.connect('call-notification', on_call_notification)
        caller_call, phone_call = self.place_and_answer(
            self.address(caller, '100'), phone, '103')
        self.run_until(lambda: events, 'the monitor handle')
        monitored = events[0][1]
        self.assertEqual(events, [('call-notification', monitored,
                                   Tapi.CallNotificationEvent.MONITOR,
                                   Tapi.CallPrivilege.MONITOR)])
        monitored.connect('info-changed', on_info_changed)
        del events[:]

        # The recorder is told as of a new call, on the handle it had,
        # after the privilege change.
        self.assertTrue(self.run_async(phone_call.handoff_direct_async,
                                       phone_call.handoff_direct_finish,
                                       recorder.props.application_name))
        self.run_until(lambda: len(events) >= 2, 'the handoff events')
        self.assertEqual(events, [
            ('info-changed', monitored, Tapi.CallInfoChange.PRIVILEGE,
             Tapi.CallPrivilege.OWNER),
            ('call-notification', monitored, Tapi.CallNotificationEvent.OWNER,
             Tapi.CallPrivilege.OWNER),
        ])
        self.assertEqual(list_items(recorder.get_calls()), [monitored])
        self.run_until(lambda: phone_call.props.privilege ==
                       Tapi.CallPrivilege.MONITOR, 'sender to be monitor')
        self.assertEqual(monitored.props.state, Tapi.CallState.CONNECTED)
        self.assertTrue(self.run_async(monitored.disconnect_async,
                                       monitored.disconnect_finish,
                                       Tapi.DisconnectCode.NORMAL))
        self.run_until(lambda: caller_call.props.state ==
                       Tapi.CallState.DISCONNECTED, 'caller disconnected')

    def test_handoff_not_found(self):
        caller = self.new_app('Caller')
        phone = self.new_app('Phone')
        phone.register_call_notifications(self.address(phone, '101'), False,
                                          True, Tapi.MediaType.AUDIO)
        caller_call, phone_call = self.place_and_answer(
            self.address(caller, '100'), phone, '101')
        with self.assertRaises(GLib.Error) as raised:
            self.run_async(phone_call.handoff_direct_async,
                           phone_call.handoff_direct_finish,
                           'org.example.PyTest.NoSuchApplication')
        self.assert_tapi_error(raised.exception, Tapi.Error.TARGET_NOT_FOUND)
        self.run_until(lambda: phone_call.props.state ==
                       Tapi.CallState.DISCONNECTED, 'call disconnected')
        self.assertEqual(phone_call.props.state_cause,
                         Tapi.CallStateCause.DISCONNECT_FAILED)


def signal_names(cls):
    return set(GObject.signal_list_names(cls.__gtype__))


def list_items(model):
    return [model.get_item(i) for i in range(model.get_n_items())]


if __name__ == '__main__':
    unittest.main()
