/**
 * @file tests/guest/bootinfo.h
 * @brief What the multiboot (v1) loader handed over, copied into the guest.
 *
 * Everything is copied at start so later code (and the memory test, which
 * overwrites free RAM) never depends on the loader's structures.
 */
#ifndef GUEST_BOOTINFO_H
#define GUEST_BOOTINFO_H

#include "gtypes.h"

/** EAX value a multiboot v1 loader passes. */
#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u

/** Multiboot info flag bits the guest uses. */
enum multiboot_info_flag {
    MB_INFO_MEM = 1u << 0, /**< mem_lower/mem_upper valid */
    MB_INFO_CMDLINE = 1u << 2, /**< cmdline valid */
    MB_INFO_MODS = 1u << 3, /**< mods_count/mods_addr valid */
    MB_INFO_MMAP = 1u << 6, /**< mmap_length/mmap_addr valid */
    MB_INFO_LOADER_NAME = 1u << 9, /**< boot_loader_name valid */
};

/** Memory map type for usable RAM. */
#define MMAP_TYPE_AVAILABLE 1

/** Most memory map entries kept; more are counted as dropped. */
#define BOOTINFO_MAX_MMAP 64
/** Most ranges the memory test must leave alone. */
#define BOOTINFO_MAX_KEEPOUT 24
/** Size of the copied command line buffer, NUL included. */
#define BOOTINFO_CMDLINE_SIZE 256

/** One memory map entry. */
struct mmap_entry {
    u64 base; /**< physical start */
    u64 length; /**< bytes */
    u32 type; /**< 1 = available RAM; others reserved, ACPI, ... */
};

/** A half-open physical range [start, end). */
struct phys_range {
    u64 start; /**< first byte */
    u64 end; /**< one past the last byte */
};

/** The guest's copy of the boot hand-off. */
struct boot_info {
    bool multiboot; /**< EAX held the multiboot magic */
    u32 magic; /**< EAX at entry */
    u32 mbi_addr; /**< EBX at entry */
    u32 flags; /**< multiboot info flags (0 if not multiboot) */
    bool has_cmdline; /**< flags bit 2 */
    char cmdline[BOOTINFO_CMDLINE_SIZE]; /**< copy, possibly truncated */
    bool has_mmap; /**< flags bit 6 */
    u32 mmap_count; /**< entries in mmap[] */
    u32 mmap_dropped; /**< entries that did not fit */
    struct mmap_entry mmap[BOOTINFO_MAX_MMAP]; /**< the memory map */
    u32 keepout_count; /**< entries in keepout[] */
    /** Kernel image and stack, the multiboot info, its strings, mmap and modules. */
    struct phys_range keepout[BOOTINFO_MAX_KEEPOUT];
};

/**
 * Copy what the loader passed in @p magic/@p mbi_addr into @p out, and list
 * every range the memory test must not overwrite.
 */
void bootinfo_collect(u32 magic, u32 mbi_addr, struct boot_info *out);

#endif
