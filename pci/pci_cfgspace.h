/**
 * @file pci/pci_cfgspace.h
 * @brief Configuration-space arithmetic: CF8 and ECAM addresses, sub-dword access, BARs (pure).
 *
 * Everything here is arithmetic on numbers, so the VMM's accessors and its
 * interception of the guest share one tested implementation:
 *
 * - Configuration mechanism #1: a dword written to port 0xCF8 selects
 *   (enable bit 31, bus 23:16, device 15:11, function 10:8, register 7:2);
 *   ports 0xCFC-0xCFF then read or write bytes of the selected dword.
 * - ECAM (PCI Express "MMCONFIG"): each function's 4 KiB of configuration
 *   space at base + (bus << 20 | device << 15 | function << 12), for the
 *   buses the ACPI MCFG table gives.
 * - BARs: what the enumeration learns by writing all ones and reading back.
 *
 * Chapter 06 of the book explains the formats.
 */
#ifndef BOOKVISOR_PCI_PCI_CFGSPACE_H
#define BOOKVISOR_PCI_PCI_CFGSPACE_H

#include "common/lib/types.h"

/** @name Configuration mechanism #1 ports */
/** @{ */
#define PCI_CF8_PORT 0xCF8 /**< address register (dword) */
#define PCI_CFC_PORT 0xCFC /**< data window, 4 ports */
#define PCI_CF8_ENABLE (1u << 31) /**< enable bit of the address register */
/** @} */

/** @name Header registers (offsets in configuration space) */
/** @{ */
#define PCI_REG_VENDOR 0x00
#define PCI_REG_DEVICE 0x02
#define PCI_REG_COMMAND 0x04
#define PCI_REG_STATUS 0x06
#define PCI_REG_REVISION 0x08
#define PCI_REG_CLASS 0x09 /**< 3 bytes: prog-if, sub-class, base class */
#define PCI_REG_HEADER_TYPE 0x0e
#define PCI_REG_BAR0 0x10
#define PCI_REG_SECONDARY_BUS 0x19 /**< type 1 (bridge) headers */
#define PCI_REG_SUBORDINATE_BUS 0x1a
#define PCI_REG_SUBSYS_VENDOR 0x2c /**< type 0 headers */
#define PCI_REG_SUBSYS_ID 0x2e
#define PCI_REG_CAP_PTR 0x34
#define PCI_REG_INTERRUPT_LINE 0x3c
/** @} */

/** Command register: I/O space decode. */
#define PCI_COMMAND_IO (1u << 0)
/** Command register: memory space decode. */
#define PCI_COMMAND_MEMORY (1u << 1)
/** Command register: bus master (the device may DMA). */
#define PCI_COMMAND_MASTER (1u << 2)
/** Status register: the capability list exists. */
#define PCI_STATUS_CAP_LIST (1u << 4)

/** @name Capability IDs bookvisor records */
/** @{ */
#define PCI_CAP_ID_PM 0x01 /**< power management */
#define PCI_CAP_ID_MSI 0x05 /**< message-signalled interrupts */
#define PCI_CAP_ID_PCIE 0x10 /**< PCI Express */
#define PCI_CAP_ID_MSIX 0x11 /**< MSI-X */
/** @} */

/** Bytes of configuration space through CF8 (legacy). */
#define PCI_CFG_LEGACY_SIZE 256
/** Bytes of configuration space of one function through ECAM. */
#define PCI_CFG_ECAM_SIZE 4096

/** One function's address plus a register offset. */
struct pci_cfgspace_addr {
    u8 bus; /**< bus number */
    u8 device; /**< device number, 0..31 */
    u8 function; /**< function number, 0..7 */
    u16 offset; /**< byte offset in configuration space */
};

/**
 * Decode a guest access to a data port through the address register value.
 * The register offset is bits 7:2 of cf8 plus the port's byte lane, plus
 * bits 27:24 as offset bits 11:8 (the AMD extension; zero elsewhere).
 * @param cf8  the value last written to 0xCF8 (dword)
 * @param port 0xCFC..0xCFF
 * @param out  the function and the first byte's offset
 * @return false when the enable bit is clear (not a configuration access)
 */
