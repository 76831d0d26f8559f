#!/usr/bin/env python3
"""scripts/symbolize.py - turn the addresses of a bookvisor panic report into names.

    scripts/symbolize.py [--elf build/bookvisor.elf] [LOG ...]    # stdin without LOG

bookvisor prints its backtraces as raw addresses (it carries no symbol table):

    cpu=0 rip=0xffffffff80228496
    backtrace:
      #0 0xffffffff80228496

This reads the symbols of the ELF file that ran (`nm`) and the source lines
(`addr2line`) and prints each such line with `function+offset (file:line)`
after it. bookvisor runs at the virtual addresses it is linked at (chapter 01),
so the ELF's addresses are the ones in the report. labs/grade.py uses the same
code on a failed emulator run.

A backtrace entry and the RIP of panic() are return addresses: the call that
was running is the instruction just before, so the source line is looked up at
address - 1 (the offset shown is the address's own). The RIP of an exception
report (a line with `error=`) is the faulting instruction itself.
"""

import argparse
import bisect
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "  #3 0xffff..." in a backtrace, "rip=0xffff..." in the report's first line.
FRAME_RE = re.compile(r"^(\s*#\d+\s+)(0x[0-9a-fA-F]+)\s*$")
RIP_RE = re.compile(r"\brip=(0x[0-9a-fA-F]+)")


class Symbols:
    """The function symbols of one ELF file, sorted by address."""

    def __init__(self, elf):
        self.elf = Path(elf)
        res = subprocess.run(["nm", "-n", "-S", "--defined-only", str(self.elf)],
                             capture_output=True, text=True, check=True)
        self.starts, self.entries = [], []
        for line in res.stdout.splitlines():
            parts = line.split()
            # With -S: "addr size type name"; symbols without a size: "addr type name".
            if len(parts) == 4:
                addr, size, kind, name = int(parts[0], 16), int(parts[1], 16), parts[2], parts[3]
            elif len(parts) == 3:
                addr, size, kind, name = int(parts[0], 16), 0, parts[1], parts[2]
            else:
                continue
            if kind not in "TtWw":
                continue
            self.starts.append(addr)
            self.entries.append((addr, size, name))

    def lookup(self, addr):
        """(name, offset) of the function holding addr, or None outside every function.

        A sized symbol (a C function) covers [start, start + size); a label
        without a size (assembly) covers up to the next symbol.
        """
        i = bisect.bisect_right(self.starts, addr) - 1
        if i < 0:
            return None
        start = self.starts[i]
        same = [e for e in self.entries[bisect.bisect_left(self.starts, start):i + 1]]
        for _, size, name in same:
            if size and addr < start + size:
                return name, addr - start
        for _, size, name in same:
            if not size:
                return name, addr - start
        return None

    def lines(self, addrs):
        """{addr: "file:line"} from addr2line, for the addresses it knows."""
        if not addrs:
            return {}
        res = subprocess.run(["addr2line", "-e", str(self.elf), *[hex(a) for a in addrs]],
                             capture_output=True, text=True)
        found = {}
        for addr, line in zip(addrs, res.stdout.splitlines()):
            if not line.startswith("??") and not line.endswith(":?"):
                found[addr] = shorten(line.split(" (discriminator")[0])
        return found


def shorten(where):
    """A source path relative to the tree, when it lies in one."""
    path, _, line = where.rpartition(":")
    # This tree, a handout or another copy: keep the path from the top folder on.
    m = re.search(r"/((?:arch|common|pci|drivers|net)/.*)$", path)
    if m:
        path = m.group(1)
    return f"{path}:{line}"


def symbolize_text(text, symbols):
    """text with the name (and source line) added to each address of a panic report."""
    lines = text.splitlines()
    wanted = []   # (line index, address, address for the source line, kind)
    for i, line in enumerate(lines):
        m = FRAME_RE.match(line)
        if m:
            addr = int(m.group(2), 16)
            wanted.append((i, addr, addr - 1))
            continue
        m = RIP_RE.search(line)
        if m:
            addr = int(m.group(1), 16)
            wanted.append((i, addr, addr if "error=" in line else addr - 1))
    where = symbols.lines(sorted({w[2] for w in wanted}))
    for i, addr, line_addr in wanted:
        found = symbols.lookup(addr)
        if not found:
            continue
        name, off = found
        extra = f" {name}+{off:#x}"
        if line_addr in where:
            extra += f" ({where[line_addr]})"
        lines[i] = lines[i] + extra
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def main(argv=None):
    ap = argparse.ArgumentParser(description="name the addresses of a bookvisor panic report")
    ap.add_argument("--elf", type=Path, default=ROOT / "build" / "bookvisor.elf",
                    help="the bookvisor that ran (default build/bookvisor.elf)")
    ap.add_argument("logs", nargs="*", type=Path, help="log files (default: stdin)")
    opts = ap.parse_args(argv)
    if not opts.elf.is_file():
        print(f"symbolize: {opts.elf} does not exist (run make first)", file=sys.stderr)
        return 2
    symbols = Symbols(opts.elf)
    texts = [p.read_text(errors="replace") for p in opts.logs] or [sys.stdin.read()]
    for text in texts:
        sys.stdout.write(symbolize_text(text.replace("\r", ""), symbols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
