"""tests/emu_iso.py - bootable ISOs for the emulator tests, built by scripts/mkiso
and cached by content (a rebuilt bookvisor, guest or config file gets a new ISO).

Used by tests/emurun.py. Standard library only.
"""

import hashlib
import json
import os
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKISO = ROOT / "scripts" / "mkiso"
ISO_CACHE_KEEP = 32          # cached ISOs kept in build/emu/iso (newest first)

_iso_locks = {}
_iso_locks_guard = threading.Lock()


def _file_digest(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_iso(cache_dir, vmm, guest, guest_args, vmm_args, config="", initrd="", modules=()):
    """Return a cached ISO for these parameters, building it with scripts/mkiso if new.

    modules: more guest modules after the initrd, each (file, its command line).

    The cache key covers the file contents, so a rebuilt bookvisor gets a new ISO.
    """
    vmm = Path(vmm)
    if not vmm.is_file():
        raise RuntimeError(f"{vmm} does not exist (build it first: make)")
    if guest and not Path(guest).is_file():
        raise RuntimeError(f"guest file {guest} does not exist")
    if config and not Path(config).is_file():
        raise RuntimeError(f"config module {config} does not exist")
    if initrd and not Path(initrd).is_file():
        raise RuntimeError(f"initrd {initrd} does not exist")
    for f, _ in modules:
        if not Path(f).is_file():
            raise RuntimeError(f"module {f} does not exist")
    key_src = json.dumps([_file_digest(vmm), _file_digest(guest) if guest else "",
                          guest_args, vmm_args, _file_digest(MKISO),
                          _file_digest(config) if config else "",
                          _file_digest(initrd) if initrd else "",
                          [[_file_digest(f), a] for f, a in modules]])
    key = hashlib.sha1(key_src.encode()).hexdigest()[:20]
    iso = Path(cache_dir) / f"{key}.iso"
    with _iso_locks_guard:
        lock = _iso_locks.setdefault(key, threading.Lock())
    with lock:
        if iso.is_file():
            os.utime(iso)  # mark as recently used for pruning
            return iso
        iso.parent.mkdir(parents=True, exist_ok=True)
        cmd = [str(MKISO), str(iso), str(vmm), str(guest or "-"), guest_args, vmm_args,
               str(config or "-"), str(initrd or "-"),
               ";".join(f"{f} {a}".strip() for f, a in modules) or "-"]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"mkiso failed: {r.stdout.strip()[-2000:]}")
    return iso


def prune_iso_cache(cache_dir):
    """Keep only the ISO_CACHE_KEEP most recently used ISOs."""
    d = Path(cache_dir)
    if not d.is_dir():
        return
    isos = sorted(d.glob("*.iso"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in isos[ISO_CACHE_KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass
