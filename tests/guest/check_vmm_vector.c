/**
 * @file tests/guest/check_vmm_vector.c
 * @brief A VMM vector reaches the VMM; the guest's own interrupts still reach the guest.
 *
 * Needs bookvisor's test.vmm_vector option (named only: tests=vmm-vector;
 * tests/emu/vmm-vector.test): bookvisor owns vector 0x1E and so makes every
 * external interrupt exit. The guest asks it to send itself an interrupt on
 * that vector with interrupts on here, then asks how many its handler
 * counted: exactly one, and none may reach this guest (vector 30 would be
 * an unexpected exception here, which fails the check). Then the timer
 * rounds of hlt-timer: the guest's own PIT ticks, taken by the VMM on every
 * exit now, must still arrive, both while the guest runs and while it halts.
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"

#define SETTLE_SPINS 200000u

static bool vmm_count(u32 *count)
{
    struct hypercall_regs r = { BOOKVISOR_HC_TEST_VMM_IRQ_COUNT, 0, 0, 0 };
    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN)
        return false;
    *count = r.eax;
    return true;
}

void check_vmm_vector(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 before = 0, after = 0;
    if (!vmm_count(&before)) {
        check_skip(res, "needs bookvisor's test.vmm_vector option");
        return;
    }
    /* AMD-V takes a physical interrupt only while the guest has IF = 1. */
    __asm__ volatile("sti" ::: "memory");
    struct hypercall_regs ipi = { BOOKVISOR_HC_TEST_VMM_IPI, 0, 0, 0 };
    bool sent = hypercall(&ipi) && ipi.eax == 1;
    for (u32 i = 0; i < SETTLE_SPINS; i++)
        cpu_relax();
    cli();
    if (!sent) {
        check_fail(res, "the VMM could not send itself an interrupt (local APIC off?)");
        return;
    }
    if (!vmm_count(&after) || after != before + 1) {
        check_fail(res, "the VMM counted %u interrupt(s) on its vector, expected 1", after - before);
        return;
    }
    timer_hlt_rounds(res);
    if (res->status == CHECK_PASS)
        check_note(res, "vector 0x1e: 1 interrupt to the VMM; the timer's to the guest");
}
