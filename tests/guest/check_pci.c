/**
 * @file tests/guest/check_pci.c
 * @brief The guest's view of PCI through both paths: 0xCF8/0xCFC and ECAM.
 *
 * The check walks the buses (bus 0, then behind every PCI-to-PCI bridge)
 * through the ports, and through ECAM when the ACPI MCFG table gives a
 * window below 4 GiB, and insists both walks see the same functions with
 * the same IDs and class codes. Words on the command line add checks:
 *
 * - `pci.absent=SLOT,...`: no function at SLOT (`bb:dd.f`, hex): its first
 *   64 bytes read all ones by both paths and the walks do not list it;
 * - `pci.present=SLOT,...`: the walks list a function at SLOT;
 * - `pci.line=SLOT/HH`: its Interrupt Line (offset 0x3C) reads HH by both
 *   paths, and a byte written by one path reads back by the other
 *   (the original value is written back afterwards);
 * - `pci.mem-dark=ADDR,...` / `pci.io-dark=PORT,...` (hex): a concealed
 *   device's memory or I/O BAR, as the firmware placed it: its first
 *   register must read all ones (the device is unreachable, not just unlisted);
 * - `pci.ecam-pinned`: try to move the ECAM window (q35's PCIEXBAR, dword at
 *   0x60 of 00:00.0) by each path; the register must keep its value, or a
 *   guest could reach concealed functions through a window nobody watches.
 *
 * Not run by `tests=all`: name it, `tests=pci`.
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "pci_util.h"
#include "select.h"

#define CF8 0xCF8
#define CFC 0xCFC
#define MAX_FUNCTIONS 96
#define MAX_SLOTS 8
#define LINE_REG 0x3C

struct function {
    struct slot at;
    u32 id; /* offset 0: vendor | device << 16 */
    u32 class_rev; /* offset 8 */
};

/* One way to read a configuration dword, byte, or to write a byte. */
struct path {
    const char *name;
    u32 (*read32)(struct slot s, u32 off);
    u8 (*read8)(struct slot s, u32 off);
    void (*write8)(struct slot s, u32 off, u8 value);
};

static struct pci_ecam ecam_window;

static u32 cf8_address(struct slot s, u32 off)
{
    return 0x80000000u | (u32)s.bus << 16 | (u32)s.dev << 11 | (u32)s.fn << 8 | (off & 0xFC);
}

static u32 cf8_read32(struct slot s, u32 off)
{
    outl(CF8, cf8_address(s, off));
    return inl(CFC);
}

static u8 cf8_read8(struct slot s, u32 off)
{
    outl(CF8, cf8_address(s, off));
    return inb((u16)(CFC + (off & 3)));
}

static void cf8_write8(struct slot s, u32 off, u8 value)
{
    outl(CF8, cf8_address(s, off));
    outb((u16)(CFC + (off & 3)), value);
}

static volatile u8 *ecam_ptr(struct slot s, u32 off)
{
    return pci_ecam_ptr(&ecam_window, s, off);
}

static u32 ecam_read32(struct slot s, u32 off)
{
    volatile u8 *p = ecam_ptr(s, off);
    return p ? *(volatile u32 *)p : 0xFFFFFFFFu;
}

static u8 ecam_read8(struct slot s, u32 off)
{
    volatile u8 *p = ecam_ptr(s, off);
    return p ? *p : 0xFF;
}

static void ecam_write8(struct slot s, u32 off, u8 value)
{
    volatile u8 *p = ecam_ptr(s, off);
    if (p)
        *p = value;
}

static const struct path cf8_path = { "CF8", cf8_read32, cf8_read8, cf8_write8 };
static const struct path ecam_path = { "ECAM", ecam_read32, ecam_read8, ecam_write8 };

/* Bus 0, then the secondary bus of every bridge found, each bus once. */
static u32 walk(const struct path *p, struct function *out, u32 max, bool *truncated)
{
    u8 queue[256];
    bool queued[256];
    u32 head = 0, tail = 0, n = 0;

    memset(queued, 0, sizeof(queued));
    *truncated = false;
    queue[tail++] = 0;
    queued[0] = true;
    while (head < tail) {
        u8 bus = queue[head++];
        for (u8 dev = 0; dev < 32; dev++) {
            struct slot s = { bus, dev, 0 };
            if ((p->read32(s, 0) & 0xFFFF) == 0xFFFF)
                continue;
            u8 nfn = (p->read8(s, 0x0E) & 0x80) ? 8 : 1;
            for (u8 fn = 0; fn < nfn; fn++) {
                s.fn = fn;
                u32 id = p->read32(s, 0);
                if ((id & 0xFFFF) == 0xFFFF)
                    continue;
                if (n == max) {
                    *truncated = true;
                    return n;
                }
                out[n].at = s;
                out[n].id = id;
                out[n].class_rev = p->read32(s, 8);
                n++;
                u8 secondary = p->read8(s, 0x19);
                if ((p->read8(s, 0x0E) & 0x7F) == 1 && secondary > bus && !queued[secondary]) {
                    queued[secondary] = true;
                    queue[tail++] = secondary;
                }
            }
        }
    }
    return n;
}

