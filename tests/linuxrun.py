#!/usr/bin/env python3
"""tests/linuxrun.py - boot Debian's Linux with bookvisor's initramfs and turn the
checks it prints into test results.

Usage: tests/linuxrun.py [--target T]... [--jobs N] [--out DIR] [--timeout-scale F]

For each target: build the initramfs (scripts/mkinitramfs), take a quick look at
where bookvisor puts itself (a boot that stops at its "VMM region" line), boot Linux
under bookvisor with that range and a concealed PCI class on the kernel command
line, and report one PASS/FAIL line per check the initramfs printed (`ok N - name`,
`not ok N - name: why`), plus the runner's own: the summary line came, the range
bookvisor printed is the one Linux was given, the machine was switched off cleanly,
nothing panicked. On bochs-svm Linux is first booted bare: when that fails (Linux
has hung there without any hypervisor) the target is skipped, with the reason;
when it works, the run under bookvisor must pass too. A missing kernel, busybox or
emulator skips with the reason. Ends with "linux: N passed, M failed". Logs go to
build/emu/linux/<target>/<run>/. Standard library only.
"""

import argparse
import concurrent.futures
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from emurun import (DEFAULT_FORBID, Emulator, _summary, _watch, emulator_missing,
                    first_match, port_texts, run_main, tail)
from emu_spec import TARGETS
from linux_iso import GUESTS, build_linux_iso, linux_boot_missing

ROOT = Path(__file__).resolve().parent.parent
KERNEL = GUESTS / "vmlinuz"
BUSYBOX = GUESTS / "busybox"
VMM = ROOT / "build" / "bookvisor.elf"
INITRD = ROOT / "build" / "linux" / "initrd.gz"

# Every target gets an Intel e1000 NIC (class 02), which bookvisor conceals: the
# initramfs checks that no class 02 function is left in /sys/bus/pci/devices.
CONCEAL_CLASS = "02"
VMM_ARGS = f"console=com2 vmm.driver.pci=class={CONCEAL_CLASS}*,driver=conceal"
NIC_QEMU = ["-device", "e1000,addr=02.0"]
# Two processors everywhere: Linux starts the second through its local APIC, bookvisor
# takes the INIT and start-up IPIs and runs it as a vCPU, and the initramfs checks that
# both are online (bookvisor.cpus; chapter 08). On qemu-svm one run in three once
# stopped safely (a VMCB holding bookvisor's own state after a shootdown NMI); not seen
# in 26 runs since, and bookvisor now reports where to look if it comes back (chapter
# 08). One processor stays covered by make run's check and linux-boot.
CPUS = {"qemu-svm": 2, "bochs-vmx": 2, "bochs-vmx-tgl": 2, "bochs-svm": 2}
NIC_BOCHS = ["pci: enabled=1, chipset=i440fx, slot1=e1000",
             "e1000: enabled=1, mac=52:54:00:12:34:56, ethmod=null"]
# Linux and bookvisor together need more than the Bochs targets' default 128 MiB.
MEM = {"qemu-svm": 1024, "bochs-vmx": 256, "bochs-vmx-tgl": 256, "bochs-svm": 256}
# MiB the initramfs' memory check writes and reads back: 16 MiB costs seconds on
# QEMU, minutes on Bochs.
MEMCHECK = {"qemu-svm": 16, "bochs-vmx": 4, "bochs-vmx-tgl": 4, "bochs-svm": 4}
# Kernel reports the initramfs excuses, by a text of their line: emulator bugs that
# a bare boot shows too. Bochs 2.7's Skylake-X and Tiger Lake models give, in CPUID
# leaf 0xD sub-leaf 1, an XSAVES area size that disagrees with the sizes of the
# components (Linux: "XSAVE consistency problem: size 2432 != kernel_size 2688",
# then a WARN() in fpu/xstate.c).
DMESG_KNOWN = {"bochs-vmx": "fpu/xstate.c", "bochs-vmx-tgl": "fpu/xstate.c"}
# Seconds for one boot (measured: qemu-svm about 30 s; bochs-vmx 533 s on an idle
# core, 9.6G Bochs ticks; see tests/README.md). With two processors Bochs emulates
# halted time tick by tick, as slowly as work: the initramfs's sleeps once took 1.9
# of the guest's 4.2 seconds, and the boot then ran past 900 s on busy cores (the
# hang that was not one: it powered off at 16.3G ticks, after 882 s). So sleeps in
# the initramfs are short, and the limit has a margin over a busy machine.
TIMEOUT = {"qemu-svm": 240, "bochs-vmx": 1200, "bochs-vmx-tgl": 1200, "bochs-svm": 1200}
# Targets booted bare first; only when Linux works there does bookvisor have to.
# Debian's 6.1 kernel hangs on both without any hypervisor (measured): on bochs-svm
# after "NR_IRQS: ..." (the interrupt set-up, before the serial console takes
# over; only earlyprintk shows it), on bochs-vmx-tgl after "LSM: Security Framework
# initializing", in a storm of faults (Bochs logs non-canonical accesses, or with
# `ibt=off` an invalid segment register; `no5lvl` changed nothing). A bare boot that works takes about half the time of TIMEOUT, so a
# hang is given up on sooner: after BARE_TIMEOUT in all, or once the serial ports have
# been silent for BARE_STALL seconds (a working boot on Bochs prints at least every
# minute or so, even on busy cores; the two hangs go silent for good).
BARE_FIRST = ("bochs-vmx-tgl", "bochs-svm")
BARE_TIMEOUT = 600
BARE_STALL = 180

