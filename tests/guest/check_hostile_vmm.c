/**
 * @file tests/guest/check_hostile_vmm.c
 * @brief The adversarial suite against bookvisor's own memory, and memory with nothing behind it.
 *
 * - `hostile-vmm-forms`: bookvisor's range (`BOOKVISOR_HC_VMM_RANGE`) by the
 *   forms plain MOVs (`vmm-memory-protected`) do not try: string instructions
 *   (`rep movsd` out of it and into it, `rep stosd`, `lodsd`, `rep insb` from
 *   port 0x92 into it, `outsl` from it to 0xCF8), through a guest page-table
 *   mapping (PAE paging, a linear window onto its first 2 MiB: MOV, SSE MOVDQU,
 *   `lock cmpxchg`, `rep movsd`), and as a stack (ESP inside it, PUSH and POP).
 *   Everything read from it is all ones, nothing written reaches it, the guest
 *   goes on, and bookvisor's canary is intact.
 * - `hostile-holes`: holes in the memory map, through a window: just above the
 *   RAM below 4 GiB, and the last 2 MiB of the physical address space. What
 *   is written there never reads back. Above the firmware map's top bookvisor
 *   maps nothing, and there every read gives all ones (also by string
 *   instructions); below it, a hole is device space passed through as it is
 *   (QEMU's map reaches 1 TiB, so there the end of the space is such a hole).
 * - `hostile-vmm-exec` (its own boot, `tests=hostile-vmm-exec`): a CALL into
 *   bookvisor's memory. bookvisor must stop the guest with a clear message;
 *   if the guest comes back, the check fails.
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "hypercall.h"
#include "paging.h"

#define WINDOW_LA 0xA0000000u
#define TWO_MIB 0x200000u
#define ONES 0xFFFFFFFFu
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)

/* bookvisor's range below 4 GiB, or 0 with res failed or skipped. */
static u32 vmm_base(struct check_result *res)
{
    struct hypercall_regs r = { BOOKVISOR_HC_VMM_RANGE, 0, 0, 0 };
    if (!hypercall(&r)) {
        check_skip(res, "no hypervisor (hypercall #UD)");
        return 0;
    }
    if (r.edx != 0 || r.eax == 0 || r.ecx < 4096) {
        check_skip(res, "the VMM range is above 4 GiB or small");
        return 0;
    }
    return r.eax;
}

static bool canary_intact(struct check_result *res)
{
    struct hypercall_regs c = { BOOKVISOR_HC_CHECK_CANARY, 0, 0, 0 };
    if (!hypercall(&c) || c.eax != 1) {
        check_fail(res, "bookvisor's canary is damaged");
        return false;
    }
    return true;
}

static bool all_ones(const u32 *buf, u32 n)
{
    for (u32 i = 0; i < n; i++)
        if (buf[i] != ONES)
            return false;
    return true;
}

