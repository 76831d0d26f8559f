/**
 * @file tests/guest/check_hostile_ecam.c
 * @brief hostile-ecam-edge: accesses across the edge of a function's ECAM page.
 *
 * Each function's configuration space is a 4 KiB page of the ECAM window;
 * bookvisor hooks the pages of the functions it conceals or gives a driver.
 * A dword read at the last two bytes of one page also reads the first two of
 * the next: once bookvisor replayed the whole access on the hardware, and
 * the end of a driver's page showed the concealed next function's vendor ID.
 *
 * `hostile.ecam-edge=SLOT,...` names functions whose page's last 8 bytes are
 * probed (with the first 8 of the next function's page), `hostile.ecam-dark=
 * SLOT,...` the concealed functions. For every width (1, 2, 4, and 8 through
 * an SSE MOVQ) at every offset of those last 8 bytes, a read must give
 * exactly what byte reads of the same addresses give, and every byte of a
 * concealed function must read 0xFF. Then each width is written at each
 * offset (the visible bytes with their own values, a concealed function's
 * with zeros): the guest goes on, the concealed function still reads all
 * ones and its neighbours' IDs are unchanged. Without an MCFG table (the
 * Bochs i440fx has none) the check is skipped.
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "paging.h"
#include "pci_util.h"
#include "select.h"

#define MAX_EDGES 8
#define EDGE 0xFF8u
#define WINDOW 16u
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)

static struct pci_ecam ecam;

static struct slot next_function(struct slot s)
{
    if (++s.fn == 8) {
        s.fn = 0;
        if (++s.dev == 32) {
            s.dev = 0;
            s.bus++;
        }
    }
    return s;
}

static bool is_dark(struct slot s, const struct slot *dark, u32 ndark)
{
    for (u32 i = 0; i < ndark; i++)
        if (dark[i].bus == s.bus && dark[i].dev == s.dev && dark[i].fn == s.fn)
            return true;
    return false;
}

static u64 read_width(u32 addr, u32 width)
{
    u64 v = 0;
    switch (width) {
    case 1: v = *(volatile u8 *)addr; break;
    case 2: v = *(volatile u16 *)addr; break;
    case 4: v = *(volatile u32 *)addr; break;
    default: __asm__ volatile("movq (%1), %%xmm0; movq %%xmm0, %0" : "=m"(v) : "r"(addr) : "memory");
    }
    return v;
}

static void write_width(u32 addr, u32 width, u64 v)
{
    switch (width) {
    case 1: *(volatile u8 *)addr = (u8)v; break;
    case 2: *(volatile u16 *)addr = (u16)v; break;
    case 4: *(volatile u32 *)addr = (u32)v; break;
    default: __asm__ volatile("movq %0, %%xmm0; movq %%xmm0, (%1)" : : "m"(v), "r"(addr) : "memory");
    }
}

/* The 16 bytes around one edge, each by a byte read. */
static void reference(u32 edge, u8 ref[WINDOW])
{
    for (u32 k = 0; k < WINDOW; k++)
        ref[k] = *(volatile u8 *)(edge + k);
}

static u64 bytes_of(const u8 *b, u32 width)
{
    u64 v = 0;
    for (u32 i = 0; i < width; i++)
        v |= (u64)b[i] << (8 * i);
    return v;
}

static bool probe_edge(struct slot s, const struct slot *dark, u32 ndark, struct check_result *res)
{
    static const u32 widths[] = { 1, 2, 4, 8 };
    struct slot n = next_function(s);
    bool dark_here = is_dark(s, dark, ndark), dark_next = is_dark(n, dark, ndark);
    u32 edge = (u32)pci_ecam_ptr(&ecam, s, EDGE);
    u8 ref[WINDOW], after[WINDOW];

    if (!pci_ecam_ptr(&ecam, n, 0)) {
        check_fail(res, "%02x:%02x.%u: its next function is outside the ECAM window", s.bus,
                   s.dev, s.fn);
        return false;
    }
    reference(edge, ref);
    for (u32 k = 0; k < WINDOW; k++) {
        if ((k < 8 ? dark_here : dark_next) && ref[k] != 0xFF) {
            check_fail(res, "byte at 0x%08x of a concealed function reads 0x%02x", edge + k,
                       ref[k]);
            return false;
        }
    }
    for (u32 w = 0; w < 4; w++) {
        for (u32 start = 0; start < 8; start++) {
            u64 got = read_width(edge + start, widths[w]), want = bytes_of(ref + start, widths[w]);
            if (got != want) {
                check_fail(res, "%02x:%02x.%u: %u-byte read at 0x%03x gave 0x%llx, bytes say "
                           "0x%llx", s.bus, s.dev, s.fn, widths[w], EDGE + start, got, want);
                return false;
            }
        }
    }
    for (u32 w = 0; w < 4; w++) {
        for (u32 start = 0; start < 8; start++) {
            u8 value[8];
            for (u32 i = 0; i < widths[w]; i++) {
                u32 k = start + i;
                value[i] = (k < 8 ? dark_here : dark_next) ? 0 : ref[k];
            }
            write_width(edge + start, widths[w], bytes_of(value, widths[w]));
        }
    }
    reference(edge, after);
    for (u32 k = 0; k < WINDOW; k++) {
        bool dark_byte = k < 8 ? dark_here : dark_next;
        /* The next function's vendor and device IDs are read-only. */
        if ((dark_byte && after[k] != 0xFF) || (!dark_byte && k >= 8 && k < 12 &&
                                                after[k] != ref[k])) {
            check_fail(res, "after the writes, byte at 0x%08x reads 0x%02x (was 0x%02x)",
                       edge + k, after[k], ref[k]);
            return false;
        }
    }
    return true;
}

void check_hostile_ecam_edge(const struct check_context *ctx, struct check_result *res)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    struct slot edges[MAX_EDGES], dark[MAX_EDGES];
    u32 nedges = 0, ndark = 0, len = 0;
    const char *v;

    if (!pci_find_ecam(&ecam)) {
        check_skip(res, "no MCFG table: no ECAM to probe (the Bochs i440fx has none)");
        return;
    }
    v = cmdline_value(cmdline, "hostile.ecam-edge=", &len);
    if (!v) {
        check_fail(res, "no hostile.ecam-edge= slots on the command line");
        return;
    }
    if (!parse_slot_list(v, len, edges, &nedges, MAX_EDGES, res, "hostile.ecam-edge"))
        return;
    v = cmdline_value(cmdline, "hostile.ecam-dark=", &len);
    if (v && !parse_slot_list(v, len, dark, &ndark, MAX_EDGES, res, "hostile.ecam-dark"))
        return;
    u32 cr0 = read_cr0(), cr4 = read_cr4();
    write_cr0(cr0 & ~(CR0_EM | CR0_TS));
    write_cr4(cr4 | CR4_OSFXSR);
    bool ok = true;
    for (u32 i = 0; ok && i < nedges; i++)
        ok = probe_edge(edges[i], dark, ndark, res);
    write_cr4(cr4);
    write_cr0(cr0);
    if (ok)
        check_note(res, "%u page edges, widths 1 to 8 at every offset", nedges);
}
