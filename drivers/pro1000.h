/**
 * @file drivers/pro1000.h
 * @brief pro1000: bookvisor's driver for Intel's 82540EM and 82574L gigabit
 *        NICs (QEMU's and Bochs' `e1000`, QEMU's `e1000e`) (VMM only; chapter 09).
 *
 * Declaration: name `pro1000`, default selector
 * `class_code=020000, id=8086:100e|8086:10d3`, options `net=MODULE` (a
 * network-API module: `ip`, `ippass`, `pass`, `null`, `filter`, `log`) and
 * `msi=yes|no` (default yes) and `tty=0|1` (default 0; 1: the NIC carries
 * bookvisor's log, and `tty=1` without `net=` is `net=log`). Examples, the
 * seed's own: `vmm.driver.pci=device=pro1000, number=0, driver=pro1000, net=ip`;
 * `driver=pro1000, net=pass, tty=1` (the guest's NIC, and the log on it).
 *
 * With a module that hides the NIC (`ip`), the device becomes bookvisor's:
 * concealed from the guest, reset, its MAC read from the EEPROM (or RAL0),
 * its own receive and transmit descriptor rings and buffers in VMM memory,
 * interrupts masked, and offered to the network API through the drivers'
 * NIC sink (drivers/nic_sink.h). Received frames are found by polling
 * (the network thread calls the NIC's poll, about once a millisecond); a
 * device with MSI (the 82574L) also sends its receive interrupts to a VMM
 * vector (pci/pci_irq.h), whose handler acknowledges and wakes the thread.
 * With a module that leaves the NIC to the guest (`pass`, `null`), the
 * device stays visible and the guest's own driver keeps working: its
 * register BAR is mediated and its rings shadowed (drivers/pro1000_shadow.h),
 * on top of the same rings of bookvisor's; with `ippass` bookvisor's stack
 * sends and receives on them too, with its own MAC in the device's last
 * receive address entry (pro1000_shadow_share()).
 * Under `pass, tty=1` the log's frames share the rings likewise. Without
 * `net=` (or `tty=1`) the device is refused as well.
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_H
#define BOOKVISOR_DRIVERS_PRO1000_H

#include "pci/pci_driver.h"

/** Descriptors in each of a device's rings (a multiple of 8: the ring length must be a multiple of 128 bytes). */
#define PRO1000_RING_SIZE 32

/** The driver's declaration, for the table in drivers/drivers.c. */
extern const struct pci_driver pro1000_driver;

#endif
