/**
 * @file common/loader/multiboot.c
 * @brief What the parts of the Multiboot module share: the boot magic and the
 *        names of its results (see common/loader/multiboot.h). The probe, the
 *        load plan and the boot information have files of their own
 *        (multiboot_probe.c, multiboot_plan.c, multiboot_info.c).
 */
#include "common/loader/multiboot.h"

u32 multiboot_boot_magic(enum multiboot_version v)
{
    switch (v) {
    case MULTIBOOT_V1: return MULTIBOOT1_BOOTLOADER_MAGIC;
    case MULTIBOOT_V2: return MULTIBOOT2_BOOTLOADER_MAGIC;
    default: return 0;
    }
}

const char *multiboot_error_name(int err)
{
    switch (err) {
    case MULTIBOOT_OK: return "MULTIBOOT_OK";
    case MULTIBOOT_ERR_ARG: return "MULTIBOOT_ERR_ARG";
    case MULTIBOOT_ERR_NO_HEADER: return "MULTIBOOT_ERR_NO_HEADER";
    case MULTIBOOT_ERR_BAD_CHECKSUM: return "MULTIBOOT_ERR_BAD_CHECKSUM";
    case MULTIBOOT_ERR_HEADER_TRUNCATED: return "MULTIBOOT_ERR_HEADER_TRUNCATED";
    case MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS: return "MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS";
    case MULTIBOOT_ERR_V2_ARCH: return "MULTIBOOT_ERR_V2_ARCH";
    case MULTIBOOT_ERR_V2_BAD_TAG: return "MULTIBOOT_ERR_V2_BAD_TAG";
    case MULTIBOOT_ERR_V2_UNSUPPORTED_TAG: return "MULTIBOOT_ERR_V2_UNSUPPORTED_TAG";
    case MULTIBOOT_ERR_V2_UNSUPPORTED_INFO: return "MULTIBOOT_ERR_V2_UNSUPPORTED_INFO";
    case MULTIBOOT_ERR_EFI_REQUIRED: return "MULTIBOOT_ERR_EFI_REQUIRED";
    case MULTIBOOT_ERR_NOT_ELF: return "MULTIBOOT_ERR_NOT_ELF";
    case MULTIBOOT_ERR_ELF_HEADER: return "MULTIBOOT_ERR_ELF_HEADER";
    case MULTIBOOT_ERR_ELF_PHDRS: return "MULTIBOOT_ERR_ELF_PHDRS";
    case MULTIBOOT_ERR_SEGMENT_FILE: return "MULTIBOOT_ERR_SEGMENT_FILE";
    case MULTIBOOT_ERR_SEGMENT_SIZE: return "MULTIBOOT_ERR_SEGMENT_SIZE";
    case MULTIBOOT_ERR_TOO_MANY_SEGMENTS: return "MULTIBOOT_ERR_TOO_MANY_SEGMENTS";
    case MULTIBOOT_ERR_NO_SEGMENTS: return "MULTIBOOT_ERR_NO_SEGMENTS";
    case MULTIBOOT_ERR_NOT_IN_RAM: return "MULTIBOOT_ERR_NOT_IN_RAM";
    case MULTIBOOT_ERR_OVERLAP: return "MULTIBOOT_ERR_OVERLAP";
    case MULTIBOOT_ERR_ABOVE_4G: return "MULTIBOOT_ERR_ABOVE_4G";
    case MULTIBOOT_ERR_AOUT_ADDRS: return "MULTIBOOT_ERR_AOUT_ADDRS";
    case MULTIBOOT_ERR_NO_ENTRY: return "MULTIBOOT_ERR_NO_ENTRY";
    case MULTIBOOT_ERR_ENTRY_OUTSIDE: return "MULTIBOOT_ERR_ENTRY_OUTSIDE";
    case MULTIBOOT_ERR_BUF_TOO_SMALL: return "MULTIBOOT_ERR_BUF_TOO_SMALL";
    case MULTIBOOT_ERR_V2_PREFERRED: return "MULTIBOOT_ERR_V2_PREFERRED";
    default: return "unknown";
    }
}
