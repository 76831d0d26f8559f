/**
 * @file drivers/pcidebug.h
 * @brief pcidebug: a driver that only proves binding and interception work (VMM only).
 *
 * pcidebug takes a device and shadows one byte of its configuration space,
 * the Interrupt Line register (offset 0x3C): the guest reads the shadow,
 * and the guest's writes change only the shadow, never the device. Every
 * other register passes through. A guest that reads the value it was told
 * to expect, through 0xCF8/0xCFC and through ECAM, knows the driver is
 * bound and its accesses reach it by both paths.
 *
 * Declaration: name `pcidebug`, default selector `id=1b36:0005` (QEMU's
 * `pci-testdev`; nothing else has it), option `line=HH` (two hex digits,
 * the value the shadow starts with; default `bd`).
 * Example: `vmm.driver.pci=slot=00:00.0,driver=pcidebug,line=5a`.
 */
#ifndef BOOKVISOR_DRIVERS_PCIDEBUG_H
#define BOOKVISOR_DRIVERS_PCIDEBUG_H

#include "pci/pci_driver.h"

/** The Interrupt Line value when no `line=` option is given. */
#define PCIDEBUG_DEFAULT_LINE 0xbd

/** The driver's declaration, for the table in drivers/drivers.c. */
extern const struct pci_driver pcidebug_driver;

#endif
