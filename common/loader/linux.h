/**
 * @file common/loader/linux.h
 * @brief The Linux x86 boot protocol: read a bzImage's setup header, plan
 *        where its parts go, build the zero page (pure).
 *
 * The steps of a load, one file each (chapter 12):
 *  1. linux_probe() (linux_probe.c) checks the setup header and gathers what
 *     the loader needs from it into a struct linux_image;
 *  2. linux_plan() (linux_plan.c) chooses guest-physical places for the
 *     protected-mode kernel, the boot block (zero page, command line, GDT,
 *     RSDP copy, identity page tables) and the initrd;
 *  3. linux_build_e820(), linux_fill_boot_params(), linux_build_gdt() and
 *     linux_build_identity_tables() (linux_boot_params.c) write what the
 *     kernel reads;
 *  4. the loader (linux_loader.c) copies, writes and fills the start state.
 *
 * Numbers come from the kernel's Documentation/x86/boot.rst
 * (common/loader/linux_bootparams.h has the offsets).
 */
#ifndef BOOKVISOR_COMMON_LOADER_LINUX_H
#define BOOKVISOR_COMMON_LOADER_LINUX_H

#include "common/base/vmm_layout.h"
#include "common/lib/kstring.h"
#include "common/lib/types.h"
#include "common/loader/linux_bootparams.h"

/** The oldest boot protocol bookvisor loads: 2.06 gives cmdline_size. */
#define LINUX_MIN_VERSION 0x0206u
/** From this version on, xloadflags says whether there is a 64-bit entry. */
#define LINUX_XLOADFLAGS_VERSION 0x020Cu

/** Why a kernel or a plan was refused; linux_error_name() gives the name. */
enum linux_error {
    LINUX_OK = 0,                    /**< fine */
    LINUX_ERR_NOT_BZIMAGE = -1,      /**< no 0xAA55 at 0x1FE or no "HdrS" at 0x202, or a zImage */
    LINUX_ERR_TOO_OLD = -2,          /**< boot protocol older than LINUX_MIN_VERSION */
    LINUX_ERR_TRUNCATED = -3,        /**< setup sectors, header or syssize beyond the file */
    LINUX_ERR_NO_ROOM_KERNEL = -4,   /**< no guest RAM for the kernel's init_size */
    LINUX_ERR_NO_ROOM_BOOT = -5,     /**< no guest RAM for the zero page and its companions */
    LINUX_ERR_INITRD_TOO_BIG = -6,   /**< the initrd does not fit below its limit */
    LINUX_ERR_CMDLINE_TOO_LONG = -7, /**< the command line is longer than cmdline_size */
    LINUX_ERR_E820_TOO_LONG = -8,    /**< more than LINUX_E820_MAX E820 entries after merging */
    LINUX_ERR_TOO_MANY_MODULES = -9, /**< more than one module after the kernel */
};

/** What the setup header says, as the loader uses it. */
struct linux_image {
    u16 version;          /**< boot protocol, major << 8 | minor */
    u32 setup_sects;      /**< setup sectors (0 in the header means 4) */
    u32 header_end;       /**< offset of the first byte after the setup header */
    u64 kernel_offset;    /**< file offset of the protected-mode kernel: (setup_sects + 1) * 512 */
    u64 kernel_size;      /**< its bytes in the file */
    u8 loadflags;         /**< LINUX_LOADFLAG_* */
    u16 xloadflags;       /**< LINUX_XLF_* (0 before 2.12) */
    bool relocatable;     /**< may be loaded at any kernel_alignment boundary */
    bool entry64;         /**< has the 64-bit entry (XLF_KERNEL_64) */
    u32 kernel_alignment; /**< a power of two, at least 4 KiB */
    u64 pref_address;     /**< where it prefers to run (1 MiB before 2.10) */
    u64 init_size;        /**< bytes it needs from its load address (an estimate before 2.10) */
    u32 initrd_addr_max;  /**< highest byte the initrd may occupy */
    u32 cmdline_size;     /**< longest command line, NUL excluded */
    u64 found_len;        /**< for LINUX_ERR_TRUNCATED: the bytes the header implies */
};

