"""tests/emu_spec.py - the emulator tests' file format and the targets they run on.

Used by tests/emurun.py. A tests/emu/*.test file is described in tests/README.md.
Standard library only.
"""

import fnmatch
import re
from pathlib import Path

CAPTURE_PORTS = ("com1", "com2", "e9")
ALL_PORTS = CAPTURE_PORTS + ("emu",)


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


def parse_send(value):
    """A `send` value, 'HEX BYTES after REGEX', as (bytes, compiled regex)."""
    m = re.match(r"((?:[0-9a-fA-F]{2} )*[0-9a-fA-F]{2}) after (.+)$", value)
    if not m:
        raise ValueError("'send' takes 'HEX BYTES after REGEX', e.g. '1b after Test #5'")
    try:
        rx = re.compile(m.group(2), re.M)
    except re.error as e:
        raise ValueError(f"bad regex: {e}") from None
    return bytes.fromhex(m.group(1)), rx


def parse_tcp(value):
    """A `tcp` value, 'TEXT [xN within MS ms] after REGEX', as (text, compiled regex,
    rounds, bound in ms): rounds 0 without the middle part (one exchange, no bound)."""
    m = re.match(r"(\S.*?)(?: x(\d+) within (\d+) ms)? after (.+)$", value)
    if not m or m.group(2) == "0":
        raise ValueError("'tcp' takes 'TEXT [xN within MS ms] after REGEX', e.g. "
                         "'hello after listening' or 'hello x20 within 250 ms after listening'")
    try:
        rx = re.compile(m.group(4), re.M)
    except re.error as e:
        raise ValueError(f"bad regex: {e}") from None
    return m.group(1), rx, int(m.group(2) or 0), int(m.group(3) or 0)


class TestSpec:
    """A parsed tests/emu/*.test file: ordered (key, port, target-glob, value) entries."""

    LIST_KEYS = ("expect", "forbid", "qemu-args", "bochs-config", "send", "tcp", "guest-module",
                 "listen")
    SCALAR_KEYS = ("name", "description", "targets", "targets-long", "alone", "vmm", "guest", "guest-args",
                   "guest-initrd", "vmm-args", "vmm-config", "iso", "mem", "timeout", "end",
                   "expect-fail", "default-forbid", "requires")
    PORT_KEYS = ("expect", "forbid", "end", "send")

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
            if key == "send":
                if port not in ("com1", "com2"):
                    raise ValueError(f"{where}: 'send' types into com1 or com2 ('send.com1:')")
                try:
                    parse_send(value)
                except ValueError as e:
                    raise ValueError(f"{where}: {e}") from None
            if key == "listen" and value not in ("tcp", "udp", "http"):
                raise ValueError(f"{where}: 'listen' takes tcp, udp or http")
            if key == "tcp":
                try:
                    parse_tcp(value)
                except ValueError as e:
                    raise ValueError(f"{where}: {e}") from None
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
        return self._target_names(value)

    def long_targets(self):
        """Target names this test runs on in make test-long only (`targets-long`:
        a slow run on a target that adds little to another of the same backend)."""
        names = self._target_names(self.get_scalar("targets-long", None) or "")
        for n in names:
            if n in self.targets():
                raise ValueError(f"{self.path}: target '{n}' is in both targets and targets-long")
        return names

    def runs_alone(self, target):
        """`alone: yes` (per target with @glob): a timing test, run after the others
        with no other emulator beside it (tests/emurun.py); `no` or absent: in parallel."""
        value = (self.get_scalar("alone", target) or "no").strip()
        if value not in ("yes", "no"):
            raise ValueError(f"{self.path}: 'alone' takes yes or no, not '{value}'")
        return value == "yes"

    def _target_names(self, value):
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
