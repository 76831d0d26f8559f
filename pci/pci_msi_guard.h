/**
 * @file pci/pci_msi_guard.h
 * @brief A mediated device's MSI and MSI-X stay the guest's, aimed only at
 *        the local APICs (VMM only; chapter 09).
 *
 * A device the guest keeps while bookvisor mediates it (struct
 * pci_mediator) signals its interrupts as the guest programs them: MSI in
 * its configuration space, MSI-X in a table in one of its memory BARs (the
 * 82574L's BAR3). Both are memory writes the device makes to an address the
 * guest chose, so both are guarded: an MSI address outside the local APICs'
 * window (pci_msi_address_safe()) keeps MSI off on the device, and an MSI-X
 * entry with such an address stays masked on the device, each said once.
 * The guest reads back what it wrote. The table's BAR is hooked, not
 * darkened: the rest of it (the pending bits) is the device's, and the
 * guest's vectors, data and masks reach the device as written.
 */
#ifndef BOOKVISOR_PCI_PCI_MSI_GUARD_H
#define BOOKVISOR_PCI_PCI_MSI_GUARD_H

#include "common/lib/types.h"

struct guest_vm;
struct pci_device;

/**
 * The BAR (bit i: BAR i) holding dev's MSI-X table, which
 * pci_msi_guard_install() hooks instead of darkening; 0 when dev has no
 * MSI-X, or a table the guard cannot take (in the mediated BAR itself, not
 * an assigned memory BAR, or more than PCI_MSI_GUARD_ENTRIES entries).
 */
u32 pci_msi_guard_bars(const struct pci_device *dev);

/** The most MSI-X table entries a guarded device may have. */
#define PCI_MSI_GUARD_ENTRIES 32

/**
 * Guard dev, a mediated device, before the guest runs: its MSI capability
 * from now on (pci_msi_guard_config()), and its MSI-X table, whose entries
 * are read from the device (any unsafe one masked there) and whose pages
 * are hooked in vm.
 * @return 0; -1 when the MSI-X table could not be hooked (printed): its BAR
 *         must then be dark
 */
int pci_msi_guard_install(struct guest_vm *vm, struct pci_device *dev, const char *slot);

/**
 * A guest configuration access to a guarded device: reads and writes of its
 * MSI capability's control word and address are taken here (the enable bit
 * reads as the guest wrote it); the data and mask bits pass on.
 * @return true when handled (a read has stored *value), false to go on
 */
bool pci_msi_guard_config(struct pci_device *dev, u16 offset, u8 size, bool write, u32 *value);

#endif
