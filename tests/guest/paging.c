/**
 * @file tests/guest/paging.c
 * @brief PAE paging on and off (see paging.h).
 */
#include "paging.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)
#define TWO_MIB 0x200000ull

static u64 pdpt[4] __attribute__((aligned(32)));
static u64 page_dirs[4][512] __attribute__((aligned(4096)));

void paging_pae_on(u32 alias_la, u64 alias_pa)
{
    for (u32 i = 0; i < 4; i++) {
        for (u32 j = 0; j < 512; j++) {
            u64 pa = ((u64)i << 30) + (u64)j * TWO_MIB;
            page_dirs[i][j] = pa | PTE_P | PTE_RW | PTE_PS;
        }
        /* Only P: the other low bits of a PAE PDPTE are reserved. */
        pdpt[i] = (u32)&page_dirs[i][0] | PTE_P;
    }
    if (alias_la)
        page_dirs[alias_la >> 30][(alias_la >> 21) & 511] = alias_pa | PTE_P | PTE_RW | PTE_PS;
    write_cr4(read_cr4() | CR4_PAE);
    __asm__ volatile("mov %0, %%cr3" : : "r"((u32)pdpt) : "memory");
    write_cr0(read_cr0() | CR0_PG);
}

void paging_off(void)
{
    write_cr0(read_cr0() & ~CR0_PG);
    write_cr4(read_cr4() & ~CR4_PAE);
}

u64 paging_pdpte(u32 i)
{
    return ((volatile u64 *)pdpt)[i & 3];
}
