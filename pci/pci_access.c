/*
 * pci/pci_access.c - bookvisor reads and writes configuration space.
 *
 * Only one CPU runs bookvisor and the guest's own 0xCF8 writes are
 * intercepted whenever any function is, so nothing else changes the
 * hardware address register between our outl(0xCF8) and the data access.
 */
#include "pci/pci_access.h"
#include "common/base/acpi_power.h"
#include "arch/x86/io.h"
#include "common/base/kprintf.h"
#include "arch/x86/phys.h"

static struct pci_ecam_window ecam;
static bool ecam_ok;
static bool access_initialised;

void pci_access_init(void)
{
    if (access_initialised)
        return;
    access_initialised = true;
    u64 pa = acpi_find_table("MCFG");
    if (!pa)
        return;
    const u8 *t = phys_to_virt(pa);
    if (!pci_mcfg_parse(t, *(const u32 *)(t + 4), &ecam))
        return;
    u64 end = ecam.base + ((u64)(ecam.end_bus - ecam.start_bus + 1) << 20);
    /* bookvisor's identity map always covers the first 4 GiB */
    if (end > 4 * GIB) {
        kprintf("bookvisor: pci: ECAM at 0x%llx lies above 4 GiB; using 0xCF8/0xCFC\n",
                (unsigned long long)ecam.base);
        return;
    }
    ecam_ok = true;
}

const struct pci_ecam_window *pci_ecam_window(void)
{
    return ecam_ok ? &ecam : NULL;
}

u32 pci_cf8_read(const struct pci_cfgspace_addr *a, u8 size)
{
    if (a->offset >= PCI_CFG_LEGACY_SIZE)
        return pci_cfgspace_all_ones(size);
    outl(PCI_CF8_PORT, pci_cf8_encode(a));
    return io_read((u16)(PCI_CFC_PORT + (a->offset & 3)), size);
}

void pci_cf8_write(const struct pci_cfgspace_addr *a, u8 size, u32 value)
{
    if (a->offset >= PCI_CFG_LEGACY_SIZE)
        return;
    outl(PCI_CF8_PORT, pci_cf8_encode(a));
    io_write((u16)(PCI_CFC_PORT + (a->offset & 3)), size, value);
}

/* Where a's register is in the ECAM window; false when the window does not cover it. */
static bool ecam_addr(const struct pci_cfgspace_addr *a, u64 *pa)
{
    if (!ecam_ok || a->bus < ecam.start_bus || a->bus > ecam.end_bus)
        return false;
    *pa = ecam.base + pci_ecam_offset(ecam.start_bus, a);
    return true;
}

u32 pci_ecam_read(const struct pci_cfgspace_addr *a, u8 size)
{
    u64 pa;
    if (!ecam_addr(a, &pa))
        return pci_cfgspace_all_ones(size);
    return (u32)phys_read(pa, size);
}

void pci_ecam_write(const struct pci_cfgspace_addr *a, u8 size, u32 value)
{
    u64 pa;
    if (ecam_addr(a, &pa))
        phys_write(pa, size, value);
}

u32 pci_hw_read(const struct pci_cfgspace_addr *a, u8 size)
{
    u64 pa;
    if (ecam_addr(a, &pa))
        return pci_ecam_read(a, size);
    return pci_cf8_read(a, size);
}

void pci_hw_write(const struct pci_cfgspace_addr *a, u8 size, u32 value)
{
    u64 pa;
    if (ecam_addr(a, &pa))
        pci_ecam_write(a, size, value);
    else
        pci_cf8_write(a, size, value);
}

static u32 ops_read(void *ctx, const struct pci_cfgspace_addr *a, u8 size)
{
    (void)ctx;
    return pci_hw_read(a, size);
}

static void ops_write(void *ctx, const struct pci_cfgspace_addr *a, u8 size, u32 value)
{
    (void)ctx;
    pci_hw_write(a, size, value);
}

const struct pci_cfgspace_ops pci_hw_ops = { ops_read, ops_write, NULL };