CHECK_RE = re.compile(r"^(not )?ok (\d+) - ([^\s:]+)(.*)$", re.M)
SUMMARY_RE = re.compile(r"^linux-checks: (\d+) passed, (\d+) failed", re.M)
REGION_RE = re.compile(r"VMM region \[(0x[0-9a-f]+), (0x[0-9a-f]+)\)")
# The default forbid list without `not ok`: a failed check is its own result.
FORBID = DEFAULT_FORBID.replace("|not ok", "")


class Outcome:
    """One reported line: PASS, FAIL or SKIP, a name, a target and why."""

    def __init__(self, kind, name, target, why="", seconds=None):
        self.kind, self.name, self.target, self.why, self.seconds = \
            kind, name, target, why, seconds

    def line(self):
        t = f" ({self.seconds:.1f}s)" if self.seconds is not None else ""
        why = f": {self.why}" if self.why else ""
        return f"{self.kind} linux/{self.name} [{self.target}]{why}{t}"


def kernel_cmdline(target, bare, vmm_range=None):
    # earlyprintk: when Linux hangs early, the log still shows how far it came.
    words = ["console=ttyS0", "earlyprintk=serial,ttyS0,115200", "bookvisor.mode=test",
             f"bookvisor.memcheck={MEMCHECK[target]}", f"bookvisor.cpus={CPUS[target]}"]
    if target in DMESG_KNOWN:
        words.append(f"bookvisor.dmesg_known={DMESG_KNOWN[target]}")
    if bare:
        words.append("bookvisor.bare")
    else:
        words += [f"bookvisor.range={vmm_range or 'unknown'}",
                  f"bookvisor.conceal={CONCEAL_CLASS}"]
    return " ".join(words)


