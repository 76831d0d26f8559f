#!/usr/bin/env python3
"""tests/initramfs/test_newc_cpio.py - the newc cpio writer of scripts/newc_cpio.py and
the initramfs scripts/mkinitramfs builds with it.

Writes archives and parses them back (with our reader and, byte by byte, against the
format's rules: magic, 8-digit fields, 4-byte alignment, the trailer), refuses bad
names, and checks the initramfs holds /init, busybox and the console node. Prints
one PASS/FAIL line per test and "initramfs: N passed, M failed".
"""

import gzip
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import newc_cpio as cpio  # noqa: E402


class WriterTest(unittest.TestCase):
    def sample(self):
        return [cpio.directory("bin"),
                cpio.regular("bin/a", b"hello", 0o755),
                cpio.regular("b", b""),
                cpio.regular("odd-name-length", b"123"),
                cpio.symlink("bin/sh", "busybox"),
                cpio.char_device("console", 5, 1)]

    def test_round_trip(self):
        back = cpio.read(cpio.write(self.sample()))
        self.assertEqual([(e.name, e.mode, e.data, e.rdev) for e in back],
                         [(e.name, e.mode, e.data, e.rdev) for e in self.sample()])

    def test_layout(self):
        blob = cpio.write([cpio.regular("ab", b"xyz", 0o644)])
        self.assertEqual(blob[:6], b"070701")
        fields = [int(blob[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        self.assertEqual(fields[1], stat.S_IFREG | 0o644)    # mode
        self.assertEqual(fields[6], 3)                        # filesize
        self.assertEqual(fields[11], 3)                       # namesize: "ab\0"
        # 110 header bytes + 3 name bytes = 113, padded to 116; data padded to 4.
        self.assertEqual(blob[110:116], b"ab\0\0\0\0")
        self.assertEqual(blob[116:120], b"xyz\0")
        self.assertEqual(blob[120:126], b"070701")
        self.assertIn(b"TRAILER!!!\0", blob)
        self.assertEqual(len(blob) % 4, 0)

    def test_every_member_aligned(self):
        blob = cpio.write(self.sample())
        pos = 0
        for _ in range(len(self.sample()) + 1):
            self.assertEqual(blob[pos:pos + 6], b"070701", f"member at {pos}")
            size, namesize = int(blob[pos + 54:pos + 62], 16), int(blob[pos + 94:pos + 102], 16)
            pos += 110 + namesize
            pos += -pos % 4
            pos += size + (-size % 4)
        self.assertEqual(pos, len(blob))

    def test_same_entries_same_bytes(self):
        self.assertEqual(cpio.write(self.sample()), cpio.write(self.sample()))

    def test_bad_names_refused(self):
        for bad in ("", "/init", "TRAILER!!!"):
            with self.assertRaises(ValueError, msg=repr(bad)):
                cpio.write([cpio.regular(bad, b"")])
        with self.assertRaises(ValueError):
            cpio.write([cpio.regular("x", b""), cpio.regular("x", b"")])

    def test_reader_refuses_damage(self):
        blob = cpio.write(self.sample())
        with self.assertRaises(ValueError):
            cpio.read(b"070707" + blob[6:])
        with self.assertRaises(ValueError):
            cpio.read(blob[:-20])


class InitramfsTest(unittest.TestCase):
    def test_mkinitramfs(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake_busybox = Path(tmp) / "busybox"
            fake_busybox.write_bytes(b"\x7fELF fake busybox")
            out = Path(tmp) / "initrd.gz"
            r = subprocess.run([sys.executable, str(ROOT / "scripts" / "mkinitramfs"),
                                str(out), str(fake_busybox)])
            self.assertEqual(r.returncode, 0)
            members = {e.name: e for e in cpio.read(gzip.decompress(out.read_bytes()))}
        init = members["init"]
        self.assertTrue(stat.S_ISREG(init.mode) and init.mode & 0o111)
        self.assertEqual(init.data, (ROOT / "scripts" / "initramfs" / "init").read_bytes())
        self.assertEqual(members["bin/busybox"].data, b"\x7fELF fake busybox")
        self.assertEqual(members["bin/sh"].data, b"busybox")
        self.assertTrue(stat.S_ISCHR(members["dev/console"].mode))
        self.assertEqual(members["dev/console"].rdev, (5, 1))
        for d in ("proc", "sys", "dev", "tmp"):
            self.assertTrue(stat.S_ISDIR(members[d].mode), d)


class Counting(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"PASS initramfs: {test._testMethodName}")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print(f"FAIL initramfs: {test._testMethodName}")

    def addError(self, test, err):
        super().addError(test, err)
        print(f"FAIL initramfs: {test._testMethodName} (error)")


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    res = unittest.TextTestRunner(resultclass=Counting, verbosity=0,
                                  stream=sys.stderr).run(suite)
    bad = len(res.failures) + len(res.errors)
    print(f"initramfs: {res.testsRun - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)
