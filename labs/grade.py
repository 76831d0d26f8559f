#!/usr/bin/env python3
"""labs/grade.py - grade one lab against a source tree.

    python3 labs/grade.py --lab N [--tree DIR] [--list] [--only CHECK]
                          [--target T] [--timeout-scale F] [--results DIR]

runs lab N's checks in DIR (default: the tree this script lives in), prints one
line per check (PASS, FAIL or SKIP, with the reason under a FAIL) and a closing

    score: X/Y

where Y counts the checks that ran (SKIP lines are not counted). Exit status 0
only with full marks, 1 otherwise, 2 on bad arguments. --only runs the checks
whose key (the first column of --list) matches CHECK, a name or a shell pattern;
--target T skips the emulator checks of the other targets (not counted);
--target none skips them all (tests/labs/run shows a stub failing that way).

The same results go to DIR/build/grade/labN/ (or --results): result.txt (the
text above), result.json (for a course's submission system; the format is in
labs/README.md) and junit.xml (JUnit XML, one test case per check).

A failed emulator check shows first, whole, what says most: bookvisor's first
PANIC line with its report (addresses named by scripts/symbolize.py), the first
fault and `not ok` lines, and how bookvisor stopped; then the runner's reasons.

Everything runs inside DIR with DIR's own Makefile and tests/emurun.py, so the same
grader serves the full tree and a handout. Emulator logs go under
DIR/build/grade/labN/<check>/ (see tests/README.md for the layout).

Adding a check: append to the lab's list in LABS. The kinds are Written (no
stub of the lab left; every lab's first check), Unit (a Check test in
tests/unit), Build (make all) and Emu (a tests/emu/*.test file on one target,
plus optional extra regexes on its logs).
"""

import argparse
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "scripts"))
import symbolize  # noqa: E402  (scripts/symbolize.py, beside this tree's other tools)

TODO_RE = re.compile(r"LAB \d+ TODO: [^\n\"]*")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")
CHECKS_RE = re.compile(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)")


@dataclass
class Outcome:
    """What one check found."""
    status: str                      # PASS, FAIL or SKIP
    detail: str = ""                 # short, on the result line
    notes: list = field(default_factory=list)  # extra lines under a FAIL


@dataclass
class Context:
    """The tree under test and what earlier checks learned about it."""
    tree: Path
    lab: int
    timeout_scale: float
    build_ok: bool = None            # None: not built by this run yet
    build_detail: str = ""


def run(cmd, cwd, timeout, env=None):
    """Run cmd; return (exit status or None on timeout, combined output)."""
    try:
        res = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=timeout, env=env, start_new_session=True)
        return res.returncode, res.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as err:
        out = err.stdout.decode(errors="replace") if err.stdout else ""
        return None, out


def todo_lines(text):
    """The distinct 'LAB n TODO: ...' messages in text, in order."""
    seen = []
    for m in TODO_RE.findall(text):
        m = m.strip()
        if m not in seen:
            seen.append(m)
    return seen


def tail(text, n):
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-n:]


def ensure_built(ctx):
    """Build bookvisor and the test guest once per run; return (ok, detail)."""
    if ctx.build_ok is None:
        rc, out = run(["make", "-j2", "all"], ctx.tree, 900)
        ctx.build_ok = rc == 0
        if rc is None:
            ctx.build_detail = "make all timed out"
        elif rc != 0:
            errors = [ln for ln in out.splitlines() if "error" in ln.lower()]
            ctx.build_detail = "make all failed: " + "; ".join((errors or tail(out, 3))[:3])
    return ctx.build_ok, ctx.build_detail


class Build:
    """`make all` in the tree: bookvisor.elf and the test guest, warning-free."""
    name = "build bookvisor and the test guest (make all)"
    key = "build"

    def run(self, ctx):
        ok, detail = ensure_built(ctx)
        return Outcome("PASS") if ok else Outcome("FAIL", detail)


