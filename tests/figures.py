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
    npt:FIELD@TARGET      one field of guest-checks' `nested paging:` line (faults,
                          maps4k, maps2m, maps1g, tables, reclaims, mtrr-writes)
    npt-line@TARGET       that whole line, as an indented block
    features@TARGET       the backend's features on bookvisor's banner line
    memory-all@TARGET     the MiB guest-checks' memory-all check tested
    cr-illegal@TARGET     how many CR4 bits guest-checks' cr-illegal found lacking
                          or refused
    exit-cost:KIND@TARGET one kind's round trip from the exit-cost test's note
                          (tests/emu/exit-cost.test: cpuid0, cpuid1, io, vmcall,
                          msr, cr0, cr4, mmio)

and, from runs too slow for make test (LONG, checked by make test-long):

    profile:TRIP@TARGET       a round trip's instructions in the exit profile
                              (tests/exit_profile.py; TRIP is its name made a
                              slug: vmcall, in-al-n, mov-cr0-ebx, ...)
    profile:TRIP:FUNC@TARGET  the instructions of one function in that trip
    profile-block:TRIP@TARGET the trip's two lines, as an indented block
    npt-bench:FIELD@MODE      make bench's nested-paging part on qemu-svm (its output
                              saved by make test-long): FIELD faults, maps4k, maps2m,
                              tables or reclaims of MODE default or 4k-only, or
                              ratio@both (the fault ratio)
    linux:NAME@bochs-vmx      make bench's Linux boot to init (the bench build,
                              tests/bench.py --part linux --linux-only bochs):
                              exits (the total), exit-KIND, share (percent),
                              vmm, all, before, boot, boot-pct, c-exits,
                              in-c, per-c-exit, untimed (instructions)

    tests/figures.py --check [--logs DIR]   (make test, after the emulator stage;
                                             the LONG figures are only counted)
    tests/figures.py --check --long         (make test-long, after its runs of
                                             the profile and of the Linux bench)
    tests/figures.py --write [--logs DIR]   (make figures: rewrites the marked
                                             regions from the latest runs)

--check compares every marked figure with the latest run (build/emu/out): exact,
except the counts that depend on timing or on how much memory the emulator
gives (VARIES: nested page faults, the total, HLT), which may differ by
VARIES_BY; a chapter whose figure is off fails with file:line, the figure and
the run's value: run `make figures` and read the prose around it again. The Linux
figures count a whole boot, which moves a little from run to run: they may differ
by LINUX_BY. It also
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
VARIES = ("total", "npf", "hlt", "faults", "maps4k", "maps2m")
VARIES_BY = 0.25          # a run-dependent count may be off by this fraction
LINUX_BY = 0.05           # a figure of a whole Linux boot may be off by this fraction
LONG = ("profile", "profile-block", "linux", "npt-bench")   # kinds make test-long checks
PROFILE_LOGS = ROOT / "build" / "emu" / "out" / "exit-profile"   # TARGET.log
LINUX_LOG = ROOT / "build" / "emu" / "bench-linux" / "bochs-vmx" / "com2.log"
NPT_BENCH_LOG = ROOT / "build" / "emu" / "out" / "bench-nested-paging.log"
NPT_BENCH_RE = re.compile(r"^bench: nested-paging (default|4k-only) +target=\S+ mem=\S+ (.*)$", re.M)
NPT_RATIO_RE = re.compile(r"^bench: nested-paging fault ratio 4k-only/default = ([\d.]+)", re.M)
TEST_FILE = ROOT / "tests" / "emu" / "guest-checks.test"
SUMMARY_RE = re.compile(r"guest: summary passed=(\d+) failed=0")
COST_RE = re.compile(r"cpuid-cost \(min (\d+) cycles\)")
EXIT_COST_RE = re.compile(r"exit-cost \(([^)]*)\)")
TRIP_RE = re.compile(r"^(\S.*?): (\d+) instructions, RDTSC to RDTSC\n    (.*)$", re.M)
EXIT_RE = re.compile(r"^bookvisor: exits: (\S+)=(\d+)$", re.M)
STOP_RE = re.compile(r"^bookvisor: guest stopped: .*$", re.M)
NPT_RE = re.compile(r"^bookvisor: nested paging: (.*)$", re.M)
FEATURES_RE = re.compile(r"^bookvisor: cpu=\S+ backend=\S+ features=(.*)$", re.M)
MEMORY_ALL_RE = re.compile(r"^ok \d+ - memory-all \((\d+) MiB\)$", re.M)
CR_ILLEGAL_RE = re.compile(r"^ok \d+ - cr-illegal \(lacking: ([^;)]*)(?:; refused: ([^)]*))?\)$",
                           re.M)


