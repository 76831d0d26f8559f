#!/usr/bin/env python3
"""tests/exit_profile.py - where each exit kind's instructions go (chapter 14).

Boots the test guest's exit-cost check (tests=exit-cost, test.mmio_page) on a
Bochs target with the debugger: stops at the guest's check_exit_cost, turns
the trace on and steps STEPS instructions. The trace is cut at the guest's
RDTSCs: each piece between two of them is one measured round trip. For each
kind (named by the guest instruction that exited) the cheapest piece is
printed with its instructions counted by function (bookvisor runs at its link
addresses, so `nm` names them); --full prints every instruction of it.

    python3 tests/exit_profile.py --target bochs-vmx [--full] [--keep DIR]

Not part of make test or make bench: a tool for the person making an exit
cheaper. Bochs prints about 100 bytes per traced instruction, so the trace
of the default million steps is about 120 MB (in a temporary directory
unless --keep names one).
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import emu_process  # noqa: E402  (the bochsrc and the network namespace, as the tests use them)
from emu_spec import TARGETS  # noqa: E402

VMM_BASE = 0xffffffff80000000
TRACE_LINE = re.compile(r"^\(\d+\)\.\[(\d+)\] \[0x[0-9a-f]+\] [0-9a-f]{4}:([0-9a-f]+) "
                        r"\(unk\. ctxt\): (.*?)\s*;")


def symbols(elf):
    """Sorted (address, name) of the text symbols of elf."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def trace(target, steps, outdir):
    """Run the exit-cost check under Bochs's debugger; return the trace's path."""
    iso = os.path.join(outdir, "disk.iso")
    subprocess.run([os.path.join(ROOT, "scripts/mkiso"), iso,
                    os.path.join(ROOT, "build/bookvisor.elf"),
                    os.path.join(ROOT, "build/guest/testguest.elf"), "tests=exit-cost",
                    "console=com2 test.mmio_page"], check=True, stdout=subprocess.DEVNULL)
    guest = dict((name, addr) for addr, name in
                 symbols(os.path.join(ROOT, "build/guest/testguest.elf")))
    with open(os.path.join(outdir, "bochsrc"), "w") as f:
        f.write(emu_process.bochsrc_text(TARGETS[target], 128, []))
    # Stop at the check, forget the breakpoint (stepping stops at one), trace.
    commands = f"lb 0x{guest['check_exit_cost']:x}\nc\nd 1\ntrace on\ns {steps}\nquit\n"
    path = os.path.join(outdir, "trace.txt")
    with open(path, "wb") as out:
        subprocess.run(emu_process.netns_prefix() + ["bochs", "-q", "-f", "bochsrc"], cwd=outdir,
                       input=commands.encode(), stdout=out, stderr=subprocess.DEVNULL,
                       timeout=1800)
    return path


def round_trips(path):
    """The pieces of the trace between two guest RDTSCs that ran VMM code:
    (length in instructions, the guest instruction that exited, [(address, text)])."""
    pieces, cur = [], None
    with open(path, errors="replace") as f:
        for line in f:
            m = TRACE_LINE.match(line)
            if not m:
                continue
            tick, addr, text = int(m.group(1)), int(m.group(2), 16), m.group(3)
            in_guest = addr < VMM_BASE
            if in_guest and text.startswith("rdtsc"):
                if cur and cur["exited"]:
                    pieces.append((tick - cur["t0"], cur["exited"], cur["insns"]))
                cur = {"t0": tick, "last_guest": None, "exited": None, "insns": []}
                continue
            if cur is None:
                continue
            if in_guest:
                cur["last_guest"] = text
            elif cur["exited"] is None:
                # No guest line since the RDTSC: Bochs's debugger prints none for an
                # instruction on a page nested paging has not mapped yet.
                cur["exited"] = re.sub(r"0x[0-9a-f]+", "N", re.sub(r"\s+", " ",
                                                                  cur["last_guest"] or
                                                                  "not shown by the debugger"))
            cur["insns"].append((addr, text))
    return pieces


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", default="bochs-vmx", choices=("bochs-vmx", "bochs-vmx-tgl",
                                                              "bochs-svm"))
    ap.add_argument("--steps", type=int, default=1200000)
    ap.add_argument("--full", action="store_true", help="print every instruction")
    ap.add_argument("--keep", help="keep the trace in this directory")
    args = ap.parse_args()
    syms = symbols(os.path.join(ROOT, "build/bookvisor.elf"))
    starts = [a for a, _ in syms]

    def function(addr):
        i = bisect.bisect_right(starts, addr) - 1
        return syms[i][1] if addr >= VMM_BASE and i >= 0 else "(guest)"

    with tempfile.TemporaryDirectory() as tmp:
        outdir = args.keep or tmp
        os.makedirs(outdir, exist_ok=True)
        pieces = round_trips(trace(args.target, args.steps, outdir))
    if not pieces:
        print("exit_profile: no round trip in the trace (did the guest reach check_exit_cost?)")
        return 1
    cheapest = {}
    for length, kind, insns in pieces:
        # A CPUID answered by the assembly and one that went through C are two kinds.
        if kind == "cpuid" and any(function(a) in ("vmx_on_exit", "svm_on_exit") for a, _ in insns):
            kind = "cpuid (through C)"
        if kind not in cheapest or length < cheapest[kind][0]:
            cheapest[kind] = (length, insns)
    for kind, (length, insns) in cheapest.items():
        counts = collections.Counter(function(a) for a, _ in insns)
        order = list(dict.fromkeys(function(a) for a, _ in insns))
        print(f"{kind}: {length} instructions, RDTSC to RDTSC")
        print("    " + ", ".join(f"{name} {counts[name]}" for name in order))
        if args.full:
            for addr, text in insns:
                print(f"        {function(addr):32s} {addr:x}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