class Written:
    """The lab's code is in place: no LAB_TODO stub and no stand-in of the lab left.

    In a lab's own handout this fails until every LAB_TODO line of the lab is
    replaced. In a course tree (scripts/handout.py --course) a lab with a
    FALLBACK starts as a stand-in that may already pass the lab's other checks;
    this check fails until the stand-in is replaced too. The full tree has no
    stubs at all.

    part: the part whose stubs count. Part 1 is every region whose text does not
    start with "part N:" (N >= 2); part N those that do (scripts/handout.py
    writes `LAB n TODO: part N: ...` and `Stand-in until lab n part N:`).
    """
    DIRS = ("arch", "common", "pci", "drivers", "net")

    def __init__(self, part=1):
        self.part = part
        if part == 1:
            self.name = "the lab's code is written (no stub or stand-in left)"
            self.key = "written"
        else:
            self.name = f"part {part}'s code is written (no stub or stand-in left)"
            self.key = f"written-part{part}"

    def pattern(self, lab):
        """The regex of a stub or stand-in line of this part of lab."""
        if self.part == 1:
            return re.compile(rf'LAB_TODO\("LAB {lab} TODO: (?!part \d+:)|'
                              rf'Stand-in until lab {lab}:')
        return re.compile(rf'LAB_TODO\("LAB {lab} TODO: part {self.part}:|'
                          rf'Stand-in until lab {lab} part {self.part}:')

    def run(self, ctx):
        stub = self.pattern(ctx.lab)
        left = []
        for top in self.DIRS:
            for path in sorted((ctx.tree / top).rglob("*")):
                if path.suffix not in (".c", ".h", ".S") or not path.is_file():
                    continue
                for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                    if stub.search(line):
                        left.append(f"{path.relative_to(ctx.tree)}:{number}: {line.strip()}")
        if left:
            return Outcome("FAIL", f"{len(left)} stub(s) of lab {ctx.lab} left", left[:8])
        return Outcome("PASS")


class Unit:
    """A Check unit test: build build/unit/<test> with the tree's Makefile, run it.

    case: run only this Check test case (CK_RUN_CASE), for a test file that also
    covers a later lab.
    """

    def __init__(self, test, case=None, optional=False, timeout=300):
        self.test = test
        self.case = case
        self.optional = optional    # a missing test file is SKIP, not FAIL
        self.timeout = timeout
        self.name = f"unit test {test}" + (f" (case {case})" if case else "")
        self.key = test + (f":{case}" if case else "")

    def run(self, ctx):
        if not (ctx.tree / "tests" / "unit" / f"{self.test}.c").is_file():
            if self.optional:
                return Outcome("SKIP", f"tests/unit/{self.test}.c does not exist")
            return Outcome("FAIL", f"tests/unit/{self.test}.c not available yet")
        rc, out = run(["make", f"build/unit/{self.test}"], ctx.tree, self.timeout)
        if rc != 0:
            errs = [ln for ln in out.splitlines() if "error" in ln.lower()] or tail(out, 5)
            return Outcome("FAIL", "did not compile" if rc is not None else "build timed out",
                           errs[:8])
        env = dict(os.environ, CK_DEFAULT_TIMEOUT=str(int(30 * ctx.timeout_scale)))
        env.pop("CK_RUN_SUITE", None)
        env.pop("CK_RUN_CASE", None)
        if self.case:
            env["CK_RUN_CASE"] = self.case
        rc, out = run([str(ctx.tree / "build" / "unit" / self.test)], ctx.tree,
                      self.timeout * ctx.timeout_scale, env)
        m = CHECKS_RE.search(out)
        notes = todo_lines(out) + [ln for ln in out.splitlines()
                                   if re.search(r":[FE]:", ln)][:8]
        if rc is None:
            return Outcome("FAIL", "timed out", notes)
        if not m:
            return Outcome("FAIL", f"no Check summary (exit {rc})", notes or tail(out, 5))
        total, bad = int(m.group(1)), int(m.group(2)) + int(m.group(3))
        if rc == 0 and bad == 0 and total > 0:
            return Outcome("PASS", f"{total} checks")
        return Outcome("FAIL", f"{bad} of {total} checks failed", notes)


