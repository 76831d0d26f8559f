/*
 * arch/x86/lapic.c - EOI, self-IPI and IPIs to other CPUs through the local APIC,
 * in its current mode.
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

u32 lapic_read(u32 reg)
{
    u64 base = rdmsr(MSR_IA32_APIC_BASE);
    switch (lapic_mode_of(base)) {
    case LAPIC_MODE_X2APIC:
        return (u32)rdmsr(lapic_x2apic_msr(reg));
    case LAPIC_MODE_XAPIC:
        return *xapic_reg(base, reg);
    case LAPIC_MODE_OFF:
        break;
    }
    return 0;
}

void lapic_write(u32 reg, u32 value)
{
    u64 base = rdmsr(MSR_IA32_APIC_BASE);
    switch (lapic_mode_of(base)) {
    case LAPIC_MODE_X2APIC:
        wrmsr(lapic_x2apic_msr(reg), value);
        break;
    case LAPIC_MODE_XAPIC:
        *xapic_reg(base, reg) = value;
        break;
    case LAPIC_MODE_OFF:
        break;
    }
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

/* A bounded wait for the previous xAPIC command to be accepted; the guest
 * may have sent one just before the exit. */
static void xapic_wait_idle(volatile u32 *icr)
{
    for (unsigned i = 0; i < 100000 && (*icr & LAPIC_ICR_PENDING); i++)
        cpu_pause();
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
        xapic_wait_idle(icr);
        *icr = lapic_self_ipi_icr(vector);
        return true;
    }
    case LAPIC_MODE_OFF:
        break;
    }
    return false;
}

bool lapic_send_ipi(u32 apic_id, u32 icr_low)
{
    u64 base = rdmsr(MSR_IA32_APIC_BASE);
    switch (lapic_mode_of(base)) {
    case LAPIC_MODE_X2APIC:
        wrmsr(lapic_x2apic_msr(LAPIC_REG_ICR_LOW), lapic_x2apic_icr(apic_id, icr_low));
        return true;
    case LAPIC_MODE_XAPIC: {
        if (apic_id > 0xFF) /* an xAPIC cannot name it */
            return false;
        volatile u32 *icr = xapic_reg(base, LAPIC_REG_ICR_LOW);
        volatile u32 *icr_high = xapic_reg(base, LAPIC_REG_ICR_HIGH);
        /* The guest may have written its destination and not yet its
         * command (a shootdown's NMI is sent between two of its exits):
         * it finds its destination where it left it. */
        u32 guest_high = *icr_high;
        xapic_wait_idle(icr);
        *icr_high = lapic_xapic_icr_high(apic_id);
        *icr = icr_low; /* the write of the low half sends it */
        xapic_wait_idle(icr);
        *icr_high = guest_high;
        return true;
    }
    case LAPIC_MODE_OFF:
        break;
    }
    return false;
}
