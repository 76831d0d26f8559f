/**
 * @file common/loader/multiboot.h
 * @brief Loading a Multiboot (v1 0.6.96) or Multiboot2 (1.0) guest kernel:
 *        header probe, load plan, and the guest's boot information.
 *
 * bookvisor plays boot loader for its guest. This module is the protocol;
 * the two loaders of common/loader/multiboot_loader.c use it:
 *  1. multiboot_probe_version() finds and checks the kernel's header
 *     (multiboot_probe.c),
 *  2. multiboot_plan() gives the list of byte ranges to copy and zero (it
 *     never points outside the image or outside the RAM regions it was given;
 *     multiboot_plan.c),
 *  3. the loader copies them into guest RAM,
 *  4. multiboot_build_info() writes the boot information for the chosen
 *     guest-physical address (after the kernel and its modules;
 *     multiboot_info.c), and
 *  5. the vCPU starts in the machine state below (vcpu_state_protected32()),
 *     EAX from multiboot_boot_magic() (multiboot.c, with the result names).
 *
 * Machine state at the kernel's entry, the same for both versions
 * (Multiboot 0.6.96 section 3.2; Multiboot2 1.0 section 3.3, i386):
 *  - EAX = MULTIBOOT1_BOOTLOADER_MAGIC (0x2BADB002) or
 *          MULTIBOOT2_BOOTLOADER_MAGIC (0x36d76289);
 *  - EBX = 32-bit physical address of the boot information;
 *  - CS  = 32-bit read/execute code segment, base 0, limit 0xFFFFFFFF
 *          (selector value undefined);
 *  - DS, ES, FS, GS, SS = 32-bit read/write data segments, base 0,
 *          limit 0xFFFFFFFF (selector values undefined);
 *  - A20 gate enabled;
 *  - CR0: PG clear, PE set; other bits undefined;
 *  - EFLAGS: VM (bit 17) clear, IF (bit 9) clear; other bits undefined;
 *  - ESP, GDTR, IDTR undefined: the kernel sets up its own stack and tables
 *    before loading segments or enabling interrupts;
 *  - EIP = the plan's entry point; other registers undefined.
 */
#ifndef BOOKVISOR_COMMON_LOADER_MULTIBOOT_H
#define BOOKVISOR_COMMON_LOADER_MULTIBOOT_H

#include "common/lib/types.h"
#include "common/base/boot_info.h" /* enum mb_mmap_type, enum mb_fb_type */
#include "common/base/vmm_layout.h" /* struct phys_range: the guest memory map */

/** Magic of a Multiboot v1 header in the kernel image. */
#define MULTIBOOT1_HEADER_MAGIC 0x1BADB002u
/** Value for EAX when starting a Multiboot v1 kernel. */
#define MULTIBOOT1_BOOTLOADER_MAGIC 0x2BADB002u
/** Magic of a Multiboot2 header in the kernel image. */
#define MULTIBOOT2_HEADER_MAGIC 0xE85250D6u
/** Value for EAX when starting a Multiboot2 kernel. */
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289u
/** The v1 header must lie in the first 8 KiB, 4-byte aligned. */
#define MULTIBOOT1_SEARCH_BYTES 8192u
/** The v2 header must lie in the first 32 KiB, 8-byte aligned. */
#define MULTIBOOT2_SEARCH_BYTES 32768u

/** Multiboot v1 header flag bits. Bits 0-15 are requirements. */
enum multiboot1_header_flag {
    MULTIBOOT1_PAGE_ALIGN = 1u << 0, /**< modules on 4 KiB boundaries */
    MULTIBOOT1_MEMORY_INFO = 1u << 1, /**< mem_* (and mmap) must be given */
    MULTIBOOT1_VIDEO_MODE = 1u << 2, /**< video mode table / fields wanted */
    MULTIBOOT1_AOUT_KLUDGE = 1u << 16, /**< address fields are valid, use them */
};

/** Multiboot v1 boot information flag bits bookvisor may set. */
enum multiboot1_info_flag {
    MULTIBOOT1_INFO_MEMORY = 1u << 0, /**< mem_lower, mem_upper */
    MULTIBOOT1_INFO_BOOTDEV = 1u << 1, /**< boot_device (never set) */
    MULTIBOOT1_INFO_CMDLINE = 1u << 2, /**< cmdline */
    MULTIBOOT1_INFO_MODS = 1u << 3, /**< mods_count, mods_addr */
    MULTIBOOT1_INFO_MMAP = 1u << 6, /**< mmap_length, mmap_addr */
    MULTIBOOT1_INFO_LOADER_NAME = 1u << 9, /**< boot_loader_name */
    MULTIBOOT1_INFO_FRAMEBUFFER = 1u << 12, /**< framebuffer_* fields */
};

