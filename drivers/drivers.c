/*
 * drivers/drivers.c - every PCI driver bookvisor has, in registration order.
 *
 * Drivers always register; the `vmm.driver.pci=` string decides which
 * device each one takes (chapter 06). With no string, a device goes to the
 * first driver in this table whose default selector matches it.
 */
#include "drivers/drivers.h"
#include "drivers/pcidebug.h"
#include "drivers/pro1000.h"

const struct pci_driver *const pci_driver_table[] = {
    &pcidebug_driver,
    &pro1000_driver,
};

const u32 pci_driver_table_len = ARRAY_SIZE(pci_driver_table);