class Emu:
    """One tests/emu file (a glob allowed) on one target, plus extra regexes.

    test: a name, or a tuple of names tried in order (the first that exists is
    used), so a check survives a test file being renamed or merged.

    expect: (port, regex) pairs searched in the logs after the run, for things the
    test file itself does not insist on. missing: what a missing test file means,
    "fail" (the lab needs it) or "skip" (an optional check, not counted).
    """

    def __init__(self, test, target, expect=(), missing="fail", timeout=900):
        self.tests = (test,) if isinstance(test, str) else tuple(test)
        self.test = self.tests[0]
        self.target = target
        self.expect = list(expect)
        self.missing = missing
        self.timeout = timeout
        self.name = f"emulator {self.test} [{target}]"
        self.key = f"{self.test.rstrip('*')}@{target}"

    def run(self, ctx):
        files = []
        for test in self.tests:
            files = sorted(glob.glob(str(ctx.tree / "tests" / "emu" / f"{test}.test")))
            if files:
                self.test = test
                self.name = f"emulator {test} [{self.target}]" + \
                    (f" (part {part_of(self)})" if part_of(self) > 1 else "")
                break
        if not files:
            what = " or ".join(f"tests/emu/{t}.test" for t in self.tests) + \
                ": not available yet"
            return Outcome("SKIP" if self.missing == "skip" else "FAIL", what)
        ok, detail = ensure_built(ctx)
        if not ok:
            return Outcome("FAIL", "bookvisor did not build: " + detail)
        out_dir = ctx.tree / "build" / "grade" / f"lab{ctx.lab}" / \
            re.sub(r"[^A-Za-z0-9_.-]", "_", f"{self.test}-{self.target}")
        shutil.rmtree(out_dir, ignore_errors=True)
        cmd = [sys.executable, str(ctx.tree / "tests" / "emurun.py"), *files,
               "--target", self.target, "--jobs", "1", "--out", str(out_dir),
               "--timeout-scale", str(ctx.timeout_scale)]
        rc, out = run(cmd, ctx.tree, self.timeout * ctx.timeout_scale)
        todos = todo_lines(self._logs(out_dir))
        # A stub reached is the whole story; otherwise the panic, fault, `not ok` and stop lines.
        first = earlier_part_hint(ctx.lab, part_of(self), todos) + todos + report_lines(
            {p: self._port_text(out_dir, p) for p in PORTS}, self._events(out_dir),
            ctx.tree / "build" / "bookvisor.elf")
        if rc is None:
            return Outcome("FAIL", "the emulator run timed out", first)
        fails = [ln for ln in out.splitlines() if ln.startswith("FAIL ")]
        passes = [ln for ln in out.splitlines() if ln.startswith("PASS ")]
        if fails or not passes:
            reasons = [explain_exit(r)[:400] for r in (fails or tail(out, 3))]
            return Outcome("FAIL", f"see {out_dir.relative_to(ctx.tree)}", first + reasons)
        missing = [f"missing on {port}: /{rx}/" for port, rx in self.expect
                   if not re.search(rx, self._port_text(out_dir, port), re.M)]
        if missing:
            return Outcome("FAIL", f"see {out_dir.relative_to(ctx.tree)}", first + missing)
        return Outcome("PASS")

    def _events(self, out_dir):
        return "".join(Path(f).read_text(errors="replace") for f in
                       glob.glob(str(out_dir / "out" / "*" / self.target / "events.log")))

    def _port_text(self, out_dir, port):
        text = ""
        for f in glob.glob(str(out_dir / "out" / "*" / self.target / f"{port}.log")):
            text += Path(f).read_text(errors="replace")
        return ANSI_RE.sub("", text)

    def _logs(self, out_dir):
        return "".join(self._port_text(out_dir, p) for p in PORTS)


def earlier_part_hint(lab, part, todos):
    """[a line] when a later part's emulator check stopped at a part 1 stub of the lab
    (the check boots the whole lab; the stub's own message follows), else []."""
    own = re.compile(rf"LAB {lab} TODO: (?!part \d+:)")
    if part <= 1 or not any(own.match(t) for t in todos):
        return []
    return [f"this part {part} check boots the whole lab, and part 1 is not done yet: "
            f"finish it first (make grade LAB={lab} PART=1)"]


