#!/usr/bin/python3
# test_softphone.py: tapi3-softphone on a real X display, driven through
# the actions it exports on the session bus
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run inside a private session bus (dbus-run-session). The test starts an
# X server (Xvfb) and tapi3d on that bus, then for each test the softphone,
# which shares the tapi3d broker with the Tapi applications of the test
# process itself: they call it, watch its calls with monitor handles and
# take calls from it. The softphone is driven only through org.gtk.Actions
# (Activate) and read through its action states (Describe).
#
# Environment (meson test sets it): SOFTPHONE, the script; TAPI3D, the
# tapi3d executable; GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the
# build tree; SOFTPHONE_SCREENSHOT, where to save a picture of the window
# (in the temporary directory of the test when unset).

import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('GdkPixbuf', '2.0')
gi.require_version('Tapi', '3.0')
from gi.repository import GdkPixbuf, Gio, GLib, Tapi  # noqa: E402

PYTHON = '/usr/bin/python3'
APP_ID = 'org.libtapi3.Softphone'
APP_PATH = '/org/libtapi3/Softphone'
BROKER_NAME = 'org.libtapi3.Broker'
TIMEOUT_S = 20
# The service number "tone" sends a 1000 Hz sine well above this.
HEARD_DB = -30.0


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class SoftphoneTestCase(unittest.TestCase):
    """Xvfb and tapi3d for the class, a softphone for each test."""

    serial = 0

    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.mkdtemp(prefix='tapi3-softphone-test-')
        cls.processes = []
        os.environ['TAPI3_BROKER'] = 'session'
        config = os.path.join(cls.tmpdir, 'config')
        os.environ['XDG_CONFIG_HOME'] = config
        # Pictures of a finished transition, not of one half way through.
        os.makedirs(os.path.join(config, 'gtk-4.0'))
        with open(os.path.join(config, 'gtk-4.0', 'settings.ini'), 'w') as f:
            f.write('[Settings]\ngtk-enable-animations=false\n')
        # Two SIP accounts in direct mode, on ports of 127.0.0.1 free now.
        cls.sip_uris = {}
        os.makedirs(os.path.join(config, 'tapi3'))
        with open(os.path.join(config, 'tapi3', 'sip.conf'), 'w') as f:
            for name in ('alice', 'bob'):
                port = free_udp_port()
                cls.sip_uris[name] = 'sip:%s@127.0.0.1:%d' % (name, port)
                f.write('[account:%s]\nuri=%s\nbind=sip:127.0.0.1:%d\n\n' %
                        (name, cls.sip_uris[name], port))
        for variable in ('TAPI3_SIM_CONFIG', 'TAPI3_SIP_CONFIG', 'TAPI3_PRIORITIES'):
            os.environ.pop(variable, None)
        cls.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        try:
            cls.display = cls.start_x_server()
            cls.tapi3d = cls.spawn('tapi3d', [os.environ['TAPI3D'], '--verbose'])
            cls.wait_for_name(BROKER_NAME, cls.tapi3d)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for proc in reversed(cls.processes):
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=TIMEOUT_S)
        shutil.rmtree(cls.tmpdir, ignore_errors=True)

    @classmethod
    def spawn(cls, name, argv, env=None, pass_fds=()):
        log = open(os.path.join(cls.tmpdir, '%s.log' % name), 'ab')
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, pass_fds=pass_fds)
        log.close()
        cls.processes.append(proc)
        return proc

    @classmethod
    def log_tail(cls, name):
        try:
            with open(os.path.join(cls.tmpdir, '%s.log' % name), errors='replace') as f:
                return ''.join(f.readlines()[-40:])
        except OSError:
            return ''

    @classmethod
    def start_x_server(cls):
        """Starts Xvfb on a free display; returns the display name."""
        read_end, write_end = os.pipe()
        proc = cls.spawn('xvfb', ['Xvfb', '-displayfd', str(write_end),
                                  '-screen', '0', '1024x768x24', '-nolisten', 'tcp'],
                         pass_fds=(write_end,))
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise AssertionError('Xvfb did not start (status %s)\n%s' %
                                 (proc.poll(), cls.log_tail('xvfb')))
        return ':' + number

    @classmethod
    def wait_for_name(cls, name, proc):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                cls.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                  'org.freedesktop.DBus', 'GetNameOwner',
                                  GLib.Variant('(s)', (name,)), None,
                                  Gio.DBusCallFlags.NONE, -1, None)
                return
            except GLib.Error:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError('%s did not appear on the bus (status %s)' %
                                     (name, proc.poll()))
            time.sleep(0.05)

    # Each test

    def setUp(self):
        self.context = GLib.MainContext.default()
        SoftphoneTestCase.serial += 1
        self.app_log = 'softphone-%d' % SoftphoneTestCase.serial
        env = dict(os.environ)
        env.update({
            'DISPLAY': self.display,
            # Xvfb has no OpenGL; no accessibility bus either.
            'GSK_RENDERER': 'cairo',
            'GTK_A11Y': 'none',
            'NO_AT_BRIDGE': '1',
            'G_DEBUG': 'fatal-criticals',
        })
        self.app = self.spawn(self.app_log, [PYTHON, os.environ['SOFTPHONE'],
                                             '--no-audio-devices'], env=env)
        self.addCleanup(self.quit_app)
        self.wait_for_name(APP_ID, self.app)
        # Initialized: the first address is in use.
        self.wait_until(lambda: self.state('address') == '100', 'the address 100 in use')

    def quit_app(self):
        if self.app.poll() is None:
            self.activate('quit')
            try:
                status = self.app.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()
                self.fail('the softphone did not quit')
        else:
            status = self.app.returncode
        self.assertEqual(status, 0, 'the softphone exited with %s\n%s' %
                         (status, self.log_tail(self.app_log)))

    def fail_with_log(self, message):
        self.fail('%s\nsoftphone log:\n%s' % (message, self.log_tail(self.app_log)))

    def wait_until(self, predicate, what):
        """Runs the main context until predicate() is true; returns its value."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            value = predicate()
            if value:
                return value
            if self.app.poll() is not None:
                self.fail_with_log('the softphone exited (%s) while waiting for %s' %
                                   (self.app.returncode, what))
            if time.monotonic() > deadline:
                self.fail_with_log('timed out waiting for %s' % what)
            if not self.context.iteration(False):
                time.sleep(0.02)

    # The softphone's actions

    def activate(self, name, parameter=None):
        args = [] if parameter is None else [parameter]
        self.bus.call_sync(APP_ID, APP_PATH, 'org.gtk.Actions', 'Activate',
                           GLib.Variant('(sava{sv})', (name, args, {})),
                           None, Gio.DBusCallFlags.NONE, TIMEOUT_S * 1000, None)

    def activate_s(self, name, text):
        self.activate(name, GLib.Variant('s', text))

    def state(self, name):
        reply = self.bus.call_sync(APP_ID, APP_PATH, 'org.gtk.Actions', 'Describe',
                                   GLib.Variant('(s)', (name,)),
                                   GLib.VariantType('((bgav))'),
                                   Gio.DBusCallFlags.NONE, TIMEOUT_S * 1000, None)
        enabled, parameter_type, state = reply.unpack()[0]
        return state[0] if state else None

    def app_calls(self):
        return self.state('calls')

    def wait_app_call(self, **fields):
        """Waits for a call in the softphone's list with these fields."""
        def matching():
            for call in self.app_calls():
                if all(call.get(k) == v for k, v in fields.items()):
                    return call
            return None
        return self.wait_until(matching, 'a softphone call with %r (calls: %r)' %
                               (fields, self.app_calls()))

    def assert_no_error(self):
        self.assertEqual(self.state('last-error'), '')

    # Applications of the test process

    def tapi(self, role):
        name = 'org.libtapi3.Test.%s%d' % (role, SoftphoneTestCase.serial)
        tapi = Tapi.Tapi.new(name)
        self.assertTrue(tapi.initialize_sync(None))
        self.addCleanup(tapi.shutdown)
        self.assertEqual(tapi.props.broker_mode, Tapi.BrokerMode.SESSION)
        tapi.notified = []
        tapi.connect('call-notification',
                     lambda tapi, call, event: tapi.notified.append((call, event)))
        return tapi

    def notified_call(self, tapi, event, call_id=None):
        """Waits for a call-notification of tapi; returns its call."""
        def find():
            for call, seen in tapi.notified:
                if seen == event and call_id in (None, call.props.call_id):
                    return call
            return None
        return self.wait_until(find, '%s to be notified of a call as %s' %
                               (tapi.props.application_name, event.value_nick))

    def wait_call_state(self, call, state, cause=None):
        def reached():
            return (call.props.state == state and
                    (cause is None or call.props.state_cause == cause))
        self.wait_until(reached, 'call %u to become %s/%s (is %s/%s)' %
                        (call.props.call_id, state.value_nick,
                         cause.value_nick if cause else '*',
                         call.props.state.value_nick,
                         call.props.state_cause.value_nick))

    def call_softphone(self, caller):
        """caller rings the softphone's 100 from 101; returns the call."""
        call = caller.find_address('101').create_call(
            '100', Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO)
        call.connect_outcome = []

        def connected(call, result):
            try:
                call.connect_outcome.append(call.connect_finish(result))
            except GLib.Error as error:
                call.connect_outcome.append(error)

        call.connect_async(None, connected)
        return call

    def answered_call_from(self, caller):
        """A call from caller that the softphone answered; (call, softphone's call)."""
        call = self.call_softphone(caller)
        offered = self.wait_app_call(state='offering', remote='101')
        self.activate('answer')
        self.wait_call_state(call, Tapi.CallState.CONNECTED)
        self.wait_until(lambda: call.connect_outcome, 'the connect to complete')
        self.assertEqual(call.connect_outcome, [True])
        self.wait_app_call(id=offered['id'], state='connected', privilege='owner')
        return call, offered['id']

    def set_hold(self, call_id, hold, watched=None):
        """Holds or resumes the softphone's current call, which is call_id.

        Checks the softphone's state and, when given, that of a handle of
        the same call in the test process.
        """
        self.activate('hold' if hold else 'resume')
        state = Tapi.CallState.HOLD if hold else Tapi.CallState.CONNECTED
        if watched is not None:
            self.wait_call_state(watched, state)
        self.wait_app_call(id=call_id, state=state.value_nick)

    def call_to_transfer(self):
        """A call from 101 that the softphone answered, and a target on 102.

        Returns (the caller's call, the softphone's call id, the target).
        """
        caller = self.tapi('Caller')
        target = self.tapi('Target')
        self.assertNotEqual(target.register_call_notifications(
            target.find_address('102'), False, True, Tapi.MediaType.AUDIO), 0)
        call, mine = self.answered_call_from(caller)
        return call, mine, target

    def screenshot(self, path):
        """Saves the softphone's window as a PNG file; checks that it shows something."""
        subprocess.run(['import', '-display', self.display, '-window', 'Softphone',
                        path], check=True, timeout=TIMEOUT_S)
        pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
        self.assertGreaterEqual(pixbuf.get_width(), 500)
        self.assertGreaterEqual(pixbuf.get_height(), 300)
        pixels = pixbuf.get_pixels()
        stride = pixbuf.get_rowstride()
        step = pixbuf.get_n_channels()
        colours = {bytes(pixels[y * stride + x * step:y * stride + x * step + 3])
                   for y in range(0, pixbuf.get_height(), 4)
                   for x in range(0, pixbuf.get_width(), 4)}
        # Text, buttons and the banner: far more than a blank window.
        self.assertGreater(len(colours), 20, 'a nearly blank window')


