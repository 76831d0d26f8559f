/**
 * @file pci/pci_enum.h
 * @brief Walking the PCI buses: functions, bridges, BARs and capabilities (pure).
 *
 * The walk reads configuration space only through a struct pci_cfgspace_ops, so
 * the VMM runs it on the hardware (pci/pci_access.h) and the unit tests run
 * it on a fake bus. It starts at bus 0, scans the 32 devices of a bus, the
 * 8 functions of a multi-function device (header type bit 7 of function 0)
 * and follows every PCI-to-PCI bridge to its secondary bus.
 *
 * BAR sizes are probed the safe way: I/O and memory decoding are switched
 * off in the command register, each BAR is written with all ones and read
 * back, then the original BAR and command values are written back, so the
 * device never decodes a half-written address.
 */
#ifndef BOOKVISOR_PCI_PCI_ENUM_H
#define BOOKVISOR_PCI_PCI_ENUM_H

#include "common/lib/types.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_match.h"

/** Most BAR registers of a header (type 0 has 6, type 1 has 2). */
#define PCI_MAX_BARS 6
/** Most functions one walk records. */
#define PCI_MAX_FUNCTIONS 128

/** How the walk reaches configuration space. */
struct pci_cfgspace_ops {
    /** Read size (1, 2 or 4) bytes at a; absent functions read all ones. */
    u32 (*read)(void *ctx, const struct pci_cfgspace_addr *a, u8 size);
    /** Write size (1, 2 or 4) bytes at a. */
    void (*write)(void *ctx, const struct pci_cfgspace_addr *a, u8 size, u32 value);
    void *ctx; /**< passed to read and write */
};

/** Everything the walk learns about one function. */
struct pci_function {
    struct pci_device_desc desc; /**< IDs, class, header type: what selectors match */
    u8 nbars; /**< BAR registers in the header (6, 2 or 0) */
    struct pci_bar bars[PCI_MAX_BARS]; /**< by register; the upper half of a 64-bit BAR is NONE */
    u16 command; /**< command register as found */
    u8 cap_pm; /**< offset of the power-management capability, 0 = none */
    u8 cap_msi; /**< offset of the MSI capability, 0 = none */
    u8 cap_msix; /**< offset of the MSI-X capability, 0 = none */
    u8 cap_pcie; /**< offset of the PCI Express capability, 0 = none */
    u8 secondary_bus; /**< bridges: bus behind it */
    u8 subordinate_bus; /**< bridges: last bus behind it */
};

/**
 * Record the IDs of a function's capability list in desc->cap_ids and
 * desc->ncaps (lab 5 part 2), for the `capability` selector key:
 * - no list (Status bit 4, PCI_STATUS_CAP_LIST, clear): ncaps = 0;
 * - the first pointer is at 0x34 (PCI_REG_CAP_PTR), or 0x14 for a CardBus
 *   bridge (header type 2, bit 7 aside); each entry is an ID byte and the
 *   next pointer byte; the low two bits of every pointer are ignored;
 * - a pointer below 0x40 (inside the header) ends the list, and so does the
 *   48th entry (CAP_WALK_MAX): a list that loops still ends;
 * - each ID is recorded once, at its first place in the list (vendor-specific
 *   capabilities, ID 09, may repeat), and at most PCI_DESC_MAX_CAPS IDs.
 */
void pci_read_capability_ids(const struct pci_cfgspace_ops *ops,
                             const struct pci_cfgspace_addr *where, struct pci_device_desc *desc);

/** The outcome of a walk. */
struct pci_enum_result {
    u32 count; /**< functions found (at most max) */
    bool truncated; /**< more functions existed than room */
};

/**
 * Walk the buses and fill out[] in enumeration order (bus by bus in the
 * order buses are reached, devices and functions ascending).
 * @param ops how to reach configuration space
 * @param out receives the functions
 * @param max room in out
 */
struct pci_enum_result pci_enumerate(const struct pci_cfgspace_ops *ops, struct pci_function *out,
                                     u32 max);

/**
 * Read one function's header into fn (IDs, class, BARs with sizes,
 * capabilities, bridge buses). The function must exist.
 */
void pci_read_function(const struct pci_cfgspace_ops *ops, const struct pci_cfgspace_addr *where,
                       struct pci_function *fn);

/**
 * Offset of the first capability with this ID in the legacy capability
 * list, or 0. The walk stops after 48 entries, so a looping list ends.
 */
u8 pci_find_capability(const struct pci_cfgspace_ops *ops, const struct pci_cfgspace_addr *where,
                       u8 id);

/** True if the function is a PCI-to-PCI bridge (header type 1). */
bool pci_function_is_bridge(const struct pci_function *fn);

#endif
