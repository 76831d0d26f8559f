/*
 * pci/pci_intercept.c - the guest's configuration accesses, through both paths.
 *
 * Port path: the guest's dword writes to 0xCF8 land in a shadow, never on
 * the hardware; a data-port access is decoded through the shadow and
 * routed (pci/pci_route.h). A PASS access is replayed on the hardware with
 * the shadow put in 0xCF8 first, so it behaves as without bookvisor.
 * ECAM path: only the pages of routed functions are hooked.
 */
#include "pci/pci_intercept.h"
#include "arch/x86/io.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "common/vm/io_ports.h"
#include "common/lib/access_split.h"
#include "common/base/kprintf.h"
#include "pci/pci_access.h"
#include "pci/pci_chipset.h"
#include "pci/pci_mediate.h"
#include "pci/pci_msi_guard.h"
#include "pci/pci_route.h"

static struct pci_route_table routes;
static struct pci_device *devices;
static u32 guest_cf8;
/* The host bridge register that places the ECAM window, while anything is
 * intercepted (pci_chipset.h); guard_index is its function's index. */
static const struct pci_guarded_reg *guard;
static u32 guard_index;
static bool guard_reported;

/* A write to the guarded register: dropped, and said once. */
static bool guarded_write(u32 index, const struct pci_cfgspace_addr *a, u8 size)
{
    if (!guard || index != guard_index || !pci_guard_overlaps(guard, a->offset, size))
        return false;
    if (!guard_reported) {
        kprintf("bookvisor: pci: 00:00.0: the guest wrote %s (offset 0x%x); dropped, so the "
                "ECAM window stays where bookvisor watches it\n",
                guard->name, a->offset);
        guard_reported = true;
    }
    return true;
}

/* A routed access to a known function; hw_* do a PASS by the same path. */
static void routed_access(enum pci_route route, u32 index, const struct pci_cfgspace_addr *a,
                          u8 size, bool write, u32 *value, bool ecam_path)
{
    struct pci_device *dev = &devices[index];
    const struct pci_driver_ops *ops = dev->binding.driver ? dev->binding.driver->ops : NULL;
    enum pci_config_result r = PCI_CONFIG_PASS;

    if (route == PCI_ROUTE_CONCEAL) {
        pci_route_conceal_access(size, write, value);
        return;
    }
    if (write && guarded_write(index, a, size))
        return;
    if (dev->mediator && pci_mediate_config(dev, a->offset, size, write, value))
        return;
    if (ops && write && ops->config_write)
        r = ops->config_write(dev, a->offset, size, *value);
    else if (ops && !write && ops->config_read)
        r = ops->config_read(dev, a->offset, size, value);
    if (r == PCI_CONFIG_DONE)
        return;
    if (ecam_path) {
        if (write)
            pci_ecam_write(a, size, *value);
        else
            *value = pci_ecam_read(a, size);
    } else {
        if (write)
            pci_cf8_write(a, size, *value);
        else
            *value = pci_cf8_read(a, size);
        /* leave the guest's address in the register, as it expects */
        outl(PCI_CF8_PORT, guest_cf8);
    }
}

/*
 * 0xCF8: only a dword there is the address register (kept in a shadow).
 * Anything else is an ordinary port access that happens to start at 0xCF8:
 * it goes on, and its lanes reach whoever holds them (0xCF9 is the reset
 * control register, whose guard must see its byte).
 */
static enum exit_action cf8_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                   u32 *value)
{
    if (port != PCI_CF8_PORT || size != 4)
        return io_pass_on(v, cf8_access, ctx, port, size, write, value, IO_OWN_HARDWARE);
    if (write)
        guest_cf8 = *value;
    else
        *value = guest_cf8;
    return EXIT_SKIP;
}

/* A data-port access inside 0xCFC-0xCFF, routed by the guest's address register. */
static void cfc_lanes(u16 port, u8 size, bool write, u32 *value)
{
    struct pci_cfgspace_addr a;
    u32 index = 0;
    enum pci_route route = pci_route_cf8(&routes, guest_cf8, port, &a, &index);

    if (route == PCI_ROUTE_PASS) {
        outl(PCI_CF8_PORT, guest_cf8);
        if (write)
            io_write(port, size, *value);
        else
            *value = io_read(port, size);
        return;
    }
    routed_access(route, index, &a, size, write, value, false);
}

/*
 * 0xCFC-0xCFF. An access that reaches past the data ports (a dword at
 * 0xCFE) is cut: the data ports' lanes are routed as configuration
 * accesses, each naturally aligned; the others go on as port accesses.
 */
