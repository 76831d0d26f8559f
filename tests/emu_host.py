"""tests/emu_host.py - the host's side of a test's network and serial input.

Used by tests/emurun.py for four test keys (tests/emu/README.md):
  send.com1 / send.com2   type bytes into a serial port (QEMU's socket chardev, or a
                          pseudo-terminal for Bochs' `mode=term`)
  listen: tcp             a TCP listener on 127.0.0.1:{listenport} that sends back
                          every line it receives (QEMU's and Bochs' user networks take
                          a guest's connection to 10.0.2.2:{listenport} there)
  listen: udp             a UDP socket on 127.0.0.1:{udpport} that records datagrams
  tcp: TEXT xN within MS ms   N timed round trips to {hostport} (tcp_rounds; the
                          plain `tcp` exchange is emurun.py's tcp_exchange)
  listen: http            an HTTP server on 127.0.0.1:{httpport}: GET /data
                          gives HTTP_DATA, POST /upload answers `same N` when the N bytes
                          posted are HTTP_DATA, `differs N` otherwise
Each records what happened as lines of the runner's event log (port `emu`). Bochs runs
in its own network namespace (tests/emu_process.py): its listening sockets are opened
inside it by tests/emu_netns.py and handed back here (Listeners.adopt()).
Standard library only; nothing here blocks for long but tcp_rounds (within its budget).
"""

import http.server
import os
import random
import socket
import tty
from pathlib import Path
import threading
import time

POLL_S = 0.1
# What `listen: http` serves: 256 KiB that repeat nowhere, the same in every run, so
# that a segment lost, doubled or put in the wrong place changes what comes back.
# Text (hexadecimal digits): busybox's wget posts a file up to its first NUL byte.
HTTP_DATA = random.Random(9).randbytes(128 * 1024).hex().encode()


def tcp_rounds(events, port, text, rounds, bound_ms, budget_s=30.0):
    """ROUNDS round trips of TEXT and a newline on one connection to 127.0.0.1:PORT
    (QEMU's hostfwd): each waits for its line to come back whole before the next
    goes, BUDGET_S for all together. EVENTS records `tcp: sent TEXT N times, K
    answered within BOUND_MS ms each (worst W ms)`: K counts the rounds that came
    back right and in time; the first that does not come back ends the exchange."""
    line = text.encode() + b"\n"
    stop = time.monotonic() + budget_s
    answered, worst = 0, 0.0
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=budget_s) as s:
            for _ in range(rounds):
                start = time.monotonic()
                s.sendall(line)
                got = b""
                while len(got) < len(line) and time.monotonic() < stop:
                    s.settimeout(max(0.05, stop - time.monotonic()))
                    chunk = s.recv(len(line) - len(got))
                    if not chunk:
                        break
                    got += chunk
                took = (time.monotonic() - start) * 1000
                worst = max(worst, took)
                if got != line:
                    events.append(f"tcp: round {answered + 1} got {got!r}")
                    break
                if took <= bound_ms:
                    answered += 1
    except OSError as e:
        events.append(f"tcp: {e}")
    events.append(f"tcp: sent {text} {rounds} times, {answered} answered within {bound_ms} ms "
                  f"each (worst {worst:.0f} ms)")


def free_port(kind=socket.SOCK_STREAM):
    """A port of 127.0.0.1 nobody uses now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A UNIX socket's address holds at most 107 bytes of path (sun_path).
UNIX_PATH_MAX = 107


def unix_connect(sock, path):
    """Connect sock to the UNIX socket at path, however deep: QEMU made it by a path
    relative to its folder, and a grader's tree (build/labs-wrong/tree/build/grade/...)
    can put the absolute path over sun_path's limit. A longer path goes through the
    folder's descriptor in /proc/self/fd, which is short."""
    if len(str(path).encode()) <= UNIX_PATH_MAX:
        sock.connect(str(path))
        return
    folder = os.open(os.path.dirname(str(path)) or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        sock.connect(f"/proc/self/fd/{folder}/{os.path.basename(str(path))}")
    finally:
        os.close(folder)


def copy_to_log(read, log):
    """A port's reader thread: append what READ() returns to LOG until it returns
    nothing or fails (the peer closed; a pseudo-terminal's EIO once the other side is)."""
    with open(log, "ab") as out:
        while True:
            try:
                data = read()
            except OSError:
                return
            if not data:
                return
            out.write(data)
            out.flush()


class PortInput:
    """One serial port through QEMU's UNIX socket chardev, both ways.

    The runner is the only writer of the port's log: a reader thread, started as soon
    as the emulator runs (QEMU waits for it: `wait=on`), appends everything QEMU sends
    to LOG. QEMU's own `logfile=` is not used: when the socket was full, QEMU retried a
    byte and its log file showed that byte twice (seen as "status==ok" under load)."""

    def __init__(self, path, log):
        self.path, self.log, self.sock, self.reader = str(path), Path(log), None, None

    def connect(self, wait_s=10):
        """Connect to QEMU's socket (it appears when QEMU starts) and start the reader."""
        deadline = time.monotonic() + wait_s
        while self.sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                unix_connect(sock, self.path)
                self.sock = sock
            except OSError:
                sock.close()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cannot connect to {self.path}") from None
                time.sleep(POLL_S)
        sock = self.sock
        self.reader = threading.Thread(target=copy_to_log, args=(lambda: sock.recv(65536),
                                                                 self.log), daemon=True)
        self.reader.start()

    def send(self, data):
        if self.sock is None:
            self.connect()
        self.sock.sendall(data)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self.reader is not None:
            self.reader.join(timeout=2)
            self.reader = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def drain(self):
        """Kept for the runner's loop: the reader thread does the work."""


class PtyPort:
    """One serial port through a pseudo-terminal, both ways: Bochs' `mode=term` opens
    the terminal side (`dev=` slave_path), the runner keeps the other. A path in /dev/pts
    reaches Bochs inside its network namespace, where a TCP socket would not.

    Same interface as PortInput: a reader thread appends all Bochs writes to LOG."""

    def __init__(self, log):
        self.log = Path(log)
        self.master, self.slave = os.openpty()
        # Raw before Bochs opens it: no echo of what we type into the log, no CR->LF.
        tty.setraw(self.slave)
        self.slave_path = os.ttyname(self.slave)
        self.reader = None

    def connect(self, wait_s=10):  # noqa: ARG002  (the terminal exists already)
        """Start the reader (the terminal exists before Bochs starts: nothing is lost)."""
        if self.reader is None:
            master = self.master
            self.reader = threading.Thread(target=copy_to_log,
                                           args=(lambda: os.read(master, 65536), self.log),
                                           daemon=True)
            self.reader.start()

    def send(self, data):
        self.connect()
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view):]

    def close(self):
        # With the emulator gone and our terminal side closed, the reader's read ends
        # in EIO once it has taken every byte still buffered.
        if self.slave is not None:
            os.close(self.slave)
            self.slave = None
        if self.reader is not None:
            self.reader.join(timeout=2)
            self.reader = None
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def drain(self):
        """Kept for the runner's loop: the reader thread does the work."""


