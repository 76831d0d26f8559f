/**
 * @file pci/pci_irq.h
 * @brief A device bookvisor owns, interrupting bookvisor: its MSI on a VMM
 *        vector (VMM only; chapter 09, "The NIC's own interrupt").
 *
 * Only for a device the guest cannot see (concealed: its configuration
 * space reads as absent and the guest's writes to it are dropped,
 * pci_intercept.c), so that nobody but bookvisor programs its MSI. The
 * message goes to the boot CPU's local APIC (pci/pci_msi.h: fixed, edge,
 * physical); the vector is one of the VMM's (common/base/irq.h), so while it
 * is registered every external interrupt of the guest exits and is
 * reflected (chapter 08, "VMM vectors"). INTx is never used for this: the
 * guest owns the IOAPIC its pin is wired to.
 */
#ifndef BOOKVISOR_PCI_PCI_IRQ_H
#define BOOKVISOR_PCI_PCI_IRQ_H

#include "common/base/irq_vectors.h"
#include "pci/pci_driver.h"

/**
 * Register @p handler (with @p ctx) on a free VMM vector and program the
 * MSI capability of @p dev to send it to the boot CPU; call on the boot CPU
 * before the guest starts (PCI binding does). Enables MSI with one vector
 * and disables the function's INTx.
 * @return the vector, or -1 with a line printed saying why (no MSI
 *         capability, the boot CPU's APIC ID above 255, no free vector);
 *         the device is left as it was then
 */
int pci_msi_to_vmm(struct pci_device *dev, irq_handler_fn handler, void *ctx);

#endif
