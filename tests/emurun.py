#!/usr/bin/env python3
"""tests/emurun.py - boot bookvisor ISOs in emulators and check what they print.

Test mode:   tests/emurun.py [--target T]... [--jobs N] [--list] [TESTFILE...]
Ad-hoc boot: tests/emurun.py --boot TARGET ISO [--mem M] [--timeout S]

Each (test, target) pair boots an ISO built by scripts/mkiso, captures COM1, COM2 and
port 0xE9 into files, and checks the test's regexes. The file format and the targets
are described in tests/README.md. Standard library only.
"""

import argparse
import concurrent.futures
import fnmatch
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKISO = ROOT / "scripts" / "mkiso"
DEFAULT_VMM = "build/bookvisor.elf"
DEFAULT_OUT = ROOT / "build" / "emu"
ISO_CACHE_KEEP = 32          # cached ISOs kept in build/emu/iso (newest first)
END_GRACE_S = 0.5            # time left for other ports to flush after `end` matched
POLL_S = 0.1
TAIL_LINES = 60

# Serial ports a guest writes to, plus the runner's own event log ("emu").
CAPTURE_PORTS = ("com1", "com2", "e9")
ALL_PORTS = CAPTURE_PORTS + ("emu",)
DEFAULT_FORBID = r"(?i:panic)|not ok|triple fault|^error: |status=failure"

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Target:
    """One way of booting an ISO: an emulator and a CPU model."""

    def __init__(self, name, kind, cpu, mem, about):
        self.name, self.kind, self.cpu, self.mem, self.about = name, kind, cpu, mem, about


TARGETS = {
    t.name: t for t in (
        Target("qemu-svm", "qemu", "EPYC,+svm,+npt", 1024, "QEMU TCG, q35, AMD EPYC with SVM+NPT"),
        Target("bochs-vmx", "bochs", "corei7_skylake_x", 128, "Bochs, Skylake-X with VMX"),
        Target("bochs-vmx-tgl", "bochs", "tigerlake", 128, "Bochs, Tiger Lake with VMX"),
        Target("bochs-svm", "bochs", "ryzen", 128, "Bochs, Ryzen with SVM"),
    )
}


# --------------------------------------------------------------------------- test files

class TestSpec:
    """A parsed tests/emu/*.test file: ordered (key, port, target-glob, value) entries."""

    LIST_KEYS = ("expect", "forbid", "qemu-args", "bochs-config")
    SCALAR_KEYS = ("name", "description", "targets", "vmm", "guest", "guest-args",
                   "vmm-args", "vmm-config", "iso", "mem", "timeout", "end", "expect-fail",
                   "default-forbid")
    PORT_KEYS = ("expect", "forbid", "end")

    def __init__(self, path):
        self.path = Path(path)
        self.entries = []
        self.name = self.path.stem
        self._parse()

    def _parse(self):
        text = self.path.read_text(encoding="utf-8")
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{self.path}:{lineno}"
            m = re.match(r"([a-z0-9-]+)(?:\.([a-z0-9]+))?(?:@(\S+?))?\s*:(.*)$", line)
            if not m:
                raise ValueError(f"{where}: expected 'key[.port][@target]: value'")
            key, port, glob, value = m.group(1), m.group(2), m.group(3), m.group(4).strip()
            if key not in self.LIST_KEYS + self.SCALAR_KEYS:
                raise ValueError(f"{where}: unknown key '{key}'")
            if port and key not in self.PORT_KEYS:
                raise ValueError(f"{where}: '{key}' takes no port")
            port = port or "any"
            if port not in ALL_PORTS + ("any",):
                raise ValueError(f"{where}: unknown port '{port}' (com1 com2 e9 emu any)")
            if key in ("expect", "forbid", "end"):
                try:
                    re.compile(value, re.M)
                except re.error as e:
                    raise ValueError(f"{where}: bad regex: {e}") from None
            if key == "end" and port == "emu":
                raise ValueError(f"{where}: 'end' watches com1, com2, e9 or any")
            if key in ("mem", "timeout"):
                try:
                    float(value)
                except ValueError:
                    raise ValueError(f"{where}: '{key}' needs a number") from None
            self.entries.append((key, port, glob, value))
            if key == "name" and glob is None:
                self.name = value

    def targets(self):
        """Target names this test runs on (default: all)."""
        value = self.get_scalar("targets", None)
        if value is None or value.strip() == "all":
            return list(TARGETS)
        names = value.split()
        for n in names:
            if n not in TARGETS:
                raise ValueError(f"{self.path}: unknown target '{n}'")
        return names

    def get_scalar(self, key, target, default=None):
        """Last value of KEY that applies to TARGET (entries with @glob need a match)."""
        value = default
        for k, _port, glob, v in self.entries:
            if k == key and (glob is None or (target and fnmatch.fnmatch(target, glob))):
                value = v
        return value

    def get_list(self, key, target):
        """All (port, value) of KEY that apply to TARGET, in file order."""
        return [(p, v) for k, p, glob, v in self.entries
                if k == key and (glob is None or fnmatch.fnmatch(target, glob))]

    def get_port_scalar(self, key, target):
        """(port, value) of the last KEY entry for TARGET, or None."""
        found = None
        for k, p, glob, v in self.entries:
            if k == key and (glob is None or fnmatch.fnmatch(target, glob)):
                found = (p, v)
        return found


