"""tests/linux_iso.py - bootable ISOs that start Debian's Linux with our initramfs,
under bookvisor or bare, cached by content like tests/emu_iso.py.

build_linux_iso() is the one place that knows HOW Linux reaches the machine: under
bookvisor, the kernel is bookvisor's guest module and the initramfs the module after
it, and bookvisor's Linux boot-protocol loader starts it (chapter 12); bare, GRUB's own
`linux` command does. Standard library only.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from emu_iso import _file_digest

ROOT = Path(__file__).resolve().parent.parent
GUESTS = ROOT / "third_party" / "guests"
GRUB_DIR = "/usr/lib/grub/i386-pc"
# gzio: GRUB unpacks the gzip-compressed initramfs (the kernel takes it unpacked too).
GRUB_MODULES = ("normal multiboot2 linux serial terminal boot configfile echo test "
                "iso9660 biosdisk gzio")

_lock = threading.Lock()


def _quote(words):
    """Each blank-separated word of WORDS single-quoted for grub.cfg (as scripts/mkiso)."""
    return "".join(" '" + w.replace("'", "'\\''") + "'" for w in words.split())


def _grub_cfg(cmdline, vmm_args, bare):
    head = ["set timeout=0", "serial --unit=0 --speed=115200", "terminal_input serial",
            "terminal_output serial"]
    if bare:
        body = [f"linux /boot/vmlinuz{_quote(cmdline)}", "initrd /boot/initrd"]
    else:
        body = [f"multiboot2 /boot/bookvisor.elf{_quote(vmm_args)}",
                f"module2 /boot/vmlinuz{_quote(cmdline)}",
                "module2 /boot/initrd"]
    return "\n".join(head + body + ["boot"]) + "\n"


def linux_boot_missing(bare):
    """Why a Linux ISO cannot be built today (a file scripts/setup did not fetch), or None."""
    del bare  # nothing beyond the kernel and busybox, which the callers check
    return None


def build_linux_iso(cache_dir, kernel, initrd, cmdline, vmm=None, vmm_args=""):
    """Return an ISO that boots KERNEL with INITRD and CMDLINE: under bookvisor VMM
    (with VMM_ARGS) when VMM is given, bare (GRUB's `linux` command) when it is None.
    Cached by the contents of every file and by both command lines."""
    bare = vmm is None
    files = {"vmlinuz": Path(kernel), "initrd": Path(initrd)}
    if not bare:
        files["bookvisor.elf"] = Path(vmm)
    for f in files.values():
        if not f.is_file():
            raise RuntimeError(f"{f} does not exist")
    cfg = _grub_cfg(cmdline, vmm_args, bare)
    key = hashlib.sha1(json.dumps([cfg] + [(n, _file_digest(f)) for n, f in
                                           sorted(files.items())]).encode()).hexdigest()[:20]
    iso = Path(cache_dir) / f"linux-{key}.iso"
    with _lock:
        if iso.is_file():
            os.utime(iso)
            return iso
        iso.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="linux-iso.") as tmp:
            boot = Path(tmp) / "iso" / "boot"
            (boot / "grub").mkdir(parents=True)
            for name, f in files.items():
                shutil.copyfile(f, boot / name)
            (boot / "grub" / "grub.cfg").write_text(cfg)
            part = iso.with_name(iso.name + ".part")
            r = subprocess.run(["grub-mkrescue", "-d", GRUB_DIR, "--compress=no",
                                f"--install-modules={GRUB_MODULES}", "--locales=",
                                "--fonts=", "--themes=", "-o", str(part),
                                str(Path(tmp) / "iso")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"grub-mkrescue failed: {r.stdout.strip()[-2000:]}")
            part.replace(iso)
    return iso
