#!/usr/bin/env python3
"""tests/test_bench.py - the parsing and arithmetic of `make bench`'s linux part
(tests/bench.py): bookvisor's counters and lines as it prints them at a stop, the
bench build's tick sums and the share computed from them, the medians of the wall
times, PASS/OVER; and of its net-throughput part (tests/bench_net.py): its row, and
its echo rounds against echo servers on this machine's loopback, a right one and
wrong ones. Runs in a second, without an emulator (`make test` runs it).
Prints one PASS/FAIL line per test and "bench-parse: N passed, M failed".
"""

import socket
import sys
import threading
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the path is set just above)
import bench_net  # noqa: E402

# The end of a real COM2 log (bochs-vmx, the bench build), with a second vCPU's
# counters added as guest_report.c prints them.
STOP_LOG = """\
bookvisor 0.1: starting (command line: "console=com2")
bookvisor: memory: VMM region [0x1ee00000, 0x1fe00000) (16 MiB), 13 MiB free for the VMM
bookvisor: starting the guest
bookvisor: guest stopped: the guest switched the machine off (ACPI S5)
bookvisor: exits: total=2973
bookvisor: exits: cpuid=2250
bookvisor: exits: io=12
bookvisor: exits: npf=700
bookvisor: exits: intr-window=11
bookvisor: vcpu 1 exits: total=5
bookvisor: vcpu 1 exits: cpuid=3
bookvisor: vcpu 1 exits: hlt=2
bookvisor: exits of all 2 vCPUs: total=2978
bookvisor: bench ticks: start=1000 first-entry=3000 stop=1001000 in-exits=9000 halted=4000 timed=100 exits=150
bookvisor: nested paging: faults=700 maps4k=396 maps2m=53 maps1g=2 tables=5 reclaims=0 mtrr-writes=4
bookvisor: machine stopped (status=ok)
"""


class ParseTest(unittest.TestCase):
    def test_exit_counts_all_vcpus_no_total(self):
        c = bench.parse_exit_counts(STOP_LOG)
        self.assertEqual(c, {"cpuid": 2253, "io": 12, "npf": 700, "intr-window": 11, "hlt": 2})
        self.assertEqual(sum(c.values()), 2978)  # what "exits of all 2 vCPUs" says

    def test_exit_counts_none(self):
        self.assertEqual(bench.parse_exit_counts("bookvisor: starting the guest\n"), {})

    def test_region(self):
        self.assertEqual(bench.parse_vmm_region(STOP_LOG), (0x1ee00000, 0x1fe00000, 16))
        self.assertIsNone(bench.parse_vmm_region("bookvisor: memory: nothing\n"))

    def test_ticks(self):
        t = bench.parse_bench_ticks(STOP_LOG)
        self.assertEqual(t["first-entry"], 3000)
        self.assertEqual(t["exits"], 150)
        self.assertIsNone(bench.parse_bench_ticks(STOP_LOG.replace("bench ticks", "ticks")))
        self.assertIsNone(bench.parse_bench_ticks("bookvisor: bench ticks: start=x\n"))


class InitStampTest(unittest.TestCase):
    def test_stamp(self):
        com1 = ("[    1.881254] Run /init as init process\n"
                "linux-init: init reached under bookvisor, powering off\n")
        self.assertEqual(bench.parse_init_stamp(com1), 1.881254)
        self.assertEqual(bench.parse_init_stamp("[12345.5] Run /init as init process\n"), 12345.5)

    def test_no_stamp(self):
        self.assertIsNone(bench.parse_init_stamp("[    1.88] Run /sbin/init as init process\n"))
        self.assertIsNone(bench.parse_init_stamp(""))


class ShareTest(unittest.TestCase):
    def test_share(self):
        pct, vmm, total, before = bench.vmm_share(bench.parse_bench_ticks(STOP_LOG))
        # boot 2000 + in exits 9000 - halted 4000 + 100 timed and 50 fast exits' bounds
        want = 2000 + 5000 + 100 * bench.UNTIMED_C_EXIT + 50 * bench.UNTIMED_FAST_EXIT
        self.assertEqual(vmm, want)
        self.assertEqual(total, 1001000 - 4000)
        self.assertEqual(before, 1000)
        self.assertAlmostEqual(pct, 100.0 * want / total)

    def test_impossible_figures_refused(self):
        t = bench.parse_bench_ticks(STOP_LOG)
        for key, value in (("halted", 10000), ("timed", 151), ("first-entry", 500),
                           ("stop", 4000)):
            bad = dict(t, **{key: value})
            self.assertIsNone(bench.vmm_share(bad), key)
        self.assertIsNone(bench.vmm_share({k: v for k, v in t.items() if k != "stop"}))