# --------------------------------------------------------------------------- ISOs

_iso_locks = {}
_iso_locks_guard = threading.Lock()


def _file_digest(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_iso(cache_dir, vmm, guest, guest_args, vmm_args, config=""):
    """Return a cached ISO for these parameters, building it with scripts/mkiso if new.

    The cache key covers the file contents, so a rebuilt bookvisor gets a new ISO.
    """
    vmm = Path(vmm)
    if not vmm.is_file():
        raise RuntimeError(f"{vmm} does not exist (build it first: make)")
    if guest and not Path(guest).is_file():
        raise RuntimeError(f"guest file {guest} does not exist")
    if config and not Path(config).is_file():
        raise RuntimeError(f"config module {config} does not exist")
    key_src = json.dumps([_file_digest(vmm), _file_digest(guest) if guest else "",
                          guest_args, vmm_args, _file_digest(MKISO),
                          _file_digest(config) if config else ""])
    key = hashlib.sha1(key_src.encode()).hexdigest()[:20]
    iso = Path(cache_dir) / f"{key}.iso"
    with _iso_locks_guard:
        lock = _iso_locks.setdefault(key, threading.Lock())
    with lock:
        if iso.is_file():
            os.utime(iso)  # mark as recently used for pruning
            return iso
        iso.parent.mkdir(parents=True, exist_ok=True)
        cmd = [str(MKISO), str(iso), str(vmm), str(guest or "-"), guest_args, vmm_args]
        if config:
            cmd.append(str(config))
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"mkiso failed: {r.stdout.strip()[-2000:]}")
    return iso


