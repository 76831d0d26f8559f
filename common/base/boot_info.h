/**
 * @file common/base/boot_info.h
 * @brief Parse the Multiboot2 boot information that GRUB hands to bookvisor.
 *
 * The information structure (Multiboot2 1.0, section 3.6) is:
 *
 *     u32 total_size    bytes, including these 8 and the end tag
 *     u32 reserved      0
 *     tags...           each { u32 type; u32 size; body }, each starting on
 *                       an 8-byte boundary; size excludes the padding
 *     end tag           { 0, 8 }
 *
 * The parser copies what bookvisor needs into a fixed-size struct. It never
 * reads past min(total_size, max_len): a tag whose size runs off the end, or
 * a string without its NUL, is an error rather than a guess. Pure logic:
 * strings and the RSDP copies are pointers into the caller's buffer, which
 * must therefore outlive the parsed struct.
 */
#ifndef BOOKVISOR_COMMON_BASE_BOOT_INFO_H
#define BOOKVISOR_COMMON_BASE_BOOT_INFO_H

#include "common/lib/types.h"

/** Value GRUB puts in EAX when it starts a Multiboot2 kernel. */
#define MB2_BOOTLOADER_MAGIC 0x36d76289u

/** Boot information tag types we know (Multiboot2 1.0, section 3.6). */
enum mb2_tag_type {
    MB2_TAG_END = 0, /**< last tag, size 8 */
    MB2_TAG_CMDLINE = 1, /**< NUL-terminated command line */
    MB2_TAG_LOADER_NAME = 2, /**< NUL-terminated boot loader name */
    MB2_TAG_MODULE = 3, /**< u32 mod_start, u32 mod_end, string */
    MB2_TAG_BASIC_MEMINFO = 4, /**< u32 mem_lower, u32 mem_upper (KiB) */
    MB2_TAG_BOOTDEV = 5, /**< BIOS boot device */
    MB2_TAG_MMAP = 6, /**< u32 entry_size, u32 entry_version, entries */
    MB2_TAG_VBE = 7, /**< VBE controller and mode info */
    MB2_TAG_FRAMEBUFFER = 8, /**< framebuffer address and geometry */
    MB2_TAG_ELF_SECTIONS = 9, /**< kernel ELF section headers */
    MB2_TAG_APM = 10, /**< APM table */
    MB2_TAG_EFI32 = 11, /**< EFI 32-bit system table pointer */
    MB2_TAG_EFI64 = 12, /**< EFI 64-bit system table pointer */
    MB2_TAG_SMBIOS = 13, /**< SMBIOS tables */
    MB2_TAG_ACPI_OLD = 14, /**< copy of the ACPI 1.0 RSDP */
    MB2_TAG_ACPI_NEW = 15, /**< copy of the ACPI 2.0+ RSDP (XSDP) */
    MB2_TAG_NETWORK = 16, /**< DHCP ACK */
    MB2_TAG_EFI_MMAP = 17, /**< EFI memory map */
    MB2_TAG_EFI_BS = 18, /**< EFI boot services not terminated */
    MB2_TAG_EFI32_IH = 19, /**< EFI 32-bit image handle */
    MB2_TAG_EFI64_IH = 20, /**< EFI 64-bit image handle */
    MB2_TAG_LOAD_BASE_ADDR = 21, /**< physical load base of a relocated image */
};

/** Memory map entry types shared by Multiboot v1 and Multiboot2. */
enum mb_mmap_type {
    MB_MMAP_AVAILABLE = 1, /**< usable RAM */
    MB_MMAP_RESERVED = 2, /**< do not touch */
    MB_MMAP_ACPI_RECLAIMABLE = 3, /**< ACPI tables, RAM once they are read */
    MB_MMAP_NVS = 4, /**< must be preserved across hibernation */
    MB_MMAP_BAD = 5, /**< defective RAM */
};

/** Framebuffer types of the framebuffer tag. */
enum mb_fb_type {
    MB_FB_INDEXED = 0, /**< palette colours */
    MB_FB_RGB = 1, /**< direct RGB; colour fields describe the layout */
    MB_FB_EGA_TEXT = 2 /**< EGA text mode; width/height in characters */
};

/** Most modules and memory-map entries the parsed struct can hold. */
#define BOOT_INFO_MAX_MODULES 16
#define BOOT_INFO_MAX_MMAP 128 /**< see BOOT_INFO_MAX_MODULES */

/** One boot module (a file GRUB loaded next to bookvisor). */
struct boot_module {
    u32 start; /**< physical address of the first byte */
    u32 end; /**< physical address one past the last byte */
    const char *cmdline; /**< NUL-terminated, inside the info buffer */
    size_t cmdline_len; /**< strlen(cmdline) */
};

