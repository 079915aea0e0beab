#!/usr/bin/python3
# test_daemon.py: the tapi3d session broker with applications in processes
# of their own
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each test runs a private message bus (dbus-daemon, with a configuration
# of its own and no service directory unless the test asks for one), a
# configuration directory, and tapi3d from the build tree on that bus.
# Applications are tapi-app.py processes driven line by line on their
# standard input; what they see comes back line by line on standard output.
#
# Environment (meson test sets it): TAPI3D, the tapi3d executable;
# GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the build tree.

import math
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import wave

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
from gi.repository import GLib, Gio  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
APP_SCRIPT = os.path.join(HERE, 'tapi-app.py')
PYTHON = '/usr/bin/python3'
BUS_NAME = 'org.libtapi3.Broker'
BROKER_PATH = '/org/libtapi3/Broker'
BROKER_INTERFACE = 'org.libtapi3.Broker1'
TIMEOUT_S = 15
# A tone no service of the simulated PBX sends.
CALLER_TONE_HZ = 1300.0

BUS_CONFIG = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  {servicedir}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
'''


def goertzel_power(samples, rate, frequency):
    """The power of frequency in a sequence of samples."""
    coefficient = 2.0 * math.cos(2.0 * math.pi * frequency / rate)
    s1 = s2 = 0.0
    for sample in samples:
        s0 = sample + coefficient * s1 - s2
        s2, s1 = s1, s0
    return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (len(samples) ** 2)


def read_wav(path):
    """(sample rate, samples of the first channel as floats in [-1, 1])."""
    with wave.open(path, 'rb') as wav:
        rate = wav.getframerate()
        channels = wav.getnchannels()
        width = wav.getsampwidth()
        frames = wav.readframes(wav.getnframes())
    if width != 2:
        raise AssertionError('%s: %d-byte samples, expected 16-bit' % (path, width))
    values = memoryview(frames).cast('h')
    return rate, [values[i] / 32768.0 for i in range(0, len(values), channels)]


class Process:
    """A process started by a test, with its output read line by line."""

    def __init__(self, test, name, argv, env, stdin=False, log=None):
        self.test = test
        self.name = name
        self.lines = queue.Queue()
        self.backlog = []
        self.seen = []
        self.log = log
        stderr = open(log, 'wb') if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(argv, env=env,
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=stderr)
        if log:
            stderr.close()
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()
        test.addCleanup(self.kill)

    @property
    def pid(self):
        return self.proc.pid

    def read(self):
        for line in self.proc.stdout:
            self.lines.put(line.decode(errors='replace').rstrip('\n'))
        self.lines.put(None)

    def send(self, line):
        self.proc.stdin.write((line + '\n').encode())
        self.proc.stdin.flush()

    def log_tail(self):
        if not self.log or not os.path.exists(self.log):
            return ''
        with open(self.log, errors='replace') as f:
            return ''.join(f.readlines()[-30:])

    def expect(self, pattern, timeout=TIMEOUT_S, what=None):
        """The first unread line matching pattern (a regex), as a match.

        Lines that do not match stay for later expects.
        """
        regex = re.compile(pattern)
        for i, line in enumerate(self.backlog):
            match = regex.fullmatch(line)
            if match:
                del self.backlog[i]
                return match
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(remaining, 0)) if remaining > 0 else None
            except queue.Empty:
                line = None
            if line is None:
                ended = self.proc.poll()
                self.test.fail('%s: no line /%s/ (%s) within %g s%s; read %r\n%s' %
                               (self.name, pattern, what or 'expected',
                                timeout, '' if ended is None else
                                ', exited with %s' % ended,
                                self.seen[-20:], self.log_tail()))
            self.seen.append(line)
            match = regex.fullmatch(line)
            if match:
                return match
            self.backlog.append(line)

    def refute(self, pattern, wait_s):
        """Fails if a line matching pattern comes within wait_s seconds.

        Lines read before (the backlog) do not count.
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + wait_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                return
            if line is None:
                self.lines.put(None)
                return
            self.seen.append(line)
            if regex.fullmatch(line):
                self.test.fail('%s: unexpected %r' % (self.name, line))
            self.backlog.append(line)

    def wait(self, timeout=TIMEOUT_S):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.test.fail('%s (pid %d) did not exit within %g s\n%s' %
                           (self.name, self.pid, timeout, self.log_tail()))

    def assert_exit(self, status, timeout=TIMEOUT_S):
        """Waits for the process to exit with status."""
        returned = self.wait(timeout)
        if returned != status:
            self.test.fail('%s (pid %d) exited with %d, expected %d\n%s' %
                           (self.name, self.pid, returned, status, self.log_tail()))

    def signal(self, signum):
        if self.proc.poll() is None:
            self.proc.send_signal(signum)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT_S)
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        self.reader.join(timeout=TIMEOUT_S)
        self.proc.stdout.close()


class App(Process):
    """A tapi-app.py application."""

    def __init__(self, test, name, env):
        self.app_name = name
        short = name.rsplit('.', 1)[-1]
        super().__init__(test, short, [PYTHON, APP_SCRIPT, name], env, stdin=True,
                         log=os.path.join(test.tmpdir, 'app-%s-%d.log' %
                                          (short, time.monotonic_ns())))

    def ready(self):
        """Waits for the application to initialize; returns its broker mode."""
        return self.expect(r'READY (\S+)', what='initialization').group(1)

    def do(self, command, timeout=TIMEOUT_S):
        """Sends a command and waits for its OK; returns the value after it."""
        word = command.split()[0]
        self.send(command)
        match = self.expect(r'(?:OK|ERR) %s(?: (.*))?' % re.escape(word), timeout,
                            what='reply to %s' % command)
        if match.group(0).startswith('ERR'):
            self.test.fail('%s: %s failed: %s' % (self.name, command, match.group(1)))
        return match.group(1)

    def do_fail(self, command, timeout=TIMEOUT_S):
        """Sends a command that must fail; returns its error nick."""
        word = command.split()[0]
        self.send(command)
        match = self.expect(r'(?:OK|ERR) %s(?: (\S+).*)?' % re.escape(word), timeout,
                            what='reply to %s' % command)
        if match.group(0).startswith('OK'):
            self.test.fail('%s: %s succeeded, expected an error' % (self.name, command))
        return match.group(1)

    def register(self, address, monitor=False, owner=True, media='audio'):
        return int(self.do('register %s %d %d %s' % (address, monitor, owner, media)))

    def place(self, address, destination, tone=None):
        """Starts a call; returns its id (the connect goes on)."""
        self.send('call %s %s%s' % (address, destination,
                                    '' if tone is None else ' %g' % tone))
        match = self.expect(r'(?:CREATED (\d+)|ERR call (.*))', what='create_call')
        if match.group(1) is None:
            self.test.fail('%s: create_call to %s failed: %s' %
                           (self.name, destination, match.group(2)))
        return int(match.group(1))

    def info(self, call_id):
        """(state, cause, privilege, owners, monitors) of a handle."""
        self.send('info %d' % call_id)
        match = self.expect(r'(?:CALL %d (\S+) (\S+) (\S+) (\d+) (\d+) \S+|ERR info .*)'
                            % call_id, what='info')
        if match.group(1) is None:
            self.test.fail('%s: info %d: %s' % (self.name, call_id, match.group(0)))
        return (match.group(1), match.group(2), match.group(3),
                int(match.group(4)), int(match.group(5)))


class DaemonTestCase(unittest.TestCase):
    """A private bus, a configuration directory and tapi3d on the bus."""

    start_daemon = True
    service_dir = False
    serial = 0

    def setUp(self):
        self.tapi3d_path = os.environ.get('TAPI3D')
        if not self.tapi3d_path or not os.access(self.tapi3d_path, os.X_OK):
            self.fail('TAPI3D must name the tapi3d executable')
        self.tmpdir = tempfile.mkdtemp(prefix='tapi3-daemon-test-')
        self.addCleanup(shutil.rmtree, self.tmpdir, ignore_errors=True)
        self.config_home = os.path.join(self.tmpdir, 'config')
        os.mkdir(self.config_home)
        self.daemons = []
        self.start_bus()
        if self.start_daemon:
            self.daemon = self.start_tapi3d()

    # The bus

    def start_bus(self):
        socket = os.path.join(self.tmpdir, 'bus')
        servicedir = ''
        if self.service_dir:
            services = os.path.join(self.tmpdir, 'services')
            os.mkdir(services)
            with open(os.path.join(services, BUS_NAME + '.service'), 'w') as f:
                f.write('[D-BUS Service]\nName=%s\nExec=%s --verbose\n' %
                        (BUS_NAME, self.tapi3d_path))
            servicedir = '<servicedir>%s</servicedir>' % services
        config = os.path.join(self.tmpdir, 'bus.conf')
        with open(config, 'w') as f:
            f.write(BUS_CONFIG.format(socket=socket, servicedir=servicedir))
        self.bus_address = 'unix:path=' + socket

        self.env = dict(os.environ)
        for variable in ('TAPI3_BROKER', 'TAPI3_PRIORITIES', 'TAPI3_SIM_CONFIG',
                         'DBUS_STARTER_ADDRESS', 'DBUS_STARTER_BUS_TYPE'):
            self.env.pop(variable, None)
        self.env.update({
            'DBUS_SESSION_BUS_ADDRESS': self.bus_address,
            'XDG_CONFIG_HOME': self.config_home,
            'PYTHONDONTWRITEBYTECODE': '1',
            'G_DEBUG': 'fatal-criticals',
        })
        # An activated tapi3d inherits the bus's environment, and its log.
        self.bus = Process(self, 'dbus-daemon',
                           ['dbus-daemon', '--config-file', config, '--nofork',
                            '--print-address=1'],
                           self.env, log=os.path.join(self.tmpdir, 'dbus-daemon.log'))
        self.bus.expect(r'unix:.*', what='the bus address')
        self.connection = Gio.DBusConnection.new_for_address_sync(
            self.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.addCleanup(self.connection.close_sync, None)

    def bus_call(self, method, args, reply_type):
        return self.connection.call_sync(
            'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
            method, args, GLib.VariantType(reply_type), Gio.DBusCallFlags.NONE,
            TIMEOUT_S * 1000, None).unpack()

    def name_owner(self):
        """The unique name owning org.libtapi3.Broker, or None."""
        try:
            return self.bus_call('GetNameOwner', GLib.Variant('(s)', (BUS_NAME,)), '(s)')[0]
        except GLib.Error:
            return None

    def wait_for(self, predicate, what, timeout=TIMEOUT_S):
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                self.fail('timed out waiting for %s' % what)
            time.sleep(0.05)

    # tapi3d

    def start_tapi3d(self, *args):
        """Starts tapi3d and waits until it owns the name."""
        DaemonTestCase.serial += 1
        daemon = Process(self, 'tapi3d', [self.tapi3d_path, '--verbose'] + list(args),
                         self.env, log=os.path.join(self.tmpdir, 'tapi3d-%d.log' %
                                                    DaemonTestCase.serial))
        self.daemons.append(daemon)

        def owned():
            if daemon.proc.poll() is not None:
                self.fail('tapi3d exited with %d\n%s' % (daemon.proc.returncode,
                                                         daemon.log_tail()))
            owner = self.name_owner()
            try:
                return owner is not None and self.owner_pid(owner) == daemon.pid
            except GLib.Error:
                # The owner we asked about left the bus in between (the
                # broker being replaced exits).
                return False

        self.wait_for(owned, 'tapi3d to own %s' % BUS_NAME)
        return daemon

    def owner_pid(self, unique_name):
        return self.bus_call('GetConnectionUnixProcessID',
                             GLib.Variant('(s)', (unique_name,)), '(u)')[0]

    def fd_count(self, pid):
        return len(os.listdir('/proc/%d/fd' % pid))

    # Applications

    def app(self, role, broker='session'):
        """Starts an application process and waits until it is initialized."""
        DaemonTestCase.serial += 1
        env = dict(self.env)
        if broker is not None:
            env['TAPI3_BROKER'] = broker
        app = App(self, 'org.libtapi3.Test.%s%d' % (role, DaemonTestCase.serial), env)
        mode = app.ready()
        app.mode = mode
        return app

    def connect_call(self, caller, callee, tone=None, address='101'):
        """caller rings address, callee (owner registered there) answers.

        Returns (caller's call id, callee's call id), both connected.
        """
        caller_call = caller.place('100', address, tone)
        offered = callee.expect(r'NOTIFY (\d+) owner offering owner', what='the offer')
        callee_call = int(offered.group(1))
        callee.do('answer %d' % callee_call)
        caller.expect(r'OK call %d' % caller_call, what='connect completing')
        caller.expect(r'STATE %d connected none' % caller_call)
        callee.expect(r'STATE %d connected none' % callee_call)
        return caller_call, callee_call

    def assert_holds_tone(self, path, frequency, min_seconds):
        """The WAV file at path holds min_seconds of a steady tone at frequency."""
        self.assertTrue(os.path.exists(path), 'no recording %s' % path)
        rate, samples = read_wav(path)
        self.assertGreaterEqual(len(samples), int(min_seconds * rate),
                                '%s holds %.2f s, expected at least %g s' %
                                (path, len(samples) / rate, min_seconds))
        # The last min_seconds, in blocks of 100 ms: the tone dominates each
        # block that holds it, and most blocks hold it.
        block = rate // 10
        tail = samples[-int(min_seconds * rate):]
        with_tone = 0
        n_blocks = len(tail) // block
        for i in range(n_blocks):
            chunk = tail[i * block:(i + 1) * block]
            tone = goertzel_power(chunk, rate, frequency)
            others = max(goertzel_power(chunk, rate, other)
                         for other in (400.0, 700.0, 1000.0, 1800.0, 2500.0)
                         if abs(other - frequency) > 150)
            # A sine of amplitude a has a power a² / 4 here: more than
            # 0.05 ≈ -26 dBFS.
            if tone > 0.0025 and tone > 50 * others:
                with_tone += 1
        self.assertGreaterEqual(with_tone, int(n_blocks * 0.8),
                                '%s: only %d of %d blocks hold %g Hz' %
                                (path, with_tone, n_blocks, frequency))


class TestHandoffAcrossProcesses(DaemonTestCase):

    def test_handoff_with_media_to_recorder(self):
        softphone = self.app('Softphone')
        recorder = self.app('Recorder')
        caller = self.app('Caller')
        for app in (softphone, recorder, caller):
            self.assertEqual(app.mode, 'session')
        # The softphone registered first: it is offered the call.
        softphone.register('101')
        recorder.register('101')
        prefix = os.path.join(self.tmpdir, 'recording-')
        recorder.do('auto-record %s' % prefix)

        caller_call, call = self.connect_call(caller, softphone, tone=CALLER_TONE_HZ)
        recorder.refute(r'NOTIFY .*', 0.3)

        softphone.do('handoff %d %s' % (call, recorder.app_name))
        recorder.expect(r'NOTIFY %d owner connected owner' % call, what='the handed-off call')
        recorder.expect(r'MEDIA %d stream-active \S+ render' % call,
                        what="the recorder's render stream")
        self.assertEqual(softphone.info(call)[:3], ('connected', 'none', 'monitor'))
        state, cause, privilege, owners, monitors = recorder.info(call)
        self.assertEqual((state, privilege, owners, monitors),
                         ('connected', 'owner', 1, 1))
        self.assertEqual(caller.info(caller_call)[0], 'connected')

        time.sleep(2.0)
        recorder.do('stop %d' % call)
        recorder.expect(r'MEDIA %d stream-inactive local-request render' % call)
        self.assert_holds_tone('%s%d.wav' % (prefix, call), CALLER_TONE_HZ, 1.5)

        recorder.do('disconnect %d' % call)
        caller.expect(r'STATE %d disconnected disconnect-normal' % caller_call)
        softphone.expect(r'STATE %d disconnected disconnect-normal' % call)


class TestApplicationKilled(DaemonTestCase):

    def test_owner_killed_call_goes_to_next_owner(self):
        softphone = self.app('Softphone')
        backup = self.app('Backup')
        caller = self.app('Caller')
        softphone.register('101')
        backup.register('101')
        prefix = os.path.join(self.tmpdir, 'backup-')
        backup.do('auto-record %s' % prefix)
        caller_call, call = self.connect_call(caller, softphone, tone=CALLER_TONE_HZ)
        softphone.do('tone %d 700' % call)
        softphone.expect(r'MEDIA %d stream-active \S+ capture' % call)

        softphone.proc.kill()
        softphone.wait()
        backup.expect(r'NOTIFY %d owner connected owner' % call,
                      what='the call of the killed owner')
        backup.expect(r'MEDIA %d stream-active \S+ render' % call)
        caller.refute(r'STATE %d disconnected .*' % caller_call, 0.5)
        self.assertEqual(caller.info(caller_call)[0], 'connected')
        self.assertEqual(backup.info(call)[:5], ('connected', 'none', 'owner', 1, 0))

        # The media goes on, now between the caller and the new owner.
        time.sleep(1.5)
        backup.do('stop %d' % call)
        self.assert_holds_tone('%s%d.wav' % (prefix, call), CALLER_TONE_HZ, 1.0)
        backup.do('disconnect %d' % call)
        caller.expect(r'STATE %d disconnected disconnect-normal' % caller_call)

    def test_owner_killed_call_dropped(self):
        softphone = self.app('Softphone')
        caller = self.app('Caller')
        softphone.register('101')
        # The caller watches the extension it rings, to see the far end.
        caller.register('101', monitor=True, owner=False)
        time.sleep(0.2)
        baseline = self.fd_count(self.daemon.pid)

        caller_call, call = self.connect_call(caller, softphone, tone=CALLER_TONE_HZ)
        caller.expect(r'NOTIFY %d monitor \S+ monitor' % call)
        softphone.do('tone %d 700' % call)
        softphone.expect(r'MEDIA %d stream-active \S+ capture' % call)
        # Each of the two calls has an RTP and an RTCP socket in the broker.
        self.assertGreaterEqual(self.fd_count(self.daemon.pid), baseline + 4)

        softphone.proc.kill()
        softphone.wait()
        caller.expect(r'STATE %d disconnected disconnect-failed' % call,
                      what='the killed owner\'s call dropped')
        caller.expect(r'STATE %d disconnected \S+' % caller_call,
                      what='the far end dropped')
        self.assertEqual(caller.info(call)[:2], ('disconnected', 'disconnect-failed'))
        caller.do('release %d' % caller_call)
        caller.do('release %d' % call)
        self.wait_for(lambda: self.fd_count(self.daemon.pid) <= baseline,
                      'the broker to close the media sockets (%d fds, %d before)' %
                      (self.fd_count(self.daemon.pid), baseline), timeout=5)
        # The broker serves on.
        other = caller.place('100', 'answer')
        caller.expect(r'OK call %d' % other)

    def test_owner_killed_before_answer(self):
        softphone = self.app('Softphone')
        backup = self.app('Backup')
        caller = self.app('Caller')
        softphone.register('101')
        backup.register('101')
        caller_call = caller.place('100', '101')
        call = int(softphone.expect(r'NOTIFY (\d+) owner offering owner').group(1))
        softphone.proc.kill()
        softphone.wait()
        backup.expect(r'NOTIFY %d owner offering owner' % call,
                      what='the offer passed on')
        backup.do('answer %d' % call)
        caller.expect(r'OK call %d' % caller_call)


class TestDaemonRestart(DaemonTestCase):

    def test_sigkill_and_reattach(self):
        softphone = self.app('Softphone')
        caller = self.app('Caller')
        softphone.register('101')
        caller_call, call = self.connect_call(caller, softphone)

        self.daemon.proc.kill()
        self.daemon.wait()
        softphone.expect(r'STATE %d disconnected disconnect-failed' % call,
                         what='the call of a dead broker')
        caller.expect(r'STATE %d disconnected disconnect-failed' % caller_call,
                      what='the call of a dead broker')
        self.assertEqual(caller.info(caller_call)[:2], ('disconnected', 'disconnect-failed'))
        self.assertEqual(softphone.do_fail('disconnect %d' % call), 'service-not-running')
        self.assertEqual(caller.do_fail('call 100 answer'), 'service-not-running')

        self.daemon = self.start_tapi3d()
        # Nobody registers again: the applications re-attach by themselves.
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            caller.send('call 100 101')
            match = caller.expect(r'(?:CREATED (\d+)|ERR call (\S+).*)')
            if match.group(1) is not None:
                break
            self.assertEqual(match.group(2), 'service-not-running')
            if time.monotonic() > deadline:
                self.fail('the caller did not re-attach to the new broker')
            time.sleep(0.2)
        new_caller_call = int(match.group(1))
        offered = softphone.expect(r'NOTIFY (\d+) owner offering owner',
                                   what='an offer through the old registration')
        softphone.do('answer %s' % offered.group(1))
        caller.expect(r'OK call %d' % new_caller_call)

    def test_sigterm_drops_calls(self):
        softphone = self.app('Softphone')
        caller = self.app('Caller')
        softphone.register('101')
        caller_call, call = self.connect_call(caller, softphone)
        service_call = caller.place('100', 'answer')
        caller.expect(r'OK call %d' % service_call)

        self.daemon.signal(signal.SIGTERM)
        self.daemon.assert_exit(0)
        # Every live call is dropped by the broker, whichever leg goes first.
        for app, call_id in ((softphone, call), (caller, caller_call),
                             (caller, service_call)):
            cause = app.expect(r'STATE %d disconnected (\S+)' % call_id,
                               what='call %d dropped' % call_id).group(1)
            self.assertEqual(cause, 'disconnect-failed',
                             '%s: call %d' % (app.name, call_id))
        self.assertIsNone(self.name_owner())

    def test_second_daemon_refused_and_replace(self):
        caller = self.app('Caller')
        second = Process(self, 'tapi3d-2', [self.tapi3d_path], self.env,
                         log=os.path.join(self.tmpdir, 'tapi3d-second.log'))
        self.assertNotEqual(second.wait(), 0)
        self.assertEqual(self.owner_pid(self.name_owner()), self.daemon.pid)
        call = caller.place('100', 'answer')
        caller.expect(r'OK call %d' % call)

        # --replace takes the name over; the old broker exits.
        old = self.daemon
        self.daemon = self.start_tapi3d('--replace')
        old.assert_exit(0)


class TestMalformedRequests(DaemonTestCase):

    def raw_connection(self):
        connection = Gio.DBusConnection.new_for_address_sync(
            self.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.addCleanup(self.close, connection)
        return connection

    def close(self, connection):
        if not connection.is_closed():
            connection.close_sync(None)

    def raw(self, connection, method, args=None, reply_type=None,
            path=BROKER_PATH, interface=BROKER_INTERFACE):
        return connection.call_sync(
            BUS_NAME, path, interface, method, args,
            GLib.VariantType(reply_type) if reply_type else None,
            Gio.DBusCallFlags.NONE, TIMEOUT_S * 1000, None)

    def assert_dbus_error(self, name, connection, method, args=None,
                          path=BROKER_PATH, interface=BROKER_INTERFACE):
        with self.assertRaises(GLib.Error) as raised:
            self.raw(connection, method, args, path=path, interface=interface)
        remote = Gio.DBusError.get_remote_error(raised.exception)
        if isinstance(name, tuple):
            self.assertIn(remote, name, raised.exception.message)
        else:
            self.assertEqual(remote, name, raised.exception.message)

    def test_malformed_calls(self):
        raw = self.raw_connection()
        v = GLib.Variant

        # Wrong argument types and counts.
        self.assert_dbus_error('org.freedesktop.DBus.Error.InvalidArgs', raw,
                               'Initialize', v('(u)', (7,)))
        self.assert_dbus_error('org.freedesktop.DBus.Error.InvalidArgs', raw,
                               'Initialize', v('(ss)', ('a', 'b')))
        self.assert_dbus_error('org.freedesktop.DBus.Error.InvalidArgs', raw,
                               'CreateCall', v('(s)', ('100',)))
        self.assert_dbus_error('org.freedesktop.DBus.Error.InvalidArgs', raw,
                               'Initialize', None)
        # Unknown object, interface and method.
        self.assert_dbus_error(('org.freedesktop.DBus.Error.UnknownObject',
                                'org.freedesktop.DBus.Error.UnknownMethod'), raw,
                               'Initialize', v('(s)', ('x',)), path='/org/libtapi3/Nothing')
        self.assert_dbus_error(('org.freedesktop.DBus.Error.UnknownInterface',
                                'org.freedesktop.DBus.Error.UnknownMethod'), raw,
                               'Initialize', v('(s)', ('x',)),
                               interface='org.libtapi3.Nothing1')
        self.assert_dbus_error('org.freedesktop.DBus.Error.UnknownMethod', raw,
                               'Explode', None)

        # Before Initialize, everything but Initialize is refused.
        for method, args in (('CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 8))),
                             ('RegisterNotifications', v('(sbbu)', ('100', False, True, 8))),
                             ('Connect', v('(u)', (1,))),
                             ('Shutdown', None)):
            self.assert_dbus_error('org.libtapi3.Error.NotInitialized', raw, method, args)

        self.assert_dbus_error('org.libtapi3.Error.InvalidArgument', raw,
                               'Initialize', v('(s)', ('',)))
        self.raw(raw, 'Initialize', v('(s)', ('org.libtapi3.Test.Raw',)), '(aa{sv})')
        self.assert_dbus_error('org.libtapi3.Error.Failed', raw,
                               'Initialize', v('(s)', ('org.libtapi3.Test.Raw',)))

        # Out-of-range values.
        self.assert_dbus_error('org.libtapi3.Error.InvalidAddress', raw,
                               'CreateCall', v('(ssbuu)', ('999', 'answer', True, 1, 8)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidAddressType', raw,
                               'CreateCall', v('(ssbuu)', ('100', 'answer', True, 3, 8)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidMediaType', raw,
                               'CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 0x40000)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidAddress', raw,
                               'CreateCall', v('(ssbuu)', ('100', '#!?', True, 1, 8)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidArgument', raw,
                               'RegisterNotifications', v('(sbbu)', ('100', False, False, 8)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidMediaType', raw,
                               'SetApplicationPriority', v('(sub)', ('x', 0x28, True)))
        info = self.raw(raw, 'CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 8)),
                        '(a{sv})').unpack()[0]
        own = info['call-id']
        self.assert_dbus_error('org.libtapi3.Error.InvalidArgument', raw,
                               'SetPrivilege', v('(uu)', (own, 7)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidCallState', raw,
                               'GetMedia', v('(u)', (own,)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidCallState', raw,
                               'Answer', v('(u)', (own,)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidMediaType', raw,
                               'HandoffIndirect', v('(uu)', (own, 3)))
        self.assert_dbus_error('org.libtapi3.Error.InvalidCallHandle', raw,
                               'Connect', v('(u)', (0xffffffff,)))

        # After Shutdown, refused again.
        self.raw(raw, 'Shutdown')
        self.assert_dbus_error('org.libtapi3.Error.NotInitialized', raw,
                               'GetCallInfo', v('(u)', (own,)))
        self.assert_dbus_error('org.libtapi3.Error.NotInitialized', raw,
                               'CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 8)))

        # The broker serves on.
        self.assertEqual(self.owner_pid(self.name_owner()), self.daemon.pid)
        app = self.app('After')
        call = app.place('100', 'answer')
        app.expect(r'OK call %d' % call)

    def test_errors_reach_applications_intact(self):
        # The first error this process sees comes from the broker.
        app = self.app('Errors')
        for destination, error in (('busy', 'dest-busy'),
                                   ('reject', 'dest-unavailable'),
                                   ('5555', 'invalid-address')):
            call = app.place('100', destination)
            match = app.expect(r'(?:OK|ERR) call(?: (\S+).*)?',
                               what='the connect to %s' % destination)
            self.assertEqual(match.group(1), error,
                             'connect to %s: %s' % (destination, match.group(0)))
            app.expect(r'STATE %d disconnected \S+' % call)

    def test_calls_of_another_application(self):
        owner = self.app('Owner')
        registration = owner.register('100', monitor=True, owner=True)
        call = owner.place('100', 'answer')
        owner.expect(r'OK call %d' % call)

        raw = self.raw_connection()
        v = GLib.Variant
        self.raw(raw, 'Initialize', v('(s)', ('org.libtapi3.Test.Intruder',)), '(aa{sv})')
        # Without a handle: the call does not exist for this application.
        for method, args in (('Disconnect', v('(uu)', (call, 0))),
                             ('GetMedia', v('(u)', (call,))),
                             ('GetCallInfo', v('(u)', (call,))),
                             ('HandoffDirect', v('(us)', (call, 'org.libtapi3.Test.Intruder'))),
                             ('SetPrivilege', v('(uu)', (call, 0))),
                             ('ReleaseCall', v('(u)', (call,)))):
            self.assert_dbus_error('org.libtapi3.Error.InvalidCallHandle', raw, method, args)
        # Another application's registration is not this one's to release.
        self.assert_dbus_error('org.libtapi3.Error.InvalidArgument', raw,
                               'UnregisterNotifications', v('(u)', (registration,)))

        # A monitor handle reads but does not control.
        self.raw(raw, 'RegisterNotifications', v('(sbbu)', ('100', True, False, 8)), '(u)')
        info = self.raw(raw, 'GetCallInfo', v('(u)', (call,)), '(a{sv})').unpack()[0]
        self.assertEqual(info['privilege'], 1)
        for method, args in (('Disconnect', v('(uu)', (call, 0))),
                             ('GetMedia', v('(u)', (call,))),
                             ('Hold', v('(ub)', (call, True))),
                             ('HandoffDirect', v('(us)', (call, owner.app_name))),
                             ('SetAppSpecific', v('(uu)', (call, 5)))):
            self.assert_dbus_error('org.libtapi3.Error.NotOwner', raw, method, args)
        self.assertEqual(owner.info(call)[:4], ('connected', 'none', 'owner', 1))

        # The owner's registration still works.
        owner.do('unregister %d' % registration)

        # A client that goes away in the middle of a request.
        quitter = self.raw_connection()
        self.raw(quitter, 'Initialize', v('(s)', ('org.libtapi3.Test.Quitter',)), '(aa{sv})')
        ringing = self.raw(quitter, 'CreateCall',
                           v('(ssbuu)', ('100', 'ringing', True, 1, 8)),
                           '(a{sv})').unpack()[0]['call-id']
        quitter.call('org.libtapi3.Broker', BROKER_PATH, BROKER_INTERFACE, 'Connect',
                     v('(u)', (ringing,)), None, Gio.DBusCallFlags.NONE, -1, None,
                     None, None)
        quitter.flush_sync(None)
        quitter.close_sync(None)

        # The broker serves on.
        other = owner.place('100', 'answer')
        owner.expect(r'OK call %d' % other)
        self.assertEqual(self.owner_pid(self.name_owner()), self.daemon.pid)
        self.assertIsNone(self.daemon.proc.poll())


    def test_flooding_client_is_limited(self):
        app = self.app('Neighbour')
        app.register('100', monitor=True, owner=False)
        raw = self.raw_connection()
        v = GLib.Variant

        # Strings beyond 1024 bytes are refused before anything is kept.
        huge = 'x' * (1024 * 1024)
        self.assert_dbus_error('org.libtapi3.Error.InvalidArgument', raw,
                               'Initialize', v('(s)', (huge,)))
        self.raw(raw, 'Initialize', v('(s)', ('org.libtapi3.Test.Flood',)), '(aa{sv})')
        for method, args in (
                ('CreateCall', v('(ssbuu)', ('100', huge, True, 1, 8))),
                ('RegisterNotifications', v('(sbbu)', (huge, True, False, 8))),
                ('SetApplicationPriority', v('(sub)', ('y' * 1025, 8, True)))):
            self.assert_dbus_error('org.libtapi3.Error.InvalidArgument', raw,
                                   method, args)

        # 64 registrations, 256 calls: then each request is refused.
        for _ in range(64):
            self.raw(raw, 'RegisterNotifications', v('(sbbu)', ('101', True, False, 8)), '(u)')
        self.assert_dbus_error('org.libtapi3.Error.ResourceUnavailable', raw,
                               'RegisterNotifications', v('(sbbu)', ('101', True, False, 8)))
        calls = [self.raw(raw, 'CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 8)),
                          '(a{sv})').unpack()[0]['call-id'] for _ in range(256)]
        self.assert_dbus_error('org.libtapi3.Error.ResourceUnavailable', raw,
                               'CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 8)))
        self.raw(raw, 'ReleaseCall', v('(u)', (calls[0],)))
        self.raw(raw, 'CreateCall', v('(ssbuu)', ('100', 'answer', True, 1, 8)), '(a{sv})')

        # The neighbour, monitoring all 256 of them, works as before.
        own = app.place('100', 'answer')
        app.expect(r'OK call %d' % own)
        self.assertEqual(app.info(own)[:3], ('connected', 'none', 'owner'))
        app.do('disconnect %d' % own)
        app.expect(r'STATE %d disconnected disconnect-normal' % own)
        self.assertEqual(self.owner_pid(self.name_owner()), self.daemon.pid)

    def test_signals_from_others_are_ignored(self):
        # Any bus client can send a signal to an application's connection;
        # only those from the broker's unique name count.
        owner = self.app('Owner')
        owner.register('100', monitor=False, owner=True)
        call = owner.place('100', 'answer')
        owner.expect(r'OK call %d' % call)

        names = self.bus_call('ListNames', None, '(as)')[0]
        targets = [name for name in names if name.startswith(':') and
                   self.owner_pid(name) == owner.pid]
        self.assertTrue(targets, 'the application has no connection on the bus')

        spoofer = self.raw_connection()
        v = GLib.Variant
        for name in targets:
            spoofer.emit_signal(name, BROKER_PATH, BROKER_INTERFACE, 'CallStateChanged',
                                v('(uuua{sv})', (call, 3, 7, {})))
            spoofer.emit_signal(name, BROKER_PATH, BROKER_INTERFACE, 'CallHandleRemoved',
                                v('(u)', (call,)))
        spoofer.flush_sync(None)

        # Nothing happened to the call; the broker's own signals still come.
        owner.refute(r'STATE %d disconnected' % call, 1.0)
        self.assertEqual(owner.info(call)[:3], ('connected', 'none', 'owner'))
        owner.do('disconnect %d' % call)
        owner.expect(r'STATE %d disconnected disconnect-normal' % call)


class TestPriorities(DaemonTestCase):

    def offered_to(self, first, second, caller):
        """Rings 101; returns which of first and second is offered the call."""
        call = caller.place('100', '101')
        deadline = time.monotonic() + TIMEOUT_S
        winner = None
        while winner is None and time.monotonic() < deadline:
            for app in (first, second):
                try:
                    line = app.lines.get(timeout=0.05)
                except queue.Empty:
                    continue
                if line is None:
                    self.fail('%s exited' % app.name)
                app.seen.append(line)
                match = re.fullmatch(r'NOTIFY (\d+) owner offering owner', line)
                if match:
                    winner = (app, int(match.group(1)))
                    break
                app.backlog.append(line)
        if winner is None:
            self.fail('the call to 101 was offered to nobody')
        app, app_call = winner
        loser = second if app is first else first
        loser.refute(r'NOTIFY .* owner .*', 0.5)
        app.do('disconnect %d' % app_call)
        caller.expect(r'STATE %d disconnected \S+' % call)
        caller.expect(r'(?:OK|ERR) call.*', what='the end of the connect')
        return app

    def owners(self):
        low = self.app('Low')
        high = self.app('High')
        caller = self.app('Caller')
        low.register('101')
        high.register('101')
        return low, high, caller

    def test_priority_survives_restart(self):
        low, high, caller = self.owners()
        # First registration first, without priorities.
        self.assertIs(self.offered_to(low, high, caller), low)

        caller.do('priority %s audio 1' % high.app_name)
        path = os.path.join(self.config_home, 'tapi3', 'priorities.conf')
        self.assertTrue(os.path.exists(path), 'no %s' % path)
        keyfile = GLib.KeyFile()
        keyfile.load_from_file(path, GLib.KeyFileFlags.NONE)
        self.assertEqual(keyfile.get_string_list('priorities', 'audio'), [high.app_name])
        self.assertIs(self.offered_to(low, high, caller), high)

        for app in (low, high, caller):
            app.send('quit')
            app.assert_exit(0)
        self.daemon.signal(signal.SIGTERM)
        self.daemon.assert_exit(0)
        self.daemon = self.start_tapi3d()

        # New processes of the same applications, registered in the same
        # order: the saved priority decides.
        low2 = App(self, low.app_name, dict(self.env, TAPI3_BROKER='session'))
        high2 = App(self, high.app_name, dict(self.env, TAPI3_BROKER='session'))
        caller2 = self.app('Caller')
        for app in (low2, high2):
            app.ready()
        low2.register('101')
        high2.register('101')
        self.assertIs(self.offered_to(low2, high2, caller2), high2)

        # Taking the priority away restores first registration first.
        caller2.do('priority %s audio 0' % high.app_name)
        self.assertIs(self.offered_to(low2, high2, caller2), low2)
        keyfile = GLib.KeyFile()
        keyfile.load_from_file(path, GLib.KeyFileFlags.NONE)
        self.assertFalse(keyfile.has_key('priorities', 'audio')
                         if keyfile.has_group('priorities') else False)


class TestModeSelection(DaemonTestCase):

    def test_unset_with_daemon_is_session(self):
        app = self.app('Auto', broker=None)
        self.assertEqual(app.mode, 'session')
        call = app.place('100', 'answer')
        app.expect(r'OK call %d' % call)

    def test_explicit_session_and_embedded(self):
        self.assertEqual(self.app('Session', broker='session').mode, 'session')
        self.assertEqual(self.app('Embedded', broker='embedded').mode, 'embedded')


class TestModeWithoutDaemon(DaemonTestCase):

    start_daemon = False

    def test_unset_without_daemon_is_embedded(self):
        app = self.app('Auto', broker=None)
        self.assertEqual(app.mode, 'embedded')
        call = app.place('100', 'answer')
        app.expect(r'OK call %d' % call)
        self.assertIsNone(self.name_owner())

    def test_session_without_daemon_fails(self):
        DaemonTestCase.serial += 1
        app = App(self, 'org.libtapi3.Test.NoBroker%d' % DaemonTestCase.serial,
                  dict(self.env, TAPI3_BROKER='session'))
        match = app.expect(r'(?:READY|FAILED init) (\S+).*')
        self.assertTrue(match.group(0).startswith('FAILED'), match.group(0))
        self.assertEqual(match.group(1), 'service-not-running')
        self.assertNotEqual(app.wait(), 0)


class TestActivation(DaemonTestCase):

    start_daemon = False
    service_dir = True

    def activated_daemon(self):
        self.wait_for(lambda: self.name_owner() is not None, 'the activated tapi3d')
        pid = self.owner_pid(self.name_owner())
        self.addCleanup(self.kill_pid, pid)
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            argv0 = f.read().split(b'\0')[0].decode()
        self.assertEqual(os.path.realpath(argv0), os.path.realpath(self.tapi3d_path))
        return pid

    def kill_pid(self, pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def test_first_client_activates(self):
        self.assertIsNone(self.name_owner())
        activatable = self.bus_call('ListActivatableNames', None, '(as)')[0]
        self.assertIn(BUS_NAME, activatable)
        app = self.app('Auto', broker=None)
        self.activated_daemon()
        self.assertEqual(app.mode, 'session')
        call = app.place('100', 'answer')
        app.expect(r'OK call %d' % call)

    def test_session_client_activates(self):
        self.assertIsNone(self.name_owner())
        app = self.app('Session', broker='session')
        self.activated_daemon()
        self.assertEqual(app.mode, 'session')
        call = app.place('100', 'answer')
        app.expect(r'OK call %d' % call)


if __name__ == '__main__':
    unittest.main()