class NoRun(Exception):
    """The run a figure needs is not there."""


class Run:
    """The latest guest-checks logs under logs (build/emu/out by default)."""

    def __init__(self, logs, profile_logs=PROFILE_LOGS, linux_log=LINUX_LOG):
        self.logs = Path(logs)
        self.profile_logs = Path(profile_logs)
        self.linux_log = Path(linux_log)
        self.npt_bench_log = NPT_BENCH_LOG
        self.left = 0           # figures check() left to the other run

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
    if kind_of(name) in LONG:
        return long_figure(name, run)
    simple = guest_checks_figure(name, run)
    if simple is not None:
        return simple
    m = re.fullmatch(r"exit-cost:(\w+)@([\w-]+)", name)
    if m:
        note = EXIT_COST_RE.search(run.port(m.group(2), "com1", "exit-cost"))
        costs = dict(kv.split("=") for kv in note.group(1).split()) if note else {}
        if m.group(1) not in costs:
            raise NoRun(f"exit-cost on {m.group(2)} has no {m.group(1)} in its note")
        return costs[m.group(1)]
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


def guest_checks_figure(name, run):
    """The figures of one line of a guest-checks run (npt, npt-line, features,
    memory-all, cr-illegal), or None for other names."""
    m = re.fullmatch(r"(npt:([\w-]+)|npt-line|features|memory-all|cr-illegal)@([\w-]+)", name)
    if not m:
        return None
    kind, field, target = m.groups()
    port = "com2" if kind.startswith("npt") or kind == "features" else "com1"
    text = run.port(target, port)
    regex = {"features": FEATURES_RE, "memory-all": MEMORY_ALL_RE,
             "cr-illegal": CR_ILLEGAL_RE}.get(kind, NPT_RE)
    found = regex.search(text)
    if not found:
        raise NoRun(f"guest-checks on {target} has no line for {name}")
    if kind == "npt-line":
        return f"\n\n    {found.group(0)}\n\n"
    if kind.startswith("npt:"):
        fields = dict(kv.split("=") for kv in found.group(1).split())
        if field not in fields:
            raise NoRun(f"the nested paging line on {target} has no {field}")
        return fields[field]
    if kind == "cr-illegal":
        return str(len(found.group(1).split()) + len((found.group(2) or "").split()))
    return found.group(1)


def kind_of(name):
    """A figure name's kind: the part before its first ':' or '@'."""
    return re.split(r"[:@]", name, maxsplit=1)[0]


