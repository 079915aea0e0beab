#!/usr/bin/python3
# tapi3-test-cli.py: bad invocations of tapi3 fail with a clear message,
# and "tapi3 addresses" shows the simulated PBX.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import sys
import unittest

TAPI3 = None


def run(*args, timeout=60):
    env = dict(os.environ, TAPI3_BROKER="embedded", LC_ALL="C.UTF-8")
    return subprocess.run([TAPI3, *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


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


if __name__ == "__main__":
    TAPI3 = sys.argv.pop(1)
    unittest.main(verbosity=2)
