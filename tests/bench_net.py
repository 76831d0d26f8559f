"""tests/bench_net.py - `make bench`'s net-throughput part (issue 14, item 5), imported
by tests/bench.py.

TCP echo throughput from this machine through QEMU's user network (`hostfwd`), on
qemu-svm, the same 82540EM (QEMU's `e1000`) both times, in one run:
  ip    bookvisor owns the NIC (`net=ip`) and its lwIP echo server answers
        (`shell="echoctl server start 7"`) while the test guest halts (net-halt);
  pass  Debian's Linux drives the NIC with its own e1000 driver under `net=pass`, and
        its echo server answers: busybox `nc -ll -p 7 -e cat`, started by our
        initramfs' `bookvisor.echo=7` (scripts/initramfs/init).
Each round opens a connection, sends NET_BYTES while a second thread of this script
reads them back, checks they came back unchanged, and divides the bytes by the time
from the first byte sent to the last received; the median of NET_ROUNDS rounds is the
mode's figure. One row: both figures, ip/pass, the goal (>= NET_GOAL), PASS or OVER
(said, not failed, like the other parts), a note. A run whose echo server is never
reached, or that echoes wrong bytes, fails with a line that says so.
Standard library only.
"""
import os
import random
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from emu_process import Emulator  # noqa: E402  (the path is set just above)
from emu_spec import TARGETS  # noqa: E402
from emu_iso import build_iso  # noqa: E402
from linux_iso import build_linux_iso  # noqa: E402

NET_BYTES = 4 * 1024 * 1024   # bytes sent (and read back) per round
NET_ROUNDS = 5                # rounds per mode; their median is the figure
NET_GOAL = 0.9                # ip throughput / pass throughput, at least
ROUND_TIMEOUT = 120           # seconds one round may take before it fails
NET_MEM = 512                 # MiB of the machine, both modes
BOOT_TIMEOUT = {"ip": 120, "pass": 300}   # seconds to the echo server's readiness
ECHO_PORT = 7
GUEST_IP = "10.0.2.15"        # the first DHCP lease QEMU's user network hands out
NIC = "-device e1000,netdev=n0,addr=02.0,mac=52:54:00:12:34:56"
PCI_ARG = "vmm.driver.pci=device=pro1000,number=0,driver=pro1000,net={}"
KERNEL = ROOT / "third_party" / "guests" / "vmlinuz"
E1000_KO = ROOT / "third_party" / "guests" / "e1000.ko"
BUSYBOX_INITRD = ROOT / "build" / "guest" / "busybox-initrd.gz"
TESTGUEST = ROOT / "build" / "guest" / "testguest.elf"
VMM = ROOT / "build" / "bookvisor.elf"

# What each mode boots, and the lines that say its echo server is there (port, regex).
IP_READY = (("com2", r"^bookvisor: ip: IP address changed: 0\.0\.0\.0 -> 10\.0\.2\.15$"),
            ("com2", r"^bookvisor: ip: echo: server listening on TCP port 7$"),
            ("com1", r"^# net-halt: halting \d+ ms$"))
PASS_READY = (("com1", r"^linux-echo: serving TCP port 7 at 10\.0\.2\.15$"),)
# A line that means the wait is over and the server will never come: the initramfs
# found no network, got another lease than hostfwd aims at, or went on to its shell
# without serving (an initramfs older than bookvisor.echo).
NOT_READY = (r"^linux-echo: no network: .*$"
             r"|^linux-echo: serving TCP port 7 at (?!10\.0\.2\.15$).*$"
             r"|^bookvisor initramfs: busybox shell on the console.*$")


def payload(nbytes):
    """NBYTES that repeat nowhere, the same every run: a segment lost, doubled or out
    of place changes what comes back."""
    return random.Random(14).randbytes(nbytes)


def echo_round(port, data, timeout):
    """One connection to 127.0.0.1:PORT: send DATA from a thread while reading it back
    here. Returns (seconds from the first byte sent to the last received, None), or
    (None, why) when the peer closed, the time ran out or the bytes differ."""
    got = bytearray()
    failure = []
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError as e:
        return None, f"cannot connect: {e}"

    def send():
        try:
            s.sendall(data)
        except OSError as e:
            failure.append(f"send: {e}")

    with s:
        s.settimeout(timeout)
        start = time.monotonic()
        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        try:
            while len(got) < len(data):
                chunk = s.recv(min(1 << 16, len(data) - len(got)))
                if not chunk:
                    failure.append(f"the server closed after {len(got)} of {len(data)} bytes")
                    break
                got += chunk
                if time.monotonic() - start > timeout:
                    failure.append(f"{len(got)} of {len(data)} bytes back after {timeout} s")
                    break
        except OSError as e:
            failure.append(f"receive after {len(got)} bytes: {e}")
        seconds = time.monotonic() - start
        sender.join(timeout=5)
    if failure:
        return None, failure[0]
    if got != data:
        first = next(i for i in range(len(data)) if got[i] != data[i])
        return None, f"the echoed bytes differ from offset {first}"
    return seconds, None


def throughputs(port, rounds=NET_ROUNDS, nbytes=NET_BYTES):
    """Bytes per second of each of ROUNDS echo rounds, or (list so far, why) on failure."""
    data = payload(nbytes)
    out = []
    for i in range(rounds):
        seconds, why = echo_round(port, data, ROUND_TIMEOUT)
        if why:
            return out, f"round {i + 1}: {why}"
        out.append(nbytes / seconds)
    return out, None


