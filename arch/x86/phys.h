/**
 * @file arch/x86/phys.h
 * @brief Physical memory as seen by the VMM (VMM only).
 *
 * bookvisor identity-maps physical memory (2 MiB pages), so a physical
 * address below the mapped limit is also a valid pointer. Its own image is
 * linked at KERNEL_VBASE and lives at kernel_phys_base after relocation.
 */
#ifndef BOOKVISOR_ARCH_X86_PHYS_H
#define BOOKVISOR_ARCH_X86_PHYS_H

#include "arch/x86/boot_defs.h"
#include "common/lib/types.h"

/** Physical address where the image (linked at KERNEL_VBASE + BOOT_PHYS) lives now. */
extern u64 kernel_phys_base;

/** Pointer to physical address pa through the identity map. */
static inline void *phys_to_virt(u64 pa)
{
    /* Hide the value from the optimiser: low constant addresses are valid here. */
    __asm__("" : "+r"(pa));
    return (void *)(uintptr_t)pa;
}

/** Physical address of a pointer, whether in the image or the identity map. */
static inline u64 virt_to_phys(const void *p)
{
    u64 v = (u64)(uintptr_t)p;
    if (v >= KERNEL_VBASE)
        return v - KERNEL_VBASE - BOOT_PHYS + kernel_phys_base;
    return v;
}

#endif