def make_initrd():
    """Build build/linux/initrd.gz; return why it failed, or None."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "mkinitramfs"), str(INITRD),
                        str(BUSYBOX)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return None if r.returncode == 0 else f"mkinitramfs failed: {r.stdout.strip()}"


def missing_inputs(target):
    """Why TARGET cannot run today, or None."""
    for f, how in ((KERNEL, "Debian's linux-image-amd64"), (BUSYBOX, "busybox-static")):
        if not f.is_file():
            return f"{f.relative_to(ROOT)} is missing (scripts/setup fetches {how})"
    if not VMM.is_file():
        return f"{VMM.relative_to(ROOT)} is missing (run make)"
    return emulator_missing(TARGETS[target]) or linux_boot_missing(bare=False)


class Boot:
    """One emulator run of a Linux ISO; its texts per port and how it stopped."""

    def __init__(self, target, iso, outdir, timeout, end=None, stall=0):
        t = TARGETS[target]
        extra = (NIC_QEMU + ["-smp", str(CPUS[target])] if t.kind == "qemu"
                 else NIC_BOCHS + [f"cpu: count={CPUS[target]}"])
        if outdir.exists():
            shutil.rmtree(outdir)
        self.outdir = outdir
        self.emu = Emulator(t, iso, outdir, MEM[target], extra)
        t0 = time.monotonic()
        self.emu.start()
        try:
            self.how, self.end_seen = _watch(self.emu, timeout, end, stall=stall)
        finally:
            self.emu.kill()
        self.emu.finish(self.how)
        self.seconds = time.monotonic() - t0
        self.texts = port_texts(self.emu)

    def log_tail(self, n=25):
        """The last lines of COM1 and COM2, indented, for a failure report."""
        out = []
        for name in ("com1.log", "com2.log", "events.log"):
            lines = tail(self.outdir / name, n)
            if lines:
                out.append(f"  ---- {self.outdir / name} (last {len(lines)} lines) ----")
                out += [f"  | {ln}" for ln in lines]
        return out


def quick_look(target, opts):
    """Boot the same ISO only until bookvisor prints its VMM region; return 'LO-HI'."""
    iso = build_linux_iso(opts.out / "iso", KERNEL, INITRD,
                          kernel_cmdline(target, False), VMM, VMM_ARGS)
    b = Boot(target, iso, opts.out / "linux" / target / "quick-look", 120 * opts.timeout_scale,
             end=("com2", REGION_RE.pattern))
    m = REGION_RE.search(b.texts["com2"])
    if not m:
        raise RuntimeError(f"bookvisor printed no VMM region ({_summary(b.emu)})")
    return f"{m.group(1)}-{m.group(2)}"


def judge(boot, target, run, bare, vmm_range):
    """Outcomes of one Linux boot: one per check line, then the runner's own."""
    out = []
    com1 = boot.texts["com1"]
    for m in CHECK_RE.finditer(com1):
        failed, name, rest = m.group(1), m.group(3), m.group(4).strip()
        if failed:
            out.append(Outcome("FAIL", f"{run}/{name}", target, rest.lstrip(": ")))
        elif "# SKIP" in rest and not bare:
            out.append(Outcome("FAIL", f"{run}/{name}", target,
                               f"skipped under bookvisor ({rest.split('# SKIP', 1)[1].strip()})"))
        else:
            out.append(Outcome("PASS", f"{run}/{name}", target))
    s = SUMMARY_RE.search(com1)
    lines = CHECK_RE.findall(com1)
    if not s:
        out.append(Outcome("FAIL", f"{run}/summary", target,
                           f"no 'linux-checks:' summary ({_summary(boot.emu)})"))
    elif not lines:
        out.append(Outcome("FAIL", f"{run}/summary", target, "no check line before it"))
    else:
        out.append(Outcome("PASS", f"{run}/summary", target, f"{len(lines)} checks"))
    if bare:
        off = "shutdown" in boot.emu.events or (
            TARGETS[target].kind == "qemu" and "emulator exit 0" in boot.emu.events)
        why = "" if off else f"the machine was not switched off ({_summary(boot.emu)})"
    else:
        off = re.search(r"guest switched the machine off", boot.texts["com2"]) and \
            re.search(r"machine stopped \(status=ok\)", boot.texts["com2"])
        why = "" if off else "bookvisor did not report a clean power-off"
        m = REGION_RE.search(boot.texts["com2"])
        printed = f"{m.group(1)}-{m.group(2)}" if m else None
        if printed == vmm_range:
            out.append(Outcome("PASS", f"{run}/range-as-printed", target))
        else:
            out.append(Outcome("FAIL", f"{run}/range-as-printed", target,
                               f"Linux was given {vmm_range}, bookvisor printed {printed}"))
    out.append(Outcome("PASS" if off else "FAIL", f"{run}/power-off", target, why))
    hit = first_match(boot.texts, "any", FORBID)
    out.append(Outcome("FAIL" if hit else "PASS", f"{run}/no-panic", target,
                       f"{hit[0]}: {hit[1][:160]!r}" if hit else ""))
    out[-1].seconds = boot.seconds
    return out


def run_linux(target, opts, bare):
    """Boot Linux on TARGET (bare, or under bookvisor after a quick look); judge it."""
    run = "bare" if bare else "bookvisor"
    vmm_range = None if bare else quick_look(target, opts)
    iso = build_linux_iso(opts.out / "iso", KERNEL, INITRD,
                          kernel_cmdline(target, bare, vmm_range),
                          None if bare else VMM, "" if bare else VMM_ARGS)
    boot = Boot(target, iso, opts.out / "linux" / target / run,
                (BARE_TIMEOUT if bare else TIMEOUT[target]) * opts.timeout_scale,
                end=None if bare else ("com2", r"machine stopped \(status="),
                stall=BARE_STALL * opts.timeout_scale if bare else 0)
    return boot, judge(boot, target, run, bare, vmm_range)