def wait_ready(emu, ready, timeout):
    """Wait until every (port, regex) of READY has matched; None, or why not."""
    pending = [(p, re.compile(r, re.M)) for p, r in ready]
    never = re.compile(NOT_READY, re.M)
    deadline = emu.started + timeout
    while True:
        emu.poll()
        texts = {p: emu.captures[p].text() for p in ("com1", "com2")}
        pending = [(p, r) for p, r in pending if not r.search(texts[p])]
        if not pending:
            return None
        m = never.search(texts["com1"])
        if m:
            return m.group(0)
        if not emu.running():
            return "the emulator stopped"
        if time.monotonic() > deadline:
            return f"not within {timeout} s (waiting for /{pending[0][1].pattern}/)"
        time.sleep(0.1)


def free_port():
    """A TCP port of 127.0.0.1 nobody uses now, for hostfwd."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mode_iso(mode, cache):
    """The ISO of MODE ('ip' or 'pass')."""
    if mode == "ip":
        # net-wait keeps the guest exiting until bookvisor has its lease, then it halts
        # (like an idle guest) for 10 minutes, its most, far longer than the rounds
        # take; the bench kills it.
        return build_iso(cache, VMM, TESTGUEST,
                         "tests=net-wait,net-halt net.wait_ms=3000 net.halt_ms=600000",
                         'console=com2 shell="echoctl server start 7" ip.use_dhcp '
                         + PCI_ARG.format("ip"))
    return build_linux_iso(cache, KERNEL, BUSYBOX_INITRD,
                           f"console=ttyS0 rdinit=/init bookvisor.memcheck=1 "
                           f"bookvisor.echo={ECHO_PORT}", VMM,
                           "console=com2 " + PCI_ARG.format("pass"))


def measure_mode(mode, outdir):
    """Boot MODE, wait for its echo server, run the rounds: (bytes/s list, why or None)."""
    port = free_port()
    extra = (f"-netdev user,id=n0,hostfwd=tcp:127.0.0.1:{port}-{GUEST_IP}:{ECHO_PORT} "
             + NIC).split()
    iso = mode_iso(mode, outdir / "iso")
    emu = Emulator(TARGETS["qemu-svm"], iso, outdir / mode, NET_MEM, extra)
    emu.start()
    try:
        why = wait_ready(emu, IP_READY if mode == "ip" else PASS_READY, BOOT_TIMEOUT[mode])
        if why:
            return [], f"its echo server never came: {why}"
        return throughputs(port)
    finally:
        emu.kill()
        emu.finish("killed by the bench")


def missing():
    """Why the part cannot run, or None."""
    for f, how in ((KERNEL, "scripts/setup fetches Debian's linux-image-amd64"),
                   (E1000_KO, "scripts/setup fetches it"),
                   (BUSYBOX_INITRD, "make builds it (needs busybox)"),
                   (TESTGUEST, "make builds it"), (VMM, "make builds it")):
        if not f.is_file():
            return f"{f.relative_to(ROOT)} is missing ({how})"
    return None


def mbytes(bps):
    """Bytes per second as MB/s text (10^6 bytes, as network rates are said)."""
    return f"{bps / 1e6:.2f} MB/s"


def net_row(ip_bps, pass_bps, note):
    """The part's one row: both medians, ip/pass, the goal, PASS or OVER, a note."""
    ratio = ip_bps / pass_bps
    mark = "PASS" if ratio >= NET_GOAL else "OVER"
    return (f"bench: net-throughput ip {mbytes(ip_bps)} pass {mbytes(pass_bps)} "
            f"ratio {ratio:.2f} goal >= {NET_GOAL} {mark}  {note}")


NET_ROW = re.compile(r"^bench: net-throughput ip ([\d.]+) MB/s pass ([\d.]+) MB/s "
                     r"ratio ([\d.]+) goal >= ([\d.]+) (PASS|OVER)  (.*)$")


def parse_net_row(line):
    """(ip MB/s, pass MB/s, ratio, goal, mark, note) of a row net_row() printed, or None."""
    m = NET_ROW.match(line)
    if not m:
        return None
    return (float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)),
            m.group(5), m.group(6))


def net_throughput(_args):
    """The part: both modes, one after the other (never two emulators), one row."""
    why = missing()
    if why:
        print(f"bench: net-throughput SKIP {why}")
        return 0
    outdir = ROOT / "build" / "emu" / "bench-net"
    load = os.getloadavg()[0]
    medians = {}
    runs = {}
    for mode in ("ip", "pass"):
        got, why = measure_mode(mode, outdir)
        if why:
            print(f"bench: FAIL net-throughput {mode}: {why}; logs in {outdir / mode}")
            return 1
        medians[mode] = statistics.median(got)
        runs[mode] = "/".join(f"{x / 1e6:.2f}" for x in got)
    note = (f"TCP echo of {NET_BYTES >> 20} MiB through hostfwd, median of {NET_ROUNDS} "
            f"(ip {runs['ip']}, pass {runs['pass']} MB/s); qemu-svm e1000; "
            f"load average {load:.1f}")
    print(net_row(medians["ip"], medians["pass"], note))
    return 0
