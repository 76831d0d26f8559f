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
import re
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from emu_host import Listeners, tcp_rounds
from emu_iso import build_iso, prune_iso_cache
from emu_process import Emulator, _read, clean_text, kill_all  # noqa: F401  (_read: for importers)
from emu_spec import ALL_PORTS, CAPTURE_PORTS, TARGETS, TestSpec, parse_send, parse_tcp

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VMM = "build/bookvisor.elf"
DEFAULT_OUT = ROOT / "build" / "emu"
END_GRACE_S = 0.5            # time left for other ports to flush after `end` matched
POLL_S = 0.1
TAIL_LINES = 60

# Serial ports a guest writes to, plus the runner's own event log ("emu").
DEFAULT_FORBID = r"(?i:panic)|not ok|triple fault|^error: |status=failure"

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
        self.skipped = None      # why the pair did not run (a `requires` file is missing)
        self.seconds = 0.0
        self.outdir = None


def run_pair(spec, target_name, opts):
    """Boot SPEC on TARGET and judge it; return a Result."""
    res = Result(spec.name, target_name)
    target = TARGETS[target_name]
    missing = [f for f in (_resolve(spec, "requires", target_name, "") or "").split()
               if not (ROOT / f).is_file()]
    if missing:
        res.skipped = f"{' '.join(missing)} missing"
        return res
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
    listens = [v for _p, v in spec.get_list("listen", tname)]
    listeners = Listeners(listens, [])
    hostport = free_tcp_port()
    ports = dict(listeners.ports, hostport=hostport, root=ROOT)

    def place(text):
        for name, value in ports.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    try:
        _run_started(spec, target, opts, res, tname, listeners, hostport, place)
    finally:
        listeners.close()


def _run_started(spec, target, opts, res, tname, listeners, hostport, place):
    iso = spec.get_scalar("iso", tname)
    if iso:
        iso = ROOT / iso
        if not iso.is_file():
            raise RuntimeError(f"ISO {iso} does not exist")
    else:
        vmm = opts.vmm or _resolve(spec, "vmm", tname, DEFAULT_VMM)
        vmm_args = place(_resolve(spec, "vmm-args", tname, ""))
        guest = _resolve(spec, "guest", tname, "")
        config = _resolve(spec, "vmm-config", tname, "")
        initrd = _resolve(spec, "guest-initrd", tname, "")
        modules = [(str(ROOT / v.split()[0]), " ".join(v.split()[1:]))
                   for _p, v in spec.get_list("guest-module", tname) if v.split()]
        iso = build_iso(opts.out / "iso", ROOT / vmm, (ROOT / guest) if guest else "",
                        place(_resolve(spec, "guest-args", tname, "")),
                        vmm_args, (ROOT / config) if config else "",
                        (ROOT / initrd) if initrd else "", modules)
    mem = _resolve(spec, "mem", tname, target.mem)
    timeout = float(_resolve(spec, "timeout", tname, 120)) * opts.timeout_scale
    end = spec.get_port_scalar("end", tname)
    # {root}: the checkout, for files such as disk images (chapter 12's chain boot).
    # {hostport}: a free TCP port of this machine, for QEMU's hostfwd (`tcp` lines).
    # {listenport}, {udpport}, {httpport}: the ports of the `listen` sockets
    # (tests/emu_host.py); also in guest-args, for a guest that connects itself.
    extra = [place(v) for _p, v in spec.get_list("qemu-args" if target.kind == "qemu"
                                                 else "bochs-config", tname)]
    if target.kind == "qemu":
        extra = [a for v in extra for a in v.split()]
    sends = [(p, *parse_send(v)) for p, v in spec.get_list("send", tname)]
    tcps = [parse_tcp(v) for _p, v in spec.get_list("tcp", tname)]
    if tcps and target.kind != "qemu":
        raise RuntimeError("'tcp' connects through QEMU's hostfwd: QEMU targets only")
    outdir = opts.out / "out" / _safe(spec.name) / tname
    if outdir.exists():
        shutil.rmtree(outdir)
    res.outdir = outdir
    listen_ports = {"tcp": listeners.ports.get("listenport"),
                    "udp": listeners.ports.get("udpport"),
                    "http": listeners.ports.get("httpport")}
    emu = Emulator(target, iso, outdir, mem, extra, input_ports={p for p, _b, _r in sends},
                   listen_ports={k: v for k, v in listen_ports.items() if v})
    emu.start()
    listeners.adopt(emu.listen_socks)
    listeners.events = emu.events
    try:
        how, end_seen = _watch(emu, timeout, end, sends=sends, tcps=tcps, hostport=hostport,
                               listeners=listeners)
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


