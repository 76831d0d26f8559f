#!/usr/bin/env python3
"""tests/bench.py - bookvisor's benchmarks (`make bench`; not part of `make test`).

nested-paging: the test guest touches all of its memory (tests=memory-all)
once with the default mappings and once with 4 KiB pages only (npt4k), on the
same target; prints the nested-page-fault counts, their ratio and the
reclaim counts. Goal (issue: nested paging): default mode takes at least
100 times fewer faults, with no reclaim; missing it prints FAIL and makes the
exit status 1.

cpuid-cost: the guest's minimum `rdtsc; cpuid; rdtsc` on Bochs VT-x and
AMD-V, where the TSC counts instructions: the VMM's cost of one exit.
Informational: the budget (under 100 instructions of VMM code) is not met yet
(chapters/02-exit-dispatch.md, "The fast path"), so being over it prints
"(budget not met)" but does not fail; only a run with no measurement fails.

exit-costs: the guest's minimum round trip of each common exit kind
(tests=exit-cost: CPUID of a remembered leaf and of leaf 1, an intercepted
I/O port read, the hypercall, a WRMSR of EFER, a CR0 write flipping CR0.NE,
a CR4 write flipping CR4.PGE, a load from the MMIO test page: a nested page
fault) on Bochs VT-x and AMD-V, in Bochs instructions, against a goal of
EXIT_GOAL each (chapter 14): one line per kind with its cost, the goal and
PASS or OVER, and for a kind over the goal the reason it is (EXIT_WHY).
Informational like cpuid-cost: OVER is said, not failed; only a run with no
measurement fails.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NPT_MIN_RATIO = 100         # goal: 4k-only takes 100 times more faults than default
CPUID_BUDGET = 100          # instructions of VMM code per CPUID round trip
EXIT_GOAL = 150             # instructions per round trip of any common exit kind
BARE_CPUID = 6              # the same round trip on bare Bochs (no VMM)
NPT_LINE = re.compile(r"nested paging: faults=(\d+) maps4k=(\d+) maps2m=(\d+) maps1g=(\d+) "
                      r"tables=(\d+) reclaims=(\d+)")


def boot_com1(target, vmm_args, guest_args, mem, timeout):
    """Boot the test guest under bookvisor; return the guest's COM1 log."""
    return boot(target, vmm_args, guest_args, mem, timeout, port="com1")


def boot(target, vmm_args, guest_args, mem, timeout, port="com2"):
    """Boot the test guest under bookvisor; return bookvisor's COM2 log."""
    with tempfile.TemporaryDirectory() as out:
        iso = os.path.join(out, "bench.iso")
        subprocess.run([os.path.join(ROOT, "scripts/mkiso"), iso,
                        os.path.join(ROOT, "build/bookvisor.elf"),
                        os.path.join(ROOT, "build/guest/testguest.elf"), guest_args, vmm_args],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cmd = [sys.executable, os.path.join(ROOT, "tests/emurun.py"), "--boot", target, iso,
               "--mem", str(mem), "--timeout", str(timeout), "--outdir", out,
               "--end", r"machine stopped", "--stream", "com2"]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(out, port + ".log"), errors="replace") as f:
            return f.read()


def nested_paging(args):
    results = {}
    for mode, extra in (("default", ""), ("4k-only", " npt4k")):
        log = boot(args.target, "console=com2" + extra, "tests=memory-all", args.mem, args.timeout)
        m = NPT_LINE.search(log)
        ok = "status=ok" in log
        if not m or not ok:
            print(f"bench: FAIL nested-paging {mode}: the run did not finish cleanly")
            print(log[-2000:])
            return 1
        faults, m4k, m2m, m1g, tables, reclaims = map(int, m.groups())
        results[mode] = (faults, reclaims)
        print(f"bench: nested-paging {mode:8s} target={args.target} mem={args.mem}M "
              f"faults={faults} maps4k={m4k} maps2m={m2m} tables={tables} reclaims={reclaims}")
    return npt_verdict(results)


def npt_verdict(results):
    """Judge {mode: (faults, reclaims)} against the goals; print; return 0 or 1."""
    d, f4 = results["default"][0], results["4k-only"][0]
    ratio = f4 / d if d else float("inf")
    reclaims = results["default"][1]
    print(f"bench: nested-paging fault ratio 4k-only/default = {ratio:.1f} "
          f"(goal >= {NPT_MIN_RATIO}, default reclaims = {reclaims}, goal 0)")
    missed = []
    if ratio < NPT_MIN_RATIO:
        missed.append(f"fault ratio {ratio:.1f} is below {NPT_MIN_RATIO}")
    if reclaims:
        missed.append(f"default mode reclaimed {reclaims} time(s)")
    if missed:
        print(f"bench: FAIL nested-paging: {'; '.join(missed)}")
        return 1
    print("bench: PASS nested-paging: both goals met")
    return 0


def guest_note(part, target, vmm_args, test, pattern):
    """Boot the guest with tests=<test>; the match of pattern on COM1, or None (said)."""
    log = boot_com1(target, vmm_args, "tests=" + test, 128, 300)
    m = re.search(pattern, log)
    if not m:
        print(f"bench: FAIL {part} {target}: no measurement")
        print(log[-1500:])
    return m


