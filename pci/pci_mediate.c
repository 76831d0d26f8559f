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
#include "pci/pci_driver.h"

/* The VM whose RAM the drivers may move bytes in; set before the guest runs. */
static struct guest_vm *ram_vm;

static enum exit_action mediated_mmio(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                      u64 *value)
{
    struct pci_device *dev = ctx;
    const struct pci_bar *b = &dev->fn.bars[dev->mediator->bar];

    (void)v;
    dev->mediator->access(dev->driver_data, gpa - b->base, size, write, value);
    return EXIT_SKIP;
}

int pci_mediate_install(struct guest_vm *vm, struct pci_device *dev, const char *slot)
{
    const struct pci_mediator *m = dev->mediator;
    const struct pci_bar *b = m->bar < dev->fn.nbars ? &dev->fn.bars[m->bar] : NULL;

    ram_vm = vm;
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
    kprintf("bookvisor: pci: %s: mediating BAR%u (memory 0x%llx, %llu bytes)\n", slot, m->bar,
            (unsigned long long)b->base, (unsigned long long)b->size);
    return 0;
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