static bool same_slot(struct slot a, struct slot b)
{
    return a.bus == b.bus && a.dev == b.dev && a.fn == b.fn;
}

static const struct function *find(const struct function *list, u32 n, struct slot s)
{
    for (u32 i = 0; i < n; i++)
        if (same_slot(list[i].at, s))
            return &list[i];
    return NULL;
}

/* A comma list of hex numbers; false (with a reason) on a malformed one. */
static bool parse_hex_list(const char *v, u32 len, u32 *out, u32 *n, struct check_result *res,
                           const char *key)
{
    *n = 0;
    for (u32 i = 0; i < len;) {
        u32 start = i;
        while (i < len && v[i] != ',')
            i++;
        if (i == start || i - start > 8 || *n == MAX_SLOTS ||
            !parse_hex(v + start, i - start, &out[*n])) {
            check_fail(res, "%s: bad list (want hex,hex,...)", key);
            return false;
        }
        (*n)++;
        i++; /* the comma */
    }
    return true;
}

static void cf8_write32(struct slot s, u32 off, u32 value)
{
    outl(CF8, cf8_address(s, off));
    outl(CFC, value);
}

/* pci.ecam-pinned: moving the window must not work, by either path. */
static void check_ecam_pinned(bool ecam, struct check_result *res)
{
    const struct slot host = { 0, 0, 0 };
    const u32 pciexbar = 0x60;
    u32 before = cf8_read32(host, pciexbar);
    u32 moved = before ^ 0x10000000u; /* 256 MiB away */

    if (!ecam) {
        check_fail(res, "pci.ecam-pinned: no ECAM window to pin");
        return;
    }
    cf8_write32(host, pciexbar, moved);
    u32 after_cf8 = cf8_read32(host, pciexbar);
    *(volatile u32 *)ecam_ptr(host, pciexbar) = moved;
    u32 after_ecam = cf8_read32(host, pciexbar);
    if (after_cf8 != before || after_ecam != before) {
        cf8_write32(host, pciexbar, before); /* put the machine back */
        check_fail(res, "PCIEXBAR %08x became %08x by CF8 and %08x by ECAM: the window moved",
                   before, after_cf8, after_ecam);
    }
}

/* A concealed device's BARs: the first register of each reads all ones. */
static void check_dark(const u32 *mem, u32 nmem, const u32 *io, u32 nio, struct check_result *res)
{
    for (u32 i = 0; i < nmem; i++) {
        u32 v = *(volatile const u32 *)mem[i];
        if (v != 0xFFFFFFFFu) {
            check_fail(res, "memory BAR at 0x%08x reads %08x, not all ones", mem[i], v);
            return;
        }
    }
    for (u32 i = 0; i < nio; i++) {
        u32 v = inl((u16)io[i]);
        if (v != 0xFFFFFFFFu) {
            check_fail(res, "I/O BAR at port 0x%04x reads %08x, not all ones", io[i], v);
            return;
        }
    }
}

static struct function by_cf8[MAX_FUNCTIONS];
static struct function by_ecam[MAX_FUNCTIONS];

/* Both walks list the same functions with the same IDs and class codes. */
static void compare_walks(const struct function *a, u32 na, const struct function *b, u32 nb,
                          struct check_result *res)
{
    for (u32 i = 0; i < na; i++) {
        const struct function *f = find(b, nb, a[i].at);
        if (!f) {
            check_fail(res, "%02x:%02x.%u (%08x) seen by CF8, not by ECAM", a[i].at.bus,
                       a[i].at.dev, a[i].at.fn, a[i].id);
            return;
        }
        if (f->id != a[i].id || f->class_rev != a[i].class_rev) {
            check_fail(res, "%02x:%02x.%u differs: CF8 %08x/%08x, ECAM %08x/%08x", a[i].at.bus,
                       a[i].at.dev, a[i].at.fn, a[i].id, a[i].class_rev, f->id, f->class_rev);
            return;
        }
    }
    if (na != nb)
        check_fail(res, "CF8 sees %u functions, ECAM %u", na, nb);
}

static void check_absent(const struct path *p, struct slot s, const struct function *list, u32 n,
                         struct check_result *res)
{
    for (u32 off = 0; off < 64; off += 4) {
        u32 v = p->read32(s, off);
        if (v != 0xFFFFFFFFu) {
            check_fail(res, "%s: %02x:%02x.%u offset 0x%02x reads %08x, not all ones", p->name,
                       s.bus, s.dev, s.fn, off, v);
            return;
        }
    }
    if (find(list, n, s))
        check_fail(res, "%s walk lists %02x:%02x.%u", p->name, s.bus, s.dev, s.fn);
}