def slug(text):
    """A round trip's name in the profile as a figure name takes it."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def profile_trips(run, target):
    """{slug: (name, total, {function: count}, the breakdown line)} of the profile."""
    path = run.profile_logs / f"{target}.log"
    if not path.is_file():
        raise NoRun(f"no {path}: make test-long runs tests/exit_profile.py --target "
                    f"{target} into it")
    trips = {}
    for name, total, parts in TRIP_RE.findall(path.read_text()):
        funcs = {}
        for part in parts.split(", "):
            func, _, count = part.rpartition(" ")
            funcs[func] = count
        trips[slug(name)] = (name, total, funcs, parts)
    return trips


def linux_figures(run):
    """{name: text} of make bench's Linux boot on bochs-vmx (LINUX_LOG), numbers with
    thousands separators as the chapters write them."""
    if not run.linux_log.is_file():
        raise NoRun(f"no {run.linux_log}: make test-long runs tests/bench.py --part linux "
                    f"--linux-only bochs")
    sys.path.insert(0, str(ROOT / "tests"))
    import bench
    com2 = run.linux_log.read_text(errors="replace").replace("\r", "")
    counts = bench.parse_exit_counts(com2)
    ticks = bench.parse_bench_ticks(com2)
    share = bench.vmm_share(ticks) if ticks else None
    if not counts or not share:
        raise NoRun(f"{run.linux_log} has no exit counts or no usable bench ticks")
    pct, vmm, all_, before = share
    boot = ticks["first-entry"] - ticks["start"]
    fast = ticks["exits"] - ticks["timed"]
    out = {"exits": f"{sum(counts.values()):,}", "share": f"{pct:.3f}", "vmm": f"{vmm:,}",
           "all": f"{all_:,}", "before": f"{before:,}", "boot": f"{boot:,}",
           "boot-pct": f"{100 * boot / vmm:.0f}", "c-exits": f"{ticks['timed']:,}",
           "in-c": f"{ticks['in-exits'] - ticks['halted']:,}",
           "per-c-exit": f"{(ticks['in-exits'] - ticks['halted']) // max(ticks['timed'], 1):,}",
           "untimed": f"{ticks['timed'] * bench.UNTIMED_C_EXIT + fast * bench.UNTIMED_FAST_EXIT:,}"}
    for kind, n in counts.items():
        out[f"exit-{kind}"] = f"{n:,}"
    return out


def npt_bench_figure(field, mode, run):
    """One figure of make bench's nested-paging part (NPT_BENCH_LOG)."""
    if not run.npt_bench_log.is_file():
        raise NoRun(f"no {run.npt_bench_log}: make test-long saves tests/bench.py "
                    f"--part nested-paging there")
    text = run.npt_bench_log.read_text()
    if field == "ratio" and mode == "both":
        m = NPT_RATIO_RE.search(text)
        if not m:
            raise NoRun("the nested-paging bench printed no fault ratio")
        return f"{float(m.group(1)):.0f}"
    rows = {mode_: dict(kv.split("=") for kv in rest.split())
            for mode_, rest in NPT_BENCH_RE.findall(text)}
    if field not in rows.get(mode, {}):
        raise NoRun(f"the nested-paging bench printed no {field} for {mode}")
    return rows[mode][field]


def long_figure(name, run):
    """A figure of make test-long's runs (LONG)."""
    m = re.fullmatch(r"(profile|profile-block):([\w-]+)(?::(\w+))?@([\w-]+)", name)
    if m:
        kind, trip, func, target = m.groups()
        trips = profile_trips(run, target)
        if trip not in trips:
            raise NoRun(f"the profile on {target} has no round trip {trip!r} "
                        f"(it has {', '.join(sorted(trips))})")
        label, total, funcs, parts = trips[trip]
        if kind == "profile-block":
            return (f"\n\n    {label}: {total} instructions, RDTSC to RDTSC\n"
                    f"        {parts}\n\n")
        if func is None:
            return total
        if func not in funcs:
            raise NoRun(f"the profile's {trip} on {target} spends nothing in {func}")
        return funcs[func]
    m = re.fullmatch(r"npt-bench:(\w+)@(default|4k-only|both)", name)
    if m:
        return npt_bench_figure(m.group(1), m.group(2), run)
    m = re.fullmatch(r"linux:([\w-]+)@bochs-vmx", name)
    if not m:
        raise KeyError(name)
    figures = linux_figures(run)
    if m.group(1) not in figures:
        raise NoRun(f"the Linux bench run has no {m.group(1)}")
    return figures[m.group(1)]


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
    if kind_of(name) == "npt-line":
        pairs = [dict(kv.split("=") for kv in x.split("nested paging:")[-1].split())
                 for x in (have, want)]
        return pairs[0].keys() == pairs[1].keys() and \
            all(close_count(k, pairs[0][k], pairs[1][k]) for k in pairs[1])
    if kind_of(name) == "npt":
        return close_count(name.split(":")[1].split("@")[0], have.strip(), want.strip())
    if kind_of(name) in ("linux", "npt-bench"):
        return close_fraction(have.strip(), want.strip(), LINUX_BY)
    m = re.fullmatch(r"exit:([\w-]+)@[\w-]+", name)
    return bool(m) and close_count(m.group(1), have.strip(), want.strip())


