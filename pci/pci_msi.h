/**
 * @file pci/pci_msi.h
 * @brief The MSI capability of a PCI function: where its registers are, the
 *        message that reaches one CPU on one vector, and which messages a
 *        guest may give a mediated device (pure; chapter 09).
 *
 * An MSI is a memory write the device makes: the address selects the local
 * APIC that receives it, the data carries the vector. bookvisor sends a
 * hidden device's interrupt to the boot CPU on a VMM vector
 * (common/base/irq.h) with the plainest message there is: fixed delivery,
 * edge-triggered, physical destination mode, no redirection hint.
 *
 * The destination field of that format holds 8 bits. Without interrupt
 * remapping (bookvisor has none) it names an xAPIC ID, and a CPU in x2APIC
 * mode whose x2APIC ID is below 256 receives it just the same. A boot CPU
 * whose APIC ID is 256 or more cannot be reached by such a message:
 * pci_msi_compose() refuses it, and the driver stays polled. (Some
 * hypervisors put 7 more ID bits into address bits 11:5, "extended
 * destination ID"; real hardware does not decode them, so bookvisor does
 * not use them.)
 */
#ifndef BOOKVISOR_PCI_PCI_MSI_H
#define BOOKVISOR_PCI_PCI_MSI_H

#include "common/lib/types.h"

/** Message control (capability + 2): MSI enable. */
#define PCI_MSI_CONTROL_ENABLE (1u << 0)
/** Message control: vectors the device asks for, log2 (bits 3:1). */
#define PCI_MSI_CONTROL_MMC_MASK (7u << 1)
/** Message control: vectors the system grants, log2 (bits 6:4). */
#define PCI_MSI_CONTROL_MME_MASK (7u << 4)
/** Message control: the message address has 64 bits. */
#define PCI_MSI_CONTROL_64BIT (1u << 7)
/** Message control: per-vector mask and pending bits exist. */
#define PCI_MSI_CONTROL_MASKABLE (1u << 8)

/** The fixed top of every MSI address: the local APICs' window. */
#define PCI_MSI_ADDRESS_BASE 0xFEE00000u
/** The highest APIC ID an MSI address without remapping can name. */
#define PCI_MSI_MAX_APIC_ID 0xFFu

/** Where one function's MSI registers are, as config-space offsets. */
struct pci_msi_layout {
    u16 control;  /**< message control (16 bits) */
    u16 addr_lo;  /**< message address, bits 31:0 */
    u16 addr_hi;  /**< message address, bits 63:32; 0 when the address has 32 bits */
    u16 data;     /**< message data (16 bits) */
    u16 mask;     /**< per-vector mask bits (32 bits); 0 when the device has none */
};

/** One message: what the device writes, and where. */
struct pci_msi_message {
    u32 address_lo; /**< the address's low half: 0xFEE, destination ID, modes */
    u32 address_hi; /**< its high half: always 0 (the APIC window is below 4 GiB) */
    u16 data;       /**< vector, delivery mode, trigger mode */
};

/** MSI-X: a table entry's bytes (address low, high, data, vector control). */
#define PCI_MSIX_ENTRY_BYTES 16
/** MSI-X vector control: the entry is masked. */
#define PCI_MSIX_ENTRY_MASKED 1u

/**
 * May a device the guest programs send a message to this address? Only
 * into the local APICs' window (0xFEE00000-0xFEEFFFFF, high half 0): an
 * MSI is a memory write the device makes, and any other address would let
 * the guest aim that write at memory, bookvisor's included.
 */
bool pci_msi_address_safe(u32 address_lo, u32 address_hi);

/**
 * The MSI message control a mediated device gets for the guest's: as the
 * guest wrote it, but MSI off while its address is not safe.
 */
u16 pci_msi_control_for_device(u16 guest_control, u32 address_lo, u32 address_hi);

/**
 * The MSI-X vector control a mediated device's entry gets for the guest's
 * entry (address low, high, data, vector control): the guest's, but masked
 * while its address is not safe.
 */
u32 pci_msix_control_for_device(const u32 guest_entry[4]);

/**
 * The registers of the MSI capability at config offset @p cap, whose
 * message control word reads @p control (64-bit address or not, mask bits
 * or not: the layout depends on both).
 */
void pci_msi_layout_of(u16 cap, u16 control, struct pci_msi_layout *out);

/**
 * The message for a fixed, edge-triggered interrupt on @p vector to the
 * local APIC whose ID is @p apic_id, in physical destination mode.
 * @return false (and *out untouched) when @p apic_id is above
 *         PCI_MSI_MAX_APIC_ID or @p vector below 0x10 (illegal for MSI)
 */
bool pci_msi_compose(u32 apic_id, u8 vector, struct pci_msi_message *out);

/**
 * The message control word to write to enable MSI with exactly one vector:
 * @p control with the enable bit set and the granted count (MME) 0, the
 * read-only bits as they were.
 */
u16 pci_msi_control_enabled(u16 control);

#endif
