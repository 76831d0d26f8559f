#!/usr/bin/env python3
"""labs/grade.py - grade one lab against a source tree.

    python3 labs/grade.py --lab N [--tree DIR] [--list] [--timeout-scale F]

runs lab N's checks in DIR (default: the tree this script lives in), prints one
line per check (PASS, FAIL or SKIP, with the reason under a FAIL) and a closing

    score: X/Y

where Y counts the checks that ran (SKIP lines are not counted). Exit status 0
only with full marks, 1 otherwise, 2 on bad arguments.

Everything runs inside DIR with DIR's own Makefile and tests/emurun.py, so the same
grader serves the full tree and a handout. Emulator logs go under
DIR/build/grade/labN/<check>/ (see tests/README.md for the layout).

Adding a check: append to the lab's list in LABS. The kinds are Unit (a Check
test in tests/unit), Build (make all) and Emu (a tests/emu/*.test file on one
target, plus optional extra regexes on its logs).
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
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

    def run(self, ctx):
        ok, detail = ensure_built(ctx)
        return Outcome("PASS") if ok else Outcome("FAIL", detail)


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

    def run(self, ctx):
        files = []
        for test in self.tests:
            files = sorted(glob.glob(str(ctx.tree / "tests" / "emu" / f"{test}.test")))
            if files:
                self.test = test
                self.name = f"emulator {test} [{self.target}]"
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
        logs = self._logs(out_dir)
        notes = todo_lines(logs)
        if rc is None:
            return Outcome("FAIL", "the emulator run timed out", notes)
        fails = [ln for ln in out.splitlines() if ln.startswith("FAIL ")]
        passes = [ln for ln in out.splitlines() if ln.startswith("PASS ")]
        if fails or not passes:
            reasons = fails or tail(out, 3)
            return Outcome("FAIL", f"see {out_dir.relative_to(ctx.tree)}",
                           notes + [r[:400] for r in reasons])
        missing = [f"missing on {port}: /{rx}/" for port, rx in self.expect
                   if not re.search(rx, self._port_text(out_dir, port), re.M)]
        if missing:
            return Outcome("FAIL", f"see {out_dir.relative_to(ctx.tree)}", notes + missing)
        return Outcome("PASS")

    def _port_text(self, out_dir, port):
        text = ""
        for f in glob.glob(str(out_dir / "out" / "*" / self.target / f"{port}.log")):
            text += Path(f).read_text(errors="replace")
        return ANSI_RE.sub("", text)

    def _logs(self, out_dir):
        return "".join(self._port_text(out_dir, p) for p in ("com1", "com2", "e9"))


@dataclass
class Lab:
    """One lab: its title (as in labs/labN/README.md) and its checks, in order."""
    title: str
    checks: list


GUEST_CPUID = [("com1", rf"^ok {i} - {n}\b") for i, n in
               ((1, "cpuid-hypervisor-bit"), (2, "cpuid-signature"), (3, "cpuid-version"),
                (4, "cpuid-virt-hidden"))]

LABS = {
    1: Lab("detect and report the CPU's virtualization features", [
        Unit("test_svm_caps"),
        # VT-x decoding; the file's other cases test lab 3's control choice.
        Unit("test_vmx_controls", case="caps", optional=True),
        Build(),
        Emu("boot-banner", "qemu-svm",
            expect=[("com1", r"^bookvisor: cpu=AuthenticAMD backend=svm features=npt\b")]),
    ]),
    2: Lab("the CPUID policy", [
        Unit("test_cpuid_policy"),
        Build(),
        Emu("guest-checks", "qemu-svm", expect=GUEST_CPUID),
    ]),
    3: Lab("derive the VMCS execution controls", [
        Unit("test_vmx_controls"),
        Build(),
        Emu("guest-checks", "bochs-vmx"),
        # A control the CPU forbids must be caught by the entry checker, by name.
        Emu("entry-check-control", "bochs-vmx"),
    ]),
    4: Lab("the largest page that can map an address", [
        Unit("test_npt"),
        Build(),
        Emu("guest-checks", "qemu-svm", expect=[("com1", r"^ok \d+ - memory-all\b")]),
    ]),
    5: Lab("the PCI selector matcher", [
        Unit("test_pci_match"),
        Unit("test_pci_config"),
        Unit("test_pci_config_wildcards"),
        Build(),
        Emu("pci-conceal*", "qemu-svm", missing="fail"),
    ]),
    # The decision runs before every entry that has an event to deliver: the
    # event tests from inside the guest (chapter 08) on both vendors.
    6: Lab("choose the event for the next entry", [
        Unit("test_event"),
        Unit("test_vcpu_events"),
        Build(),
        Emu("events", "bochs-vmx"),
        Emu("events", "qemu-svm"),
    ]),
}


def grade(lab_number, tree, timeout_scale=1.0, out=sys.stdout):
    """Run every check of the lab; print the results; return (score, total)."""
    lab = LABS[lab_number]
    ctx = Context(tree=tree, lab=lab_number, timeout_scale=timeout_scale)
    print(f"lab {lab_number}: {lab.title} (tree {tree})", file=out, flush=True)
    score = total = 0
    for check in lab.checks:
        start = time.monotonic()
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
    print(f"score: {score}/{total}", file=out, flush=True)
    return score, total


def main(argv=None):
    ap = argparse.ArgumentParser(description="grade one bookvisor lab")
    ap.add_argument("--lab", type=int, required=True, choices=sorted(LABS))
    ap.add_argument("--tree", type=Path, default=HERE,
                    help="source tree to grade (default: this one)")
    ap.add_argument("--list", action="store_true", help="list the checks, run nothing")
    ap.add_argument("--timeout-scale", type=float, default=1.0,
                    help="stretch every timeout (slow machine)")
    opts = ap.parse_args(argv)
    tree = opts.tree.resolve()
    if opts.list:
        for check in LABS[opts.lab].checks:
            print(check.name)
        return 0
    if not (tree / "Makefile").is_file():
        print(f"grade: {tree} is not a bookvisor tree (no Makefile)", file=sys.stderr)
        return 2
    score, total = grade(opts.lab, tree, opts.timeout_scale)
    return 0 if total > 0 and score == total else 1


if __name__ == "__main__":
    sys.exit(main())
