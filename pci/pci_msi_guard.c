/*
 * pci/pci_msi_guard.c - a mediated device's MSI and MSI-X, aimed only at
 * the local APICs (see pci_msi_guard.h; the rules are pci_msi.c's).
 */
#include "pci/pci_msi_guard.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/lib/spinlock.h"
#include "common/vm/hooks.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_driver.h"
#include "pci/pci_msi.h"

/* Most guarded devices: one per mediated device (pci_mediate.c has 8). */
#define GUARD_MAX 8
/* The MSI-X capability: message control (table size in bits 10:0), then table offset and BIR. */
#define MSIX_CONTROL 2
#define MSIX_TABLE 4
#define MSIX_SIZE_MASK 0x7FFu
#define MSIX_BIR_MASK 7u

static struct guard {
    struct pci_device *dev;
    struct spinlock lock;
    bool msi_wanted;        /* the guest's MSI enable bit */
    bool msi_said;          /* an unsafe MSI address was said */
    bool msix_said;         /* an unsafe MSI-X address was said */
    u64 table;              /* the MSI-X table, physical; 0: none guarded */
    u32 nentries;
    u32 entry[PCI_MSI_GUARD_ENTRIES][4]; /* the guest's entries, as it wrote them */
} guards[GUARD_MAX];
static u32 nguards;

static struct guard *guard_of(const struct pci_device *dev)
{
    for (u32 i = 0; i < nguards; i++)
        if (guards[i].dev == dev)
            return &guards[i];
    return NULL;
}

/* Where dev's MSI-X table is (bar, offset) and its entries; false when it has none. */
static bool msix_table_of(const struct pci_device *dev, u32 *bar, u32 *offset, u32 *n)
{
    u8 cap = dev->fn.cap_msix;

    if (!cap)
        return false;
    u32 where = pci_device_read(dev, (u16)(cap + MSIX_TABLE), 4);
    *bar = where & MSIX_BIR_MASK;
    *offset = where & ~MSIX_BIR_MASK;
    *n = (pci_device_read(dev, (u16)(cap + MSIX_CONTROL), 2) & MSIX_SIZE_MASK) + 1;
    return true;
}

u32 pci_msi_guard_bars(const struct pci_device *dev)
{
    u32 bar, offset, n;

    if (!dev->mediator || !msix_table_of(dev, &bar, &offset, &n) || bar >= dev->fn.nbars ||
        bar == dev->mediator->bar || n > PCI_MSI_GUARD_ENTRIES)
        return 0;
    const struct pci_bar *b = &dev->fn.bars[bar];
    if ((b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) || b->base == 0 ||
        (u64)offset + (u64)n * PCI_MSIX_ENTRY_BYTES > b->size)
        return 0;
    return 1u << bar;
}

/* Give the device entry i as the guest has it, unless its address is unsafe (then masked). */
static void msix_entry_to_device(struct guard *g, u32 i, const char *slot)
{
    u64 at = g->table + (u64)i * PCI_MSIX_ENTRY_BYTES;
    u32 control = pci_msix_control_for_device(g->entry[i]);

    /* Masked first when it must be, so that no message leaves with a half-written address. */
    if (control & PCI_MSIX_ENTRY_MASKED)
        phys_write(at + 12, 4, control);
    for (u32 w = 0; w < 3; w++)
        phys_write(at + 4 * w, 4, g->entry[i][w]);
    phys_write(at + 12, 4, control);
    if (!(g->entry[i][3] & PCI_MSIX_ENTRY_MASKED) && control != g->entry[i][3] && !g->msix_said) {
        kprintf("bookvisor: pci: %s: the guest's MSI-X entry %u aims at 0x%llx, not at a "
                "local APIC; kept masked\n",
                slot, i, (unsigned long long)g->entry[i][1] << 32 | g->entry[i][0]);
        g->msix_said = true;
    }
}

/* One dword (or less) of the table. */
static void msix_piece(struct guard *g, u64 off, u8 size, bool write, u64 *value)
{
    u32 i = (u32)(off / PCI_MSIX_ENTRY_BYTES), w = (u32)(off % PCI_MSIX_ENTRY_BYTES) / 4;
    u32 shift = (u32)(off & 3) * 8;
    u32 mask = size == 4 ? ~0u : ((1u << (8 * size)) - 1) << shift;
    char slot[8];

    if (!write) {
        *value = (g->entry[i][w] & mask) >> shift;
        return;
    }
    g->entry[i][w] = (g->entry[i][w] & ~mask) | (((u32)*value << shift) & mask);
    msix_entry_to_device(g, i, pci_device_slot(g->dev, slot));
}

static enum exit_action msix_mmio(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                  u64 *value)
{
    struct guard *g = ctx;
    u64 end = g->table + (u64)g->nentries * PCI_MSIX_ENTRY_BYTES;

