/**
 * @file common/loader/multiboot_internal.h
 * @brief What the files of the Multiboot module share among themselves
 *        (private to common/loader: no other folder includes it; pure).
 *
 * The module (common/loader/multiboot.h) is split by job: multiboot_probe.c
 * finds and checks the kernel's header, multiboot_plan.c plans where its
 * parts go, multiboot_info.c writes the boot information, and multiboot.c
 * holds the boot magic and the result names.
 */
#ifndef BOOKVISOR_COMMON_LOADER_MULTIBOOT_INTERNAL_H
#define BOOKVISOR_COMMON_LOADER_MULTIBOOT_INTERNAL_H

#include "common/base/boot_info.h" /* MB2_TAG_* */
#include "common/lib/types.h"
#include "common/loader/elf.h"

/** The first address a 32-bit kernel cannot reach: everything it is given lies below. */
#define MULTIBOOT_FOUR_GIB (1ULL << 32)

/**
 * The Multiboot2 information tag types multiboot_build_info() writes, as a
 * mask (bit n for type n). multiboot_probe() refuses a kernel that requires
 * any other, so the two must change together.
 */
#define MULTIBOOT2_INFO_TAGS_GIVEN \
    ((1u << MB2_TAG_END) | (1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) | \
     (1u << MB2_TAG_MODULE) | (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_MMAP) | \
     (1u << MB2_TAG_FRAMEBUFFER) | (1u << MB2_TAG_ACPI_OLD) | (1u << MB2_TAG_ACPI_NEW) | \
     (1u << MB2_TAG_LOAD_BASE_ADDR))

/** Whether the image starts with the ELF magic (len bytes at image). */
static inline bool multiboot_has_elf_magic(const u8 *image, size_t len)
{
    return len >= 4 && image[0] == ELF_MAG0 && image[1] == ELF_MAG1 && image[2] == ELF_MAG2 &&
        image[3] == ELF_MAG3;
}

#endif
