#!/usr/bin/env python3
"""tests/labs/test_grade.py - unit tests of labs/grade.py and scripts/symbolize.py.

    python3 tests/labs/test_grade.py        # one "PASS name" or "FAIL name" line per test

Fed synthetic emulator logs (no emulator runs): a failed emulator check must show
the PANIC line first and whole, the stop reason, and what "emulator exit 0" means;
--only must run one check; result.json and junit.xml must be written and parse.
The symbolizer is tested on the real build/bookvisor.elf (run `make` first).
"""

import io
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "labs"))
sys.path.insert(0, str(ROOT / "scripts"))
import grade  # noqa: E402
import symbolize  # noqa: E402

ELF = ROOT / "build" / "bookvisor.elf"
LONG = "x" * 450    # longer than the runner's reasons are cut to


def symbol_address(name):
    """The address of a function symbol of build/bookvisor.elf, from nm."""
    out = subprocess.run(["nm", "--defined-only", str(ELF)], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name and parts[1] in "Tt":
            return int(parts[0], 16)
    raise AssertionError(f"{name} is not in {ELF}")


class Symbolize(unittest.TestCase):
    def setUp(self):
        if not ELF.is_file():
            self.fail(f"{ELF} is missing: run make first")
        self.symbols = symbolize.Symbols(ELF)

    def test_address_becomes_function_and_offset(self):
        addr = symbol_address("panic") + 0x10
        self.assertEqual(self.symbols.lookup(addr), ("panic", 0x10))
        # addr2line, an independent reader of the same ELF, agrees on the function.
        oracle = subprocess.run(["addr2line", "-f", "-e", str(ELF), hex(addr)],
                                capture_output=True, text=True).stdout.split()[0]
        self.assertEqual(oracle, "panic")

    def test_outside_every_function_is_left_alone(self):
        self.assertIsNone(self.symbols.lookup(0x1000))
        text = "backtrace:\n  #0 0x1000\n"
        self.assertEqual(symbolize.symbolize_text(text, self.symbols), text)

    def test_report_lines_are_named(self):
        ret = symbol_address("boot_main") + 0x20
        text = f"cpu=0 rip={ret:#x}\nbacktrace:\n  #0 {ret:#x}\n"
        out = symbolize.symbolize_text(text, self.symbols).splitlines()
        self.assertRegex(out[0], rf"^cpu=0 rip={ret:#x} boot_main\+0x20 \(common/start/main\.c:\d+\)$")
        self.assertRegex(out[2], rf"^  #0 {ret:#x} boot_main\+0x20 ")


def panic_log(addr):
    return ("bookvisor 0.1: starting\n"
            "not ok 3 - cpuid-version: wrong family\n"
            f"bookvisor: PANIC: a long message {LONG} end\n"
            f"cpu=0 rip={addr:#x}\n"
            "backtrace:\n"
            f"  #0 {addr:#x}\n"
            "bookvisor: machine stopped (status=failure)\n")


class ReportLines(unittest.TestCase):
    def test_panic_first_and_whole(self):
        addr = symbol_address("panic") + 8
        lines = grade.report_lines({"com1": panic_log(addr)}, "emulator exit 0\n", ELF)
        self.assertTrue(lines[0].startswith("bookvisor: PANIC: a long message"))
        self.assertTrue(lines[0].endswith(" end"), "the PANIC line is cut")
        self.assertIn(f"rip={addr:#x} panic+0x8", lines[1])
        self.assertIn("not ok 3 - cpuid-version: wrong family", lines)
        self.assertEqual(lines[-1], "bookvisor: machine stopped (status=failure)")
        self.assertLess(lines.index("not ok 3 - cpuid-version: wrong family"),
                        lines.index("bookvisor: machine stopped (status=failure)"))

    def test_fault_and_guest_stop(self):
        com1 = ("ok 1 - npt-fault-map\n"
                "bookvisor: nested paging: faults=3 maps4k=1\n"
                "bookvisor: guest stopped: triple fault at rip=0x1234\n"
                "bookvisor: machine stopped (status=failure)\n")
        lines = grade.report_lines({"com1": com1}, "", Path("/nonexistent"))
        self.assertEqual(lines[0], "bookvisor: guest stopped: triple fault at rip=0x1234")
        self.assertNotIn("ok 1 - npt-fault-map", lines)
        self.assertIn("bookvisor: machine stopped (status=failure)", lines)

    def test_no_stop_line_is_said(self):
        lines = grade.report_lines({"com1": "bookvisor 0.1: starting\n"}, "", Path("/x"))
        self.assertTrue(any("no stop line" in ln for ln in lines))


class FakeTree:
    """A temporary tree with one tests/emu file; run() is replaced by a fake runner."""

    def __init__(self, log):
        self.dir = tempfile.TemporaryDirectory()
        self.tree = Path(self.dir.name)
        (self.tree / "tests" / "emu").mkdir(parents=True)
        (self.tree / "tests" / "emu" / "fake.test").write_text("targets: qemu-svm\n")
        self.log = log

    def run(self, cmd, cwd, timeout, env=None):
        out = Path(cmd[cmd.index("--out") + 1]) / "out" / "fake" / "qemu-svm"
        out.mkdir(parents=True)
        (out / "com1.log").write_text(self.log)
        (out / "events.log").write_text("emulator exit 0\n")
        return 1, (f"FAIL fake [qemu-svm]: stopped (emulator exit 0) before end; "
                   f"missing on com1: /{LONG}/\nemu: 0 passed, 1 failed\n")


class EmuCheck(unittest.TestCase):
    def test_failed_run_shows_panic_first(self):
        fake = FakeTree(panic_log(symbol_address("panic")))
        real_run = grade.run
        grade.run = fake.run
        try:
            ctx = grade.Context(tree=fake.tree, lab=1, timeout_scale=1.0, build_ok=True)
            result = grade.Emu("fake", "qemu-svm").run(ctx)
        finally:
            grade.run = real_run
            fake.dir.cleanup()
        self.assertEqual(result.status, "FAIL")
        self.assertTrue(result.notes[0].startswith("bookvisor: PANIC: a long message"))
        self.assertTrue(result.notes[0].endswith(" end"))
        self.assertTrue(any("emulator exit 0 (the emulator's own status" in n
                            for n in result.notes))


class EarlierPartHint(unittest.TestCase):
    """A part 2 check stopped by a part 1 stub says that part 1 is missing."""

    def test_part1_stub_in_a_part2_check(self):
        hint = grade.earlier_part_hint(3, 2, ["LAB 3 TODO: derive the controls"])
        self.assertEqual(len(hint), 1)
        self.assertIn("PART=1", hint[0])

    def test_no_hint_for_part1_or_a_part2_stub_or_another_lab(self):
        self.assertEqual(grade.earlier_part_hint(3, 1, ["LAB 3 TODO: derive"]), [])
        self.assertEqual(grade.earlier_part_hint(3, 2, ["LAB 3 TODO: part 2: x"]), [])
        self.assertEqual(grade.earlier_part_hint(3, 2, ["LAB 4 TODO: npt"]), [])
        self.assertEqual(grade.earlier_part_hint(3, 2, []), [])


class WrittenCheck(unittest.TestCase):
    """Written fails while a LAB_TODO or a stand-in of the lab is left."""

    def outcome(self, body, part=1):
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "common").mkdir()
            (Path(d) / "common" / "x.c").write_text(f"void f(void)\n{{\n{body}}}\n")
            return grade.Written(part=part).run(grade.Context(tree=Path(d), lab=3,
                                                              timeout_scale=1.0))

    def test_todo_left(self):
        r = self.outcome('    /* LAB 3: x */\n    LAB_TODO("LAB 3 TODO: x");\n    /* end of LAB 3 */\n')
        self.assertEqual(r.status, "FAIL")
        self.assertIn("common/x.c:4:", r.notes[0])

    def test_stand_in_left(self):
        r = self.outcome("    /* LAB 3: x */\n    /* Stand-in until lab 3: correct but simple. */\n"
                         "    return;\n    /* end of LAB 3 */\n")
        self.assertEqual(r.status, "FAIL")

    def test_written(self):
        r = self.outcome("    /* LAB 3: x */\n    do_it();\n    /* end of LAB 3 */\n")
        self.assertEqual(r.status, "PASS")

    def test_other_labs_stubs_do_not_count(self):
        r = self.outcome('    LAB_TODO("LAB 4 TODO: y");\n    /* Stand-in until lab 5: z */\n')
        self.assertEqual(r.status, "PASS")

    def test_parts_counted_apart(self):
        part2_todo = '    LAB_TODO("LAB 3 TODO: part 2: y");\n'
        part2_stand_in = "    /* Stand-in until lab 3 part 2: correct but simple. */\n"
        for body in (part2_todo, part2_stand_in):
            self.assertEqual(self.outcome(body).status, "PASS")            # part 1
            self.assertEqual(self.outcome(body, part=2).status, "FAIL")
        part1_todo = '    LAB_TODO("LAB 3 TODO: x");\n'
        self.assertEqual(self.outcome(part1_todo).status, "FAIL")
        self.assertEqual(self.outcome(part1_todo, part=2).status, "PASS")
        self.assertEqual(grade.Written(part=2).key, "written-part2")


