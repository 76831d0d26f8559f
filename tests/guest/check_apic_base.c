/**
 * @file tests/guest/check_apic_base.c
 * @brief The guest may move its local APIC, but never over bookvisor's memory.
 *
 * IA32_APIC_BASE moves the APIC's register page for every access the CPU
 * makes, the VMM's included: a guest that put it over bookvisor's memory once
 * made bookvisor read APIC registers instead of its own data (its canary check
 * read 0). bookvisor now refuses that move with #GP; a legal move still works.
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "recover.h"
#include "trap.h"

#define MSR_APIC_BASE 0x1B
#define APIC_EN (1u << 11)
#define APIC_EXTD (1u << 10)
#define APIC_VERSION 0x30 /* local APIC version register */
#define VECTOR_GP 13
#define LEGAL_NEW_BASE 0xFEE80000u /* device space, nothing else there on the emulators */

/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point apic_point;

static bool wrmsr_faults(u32 msr, u64 value)
{
    trap_expect(VECTOR_GP, &apic_point);
    if (recover_save(&apic_point) == 0) {
        wrmsr(msr, value);
        trap_expect(0, NULL);
        return false;
    }
    return true;
}

static u32 apic_read(u32 base, u32 reg)
{
    return *(volatile u32 *)(base + reg);
}

void check_apic_base(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u64 orig = rdmsr(MSR_APIC_BASE);
    if (!(orig & APIC_EN) || (orig & APIC_EXTD)) {
        check_skip(res, "the local APIC is off or in x2APIC mode");
        return;
    }
    u32 base = (u32)orig & ~0xFFFu;
    u32 flags = (u32)orig & 0xFFFu;
    u32 version = apic_read(base, APIC_VERSION);
    struct hypercall_regs r = { BOOKVISOR_HC_VMM_RANGE, 0, 0, 0 };
    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN || r.edx) {
        check_fail(res, "no VMM range below 4 GiB from the hypercall");
        return;
    }
    /* Over bookvisor's first page: refused, and nothing moved. */
    if (!wrmsr_faults(MSR_APIC_BASE, (orig & ~0xFFFFF000ULL) | r.eax)) {
        wrmsr(MSR_APIC_BASE, orig);
        check_fail(res, "moving the APIC over bookvisor's memory (0x%x) was allowed", r.eax);
        return;
    }
    if (rdmsr(MSR_APIC_BASE) != orig) {
        check_fail(res, "after the refused move IA32_APIC_BASE reads 0x%llx", rdmsr(MSR_APIC_BASE));
        return;
    }
    struct hypercall_regs c = { BOOKVISOR_HC_CHECK_CANARY, 0, 0, 0 };
    if (!hypercall(&c) || c.eax != 1) {
        check_fail(res, "bookvisor's canary is not intact after the attempt");
        return;
    }
    /* A legal move: the registers follow the APIC to its new page, and back. */
    if (wrmsr_faults(MSR_APIC_BASE, LEGAL_NEW_BASE | flags)) {
        check_fail(res, "a legal move to 0x%x raised #GP", LEGAL_NEW_BASE);
        return;
    }
    u32 moved = apic_read(LEGAL_NEW_BASE, APIC_VERSION);
    wrmsr(MSR_APIC_BASE, orig);
    if (moved != version)
        check_fail(res, "at 0x%x the APIC version reads 0x%x, not 0x%x", LEGAL_NEW_BASE, moved,
                   version);
    else if (rdmsr(MSR_APIC_BASE) != orig)
        check_fail(res, "moving back left IA32_APIC_BASE at 0x%llx", rdmsr(MSR_APIC_BASE));
}
