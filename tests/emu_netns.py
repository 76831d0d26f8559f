#!/usr/bin/env python3
"""tests/emu_netns.py - open a test's `listen` sockets inside Bochs' network namespace.

    emu_netns.py FD KIND:PORT... -- COMMAND...

tests/emu_process.py runs Bochs in an empty network namespace (`unshare -n`), where
nobody reaches its RFB server. Bochs' user network (slirp) takes a guest's packets for
10.0.2.2 to 127.0.0.1 of that namespace, not of the runner's, so the runner's `listen`
sockets (tests/emu_host.py) would never see them. This program runs first inside the
namespace: it brings the loopback interface up (a new namespace has it down), binds a
socket of each KIND (tcp, udp, or http: a TCP one the runner serves HTTP on) to
127.0.0.1:PORT, hands their descriptors to the
runner over the inherited UNIX socket FD (SCM_RIGHTS; a socket stays in the namespace
it was made in, whoever holds it), then becomes COMMAND. Standard library only.
"""

import fcntl
import os
import socket
import struct
import sys

SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
IFREQ = "16sH22x"          # struct ifreq: the name, then ifr_flags in a 24-byte union


def loopback_up():
    """Set IFF_UP on `lo` (needs CAP_NET_ADMIN in the namespace, which unshare gives)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        got = fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack(IFREQ, b"lo", 0))
        flags = struct.unpack(IFREQ, got)[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack(IFREQ, b"lo", flags | IFF_UP))


def open_listener(kind, port):
    """A socket of KIND bound to 127.0.0.1:PORT (a TCP one listening)."""
    stream = kind in ("tcp", "http")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM if stream else socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    if stream:
        sock.listen(4)
    return sock


def main(argv):
    if "--" not in argv or len(argv) < 3:
        sys.exit("usage: emu_netns.py FD KIND:PORT... -- COMMAND...")
    split = argv.index("--")
    channel = socket.socket(fileno=int(argv[1]))
    kinds, socks = [], []
    try:
        loopback_up()
        for item in argv[2:split]:
            kind, port = item.split(":")
            if kind not in ("tcp", "udp", "http"):
                raise ValueError(f"unknown socket kind '{kind}'")
            socks.append(open_listener(kind, int(port)))
            kinds.append(kind)
        socket.send_fds(channel, [" ".join(kinds).encode()], [s.fileno() for s in socks])
    except (OSError, ValueError) as e:
        channel.sendall(f"error {e}".encode())
        sys.exit(f"emu_netns.py: {e}")
    # The runner holds them now; ours close on exec (Python's sockets are not inherited).
    channel.close()
    os.execvp(argv[split + 1], argv[split + 1:])


if __name__ == "__main__":
    main(sys.argv)