/* String instructions with one side in memory that reads as nothing (paging off or on). */
static bool strings_at(u32 at, struct check_result *res, const char *what)
{
    u32 buf[16], v;
    void *s, *d;
    u32 n;

    memset(buf, 0, sizeof(buf));
    s = (void *)at, d = buf, n = 16;
    __asm__ volatile("cld; rep movsl" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
    if (!all_ones(buf, 16) || n != 0) {
        check_fail(res, "rep movsd out of %s read 0x%08x", what, buf[0]);
        return false;
    }
    memset(buf, 0x5A, sizeof(buf));
    s = buf, d = (void *)at, n = 16;
    __asm__ volatile("cld; rep movsl" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
    d = (void *)(at + 0x100), n = 16;
    __asm__ volatile("cld; rep stosl" : "+D"(d), "+c"(n) : "a"(0x5A5A5A5Au) : "memory");
    s = (void *)at;
    __asm__ volatile("cld; lodsl" : "=a"(v), "+S"(s) : : "memory");
    if (v != ONES) {
        check_fail(res, "lodsd from %s after writes read 0x%08x", what, v);
        return false;
    }
    return true;
}

static bool through_a_window(u32 base, struct check_result *res)
{
    u32 v, buf[4] __attribute__((aligned(16)));
    u32 cr0 = read_cr0(), cr4 = read_cr4();
    bool ok = false;

    write_cr0(cr0 & ~(CR0_EM | CR0_TS));
    write_cr4(cr4 | CR4_OSFXSR);
    paging_pae_on(WINDOW_LA, base & ~(TWO_MIB - 1));
    u32 at = WINDOW_LA + (base & (TWO_MIB - 1)) + 0x4000;
    *(volatile u32 *)at = 0x12345678u;
    v = *(volatile u32 *)at;
    if (v != ONES) {
        check_fail(res, "a paged window onto bookvisor's memory read 0x%08x", v);
        goto out;
    }
    __asm__ volatile("movdqu (%0), %%xmm5; movdqu %%xmm5, (%1)" : : "r"(at), "r"(buf) : "memory");
    if (!all_ones(buf, 4)) {
        check_fail(res, "movdqu through the window read 0x%08x", buf[0]);
        goto out;
    }
    u32 eax = ONES;
    __asm__ volatile("lock cmpxchgl %2, %1" : "+a"(eax), "+m"(*(volatile u32 *)at)
                     : "r"(0u) : "cc", "memory");
    if (*(volatile u32 *)at != ONES) {
        check_fail(res, "lock cmpxchg through the window changed bookvisor's memory");
        goto out;
    }
    ok = strings_at(at, res, "a paged window onto bookvisor's memory");
out:
    paging_off();
    write_cr4(cr4);
    write_cr0(cr0);
    return ok;
}

/* ESP inside bookvisor's memory: a PUSH goes nowhere, a POP gives all ones. */
static bool as_a_stack(u32 base, struct check_result *res)
{
    u32 popped = 0, top = base + 0x3000;

    __asm__ volatile("movl %%esp, %%edi\n\t"
                     "movl %1, %%esp\n\t"
                     "pushl %2\n\t"
                     "popl %0\n\t"
                     "movl %%edi, %%esp"
                     : "=&r"(popped)
                     : "r"(top), "r"(0x12345678u)
                     : "edi", "memory");
    if (popped != ONES) {
        check_fail(res, "PUSH then POP with ESP in bookvisor's memory gave 0x%08x", popped);
        return false;
    }
    return true;
}

static bool string_io(u32 base, struct check_result *res)
{
    void *d = (void *)(base + 0x5000), *s;
    u32 n = 16;

    __asm__ volatile("cld; rep insb" : "+D"(d), "+c"(n) : "d"(0x92) : "memory");
    outl(0xCF8, 0x80000000u);
    s = (void *)(base + 0x5000);
    __asm__ volatile("cld; outsl" : "+S"(s) : "d"(0xCF8) : "memory");
    u32 cf8 = inl(0xCF8);
    outl(0xCF8, 0x80000000u);
    if (cf8 != ONES) {
        check_fail(res, "outsl from bookvisor's memory to 0xCF8 wrote 0x%08x", cf8);
        return false;
    }
    return true;
}

void check_hostile_vmm_forms(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 base = vmm_base(res);
    if (!base)
        return;
    if (!strings_at(base + 0x1000, res, "bookvisor's memory") || !string_io(base, res) ||
        !as_a_stack(base, res))
        return;
    if (cpuid(1).edx & (1u << 26)) {
        if (!through_a_window(base, res))
            return;
    }
    if (canary_intact(res))
        check_note(res, "strings, string I/O, a stack, a paged window");
}

/* A physical address in no map entry: just above the highest one, and the end of the address space. */
static u64 map_top(const struct boot_info *bi)
{
    u64 top = 0;
    for (u32 i = 0; i < bi->mmap_count; i++)
        if (bi->mmap[i].base + bi->mmap[i].length > top)
            top = bi->mmap[i].base + bi->mmap[i].length;
    return top;
}

/* The end of the highest RAM entry below 4 GiB, rounded up to 2 MiB. */
static u64 ram_end_below_4g(const struct boot_info *bi)
{
    u64 end = 0;
    for (u32 i = 0; i < bi->mmap_count; i++) {
        u64 e = bi->mmap[i].base + bi->mmap[i].length;
        if (bi->mmap[i].type == MMAP_TYPE_AVAILABLE && e <= FOUR_GIB && e > end)
            end = e;
    }
    return (end + TWO_MIB - 1) & ~(u64)(TWO_MIB - 1);
}

/* Write a pattern into a hole through the window, read it back: what it reads, in *read. */
static bool probe_hole(u64 pa, u32 *read, struct check_result *res)
{
    paging_pae_on(WINDOW_LA, pa & ~(u64)(TWO_MIB - 1));
    u32 at = WINDOW_LA + (u32)(pa & (TWO_MIB - 1)) + 0x40;
    *(volatile u32 *)at = 0x12345678u;
    *read = *(volatile u32 *)at;
    u32 again = *(volatile u32 *)at;
    paging_off();
    if (*read == 0x12345678u || again != *read) {
        check_fail(res, "hole at 0x%llx read 0x%08x, then 0x%08x after a write of 0x12345678",
                   pa, *read, again);
        return false;
    }
    return true;
}

void check_hostile_holes(const struct check_context *ctx, struct check_result *res)
{
    u32 maxphy = cpuid(0x80000000u).eax >= 0x80000008u ? cpuid(0x80000008u).eax & 0xFF : 36;
    u64 above_ram = ram_end_below_4g(ctx->boot);
    u64 space_end = (1ull << maxphy) - TWO_MIB, top = map_top(ctx->boot);
    u32 v1 = 0, v2 = 0;

    if (!ctx->boot->has_mmap || above_ram == 0 || above_ram >= FOUR_GIB) {
        check_skip(res, "no memory map, or no hole above RAM below 4 GiB");
        return;
    }
    if (!probe_hole(above_ram, &v1, res) || !probe_hole(space_end, &v2, res))
        return;
    /* Above the firmware map's top bookvisor maps nothing: it reads as nothing. */
    if (space_end >= top && v2 != ONES) {
        check_fail(res, "unbacked memory at 0x%llx (map top 0x%llx) read 0x%08x", space_end, top,
                   v2);
        return;
    }
    paging_pae_on(WINDOW_LA, space_end);
    bool ok = space_end < top || strings_at(WINDOW_LA + 0x1000, res, "unbacked memory");
    paging_off();
    if (ok)
        check_note(res, "above RAM 0x%llx reads 0x%08x; 0x%llx %s 0x%08x", above_ram, v1,
                   space_end, space_end >= top ? "(unbacked) reads" : "(device memory) reads", v2);
}

void check_hostile_vmm_exec(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 base = vmm_base(res);
    if (!base)
        return;
    void (*jump)(void) = (void (*)(void))(base + 0x1000);
    jump();
    check_fail(res, "a CALL into bookvisor's memory came back");
}