/**
 * Check a bzImage's setup header and describe it.
 * @param image the module
 * @param len   its bytes
 * @param out   filled on success; version and found_len also on refusals
 * @return LINUX_OK, LINUX_ERR_NOT_BZIMAGE, LINUX_ERR_TOO_OLD or LINUX_ERR_TRUNCATED
 */
int linux_probe(const u8 *image, size_t len, struct linux_image *out);

/** What linux_plan() needs besides the image. */
struct linux_plan_input {
    const struct phys_range *usable; /**< guest RAM the loader may write (type 1 entries) */
    size_t usable_len;               /**< entries in usable */
    u64 initrd_size;                 /**< bytes of the initrd, 0 = none */
    u64 cmdline_len;                 /**< bytes of the command line, NUL excluded */
};

/** Pages of identity page tables for 4 GiB of 2 MiB pages: PML4, PDPT, 4 PDs. */
#define LINUX_PT_PAGES 6u

/**
 * The boot block: one stretch of guest RAM, below 1 MiB when it fits there
 * (Linux keeps the first MiB to itself until it has read everything), holding
 * in this order the zero page, the GDT page (the RSDP copy after the GDT),
 * the identity page tables and the command line.
 */
struct linux_plan {
    u64 kernel_addr;   /**< where the protected-mode kernel goes */
    u64 kernel_span;   /**< bytes reserved there: max(init_size, kernel_size) */
    u64 boot_addr;     /**< the boot block */
    u64 boot_size;     /**< its bytes */
    u64 zero_page;     /**< = boot_addr */
    u64 gdt;           /**< the GDT: null, null, __BOOT_CS, __BOOT_DS */
    u64 rsdp;          /**< the RSDP copy, after the GDT in the same page */
    u64 page_tables;   /**< LINUX_PT_PAGES pages; the PML4 first */
    u64 cmdline;       /**< the command line */
    u64 initrd_addr;   /**< the initrd (0 when there is none) */
    u64 initrd_limit;  /**< the initrd had to end at or below this (for refusals) */
    u64 entry;         /**< where the vCPU starts */
};

/** Offset of the RSDP copy in the GDT page. */
#define LINUX_RSDP_OFFSET 0x40u

/**
 * Choose the places of a load: the kernel at its pref_address when
 * [pref_address, + kernel_span) is usable RAM, else (relocatable kernels
 * only) at the lowest kernel_alignment boundary from 1 MiB where it fits,
 * below 4 GiB; the boot block at the lowest page from 64 KiB that fits,
 * overlapping nothing; the initrd at the highest page-aligned place whose
 * last byte is at or below initrd_addr_max (any height with
 * XLF_CAN_BE_LOADED_ABOVE_4G), overlapping neither of them.
 * @return LINUX_OK, LINUX_ERR_NO_ROOM_KERNEL, LINUX_ERR_NO_ROOM_BOOT,
 *         LINUX_ERR_INITRD_TOO_BIG or LINUX_ERR_CMDLINE_TOO_LONG
 */
int linux_plan(const struct linux_image *img, const struct linux_plan_input *in,
               struct linux_plan *out);

