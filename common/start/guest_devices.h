/**
 * @file common/start/guest_devices.h
 * @brief The devices bookvisor watches for its guest, started (VMM only).
 */
#ifndef BOOKVISOR_COMMON_START_GUEST_DEVICES_H
#define BOOKVISOR_COMMON_START_GUEST_DEVICES_H

struct guest_vm;

/**
 * Register the hooks of the machine's devices before the vCPU exists: ACPI
 * power-off (chapter 02), PCI with every driver there is (chapter 06; the
 * driver table lives above pci/, so it is handed down from here), and the
 * MMIO test page when test.mmio_page asks for it (chapter 05). Their ports
 * are intercepted later, with the rest of the policy
 * (common/exits/intercepts.h).
 */
void guest_devices_start(struct guest_vm *vm);

#endif
