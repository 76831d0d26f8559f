/**
 * @file pci/pci.h
 * @brief PCI in the VMM: enumeration, driver binding, config interception (VMM only).
 */
#ifndef BOOKVISOR_PCI_PCI_H
#define BOOKVISOR_PCI_PCI_H

struct guest_vm;

/**
 * Enumerate PCI, bind drivers by the `vmm.driver.pci=` configuration, and
 * install the config-space hooks (0xCF8/0xCFC and ECAM) the bound and
 * concealed devices need. Called once by guest_boot() before the guest runs.
 */
void pci_init(struct guest_vm *vm);

#endif