PORTS = ("com1", "com2", "e9")
PANIC_RE = re.compile(r"bookvisor: PANIC: ")
# A fault: "triple fault", "page fault"... but not a passing test's name
# ("ok 7 - npt-fault") nor a counter ("faults=12").
FAULT_RE = re.compile(r"\bfault\b", re.I)
NOT_OK_RE = re.compile(r"^not ok\b")
STOP_RES = (re.compile(r"bookvisor: guest stopped: .*"),
            re.compile(r"bookvisor: machine stopped \(status=\w+\)"))
REPORT_LINES = 24    # a panic report: message, registers, a 16-frame backtrace


def report_lines(ports, events, elf):
    """The lines that say most about a failed run, whole, most telling first.

    ports: {port: log text}; events: the runner's events.log; elf: the bookvisor
    that ran, to name the report's addresses (skipped when it is missing). The
    first PANIC comes with the rest of its report, up to the stop line; then the
    first fault line, the first `not ok` line and the stop lines, each once.
    """
    found = []

    def add(line):
        if line and line not in found:
            found.append(line)

    for port in PORTS:   # the panic report from the first port that has one
        lines = ports.get(port, "").splitlines()
        at = next((i for i, ln in enumerate(lines) if PANIC_RE.search(ln)), None)
        if at is None:
            continue
        report = []
        for ln in lines[at:at + REPORT_LINES]:
            if STOP_RES[1].search(ln):
                break
            if ln.strip():
                report.append(ln.rstrip())
        if Path(elf).is_file():
            try:
                report = symbolize.symbolize_text("\n".join(report),
                                                  symbolize.Symbols(elf)).splitlines()
            except (OSError, subprocess.CalledProcessError):
                pass     # no nm or addr2line: the raw addresses still help
        for ln in report:
            add(ln)
        break
    texts = [ports.get(p, "") for p in PORTS] + [events]
    for rx in (FAULT_RE, NOT_OK_RE):
        for text in texts:
            hit = next((ln.strip() for ln in text.splitlines() if rx.search(ln)
                        and not ln.startswith("ok ") and "faults=" not in ln), None)
            if hit:
                add(hit)
                break
    stops = []
    for rx in STOP_RES:
        for text in texts:
            m = rx.search(text)
            if m:
                stops.append(m.group(0).strip())
                break
    stopped_by_stub = any(TODO_RE.search(t) for t in ports.values())
    if not any(STOP_RES[1].search(s) for s in stops) and any(ports.values()) \
            and not stopped_by_stub:
        stops.append("bookvisor printed no stop line: it hung, or the emulator stopped "
                     "under it (a triple fault, a timeout)")
    for line in stops:
        add(line)
    return found


def explain_exit(reason):
    """Say that "emulator exit 0" is the emulator's status, not bookvisor's verdict."""
    return re.sub(r"\bemulator exit 0\b",
                  "emulator exit 0 (the emulator's own status, not the test's)", reason)


@dataclass
class Lab:
    """One lab: its title (as in labs/labN/README.md) and its checks, in order.

    parts: the titles of the lab's later parts ({2: "..."}); their checks come
    from Part() and carry .part, the others are part 1.
    """
    title: str
    checks: list
    parts: dict = field(default_factory=dict)

    def __post_init__(self):
        # Part()'s promise: a later part's key that part 1 already uses gets
        # "-partN", so that ONLY= and the result files tell the two apart.
        first = {c.key for c in self.checks if part_of(c) == 1}
        for check in self.checks:
            if part_of(check) != 1 and check.key in first:
                check.key += f"-part{part_of(check)}"


def Part(number, *checks):  # noqa: N802  (reads as a section of a LABS entry)
    """The checks of a lab's part `number` (2, 3...): named and keyed apart.

    Each check's name says the part; a key already taken by part 1 (a build, an
    emulator test both parts run) gets "-partN" so ONLY= can pick either.
    """
    for check in checks:
        check.part = number
        if not isinstance(check, Written):
            check.name += f" (part {number})"
    return list(checks)


def part_of(check):
    """The part a check belongs to (1 unless Part() said otherwise)."""
    return getattr(check, "part", 1)


GUEST_CPUID = [("com1", rf"^ok {i} - {n}\b") for i, n in
               ((1, "cpuid-hypervisor-bit"), (2, "cpuid-signature"), (3, "cpuid-version"),
                (4, "cpuid-virt-hidden"))]