/** Multiboot2 header tag types (Multiboot2 1.0 section 3.1). */
enum multiboot2_header_tag {
    MULTIBOOT2_HTAG_END = 0, /**< last tag */
    MULTIBOOT2_HTAG_INFO_REQUEST = 1, /**< u32 list of wanted info tag types */
    MULTIBOOT2_HTAG_ADDRESS = 2, /**< a.out-style load addresses */
    MULTIBOOT2_HTAG_ENTRY = 3, /**< i386 entry address */
    MULTIBOOT2_HTAG_CONSOLE = 4, /**< console flags */
    MULTIBOOT2_HTAG_FRAMEBUFFER = 5, /**< preferred width, height, depth */
    MULTIBOOT2_HTAG_MODULE_ALIGN = 6, /**< page-align modules */
    MULTIBOOT2_HTAG_EFI_BS = 7, /**< keep EFI boot services running */
    MULTIBOOT2_HTAG_EFI32_ENTRY = 8, /**< entry for EFI i386 */
    MULTIBOOT2_HTAG_EFI64_ENTRY = 9, /**< entry for EFI amd64 */
    MULTIBOOT2_HTAG_RELOCATABLE = 10, /**< image may be loaded elsewhere */
};

/** Which Multiboot specification a kernel image follows. */
enum multiboot_version {
    MULTIBOOT_NONE = 0, /**< no usable header */
    MULTIBOOT_V1 = 1, /**< Multiboot 0.6.96 */
    MULTIBOOT_V2 = 2, /**< Multiboot2 1.0 */
};

/** What a kernel image's header says, as found by multiboot_probe(). */
struct multiboot_image {
    enum multiboot_version version; /**< which header was chosen */
    u32 header_offset; /**< file offset of the header's magic */
    bool is_elf; /**< file starts with the ELF magic */

    u32 v1_flags; /**< v1: raw flags word (enum multiboot1_header_flag) */

    /** Load addresses: v1 flag 16 or v2 address tag. Physical addresses. */
    bool has_address;
    u32 header_addr; /**< where the header's first byte goes */
    u32 load_addr; /**< where loading starts (v2: ~0 = file start) */
    u32 load_end_addr; /**< end of the bytes to load; 0 = end of file */
    u32 bss_end_addr; /**< end of the zeroed area; 0 = no bss */
    bool has_entry; /**< v1 flag 16 or v2 entry tag */
    u32 entry_addr; /**< physical entry point */

    bool page_align_modules; /**< v1 flag 0 or v2 module alignment tag */
    bool wants_meminfo; /**< v1 flag 1 */
    /** Video mode preference: v1 flag 2 or v2 framebuffer tag. bookvisor
     *  cannot switch modes; it passes on the current mode if it knows it. */
    bool wants_video;
    u32 video_mode_type; /**< v1 only: 0 linear graphics, 1 EGA text */
    u32 video_width; /**< preferred width, 0 = no preference */
    u32 video_height; /**< preferred height, 0 = no preference */
    u32 video_depth; /**< preferred bits per pixel, 0 = none (text) */

    /** v2 information request: bit n set = info tag type n asked for
     *  (types >= 32 are not recorded; required ones we cannot give fail). */
    u32 info_required_mask;
    u32 info_optional_mask; /**< same for requests marked optional */
    bool has_console_flags; /**< v2 console flags tag present */
    u32 console_flags; /**< bit 0 console required, bit 1 EGA text ok */
    bool has_relocatable; /**< v2 relocatable tag present (we load at the
                     link address, which the tag permits) */
    u32 reloc_min_addr; /**< lowest allowed load address */
    u32 reloc_max_addr; /**< highest allowed end address */
    u32 reloc_align; /**< load alignment */
    u32 reloc_preference; /**< 0 none, 1 lowest, 2 highest */
    bool has_efi_entry; /**< v2 EFI i386/amd64 entry tag (ignored: used
                     only with EFI boot services, which we refuse) */
};

/** Most segments a load plan holds. */
#define MULTIBOOT_MAX_SEGMENTS 16

/** One piece of the kernel to place in guest memory. */
struct multiboot_segment {
    u64 file_offset; /**< first byte in the image */
    u64 file_size; /**< bytes to copy from the image */
    u64 dest; /**< guest-physical destination */
    u64 mem_size; /**< bytes at dest; [file_size, mem_size) are zeroed */
};

/** How to load a kernel: copy and zero every segment, then jump to entry. */
struct multiboot_plan {
    u32 segment_count; /**< used entries */
    struct multiboot_segment segments[MULTIBOOT_MAX_SEGMENTS]; /**< in file order */
    u32 entry; /**< guest-physical EIP */
    u64 load_base; /**< lowest destination byte */
    u64 load_end; /**< one past the highest destination byte */
    u64 error_addr; /**< on MULTIBOOT_ERR_NOT_IN_RAM etc.: the bad address */
};

