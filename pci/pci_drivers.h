/**
 * @file pci/pci_drivers.h
 * @brief Binding the registered drivers to the enumerated devices (VMM only).
 */
#ifndef BOOKVISOR_PCI_PCI_DRIVERS_H
#define BOOKVISOR_PCI_PCI_DRIVERS_H

#include "pci/pci_driver.h"

/**
 * Parse config (the `vmm.driver.pci=` value; "" = every driver's default
 * selector) against the drivers (every driver there is), printing every problem as
 * `bookvisor: pci: ...` lines with the string and a caret, then bind each
 * device and call the bound drivers' new_device. A driver that refuses a
 * device leaves it unbound. Never fails: bad entries are left out.
 * @return the number of problems printed
 */
u32 pci_drivers_bind(struct pci_device *devs, u32 ndevs, const struct pci_driver *const *drivers,
                     u32 ndrivers, const char *config);

/**
 * Print the device list, one `bookvisor: pci: [bb:dd.f] cccccc: VVVV:DDDD
 * (candidates) bound` line per function (see pci_format_device_line()).
 */
void pci_drivers_print_list(const struct pci_device *devs, u32 ndevs);

#endif