# Linux's printout of the E820 table it got (lab 7): RAM from 0 and from 1 MiB,
# and bookvisor's range (whole MiBs) reserved.
LINUX_E820 = [("com1", r"^\[ *[0-9.]+\] BIOS-e820: \[mem " + rx) for rx in (
    r"0x0000000000000000-0x000000000009[0-9a-f]{4}\] usable$",
    r"0x0000000000100000-0x[0-9a-f]{16}\] usable$",
    r"0x00000000[0-9a-f]{3}00000-0x00000000[0-9a-f]{3}fffff\] reserved$")]

LABS = {
    1: Lab("detect and report the CPU's virtualization features", [
        Written(),
        Unit("test_svm_caps"),
        # VT-x decoding; the file's other cases test lab 3's control choice.
        Unit("test_vmx_controls", case="caps", optional=True),
        Build(),
        Emu("boot-banner", "qemu-svm",
            expect=[("com1", r"^bookvisor: cpu=AuthenticAMD backend=svm features=npt\b")]),
    ] + Part(2,
        Written(part=2),
        Unit("test_host_usable"),
        # QEMU's EPYC without nested paging: refused, with part 2's sentence.
        Emu("no-npt", "qemu-svm"),
    ), parts={2: "whether this CPU can host bookvisor, and why not"}),
    # Part 2, the memo's stable leaves: on bochs-svm CR4 writes stay in the guest;
    # a kept leaf 1 is right there only as the exit assembly copies CR4.OSXSAVE.
    2: Lab("the CPUID policy", [
        Written(),
        Unit("test_cpuid_policy"),
        Build(),
        Emu("guest-checks", "qemu-svm", expect=GUEST_CPUID),
    ] + Part(2,
        Written(part=2),
        Unit("test_cpuid_stable"),
        Emu("cpuid-memo", "bochs-svm"),
    ), parts={2: "which CPUID answers the memo may keep"}),
    3: Lab("derive the VMCS execution controls", [
        Written(),
        Unit("test_vmx_controls"),
        Build(),
        Emu("guest-checks", "bochs-vmx"),
        # A control the CPU forbids must be caught by the entry checker, by name.
        Emu("entry-check-control", "bochs-vmx"),
    ] + Part(2,
        Written(part=2),
        Unit("test_vmx_msr_bitmap"),
        # The test guest's RDMSR and WRMSR exit counts on bochs-vmx are exact:
        # a bit in the wrong quarter adds or loses exits.
        Emu("guest-checks", "bochs-vmx"),
    ), parts={2: "the MSR bitmap: which RDMSR and WRMSR exit"}),
    # Part 2, reclaim, runs only when the table pool runs dry: the emulator
    # check shrinks the pool so that it does.
    4: Lab("the largest page that can map an address", [
        Written(),
        Unit("test_npt"),
        Build(),
        Emu("guest-checks", "qemu-svm", expect=[("com1", r"^ok \d+ - memory-all\b")]),
    ] + Part(2,
        Written(part=2),
        Unit("test_npt_reclaim"),
        Emu("npt-reclaim", "qemu-svm"),
    ), parts={2: "reclaim a nested table when the pool runs dry"}),
    5: Lab("the PCI selector matcher", [
        Written(),
        Unit("test_pci_match"),
        Unit("test_pci_config"),
        Unit("test_pci_config_wildcards"),
        Build(),
        Emu("pci-conceal*", "qemu-svm", missing="fail"),
    ] + Part(2,
        Written(part=2),
        Unit("test_pci_caps"),
        Emu("pci-capability", "qemu-svm"),
    ), parts={2: "the capability key: walk the capability list, match any ID"}),
    # The decision runs before every entry that has an event to deliver: the
    # event tests from inside the guest (chapter 08) on both vendors.
    6: Lab("choose the event for the next entry", [
        Written(),
        Unit("test_event"),
        Unit("test_vcpu_events"),
        Build(),
        Emu("events", "bochs-vmx"),
        Emu("events", "qemu-svm"),
    ]),
    # The table reaches a real Linux through the zero page: Linux prints it
    # (BIOS-e820) and must boot on it. One emulator run (qemu-svm) keeps it quick.
    # Part 2: the same map as the BIOS tells it to a real-mode guest (INT 15h E820h).
    7: Lab("the guest's E820 map", [
        Written(),
        Unit("test_linux_boot_params"),
        Build(),
        Emu("linux-boot", "qemu-svm", expect=LINUX_E820),
    ] + Part(2,
        Written(part=2),
        Unit("test_bios_memmap"),
        Emu("bios-memmap", "qemu-svm"),
    ), parts={2: "the BIOS's E820 answer: the entry for a continuation value, the next one, the end"}),
    # The scheduler runs VMM threads from the hook before entry (chapter 07):
    # three threads yield, sleep and wait on QEMU and on Bochs.
    8: Lab("the scheduler's next thread and its sleepers", [
        Written(),
        Unit("test_thread_sched"),
        Build(),
        Emu("threads", "qemu-svm"),
        Emu("threads", "bochs-vmx"),
    ]),
    # The guest starts its second processor through its xAPIC's ICR (chapter 08):
    # bookvisor takes the INIT and SIPIs and starts the processor as a vCPU.
    9: Lab("the guest's start-up IPIs", [
        Written(),
        Unit("test_irq_vectors"),
        Build(),
        Emu("smp-2", "qemu-svm"),
        Emu("smp-2", "bochs-vmx"),
    ]),
    # The `filter` module between the pro1000 and bookvisor's stack (chapter 09):
    # frames counted by direction and kind, and the drop rule.
    10: Lab("a network-API module: count and filter frames", [
        Written(),
        Unit("test_net_filter"),
        Build(),
        Emu("net-filter", "qemu-svm"),
    ]),
    # The status service on lwIP's raw API (chapter 10): the reply to one request line.
    # Part 2: its raw-API receive callback.
    11: Lab("an lwIP raw-API service: the status line", [
        Written(),
        Unit("test_net_status"),
        Build(),
        Emu("net-status", "qemu-svm"),
    ] + Part(2,
        Written(part=2),
        Unit("test_bv_status"),
    ), parts={2: "the service's receive callback on lwIP's raw API"}),
}


