/**
 * @file drivers/drivers.h
 * @brief Every PCI driver bookvisor has, in registration order (VMM only; chapter 06).
 *
 * The table lives above pci/: pci/ knows what a driver is (pci/pci_driver.h),
 * not which drivers exist. common/start hands the table to pci_init().
 */
#ifndef BOOKVISOR_DRIVERS_DRIVERS_H
#define BOOKVISOR_DRIVERS_DRIVERS_H

#include "pci/pci_driver.h"

/** Every driver, in registration order (with no configuration string, a device
 *  goes to the first whose default selector matches). */
extern const struct pci_driver *const pci_driver_table[];
/** Number of entries of pci_driver_table. */
extern const u32 pci_driver_table_len;

#endif
