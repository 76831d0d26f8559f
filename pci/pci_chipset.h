/**
 * @file pci/pci_chipset.h
 * @brief Chipset registers the guest must not write while bookvisor conceals.
 *
 * bookvisor intercepts ECAM only where the MCFG table put the window. On
 * many chipsets the host bridge has a register that moves (or switches off)
 * that window, e.g. PCIEXBAR on Intel's q35 MCH: a guest that moved it would
 * reach every function through pages bookvisor never hooked, concealed ones
 * included. While anything is intercepted, writes to such a register are
 * dropped (pci/pci_intercept.c). Pure: host-tested in test_pci_chipset.c.
 */
#ifndef BOOKVISOR_PCI_PCI_CHIPSET_H
#define BOOKVISOR_PCI_PCI_CHIPSET_H

#include "common/lib/types.h"

/** A register range of a host bridge (function 00:00.0) that bookvisor guards. */
struct pci_guarded_reg {
    u16 vendor; /**< host bridge vendor ID */
    u16 device; /**< host bridge device ID */
    u16 offset; /**< first byte of the register in configuration space */
    u8 len; /**< its length in bytes */
    const char *name; /**< what it is, for the log */
};

/** The register that places the ECAM window on this host bridge, or NULL if unknown. */
const struct pci_guarded_reg *pci_chipset_ecam_register(u16 vendor, u16 device);

/** Does an access of @p size bytes at @p offset touch the guarded register? */
bool pci_guard_overlaps(const struct pci_guarded_reg *g, u16 offset, u8 size);

#endif
