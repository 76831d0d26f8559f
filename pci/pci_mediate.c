/*
 * pci/pci_mediate.c - a driver's mediated BAR and the guest's RAM for its
 * DMA (see pci_mediate.h).
 */
#include "pci/pci_mediate.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "common/vm/io_ports.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_driver.h"
#include "pci/pci_msi_guard.h"

/* The VM whose RAM the drivers may move bytes in; set before the guest runs. */
static struct guest_vm *ram_vm;

/* Most mediated devices; more are left dark (pci_intercept.c). */
#define MEDIATED_MAX 8

/* A mediated device's configuration state: which BARs the guest is sizing. */
static struct mediated {
    const struct pci_device *dev;
    u8 sizing;         /* bit i: BAR register i was written all ones */
    bool write_said;   /* a dropped BAR write was said */
} mediated[MEDIATED_MAX];
static u32 nmediated;

static struct mediated *mediated_of(const struct pci_device *dev)
{
    for (u32 i = 0; i < nmediated; i++)
        if (mediated[i].dev == dev)
            return &mediated[i];
    return NULL;
}

static enum exit_action mediated_mmio(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                      u64 *value)
{
    struct pci_device *dev = ctx;
    const struct pci_bar *b = &dev->fn.bars[dev->mediator->bar];

    (void)v;
    dev->mediator->access(dev->driver_data, gpa - b->base, size, write, value);
    return EXIT_SKIP;
}

/* The mediated I/O BAR: accesses wholly inside go to the driver, others are dark there. */
static enum exit_action mediated_io(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                    u32 *value)
{
    struct pci_device *dev = ctx;
    const struct pci_bar *b = &dev->fn.bars[dev->mediator->io_bar];

    if (port >= b->base && port + size <= b->base + b->size) {
        dev->mediator->io_access(dev->driver_data, (u32)(port - b->base), size, write, value);
        return EXIT_SKIP;
    }
    /* Straddling the BAR's edge: its lanes as a concealed BAR's, the rest passed on. */
    if (!write)
        *value = pci_cfgspace_all_ones(size);
    return io_pass_on(v, mediated_io, ctx, port, size, write, value, IO_OWN_KEEP);
}

/* Hook the I/O BAR the mediator takes: 0, or -2 (printed). */
static int install_io(struct guest_vm *vm, struct pci_device *dev, const char *slot)
{
    const struct pci_mediator *m = dev->mediator;
    const struct pci_bar *b = m->io_bar < dev->fn.nbars ? &dev->fn.bars[m->io_bar] : NULL;

    if (!b || b->kind != PCI_BAR_IO || b->base == 0 || b->size == 0 ||
        b->base + b->size > 0x10000) {
        kprintf("bookvisor: pci: %s: BAR%u is not an assigned I/O BAR; not mediated\n", slot,
                m->io_bar);
        return -2;
    }
    if (io_hook_register(vm, (u16)b->base, (u16)b->size, mediated_io, dev) != 0) {
        kprintf("bookvisor: pci: %s: cannot hook BAR%u (I/O 0x%llx): no hook available\n", slot,
                m->io_bar, (unsigned long long)b->base);
        return -2;
    }
    kprintf("bookvisor: pci: %s: mediating BAR%u (I/O 0x%llx, %llu bytes)\n", slot, m->io_bar,
            (unsigned long long)b->base, (unsigned long long)b->size);
    return 0;
}

int pci_mediate_install(struct guest_vm *vm, struct pci_device *dev, const char *slot)
{
    const struct pci_mediator *m = dev->mediator;
    const struct pci_bar *b = m->bar < dev->fn.nbars ? &dev->fn.bars[m->bar] : NULL;

    ram_vm = vm;
    if (nmediated == MEDIATED_MAX) {
        kprintf("bookvisor: pci: %s: more than %u mediated devices\n", slot, MEDIATED_MAX);
        return -1;
    }
    if (!b || (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) || b->base == 0 ||
        b->size == 0) {
        kprintf("bookvisor: pci: %s: BAR%u is not an assigned memory BAR; not mediated\n", slot,
                m->bar);
        return -1;
    }
    if (mmio_hook_register(vm, b->base, b->size, mediated_mmio, dev) != 0) {
        kprintf("bookvisor: pci: %s: cannot hook BAR%u (memory 0x%llx): no hook available\n", slot,
                m->bar, (unsigned long long)b->base);
        return -1;
    }
    mediated[nmediated++] = (struct mediated){ dev, 0, false };
    kprintf("bookvisor: pci: %s: mediating BAR%u (memory 0x%llx, %llu bytes)\n", slot, m->bar,
            (unsigned long long)b->base, (unsigned long long)b->size);
    return m->io_access ? install_io(vm, dev, slot) : 0;
}

bool pci_mediate_config(struct pci_device *dev, u16 offset, u8 size, bool write, u32 *value)
{
    struct mediated *m = mediated_of(dev);
    char slot[8];

    if (!m)
        return false;
    if (pci_msi_guard_config(dev, offset, size, write, value))
        return true;
    if (offset == PCI_REG_COMMAND && write) {
        pci_device_write(dev, offset, size, *value | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
        return true;
    }
    if (offset < PCI_REG_BAR0 || offset >= PCI_REG_BAR0 + 4 * dev->fn.nbars)
        return false;
    u32 reg = (u32)(offset - PCI_REG_BAR0) / 4;
    u16 at = (u16)(PCI_REG_BAR0 + 4 * reg);
    if (write) {
        bool probe = size == 4 && *value == ~0u;
        m->sizing = (u8)(probe ? m->sizing | 1u << reg : m->sizing & ~(1u << reg));
        /* Writing back what it holds (after sizing, say) is no move: nothing to say. */
        if (!probe && !m->write_said &&
            pci_cfgspace_merge(pci_device_read(dev, at, 4), offset, size, *value) !=
                pci_device_read(dev, at, 4)) {
            kprintf("bookvisor: pci: %s: the guest wrote 0x%x to BAR%u; dropped (the BAR is "
                    "mediated where it is)\n",
                    pci_device_slot(dev, slot), *value, reg);
            m->write_said = true;
        }
        return true;
    }
    if (!(m->sizing & 1u << reg))
        return false;
    u32 dword = pci_bar_probe_value(dev->fn.bars, dev->fn.nbars, reg, pci_device_read(dev, at, 4));
    *value = pci_cfgspace_extract(dword, offset, size);
    return true;
}

bool pci_guest_ram(u64 gpa, size_t len)
{
    struct guest_vm *vm = ram_vm;
    u64 last = gpa + len - 1;
    bool ok = true;

    if (!vm || len == 0 || last < gpa)
        return false;
    if (gpa < vm->vmm_base + vm->vmm_size && vm->vmm_base <= last)
        return false;
    spin_lock(&vm->npt_lock); /* the layout changes when hooks do */
    for (u64 page = gpa & ~0xFFFULL; ok && page <= last; page += 4096) {
        ok = npt_layout_kind_at(&vm->layout, page) == NPT_KIND_RAM;
        if (page + 4096 < page)
            break;
    }
    spin_unlock(&vm->npt_lock);
    return ok;
}

bool pci_guest_ram_read(u64 gpa, void *buf, size_t len)
{
    if (!pci_guest_ram(gpa, len))
        return false;
    memcpy(buf, phys_to_virt(gpa), len);
    return true;
}

bool pci_guest_ram_write(u64 gpa, const void *buf, size_t len)
{
    if (!pci_guest_ram(gpa, len))
        return false;
    memcpy(phys_to_virt(gpa), buf, len);
    return true;
}
