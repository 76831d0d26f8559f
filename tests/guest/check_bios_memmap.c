/**
 * @file tests/guest/check_bios_memmap.c
 * @brief The BIOS's memory map, asked from real mode, hides bookvisor.
 *
 * An operating system that asks the BIOS for the memory map (INT 15h E820h,
 * E801h, 88h) from real mode must hear what its boot information says:
 * bookvisor's range reserved. The check goes to real mode (realmode.S) for
 * every call, as a boot loader would, and asserts:
 *  - E820h: every entry equals the Multiboot map's entry of the same number,
 *    no RAM entry overlaps bookvisor's range (BOOKVISOR_HC_VMM_RANGE), the
 *    list ends with EBX = 0, and the first RAM entry ends where the BIOS data
 *    area's memory size (INT 12h's answer) says;
 *  - E801h and 88h: the RAM they count ends at or below bookvisor's range;
 *  - a call bookvisor does not answer (AX = 2402h, "A20 state") reaches the
 *    BIOS, which changes AH, and comes back.
 * Bare, the BIOS lists bookvisor's range as RAM and the check fails.
 */
#include "check.h"
#include "gstring.h"
#include "hypercall.h"
#include "print.h"

/** Registers in and out of one INT 15h in real mode; at RM_INT15_REGS (realmode.S). */
struct rm_int15_regs {
    u32 eax, ebx, ecx, edx, edi, flags;
};

#define RM_INT15_REGS 0x5F00
#define E820_BUFFER 0x5E00 /* ES = 0, DI = this */
#define SMAP 0x534D4150u
#define FLAG_CF 1u
#define MAX_ENTRIES 64
#define BDA_BASE_KIB 0x413

void realmode_int15(u32 unused);

/* The BIOS data area's conventional-memory size (INT 12h's answer), in KiB.
 * The address goes through asm: GCC treats a constant this low as NULL. */
static u16 bda_base_kib(void)
{
    u32 addr = BDA_BASE_KIB;
    __asm__("" : "+r"(addr));
    return *(volatile u16 *)addr;
}

static void int15(struct rm_int15_regs *r)
{
    volatile struct rm_int15_regs *block = (volatile struct rm_int15_regs *)RM_INT15_REGS;
    block->eax = r->eax;
    block->ebx = r->ebx;
    block->ecx = r->ecx;
    block->edx = r->edx;
    block->edi = r->edi;
    block->flags = 0;
    realmode_int15(0);
    r->eax = block->eax;
    r->ebx = block->ebx;
    r->ecx = block->ecx;
    r->edx = block->edx;
    r->flags = block->flags;
}

struct e820_entry {
    u64 base, length;
    u32 type, attrs;
} __attribute__((packed));

static bool check_e820(const struct boot_info *bi, u64 vmm_base, u64 vmm_end,
                       struct check_result *res, u32 *count)
{
    u32 ebx = 0, n = 0;
    do {
        volatile struct e820_entry *buf = (volatile struct e820_entry *)E820_BUFFER;
        buf->type = 0xFFFFFFFF;
        struct rm_int15_regs r = { 0xE820, ebx, 24, SMAP, E820_BUFFER, 0 };
        int15(&r);
        if ((r.flags & FLAG_CF) || r.eax != SMAP || (r.ecx != 20 && r.ecx != 24)) {
            check_fail(res, "E820 call %u: CF=%u EAX=%08x ECX=%u", n, r.flags & FLAG_CF, r.eax,
                       r.ecx);
            return false;
        }
        struct e820_entry e = { buf->base, buf->length, buf->type, buf->attrs };
        if (e.type == 1 && e.base < vmm_end && vmm_base < e.base + e.length) {
            check_fail(res, "E820 entry %u (0x%llx+0x%llx) is RAM over bookvisor's range", n,
                       e.base, e.length);
            return false;
        }
        if (n < bi->mmap_count) {
            const struct mmap_entry *m = &bi->mmap[n];
            if (m->base != e.base || m->length != e.length || m->type != e.type) {
                check_fail(res, "E820 entry %u is 0x%llx+0x%llx type %u; the boot map's 0x%llx+0x%llx type %u",
                           n, e.base, e.length, e.type, m->base, m->length, m->type);
                return false;
            }
        }
        if (n == 0 && e.type == 1 && e.base == 0 &&
            e.length > (u64)bda_base_kib() * KIB) {
            check_fail(res, "E820's first RAM ends at 0x%llx, past the BIOS data area's %u KiB",
                       e.length, bda_base_kib());
            return false;
        }
        ebx = r.ebx;
        n++;
    } while (ebx != 0 && n < MAX_ENTRIES);
    if (ebx != 0 || (bi->has_mmap && n != bi->mmap_count)) {
        check_fail(res, "E820 gave %u entries (EBX %u at the end); the boot map has %u", n, ebx,
                   bi->mmap_count);
        return false;
    }
    *count = n;
    return true;
}

void check_bios_memmap(const struct check_context *ctx, struct check_result *res)
{
    struct hypercall_regs hc = { BOOKVISOR_HC_VMM_RANGE, 0, 0, 0 };
    if (!hypercall(&hc) || hc.eax == BOOKVISOR_HC_UNKNOWN) {
        check_skip(res, "no bookvisor range to hide (no hypercall)");
        return;
    }
    u64 vmm_base = ((u64)hc.edx << 32) | hc.eax;
    u64 vmm_end = vmm_base + (u64)hc.ecx * KIB;
    u32 entries = 0;
    if (!check_e820(ctx->boot, vmm_base, vmm_end, res, &entries))
        return;

    struct rm_int15_regs r = { 0xE801, 0, 0, 0, 0, 0 };
    int15(&r);
    u64 e801_end = 0x1000000ULL + ((u64)(r.ebx & 0xFFFF) << 16);
    if ((r.flags & FLAG_CF) || (r.eax & 0xFFFF) != (r.ecx & 0xFFFF) ||
        (r.ebx & 0xFFFF) != (r.edx & 0xFFFF)) {
        check_fail(res, "E801: CF=%u AX=%x CX=%x BX=%x DX=%x", r.flags & FLAG_CF, r.eax & 0xFFFF,
                   r.ecx & 0xFFFF, r.ebx & 0xFFFF, r.edx & 0xFFFF);
        return;
    }
    if (vmm_base >= 0x1000000ULL && vmm_base < 0x100000000ULL && e801_end > vmm_base) {
        check_fail(res, "E801 counts RAM up to 0x%llx, over bookvisor at 0x%llx", e801_end,
                   vmm_base);
        return;
    }

    r = (struct rm_int15_regs){ 0x8800, 0, 0, 0, 0, 0 };
    int15(&r);
    u64 e88_end = 0x100000ULL + (u64)(r.eax & 0xFFFF) * KIB;
    if ((r.flags & FLAG_CF) || (vmm_base >= 0x100000ULL && e88_end > vmm_base)) {
        check_fail(res, "88h: CF=%u, RAM up to 0x%llx (bookvisor at 0x%llx)", r.flags & FLAG_CF,
                   e88_end, vmm_base);
        return;
    }

    /* Not a memory-size call: the BIOS's own handler answers (AH changes). */
    r = (struct rm_int15_regs){ 0x2402, 0, 0, 0, 0, 0 };
    int15(&r);
    if (((r.eax >> 8) & 0xFF) == 0x24) {
        check_fail(res, "INT 15h AX=2402h came back unanswered (AX=%04x)", r.eax & 0xFFFF);
        return;
    }
    check_note(res, "%u E820 entries, E801 to 0x%llx, 88h to 0x%llx", entries, e801_end, e88_end);
}
