/**
 * @file arch/x86/lapic.h
 * @brief The local APIC, as the VMM needs it for its own vectors (VMM only, chapter 08).
 *
 * The guest owns the local APIC and chooses its mode; bookvisor uses it only
 * to acknowledge the interrupts it takes on its own vectors, to send
 * itself one, and at boot to start the other CPUs, in whichever mode (xAPIC or x2APIC) the guest left on, read
 * from IA32_APIC_BASE at each call (arch/x86/lapic_regs.h).
 */
#ifndef BOOKVISOR_ARCH_X86_LAPIC_H
#define BOOKVISOR_ARCH_X86_LAPIC_H

#include "arch/x86/lapic_regs.h"

/** The mode of this CPU's local APIC now. */
enum lapic_mode lapic_mode(void);

/**
 * A register of this CPU's local APIC by its xAPIC offset (@p reg), in the
 * mode the guest left on (x2APIC: its MSR); 0 when the APIC is off.
 */
u32 lapic_read(u32 reg);

/** Write a register of this CPU's local APIC, as lapic_read(); nothing when it is off. */
void lapic_write(u32 reg, u32 value);

/** End of interrupt to this CPU's local APIC; nothing when it is off. */
void lapic_eoi(void);

/**
 * Send this CPU a fixed interrupt on @p vector (16 to 255).
 * @return false when the local APIC is off
 */
bool lapic_self_ipi(u8 vector);

/**
 * Send the interrupt command @p icr_low (delivery mode, level, vector; no
 * shorthand) to the CPU whose local APIC ID is @p apic_id, and wait, boundedly,
 * until the local APIC has accepted it. Used to start the other CPUs (INIT and
 * start-up IPIs, lapic_regs.h) and for shootdowns' NMIs; an xAPIC's ICR
 * high word (the destination) is left as it was found.
 * @return false when the local APIC is off, or in xAPIC mode with an ID above 255
 */
bool lapic_send_ipi(u32 apic_id, u32 icr_low);

#endif