def cpuid_cost(args):
    """Minimum `rdtsc; cpuid; rdtsc` in the guest: on Bochs, instructions per exit.

    Measured twice per target: as bookvisor runs (the assembly answers
    remembered leaves), and with test.no_fast_path, where every exit goes
    through C: the difference is what the fast path saves (chapter 02)."""
    for target in ("bochs-vmx", "bochs-svm"):
        for label, extra in (("", ""), ("no fast path", " test.no_fast_path")):
            log = boot_com1(target, "console=com2" + extra, "tests=cpuid-cost", 128, 300)
            m = re.search(r"cpuid-cost \(min (\d+) cycles\)", log)
            if not m:
                print(f"bench: FAIL cpuid-cost {target} {label}: no measurement")
                print(log[-1500:])
                return 1
            print(cpuid_line(target, int(m.group(1)), label))
    return 0


# The kinds the guest's exit-cost note names, in its order, and what each one times.
EXIT_KINDS = (
    ("cpuid0", "CPUID leaf 0 (remembered)"),
    ("cpuid1", "CPUID leaf 1"),
    ("io", "IN from port 0x92 (hooked)"),
    ("vmcall", "hypercall (ping)"),
    ("msr", "WRMSR EFER (same value)"),
    ("cr0", "MOV to CR0 flipping NE"),
    ("cr4", "MOV to CR4 flipping PGE"),
    ("mmio", "load from the MMIO test page"),
)

# Why a kind is over EXIT_GOAL where it is, in a few words (chapter 14, "What is
# left over the goal", says it in full). A kind over the goal without a reason
# here is a regression to look at.
EXIT_WHY = {
    ("cpuid1", None): "C path: leaf 1 is remembered only where CR4.OSXSAVE writes exit",
    ("io", None): "C path + io_exit + the hook's call and the port access",
    ("msr", None): "C path + EFER read and its rules",
    ("cr0", "bochs-vmx"): "C path + the CR0 rules + VMCS writes",
    ("cr0", "bochs-svm"): "no decode assists: fetch the MOV through the guest's page tables",
    ("mmio", None): "fetch, decode and emulate the access",
    ("cpuid1", "bochs-svm"): "C path: CR4 writes stay in the guest, so leaf 1 is not remembered",
    ("vmcall", "bochs-svm"): "C path: VMSAVE/VMLOAD, the VMCB's RAX",
}


def exit_costs(args):
    """Each common exit kind's round trip on the Bochs targets, against EXIT_GOAL."""
    within = total = 0
    for target in ("bochs-vmx", "bochs-svm"):
        m = guest_note("exit-costs", target, "console=com2 test.mmio_page", "exit-cost",
                       r"exit-cost \(([^)]*)\)")
        if not m:
            return 1
        costs = dict(kv.split("=") for kv in m.group(1).split())
        for key, what in EXIT_KINDS:
            cost = int(costs[key])
            print(exit_line(target, what, cost, exit_why(key, target)))
            total += 1
            within += cost <= EXIT_GOAL
    print(f"bench: exit-costs: {within} of {total} kinds within the goal of {EXIT_GOAL} "
          f"(informational: OVER is said, not failed)")
    return 0


def exit_why(key, target):
    """The recorded reason a kind is over the goal on target, or ""."""
    return EXIT_WHY.get((key, target), EXIT_WHY.get((key, None), ""))


def exit_line(target, what, total, why=""):
    """One exit kind's result line: cost, goal, PASS or OVER (and why, when known)."""
    mark = "PASS" if total <= EXIT_GOAL else "OVER"
    note = f" ({why})" if mark == "OVER" and why else ""
    return (f"bench: exit-cost {target:10s} {what:30s} {total:6d} instructions "
            f"goal {EXIT_GOAL:3d} {mark}{note}")


def cpuid_line(target, total, label=""):
    """The cpuid-cost result line; informational, so over budget is said, not failed."""
    vmm = total - BARE_CPUID
    verdict = "within budget" if vmm < CPUID_BUDGET else "budget not met"
    name = f"{target} ({label})" if label else target
    return (f"bench: cpuid-cost {name:25s} min {total} instructions per CPUID round trip, "
            f"{vmm} of VMM code (bare Bochs: {BARE_CPUID}; budget: under {CPUID_BUDGET} of "
            f"VMM code; the reference: ~440 VT-x, ~350 AMD-V) ({verdict})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="qemu-svm")
    ap.add_argument("--mem", type=int, default=1536)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--part", choices=("all", "nested-paging", "cpuid-cost", "exit-costs"),
                    default="all",
                    help="run only one benchmark (default: all)")
    args = ap.parse_args()
    rc = 0
    if args.part in ("all", "nested-paging"):
        rc |= nested_paging(args)
    if args.part in ("all", "cpuid-cost"):
        rc |= cpuid_cost(args)
    if args.part in ("all", "exit-costs"):
        rc |= exit_costs(args)
    return rc


if __name__ == "__main__":
    sys.exit(main())