def free_tcp_port():
    """A TCP port nobody listens on now (the kernel's choice), for QEMU's hostfwd."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tcp_exchange(emu, port, text, timeout=30.0):
    """Connect to 127.0.0.1:PORT (forwarded by QEMU to the guest side), send TEXT and a
    newline, read until as many bytes came back, the peer closed or TIMEOUT passed, then
    close. `events.log` records `tcp: sent TEXT, received WHAT (N bytes)`."""
    sent = text.encode() + b"\n"
    got = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(sent)
            stop = time.monotonic() + timeout
            while len(got) < len(sent) and time.monotonic() < stop:
                s.settimeout(max(0.1, stop - time.monotonic()))
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
    except OSError as e:
        emu.events.append(f"tcp: {e}")
    shown = got.decode(errors="replace").rstrip("\n")
    emu.events.append(f"tcp: sent {text}, received {shown} ({len(got)} bytes)")


def _watch(emu, timeout, end, stream=None, sends=(), tcps=(), hostport=None, listeners=None,
           stall=0):
    """Wait until the emulator exits, END (port, regex) matches, or TIMEOUT passes,
    or (STALL > 0) no port has printed anything for STALL seconds since its first output.

    Returns (how it stopped, whether END matched). STREAM, if given, is (port, file)
    that receives that port's output as it arrives. SENDS are (port, bytes, regex): each
    is typed into that port once, the first time its regex matches that port's output. LISTENERS (tests/emu_host.py) are polled every round. TCPS are
    (text, regex, rounds, bound_ms): once its regex matches any port's output, the text
    goes through tcp_exchange() to HOSTPORT, or ROUNDS times through tcp_rounds().
    """
    pending = list(sends)
    pending_tcp = list(tcps)
    end_rx = re.compile(end[1], re.M) if end else None
    end_ports = ports_of(end[0]) if end else ()
    deadline = emu.started + timeout if timeout > 0 else None
    last_output = None
    while True:
        alive = emu.running()
        new = emu.poll()
        _stream_out(stream, new)
        if any(new.values()):
            last_output = time.monotonic()
        if listeners:
            listeners.poll()
        for item in [x for x in pending if new.get(x[0])]:
            if item[2].search(emu.captures[item[0]].text()):
                emu.send(item[0], item[1])
                emu.events.append(f"sent {item[1].hex()} to {item[0]}")
                pending.remove(item)
        if pending_tcp and any(new.get(p) for p in CAPTURE_PORTS):
            texts = {p: emu.captures[p].text() for p in CAPTURE_PORTS}
            for item in [x for x in pending_tcp
                         if any(x[1].search(t) for t in texts.values())]:
                if item[2]:
                    tcp_rounds(emu.events, hostport, item[0], item[2], item[3])
                else:
                    tcp_exchange(emu, hostport, item[0])
                pending_tcp.remove(item)
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
        if stall and last_output and time.monotonic() - last_output > stall:
            return f"no output for {stall:.0f}s (hung)", False
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
        if res.skipped:
            print(f"SKIP {res.test} [{res.target}]: {res.skipped}", flush=True)
            return
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
        pairs = [(s, t) for s in specs
                 for t in (s.long_targets() if opts.long else s.targets())
                 if not opts.target or t in opts.target]
        alone = [(s, t) for s, t in pairs if s.runs_alone(t)]
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
    tally = {"passed": 0, "failed": 0, "skipped": 0}

    def count(res):
        report(res, lock)
        if res.skipped:
            tally["skipped"] += 1
        else:
            tally["passed" if res.passed else "failed"] += 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(run_pair, s, t, opts) for s, t in pairs if (s, t) not in alone]
        try:
            for fut in concurrent.futures.as_completed(futures):
                count(fut.result())
        except KeyboardInterrupt:
            for f in futures:
                f.cancel()
            kill_all()
            raise
    # Timing tests last, one at a time: a busy host makes an emulator's guest late.
    for s, t in alone:
        count(run_pair(s, t, opts))
    passed, failed, skipped = tally["passed"], tally["failed"], tally["skipped"]
    print(f"emu: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
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
    ap.add_argument("--long", action="store_true",
                    help="run the tests on their targets-long only (make test-long)")
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


def run_main(main_function):
    """Exit with MAIN_FUNCTION()'s status. A grader's `timeout` sends SIGTERM: it is
    treated like Ctrl-C, and either kills every emulator still running."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main_function())
    except KeyboardInterrupt:
        kill_all()
        sys.exit(130)


if __name__ == "__main__":
    run_main(main)