class Tee:
    """Write to several text streams at once (the terminal and result.txt)."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for s in self.streams:
            s.write(text)

    def flush(self):
        for s in self.streams:
            s.flush()


def select(checks, only, part=None):
    """The checks whose key matches only (a name or a shell pattern) and of that
    part; all without either."""
    checks = [c for c in checks if part is None or part_of(c) == part]
    if not only:
        return list(checks)
    return [c for c in checks if c.key == only or fnmatch.fnmatchcase(c.key, only)]


def grade(lab_number, tree, timeout_scale=1.0, out=sys.stdout, only=None, results_dir=None,
          target=None, part=None):
    """Run the lab's checks (those matching only); print and save the results.

    target: run the emulator checks of this target only; the others are SKIP
    ("none", which no check names: every emulator check is SKIP).
    part: run only the checks of this part of the lab (None: every part).

    Returns (score, total). The results also go to results_dir (default
    tree/build/grade/labN): result.txt, result.json and junit.xml.
    """
    lab = LABS[lab_number]
    ctx = Context(tree=tree, lab=lab_number, timeout_scale=timeout_scale)
    results_dir = Path(results_dir or tree / "build" / "grade" / f"lab{lab_number}")
    results_dir.mkdir(parents=True, exist_ok=True)
    with open(results_dir / "result.txt", "w") as text_file:
        out = Tee(out, text_file)
        print(f"lab {lab_number}: {lab.title} (tree {tree})", file=out, flush=True)
        if part is not None:
            what = lab.parts.get(part, lab.title if part == 1 else "")
            print(f"part {part} only: {what}", file=out)
        if only:
            print(f"only the checks matching {only!r}", file=out)
        if target:
            print(f"emulator checks on {target} only", file=out)
        score = total = 0
        records = []
        for check in select(lab.checks, only, part):
            start = time.monotonic()
            if target and getattr(check, "target", target) != target:
                result = Outcome("SKIP", f"not on {target} (--target)")
            else:
                result = check.run(ctx)
            took = time.monotonic() - start
            detail = f": {result.detail}" if result.detail else ""
            print(f"{result.status} {check.name}{detail} ({took:.1f}s)", file=out, flush=True)
            if result.status != "PASS":
                for note in result.notes:
                    print(f"    {note}", file=out)
            if result.status != "SKIP":
                total += 1
                score += result.status == "PASS"
            records.append({"key": check.key, "part": part_of(check), "name": check.name,
                            "status": result.status,
                            "detail": result.detail, "notes": list(result.notes),
                            "seconds": round(took, 1)})
        print(f"score: {score}/{total}", file=out, flush=True)
    summary = {"lab": lab_number, "title": lab.title, "tree": str(tree), "part": part,
               "only": only,
               "score": score, "total": total, "passed": total > 0 and score == total,
               "checks": records}
    (results_dir / "result.json").write_text(json.dumps(summary, indent=2) + "\n")
    write_junit(results_dir / "junit.xml", summary)
    return score, total


def write_junit(path, summary):
    """The results as JUnit XML: one <testcase> per check, notes in the failure text."""
    fails = sum(r["status"] == "FAIL" for r in summary["checks"])
    skips = sum(r["status"] == "SKIP" for r in summary["checks"])
    suite = ElementTree.Element("testsuite", name=f"lab{summary['lab']}",
                                tests=str(len(summary["checks"])), failures=str(fails),
                                skipped=str(skips), errors="0")
    for r in summary["checks"]:
        case = ElementTree.SubElement(suite, "testcase", classname=f"lab{summary['lab']}",
                                      name=r["key"], time=str(r["seconds"]))
        if r["status"] == "FAIL":
            fail = ElementTree.SubElement(case, "failure", message=r["detail"] or "failed")
            fail.text = "\n".join(r["notes"])
        elif r["status"] == "SKIP":
            ElementTree.SubElement(case, "skipped", message=r["detail"])
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="grade one bookvisor lab")
    ap.add_argument("--lab", type=int, required=True, choices=sorted(LABS))
    ap.add_argument("--tree", type=Path, default=HERE,
                    help="source tree to grade (default: this one)")
    ap.add_argument("--list", action="store_true",
                    help="list the checks (key, then what it runs); run nothing")
    ap.add_argument("--part", type=int, metavar="N",
                    help="run only the checks of part N of the lab (default: every part)")
    ap.add_argument("--only", metavar="CHECK",
                    help="run only the checks whose key matches (a name or a pattern)")
    ap.add_argument("--timeout-scale", type=float, default=1.0,
                    help="stretch every timeout (slow machine)")
    ap.add_argument("--target", help="run the emulator checks of this target only "
                    "(the others are skipped, not counted); 'none' skips them all")
    ap.add_argument("--results", type=Path, metavar="DIR",
                    help="where result.txt, result.json and junit.xml go "
                         "(default TREE/build/grade/labN)")
    opts = ap.parse_args(argv)
    tree = opts.tree.resolve()
    checks = LABS[opts.lab].checks
    parts = sorted({part_of(c) for c in checks})
    if opts.part is not None and opts.part not in parts:
        print(f"grade: lab {opts.lab} has no part {opts.part}; its parts are: "
              f"{', '.join(map(str, parts))}", file=sys.stderr)
        return 2
    if opts.list:
        shown = select(checks, None, opts.part)
        width = max(len(c.key) for c in shown)
        for check in shown:
            print(f"{check.key:<{width}}  {check.name}")
        return 0
    if opts.only and not select(checks, opts.only, opts.part):
        print(f"grade: no check of lab {opts.lab} matches {opts.only!r}; the checks are: "
              f"{', '.join(c.key for c in select(checks, None, opts.part))}", file=sys.stderr)
        return 2
    if not (tree / "Makefile").is_file():
        print(f"grade: {tree} is not a bookvisor tree (no Makefile)", file=sys.stderr)
        return 2
    score, total = grade(opts.lab, tree, opts.timeout_scale, only=opts.only,
                         results_dir=opts.results, target=opts.target, part=opts.part)
    return 0 if total > 0 and score == total else 1


if __name__ == "__main__":
    sys.exit(main())
