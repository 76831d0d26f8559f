/**
 * @file common/platform/power_guard.h
 * @brief Every way the guest can sleep, switch off or reset the machine ends with bookvisor (VMM only).
 *
 * After an ACPI sleep (S1-S4) the firmware resumes the guest at its waking
 * vector, and after a reset it runs the BIOS (which may jump to a vector the
 * guest left in the CMOS shutdown byte): either way the guest would run on
 * the bare machine, with bookvisor's memory in reach. So every such request
 * is intercepted, and none reaches the hardware: S5 (soft off) stops the
 * guest as powered off, a reset as a clean stop with the machine switched off
 * instead, any other sleep state as a failure (bookvisor cannot suspend).
 * Chapter 02 ("The machine's own devices") tells the paths.
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_POWER_GUARD_H
#define BOOKVISOR_COMMON_PLATFORM_POWER_GUARD_H

struct guest_vm;

/**
 * Hook, with the facts of the ACPI tables: the PM1a/PM1b control blocks (any
 * width, any alignment), the FADT's reset register (I/O or memory), the
 * reset control port 0xCF9, System Control Port A (0x92), the keyboard
 * controller (0x60, 0x64), and SMI_CMD (replayed by the VMM: Bochs cannot
 * enter SMM from VMX non-root). Everything that is not a sleep or reset
 * request goes to the hardware unchanged. Prints a line for each path it
 * cannot watch (no PM1 port, a reset register in PCI space).
 */
void power_guard_install(struct guest_vm *vm);

#endif
