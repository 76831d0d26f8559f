"""scripts/newc_cpio.py - write (and read back) cpio archives in the "newc" format.

The Linux kernel unpacks an initramfs from this format (the kernel's
Documentation/driver-api/early-userspace/buffer-format.rst describes it): each entry
is a 110-byte ASCII header, "070701" and thirteen 8-digit hexadecimal fields, then
the NUL-terminated name, padded with NULs to a multiple of 4 bytes (counted from the
start of the header), then the data, padded the same way. An entry named
"TRAILER!!!" ends the archive. Standard library only; no `cpio` program needed.
"""

import stat

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
# The thirteen header fields, in order.
FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
          "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check")
HEADER_SIZE = len(MAGIC) + 8 * len(FIELDS)


def _pad4(n):
    """Bytes of NUL padding that bring N up to a multiple of 4."""
    return b"\0" * (-n % 4)


class Entry:
    """One archive member: a path (no leading slash), a mode with its file type
    bits, the data (a file's bytes or a symlink's target), and for a device node
    its major and minor numbers."""

    def __init__(self, name, mode, data=b"", rdev=(0, 0)):
        self.name, self.mode, self.data, self.rdev = name, mode, data, rdev

    def __repr__(self):
        return f"Entry({self.name!r}, {self.mode:o}, {len(self.data)} bytes, rdev={self.rdev})"


def directory(name, perm=0o755):
    return Entry(name, stat.S_IFDIR | perm)


def regular(name, data, perm=0o644):
    return Entry(name, stat.S_IFREG | perm, data)


def symlink(name, target):
    return Entry(name, stat.S_IFLNK | 0o777, target.encode())


def char_device(name, major, minor, perm=0o600):
    return Entry(name, stat.S_IFCHR | perm, rdev=(major, minor))


def _header(fields):
    values = [fields.get(f, 0) for f in FIELDS]
    for f, v in zip(FIELDS, values):
        if not 0 <= v <= 0xFFFFFFFF:
            raise ValueError(f"cpio field {f} out of range: {v}")
    return MAGIC + b"".join(b"%08X" % v for v in values)


def _member(ino, name, mode, data, rdev):
    raw_name = name.encode() + b"\0"
    head = _header({"ino": ino, "mode": mode, "nlink": 2 if stat.S_ISDIR(mode) else 1,
                    "filesize": len(data), "rdevmajor": rdev[0], "rdevminor": rdev[1],
                    "namesize": len(raw_name)})
    return head + raw_name + _pad4(HEADER_SIZE + len(raw_name)) + data + _pad4(len(data))


def write(entries):
    """Return the bytes of a newc archive holding ENTRIES, in order, with the trailer.

    Names are stored as given; a name with a leading slash, an empty name or a repeated
    name is refused (the kernel would unpack them in surprising ways). Owner and group
    are root, times are 0, so the same entries always give the same bytes.
    """
    out, seen = [], set()
    for ino, e in enumerate(entries, 1):
        if not e.name or e.name.startswith("/") or e.name == TRAILER:
            raise ValueError(f"bad cpio member name: {e.name!r}")
        if e.name in seen:
            raise ValueError(f"cpio member twice: {e.name}")
        seen.add(e.name)
        out.append(_member(ino, e.name, e.mode, e.data, e.rdev))
    out.append(_member(0, TRAILER, 0, b"", (0, 0)))
    return b"".join(out)


def read(blob):
    """Parse a newc archive; return its entries (without the trailer).

    Raises ValueError on a bad magic, a truncated member or a missing trailer.
    """
    entries, pos = [], 0
    while True:
        head = blob[pos:pos + HEADER_SIZE]
        if len(head) < HEADER_SIZE or not head.startswith(MAGIC):
            raise ValueError(f"no newc header at offset {pos}")
        try:
            f = {name: int(head[6 + 8 * i:14 + 8 * i], 16) for i, name in enumerate(FIELDS)}
        except ValueError:
            raise ValueError(f"bad hexadecimal field in the header at offset {pos}") from None
        name_end = pos + HEADER_SIZE + f["namesize"]
        raw_name = blob[pos + HEADER_SIZE:name_end]
        if len(raw_name) != f["namesize"] or not raw_name.endswith(b"\0"):
            raise ValueError(f"truncated name at offset {pos}")
        name = raw_name[:-1].decode()
        data_start = name_end + (-(HEADER_SIZE + f["namesize"]) % 4)
        data = blob[data_start:data_start + f["filesize"]]
        if len(data) != f["filesize"]:
            raise ValueError(f"truncated data of {name!r}")
        pos = data_start + f["filesize"] + (-f["filesize"] % 4)
        if name == TRAILER:
            return entries
        entries.append(Entry(name, f["mode"], data, (f["rdevmajor"], f["rdevminor"])))
