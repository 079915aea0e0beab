#!/usr/bin/python3
# tapi3-test-cli.py: bad invocations of tapi3 fail with a clear message,
# "tapi3 addresses" shows the simulated PBX, and "tapi3 call" plays,
# records, sends and detects digits and detects fax tones; on a private
# session bus with tapi3d, monitor, calls, answer, handoff, transfer, hangup
# and "demo --session" work across processes.
#
# Usage: tapi3-test-cli.py TAPI3 TAPI3D [TEST…]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import array
import cmath
import math
import os
import queue
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import wave

TAPI3 = None
TAPI3D = None


def run(*args, timeout=60, env=None):
    env = dict(os.environ, TAPI3_BROKER="embedded", LC_ALL="C.UTF-8",
               **(env or {}))
    return subprocess.run([TAPI3, *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def read_wav(path):
    """Returns the sample rate and the first channel, from -1 to 1."""
    with wave.open(path, "rb") as wav:
        rate = wav.getframerate()
        width = wav.getsampwidth()
        channels = wav.getnchannels()
        frames = wav.readframes(wav.getnframes())
    if width != 2:
        raise ValueError("%s: %d-bit samples, expected 16" % (path, width * 8))
    samples = array.array("h", frames)
    if sys.byteorder != "little":
        samples.byteswap()
    return rate, [value / 32768.0 for value in samples[::channels]]


def write_tone_wav(path, frequency, seconds, rate=8000):
    with wave.open(path, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(
            struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency *
                                                   i / rate)))
            for i in range(int(rate * seconds))))


