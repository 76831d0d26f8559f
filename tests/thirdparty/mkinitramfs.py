#!/usr/bin/env python3
"""tests/thirdparty/mkinitramfs.py - the smallest initramfs Linux boots into.

Usage: mkinitramfs.py OUT.cpio INIT

Writes an uncompressed cpio archive in the "newc" format the kernel unpacks
(Documentation/driver-api/early-userspace/buffer-format.rst): the directory
/dev, the console device /dev/console (character 5:1, so init has a console
before anything mounts devtmpfs) and INIT as the executable /init.
"""

import sys


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    name_bytes = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_bytes), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + name_bytes
    head += b"\0" * (-len(head) % 4)
    return head + data + b"\0" * (-len(data) % 4)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out, init = argv[1], argv[2]
    with open(init, "rb") as f:
        init_bytes = f.read()
    archive = (entry(1, "dev", 0o040755)
               + entry(2, "dev/console", 0o020600, rdev=(5, 1))
               + entry(3, "init", 0o100755, init_bytes)
               + entry(0, "TRAILER!!!", 0))
    archive += b"\0" * (-len(archive) % 512)
    with open(out, "wb") as f:
        f.write(archive)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
