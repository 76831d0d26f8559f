/**
 * @file common/loader/linux_bootparams.h
 * @brief The Linux x86 boot protocol's layout facts: the setup header in a
 *        bzImage and the boot parameters ("zero page"), by byte offset (pure).
 *
 * Numbers from the kernel's Documentation/x86/boot.rst; the names are
 * bookvisor's. A bzImage starts with the real-mode setup code, whose first
 * sector holds the setup header at LINUX_HDR_START; the protected-mode
 * kernel follows the setup sectors. The zero page is one 4 KiB page that
 * carries a copy of the setup header at the same offsets, plus the fields a
 * loader fills (the E820 map, the ACPI RSDP, the high halves of addresses).
 * All fields are little-endian and unaligned; read them with get16() and
 * friends of common/lib/kstring.h-style helpers in the loader.
 */
#ifndef BOOKVISOR_COMMON_LOADER_LINUX_BOOTPARAMS_H
#define BOOKVISOR_COMMON_LOADER_LINUX_BOOTPARAMS_H

/** @name The setup header: offsets in the image and in the zero page */
/**@{*/
#define LINUX_HDR_START 0x1F1            /**< first byte of the setup header */
#define LINUX_HDR_SETUP_SECTS 0x1F1      /**< u8: 512-byte setup sectors after the boot sector (0 means 4) */
#define LINUX_HDR_SYSSIZE 0x1F4          /**< u32: protected-mode kernel size in 16-byte units (2.04+) */
#define LINUX_SYSSIZE_UNIT 16u           /**< bytes in one unit of syssize (a paragraph) */
#define LINUX_HDR_VID_MODE 0x1FA         /**< u16: video mode asked for */
#define LINUX_HDR_BOOT_FLAG 0x1FE        /**< u16: 0xAA55 */
#define LINUX_HDR_JUMP 0x200             /**< u16: a short jump; its second byte + 0x202 ends the header */
#define LINUX_HDR_MAGIC 0x202            /**< u32: "HdrS" */
#define LINUX_HDR_VERSION 0x206          /**< u16: boot protocol version, major << 8 | minor */
#define LINUX_HDR_TYPE_OF_LOADER 0x210   /**< u8: the loader's id (written by the loader) */
#define LINUX_HDR_LOADFLAGS 0x211        /**< u8: LINUX_LOADFLAG_* */
#define LINUX_HDR_CODE32_START 0x214     /**< u32: the 32-bit entry (the load address) */
#define LINUX_HDR_RAMDISK_IMAGE 0x218    /**< u32: initrd address, low 32 bits (written) */
#define LINUX_HDR_RAMDISK_SIZE 0x21C     /**< u32: initrd size, low 32 bits (written) */
#define LINUX_HDR_HEAP_END_PTR 0x224     /**< u16: end of the setup heap (real-mode boot only) */
#define LINUX_HDR_CMD_LINE_PTR 0x228     /**< u32: command line address, low 32 bits (written) */
#define LINUX_HDR_INITRD_ADDR_MAX 0x22C  /**< u32: highest address the initrd may occupy (2.03+) */
#define LINUX_HDR_KERNEL_ALIGNMENT 0x230 /**< u32: alignment a relocatable kernel needs (2.05+) */
#define LINUX_HDR_RELOCATABLE 0x234      /**< u8: nonzero when the kernel may be loaded anywhere aligned (2.05+) */
#define LINUX_HDR_XLOADFLAGS 0x236       /**< u16: LINUX_XLF_* (2.12+) */
#define LINUX_HDR_CMDLINE_SIZE 0x238     /**< u32: longest command line, NUL excluded (2.06+) */
#define LINUX_HDR_PREF_ADDRESS 0x258     /**< u64: preferred load address (2.10+) */
#define LINUX_HDR_INIT_SIZE 0x260        /**< u32: bytes the kernel needs from its load address while it starts (2.10+) */
/**@}*/

/** @name Values and bits of the setup header */
/**@{*/
#define LINUX_BOOT_FLAG 0xAA55u          /**< the boot sector signature at LINUX_HDR_BOOT_FLAG */
#define LINUX_HDRS_MAGIC 0x53726448u     /**< "HdrS" as a little-endian u32 */
#define LINUX_LOADFLAG_LOADED_HIGH 0x01u /**< the protected-mode kernel goes at 1 MiB or above (a bzImage) */
#define LINUX_LOADFLAG_CAN_USE_HEAP 0x80u /**< heap_end_ptr is valid (real-mode setup only) */
#define LINUX_XLF_KERNEL_64 0x0001u      /**< a 64-bit entry at load address + 0x200 */
#define LINUX_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002u /**< kernel, boot_params, command line and initrd may be above 4 GiB */
#define LINUX_TYPE_OF_LOADER_OTHER 0xFFu /**< "a loader without an assigned id" */
#define LINUX_ENTRY64_OFFSET 0x200u      /**< the 64-bit entry's offset from the load address */
#define LINUX_DEFAULT_INITRD_MAX 0x37FFFFFFu /**< initrd_addr_max for protocols before 2.03 */
#define LINUX_OLD_LOAD_ADDRESS 0x100000u /**< where a kernel without pref_address goes (1 MiB) */
/**@}*/

/** @name The zero page (struct boot_params) beyond the setup header */
/**@{*/
#define LINUX_BP_SIZE 4096u              /**< one page */
#define LINUX_BP_ACPI_RSDP_ADDR 0x070    /**< u64: the ACPI RSDP's physical address (2.14+) */
#define LINUX_BP_EXT_RAMDISK_IMAGE 0x0C0 /**< u32: initrd address, high 32 bits */
#define LINUX_BP_EXT_RAMDISK_SIZE 0x0C4  /**< u32: initrd size, high 32 bits */
#define LINUX_BP_EXT_CMD_LINE_PTR 0x0C8  /**< u32: command line address, high 32 bits */
#define LINUX_BP_E820_ENTRIES 0x1E8      /**< u8: entries in the E820 table */
#define LINUX_BP_SENTINEL 0x1EF          /**< u8: a loader that copies the header must leave it 0 */
#define LINUX_BP_E820_TABLE 0x2D0        /**< the E820 table: entries of 20 bytes (u64 addr, u64 size, u32 type) */
#define LINUX_E820_ENTRY_SIZE 20u        /**< bytes per E820 entry */
#define LINUX_E820_MAX 128u              /**< entries the zero page holds */
/**@}*/

/** @name Descriptors the boot protocol's 32- and 64-bit entries need */
/**@{*/
#define LINUX_BOOT_CS 0x10u              /**< __BOOT_CS: flat execute/read code */
#define LINUX_BOOT_DS 0x18u              /**< __BOOT_DS: flat read/write data */
/**@}*/

#endif