def fft(values):
    """In-place iterative radix-2 FFT of a list of complex numbers."""
    n = len(values)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            values[i], values[j] = values[j], values[i]
    size = 2
    while size <= n:
        step = cmath.exp(-2j * math.pi / size)
        for start in range(0, n, size):
            twiddle = 1
            for k in range(size // 2):
                even = values[start + k]
                odd = values[start + k + size // 2] * twiddle
                values[start + k] = even + odd
                values[start + k + size // 2] = even - odd
                twiddle *= step
        size *= 2
    return values


def dominant_frequency(samples, rate):
    """The strongest frequency in the middle of @samples (1 Hz apart at
    8 kHz), and the RMS level of the whole in dBFS."""
    n = 1
    while n * 2 <= min(len(samples), 8192):
        n *= 2
    if n < 256:
        raise ValueError("only %d samples" % len(samples))
    start = (len(samples) - n) // 2
    window = [samples[start + i] *
              (0.5 - 0.5 * math.cos(2 * math.pi * i / (n - 1)))
              for i in range(n)]
    spectrum = fft([complex(value) for value in window])
    magnitudes = [abs(value) for value in spectrum[1:n // 2]]
    peak = max(range(len(magnitudes)), key=magnitudes.__getitem__) + 1
    power = sum(value * value for value in samples) / len(samples)
    level = 10 * math.log10(power) if power > 0 else -100.0
    return peak * rate / n, level


class BadInput(unittest.TestCase):
    def assertFailsWith(self, result, pattern):
        self.assertNotEqual(result.returncode, 0, result)
        self.assertLess(result.returncode, 128,
                        "killed by a signal: %r" % (result,))
        self.assertRegex(result.stderr, pattern)

    def test_no_command(self):
        self.assertFailsWith(run(), r"Usage:")

    def test_unknown_command(self):
        self.assertFailsWith(run("frobnicate"),
                             r'tapi3: unknown command "frobnicate"')

    def test_unknown_option(self):
        self.assertFailsWith(run("addresses", "--bogus"),
                             r"tapi3: Unknown option --bogus")

    def test_unknown_address(self):
        result = run("call", "999", "101", "--duration", "1")
        self.assertFailsWith(result, r'tapi3: unknown address "999"')
        self.assertIn("100, 101, 102, 103", result.stderr)

    def test_unknown_address_listing(self):
        self.assertFailsWith(run("addresses", "100", "nosuch"),
                             r'tapi3: unknown address "nosuch"')

    def test_malformed_destination(self):
        result = run("call", "100", "10#1 ?", "--duration", "1")
        self.assertFailsWith(result,
                             r'tapi3: cannot call "10#1 \?" from 100: \S')

    def test_empty_destination(self):
        self.assertFailsWith(run("call", "100", "", "--duration", "1"),
                             r'tapi3: cannot call "" from 100: \S')

    def test_missing_destination(self):
        self.assertFailsWith(run("call", "100"),
                             r"tapi3: expected FROM and TO")

    def test_negative_duration(self):
        result = run("call", "100", "answer", "--duration", "-2")
        self.assertFailsWith(result, r"tapi3: --duration must not be negative")

    def test_busy_destination(self):
        result = run("call", "100", "busy", "--duration", "5")
        self.assertFailsWith(result, r"tapi3: the call failed: \S")
        self.assertIn("state disconnected (cause disconnect-busy)",
                      result.stdout)

    def test_tone_out_of_range(self):
        for value in ("0", "-5", "30000", "abc", ""):
            result = run("call", "100", "answer", "--tone", value,
                         "--duration", "1")
            self.assertFailsWith(result, r"tapi3: --tone takes a frequency "
                                         r"in hertz from 1 to 20000, not "
                                         r'"%s"' % re.escape(value))
            self.assertNotIn("calling", result.stdout)

    def test_tone_and_play(self):
        result = run("call", "100", "answer", "--tone", "440", "--play",
                     __file__, "--duration", "1")
        self.assertFailsWith(result, r"tapi3: --tone and --play both send on "
                                     r"the capture stream")

    def test_play_missing_file(self):
        path = os.path.join(tempfile.gettempdir(), "tapi3-no-such-%d.wav" %
                            os.getpid())
        result = run("call", "100", "echo", "--play", path, "--duration", "1")
        self.assertFailsWith(result, r'tapi3: cannot play "%s": No such file'
                                     % re.escape(path))
        self.assertNotIn("calling", result.stdout)

    def test_play_directory(self):
        directory = tempfile.gettempdir()
        result = run("call", "100", "echo", "--play", directory,
                     "--duration", "1")
        self.assertFailsWith(result, r'tapi3: cannot play "%s": it is a '
                                     r"directory" % re.escape(directory))

    def test_record_bad_extension(self):
        result = run("call", "100", "tone", "--record", "/tmp/tapi3-x.mp3",
                     "--duration", "1")
        self.assertFailsWith(result, r'tapi3: cannot record to '
                                     r'"/tmp/tapi3-x.mp3": the file name must '
                                     r"end in \.wav")

    def test_record_unwritable(self):
        # A directory that does not exist cannot be written even by root.
        path = "/nonexistent-%d/recording.wav" % os.getpid()
        began = time.monotonic()
        result = run("call", "100", "tone", "--record", path,
                     "--duration", "10")
        elapsed = time.monotonic() - began
        self.assertFailsWith(result, r'tapi3: cannot record to "%s" '
                                     r"\(terminal-fail, cause \S+\)"
                                     % re.escape(path))
        self.assertRegex(result.stdout,
                         r"media terminal-fail \(cause \S+\), render "
                         r"stream, file-recording terminal")
        # The failure hangs up at once rather than at --duration.
        self.assertIn("state disconnected (cause disconnect-normal)",
                      result.stdout)
        self.assertLess(elapsed, 8, result)
        self.assertFalse(os.path.exists(path))

    def test_bad_digits(self):
        result = run("call", "100", "echo", "--digits", "12x4",
                     "--duration", "1")
        self.assertFailsWith(result, r'tapi3: --digits: "x" is not a DTMF '
                                     r"digit")
        self.assertNotIn("calling", result.stdout)
        self.assertFailsWith(run("call", "100", "echo", "--digits", "",
                                 "--duration", "1"),
                             r"tapi3: --digits needs at least one digit")

    def test_demo_arguments(self):
        self.assertFailsWith(run("demo", "extra"),
                             r'tapi3: unexpected argument "extra"')


class GoodInput(unittest.TestCase):
    def test_help(self):
        for command in ([], ["addresses"], ["call"], ["demo"], ["monitor"],
                        ["calls"], ["answer"], ["handoff"], ["transfer"],
                        ["hangup"]):
            result = run(*command, "--help")
            self.assertEqual(result.returncode, 0, result)
            self.assertIn("Usage:", result.stdout)

    def test_help_lists_commands(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0, result)
        for command in ("addresses", "call", "answer", "monitor", "calls",
                        "handoff", "transfer", "hangup", "demo"):
            self.assertRegex(result.stdout, r"\n  %s +\S" % command)
        self.assertIn("session broker", result.stdout)
        result = run("help", "handoff")
        self.assertEqual(result.returncode, 0, result)
        self.assertIn("tapi3 handoff [OPTION…] CALL", result.stdout)
        self.assertIn("target-not-found", result.stdout)
        self.assertIn("TAPI3_BROKER=embedded", result.stdout)
        self.assertIn("--session", run("help", "demo").stdout)

    def test_embedded_calls(self):
        # The embedded broker of a new process has no calls.
        result = run("calls")
        self.assertEqual((result.returncode, result.stdout), (0, "no calls\n"),
                         result)
        result = run("hangup", "1")
        self.assertEqual(result.returncode, 1, result)
        self.assertIn("tapi3: no live call 1 (the embedded broker sees only "
                      "this process's calls", result.stderr)

    def test_addresses(self):
        result = run("addresses")
        self.assertEqual(result.returncode, 0, result)
        blocks = re.split(r"\n(?=Address )", result.stdout.strip())
        names = [block.split("\n", 1)[0] for block in blocks]
        self.assertEqual(names, ["Address 100", "Address 101",
                                 "Address 102", "Address 103"])
        for block in blocks:
            fields = dict(re.findall(r"^  ([a-z ]+):\s+(.*(?:\n {22}.*)*)",
                                     block, re.M))
            self.assertEqual(fields["provider"], "sim")
            self.assertEqual(fields["state"], "in-service")
            self.assertEqual(fields["media types"], "audio, g3fax")
            features = re.split(r",\s+", fields["call features"])
            for feature in ("connect", "answer", "disconnect", "hold",
                            "handoff", "blind-transfer", "transfer",
                            "conference", "swap-hold", "park", "unpark",
                            "pickup", "dial"):
                self.assertIn(feature, features)

    def test_addresses_terse(self):
        result = run("addresses", "--terse", "102")
        self.assertEqual(result.returncode, 0, result)
        fields = result.stdout.strip().split(":")
        self.assertEqual(fields[0], "102")
        self.assertEqual(fields[2:5], ["sim", "in-service", "audio,g3fax"])
        self.assertIn("blind-transfer", fields[6].split(","))

    def test_addresses_terse_escapes_colons(self):
        # A SIP account's dialable address is a URI, full of colons.
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(tmp, "sip.conf")
            with open(config, "w") as f:
                f.write("[account:alice]\n"
                        "uri=sip:alice@127.0.0.1\n"
                        "bind=sip:127.0.0.1:0\n")
            result = run("addresses", "--terse", "alice",
                         env={"TAPI3_SIP_CONFIG": config})
        self.assertEqual(result.returncode, 0, result)
        line = result.stdout.strip()
        self.assertTrue(line.startswith("alice:sip\\:alice@127.0.0.1:sip:"), line)
        fields = re.split(r"(?<!\\):", line)
        self.assertEqual(len(fields), 7, fields)
        self.assertEqual(fields[1].replace("\\:", ":"), "sip:alice@127.0.0.1")
        self.assertEqual(fields[2], "sip")

    def test_call_answer(self):
        result = run("call", "100", "answer", "--duration", "0.5")
        self.assertEqual(result.returncode, 0, result)
        self.assertIn("state connected", result.stdout)
        self.assertIn("state disconnected (cause disconnect-normal)",
                      result.stdout)


class Media(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="tapi3-test-cli-")

    def tearDown(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.directory, name)

    def assertTone(self, path, frequency, min_seconds):
        rate, samples = read_wav(path)
        self.assertGreaterEqual(len(samples) / rate, min_seconds,
                                "%s is too short" % path)
        found, level = dominant_frequency(samples, rate)
        self.assertAlmostEqual(found, frequency, delta=5,
                               msg="%s: dominant frequency %.1f Hz" %
                               (path, found))
        self.assertGreater(level, -40, "%s: %.1f dBFS" % (path, level))

    def assertCallOk(self, result):
        self.assertEqual(result.returncode, 0, result)
        self.assertIn("state connected", result.stdout)
        self.assertIn("state disconnected (cause disconnect-normal)",
                      result.stdout)
        self.assertNotRegex(result.stdout, r"media (stream|terminal)-fail")

    def test_record_tone_service(self):
        path = self.path("tone-%d.wav" % os.getpid())
        result = run("call", "100", "tone", "--record", path,
                     "--duration", "2")
        self.assertCallOk(result)
        self.assertRegex(result.stdout,
                         r"media stream-active \(cause [a-z-]+\), render "
                         r"stream, file-recording terminal")
        # Stopped before hanging up, so the file is complete.
        self.assertRegex(result.stdout,
                         r"media stream-inactive \(cause local-request\), "
                         r"render stream")
        self.assertIn("Recorded to %s" % path, result.stdout)
        self.assertTone(path, 1000, 1.0)

    def test_record_ogg(self):
        path = self.path("tone.ogg")
        self.assertCallOk(run("call", "100", "tone", "--record", path,
                              "--duration", "1.5"))
        with open(path, "rb") as recording:
            head = recording.read(64)
        self.assertTrue(head.startswith(b"OggS"), head)
        self.assertIn(b"OpusHead", head)

    def test_tone_through_echo(self):
        path = self.path("echo.wav")
        result = run("call", "100", "echo", "--tone", "600", "--record", path,
                     "--duration", "2.5")
        self.assertCallOk(result)
        self.assertRegex(result.stdout,
                         r"media stream-active \(cause [a-z-]+\), capture "
                         r"stream, tone terminal")
        self.assertTone(path, 600, 1.0)

    def test_play_through_echo(self):
        source = self.path("source.wav")
        path = self.path("echo.wav")
        write_tone_wav(source, 700, 4)
        result = run("call", "100", "echo", "--play", source, "--record", path,
                     "--duration", "2.5")
        self.assertCallOk(result)
        self.assertRegex(result.stdout,
                         r"media stream-active \(cause [a-z-]+\), capture "
                         r"stream, file-playback terminal")
        self.assertTone(path, 700, 1.0)

    def test_levels(self):
        result = run("call", "100", "tone", "--record", self.path("l.wav"),
                     "--levels", "--duration", "3.3")
        self.assertCallOk(result)
        levels = [float(value) for value in
                  re.findall(r"level render (-?[0-9.]+) dBFS", result.stdout)]
        self.assertGreaterEqual(len(levels), 2, result.stdout)
        for level in levels:
            self.assertGreater(level, -40, result.stdout)
            self.assertLessEqual(level, 0, result.stdout)

    def test_digits_through_echo(self):
        result = run("call", "100", "echo", "--digits", "1234#",
                     "--duration", "4")
        self.assertCallOk(result)
        self.assertIn("sending digits 1234#", result.stdout)
        detected = re.findall(r"digit detected: (\S) \(dtmf\)", result.stdout)
        self.assertEqual("".join(detected), "1234#", result.stdout)
        self.assertIn("Digits detected: 1234#", result.stdout)

    def test_detect_digits_from_service(self):
        # The service sends its digits once; the time only has to cover
        # a slow start of the media (sanitizer builds, a loaded machine).
        result = run("call", "100", "dtmf:*159D", "--detect-digits",
                     "--duration", "6")
        self.assertCallOk(result)
        detected = re.findall(r"digit detected: (\S) \(dtmf\)", result.stdout)
        self.assertEqual("".join(detected), "*159D", result.stdout)

    def test_no_digits_from_tone(self):
        result = run("call", "100", "tone", "--detect-digits",
                     "--duration", "1.5")
        self.assertCallOk(result)
        self.assertNotIn("digit detected", result.stdout)
        self.assertIn("Digits detected: none", result.stdout)

    def test_detect_fax(self):
        result = run("call", "100", "fax", "--detect-media",
                     "--duration", "1.5")
        self.assertCallOk(result)
        self.assertEqual(re.findall(r"media detected: (.*)", result.stdout),
                         ["g3fax"], result.stdout)

    def test_no_fax_in_tone(self):
        # 1000 Hz is close to the 1100 Hz calling tone, but not it.
        result = run("call", "100", "tone", "--detect-media",
                     "--duration", "1.5")
        self.assertCallOk(result)
        self.assertNotIn("media detected", result.stdout)


class Process:
    """A child process whose output lines are collected as they come."""

    def __init__(self, args, env):
        self.args = args
        self.popen = subprocess.Popen(args, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True,
                                      env=env)
        self.lines = []
        self.errors = []
        self.cond = threading.Condition()
        self.searched = 0
        self.threads = [threading.Thread(target=self.read,
                                         args=(self.popen.stdout, self.lines),
                                         daemon=True),
                        threading.Thread(target=self.read,
                                         args=(self.popen.stderr, self.errors),
                                         daemon=True)]
        for thread in self.threads:
            thread.start()

    def read(self, stream, lines):
        for line in stream:
            with self.cond:
                lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, pattern, timeout=10):
        """The first line after the last one found that matches."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self.cond:
            while True:
                while self.searched < len(self.lines):
                    line = self.lines[self.searched]
                    self.searched += 1
                    match = regex.search(line)
                    if match:
                        return match
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        "%s printed no line matching %r within %s s:\n%s\n"
                        "stderr:\n%s" % (" ".join(self.args[1:]), pattern,
                                         timeout, "\n".join(self.lines),
                                         "\n".join(self.errors)))
                self.cond.wait(min(left, 0.2))

    def close(self):
        for thread in self.threads:
            thread.join(5)
        self.popen.stdout.close()
        self.popen.stderr.close()

    def finish(self, timeout=15):
        status = self.popen.wait(timeout)
        self.close()
        return status

    def stop(self):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(5)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if not self.popen.stdout.closed:
            self.close()
        return self.popen.returncode

    @property
    def output(self):
        with self.cond:
            return "\n".join(self.lines)


class SessionBroker(unittest.TestCase):
    """The commands against tapi3d on a private session bus."""

    def setUp(self):
        self.processes = []
        self.directory = tempfile.mkdtemp(prefix="tapi3-test-session-")
        self.bus = subprocess.Popen(["dbus-daemon", "--session",
                                     "--print-address", "--nofork"],
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
        address = self.bus.stdout.readline().strip()
        self.assertTrue(address.startswith("unix:"), address)
        self.env = dict(os.environ, LC_ALL="C.UTF-8", TAPI3_BROKER="session",
                        DBUS_SESSION_BUS_ADDRESS=address,
                        XDG_CONFIG_HOME=os.path.join(self.directory,
                                                     "config"))
        self.env.pop("DISPLAY", None)
        self.daemon = None
        self.start_daemon()

    def tearDown(self):
        for process in reversed(self.processes):
            process.stop()
        if self.daemon is not None:
            self.stop_daemon()
        self.bus.terminate()
        self.bus.wait(5)
        self.bus.stdout.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def broker_running(self):
        result = subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
             "--object-path", "/org/freedesktop/DBus", "--method",
             "org.freedesktop.DBus.NameHasOwner", "org.libtapi3.Broker"],
            capture_output=True, text=True, env=self.env, timeout=10)
        return result.stdout.strip() == "(true,)"

    def start_daemon(self):
        self.daemon = subprocess.Popen([TAPI3D], env=self.env,
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.broker_running():
            self.assertIsNone(self.daemon.poll(), "tapi3d exited")
            self.assertLess(time.monotonic(), deadline, "tapi3d did not start")
            time.sleep(0.05)

    def stop_daemon(self):
        self.daemon.terminate()
        try:
            self.daemon.wait(10)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
            self.daemon.wait()
        self.daemon = None

    def run_tapi3(self, *args, timeout=60):
        return subprocess.run([TAPI3, *args], capture_output=True, text=True,
                              timeout=timeout, env=self.env)

    def start(self, *args):
        process = Process([TAPI3, *args], self.env)
        self.processes.append(process)
        return process

    def start_call(self, *args):
        """Places a call from another process; returns it and its id once
        it is connected."""
        process = self.start("call", *args)
        call_id = process.wait_line(r"call (\d+)  calling").group(1)
        process.wait_line(r"call %s  state connected" % call_id)
        return process, call_id

    def start_answer(self, address, application, *args):
        process = self.start("answer", address, "--application", application,
                             *args)
        process.wait_line(r"^\S+  waiting for calls on %s as %s" %
                          (address, re.escape(application)))
        return process

    def assertFails(self, result, status, pattern):
        self.assertEqual(result.returncode, status, result)
        self.assertRegex(result.stderr, pattern)

    def test_monitor_sees_call_in_order(self):
        monitor = self.start("monitor")
        monitor.wait_line(r"^\d\d:\d\d:\d\d\.\d{3}  monitoring 100, 101, "
                          r"102, 103$")
        result = self.run_tapi3("call", "100", "answer", "--duration", "2")
        self.assertEqual(result.returncode, 0, result)
        call_id = re.search(r"call (\d+)  calling", result.stdout).group(1)
        prefix = r"^\d\d:\d\d:\d\d\.\d{3}  call %s  " % call_id
        monitor.wait_line(prefix + r"notification monitor: address 100, "
                          r"state idle, 100 → answer, owners 1, monitors 1, "
                          r"media audio$")
        monitor.wait_line(prefix + r"state in-progress \(cause none\)$")
        monitor.wait_line(prefix + r"connected-id = answer")
        monitor.wait_line(prefix + r"state connected \(cause none\)$")
        monitor.wait_line(prefix + r"state disconnected "
                          r"\(cause disconnect-normal\)$")
        self.assertEqual(monitor.stop(), 0, monitor.errors)
        self.assertEqual(monitor.errors, [])

    def test_monitor_live_call_and_count(self):
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        # A call that is live already comes before the "monitoring" line.
        result = self.run_tapi3("monitor", "--count", "1", "--timeout", "10")
        self.assertEqual(result.returncode, 0, result)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        self.assertRegex(lines[0], r"  call %s  notification monitor: address "
                         r"100, state connected, 100 → answer, owners 1, "
                         r"monitors 1, media audio$" % call_id)
        self.assertRegex(lines[1], r"  monitoring 100, 101, 102, 103$")
        result = self.run_tapi3("monitor", "--address", "101", "--count", "3",
                                "--timeout", "0.5")
        self.assertFails(result, 1, r"^tapi3: 0 of 3 events came within 0.5 s")
        self.assertRegex(result.stdout, r"  monitoring 101\n$")

    def test_monitor_sees_privilege_and_owner_changes(self):
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        self.start_answer("100", "org.example.Recorder")
        monitor = self.start("monitor", "--address", "100")
        monitor.wait_line(r"  monitoring 100$")
        result = self.run_tapi3("handoff", call_id, "--to",
                                "org.example.Recorder")
        self.assertEqual(result.returncode, 0, result)
        monitor.wait_line(r"  call %s  number-of-owners = 2$" % call_id)
        caller.wait_line(r"  call %s  number-of-owners = 2$" % call_id)

    def test_calls(self):
        self.assertEqual(self.run_tapi3("calls").stdout, "no calls\n")
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        result = self.run_tapi3("calls")
        self.assertEqual(result.returncode, 0, result)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        self.assertRegex(lines[0], r"^CALL +ADDRESS +STATE +OWNERS +MONITORS "
                         r"+CALLER → CALLED +MEDIA$")
        self.assertRegex(lines[1], r"^%s +100 +connected +1 +0 +100 → answer "
                         r"+audio$" % call_id)
        # Columns line up whatever the bytes of "→".
        self.assertEqual(lines[0].index("MEDIA"), lines[1].index("audio"))
        result = self.run_tapi3("calls", "--terse")
        self.assertEqual(result.stdout,
                         "%s:100:connected:1:0:100:answer:audio:rtp\n" % call_id)
        self.assertEqual(self.run_tapi3("calls", "--terse", "101").stdout, "")
        self.assertEqual(caller.stop(), 0)
        self.assertIn("state disconnected", caller.output)
        self.assertEqual(self.run_tapi3("calls").stdout, "no calls\n")

    def test_hangup_ends_another_process_call(self):
        caller, call_id = self.start_call("100", "answer")
        result = self.run_tapi3("hangup", call_id)
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout, "call %s  hung up: state disconnected "
                         "(cause disconnect-normal)\n" % call_id)
        caller.wait_line(r"  call %s  state disconnected "
                         r"\(cause disconnect-normal\)$" % call_id)
        self.assertEqual(caller.finish(), 0, caller.output)
        self.assertFails(self.run_tapi3("hangup", call_id), 1,
                         r"^tapi3: no live call %s \(\"tapi3 calls\" lists "
                         r"the live calls\)" % call_id)

    def test_handoff_moves_call_and_media(self):
        path = os.path.join(self.directory, "handoff.wav")
        recorder = self.start_answer("100", "org.example.Recorder", "--media",
                                     "g3fax", "--record", path)
        # The caller selects no terminal: the tone reaches the recorder only.
        caller, call_id = self.start_call("100", "tone", "--duration", "30")
        result = self.run_tapi3("handoff", call_id, "--to",
                                "org.example.Recorder")
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout, "call %s  handoff to "
                         "org.example.Recorder: success\n" % call_id)
        recorder.wait_line(r"  call %s  notification owner: address 100, "
                           r"state connected, 100 → tone, owners 2"
                           % call_id)
        recorder.wait_line(r"  call %s  media stream-active \(cause "
                           r"[a-z-]+\), render stream, file-recording "
                           r"terminal" % call_id)
        time.sleep(2)
        self.assertEqual(self.run_tapi3("hangup", call_id).returncode, 0)
        recorder.wait_line(r"  call %s  state disconnected" % call_id)
        recorder.wait_line(r"  call %s  recorded to %s$" %
                           (call_id, re.escape(path)))
        caller.wait_line(r"state disconnected \(cause disconnect-normal\)")
        rate, samples = read_wav(path)
        self.assertGreaterEqual(len(samples) / rate, 1.0)
        frequency, level = dominant_frequency(samples, rate)
        self.assertAlmostEqual(frequency, 1000, delta=5)
        self.assertGreater(level, -40)

    def test_handoff_by_media_type(self):
        fax = self.start_answer("100", "org.example.Fax", "--media", "g3fax")
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        result = self.run_tapi3("handoff", call_id, "--media", "g3fax")
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout, "call %s  handoff to media type g3fax: "
                         "success\n" % call_id)
        fax.wait_line(r"  call %s  notification owner" % call_id)

    def test_handoff_target_not_found(self):
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        result = self.run_tapi3("handoff", call_id, "--to", "nosuchapp")
        self.assertEqual(result.returncode, 1, result)
        self.assertEqual(result.stdout, "call %s  handoff to nosuchapp: "
                         "target-not-found\n" % call_id)
        self.assertRegex(result.stderr, r"^tapi3: cannot hand off call %s: No "
                         r"application nosuchapp is registered on address "
                         r"100.*the call is now disconnected \(cause "
                         r"disconnect-failed\)" % call_id)
        # As in TAPI, the failed handoff disconnected the call.
        caller.wait_line(r"  call %s  state disconnected \(cause "
                         r"disconnect-failed\)$" % call_id)
        self.assertEqual(self.run_tapi3("calls").stdout, "no calls\n")

    def test_handoff_target_self(self):
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        result = self.run_tapi3("handoff", call_id, "--to", "org.example.Me",
                                "--application", "org.example.Me")
        self.assertEqual(result.returncode, 1, result)
        self.assertEqual(result.stdout, "call %s  handoff to org.example.Me: "
                         "target-self\n" % call_id)
        self.assertRegex(result.stderr, r"^tapi3: cannot hand off call %s: .*; "
                         r"the call is now connected" % call_id)
        self.assertRegex(self.run_tapi3("calls", "--terse").stdout,
                         r"^%s:100:connected:1:0:" % call_id)

    def test_blind_transfer(self):
        softphone = self.start_answer("101", "org.example.Softphone")
        colleague = self.start_answer("102", "org.example.Colleague")
        caller = self.start("call", "100", "101", "--duration", "30")
        call_id = softphone.wait_line(r"  call (\d+)  notification owner: "
                                      r"address 101, state offering").group(1)
        softphone.wait_line(r"  call %s  state connected" % call_id)
        result = self.run_tapi3("transfer", call_id, "102")
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout,
                         "call %s  transferred to 102\n" % call_id)
        softphone.wait_line(r"  call %s  state disconnected" % call_id)
        new_id = colleague.wait_line(r"  call (\d+)  notification owner: "
                                     r"address 102, state offering, "
                                     r"100 → 102").group(1)
        colleague.wait_line(r"  call %s  state connected" % new_id)
        caller.wait_line(r"  connected-id = 102 \(Extension 102\)$")

    def test_consultation_transfer(self):
        softphone = self.start_answer("101", "org.example.Softphone")
        operator = self.start_answer("103", "org.example.Operator")
        caller = self.start("call", "100", "101", "--duration", "30")
        call_id = softphone.wait_line(r"  call (\d+)  notification "
                                      r"owner").group(1)
        softphone.wait_line(r"  call %s  state connected" % call_id)

        # A busy consultation leaves the call connected again.
        result = self.run_tapi3("transfer", call_id, "busy", "--consult")
        self.assertFails(result, 1, r"^tapi3: cannot transfer call %s to "
                         r"busy: The destination is busy" % call_id)
        softphone.wait_line(r"  call %s  state hold" % call_id)
        softphone.wait_line(r"  call %s  state connected" % call_id)

        result = self.run_tapi3("transfer", call_id, "103", "--consult")
        self.assertEqual(result.returncode, 0, result)
        self.assertRegex(result.stdout, r"^call %s  on hold, consulting 103 "
                         r"on call \d+\ncall %s  transferred to 103\n$"
                         % (call_id, call_id))
        softphone.wait_line(r"  call %s  state disconnected" % call_id)
        new_id = operator.wait_line(r"  call (\d+)  notification "
                                    r"owner").group(1)
        operator.wait_line(r"  call %s  connected-id = 100" % new_id)
        caller.wait_line(r"  connected-id = 103 \(Extension 103\)$")

    def test_bad_input(self):
        caller, call_id = self.start_call("100", "answer", "--duration", "30")
        cases = [
            (("hangup", "999"), r"^tapi3: no live call 999 "),
            (("handoff", "999", "--to", "x"), r"^tapi3: no live call 999 "),
            (("transfer", "999", "102"), r"^tapi3: no live call 999 "),
            (("hangup", "abc"), r'^tapi3: "abc" is not a call id'),
            (("hangup", "0"), r'^tapi3: "0" is not a call id'),
            (("hangup",), r"^tapi3: expected CALL\n"),
            (("hangup", call_id, "--code", "bogus"),
             r'^tapi3: --code takes normal, no-answer or rejected, not '
             r'"bogus"'),
            (("handoff", call_id), r"^tapi3: give either --to APP or "
                                   r"--media TYPE"),
            (("handoff", call_id, "--to", "x", "--media", "audio"),
             r"^tapi3: give either --to APP or --media TYPE"),
            (("handoff", call_id, "--media", "fax"),
             r'^tapi3: --media: unknown media type "fax" \(media types: '
             r'unknown, audio, datamodem, g3fax, video, multitrack\)'),
            (("handoff", call_id, "--media", "audio,g3fax"),
             r"^tapi3: --media takes exactly one media type"),
            (("handoff", call_id, "--to", ""),
             r"^tapi3: --to needs an application name"),
            (("transfer", call_id), r"^tapi3: expected CALL and DESTINATION"),
            (("transfer", call_id, "102", "extra"),
             r'^tapi3: unexpected argument "extra"'),
            (("monitor", "--address", "999"), r'^tapi3: unknown address "999"'),
            (("monitor", "--count", "-1"), r"^tapi3: --count must not be "
                                           r"negative"),
            (("answer",), r"^tapi3: expected ADDRESS"),
            (("answer", "100", "--media", "bogus"),
             r'^tapi3: --media: unknown media type "bogus"'),
            (("answer", "100", "--record", "x.mp3"),
             r'^tapi3: cannot record to "x.mp3"'),
            (("calls", "999"), r'^tapi3: unknown address "999"'),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                self.assertFails(self.run_tapi3(*args), 1, pattern)
        # None of that touched the call.
        self.assertRegex(self.run_tapi3("calls", "--terse").stdout,
                         r"^%s:100:connected:1:0:" % call_id)

    def test_no_broker(self):
        self.stop_daemon()
        for args in (("calls",), ("monitor",), ("hangup", "1"),
                     ("handoff", "1", "--to", "x")):
            with self.subTest(args=args):
                self.assertFails(self.run_tapi3(*args), 1,
                                 r"^tapi3: the telephony broker is not "
                                 r"running \(start tapi3d, or use "
                                 r"TAPI3_BROKER=embedded\)")

    def test_demo_session(self):
        result = self.run_tapi3("demo", "--session", timeout=90)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("org.libtapi3.Broker runs already", result.stdout)
        self.assertRegex(result.stdout, r"softphone +handed call \d+ to "
                         r"org.example.Recorder; privilege now monitor")
        self.assertRegex(result.stdout, r"strongest frequency 700 Hz")
        self.assertIn("The tour between processes behaved as expected.",
                      result.stdout)

    def test_demo_session_starts_daemon(self):
        self.stop_daemon()
        result = self.run_tapi3("demo", "--session", timeout=90)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"starting \S+/tapi3d\n")
        self.assertRegex(result.stdout, r"stopping tapi3d \(pid \d+\)")
        # It stopped what it started.
        self.assertFalse(self.broker_running())

    def test_demo_session_without_bus(self):
        env = dict(self.env)
        del env["DBUS_SESSION_BUS_ADDRESS"]
        env["XDG_RUNTIME_DIR"] = self.directory
        result = subprocess.run([TAPI3, "demo", "--session"],
                                capture_output=True, text=True, timeout=30,
                                env=env)
        self.assertEqual(result.returncode, 1, result)
        self.assertRegex(result.stderr, r"^tapi3: demo --session needs a "
                         r"session bus: \S")


if __name__ == "__main__":
    TAPI3 = sys.argv.pop(1)
    TAPI3D = sys.argv.pop(1)
    unittest.main(verbosity=2)
