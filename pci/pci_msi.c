/*
 * pci/pci_msi.c - the MSI capability's layout and messages (see pci_msi.h).
 */
#include "pci/pci_msi.h"

/* Address bits of the message (Intel SDM vol. 3, "Message Address Register Format"). */
#define MSI_ADDR_DEST_SHIFT 12        /* bits 19:12: destination APIC ID */
#define MSI_ADDR_REDIRECTION (1u << 3) /* RH: lowest-priority redirection; left 0 */
#define MSI_ADDR_DEST_LOGICAL (1u << 2) /* DM: logical destination; left 0 */
/* Data bits ("Message Data Register Format"). */
#define MSI_DATA_DELIVERY_FIXED (0u << 8)
#define MSI_DATA_TRIGGER_LEVEL (1u << 15) /* left 0: edge */
/* Vectors 0x00 to 0x0F are illegal for APIC delivery. */
#define MSI_FIRST_LEGAL_VECTOR 0x10

void pci_msi_layout_of(u16 cap, u16 control, struct pci_msi_layout *out)
{
    bool wide = (control & PCI_MSI_CONTROL_64BIT) != 0;

    out->control = (u16)(cap + 2);
    out->addr_lo = (u16)(cap + 4);
    out->addr_hi = wide ? (u16)(cap + 8) : 0;
    out->data = (u16)(cap + (wide ? 0xC : 8));
    /* The mask bits follow the data word, after 2 reserved bytes. */
    out->mask = (control & PCI_MSI_CONTROL_MASKABLE) ? (u16)(cap + (wide ? 0x10 : 0xC)) : 0;
}

bool pci_msi_compose(u32 apic_id, u8 vector, struct pci_msi_message *out)
{
    if (apic_id > PCI_MSI_MAX_APIC_ID || vector < MSI_FIRST_LEGAL_VECTOR)
        return false;
    out->address_lo = PCI_MSI_ADDRESS_BASE | apic_id << MSI_ADDR_DEST_SHIFT;
    out->address_hi = 0;
    out->data = (u16)(vector | MSI_DATA_DELIVERY_FIXED);
    return true;
}

u16 pci_msi_control_enabled(u16 control)
{
    return (u16)((control & ~PCI_MSI_CONTROL_MME_MASK) | PCI_MSI_CONTROL_ENABLE);
}

bool pci_msi_address_safe(u32 address_lo, u32 address_hi)
{
    return address_hi == 0 && (address_lo & 0xFFF00000u) == PCI_MSI_ADDRESS_BASE;
}

u16 pci_msi_control_for_device(u16 guest_control, u32 address_lo, u32 address_hi)
{
    if (pci_msi_address_safe(address_lo, address_hi))
        return guest_control;
    return (u16)(guest_control & ~PCI_MSI_CONTROL_ENABLE);
}

u32 pci_msix_control_for_device(const u32 guest_entry[4])
{
    if (pci_msi_address_safe(guest_entry[0], guest_entry[1]))
        return guest_entry[3];
    return guest_entry[3] | PCI_MSIX_ENTRY_MASKED;
}
