/*
 * pci/pci_chipset.c - host-bridge registers that place the ECAM window.
 *
 * Only chipsets bookvisor has been run on are listed: a port to another one
 * adds its line (the offset comes from that chipset's datasheet).
 */
#include "pci/pci_chipset.h"

static const struct pci_guarded_reg ecam_registers[] = {
    /* Intel 82G33/q35 MCH (QEMU's q35): PCIEXBAR, 64 bits at 0x60. */
    { 0x8086, 0x29C0, 0x60, 8, "PCIEXBAR" },
};

const struct pci_guarded_reg *pci_chipset_ecam_register(u16 vendor, u16 device)
{
    for (u32 i = 0; i < sizeof(ecam_registers) / sizeof(ecam_registers[0]); i++)
        if (ecam_registers[i].vendor == vendor && ecam_registers[i].device == device)
            return &ecam_registers[i];
    return NULL;
}

bool pci_guard_overlaps(const struct pci_guarded_reg *g, u16 offset, u8 size)
{
    return offset < g->offset + g->len && g->offset < offset + size;
}