class VerdictTest(unittest.TestCase):
    def test_wall_ratio_medians(self):
        mb, mu, r = bench.wall_ratio([10.0, 30.0, 11.0], [12.0, 11.5, 50.0])
        self.assertEqual((mb, mu), (11.0, 12.0))
        self.assertAlmostEqual(r, 12.0 / 11.0)

    def test_verdict(self):
        self.assertEqual(bench.verdict(3500, bench.LINUX_EXIT_GOAL), "PASS")
        self.assertEqual(bench.verdict(3501, bench.LINUX_EXIT_GOAL), "OVER")
        self.assertEqual(bench.verdict(0.51, bench.LINUX_SHARE_GOAL), "OVER")

    def test_missing_kernel_says_why(self):
        why = bench.linux_missing(Path(bench.ROOT) / "build" / "no-such-vmm.elf")
        self.assertIn("is missing", why)


class ExitGoalTest(unittest.TestCase):
    def test_rare_kind_over_does_not_miss_the_goal(self):
        line = bench.exit_summary([(49, True), (140, True), (430, False)])
        self.assertIn("2 of 2 common kinds within the goal", line)
        self.assertIn("(goal met)", line)
        self.assertIn("0 of 1 within it", line)

    def test_common_kind_over_misses_it(self):
        line = bench.exit_summary([(49, True), (151, True)])
        self.assertIn("1 of 2 common kinds", line)
        self.assertIn("(goal not met)", line)

    def test_line_marks_rare_and_says_why(self):
        line = bench.exit_line("bochs-svm", "MOV to CR0", 970, "no decode assists", False)
        self.assertIn("OVER [rare] (no decode assists)", line)
        self.assertTrue(bench.exit_line("bochs-vmx", "IN", 150).endswith("PASS"))

    def test_every_kind_of_the_guest_note_is_classed(self):
        keys = [k for k, _, _ in bench.EXIT_KINDS]
        self.assertEqual(keys, ["cpuid0", "cpuid1", "io", "vmcall", "msr", "cr0", "cr4", "mmio"])


class NetRowTest(unittest.TestCase):
    def test_row_round_trip(self):
        row = bench_net.net_row(14.81e6, 2.03e6, "a note")
        ip, pas, ratio, goal, mark, note = bench_net.parse_net_row(row)
        self.assertEqual((ip, pas, goal, mark, note), (14.81, 2.03, 0.9, "PASS", "a note"))
        self.assertAlmostEqual(ratio, 7.30)

    def test_over_is_said(self):
        self.assertEqual(bench_net.parse_net_row(bench_net.net_row(8.9e6, 10e6, "n"))[4],
                         "OVER")
        self.assertEqual(bench_net.parse_net_row(bench_net.net_row(9e6, 10e6, "n"))[4],
                         "PASS")

    def test_other_lines_refused(self):
        self.assertIsNone(bench_net.parse_net_row("bench: net-throughput SKIP x is missing"))
        self.assertIsNone(bench_net.parse_net_row("bench: FAIL net-throughput ip: why"))


def serve_once(answer):
    """A listener on 127.0.0.1 whose one connection is handed to ANSWER(conn); its port."""
    srv = socket.create_server(("127.0.0.1", 0))

    def run():
        with srv:
            conn, _ = srv.accept()
            with conn:
                answer(conn)

    threading.Thread(target=run, daemon=True).start()
    return srv.getsockname()[1]


def echo_all(conn, change=None):
    """Echo until the peer has sent everything; CHANGE(bytes) may spoil a chunk."""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return
        conn.sendall(change(chunk) if change else chunk)


class EchoRoundTest(unittest.TestCase):
    DATA = bench_net.payload(300000)

    def test_right_echo_is_timed(self):
        seconds, why = bench_net.echo_round(serve_once(echo_all), self.DATA, 10)
        self.assertIsNone(why)
        self.assertGreater(seconds, 0)

    def test_changed_byte_fails(self):
        def flip(chunk):
            return bytes([chunk[0] ^ 1]) + chunk[1:]
        _, why = bench_net.echo_round(serve_once(lambda c: echo_all(c, flip)), self.DATA, 10)
        self.assertRegex(why, r"^the echoed bytes differ from offset \d+$")

    def test_early_close_fails(self):
        def half(conn):
            conn.sendall(conn.recv(1000))
        _, why = bench_net.echo_round(serve_once(half), self.DATA, 10)
        self.assertRegex(why, r"^the server closed after \d+ of 300000 bytes$|^receive after")

    def test_no_server_fails(self):
        _, why = bench_net.echo_round(bench_net.free_port(), self.DATA, 2)
        self.assertRegex(why, r"^cannot connect: ")


class Counting(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"PASS bench-parse: {test._testMethodName}")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print(f"FAIL bench-parse: {test._testMethodName}")

    def addError(self, test, err):
        super().addError(test, err)
        print(f"FAIL bench-parse: {test._testMethodName} (error)")


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    res = unittest.TextTestRunner(resultclass=Counting, verbosity=0,
                                  stream=sys.stderr).run(suite)
    bad = len(res.failures) + len(res.errors)
    print(f"bench-parse: {res.testsRun - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)
