#!/usr/bin/env python3
"""tests/thirdparty/mkinitramfs.py - the smallest initramfs Linux boots into.

Usage: mkinitramfs.py OUT.cpio INIT

Writes an uncompressed cpio archive in the "newc" format the kernel unpacks, with the
project's own writer (scripts/newc_cpio.py): the directory /dev, the console device
/dev/console (character 5:1, so init has a console before anything mounts devtmpfs)
and INIT as the executable /init.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "scripts"))
import newc_cpio  # noqa: E402


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out, init = argv[1], argv[2]
    archive = newc_cpio.write([
        newc_cpio.directory("dev"),
        newc_cpio.char_device("dev/console", 5, 1),
        newc_cpio.regular("init", Path(init).read_bytes(), 0o755),
    ])
    archive += b"\0" * (-len(archive) % 512)
    Path(out).write_bytes(archive)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