/** One memory map entry. */
struct mb2_mmap_entry {
    u64 base; /**< physical start */
    u64 length; /**< bytes */
    u32 type; /**< enum mb_mmap_type (other values mean reserved) */
};

/** The fields of a framebuffer tag bookvisor may pass on to its guest. */
struct mb2_framebuffer {
    u64 addr; /**< physical address of the framebuffer */
    u32 pitch; /**< bytes per line */
    u32 width; /**< pixels (characters for EGA text) */
    u32 height; /**< pixels (characters for EGA text) */
    u8 bpp; /**< bits per pixel */
    u8 type; /**< enum mb_fb_type */
    /** For MB_FB_RGB: red position, red size, green position, green size,
     *  blue position, blue size; zero otherwise. */
    u8 rgb[6];
};

/** What bookvisor keeps from its own Multiboot2 boot information. */
struct boot_info {
    u32 total_size; /**< total_size field of the structure */

    const char *cmdline; /**< kernel command line, or NULL */
    size_t cmdline_len; /**< its strlen */
    const char *loader_name; /**< boot loader name, or NULL */
    size_t loader_name_len; /**< its strlen */

    u32 module_count; /**< modules found */
    struct boot_module modules[BOOT_INFO_MAX_MODULES]; /**< in tag order */

    u32 mmap_count; /**< entries found */
    struct mb2_mmap_entry mmap[BOOT_INFO_MAX_MMAP]; /**< in tag order */

    bool has_meminfo; /**< basic meminfo tag present */
    u32 mem_lower; /**< KiB of RAM from 0 (at most 640) */
    u32 mem_upper; /**< KiB of RAM from 1 MiB to the first hole */

    const u8 *rsdp_old; /**< copy of the ACPI 1.0 RSDP (tag 14), or NULL */
    size_t rsdp_old_len; /**< bytes at rsdp_old (at least 20) */
    const u8 *rsdp_new; /**< copy of the ACPI 2.0+ RSDP (tag 15), or NULL */
    size_t rsdp_new_len; /**< bytes at rsdp_new (at least 36) */

    bool has_framebuffer; /**< framebuffer tag present */
    struct mb2_framebuffer framebuffer; /**< its decoded fields */

    bool has_load_base; /**< tag 21 present (GRUB relocated bookvisor) */
    u32 load_base_addr; /**< physical load base from tag 21 */

    size_t error_offset; /**< on a tag error: byte offset of the bad tag */
};

/** Results of boot_info_parse(); 0 is success, errors are negative. */
enum boot_info_error {
    BOOT_INFO_OK = 0, /**< parsed */
    BOOT_INFO_ERR_NULL = -1, /**< NULL pointer argument */
    BOOT_INFO_ERR_MISALIGNED = -2, /**< structure not 8-byte aligned */
    BOOT_INFO_ERR_TRUNCATED = -3, /**< total_size larger than max_len */
    BOOT_INFO_ERR_TOTAL_SIZE = -4, /**< total_size too small to hold a tag */
    BOOT_INFO_ERR_TAG_SIZE = -5, /**< tag size too small or past the end */
    BOOT_INFO_ERR_NO_END_TAG = -6, /**< ran out of bytes before tag 0 */
    BOOT_INFO_ERR_STRING = -7, /**< string not NUL-terminated in its tag */
    BOOT_INFO_ERR_TOO_MANY_MODULES = -8, /**< more than BOOT_INFO_MAX_MODULES */
    BOOT_INFO_ERR_TOO_MANY_MMAP = -9, /**< more than BOOT_INFO_MAX_MMAP entries */
    BOOT_INFO_ERR_MMAP_ENTRY_SIZE = -10, /**< mmap entry_size below 24 */
};

/**
 * Parse a Multiboot2 boot information structure.
 *
 * @param mbi      start of the structure (the EBX GRUB passed), 8-byte aligned
 * @param max_len  bytes the caller can vouch for at mbi; nothing at or past
 *                 min(max_len, total_size) is read
 * @param out      filled on success; on failure contents are unspecified,
 *                 except error_offset for tag errors
 * @return BOOT_INFO_OK or a negative enum boot_info_error
 */
int boot_info_parse(const void *mbi, size_t max_len, struct boot_info *out);

/** Short constant name of an boot_info_parse() result ("unknown" if none). */
const char *boot_info_error_name(int err);

/**
 * The first module, which bookvisor treats as the guest kernel.
 * @return &info->modules[0], or NULL when GRUB loaded no module.
 */
const struct boot_module *boot_info_guest_kernel(const struct boot_info *info);

#endif
