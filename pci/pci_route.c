/**
 * @file pci/pci_route.c
 * @brief Routing guest configuration accesses (see pci/pci_route.h).
 */
#include "pci/pci_route.h"

enum pci_route pci_route_for_binding(enum pci_bind_kind kind)
{
    switch (kind) {
    case PCI_BIND_DRIVER: return PCI_ROUTE_DRIVER;
    case PCI_BIND_CONCEAL: return PCI_ROUTE_CONCEAL;
    default: return PCI_ROUTE_PASS;
    }
}

static const struct pci_route_entry *find(const struct pci_route_table *t, u8 bus, u8 device,
                                          u8 function)
{
    for (u32 i = 0; i < t->count && i < PCI_ROUTE_MAX; i++) {
        const struct pci_route_entry *e = &t->entries[i];

        if (e->bus == bus && e->device == device && e->function == function)
            return e;
    }
    return NULL;
}

bool pci_route_add(struct pci_route_table *t, u8 bus, u8 device, u8 function, enum pci_route route,
                   u32 index)
{
    struct pci_route_entry *e;

    if (route == PCI_ROUTE_PASS)
        return true;
    if (t->count >= PCI_ROUTE_MAX || find(t, bus, device, function))
        return false;
    e = &t->entries[t->count++];
    e->bus = bus;
    e->device = device;
    e->function = function;
    e->route = (u8)route;
    e->index = index;
    return true;
}

enum pci_route pci_route_lookup(const struct pci_route_table *t, const struct pci_cfgspace_addr *a,
                                u32 *index)
{
    const struct pci_route_entry *e = find(t, a->bus, a->device, a->function);

    if (!e)
        return PCI_ROUTE_PASS;
    *index = e->index;
    return (enum pci_route)e->route;
}

enum pci_route pci_route_cf8(const struct pci_route_table *t, u32 cf8, u16 port,
                             struct pci_cfgspace_addr *a, u32 *index)
{
    if (!pci_cf8_decode(cf8, port, a))
        return PCI_ROUTE_PASS;
    return pci_route_lookup(t, a, index);
}

void pci_route_conceal_access(u8 size, bool write, u32 *value)
{
    if (!write)
        *value = pci_cfgspace_all_ones(size);
}