/** One module to describe in the guest's boot information. */
struct multiboot_module {
    u64 start; /**< guest-physical first byte */
    u64 end; /**< guest-physical byte after the last */
    const char *cmdline; /**< its arguments, NUL-terminated, NULL = "" */
    const char *name; /**< first word of its string, before the arguments; NULL = none */
};

/** The current display mode, passed through to the guest if known. */
struct multiboot_framebuffer {
    u64 addr; /**< physical address */
    u32 pitch; /**< bytes per line */
    u32 width; /**< pixels, or characters for EGA text */
    u32 height; /**< pixels, or characters for EGA text */
    u8 bpp; /**< bits per pixel */
    u8 type; /**< enum mb_fb_type: only RGB (1) and EGA text (2) are passed */
    u8 rgb[6]; /**< RGB: red pos, red size, green pos/size, blue pos/size */
};

/**
 * Everything multiboot_build_info() puts in the guest's boot information.
 *
 * A command line (the kernel's, and each module's string) is written as
 * GRUB Legacy writes one: the image name, one blank, the arguments; without
 * a name, the arguments alone (as GRUB 2 does).
 */
struct multiboot_info_input {
    const char *cmdline; /**< the guest kernel's arguments, NULL = none */
    const char *image_name; /**< first word of the kernel command line, NULL = none */
    const char *loader_name; /**< e.g. "bookvisor", NULL = none */
    /** Guest memory map; the caller leaves out (marks reserved) VMM memory. */
    const struct phys_range *mmap;
    u32 mmap_count; /**< entries in mmap */
    const struct multiboot_module *modules; /**< NULL when module_count is 0 */
    u32 module_count; /**< modules to describe */
    const u8 *rsdp_old; /**< ACPI 1.0 RSDP bytes (v2 tag 14), NULL = none */
    u32 rsdp_old_len; /**< bytes at rsdp_old */
    const u8 *rsdp_new; /**< ACPI 2.0+ RSDP bytes (v2 tag 15), NULL = none */
    u32 rsdp_new_len; /**< bytes at rsdp_new */
    const struct multiboot_framebuffer *framebuffer; /**< NULL = unknown */
    bool has_load_base; /**< v2: emit tag 21 (for relocatable images) */
    u32 load_base_addr; /**< value for tag 21 */
};

/** Results of the multiboot functions; 0 is success, errors are negative. */
enum multiboot_error {
    MULTIBOOT_OK = 0, /**< done */
    MULTIBOOT_ERR_ARG = -1, /**< NULL or inconsistent argument */
    MULTIBOOT_ERR_NO_HEADER = -2, /**< no magic in the search window */
    MULTIBOOT_ERR_BAD_CHECKSUM = -3, /**< magic found, checksum wrong */
    MULTIBOOT_ERR_HEADER_TRUNCATED = -4, /**< header runs past image or window */
    MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS = -5, /**< unknown required v1 flag (3-15) */
    MULTIBOOT_ERR_V2_ARCH = -6, /**< v2 architecture is not i386 (0) */
    MULTIBOOT_ERR_V2_BAD_TAG = -7, /**< malformed v2 header tag */
    MULTIBOOT_ERR_V2_UNSUPPORTED_TAG = -8, /**< unknown non-optional v2 tag */
    MULTIBOOT_ERR_V2_UNSUPPORTED_INFO = -9, /**< required info tag we cannot give */
    MULTIBOOT_ERR_EFI_REQUIRED = -10, /**< kernel needs EFI boot services */
    MULTIBOOT_ERR_NOT_ELF = -11, /**< no address fields and not ELF */
    MULTIBOOT_ERR_ELF_HEADER = -12, /**< ELF header invalid or not x86 */
    MULTIBOOT_ERR_ELF_PHDRS = -13, /**< program headers past the image */
    MULTIBOOT_ERR_SEGMENT_FILE = -14, /**< segment bytes past the image */
    MULTIBOOT_ERR_SEGMENT_SIZE = -15, /**< filesz > memsz, or wraps */
    MULTIBOOT_ERR_TOO_MANY_SEGMENTS = -16, /**< more than MULTIBOOT_MAX_SEGMENTS */
    MULTIBOOT_ERR_NO_SEGMENTS = -17, /**< nothing to load */
    MULTIBOOT_ERR_NOT_IN_RAM = -18, /**< destination outside guest RAM */
    MULTIBOOT_ERR_OVERLAP = -19, /**< two segments share bytes */
    MULTIBOOT_ERR_ABOVE_4G = -20, /**< address not reachable in 32-bit */
    MULTIBOOT_ERR_AOUT_ADDRS = -21, /**< inconsistent address fields */
    MULTIBOOT_ERR_NO_ENTRY = -22, /**< no entry point given */
    MULTIBOOT_ERR_ENTRY_OUTSIDE = -23, /**< entry not in a loaded segment */
    MULTIBOOT_ERR_BUF_TOO_SMALL = -24, /**< info buffer too small (*used tells) */
    MULTIBOOT_ERR_V2_PREFERRED = -25, /**< a usable v2 header is there too, and wins */
};

