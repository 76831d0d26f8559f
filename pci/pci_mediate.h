/**
 * @file pci/pci_mediate.h
 * @brief A driver's mediated BAR, and the guest's RAM for a driver that
 *        moves the guest's DMA (VMM only; chapter 09).
 *
 * A driver that leaves a device to the guest but must stand between the
 * two (a NIC under `net=pass`, whose descriptor rings bookvisor shadows)
 * sets the device's mediator (struct pci_mediator, pci/pci_driver.h) when it
 * binds. pci_intercept_install() then hooks that BAR's pages so that every
 * guest access goes to the driver, hooks the I/O BAR the mediator names (an
 * I/O window onto the same registers), and darkens the device's other BARs.
 *
 * The driver then does the guest's DMA itself: pci_guest_ram_read() and
 * pci_guest_ram_write() move bytes only inside the guest's own RAM, never
 * in bookvisor's range, a hooked page or device memory. That is the whole of
 * the promise that a guest cannot point a device at bookvisor.
 */
#ifndef BOOKVISOR_PCI_PCI_MEDIATE_H
#define BOOKVISOR_PCI_PCI_MEDIATE_H

#include "common/lib/types.h"

struct guest_vm;
struct pci_device;

/**
 * Hook dev's mediated BAR, and its I/O BAR if the mediator takes one, in vm
 * (from pci_intercept_install(), before the guest runs), and remember vm for
 * the guest-RAM functions.
 * @return 0; -1 when the memory BAR is not mediated (not an assigned memory
 *         BAR, no hook available); -2 when only the I/O BAR is not (printed)
 */
int pci_mediate_install(struct guest_vm *vm, struct pci_device *dev, const char *slot);

/**
 * The guest's configuration access to a mediated device, before its driver
 * sees it. Its BARs stay where bookvisor hooked them: a write to one is
 * dropped (said once), except that all ones starts sizing, so that the next
 * read gives the size mask (pci_bar_probe_value()) as the hardware would.
 * Memory decoding and bus mastering stay on whatever the guest writes to the
 * command register, since the driver's own DMA runs on them.
 * @return true when handled (a read has stored *value), false to go on
 */
bool pci_mediate_config(struct pci_device *dev, u16 offset, u8 size, bool write, u32 *value);

/** Is every byte of [gpa, gpa + len) the guest's RAM (none bookvisor's, none hooked, none a device's)? */
bool pci_guest_ram(u64 gpa, size_t len);

/**
 * Copy len bytes of guest-physical memory at gpa into buf.
 * @return false (nothing copied) unless every byte is guest RAM
 */
bool pci_guest_ram_read(u64 gpa, void *buf, size_t len);

/**
 * Copy len bytes from buf to guest-physical memory at gpa.
 * @return false (nothing written) unless every byte is guest RAM
 */
bool pci_guest_ram_write(u64 gpa, const void *buf, size_t len);

#endif
