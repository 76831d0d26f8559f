/**
 * @file pci/pci.h
 * @brief PCI in the VMM: enumeration, driver binding, config interception (VMM only).
 */
#ifndef BOOKVISOR_PCI_PCI_H
#define BOOKVISOR_PCI_PCI_H

#include "common/lib/types.h"

struct guest_vm;
struct pci_driver;

/**
 * Enumerate PCI, bind drivers by the `vmm.driver.pci=` configuration, and
 * install the config-space hooks (0xCF8/0xCFC and ECAM) the bound and
 * concealed devices need. Called once by guest_devices_start() before the guest runs.
 * @param vm the guest VM whose accesses are hooked
 * @param drivers every driver there is, in registration order (drivers/drivers.h)
 * @param ndrivers number of entries of drivers
 */
void pci_init(struct guest_vm *vm, const struct pci_driver *const *drivers, u32 ndrivers);

/**
 * Print the device list pci_init() found, one log line per function with
 * its binding (driver, concealed or the guest's); the debug shell's `pci`.
 * @return the number of functions
 */
u32 pci_print_list(void);

#endif
