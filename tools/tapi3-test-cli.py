#!/usr/bin/python3
# tapi3-test-cli.py: bad invocations of tapi3 fail with a clear message,
# "tapi3 addresses" shows the simulated PBX, and "tapi3 call" plays,
# records, sends and detects digits and detects fax tones.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import array
import cmath
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import wave

TAPI3 = None


def run(*args, timeout=60):
    env = dict(os.environ, TAPI3_BROKER="embedded", LC_ALL="C.UTF-8")
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
                             r'Error: unknown command "frobnicate"')

    def test_unknown_option(self):
        self.assertFailsWith(run("addresses", "--bogus"),
                             r"Error: Unknown option --bogus")

    def test_unknown_address(self):
        result = run("call", "999", "101", "--duration", "1")
        self.assertFailsWith(result, r'Error: unknown address "999"')
        self.assertIn("100, 101, 102, 103", result.stderr)

    def test_unknown_address_listing(self):
        self.assertFailsWith(run("addresses", "100", "nosuch"),
                             r'Error: unknown address "nosuch"')

    def test_malformed_destination(self):
        result = run("call", "100", "10#1 ?", "--duration", "1")
        self.assertFailsWith(result,
                             r'Error: cannot call "10#1 \?" from 100: \S')

    def test_empty_destination(self):
        self.assertFailsWith(run("call", "100", "", "--duration", "1"),
                             r'Error: cannot call "" from 100: \S')

    def test_missing_destination(self):
        self.assertFailsWith(run("call", "100"),
                             r"Error: expected FROM and TO")

    def test_negative_duration(self):
        result = run("call", "100", "answer", "--duration", "-2")
        self.assertFailsWith(result, r"Error: --duration must not be negative")

    def test_busy_destination(self):
        result = run("call", "100", "busy", "--duration", "5")
        self.assertFailsWith(result, r"Error: the call failed: \S")
        self.assertIn("state disconnected (cause disconnect-busy)",
                      result.stdout)

    def test_tone_out_of_range(self):
        for value in ("0", "-5", "30000", "abc", ""):
            result = run("call", "100", "answer", "--tone", value,
                         "--duration", "1")
            self.assertFailsWith(result, r"Error: --tone takes a frequency "
                                         r"in hertz from 1 to 20000, not "
                                         r'"%s"' % re.escape(value))
            self.assertNotIn("calling", result.stdout)

    def test_tone_and_play(self):
        result = run("call", "100", "answer", "--tone", "440", "--play",
                     __file__, "--duration", "1")
        self.assertFailsWith(result, r"Error: --tone and --play both send on "
                                     r"the capture stream")

    def test_play_missing_file(self):
        path = os.path.join(tempfile.gettempdir(), "tapi3-no-such-%d.wav" %
                            os.getpid())
        result = run("call", "100", "echo", "--play", path, "--duration", "1")
        self.assertFailsWith(result, r'Error: cannot play "%s": No such file'
                                     % re.escape(path))
        self.assertNotIn("calling", result.stdout)

    def test_play_directory(self):
        directory = tempfile.gettempdir()
        result = run("call", "100", "echo", "--play", directory,
                     "--duration", "1")
        self.assertFailsWith(result, r'Error: cannot play "%s": it is a '
                                     r"directory" % re.escape(directory))

    def test_record_bad_extension(self):
        result = run("call", "100", "tone", "--record", "/tmp/tapi3-x.mp3",
                     "--duration", "1")
        self.assertFailsWith(result, r'Error: cannot record to '
                                     r'"/tmp/tapi3-x.mp3": the file name must '
                                     r"end in \.wav")

    def test_record_unwritable(self):
        # A directory that does not exist cannot be written even by root.
        path = "/nonexistent-%d/recording.wav" % os.getpid()
        began = time.monotonic()
        result = run("call", "100", "tone", "--record", path,
                     "--duration", "10")
        elapsed = time.monotonic() - began
        self.assertFailsWith(result, r'Error: cannot record to "%s" '
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
        self.assertFailsWith(result, r'Error: --digits: "x" is not a DTMF '
                                     r"digit")
        self.assertNotIn("calling", result.stdout)
        self.assertFailsWith(run("call", "100", "echo", "--digits", "",
                                 "--duration", "1"),
                             r"Error: --digits needs at least one digit")

    def test_demo_arguments(self):
        self.assertFailsWith(run("demo", "extra"),
                             r'Error: unexpected argument "extra"')


class GoodInput(unittest.TestCase):
    def test_help(self):
        for command in ([], ["addresses"], ["call"], ["demo"]):
            result = run(*command, "--help")
            self.assertEqual(result.returncode, 0, result)
            self.assertIn("Usage:", result.stdout)

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
        result = run("call", "100", "dtmf:*159D", "--detect-digits",
                     "--duration", "3.5")
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


if __name__ == "__main__":
    TAPI3 = sys.argv.pop(1)
    unittest.main(verbosity=2)
