/**
 * @file arch/x86/relocate.h
 * @brief Moving bookvisor from where GRUB loaded it to the top of RAM.
 */
#ifndef BOOKVISOR_ARCH_X86_RELOCATE_H
#define BOOKVISOR_ARCH_X86_RELOCATE_H

#include "common/lib/types.h"

/** Bytes of the image (code, data, bss) from its first to its last byte. */
u64 relocate_image_size(void);

/** Physical address of the image as it was loaded (BOOT_PHYS). */
u64 relocate_load_base(void);

/**
 * Copy the image to new_base (2 MiB aligned), build bookvisor's final page
 * tables at tables_pa (identity map of [0, identity_limit) with 2 MiB pages
 * plus the image window), and switch to them. Execution continues at the
 * same virtual addresses, now backed by the copy.
 * @return bytes of page tables used at tables_pa.
 */
u64 relocate_image(u64 new_base, u64 tables_pa, u64 identity_limit);

/** Bytes of page tables relocate_image() needs for identity_limit. */
u64 relocate_tables_size(u64 identity_limit);

#endif
