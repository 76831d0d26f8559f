#!/usr/bin/env python3
"""tests/thirdparty/mkbzimage.py - a small synthetic Linux bzImage for refusal tests.

Usage: mkbzimage.py OUT [--version 0xVVVV] [--truncate BYTES]
                        [--initrd-addr-max 0xADDR] [--cmdline-size N]
                        [--kernel-bytes N]

Writes a boot sector with a setup header (boot flag 0xAA55, "HdrS", protocol
2.15 unless --version says otherwise, a 64-bit relocatable kernel preferring
16 MiB), three setup sectors and a 64 KiB protected-mode "kernel" of HLT
instructions (--kernel-bytes N: N bytes instead, as in the small seeds of
tests/fuzz/corpus/linux_probe; syssize rounds N up to 16-byte paragraphs).
The options make the image one bookvisor must refuse: an old protocol, a file
cut BYTES short of what its header says, an initrd limit too low for any
initrd, a short command-line limit. Field offsets are those
of Documentation/x86/boot.rst (common/loader/linux_bootparams.h).
"""

import argparse
import struct
import sys

SETUP_SECTS = 3
KERNEL_BYTES = 64 * 1024


def build(version, initrd_addr_max, cmdline_size, kernel_bytes=KERNEL_BYTES):
    img = bytearray((SETUP_SECTS + 1) * 512)
    img[0x1F1] = SETUP_SECTS
    struct.pack_into("<I", img, 0x1F4, (kernel_bytes + 15) // 16)  # syssize
    struct.pack_into("<H", img, 0x1FE, 0xAA55)                 # boot_flag
    img[0x200:0x202] = b"\xEB\x6A"                              # jump: header ends at 0x26C
    img[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", img, 0x206, version)
    img[0x211] = 0x01                                           # loadflags: LOADED_HIGH
    struct.pack_into("<I", img, 0x214, 0x100000)                # code32_start
    struct.pack_into("<I", img, 0x22C, initrd_addr_max)
    struct.pack_into("<I", img, 0x230, 0x200000)                # kernel_alignment
    img[0x234] = 1                                              # relocatable_kernel
    struct.pack_into("<H", img, 0x236, 0x0001)                  # xloadflags: XLF_KERNEL_64
    struct.pack_into("<I", img, 0x238, cmdline_size)
    struct.pack_into("<Q", img, 0x258, 0x1000000)               # pref_address
    struct.pack_into("<I", img, 0x260, 0x400000)                # init_size
    return bytes(img) + b"\xF4" * kernel_bytes


def main(argv):
    ap = argparse.ArgumentParser(description="a synthetic bzImage for refusal tests")
    ap.add_argument("out")
    ap.add_argument("--version", type=lambda s: int(s, 0), default=0x020F)
    ap.add_argument("--truncate", type=int, default=0)
    ap.add_argument("--initrd-addr-max", type=lambda s: int(s, 0), default=0x7FFFFFFF)
    ap.add_argument("--cmdline-size", type=int, default=2047)
    ap.add_argument("--kernel-bytes", type=int, default=KERNEL_BYTES)
    a = ap.parse_args(argv[1:])
    data = build(a.version, a.initrd_addr_max, a.cmdline_size, a.kernel_bytes)
    if a.truncate:
        data = data[:-a.truncate]
    with open(a.out, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
