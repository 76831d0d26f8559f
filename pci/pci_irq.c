/*
 * pci/pci_irq.c - a hidden device's MSI on a VMM vector (see pci_irq.h).
 */
#include "pci/pci_irq.h"
#include "arch/x86/percpu.h"
#include "common/base/irq.h"
#include "common/base/kprintf.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_msi.h"

/* Command register: the function must not assert its INTx pin. */
#define PCI_COMMAND_INTX_DISABLE (1u << 10)

int pci_msi_to_vmm(struct pci_device *dev, irq_handler_fn handler, void *ctx)
{
    struct pci_msi_message msg;
    struct pci_msi_layout regs;
    char slot[8];
    u32 apic_id = this_cpu()->apic_id;
    u8 cap = dev->fn.cap_msi;

    pci_device_slot(dev, slot);
    if (!cap) {
        kprintf("bookvisor: pci: %s: no MSI capability\n", slot);
        return -1;
    }
    /* Any vector will do to check the destination; the real one comes next. */
    if (!pci_msi_compose(apic_id, IRQ_VMM_VECTOR_FIRST, &msg)) {
        kprintf("bookvisor: pci: %s: the boot CPU's APIC ID %u does not fit an MSI address "
                "(at most %u without interrupt remapping); no MSI\n",
                slot, apic_id, PCI_MSI_MAX_APIC_ID);
        return -1;
    }
    int vector = irq_register_free(handler, ctx);
    if (vector < 0)
        return -1;
    (void)pci_msi_compose(apic_id, (u8)vector, &msg);

    u16 control = (u16)pci_device_read(dev, (u16)(cap + 2), 2);
    pci_msi_layout_of(cap, control, &regs);
    /* Off while the message changes: the device must never send half of one. */
    pci_device_write(dev, regs.control, 2, control & ~PCI_MSI_CONTROL_ENABLE);
    pci_device_write(dev, regs.addr_lo, 4, msg.address_lo);
    if (regs.addr_hi)
        pci_device_write(dev, regs.addr_hi, 4, msg.address_hi);
    pci_device_write(dev, regs.data, 2, msg.data);
    if (regs.mask)
        pci_device_write(dev, regs.mask, 4, 0);
    pci_device_write(dev, PCI_REG_COMMAND, 2,
                     pci_device_read(dev, PCI_REG_COMMAND, 2) | PCI_COMMAND_INTX_DISABLE);
    pci_device_write(dev, regs.control, 2, pci_msi_control_enabled(control));
    return vector;
}
