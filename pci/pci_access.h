/**
 * @file pci/pci_access.h
 * @brief bookvisor's own configuration-space accessors: ports 0xCF8/0xCFC and ECAM (VMM only).
 *
 * pci_access_init() looks for the ACPI MCFG table; when it names an ECAM
 * window for segment 0 inside the identity map, pci_hw_read()/pci_hw_write()
 * use it (all 4 KiB of each function), otherwise they use configuration
 * mechanism #1 (the first 256 bytes; offsets above read all ones and
 * writes there are dropped).
 */
#ifndef BOOKVISOR_PCI_PCI_ACCESS_H
#define BOOKVISOR_PCI_PCI_ACCESS_H

#include "common/lib/types.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_enum.h"

/** Find the ECAM window (once; later calls do nothing). */
void pci_access_init(void);

/** The ECAM window in use, or NULL when only 0xCF8/0xCFC is used. */
const struct pci_ecam_window *pci_ecam_window(void);

/** Read through 0xCF8/0xCFC (offset below 256; otherwise all ones). */
u32 pci_cf8_read(const struct pci_cfgspace_addr *a, u8 size);

/** Write through 0xCF8/0xCFC (offset below 256; otherwise dropped). */
void pci_cf8_write(const struct pci_cfgspace_addr *a, u8 size, u32 value);

/** Read through ECAM; all ones when there is no window or the bus is outside it. */
u32 pci_ecam_read(const struct pci_cfgspace_addr *a, u8 size);

/** Write through ECAM; dropped when there is no window or the bus is outside it. */
void pci_ecam_write(const struct pci_cfgspace_addr *a, u8 size, u32 value);

/** Read by the best path: ECAM when it covers the bus, else 0xCF8/0xCFC. */
u32 pci_hw_read(const struct pci_cfgspace_addr *a, u8 size);

/** Write by the best path (as pci_hw_read()). */
void pci_hw_write(const struct pci_cfgspace_addr *a, u8 size, u32 value);

/** pci_hw_read/pci_hw_write as ops for pci_enumerate(). */
extern const struct pci_cfgspace_ops pci_hw_ops;

#endif
