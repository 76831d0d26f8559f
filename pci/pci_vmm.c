/*
 * pci/pci_vmm.c - PCI setup for the guest (to be filled by the PCI work).
 */
#include "pci/pci.h"

void pci_init(struct guest_vm *vm)
{
    (void)vm;
}