class HandoutParts(unittest.TestCase):
    """scripts/handout.py: a later part's stub and stand-in say the part."""

    SOURCE = ("void f(void)\n{\n"
              "    /* LAB 4 BEGIN: first */\n    one();\n    /* LAB 4 END */\n"
              "    /* LAB 4 BEGIN: part 2: second */\n    /* LAB 4 FALLBACK: simple(); */\n"
              "    two();\n    /* LAB 4 END */\n"
              "    /* LAB 4 BEGIN: part 2: third */\n    three();\n    /* LAB 4 END */\n}\n")

    def test_own_handout(self):
        import handout
        text, labs, uses = handout.stub_file("x.c", self.SOURCE, 4)
        self.assertIn('LAB_TODO("LAB 4 TODO: first");', text)
        # part 2 with a fallback keeps its stand-in, so part 1 can be graded alone
        self.assertIn("Stand-in until lab 4 part 2: correct but simple.", text)
        self.assertIn("    simple();\n", text)
        self.assertIn('LAB_TODO("LAB 4 TODO: part 2: third");', text)
        self.assertNotIn("two();", text)
        self.assertNotIn("one();", text)

    def test_earlier_handout(self):
        import handout
        text, _, _ = handout.stub_file("x.c", self.SOURCE, 3)
        self.assertIn("Stand-in until lab 4 part 2:", text)
        self.assertNotIn("Stand-in until lab 4:", text)