    (void)v;
    if (gpa < g->table || gpa + size > end) {
        /* The rest of the hooked pages (the pending bits, say) is the device's. */
        if (write)
            phys_write(gpa, size, *value);
        else
            *value = phys_read(gpa, size);
        return EXIT_SKIP;
    }
    spin_lock(&g->lock);
    if (size == 8) {
        u64 lo = *value & 0xFFFFFFFFu, hi = *value >> 32;
        msix_piece(g, gpa - g->table, 4, write, &lo);
        msix_piece(g, gpa - g->table + 4, 4, write, &hi);
        if (!write)
            *value = (lo & 0xFFFFFFFFu) | hi << 32;
    } else {
        msix_piece(g, gpa - g->table, size, write, value);
    }
    spin_unlock(&g->lock);
    return EXIT_SKIP;
}

int pci_msi_guard_install(struct guest_vm *vm, struct pci_device *dev, const char *slot)
{
    u32 bars = pci_msi_guard_bars(dev), bar, offset, n;
    struct guard *g;

    if (nguards == GUARD_MAX) {
        kprintf("bookvisor: pci: %s: more than %u guarded devices; MSI and MSI-X not guarded\n",
                slot, GUARD_MAX);
        return -1;
    }
    g = &guards[nguards++];
    g->dev = dev;
    if (dev->fn.cap_msi)
        g->msi_wanted = pci_device_read(dev, (u16)(dev->fn.cap_msi + 2), 2) &
                        PCI_MSI_CONTROL_ENABLE;
    if (!msix_table_of(dev, &bar, &offset, &n))
        return 0;
    if (!bars) {
        kprintf("bookvisor: pci: %s: its MSI-X table (BAR%u, %u entries) cannot be guarded\n",
                slot, bar, n);
        return -1;
    }
    g->table = dev->fn.bars[bar].base + offset;
    g->nentries = n;
    for (u32 i = 0; i < n; i++) {
        for (u32 w = 0; w < 4; w++)
            g->entry[i][w] = (u32)phys_read(g->table + (u64)i * PCI_MSIX_ENTRY_BYTES + 4 * w, 4);
        msix_entry_to_device(g, i, slot);
    }
    if (mmio_hook_register(vm, g->table, (u64)n * PCI_MSIX_ENTRY_BYTES, msix_mmio, g) != 0) {
        kprintf("bookvisor: pci: %s: cannot hook its MSI-X table (memory 0x%llx): no hook "
                "available\n",
                slot, (unsigned long long)g->table);
        g->table = 0;
        return -1;
    }
    kprintf("bookvisor: pci: %s: guarding its MSI-X table (BAR%u, memory 0x%llx, %u entries)\n",
            slot, bar, (unsigned long long)g->table, n);
    return 0;
}

bool pci_msi_guard_config(struct pci_device *dev, u16 offset, u8 size, bool write, u32 *value)
{
    struct guard *g = guard_of(dev);
    u8 cap = dev->fn.cap_msi;
    struct pci_msi_layout l;
    char slot[8];

    if (!g || !cap)
        return false;
    u16 at = offset & ~3u;
    pci_msi_layout_of(cap, (u16)pci_device_read(dev, (u16)(cap + 2), 2), &l);
    if (at != cap && at != l.addr_lo && (!l.addr_hi || at != l.addr_hi))
        return false;
    spin_lock(&g->lock);
    /* The guest's view: the device's registers, the enable bit as the guest wrote it. */
    u32 dword = pci_device_read(dev, at, 4);
    if (at == cap)
        dword = (dword & ~(PCI_MSI_CONTROL_ENABLE << 16)) |
                (g->msi_wanted ? PCI_MSI_CONTROL_ENABLE << 16 : 0);
    if (!write) {
        *value = pci_cfgspace_extract(dword, offset, size);
        spin_unlock(&g->lock);
        return true;
    }
    dword = pci_cfgspace_merge(dword, offset, size, *value);
    u32 lo = at == l.addr_lo ? dword : pci_device_read(dev, l.addr_lo, 4);
    u32 hi = !l.addr_hi ? 0 : at == l.addr_hi ? dword : pci_device_read(dev, l.addr_hi, 4);
    u16 control = at == cap ? (u16)(dword >> 16) : (u16)pci_device_read(dev, l.control, 2);
    if (at == cap)
        g->msi_wanted = control & PCI_MSI_CONTROL_ENABLE;
    else
        control = (u16)((control & ~PCI_MSI_CONTROL_ENABLE) |
                        (g->msi_wanted ? PCI_MSI_CONTROL_ENABLE : 0));
    u16 for_device = pci_msi_control_for_device(control, lo, hi);
    /* Off before an unsafe address reaches the device; on only after a safe one has. */
    if (!(for_device & PCI_MSI_CONTROL_ENABLE))
        pci_device_write(dev, l.control, 2, for_device);
    if (at != cap)
        pci_device_write(dev, at, 4, dword);
    else
        pci_device_write(dev, at, 4, (dword & 0xFFFFu) | (u32)for_device << 16);
    if (for_device & PCI_MSI_CONTROL_ENABLE)
        pci_device_write(dev, l.control, 2, for_device);
    if (g->msi_wanted && for_device != control && !g->msi_said) {
        kprintf("bookvisor: pci: %s: the guest's MSI address 0x%llx is not a local APIC's; "
                "MSI stays off\n",
                pci_device_slot(dev, slot), (unsigned long long)hi << 32 | lo);
        g->msi_said = true;
    }
    spin_unlock(&g->lock);
    return true;
}