bool pci_cf8_decode(u32 cf8, u16 port, struct pci_cfgspace_addr *out);

/**
 * The address-register value that selects the dword holding a->offset
 * (enable bit set; offsets above 0xFF go to bits 27:24).
 */
u32 pci_cf8_encode(const struct pci_cfgspace_addr *a);

/** Byte offset of a function's register inside an ECAM window that starts at start_bus. */
u64 pci_ecam_offset(u8 start_bus, const struct pci_cfgspace_addr *a);

/**
 * Decode an offset inside an ECAM window.
 * @param start_bus first bus of the window
 * @param end_bus   last bus of the window
 * @param off       byte offset from the window's base
 * @param out       the function and offset
 * @return false if off lies outside [start_bus, end_bus]
 */
bool pci_ecam_decode(u8 start_bus, u8 end_bus, u64 off, struct pci_cfgspace_addr *out);

/**
 * The size bytes at byte lane (offset & 3) of a dword, right-aligned.
 * size is 1, 2 or 4; a lane/size pair that runs past the dword is cut.
 */
u32 pci_cfgspace_extract(u32 dword, u16 offset, u8 size);

/** The dword with size bytes at byte lane (offset & 3) replaced by value. */
u32 pci_cfgspace_merge(u32 dword, u16 offset, u8 size, u32 value);

/** The all-ones value of an access of size bytes (what an absent device reads). */
u32 pci_cfgspace_all_ones(u8 size);

/** What one BAR decodes. */
enum pci_bar_kind {
    PCI_BAR_NONE, /**< not implemented (reads 0 after all ones) */
    PCI_BAR_IO, /**< I/O ports */
    PCI_BAR_MEM32, /**< memory below 4 GiB */
    PCI_BAR_MEM64, /**< 64-bit memory; takes this BAR and the next */
};

/** A decoded BAR. */
struct pci_bar {
    enum pci_bar_kind kind; /**< what it decodes */
    bool prefetchable; /**< memory BAR with the prefetchable bit */
    u64 base; /**< address as programmed (0 = not assigned) */
    u64 size; /**< bytes decoded (a power of two), 0 for NONE */
};

/**
 * Decode a BAR from its original value and the value read back after
 * writing all ones. For a 64-bit BAR, hi_orig and hi_probe are the next
 * BAR's values (ignored otherwise; pass 0).
 * @return the number of BAR registers it takes (1 or 2)
 */
u32 pci_bar_decode(u32 lo_orig, u32 lo_probe, u32 hi_orig, u32 hi_probe, struct pci_bar *out);

/** True if the low dword of a BAR says it is a 64-bit memory BAR. */
bool pci_bar_is_64(u32 lo);

/**
 * What BAR register i reads after the guest wrote all ones to it (sizing), for
 * a device whose BARs bookvisor keeps where they are: the size mask of
 * bars[i] (decoded, by register) with the flag bits of hw, its value on the
 * hardware; the upper half of a 64-bit BAR gives the mask's high dword; an
 * unimplemented BAR (or i >= nbars) reads 0.
 */
u32 pci_bar_probe_value(const struct pci_bar *bars, u32 nbars, u32 i, u32 hw);

/** An ECAM window from the ACPI MCFG table. */
struct pci_ecam_window {
    u64 base; /**< physical address of bus start_bus's configuration space */
    u16 segment; /**< PCI segment group */
    u8 start_bus; /**< first bus decoded */
    u8 end_bus; /**< last bus decoded */
};

/**
 * Find the segment-0 window in an MCFG table of len bytes (header 36
 * bytes, 8 reserved, then 16-byte entries: base u64, segment u16, start
 * bus u8, end bus u8, 4 reserved).
 * @return false if the table is not "MCFG", too short, or has no usable
 *         segment-0 entry (base 0, or end bus below start bus)
 */
bool pci_mcfg_parse(const u8 *table, size_t len, struct pci_ecam_window *out);

#endif