class FakeCheck:
    def __init__(self, key, status):
        self.key, self.name, self.status = key, f"fake {key}", status
        self.ran = False
        if "@" in key:
            self.target = key.split("@")[1]

    def run(self, ctx):
        self.ran = True
        return grade.Outcome(self.status, "why" if self.status == "FAIL" else "",
                             ["note one"] if self.status == "FAIL" else [])


class GradeRun(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tree = Path(self.dir.name)
        self.checks = [FakeCheck("unit_a", "PASS"), FakeCheck("emu@qemu-svm", "FAIL"),
                       FakeCheck("emu@bochs-vmx", "PASS")]
        grade.LABS[99] = grade.Lab("a fake lab", self.checks)

    def tearDown(self):
        del grade.LABS[99]
        self.dir.cleanup()

    def test_only_runs_one_check(self):
        out = io.StringIO()
        score, total = grade.grade(99, self.tree, out=out, only="emu@bochs-vmx")
        self.assertEqual((score, total), (1, 1))
        self.assertEqual([c.ran for c in self.checks], [False, False, True])
        self.assertIn("score: 1/1", out.getvalue())

    def test_only_takes_a_pattern(self):
        grade.grade(99, self.tree, out=io.StringIO(), only="emu@*")
        self.assertEqual([c.ran for c in self.checks], [False, True, True])

    def test_target_skips_other_targets(self):
        out = io.StringIO()
        score, total = grade.grade(99, self.tree, out=out, target="bochs-vmx")
        self.assertEqual((score, total), (2, 2))    # a check of no target always runs
        self.assertEqual([c.ran for c in self.checks], [True, False, True])
        self.assertIn("SKIP fake emu@qemu-svm: not on bochs-vmx", out.getvalue())

    def test_result_files_written_and_parse(self):
        out = io.StringIO()
        grade.grade(99, self.tree, out=out)
        results = self.tree / "build" / "grade" / "lab99"
        data = json.loads((results / "result.json").read_text())
        self.assertEqual((data["score"], data["total"], data["passed"]), (2, 3, False))
        self.assertEqual([c["key"] for c in data["checks"]],
                         ["unit_a", "emu@qemu-svm", "emu@bochs-vmx"])
        self.assertEqual(data["checks"][1]["notes"], ["note one"])
        self.assertEqual((results / "result.txt").read_text(), out.getvalue())
        suite = ElementTree.parse(results / "junit.xml").getroot()
        self.assertEqual((suite.get("tests"), suite.get("failures")), ("3", "1"))

    def test_part_runs_that_part_only(self):
        second = [FakeCheck("unit_b", "PASS"), FakeCheck("emu2@qemu-svm", "PASS")]
        grade.LABS[99] = grade.Lab("a fake lab", self.checks + grade.Part(2, *second),
                                   parts={2: "the harder part"})
        out = io.StringIO()
        score, total = grade.grade(99, self.tree, out=out, part=2)
        self.assertEqual((score, total), (2, 2))
        self.assertEqual([c.ran for c in self.checks + second], [False] * 3 + [True] * 2)
        self.assertIn("part 2 only: the harder part", out.getvalue())
        self.assertIn("fake unit_b (part 2)", out.getvalue())
        data = json.loads((self.tree / "build" / "grade" / "lab99" / "result.json").read_text())
        self.assertEqual((data["part"], [c["part"] for c in data["checks"]]), (2, [2, 2]))
        grade.grade(99, self.tree, out=io.StringIO(), part=1)
        self.assertEqual([c.ran for c in self.checks], [True] * 3)
        self.assertEqual(grade.main(["--lab", "99", "--part", "3", "--tree", str(self.tree)]), 2)

    def test_unknown_only_is_refused(self):
        rc = grade.main(["--lab", "99", "--only", "nope", "--tree", str(self.tree)])
        self.assertEqual(rc, 2)
        self.assertFalse(any(c.ran for c in self.checks))


class Report(unittest.TextTestResult):
    """One PASS/FAIL line per test, as tests/labs/run counts them."""

    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"PASS grade.py: {test.id().split('.', 1)[1]}", flush=True)

    def _bad(self, test, err):
        print(f"FAIL grade.py: {test.id().split('.', 1)[1]}", flush=True)
        for line in self._exc_info_to_string(err, test).rstrip().splitlines()[-6:]:
            print(f"    {line}", flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err)


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    runner = unittest.TextTestRunner(stream=io.StringIO(), resultclass=Report)
    sys.exit(0 if runner.run(suite).wasSuccessful() else 1)