# The negative run: Linux bare on qemu-svm, told a range that is RAM and a class that
# is present (06, the host bridge), without `bookvisor.bare`. Each of these checks must
# say `not ok`, or it could never fail; every other check must still pass.
NEGATIVE_ARGS = ("console=ttyS0 bookvisor.mode=test bookvisor.memcheck=1 "
                 "bookvisor.range=0x1000000-0x2000000 bookvisor.conceal=06")
MUST_FAIL = ("vmx-svm-hidden", "vmm-range-not-ram", "pci-concealed-absent")


def run_negative(opts):
    target = "qemu-svm"
    iso = build_linux_iso(opts.out / "iso", KERNEL, INITRD, NEGATIVE_ARGS)
    boot = Boot(target, iso, opts.out / "linux" / target / "negative",
                TIMEOUT[target] * opts.timeout_scale)
    out = []
    for m in CHECK_RE.finditer(boot.texts["com1"]):
        failed, name = bool(m.group(1)), m.group(3)
        if failed == (name in MUST_FAIL):
            out.append(Outcome("PASS", f"negative/{name}", target,
                               "fails as it must" if failed else ""))
        else:
            out.append(Outcome("FAIL", f"negative/{name}", target,
                               f"{'failed' if failed else 'passed'}, it must "
                               f"{'pass' if failed else 'fail'}: {m.group(0)}"))
    seen = {m.group(3) for m in CHECK_RE.finditer(boot.texts["com1"])}
    for name in MUST_FAIL:
        if name not in seen:
            out.append(Outcome("FAIL", f"negative/{name}", target,
                               f"no line for it ({_summary(boot.emu)})"))
    out[-1].seconds = boot.seconds
    return out, (boot.log_tail() if any(o.kind == "FAIL" for o in out) else [])


def run_target(target, opts):
    """Every outcome of one target, with the failing boots' log tails."""
    why = missing_inputs(target)
    if why:
        return [Outcome("SKIP", "all", target, why)], []
    try:
        notes = []
        if target in BARE_FIRST:
            boot, bare = run_linux(target, opts, bare=True)
            if any(o.kind == "FAIL" for o in bare):
                failed = "; ".join(f"{o.name}: {o.why}" for o in bare if o.kind == "FAIL")
                last = (boot.texts["com1"].strip().splitlines() or ["nothing"])[-1]
                return [Outcome("SKIP", "all", target,
                                f"Linux fails here without bookvisor too ({failed}; "
                                f"its last line: {last[:120]!r}); logs in {boot.outdir}",
                                boot.seconds)], []
            notes = bare
        boot, outcomes = run_linux(target, opts, bare=False)
        tails = boot.log_tail() if any(o.kind == "FAIL" for o in outcomes) else []
        if TARGETS[target].kind == "qemu":
            negative, more = run_negative(opts)
            outcomes += negative
            tails += more
        return notes + outcomes, tails
    except (RuntimeError, OSError) as e:
        return [Outcome("FAIL", "boot", target, str(e))], []


def main(argv=None):
    ap = argparse.ArgumentParser(description="Boot Linux with bookvisor's initramfs "
                                 "in the emulators and report its checks.")
    ap.add_argument("--target", action="append", choices=list(TARGETS),
                    help="only this target (repeatable; default: all four)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="targets in parallel")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "emu",
                    help="root of ISO cache and logs (default: build/emu)")
    ap.add_argument("--timeout-scale", type=float, default=1.0)
    opts = ap.parse_args(argv)
    opts.out = opts.out.resolve()
    targets = opts.target or list(TARGETS)
    why = None if not BUSYBOX.is_file() else make_initrd()
    if why:
        print(f"FAIL linux/initramfs: {why}")
        print("linux: 0 passed, 1 failed")
        return 1
    lock = threading.Lock()
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(run_target, t, opts) for t in targets]
        for fut in concurrent.futures.as_completed(futures):
            outcomes, tails = fut.result()
            with lock:
                for o in outcomes:
                    counts[o.kind] += 1
                    print(o.line(), flush=True)
                for ln in tails:
                    print(ln)
    skipped = f" ({counts['SKIP']} skipped)" if counts["SKIP"] else ""
    print(f"linux: {counts['PASS']} passed, {counts['FAIL']} failed{skipped}")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    run_main(main)