def _shown(data):
    return data.decode(errors="replace").rstrip("\r\n")


def _http_handler(listeners):
    """The request handler of `listen: http`, recording each request in listeners.events
    (read at request time: the runner sets it once the emulator runs)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, code, body):
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802  (the name http.server calls)
            if self.path != "/data":
                listeners.events.append(f"listen http: GET {self.path}: not found")
                self._answer(404, b"not found\n")
                return
            self._answer(200, HTTP_DATA)
            listeners.events.append(f"listen http: GET /data ({len(HTTP_DATA)} bytes)")

        def do_POST(self):  # noqa: N802
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            same = self.path == "/upload" and body == HTTP_DATA
            self._answer(200, f"{'same' if same else 'differs'} {len(body)}".encode())
            listeners.events.append(f"listen http: POST {self.path} ({len(body)} bytes, "
                                    f"{'the same as' if same else 'not'} /data)")

        def log_message(self, *args):  # the event log says what happened
            pass

    return Handler


class Listeners:
    """The `listen` sockets of one test; poll() records their traffic in EVENTS."""

    def __init__(self, kinds, events):
        self.events, self.tcp, self.udp, self.conns = events, None, None, []
        self.ports = {}
        self.http = None
        if "http" in kinds:
            self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _http_handler(self))
            self._serve_http()
            self.ports["httpport"] = self.http.server_address[1]
        if "tcp" in kinds:
            self.tcp = socket.socket()
            self.tcp.bind(("127.0.0.1", 0))
            self.tcp.listen(4)
            self.tcp.setblocking(False)
            self.ports["listenport"] = self.tcp.getsockname()[1]
        if "udp" in kinds:
            self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.udp.bind(("127.0.0.1", 0))
            self.udp.setblocking(False)
            self.ports["udpport"] = self.udp.getsockname()[1]

    def _serve_http(self):
        """Serve self.http from its own thread: a transfer of HTTP_DATA must not wait
        for the runner's polls."""
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, args=(POLL_S,), daemon=True).start()

    def _adopt_http(self, sock):
        """Serve HTTP on SOCK (listening in Bochs' namespace) instead of our own socket."""
        self.http.shutdown()
        self.http.server_close()
        self.http = http.server.ThreadingHTTPServer(sock.getsockname(), _http_handler(self),
                                                    bind_and_activate=False)
        self.http.socket.close()
        self.http.socket = sock
        self._serve_http()

    def adopt(self, socks):
        """Use SOCKS ({'tcp'|'udp'|'http': socket}, opened on the same ports inside
        Bochs' network namespace by tests/emu_netns.py) instead of this namespace's own."""
        for kind, sock in socks.items():
            if kind == "http":
                self._adopt_http(sock)
                continue
            sock.setblocking(False)
            old = getattr(self, kind)
            if old is not None:
                old.close()
            setattr(self, kind, sock)

    def poll(self):
        if self.tcp:
            self._poll_tcp()
        while self.udp:
            try:
                data = self.udp.recv(65536)
            except (BlockingIOError, OSError):
                break
            self.events.append(f"listen udp: {_shown(data)} ({len(data)} bytes)")

    def _poll_tcp(self):
        try:
            conn, _addr = self.tcp.accept()
            conn.setblocking(False)
            self.conns.append([conn, b""])
            self.events.append("listen tcp: accepted")
        except (BlockingIOError, OSError):
            pass
        for item in list(self.conns):
            conn = item[0]
            try:
                data = conn.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                self.events.append("listen tcp: closed by the peer")
                conn.close()
                self.conns.remove(item)
                continue
            item[1] += data
            while b"\n" in item[1]:
                line, item[1] = item[1].split(b"\n", 1)
                self.events.append(f"listen tcp: received {_shown(line)}")
                try:
                    conn.sendall(line + b"\n")  # an echo server: the line goes back
                except OSError:
                    pass

    def close(self):
        for s in [c[0] for c in self.conns] + [self.tcp, self.udp]:
            if s:
                s.close()
        self.conns = []
        if self.http:
            self.http.shutdown()
            self.http.server_close()
            self.http = None
