/**
 * @file tests/guest/check_xsetbv.c
 * @brief XSETBV of an illegal XCR0 raises #GP in the guest, and never harms the VMM.
 *
 * On VT-x every XSETBV exits and bookvisor executes it on the guest's behalf:
 * a value the CPU refuses must come back to the guest as the CPU's answer
 * (#GP, or #UD without CR4.OSXSAVE), not as a fault inside the VMM. Once
 * XCR0 = 0x27 (AVX-512 opmask without its two partners) panicked bookvisor on
 * Bochs. On AMD-V XSETBV is not intercepted and the CPU itself answers: the
 * same expectations hold.
 */
#include "check.h"
#include "cpu.h"
#include "recover.h"
#include "trap.h"

#define VECTOR_UD 6
#define VECTOR_GP 13
#define CPUID1_ECX_XSAVE (1u << 26)
#define CR4_OSXSAVE (1u << 18)

static inline u64 xgetbv0(void)
{
    u32 lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((u64)hi << 32) | lo;
}

/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point xsetbv_point;

/* Run XSETBV(index, value); return the vector it raised, or -1 if it did not fault. */
static int xsetbv_raises(u32 expect_vector, u32 index, u64 value)
{
    trap_expect(expect_vector, &xsetbv_point);
    if (recover_save(&xsetbv_point) == 0) {
        __asm__ volatile("xsetbv" : : "c"(index), "a"((u32)value), "d"((u32)(value >> 32))
                         : "memory");
        trap_expect(0, NULL);
        return -1;
    }
    return (int)expect_vector;
}

void check_xsetbv_rules(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!(cpuid(1).ecx & CPUID1_ECX_XSAVE)) {
        check_skip(res, "the CPU has no XSAVE");
        return;
    }
    struct cpuid_result d = cpuid(0xD);
    u64 supported = ((u64)d.edx << 32) | d.eax;
    u32 cr4 = read_cr4();
    write_cr4(cr4 | CR4_OSXSAVE);
    u64 xcr0 = xgetbv0();
    struct {
        u32 index;
        u64 value;
        bool applies;
        const char *what;
    } bad[] = {
        { 0, 0x0, true, "XCR0 = 0 (no x87)" },
        { 0, 0x5 & supported, (supported & 4) != 0, "AVX without SSE" },
        { 0, 0x27, (supported & 0xE0) == 0xE0, "AVX-512 opmask alone (0x27)" },
        { 0, 0xB, (supported & 0x18) == 0x18, "BNDREGS without BNDCSR" },
        { 0, 0x1 | (1ULL << 63), true, "reserved bit 63" },
        { 1, 0x1, true, "XCR1" },
    };
    for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
        if (!bad[i].applies)
            continue;
        if (xsetbv_raises(VECTOR_GP, bad[i].index, bad[i].value) != VECTOR_GP) {
            check_fail(res, "XSETBV of %s did not raise #GP", bad[i].what);
            goto out;
        }
        if (xgetbv0() != xcr0) {
            check_fail(res, "after the refused %s XCR0 reads 0x%llx, not 0x%llx", bad[i].what,
                       xgetbv0(), xcr0);
            goto out;
        }
    }
    /* A legal value is taken and reads back. */
    if (xsetbv_raises(VECTOR_GP, 0, 0x1) != -1 || xgetbv0() != 0x1) {
        check_fail(res, "XSETBV of XCR0 = 1 (x87 only) was refused or did not read back");
        goto out;
    }
    if (xsetbv_raises(VECTOR_GP, 0, xcr0) != -1) {
        check_fail(res, "restoring XCR0 = 0x%llx was refused", xcr0);
        goto out;
    }
    /* Without CR4.OSXSAVE, XSETBV does not exist: #UD. */
    write_cr4(cr4 & ~CR4_OSXSAVE);
    if (xsetbv_raises(VECTOR_UD, 0, 0x1) != VECTOR_UD)
        check_fail(res, "XSETBV with CR4.OSXSAVE clear did not raise #UD");
out:
    write_cr4(cr4);
}