def close_fraction(have, want, by):
    """Two numbers as the chapters write them (1,877 or 0.405) within a fraction by."""
    try:
        h, w = float(have.replace(",", "")), float(want.replace(",", ""))
    except ValueError:
        return False
    return abs(h - w) <= by * max(abs(w), 1)


def close_count(kind, have, want):
    if not (have.isdigit() and want.isdigit()):
        return False
    if kind not in VARIES:
        return have == want
    return abs(int(have) - int(want)) <= VARIES_BY * max(int(want), 1)


def chapters():
    """The files whose figures are checked: the chapters and the labs' READMEs."""
    return sorted((ROOT / "chapters").glob("*.md")) + sorted((ROOT / "labs").glob("*/README.md"))


def in_code_span(text, offset):
    """Is offset inside `...` on its line (an odd number of backticks before it)?"""
    start = text.rfind("\n", 0, offset) + 1
    return text.count("`", start, offset) % 2 == 1


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def check(run, long):
    """Check the marked figures: the LONG kinds when long, the others when not (those
    are counted in run.left). Returns (passed, failed)."""
    passed = failed = 0
    for md in chapters():
        text = md.read_text()
        rel = md.relative_to(ROOT)
        for m in MARK_RE.finditer(text):
            name, have = m.group(1), m.group(2)
            where = f"{rel}:{line_of(text, m.start())}"
            if (kind_of(name) in LONG) != long:
                run.left += 1
                continue
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


def check_bench_bounds(run):
    """make bench's Linux share adds, for the untimed part of each exit, a bound taken
    from these round trips (tests/bench.py): a bound below today's round trip would make
    the share too small. Returns (passed, failed)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import bench
    passed = failed = 0
    for bound, name in ((bench.UNTIMED_C_EXIT, "exit-cost:vmcall@bochs-vmx"),
                        (bench.UNTIMED_FAST_EXIT, "exit-cost:cpuid0@bochs-vmx")):
        try:
            trip = int(figure(name, run))
        except NoRun as err:
            print(f"FAIL tests/bench.py bound {bound}: {err}")
            failed += 1
            continue
        if trip <= bound:
            print(f"PASS tests/bench.py bound {bound} >= {name} = {trip}")
            passed += 1
        else:
            print(f"FAIL tests/bench.py bound {bound} is below {name} = {trip}: raise it")
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
    assert close_enough("linux:exits@bochs-vmx", "1,877", "1,880")
    assert not close_enough("linux:exits@bochs-vmx", "1,877", "2,100")
    assert close_enough("linux:share@bochs-vmx", "0.405", "0.410")
    assert not close_enough("linux:share@bochs-vmx", "0.405", "0.5")
    assert not close_enough("profile:vmcall@bochs-vmx", "145", "146")
    assert not close_enough("exit-cost:io@bochs-vmx", "232", "233")
    line = "\n\n    bookvisor: nested paging: faults=100 maps4k=10 tables=7\n\n"
    assert close_enough("npt-line@x", line, line.replace("=100", "=110"))
    assert not close_enough("npt-line@x", line, line.replace("=7", "=8"))
    assert not close_enough("npt:tables@x", "7", "8") and close_enough("npt:faults@x", "90", "100")
    assert kind_of("profile-block:vmcall@x") == "profile-block" and slug("in al, N") == "in-al-n"


def main(argv=None):
    ap = argparse.ArgumentParser(description="the chapters' figures from a run")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--check", action="store_true")
    what.add_argument("--write", action="store_true")
    ap.add_argument("--logs", default=str(ROOT / "build" / "emu" / "out"),
                    help="the emulator runner's log folder (default build/emu/out)")
    ap.add_argument("--long", action="store_true",
                    help="with --check: the figures of make test-long's runs (LONG)")
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
    p, f = check(run, opts.long)
    passed, failed = passed + p, failed + f
    if not opts.long:
        p, f = check_bench_bounds(run)
        passed, failed = passed + p, failed + f
    other = "make test" if opts.long else "make test-long"
    print(f"figures: {run.left} figure(s) left to {other}")
    print(f"figures: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
