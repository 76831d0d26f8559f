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

/** Read 1, 2, 4 or 8 bytes of physical memory (device memory too) at one access of that width. */
static inline u64 phys_read(u64 pa, u8 size)
{
    volatile void *p = phys_to_virt(pa);
    switch (size) {
    case 1: return *(volatile u8 *)p;
    case 2: return *(volatile u16 *)p;
    case 4: return *(volatile u32 *)p;
    default: return *(volatile u64 *)p;
    }
}

/** Write 1, 2, 4 or 8 bytes of physical memory (device memory too) at one access of that width. */
static inline void phys_write(u64 pa, u8 size, u64 value)
{
    volatile void *p = phys_to_virt(pa);
    switch (size) {
    case 1: *(volatile u8 *)p = (u8)value; break;
    case 2: *(volatile u16 *)p = (u16)value; break;
    case 4: *(volatile u32 *)p = (u32)value; break;
    default: *(volatile u64 *)p = value; break;
    }
}

#endif