static enum exit_action cfc_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                   u32 *value)
{
    if (port >= PCI_CFC_PORT && (u32)port + size <= PCI_CFC_PORT + 4u) {
        cfc_lanes(port, size, write, value);
        return EXIT_SKIP;
    }
    struct access_piece pieces[ACCESS_SPLIT_MAX];
    unsigned n = access_split(port, size, pieces);
    for (unsigned i = 0; i < n; i++) {
        u16 p = (u16)pieces[i].addr;
        if (p < PCI_CFC_PORT || p >= PCI_CFC_PORT + 4)
            continue;
        u32 part = (u32)access_bytes_get(*value, pieces[i].offset, pieces[i].size);
        cfc_lanes(p, pieces[i].size, write, &part);
        if (!write)
            *value = (u32)access_bytes_put(*value, pieces[i].offset, pieces[i].size, part);
    }
    return io_pass_on(v, cfc_access, ctx, port, size, write, value, IO_OWN_KEEP);
}

/* One naturally aligned piece inside one function's page, by its route. */
static void ecam_piece(const struct pci_ecam_window *w, u64 gpa, u8 size, bool write, u64 *value)
{
    struct pci_cfgspace_addr a;
    u32 index = 0;

    if (!pci_ecam_decode(w->start_bus, w->end_bus, gpa - w->base, &a)) {
        if (!write)
            *value = ~0ULL;
        return;
    }
    enum pci_route route = pci_route_lookup(&routes, &a, &index);
    /* 8-byte accesses (rare) are two dword accesses */
    u8 part = size == 8 ? 4 : size;
    u64 result = 0;
    for (u32 done = 0; done < size; done += part) {
        struct pci_cfgspace_addr b = a;
        u32 piece = write ? (u32)(*value >> (8 * done)) : 0;

        b.offset = (u16)(a.offset + done);
        routed_access(route, index, &b, part, write, &piece, true);
        result |= (u64)piece << (8 * done);
    }
    if (!write)
        *value = result;
}

/*
 * A hooked function's ECAM page. Decision (chapter 06): an access that
 * crosses into the next function's page is split, each part answered by
 * its own function's rules (a concealed one reads all ones and drops
 * writes), never replayed whole on the hardware, where its end would read
 * the next function. bookvisor hands hooks naturally aligned pieces
 * (common/lib/access_split.h), which never cross a page; cutting here again
 * keeps the rule even for a caller that does not.
 */
static enum exit_action ecam_access(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                    u64 *value)
{
    const struct pci_ecam_window *w = pci_ecam_window();
    struct access_piece pieces[ACCESS_SPLIT_MAX];
    unsigned n = access_split(gpa, size, pieces);
    u64 result = 0;

    (void)ctx;
    (void)v;
    for (unsigned i = 0; i < n; i++) {
        u64 part = access_bytes_get(*value, pieces[i].offset, pieces[i].size);
        if (w)
            ecam_piece(w, pieces[i].addr, pieces[i].size, write, &part);
        else if (!write)
            part = ~0ULL;
        result = access_bytes_put(result, pieces[i].offset, pieces[i].size, part);
    }
    if (!write)
        *value = result;
    return EXIT_SKIP;
}

/* A concealed function's BAR: reads all ones, writes dropped. */
static enum exit_action hidden_mmio(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                    u64 *value)
{
    (void)ctx;
    (void)v;
    (void)gpa;
    (void)size;
    if (!write)
        *value = ~0ULL;
    return EXIT_SKIP;
}

/*
 * A concealed function's I/O BAR: its ports read all ones and drop writes.
 * Lanes of an access that reach past the BAR (or start below it) go on as
 * port accesses to whoever holds them.
 */
static enum exit_action hidden_io(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                  u32 *value)
{
    if (!write)
        *value = pci_cfgspace_all_ones(size);
    return io_pass_on(v, hidden_io, ctx, port, size, write, value, IO_OWN_KEEP);
}

/* Darken every BAR of dev but those whose bit is set in keep. */
static void hide_bars(struct guest_vm *vm, const struct pci_device *dev, const char *slot, u32 keep)
{
    for (u32 i = 0; i < dev->fn.nbars; i++) {
        const struct pci_bar *b = &dev->fn.bars[i];
        int err = 0;

        if ((keep & 1u << i) || b->kind == PCI_BAR_NONE || b->base == 0 || b->size == 0)
            continue;
        if (b->kind == PCI_BAR_IO) {
            if (b->base + b->size > 0x10000)
                continue;
            err = io_hook_register(vm, (u16)b->base, (u16)b->size, hidden_io, NULL);
        } else {
            err = mmio_hook_register(vm, b->base, b->size, hidden_mmio, NULL);
        }
        kprintf("bookvisor: pci: %s: %s BAR%u (%s 0x%llx, %llu bytes)%s\n", slot,
                err ? "cannot hide" : "hiding", i, b->kind == PCI_BAR_IO ? "I/O" : "memory",
                (unsigned long long)b->base, (unsigned long long)b->size,
                err ? ": no hook available" : "");
    }
}