class TestOutgoing(SoftphoneTestCase):

    def test_call_to_tone_hold_resume_hang_up(self):
        watcher = self.tapi('Watcher')
        self.assertNotEqual(watcher.register_call_notifications(
            watcher.find_address('100'), True, False, Tapi.MediaType.AUDIO), 0)

        self.activate_s('dial', 'tone')
        mine = self.wait_app_call(remote='tone', state='connected',
                                  privilege='owner', origin='outbound', cause='none')
        watched = self.notified_call(watcher, Tapi.CallNotificationEvent.MONITOR,
                                     mine['id'])
        self.wait_call_state(watched, Tapi.CallState.CONNECTED)
        self.assertEqual(watched.props.privilege, Tapi.CallPrivilege.MONITOR)
        self.assertEqual(watched.props.number_of_owners, 1)
        # The meter follows what the softphone hears: the service's tone.
        self.wait_until(lambda: self.state('level') > HEARD_DB,
                        'the level of the tone above %g dBFS' % HEARD_DB)

        self.set_hold(mine['id'], True, watched)
        self.set_hold(mine['id'], False, watched)

        self.activate('hangup')
        self.wait_call_state(watched, Tapi.CallState.DISCONNECTED,
                             Tapi.CallStateCause.DISCONNECT_NORMAL)
        self.wait_app_call(id=mine['id'], state='disconnected',
                           cause='disconnect-normal')
        self.assert_no_error()

    def test_digits_come_back_from_echo(self):
        self.activate_s('dial', 'echo')
        mine = self.wait_app_call(remote='echo', state='connected')
        self.activate_s('digit', '12#')
        self.wait_app_call(id=mine['id'], digits='12#')
        self.activate('hangup')
        self.wait_app_call(id=mine['id'], state='disconnected')
        self.assert_no_error()

    def test_busy_destination(self):
        self.activate_s('dial', 'busy')
        self.wait_app_call(remote='busy', state='disconnected', cause='disconnect-busy')

    def test_handoff_to_another_application(self):
        # Registered after the softphone: it is offered no call of 100,
        # yet it can be named in a handoff.
        recorder = self.tapi('Recorder')
        self.assertNotEqual(recorder.register_call_notifications(
            recorder.find_address('100'), False, True, Tapi.MediaType.AUDIO), 0)

        self.activate_s('dial', 'tone')
        mine = self.wait_app_call(remote='tone', state='connected', privilege='owner')
        self.activate_s('handoff', recorder.props.application_name)
        handed = self.notified_call(recorder, Tapi.CallNotificationEvent.OWNER,
                                    mine['id'])
        self.assertEqual(handed.props.state, Tapi.CallState.CONNECTED)
        self.assertEqual(handed.props.privilege, Tapi.CallPrivilege.OWNER)
        self.wait_app_call(id=mine['id'], state='connected', privilege='monitor')
        # Its media went with the call.
        self.wait_until(lambda: self.state('level') <= -100.0, 'the meter to fall silent')

        self.assertTrue(handed.disconnect_sync(Tapi.DisconnectCode.NORMAL, None))
        self.wait_app_call(id=mine['id'], state='disconnected', cause='disconnect-normal')
        self.assert_no_error()

    def test_bad_input_is_reported(self):
        self.activate_s('address', 'nowhere')
        self.wait_until(lambda: 'nowhere' in self.state('last-error'),
                        'the unknown address to be reported')
        self.assertEqual(self.state('address'), '100')
        self.activate('hangup')
        self.wait_until(lambda: self.state('last-error') == 'No call to hang up',
                        'hanging up without a call to be reported')
        self.assertEqual(self.app_calls(), [])


