/*
 * common/loader/loaders.c - the loader table. Order: the first loader
 * whose probe accepts a module loads it. The Multiboot loaders exclude
 * each other (a kernel with both headers is Multiboot2's), so their order
 * only decides the order of the answers in a refusal. Linux comes after
 * them: its probe wants the boot sector signature and "HdrS", which no
 * Multiboot kernel has. BIOS chain boot is not in the table: it loads no
 * module, the option boot= chooses it (common/loader/bios_boot.h).
 */
#include "common/loader/loaders.h"
#include "common/loader/linux_loader.h"
#include "common/loader/multiboot_loader.h"

const struct guest_loader *const guest_loaders[] = {
    &multiboot1_loader,
    &multiboot2_loader,
    &linux_loader,
};

const size_t guest_loader_count = ARRAY_SIZE(guest_loaders);
