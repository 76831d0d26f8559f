/**
 * @file pci/pci_route.h
 * @brief Where a guest configuration access goes: hardware, a driver, or nowhere (pure).
 *
 * bookvisor intercepts the guest's configuration accesses (ports 0xCF8 and
 * 0xCFC-0xCFF, and the ECAM pages of some functions). Each access is routed:
 *
 * - PASS: no driver claims the function and it is not concealed, so the
 *   access goes to the hardware unchanged (interception costs an exit only);
 * - CONCEAL: the function is hidden: reads give all ones, as from an empty
 *   slot (so the vendor ID reads 0xFFFF), writes are dropped;
 * - DRIVER: the bound driver's config_read / config_write callback decides.
 *
 * The table holds only the functions that are not PASS; it is built once,
 * after binding, before the guest runs.
 */
#ifndef BOOKVISOR_PCI_PCI_ROUTE_H
#define BOOKVISOR_PCI_PCI_ROUTE_H

#include "common/lib/types.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_config.h"

/** Most functions with a route other than PASS. */
#define PCI_ROUTE_MAX 32

/** What happens to one guest configuration access. */
enum pci_route {
    PCI_ROUTE_PASS, /**< to the hardware */
    PCI_ROUTE_CONCEAL, /**< all ones / dropped */
    PCI_ROUTE_DRIVER, /**< to the bound driver */
    PCI_ROUTE_GUARD, /**< to the hardware, except writes to a guarded register (pci_chipset.h) */
};

/** One intercepted function. */
struct pci_route_entry {
    u8 bus; /**< bus number */
    u8 device; /**< device number */
    u8 function; /**< function number */
    u8 route; /**< an enum pci_route other than PASS */
    u32 index; /**< the caller's index of the function (e.g. in its device table) */
};

/** The intercepted functions. */
struct pci_route_table {
    u32 count; /**< entries in use */
    struct pci_route_entry entries[PCI_ROUTE_MAX]; /**< in the order added */
};

/** The route a binding asks for: DRIVER and CONCEAL as named, everything else PASS. */
enum pci_route pci_route_for_binding(enum pci_bind_kind kind);

/**
 * Add a function (route PASS adds nothing and succeeds).
 * @return false when the table is full or the function is already in it
 */
bool pci_route_add(struct pci_route_table *t, u8 bus, u8 device, u8 function, enum pci_route route,
                   u32 index);

/** The route of a function, and its index when not PASS. */
enum pci_route pci_route_lookup(const struct pci_route_table *t, const struct pci_cfgspace_addr *a,
                                u32 *index);

/**
 * Route a data-port access (0xCFC-0xCFF) made while the guest's address
 * register holds cf8. With the enable bit clear it is no configuration
 * access and goes to the hardware (PASS).
 * @param t     the route table
 * @param cf8   the guest's address register
 * @param port  0xCFC..0xCFF
 * @param index receives the function's index when not PASS
 * @param a receives the decoded function and offset (valid unless cf8 is disabled)
 */
enum pci_route pci_route_cf8(const struct pci_route_table *t, u32 cf8, u16 port,
                             struct pci_cfgspace_addr *a, u32 *index);

/**
 * What a concealed function does with an access: a read returns all ones
 * of size bytes; a write is dropped (value untouched).
 */
void pci_route_conceal_access(u8 size, bool write, u32 *value);

#endif