class TestIncoming(SoftphoneTestCase):

    def test_answer_hold_hang_up(self):
        caller = self.tapi('Caller')
        # The caller watches the softphone's side of the call as well.
        self.assertNotEqual(caller.register_call_notifications(
            caller.find_address('100'), True, False, Tapi.MediaType.AUDIO), 0)
        call = self.call_softphone(caller)
        offered = self.wait_app_call(state='offering', remote='101', privilege='owner')
        far_end = self.notified_call(caller, Tapi.CallNotificationEvent.MONITOR,
                                     offered['id'])
        self.assertEqual(far_end.props.state, Tapi.CallState.OFFERING)

        self.activate('answer')
        self.wait_call_state(call, Tapi.CallState.CONNECTED)
        self.wait_call_state(far_end, Tapi.CallState.CONNECTED)
        self.wait_until(lambda: call.connect_outcome, 'the connect to complete')
        self.assertEqual(call.connect_outcome, [True])
        self.wait_app_call(id=offered['id'], state='connected')

        self.set_hold(offered['id'], True, far_end)
        self.activate('hangup')
        self.wait_call_state(call, Tapi.CallState.DISCONNECTED,
                             Tapi.CallStateCause.DISCONNECT_NORMAL)
        self.wait_app_call(id=offered['id'], state='disconnected')
        self.assert_no_error()

    def test_call_while_in_a_call(self):
        self.activate_s('dial', 'tone')
        first = self.wait_app_call(remote='tone', state='connected')
        self.wait_until(lambda: self.state('level') > HEARD_DB,
                        'the level of the tone above %g dBFS' % HEARD_DB)
        caller = self.tapi('Caller')
        call = self.call_softphone(caller)
        offered = self.wait_app_call(state='offering', remote='101')
        self.wait_app_call(id=first['id'], state='connected')
        # The incoming-call banner is up over the call in progress.
        self.screenshot(os.environ.get('SOFTPHONE_SCREENSHOT') or
                        os.path.join(self.tmpdir, 'softphone.png'))

        # Answering holds the call in progress.
        self.activate('answer')
        self.wait_call_state(call, Tapi.CallState.CONNECTED)
        self.wait_app_call(id=offered['id'], state='connected')
        self.wait_app_call(id=first['id'], state='hold')
        self.activate('hangup')
        self.wait_call_state(call, Tapi.CallState.DISCONNECTED,
                             Tapi.CallStateCause.DISCONNECT_NORMAL)
        # Then the held call is the current one again.
        self.set_hold(first['id'], False)
        self.activate('hangup')
        self.wait_app_call(id=first['id'], state='disconnected')
        self.assert_no_error()

    def test_reject(self):
        caller = self.tapi('Caller')
        call = self.call_softphone(caller)
        offered = self.wait_app_call(state='offering', remote='101')
        self.activate('reject')
        self.wait_call_state(call, Tapi.CallState.DISCONNECTED,
                             Tapi.CallStateCause.DISCONNECT_REJECTED)
        self.wait_until(lambda: call.connect_outcome, 'the connect to complete')
        self.assertIsInstance(call.connect_outcome[0], GLib.Error)
        self.wait_app_call(id=offered['id'], state='disconnected')
        self.assert_no_error()

    def test_blind_transfer(self):
        call, mine, target = self.call_to_transfer()

        self.activate_s('transfer', '102')
        transferred = self.notified_call(target, Tapi.CallNotificationEvent.OWNER)
        self.assertEqual(transferred.props.state, Tapi.CallState.OFFERING)
        self.wait_app_call(id=mine, state='disconnected')
        self.assertTrue(transferred.answer_sync(None))
        self.wait_until(lambda: call.props.connected_id_number == '102',
                        'the caller to be connected to 102')
        self.assertEqual(call.props.state, Tapi.CallState.CONNECTED)
        self.assert_no_error()

    def test_consultation_transfer(self):
        call, mine, target = self.call_to_transfer()

        self.activate_s('consult', '102')
        consulted = self.notified_call(target, Tapi.CallNotificationEvent.OWNER)
        self.assertTrue(consulted.answer_sync(None))
        consultation = self.wait_app_call(remote='102', origin='outbound',
                                          state='connected')
        self.wait_app_call(id=mine, state='hold')

        self.activate('complete-transfer')
        self.wait_app_call(id=mine, state='disconnected')
        self.wait_app_call(id=consultation['id'], state='disconnected')
        self.wait_until(lambda: call.props.connected_id_number == '102',
                        'the caller to be connected to 102')
        self.assertEqual(call.props.state, Tapi.CallState.CONNECTED)
        self.assertEqual(consulted.props.state, Tapi.CallState.CONNECTED)
        self.assert_no_error()

    def test_other_address(self):
        self.activate_s('address', '101')
        self.wait_until(lambda: self.state('address') == '101', 'the address 101 in use')
        caller = self.tapi('Caller')
        call = caller.find_address('100').create_call(
            '101', Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO)
        call.connect_async(None, None)
        self.wait_app_call(state='offering', remote='100')
        self.activate('answer')
        self.wait_call_state(call, Tapi.CallState.CONNECTED)
        self.activate('hangup')
        self.wait_call_state(call, Tapi.CallState.DISCONNECTED,
                             Tapi.CallStateCause.DISCONNECT_NORMAL)
        self.assert_no_error()



