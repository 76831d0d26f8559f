/**
 * @file tests/guest/check_mtrr.c
 * @brief A guest MTRR write reaches the hardware and memory stays right.
 *
 * bookvisor intercepts MTRR writes because its nested page sizes depend on
 * the memory types (chapter 05): a 4 KiB uncacheable range inside a 2 MiB
 * page forces that page to be split. The check fills two pages at 8 MiB
 * (already mapped by the memory test, most likely as one 2 MiB page), makes
 * the first uncacheable with a free variable MTRR, reads both back, and
 * restores the MTRR. Every step must read what was written; the emulator test
 * expects bookvisor to count the four MTRR writes.
 */
#include "check.h"
#include "cpu.h"

#define MSR_MTRRCAP 0xFE
#define MSR_PHYSBASE(n) (0x200 + 2 * (n))
#define MSR_PHYSMASK(n) (0x201 + 2 * (n))
#define PHYSMASK_VALID (1u << 11)
#define TYPE_UC 0
#define TARGET 0x00800000u
#define PAGE 4096u
#define CPUID_EDX_MTRR (1u << 12)

static u32 maxphyaddr(void)
{
    if (cpuid(0x80000000u).eax >= 0x80000008u)
        return cpuid(0x80000008u).eax & 0xFF;
    return 36;
}

static bool pages_hold(u32 seed)
{
    volatile u32 *p = (volatile u32 *)TARGET;
    for (u32 i = 0; i < 2 * PAGE / 4; i++)
        if (p[i] != seed + i * 0x9E3779B9u)
            return false;
    return true;
}

static void pages_fill(u32 seed)
{
    volatile u32 *p = (volatile u32 *)TARGET;
    for (u32 i = 0; i < 2 * PAGE / 4; i++)
        p[i] = seed + i * 0x9E3779B9u;
}

void check_mtrr_write(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!(cpuid(1).edx & CPUID_EDX_MTRR)) {
        check_skip(res, "no MTRRs (CPUID.1:EDX bit 12)");
        return;
    }
    u32 count = (u32)rdmsr(MSR_MTRRCAP) & 0xFF, free = count;
    for (u32 i = 0; i < count && free == count; i++)
        if (!(rdmsr(MSR_PHYSMASK(i)) & PHYSMASK_VALID))
            free = i;
    if (free == count) {
        check_skip(res, "no free variable MTRR (%u in use)", count);
        return;
    }
    u64 old_base = rdmsr(MSR_PHYSBASE(free)), old_mask = rdmsr(MSR_PHYSMASK(free));
    u64 addr_bits = (1ULL << maxphyaddr()) - 1;

    pages_fill(0x1000);
    wrmsr(MSR_PHYSBASE(free), TARGET | TYPE_UC);
    wrmsr(MSR_PHYSMASK(free), (addr_bits & ~(u64)(PAGE - 1)) | PHYSMASK_VALID);
    if (!pages_hold(0x1000))
        check_fail(res, "memory changed when 0x%08x became uncacheable", TARGET);
    pages_fill(0x2000);
    if (!pages_hold(0x2000))
        check_fail(res, "memory at 0x%08x does not read back under the new MTRR", TARGET);
    wrmsr(MSR_PHYSMASK(free), old_mask);
    wrmsr(MSR_PHYSBASE(free), old_base);
    if (res->status == CHECK_PASS && !pages_hold(0x2000))
        check_fail(res, "memory changed when the MTRR was restored");
    if (res->status == CHECK_PASS)
        check_note(res, "variable MTRR %u", free);
}
