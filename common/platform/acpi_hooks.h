/**
 * @file common/platform/acpi_hooks.h
 * @brief Watching the guest's ACPI power-off (VMM only).
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_ACPI_HOOKS_H
#define BOOKVISOR_COMMON_PLATFORM_ACPI_HOOKS_H

struct guest_vm;

/**
 * Hook PM1a_CNT/PM1b_CNT (a write with SLP_EN and the S5 sleep type stops
 * the guest as "powered off"; any other access goes to the hardware) and
 * SMI_CMD (replayed by the VMM; Bochs cannot enter SMM from VMX non-root).
 */
void acpi_hooks_install(struct guest_vm *vm);

#endif