/* The Interrupt Line reads want by every path, and a write by one reads back by the others. */
static void check_line(const struct path *const *paths, u32 npaths, struct slot s, u8 want,
                       struct check_result *res)
{
    for (u32 i = 0; i < npaths; i++) {
        u8 got = paths[i]->read8(s, LINE_REG);
        if (got != want) {
            check_fail(res, "%s: %02x:%02x.%u Interrupt Line reads 0x%02x, not 0x%02x",
                       paths[i]->name, s.bus, s.dev, s.fn, got, want);
            return;
        }
    }
    for (u32 i = 0; i < npaths; i++) {
        u8 probe = (u8)(0x30 + i);
        paths[i]->write8(s, LINE_REG, probe);
        for (u32 j = 0; j < npaths; j++) {
            u8 got = paths[j]->read8(s, LINE_REG);
            if (got != probe) {
                check_fail(res, "wrote 0x%02x by %s, %s reads 0x%02x", probe, paths[i]->name,
                           paths[j]->name, got);
                paths[i]->write8(s, LINE_REG, want);
                return;
            }
        }
    }
    paths[0]->write8(s, LINE_REG, want);
}

void check_pci(const struct check_context *ctx, struct check_result *res)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    struct slot absent[MAX_SLOTS], present[MAX_SLOTS], line_slot;
    u32 nabsent = 0, npresent = 0, len = 0, line_value = 0;
    u32 mem_dark[MAX_SLOTS], io_dark[MAX_SLOTS], nmem_dark = 0, nio_dark = 0;
    bool truncated, want_line = false, want_pinned = false;
    const char *v;

    v = cmdline_value(cmdline, "pci.absent=", &len);
    if (v && !parse_slot_list(v, len, absent, &nabsent, MAX_SLOTS, res, "pci.absent"))
        return;
    v = cmdline_value(cmdline, "pci.present=", &len);
    if (v && !parse_slot_list(v, len, present, &npresent, MAX_SLOTS, res, "pci.present"))
        return;
    v = cmdline_value(cmdline, "pci.mem-dark=", &len);
    if (v && !parse_hex_list(v, len, mem_dark, &nmem_dark, res, "pci.mem-dark"))
        return;
    v = cmdline_value(cmdline, "pci.io-dark=", &len);
    if (v && !parse_hex_list(v, len, io_dark, &nio_dark, res, "pci.io-dark"))
        return;
    want_pinned = cmdline_value(cmdline, "pci.ecam-pinned", &len) != NULL;
    v = cmdline_value(cmdline, "pci.line=", &len);
    if (v) {
        if (len != 10 || !parse_slot(v, &line_slot) || v[7] != '/' ||
            !parse_hex(v + 8, 2, &line_value)) {
            check_fail(res, "pci.line: want bb:dd.f/HH");
            return;
        }
        want_line = true;
    }

    bool ecam = pci_find_ecam(&ecam_window);
    const struct path *paths[2] = { &cf8_path, &ecam_path };
    u32 npaths = ecam ? 2 : 1;

    u32 n_cf8 = walk(&cf8_path, by_cf8, MAX_FUNCTIONS, &truncated);
    if (truncated) {
        check_fail(res, "more than %u functions", MAX_FUNCTIONS);
        return;
    }
    if (n_cf8 == 0) {
        check_fail(res, "no PCI function at all through CF8");
        return;
    }
    u32 n_ecam = 0;
    if (ecam) {
        n_ecam = walk(&ecam_path, by_ecam, MAX_FUNCTIONS, &truncated);
        compare_walks(by_cf8, n_cf8, by_ecam, n_ecam, res);
    }
    for (u32 i = 0; i < nabsent; i++) {
        check_absent(&cf8_path, absent[i], by_cf8, n_cf8, res);
        if (ecam)
            check_absent(&ecam_path, absent[i], by_ecam, n_ecam, res);
    }
    for (u32 i = 0; i < npresent; i++)
        if (!find(by_cf8, n_cf8, present[i]) || (ecam && !find(by_ecam, n_ecam, present[i])))
            check_fail(res, "%02x:%02x.%u is missing", present[i].bus, present[i].dev,
                       present[i].fn);
    if (want_line)
        check_line(paths, npaths, line_slot, (u8)line_value, res);
    check_dark(mem_dark, nmem_dark, io_dark, nio_dark, res);
    if (want_pinned && res->status == CHECK_PASS)
        check_ecam_pinned(ecam, res);
    if (res->status == CHECK_PASS)
        check_note(res, "%u functions by %s, %u absent, %u present%s%s%s", n_cf8,
                   ecam ? "CF8 and ECAM" : "CF8 (no MCFG)", nabsent, npresent,
                   want_line ? ", line ok" : "", nmem_dark + nio_dark ? ", BARs dark" : "",
                   want_pinned ? ", ECAM pinned" : "");
}
