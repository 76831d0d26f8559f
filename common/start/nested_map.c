/*
 * common/start/nested_map.c - the guest's nested map, described but empty
 * (chapters 02 and 05).
 */
#include "common/start/nested_map.h"
#include "arch/x86/cpu.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "common/npt/mtrr_read.h"
#include "common/start/guest_boot.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"

#define TABLE_POOL_ORDER 10 /* 4 MiB of nested-table pages */
/* The fewest pages test.npt_pool may leave: one path root to leaf (PML4,
 * PDPT, PD, page table), so that any single page can always be mapped. */
#define TABLE_POOL_MIN 4

/* How many of the pool's pages the tables may use: all, or test.npt_pool's
 * number (brought into range with a word), to make reclaim run. */
static u32 table_pool_pages(void)
{
    u64 want = vmm_options.test_npt_pool;
    u32 all = 1u << TABLE_POOL_ORDER;

    if (want == 0)
        return all;
    if (want < TABLE_POOL_MIN || want > all) {
        u32 used = want < TABLE_POOL_MIN ? TABLE_POOL_MIN : all;

        kprintf("bookvisor: test.npt_pool=%llu is not in [%u, %u]; using %u\n",
                (unsigned long long)want, TABLE_POOL_MIN, all, used);
        return used;
    }
    kprintf("bookvisor: nested tables: %llu of %u pool pages (test.npt_pool)\n",
            (unsigned long long)want, all);
    return (u32)want;
}

static u8 cpu_maxphyaddr(void)
{
    if (cpuid(0x80000000, 0).eax >= 0x80000008)
        return cpuid(0x80000008, 0).eax & 0xFF;
    return 36;
}

void nested_map_build(struct guest_vm *vm, const struct backend_ops *b, const struct phys_range *map,
                      size_t n)
{
    struct mtrr_state mtrr;
    mtrr_read_host(&mtrr);
    /* Guest MTRR writes are checked against these (common/exits/exit_handlers.c). */
    mtrr_host_cap(&vm->mtrr_cap);
    vm->maxphyaddr = cpu_maxphyaddr();

    u32 flags = vmm_options.npt_4k_only ? NPT_FORCE_4K : 0;
    if (b->nested_1g_pages && b->nested_1g_pages())
        flags |= NPT_ALLOW_1G;
    npt_layout_init(&vm->layout, &mtrr, flags);
    u64 top = 4 * GIB;
    for (size_t i = 0; i < n; i++)
        if (map[i].base + map[i].length > top)
            top = map[i].base + map[i].length;
    /* Everything is pass-through device memory except RAM and the VMM. */
    if (npt_layout_set(&vm->layout, 0, ALIGN_UP(top, 2 * MIB), NPT_KIND_MMIO) != NPT_OK)
        guest_boot_fail("nested layout");
    for (size_t i = 0; i < n; i++)
        if (map[i].type == 1 &&
            npt_layout_set(&vm->layout, map[i].base, map[i].length, NPT_KIND_RAM) != NPT_OK)
            guest_boot_fail("nested layout: too many RAM ranges");
    if (npt_layout_set(&vm->layout, vm->vmm_base, vm->vmm_size, NPT_KIND_VMM_PRIVATE) != NPT_OK)
        guest_boot_fail("nested layout: VMM range");

    u64 pool_pa = mem_alloc_pages(TABLE_POOL_ORDER);
    npt_pool_init(&vm->pool, phys_to_virt(pool_pa), pool_pa, table_pool_pages());
    struct npt_mem mem = npt_pool_mem(&vm->pool);
    if (npt_init(&vm->map, b->nested_format, &mem) != NPT_OK)
        guest_boot_fail("no memory for the nested page table root");
    /* Mapping is lazy: each first touch is a nested page fault that maps the
     * largest page the rules allow (chapter 05 counts them). */
}