/*
 * With an ECAM window and something to intercept, find the host bridge whose
 * register could move the window (sets guard). Its index, or ndevs if none.
 */
static u32 find_ecam_guard(const struct pci_device *devs, u32 ndevs,
                           const struct pci_ecam_window *w)
{
    bool any = false;
    u32 bridge = ndevs;

    for (u32 i = 0; i < ndevs; i++) {
        const struct pci_device_desc *d = &devs[i].fn.desc;

        any |= devs[i].hidden || pci_route_for_binding(devs[i].binding.kind) != PCI_ROUTE_PASS;
        if (d->bus == 0 && d->device == 0 && d->function == 0)
            bridge = i;
    }
    if (!w || !any || bridge == ndevs)
        return ndevs;
    guard =
        pci_chipset_ecam_register(devs[bridge].fn.desc.vendor_id, devs[bridge].fn.desc.device_id);
    return guard ? bridge : ndevs;
}

void pci_intercept_install(struct guest_vm *vm, struct pci_device *devs, u32 ndevs)
{
    const struct pci_ecam_window *w = pci_ecam_window();
    char slot[8];

    devices = devs;
    routes.count = 0;
    guard = NULL;
    guard_index = find_ecam_guard(devs, ndevs, w);
    for (u32 i = 0; i < ndevs; i++) {
        const struct pci_device_desc *d = &devs[i].fn.desc;
        enum pci_route route = devs[i].hidden ? PCI_ROUTE_CONCEAL
                                              : pci_route_for_binding(devs[i].binding.kind);

        if (guard && i == guard_index && route == PCI_ROUTE_PASS)
            route = PCI_ROUTE_GUARD;

        if (route == PCI_ROUTE_PASS)
            continue;
        pci_device_slot(&devs[i], slot);
        if (!pci_route_add(&routes, d->bus, d->device, d->function, route, i)) {
            kprintf("bookvisor: pci: %s: too many intercepted functions (most %u); "
                    "left to the guest\n",
                    slot, PCI_ROUTE_MAX);
            continue;
        }
        if (w && d->bus >= w->start_bus && d->bus <= w->end_bus) {
            struct pci_cfgspace_addr a = { d->bus, d->device, d->function, 0 };
            u64 page = w->base + pci_ecam_offset(w->start_bus, &a);

            if (mmio_hook_register(vm, page, PCI_CFG_ECAM_SIZE, ecam_access, NULL))
                kprintf("bookvisor: pci: %s: cannot hook its ECAM page 0x%llx\n", slot,
                        (unsigned long long)page);
        }
        if (route == PCI_ROUTE_CONCEAL)
            hide_bars(vm, &devs[i], slot, 0);
        if (route == PCI_ROUTE_DRIVER && devs[i].mediator) {
            const struct pci_mediator *m = devs[i].mediator;
            /* The MSI-X table's BAR is guarded instead (pci/pci_msi_guard.h). */
            u32 msix = pci_msi_guard_bars(&devs[i]);
            /* The other BARs must not go around the mediation. */
            hide_bars(vm, &devs[i], slot,
                      1u << m->bar | (m->io_access ? 1u << m->io_bar : 0) | msix);
            int err = pci_mediate_install(vm, &devs[i], slot);
            if (err) /* dark rather than unmediated */
                hide_bars(vm, &devs[i], slot, err == -2 ? 1u << m->bar | msix : msix);
            if (err == -1 || pci_msi_guard_install(vm, &devs[i], slot) != 0)
                hide_bars(vm, &devs[i], slot, ~msix);
        }
    }
    if (!routes.count)
        return; /* nothing to intercept: the guest keeps every path to itself */
    guest_cf8 = inl(PCI_CF8_PORT);
    if (io_hook_register(vm, PCI_CF8_PORT, 1, cf8_access, NULL) ||
        io_hook_register(vm, PCI_CFC_PORT, 4, cfc_access, NULL))
        kprintf("bookvisor: pci: cannot hook ports 0xCF8/0xCFC: the guest sees every "
                "function through them\n");
}