/**
 * Find and check the Multiboot header of a kernel image.
 *
 * v2 headers are looked for first (8-byte aligned, first 32 KiB), then v1
 * (4-byte aligned, first 8 KiB); a v1 header is used when the v2 header is
 * absent or asks for something bookvisor cannot do. Refused: unknown
 * required v1 flags (bits 3-15), v2 architectures other than i386,
 * non-optional v2 tags we do not understand, a non-optional EFI boot
 * services tag, and non-optional information requests for tags that
 * multiboot_build_info() never produces. Video requests are accepted: the
 * current mode is described if the caller knows it (both specs allow that).
 *
 * @param image kernel image bytes
 * @param len   bytes in image
 * @param out   filled on success
 * @return MULTIBOOT_OK or a negative enum multiboot_error
 */
int multiboot_probe(const u8 *image, size_t len, struct multiboot_image *out);

/**
 * Find and check the header of one version only (the two loaders of
 * common/loader/multiboot_loader.c each ask for theirs). Same checks as
 * multiboot_probe(), without the choice between versions.
 *
 * @param image kernel image bytes
 * @param len   bytes in image
 * @param v     MULTIBOOT_V1 or MULTIBOOT_V2
 * @param out   filled on success
 * @return MULTIBOOT_OK or a negative enum multiboot_error
 */
int multiboot_probe_version(const u8 *image, size_t len, enum multiboot_version v,
                            struct multiboot_image *out);

/**
 * Plan how to load a probed kernel.
 *
 * ELF images (ELF32 or ELF64, x86, ET_EXEC) are loaded by their PT_LOAD
 * program headers at p_paddr, unless the header carries address fields (v1
 * flag 16, v2 address tag), which then win, as the specs say. The ELF entry
 * point e_entry is a virtual address; it is translated to physical through
 * the PT_LOAD segment containing it (a v2 entry tag overrides it).
 * Every destination must lie in available RAM regions and below 4 GiB; every
 * file range must lie in the image.
 *
 * @param image kernel image bytes
 * @param len   bytes in image
 * @param hdr   result of multiboot_probe() on the same image
 * @param ram   guest memory regions (only MB_MMAP_AVAILABLE ones count)
 * @param nram  entries in ram
 * @param out   filled on success; out->error_addr names the bad address
 *              for MULTIBOOT_ERR_NOT_IN_RAM, _ABOVE_4G, _OVERLAP and
 *              _ENTRY_OUTSIDE
 * @return MULTIBOOT_OK or a negative enum multiboot_error
 */
int multiboot_plan(const u8 *image, size_t len, const struct multiboot_image *hdr,
                   const struct phys_range *ram, size_t nram, struct multiboot_plan *out);

/**
 * Build the guest's boot information into buf, laid out to be copied to
 * guest-physical address base_gpa (all internal pointers are computed from
 * it).
 *
 * v1: struct multiboot_info (116 bytes) with flags MEMORY (mem_lower and
 * mem_upper from the memory map), CMDLINE, MODS (always; count may be 0),
 * MMAP (each 24-byte entry led by its size field, 20), LOADER_NAME and
 * FRAMEBUFFER when given; then the mmap, module list and strings.
 * v2: total_size, reserved, then tags 1 (cmdline), 2 (loader name),
 * 3 (modules), 4 (basic meminfo), 6 (mmap, entry_size 24, version 0),
 * 8 (framebuffer), 14/15 (RSDP copies), 21 (load base), 0 (end), each
 * 8-byte aligned.
 *
 * @param v         MULTIBOOT_V1 or MULTIBOOT_V2
 * @param in        what to describe
 * @param base_gpa  8-byte aligned guest-physical address of the result;
 *                  the whole result must end below 4 GiB
 * @param buf       output buffer (may be NULL when buf_size is 0)
 * @param buf_size  bytes in buf
 * @param used      set to the bytes needed, also on MULTIBOOT_ERR_BUF_TOO_SMALL
 * @return MULTIBOOT_OK or a negative enum multiboot_error
 */
int multiboot_build_info(enum multiboot_version v, const struct multiboot_info_input *in,
                         u64 base_gpa, u8 *buf, size_t buf_size, size_t *used);

/** The EAX value for starting a kernel of version v (0 for MULTIBOOT_NONE). */
u32 multiboot_boot_magic(enum multiboot_version v);

/** Short constant name of a multiboot result ("unknown" if none). */
const char *multiboot_error_name(int err);

#endif