class TestSip(SoftphoneTestCase):
    """The softphone on a SIP account, called over SIP from another account."""

    def test_call_over_sip(self):
        self.activate_s('address', 'alice')
        self.wait_until(lambda: self.state('address') == 'alice', 'alice in use')
        caller = self.tapi('Caller')
        bob = caller.find_address('bob')
        self.assertEqual(bob.props.provider_name, 'sip')
        call = bob.create_call(self.sip_uris['alice'], Tapi.AddressType.DOMAIN_NAME,
                               Tapi.MediaType.AUDIO)
        # Bob sends a tone, which the softphone's meter shows.
        tone = bob.create_terminal(Tapi.TERMINAL_CLASS_TONE, Tapi.MediaType.AUDIO,
                                   Tapi.TerminalDirection.CAPTURE)
        capture = next(stream for stream in call.get_streams()
                       if stream.props.direction == Tapi.TerminalDirection.CAPTURE)
        self.assertTrue(capture.select_terminal(tone))
        call.connect_async(None, None)

        offered = self.wait_app_call(state='offering', privilege='owner')
        self.assertIn('bob', offered['remote'])
        self.activate('answer')
        self.wait_call_state(call, Tapi.CallState.CONNECTED)
        self.wait_app_call(id=offered['id'], state='connected')
        self.wait_until(lambda: self.state('level') > HEARD_DB,
                        "the level of bob's tone above %g dBFS" % HEARD_DB)

        self.set_hold(offered['id'], True)
        self.set_hold(offered['id'], False)
        self.activate('hangup')
        self.wait_call_state(call, Tapi.CallState.DISCONNECTED,
                             Tapi.CallStateCause.DISCONNECT_NORMAL)
        self.wait_app_call(id=offered['id'], state='disconnected')
        self.assert_no_error()


if __name__ == '__main__':
    unittest.main()
