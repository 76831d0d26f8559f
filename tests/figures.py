#!/usr/bin/env python3
"""tests/figures.py - the chapters' figures from a run, generated or checked.

A chapter that quotes a run (exit counts, the guest's check count, the CPUID
round-trip cost) marks the figure where it stands:

    the guest's <!-- figure: guest-checks -->33<!-- end --> checks

(a block works the same way, the markers on lines of their own). The name says
where the figure comes from (FIGURES below, all from the `guest-checks` emulator
test that `make test` runs on every target):

    guest-checks          the number of checks of tests=all (the test file's
                          "guest: summary passed=N" line, and the run's)
    cpuid-cost@TARGET     the guest's cpuid-cost note: Bochs instructions per
                          CPUID round trip (a remembered leaf)
    cpuid-vmm@TARGET      the same minus the 6 instructions bare Bochs takes
    cpuid-full@TARGET     the same round trip without the fast path
                          (tests/emu/cpuid-full.test: test.no_fast_path)
    exits@TARGET          bookvisor's stop line and its `exits:` lines, as an
                          indented block
    exit:KIND@TARGET      one count of those (total, npf, cpuid, ...)

    tests/figures.py --check [--logs DIR]   (make test, after the emulator stage)
    tests/figures.py --write [--logs DIR]   (make figures: rewrites the marked
                                             regions from the latest run)

--check compares every marked figure with the latest run (build/emu/out): exact,
except the counts that depend on timing or on how much memory the emulator
gives (VARIES: nested page faults, the total, HLT), which may differ by
VARIES_BY; a chapter whose figure is off fails with file:line, the figure and
the run's value: run `make figures` and read the prose around it again. It also
fails on an unknown figure name, and on a marker inside a code span (where
Markdown would show the comment itself). Prints "figures: N passed, M failed".
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK_RE = re.compile(r"<!-- figure: (\S+) -->(.*?)<!-- end -->", re.S)
BARE_CPUID = 6            # the same round trip on bare Bochs (tests/bench.py)
VARIES = ("total", "npf", "hlt")
VARIES_BY = 0.25          # a run-dependent count may be off by this fraction
TEST_FILE = ROOT / "tests" / "emu" / "guest-checks.test"
SUMMARY_RE = re.compile(r"guest: summary passed=(\d+) failed=0")
COST_RE = re.compile(r"cpuid-cost \(min (\d+) cycles\)")
EXIT_RE = re.compile(r"^bookvisor: exits: (\S+)=(\d+)$", re.M)
STOP_RE = re.compile(r"^bookvisor: guest stopped: .*$", re.M)


class NoRun(Exception):
    """The run a figure needs is not there."""


class Run:
    """The latest guest-checks logs under logs (build/emu/out by default)."""

    def __init__(self, logs):
        self.logs = Path(logs)

    def port(self, target, port, test="guest-checks"):
        path = self.logs / test / target / f"{port}.log"
        if not path.is_file():
            raise NoRun(f"no {path.relative_to(ROOT) if ROOT in path.parents else path}: "
                        f"run tests/emurun.py tests/emu/{test}.test --target {target}")
        return path.read_text(errors="replace").replace("\r", "")

    def exits(self, target):
        text = self.port(target, "com2")
        counts = dict(EXIT_RE.findall(text))
        if not counts:
            raise NoRun(f"guest-checks on {target} printed no exit counts")
        return text, counts


def figure(name, run):
    """The text a figure has in a chapter, from run."""
    if name == "guest-checks":
        m = SUMMARY_RE.search(TEST_FILE.read_text())
        if not m:
            raise NoRun(f"{TEST_FILE.relative_to(ROOT)} expects no summary line")
        return m.group(1)
    m = re.fullmatch(r"(cpuid-cost|cpuid-vmm|cpuid-full|exits|exit:([\w-]+))@([\w-]+)", name)
    if not m:
        raise KeyError(name)
    kind, exit_kind, target = m.groups()
    if kind in ("cpuid-cost", "cpuid-vmm", "cpuid-full"):
        test = "cpuid-full" if kind == "cpuid-full" else "guest-checks"
        cost = COST_RE.search(run.port(target, "com1", test))
        if not cost:
            raise NoRun(f"{test} on {target} has no cpuid-cost note")
        value = int(cost.group(1)) - (BARE_CPUID if kind == "cpuid-vmm" else 0)
        return str(value)
    text, counts = run.exits(target)
    if kind == "exits":
        stop = STOP_RE.search(text)
        lines = ([stop.group(0)] if stop else []) + \
            [f"bookvisor: exits: {k}={v}" for k, v in EXIT_RE.findall(text)]
        return "\n\n" + "\n".join("    " + ln for ln in lines) + "\n\n"
    if exit_kind not in counts:
        raise NoRun(f"guest-checks on {target} counted no {exit_kind} exit")
    return counts[exit_kind]


def close_enough(name, have, want):
    """Does the chapter's figure (have) agree with the run's (want)?"""
    if have.strip() == want.strip():
        return True
    pairs_have = dict(EXIT_RE.findall(have.replace("    ", ""))) if "exits:" in have else None
    if pairs_have is not None:
        pairs_want = dict(EXIT_RE.findall(want.replace("    ", "")))
        if set(pairs_have) != set(pairs_want):
            return False
        return all(close_count(k, pairs_have[k], pairs_want[k]) for k in pairs_want)
    m = re.fullmatch(r"exit:([\w-]+)@[\w-]+", name)
    return bool(m) and close_count(m.group(1), have.strip(), want.strip())


def close_count(kind, have, want):
    if not (have.isdigit() and want.isdigit()):
        return False
    if kind not in VARIES:
        return have == want
    return abs(int(have) - int(want)) <= VARIES_BY * max(int(want), 1)


def chapters():
    return sorted((ROOT / "chapters").glob("*.md"))


def in_code_span(text, offset):
    """Is offset inside `...` on its line (an odd number of backticks before it)?"""
    start = text.rfind("\n", 0, offset) + 1
    return text.count("`", start, offset) % 2 == 1


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def check(run):
    passed = failed = 0
    for md in chapters():
        text = md.read_text()
        rel = md.relative_to(ROOT)
        for m in MARK_RE.finditer(text):
            name, have = m.group(1), m.group(2)
            where = f"{rel}:{line_of(text, m.start())}"
            if in_code_span(text, m.start()):
                print(f"FAIL {where}: {name}: the marker is inside a code span (backticks), "
                      f"where Markdown shows it as text")
                failed += 1
                continue
            try:
                want = figure(name, run)
            except KeyError:
                print(f"FAIL {where}: unknown figure {name!r}")
                failed += 1
                continue
            except NoRun as err:
                print(f"FAIL {where}: {name}: {err}")
                failed += 1
                continue
            if close_enough(name, have, want):
                print(f"PASS {where}: {name} = {' '.join(have.split())[:60]}")
                passed += 1
            else:
                print(f"FAIL {where}: {name} says {' '.join(have.split())[:200]!r}, the run "
                      f"says {' '.join(want.split())[:200]!r} (make figures rewrites it)")
                failed += 1
    return passed, failed


def write(run):
    changed = 0
    for md in chapters():
        text = md.read_text()

        def fill(m):
            try:
                value = figure(m.group(1), run)
            except (KeyError, NoRun) as err:
                print(f"figures: {md.relative_to(ROOT)}: {m.group(1)}: left as it is ({err})")
                return m.group(0)
            return f"<!-- figure: {m.group(1)} -->{value}<!-- end -->"
        new = MARK_RE.sub(fill, text)
        if new != text:
            md.write_text(new)
            changed += 1
            print(f"figures: rewrote {md.relative_to(ROOT)}")
    print(f"figures: {changed} chapter(s) changed")


def self_test():
    """The checker must be able to fail."""
    assert close_enough("exit:npf@x", "100", "110")
    assert not close_enough("exit:cpuid@x", "100", "101")
    assert not close_enough("exit:npf@x", "100", "200")
    block = "\n\n    bookvisor: exits: total=100\n    bookvisor: exits: cpuid=7\n\n"
    assert close_enough("exits@x", block, block.replace("100", "105"))
    assert not close_enough("exits@x", block, block.replace("=7", "=8"))
    assert not close_enough("exits@x", block, block + "    bookvisor: exits: io=1\n")
    assert not close_enough("cpuid-cost@x", "44", "50")
    assert [m.group(1) for m in MARK_RE.finditer(
        "a <!-- figure: x@y -->1<!-- end --> b\n<!-- figure: z -->\n\n  q\n\n<!-- end -->")] \
        == ["x@y", "z"]
    assert in_code_span("a `total=<!--", 12) and not in_code_span("`a` <!--", 4)


def main(argv=None):
    ap = argparse.ArgumentParser(description="the chapters' figures from a run")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--check", action="store_true")
    what.add_argument("--write", action="store_true")
    ap.add_argument("--logs", default=str(ROOT / "build" / "emu" / "out"),
                    help="the emulator runner's log folder (default build/emu/out)")
    opts = ap.parse_args(argv)
    run = Run(opts.logs)
    if opts.write:
        write(run)
        return 0
    passed = failed = 0
    try:
        self_test()
        print("PASS figures self-test")
        passed += 1
    except AssertionError as err:
        print(f"FAIL figures self-test: {err!r}")
        failed += 1
    p, f = check(run)
    passed, failed = passed + p, failed + f
    print(f"figures: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