/**
 * Write the E820 table of the zero page from a memory map (lab 7).
 *
 * Each entry is LINUX_E820_ENTRY_SIZE (20) bytes, little-endian, packed:
 * the base (8 bytes, offset 0), the length (8 bytes, offset 8), the type
 * (4 bytes, offset 16), written with linux_wr64()/linux_wr32(). The rules:
 * - one entry per map entry, in the map's order (the map is sorted and its
 *   ranges do not overlap; nothing is sorted here), types kept as they are
 *   (Multiboot and E820 types are the same numbers);
 * - a map entry of length 0 is left out, and changes nothing else;
 * - a map entry whose type equals the last written entry's and whose base
 *   is that entry's end (base + length) is merged into it: its length grows;
 *   a gap or another type starts a new entry;
 * - at most LINUX_E820_MAX (128) entries, counted after merging: a map that
 *   needs a 129th returns LINUX_ERR_E820_TOO_LONG with *count = 128 (the
 *   entries written so far); a longer map that merges to 128 or fewer is fine.
 * @param map   the guest's memory map (bookvisor's range already reserved)
 * @param n     entries in map
 * @param table LINUX_E820_MAX * LINUX_E820_ENTRY_SIZE bytes
 * @param count receives the entries written
 * @return LINUX_OK or LINUX_ERR_E820_TOO_LONG
 */
int linux_build_e820(const struct phys_range *map, size_t n, u8 *table, u32 *count);

/** The guest-physical facts linux_fill_boot_params() writes into the zero page. */
struct linux_boot_facts {
    u64 kernel_addr; /**< where the kernel was put (code32_start) */
    u64 cmdline;     /**< the command line's address */
    u64 initrd_addr; /**< the initrd's address (with initrd_size 0: none) */
    u64 initrd_size; /**< its bytes */
    u64 rsdp;        /**< the ACPI RSDP's address, 0 = unknown */
};

/**
 * Fill a zeroed zero page: the image's setup header copied to its place,
 * then type_of_loader 0xFF, LOADED_HIGH kept and CAN_USE_HEAP cleared (no
 * real-mode setup code runs), code32_start, cmd_line_ptr and
 * ext_cmd_line_ptr, ramdisk_image/size and their ext_ halves,
 * acpi_rsdp_addr (2.14+). The E820 table is linux_build_e820()'s.
 * @param bp  LINUX_BP_SIZE bytes, zero
 * @param image the bzImage (checked by linux_probe())
 * @param img   what linux_probe() found
 * @param f     the addresses
 */
void linux_fill_boot_params(u8 *bp, const u8 *image, const struct linux_image *img,
                            const struct linux_boot_facts *f);

/** Bytes linux_build_gdt() writes: four descriptors. */
#define LINUX_GDT_SIZE 32u

/**
 * The GDT the protocol asks for: null, null, a flat 4 GiB execute/read code
 * segment at __BOOT_CS (64-bit when long64, else 32-bit) and a flat
 * read/write data segment at __BOOT_DS, both already marked accessed.
 */
void linux_build_gdt(u8 gdt[LINUX_GDT_SIZE], bool long64);

/**
 * Identity page tables for [0, 4 GiB) with 2 MiB pages at gpa: the PML4,
 * one PDPT, four page directories (LINUX_PT_PAGES pages, zeroed first).
 * @param tables LINUX_PT_PAGES * 4096 bytes that will sit at gpa
 * @param gpa    their guest-physical address (page aligned)
 */
void linux_build_identity_tables(u8 *tables, u64 gpa);

/** "LINUX_ERR_TOO_OLD" and so on; "LINUX_ERR_?" for an unknown value. */
const char *linux_error_name(int err);

/** @name Little-endian field access (the header's fields are unaligned) */
/**@{*/
/** Read a u16 at p. */
static inline u16 linux_rd16(const u8 *p) { u16 v; memcpy(&v, p, 2); return v; }
/** Read a u32 at p. */
static inline u32 linux_rd32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }
/** Read a u64 at p. */
static inline u64 linux_rd64(const u8 *p) { u64 v; memcpy(&v, p, 8); return v; }
/** Write a u32 at p. */
static inline void linux_wr32(u8 *p, u32 v) { memcpy(p, &v, 4); }
/** Write a u64 at p. */
static inline void linux_wr64(u8 *p, u64 v) { memcpy(p, &v, 8); }
/**@}*/

#endif
