/*
 * arch/x86/relocate.c - the image moves itself out of the guest's way.
 *
 * GRUB loads bookvisor at 2 MiB, right where guests want to live. Because
 * everything after the 32-bit entry is linked at KERNEL_VBASE, moving is a
 * copy plus a new page-table window; no pointer needs fixing.
 */
#include "arch/x86/relocate.h"
#include "arch/x86/boot_defs.h"
#include "common/lib/kstring.h"
#include "arch/x86/phys.h"

extern char __kernel_vend[];
void relocate_switch(u64 dst, u64 src, u64 len, u64 cr3);

u64 relocate_image_size(void)
{
    return (u64)(uintptr_t)__kernel_vend - KERNEL_VBASE - BOOT_PHYS;
}

u64 relocate_load_base(void)
{
    return BOOT_PHYS;
}

u64 relocate_tables_size(u64 identity_limit)
{
    u64 gibs = ALIGN_UP(identity_limit, GIB) / GIB;
    /* PML4 + low PDPT + one PD per GiB + high PDPT + high PD */
    return (4 + gibs) * 4096;
}

u64 relocate_image(u64 new_base, u64 tables_pa, u64 identity_limit)
{
    u64 gibs = ALIGN_UP(identity_limit, GIB) / GIB;
    u64 *pml4 = phys_to_virt(tables_pa);
    u64 *pdpt_low = phys_to_virt(tables_pa + 4096);
    u64 *pdpt_high = phys_to_virt(tables_pa + 2 * 4096);
    u64 *pd_high = phys_to_virt(tables_pa + 3 * 4096);
    u64 pd_base = tables_pa + 4 * 4096;
    u64 flags = PTE_P | PTE_W;

    memset(pml4, 0, relocate_tables_size(identity_limit));
    for (u64 g = 0; g < gibs && g < 512; g++) {
        u64 *pd = phys_to_virt(pd_base + g * 4096);
        for (u64 i = 0; i < 512; i++)
            pd[i] = (g * GIB + i * 2 * MIB) | flags | PTE_PS;
        pdpt_low[g] = (pd_base + g * 4096) | flags;
    }
    /* Window: KERNEL_VBASE + BOOT_PHYS + x -> new_base + x. */
    u64 size = relocate_image_size();
    u64 first = BOOT_PHYS / (2 * MIB);
    for (u64 i = 0; i * 2 * MIB < size; i++)
        pd_high[first + i] = (new_base + i * 2 * MIB) | flags | PTE_PS;
    pdpt_high[510] = virt_to_phys(pd_high) | flags;
    pml4[0] = virt_to_phys(pdpt_low) | flags;
    pml4[511] = virt_to_phys(pdpt_high) | flags;

    relocate_switch(new_base, BOOT_PHYS, size, tables_pa);
    kernel_phys_base = new_base;
    return relocate_tables_size(identity_limit);
}