def prune_iso_cache(cache_dir):
    """Keep only the ISO_CACHE_KEEP most recently used ISOs."""
    d = Path(cache_dir)
    if not d.is_dir():
        return
    isos = sorted(d.glob("*.iso"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in isos[ISO_CACHE_KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass


# --------------------------------------------------------------------------- captures

class FileCapture:
    """Bytes an emulator writes into a file, read incrementally while it runs."""

    def __init__(self, path):
        self.path = Path(path)
        self.data = bytearray()
        self.pos = 0

    def poll(self):
        """Read what is new; return the new bytes."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                new = f.read()
        except FileNotFoundError:
            return b""
        self.pos += len(new)
        self.data += new
        return new

    def finish(self):
        self.poll()

    def text(self):
        return clean_text(bytes(self.data))


class BochsE9Capture(FileCapture):
    """Port 0xE9 as Bochs prints it: on stdout, after the debugger's banner and prompt.

    Bochs (Debian's build has its debugger) writes the e9 bytes to stdout, where the
    debugger also prints its banner, the `<bochs:1> ` prompt we answer with `c`, and
    the instruction it stopped at when the simulation ends. Only the bytes between the
    first prompt and that final stop line are the guest's; finish() writes them to
    e9.log.
    """

    STOP_RE = re.compile(rb"(?:\n|^)\(\d+\)\.\[\d+\] \[0x[0-9a-f]+\][^\n]*(?:\n|$)")

    def __init__(self, stdout_path, e9_path):
        super().__init__(stdout_path)
        self.e9_path = Path(e9_path)
        self.raw = bytearray()
        self.started = False

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                new = f.read()
        except FileNotFoundError:
            return b""
        self.pos += len(new)
        self.raw += new
        if not self.started:
            m = re.search(rb"<bochs:1> (?:c\n)?", self.raw)
            if not m:
                return b""
            self.started = True
            new = bytes(self.raw[m.end():])
        self.data += new
        return new

    def finish(self):
        self.poll()
        data = bytes(self.data)
        m = self.STOP_RE.search(data)
        if m:
            data = data[:m.start()] + (b"\n" if m.group(0).startswith(b"\n") else b"")
        self.data = bytearray(data)
        self.e9_path.write_bytes(data)


def clean_text(data):
    """Decode a log and drop terminal escapes and CRs (GRUB clears the screen)."""
    return ANSI_RE.sub("", data.decode("utf-8", errors="replace"))


# --------------------------------------------------------------------------- emulators

_netns_prefix = None


def netns_prefix():
    """Run Bochs in an empty network namespace when we may, so its RFB server (it
    listens on 0.0.0.0:5900+ and there is no display-less GUI in Debian's build) is
    reachable by nobody and parallel runs never compete for ports."""
    global _netns_prefix
    if _netns_prefix is None:
        _netns_prefix = []
        if shutil.which("unshare"):
            for pre in (["unshare", "-n"], ["unshare", "-rn"]):
                try:
                    r = subprocess.run(pre + ["true"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    continue
                if r.returncode == 0:
                    _netns_prefix = pre
                    break
    return _netns_prefix


def bochsrc_text(target, mem, extra_lines):
    lines = [
        "# generated by tests/emurun.py",
        f"megs: {mem}",
        "romimage: file=/usr/share/bochs/BIOS-bochs-latest",
        "vgaromimage: file=/usr/share/vgabios/vgabios.bin",
        "ata0-master: type=cdrom, path=disk.iso, status=inserted",
        "boot: cdrom",
        f"cpu: model={target.cpu}, count=1, ips=50000000, reset_on_triple_fault=0",
        "clock: sync=none, time0=1",
        "com1: enabled=1, mode=file, dev=com1.log",
        "com2: enabled=1, mode=file, dev=com2.log",
        "port_e9_hack: enabled=1",
        'display_library: rfb, options="timeout=0"',
        "log: bochs.log",
        "panic: action=fatal",
        "error: action=report",
        "info: action=report",
        "debug: action=ignore",
        "magic_break: enabled=0",
        "mouse: enabled=0",
        # Without these Bochs opens ALSA, which aborts on a machine with no sound card.
        "speaker: enabled=0",
        "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy",
    ]
    return "\n".join(lines + list(extra_lines)) + "\n"


_live = set()
_live_guard = threading.Lock()


def kill_all():
    """Kill every emulator still running (they sit in their own sessions, so a Ctrl-C
    on the terminal does not reach them)."""
    with _live_guard:
        emus = list(_live)
    for emu in emus:
        emu.kill()


class Emulator:
    """One running emulator with its captures, in its own process group."""

    def __init__(self, target, iso, outdir, mem, extra):
        self.target, self.outdir = target, Path(outdir)
        self.mem = int(float(mem)) if mem else target.mem
        self.outdir.mkdir(parents=True, exist_ok=True)
        link = self.outdir / "disk.iso"
        if link.is_symlink() or link.exists():
            link.unlink()
        # Relative names inside outdir keep commas and spaces out of emulator options.
        link.symlink_to(Path(iso).resolve())
        self.extra = extra
        self.proc = None
        self.killed = False
        self.captures = {}
        self.events = []

    def command(self):
        if self.target.kind == "qemu":
            return ["qemu-system-x86_64", "-M", "q35", "-cpu", self.target.cpu,
                    "-accel", "tcg", "-m", str(self.mem), "-nodefaults", "-vga", "none",
                    "-display", "none", "-no-reboot",
                    "-serial", "file:com1.log", "-serial", "file:com2.log",
                    "-debugcon", "file:e9.log", "-cdrom", "disk.iso", "-boot", "d",
                    "-d", "cpu_reset", "-D", "qemu.log"] + list(self.extra)
        (self.outdir / "bochsrc").write_text(bochsrc_text(self.target, self.mem, self.extra))
        return netns_prefix() + ["bochs", "-q", "-f", "bochsrc"]

    def start(self):
        for name in ("com1.log", "com2.log", "e9.log", "stdout.log", "stderr.log",
                     "bochs.log", "qemu.log", "events.log"):
            p = self.outdir / name
            if p.exists():
                p.unlink()
        cmd = self.command()
        (self.outdir / "cmdline").write_text(" ".join(cmd) + "\n")
        self.captures = {"com1": FileCapture(self.outdir / "com1.log"),
                         "com2": FileCapture(self.outdir / "com2.log")}
        if self.target.kind == "qemu":
            self.captures["e9"] = FileCapture(self.outdir / "e9.log")
        else:
            self.captures["e9"] = BochsE9Capture(self.outdir / "stdout.log",
                                                 self.outdir / "e9.log")
        stdout = open(self.outdir / "stdout.log", "wb")
        stderr = open(self.outdir / "stderr.log", "wb")
        try:
            self.proc = subprocess.Popen(cmd, cwd=self.outdir, stdin=subprocess.PIPE,
                                         stdout=stdout, stderr=stderr,
                                         start_new_session=True)
        finally:
            stdout.close()
            stderr.close()
        # Bochs' debugger waits at its first prompt: tell it to continue. Closing stdin
        # afterwards makes it quit (instead of waiting) when the simulation stops.
        try:
            if self.target.kind == "bochs":
                self.proc.stdin.write(b"c\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.started = time.monotonic()
        with _live_guard:
            _live.add(self)

    def poll(self):
        """Read new output from every port; return {port: new bytes}."""
        return {port: cap.poll() for port, cap in self.captures.items()}

    def running(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.killed = True
            for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        with _live_guard:
            _live.discard(self)

    def finish(self, how):
        """Collect the last output and the emulator's own verdict into events.log."""
        for cap in self.captures.values():
            cap.finish()
        self.events.append(how)
        self.events.extend(self._emulator_events())
        (self.outdir / "events.log").write_text("".join(f"{e}\n" for e in self.events))

    def _emulator_events(self):
        ev = []
        rc = self.proc.returncode if self.proc else None
        if self.target.kind == "qemu":
            log = _read(self.outdir / "qemu.log")
            if "Triple fault" in log:
                ev.append("triple fault")
            if rc is not None and not self.killed:
                ev.append(f"emulator exit {rc}")
            return ev
        log = _read(self.outdir / "bochs.log")
        if re.search(r"3rd \(\d+\) exception with no resolution", log):
            ev.append("triple fault")
        for m in re.finditer(r">>PANIC<< (.*)", log):
            # Bochs reports power-off (ACPI S5 or its port 0x8900) and triple faults
            # as panics too; those have their own events.
            if not re.search(r"exception with no resolution|Shutdown port|soft power off",
                             m.group(1)):
                ev.append(f"bochs panic: {m.group(1).strip()}")
        if "Shutdown port: shutdown requested" in log or "ACPI control: soft power off" in log:
            ev.append("shutdown")
        err = _read(self.outdir / "stderr.log")
        m = re.search(r"Bochs is exiting with the following message:\n(.*)", err)
        if m:
            ev.append(f"bochs exit message: {m.group(1).strip()}")
        if rc is not None and not self.killed:
            ev.append(f"emulator exit {rc}")
        return ev


def _read(path):
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def port_texts(emu):
    texts = {p: emu.captures[p].text() for p in CAPTURE_PORTS}
    texts["emu"] = "".join(f"{e}\n" for e in emu.events)
    return texts


def ports_of(port):
    return ALL_PORTS if port == "any" else (port,)


def first_match(texts, port, regex):
    """(port, matched line) of REGEX's first match on PORT ('any': every port), or None."""
    rx = re.compile(regex, re.M)
    for p in ports_of(port):
        m = rx.search(texts[p])
        if m:
            start = texts[p].rfind("\n", 0, m.start()) + 1
            end = texts[p].find("\n", m.end())
            return p, texts[p][start:end if end >= 0 else None].strip()
    return None


def emulator_missing(target):
    exe = "qemu-system-x86_64" if target.kind == "qemu" else "bochs"
    return None if shutil.which(exe) else f"{exe} is not installed (run scripts/setup)"


# --------------------------------------------------------------------------- one run

class Result:
    def __init__(self, test, target):
        self.test, self.target = test, target
        self.reasons = []
        self.passed = False
        self.seconds = 0.0
        self.outdir = None


def run_pair(spec, target_name, opts):
    """Boot SPEC on TARGET and judge it; return a Result."""
    res = Result(spec.name, target_name)
    target = TARGETS[target_name]
    t0 = time.monotonic()
    try:
        _run_pair(spec, target, opts, res)
    except (RuntimeError, OSError, ValueError) as e:
        res.reasons.append(str(e))
    res.seconds = time.monotonic() - t0
    fail_re = spec.get_scalar("expect-fail", target_name)
    if fail_re is None:
        res.passed = not res.reasons
    elif not res.reasons:
        res.reasons = ["expected to fail, but every check passed"]
    else:
        pattern = ".*" if fail_re.lower() in ("yes", "true", "") else fail_re
        joined = "; ".join(res.reasons)
        res.passed = re.search(pattern, joined) is not None
        if res.passed:
            res.reasons = [f"failed as expected: {joined}"]
        else:
            res.reasons.insert(0, f"failed, but not as expected (/{pattern}/)")
    return res


def _resolve(spec, key, target, default):
    v = spec.get_scalar(key, target, default)
    return v if v is not None else default


def _run_pair(spec, target, opts, res):
    missing = emulator_missing(target)
    if missing:
        raise RuntimeError(missing)
    tname = target.name
    iso = spec.get_scalar("iso", tname)
    if iso:
        iso = ROOT / iso
        if not iso.is_file():
            raise RuntimeError(f"ISO {iso} does not exist")
    else:
        vmm = opts.vmm or _resolve(spec, "vmm", tname, DEFAULT_VMM)
        guest = _resolve(spec, "guest", tname, "")
        config = _resolve(spec, "vmm-config", tname, "")
        iso = build_iso(opts.out / "iso", ROOT / vmm, (ROOT / guest) if guest else "",
                        _resolve(spec, "guest-args", tname, ""),
                        _resolve(spec, "vmm-args", tname, ""),
                        (ROOT / config) if config else "")
    mem = _resolve(spec, "mem", tname, target.mem)
    timeout = float(_resolve(spec, "timeout", tname, 120)) * opts.timeout_scale
    end = spec.get_port_scalar("end", tname)
    extra = [v for _p, v in spec.get_list("qemu-args" if target.kind == "qemu"
                                          else "bochs-config", tname)]
    if target.kind == "qemu":
        extra = [a for v in extra for a in v.split()]
    outdir = opts.out / "out" / _safe(spec.name) / tname
    if outdir.exists():
        shutil.rmtree(outdir)
    res.outdir = outdir
    emu = Emulator(target, iso, outdir, mem, extra)
    emu.start()
    try:
        how, end_seen = _watch(emu, timeout, end)
    finally:
        emu.kill()
    emu.finish(how)
    texts = port_texts(emu)

    timed_out = how.startswith("timeout")
    if end and not end_seen:
        what = "timed out" if timed_out else f"stopped ({_summary(emu)})"
        res.reasons.append(f"{what} before end /{end[1]}/ on {end[0]}")
    elif timed_out:
        # Without `end` the emulator must stop by itself (power-off, triple fault):
        # still running at the timeout means a hang, never a pass.
        res.reasons.append(f"timed out after {timeout:g}s: the emulator was still "
                           "running (a hang; the test has no end line)")
    for port, regex in spec.get_list("expect", tname):
        if not first_match(texts, port, regex):
            res.reasons.append(f"missing on {port}: /{regex}/")
    forbids = spec.get_list("forbid", tname)
    if _resolve(spec, "default-forbid", tname, "yes").lower() not in ("no", "false", "0"):
        forbids = [("any", DEFAULT_FORBID)] + forbids
    for port, regex in forbids:
        hit = first_match(texts, port, regex)
        if hit:
            res.reasons.append(f"forbidden /{regex}/ on {hit[0]}: {hit[1][:160]!r}")


def _summary(emu):
    return ", ".join(e for e in emu.events if not e.startswith("bochs exit message"))


def _stream_out(stream, new):
    """Copy a port's new bytes to the terminal, minus GRUB's clear-screen escapes."""
    if stream and new.get(stream[0]):
        stream[1].write(clean_text(new[stream[0]]))
        stream[1].flush()


def _watch(emu, timeout, end, stream=None):
    """Wait until the emulator exits, END (port, regex) matches, or TIMEOUT passes.

    Returns (how it stopped, whether END matched). STREAM, if given, is (port, file)
    that receives that port's output as it arrives.
    """
    end_rx = re.compile(end[1], re.M) if end else None
    end_ports = ports_of(end[0]) if end else ()
    deadline = emu.started + timeout if timeout > 0 else None
    while True:
        alive = emu.running()
        new = emu.poll()
        _stream_out(stream, new)
        if end_rx and any(new.get(p) for p in end_ports):
            texts = {p: emu.captures[p].text() for p in CAPTURE_PORTS}
            if any(end_rx.search(texts[p]) for p in end_ports if p in texts):
                stop = time.monotonic() + END_GRACE_S
                while emu.running() and time.monotonic() < stop:
                    time.sleep(POLL_S)
                _stream_out(stream, emu.poll())
                return "end matched", True
        if not alive:
            return "emulator stopped", False
        if deadline and time.monotonic() > deadline:
            return f"timeout after {timeout:.0f}s", False
        time.sleep(POLL_S)


def _safe(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def tail(path, n):
    lines = clean_text(Path(path).read_bytes()).splitlines() if Path(path).is_file() else []
    if Path(path).name == "stderr.log":
        # Bochs' start-up chatter (plugin loading) and QEMU's warnings about EPYC
        # features TCG lacks say nothing about the failure.
        lines = [ln for ln in lines if not re.match(r"\d+i\[", ln)
                 and "TCG doesn't support requested feature" not in ln]
    return lines[-n:]


def report(res, lock):
    with lock:
        if res.passed:
            note = f" ({res.reasons[0]})" if res.reasons else ""
            print(f"PASS {res.test} [{res.target}] ({res.seconds:.1f}s){note}", flush=True)
            return
        print(f"FAIL {res.test} [{res.target}]: {'; '.join(res.reasons)} "
              f"({res.seconds:.1f}s)", flush=True)
        if res.outdir and res.outdir.is_dir():
            for name in ("com1.log", "com2.log", "e9.log", "events.log", "stderr.log",
                         "bochs.log"):
                lines = tail(res.outdir / name, 20 if name in ("bochs.log", "stderr.log")
                             else TAIL_LINES)
                if lines:
                    print(f"  ---- {res.outdir / name} (last {len(lines)} lines) ----")
                    for line in lines:
                        print(f"  | {line}")
            print(f"  ---- logs in {res.outdir}", flush=True)


# --------------------------------------------------------------------------- modes

def find_tests(paths):
    if paths:
        files = []
        for p in paths:
            p = Path(p)
            files.extend(sorted(p.glob("*.test")) if p.is_dir() else [p])
        return files
    return sorted((ROOT / "tests" / "emu").glob("*.test"))


def run_tests(opts):
    try:
        specs = [TestSpec(f) for f in find_tests(opts.tests)]
        pairs = [(s, t) for s in specs for t in s.targets()
                 if not opts.target or t in opts.target]
    except (OSError, ValueError) as e:
        print(f"emurun: {e}", file=sys.stderr)
        print("emu: 0 passed, 1 failed")
        return 2
    if opts.list:
        for s, t in pairs:
            print(f"{s.name} [{t}]  {s.path}")
        return 0
    prune_iso_cache(opts.out / "iso")
    lock = threading.Lock()
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(run_pair, s, t, opts) for s, t in pairs]
        try:
            for fut in concurrent.futures.as_completed(futures):
                res = fut.result()
                report(res, lock)
                passed += res.passed
                failed += not res.passed
        except KeyboardInterrupt:
            for f in futures:
                f.cancel()
            kill_all()
            raise
    print(f"emu: {passed} passed, {failed} failed")
    return 1 if failed else 0


def boot(opts):
    target_name, iso = opts.boot
    if target_name not in TARGETS:
        print(f"emurun: unknown target {target_name} ({' '.join(TARGETS)})", file=sys.stderr)
        return 2
    target = TARGETS[target_name]
    missing = emulator_missing(target)
    if missing or not Path(iso).is_file():
        print(f"emurun: {missing or f'no such ISO: {iso}'}", file=sys.stderr)
        return 2
    outdir = opts.out / "boot" / target_name if opts.outdir is None else Path(opts.outdir)
    emu = Emulator(target, iso, outdir, opts.mem, [])
    end = (opts.stream, opts.end) if opts.end else None
    emu.start()
    print(f"emurun: booting {iso} on {target_name}; logs in {outdir}", file=sys.stderr)
    try:
        how, _ = _watch(emu, opts.timeout or 0, end, stream=(opts.stream, sys.stdout))
    except KeyboardInterrupt:
        how = "interrupted"
    emu.kill()
    emu.finish(how)
    print(f"\nemurun: {_summary(emu)}", file=sys.stderr)
    if how == "interrupted":
        return 130
    return 3 if how.startswith("timeout") else 0


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Boot bookvisor ISOs in QEMU/Bochs and check their serial output.",
        epilog="Targets: " + "; ".join(f"{t.name}: {t.about}" for t in TARGETS.values()))
    ap.add_argument("tests", nargs="*", metavar="TESTFILE",
                    help="test files or folders (default: tests/emu/*.test)")
    ap.add_argument("--target", action="append", choices=list(TARGETS),
                    help="run only on this target (repeatable)")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="parallel runs (default 2)")
    ap.add_argument("--list", action="store_true", help="list (test, target) pairs")
    ap.add_argument("--vmm", help=f"bookvisor ELF to test (default: {DEFAULT_VMM})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="root of ISO cache and logs (default: build/emu)")
    ap.add_argument("--timeout-scale", type=float, default=1.0,
                    help="multiply every test's timeout (slow machines)")
    ap.add_argument("--boot", nargs=2, metavar=("TARGET", "ISO"),
                    help="boot ISO on TARGET and stream a port to the terminal")
    ap.add_argument("--mem", type=int, help="--boot: memory in MiB")
    ap.add_argument("--timeout", type=float, help="--boot: seconds before the emulator "
                    "is killed (default: none)")
    ap.add_argument("--end", help="--boot: stop once this regex appears on --stream")
    ap.add_argument("--stream", default="com1", choices=CAPTURE_PORTS,
                    help="--boot: port to stream (default com1)")
    ap.add_argument("--outdir", help="--boot: log folder (default build/emu/boot/TARGET)")
    opts = ap.parse_args(argv)
    opts.out = opts.out.resolve()
    if opts.vmm:
        opts.vmm = str(Path(opts.vmm).resolve())
    if opts.boot:
        return boot(opts)
    return run_tests(opts)


def _terminate(_signum, _frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    # A grader's `timeout` sends SIGTERM: treat it like Ctrl-C so emulators die too.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        kill_all()
        sys.exit(130)
