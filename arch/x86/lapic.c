/*
 * arch/x86/lapic.c - EOI and self-IPI through the local APIC, in its current mode.
 */
#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/phys.h"

/* An xAPIC register: the MMIO page, through the VMM's direct map. */
static volatile u32 *xapic_reg(u64 apic_base, u32 reg)
{
    return (volatile u32 *)((u8 *)phys_to_virt(lapic_mmio_base(apic_base)) + reg);
}

enum lapic_mode lapic_mode(void)
{
    return lapic_mode_of(rdmsr(MSR_IA32_APIC_BASE));
}

void lapic_eoi(void)
{
    u64 base = rdmsr(MSR_IA32_APIC_BASE);
    switch (lapic_mode_of(base)) {
    case LAPIC_MODE_X2APIC:
        wrmsr(lapic_x2apic_msr(LAPIC_REG_EOI), 0);
        break;
    case LAPIC_MODE_XAPIC:
        *xapic_reg(base, LAPIC_REG_EOI) = 0;
        break;
    case LAPIC_MODE_OFF:
        break;
    }
}

bool lapic_self_ipi(u8 vector)
{
    u64 base = rdmsr(MSR_IA32_APIC_BASE);
    switch (lapic_mode_of(base)) {
    case LAPIC_MODE_X2APIC:
        wrmsr(LAPIC_MSR_SELF_IPI, vector);
        return true;
    case LAPIC_MODE_XAPIC: {
        volatile u32 *icr = xapic_reg(base, LAPIC_REG_ICR_LOW);
        /* A bounded wait for the previous command to be accepted; the guest
         * may have sent one just before the exit. */
        for (unsigned i = 0; i < 100000 && (*icr & LAPIC_ICR_PENDING); i++)
            cpu_pause();
        *icr = lapic_self_ipi_icr(vector);
        return true;
    }
    case LAPIC_MODE_OFF:
        break;
    }
    return false;
}
