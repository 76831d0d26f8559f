/*
 * Unit tests for the hook tables (common/vm/hooks.c): the I/O hook an access
 * reaches, and MMIO hooks over a real nested map
 * in host memory: page-by-page hooking remembers what each page was, overlaps
 * and VMM memory are refused, and a registration that fails half-way leaves
 * nothing hooked.
 *
 * unit-sources: common/vm/hooks.c common/npt/npt.c common/npt/npt_format.c common/npt/npt_pool.c common/npt/mtrr.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "tests/unit/unit_main.h"

#define FAKE_PA 0x100000000000ULL
#define MiB (1ULL << 20)
#define KiB4 4096ULL

static struct guest_vm vm;
static void *arena;
static struct npt_mem mem;

static enum exit_action io_fn(void *ctx, struct vcpu *v, u16 port, u8 size, bool write, u32 *value)
{
    (void)ctx; (void)v; (void)port; (void)size; (void)write; (void)value;
    return EXIT_SKIP;
}

static enum exit_action hook_fn(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                u64 *value)
{
    (void)ctx; (void)v; (void)gpa; (void)size; (void)write; (void)value;
    return EXIT_SKIP;
}

/* RAM below 16 MiB, MMIO from 16 to 32 MiB, VMM memory from 32 to 34 MiB. */
static void setup(void)
{
    struct mtrr_state st;
    memset(&vm, 0, sizeof(vm));
    arena = aligned_alloc(4096, 64 * 4096);
    ck_assert_ptr_nonnull(arena);
    npt_pool_init(&vm.pool, arena, FAKE_PA, 64);
    mem = npt_pool_mem(&vm.pool);
    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    npt_layout_init(&vm.layout, &st, 0);
    ck_assert_int_eq(npt_layout_set(&vm.layout, 0, 16 * MiB, NPT_KIND_RAM), NPT_OK);
    ck_assert_int_eq(npt_layout_set(&vm.layout, 16 * MiB, 16 * MiB, NPT_KIND_MMIO), NPT_OK);
    ck_assert_int_eq(npt_layout_set(&vm.layout, 32 * MiB, 2 * MiB, NPT_KIND_VMM_PRIVATE),
                     NPT_OK);
    ck_assert_int_eq(npt_init(&vm.map, &npt_format_ept, &mem), NPT_OK);
    /* Map the RAM and MMIO around the boundary (large pages where allowed). */
    ck_assert_int_eq(npt_update_range(&vm.map, &vm.layout, 14 * MiB, 4 * MiB), NPT_OK);
}

static void teardown(void)
{
    free(arena);
}

START_TEST(hook_over_mixed_memory_restores_each_kind)
{
    u64 at = 16 * MiB - KiB4; /* last RAM page and first MMIO page */
    ck_assert_int_eq(mmio_hook_register(&vm, at, 2 * KiB4, hook_fn, NULL), 0);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at), NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at + KiB4), NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_handle_fault(&vm.map, &vm.layout, at), NPT_FAULT_HOOKED);
    ck_assert_int_eq(npt_handle_fault(&vm.map, &vm.layout, at + KiB4), NPT_FAULT_HOOKED);
    ck_assert_ptr_nonnull(mmio_hook_find(&vm, at + KiB4 + 8));
    /* The neighbours stay what they were. */
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at - KiB4), NPT_KIND_RAM);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at + 2 * KiB4), NPT_KIND_MMIO);

    ck_assert_int_eq(mmio_hook_unregister(&vm, at), 0);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at), NPT_KIND_RAM);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at + KiB4), NPT_KIND_MMIO);
    ck_assert_ptr_null(mmio_hook_find(&vm, at));
    ck_assert_uint_eq(vm.n_mmio_hooks, 0);
}
END_TEST

START_TEST(overlap_vmm_memory_and_no_map_are_refused)
{
    ck_assert_int_eq(mmio_hook_register(&vm, 8 * MiB, 3 * KiB4, hook_fn, NULL), 0);
    ck_assert_int_eq(mmio_hook_register(&vm, 8 * MiB + 2 * KiB4, KiB4, hook_fn, NULL), -1);
    ck_assert_int_eq(mmio_hook_register(&vm, 32 * MiB - KiB4, 2 * KiB4, hook_fn, NULL), -1);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, 32 * MiB - KiB4), NPT_KIND_MMIO);
    ck_assert_int_eq(mmio_hook_register(&vm, 9 * MiB, 0, hook_fn, NULL), -1);
    ck_assert_int_eq(mmio_hook_unregister(&vm, 9 * MiB), -1); /* no such hook */
    ck_assert_uint_eq(vm.n_mmio_hooks, 1);
    vm.map.root_pa = 0;
    ck_assert_int_eq(mmio_hook_register(&vm, 10 * MiB, KiB4, hook_fn, NULL), -1);
}
END_TEST

START_TEST(failure_half_way_leaves_nothing_hooked)
{
    /* The second page lies past what nested tables can map: hooking it fails
     * after the first page was hooked, which must then be given back. */
    u64 at = NPT_ADDR_LIMIT - KiB4;
    ck_assert_int_eq(npt_layout_set(&vm.layout, at, KiB4, NPT_KIND_MMIO), NPT_OK);
    ck_assert_int_eq(mmio_hook_register(&vm, at, 2 * KiB4, hook_fn, NULL), -1);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at), NPT_KIND_MMIO);
    ck_assert_uint_eq(vm.n_mmio_hooks, 0);
}
END_TEST

/* An access goes to the hook holding its first port, else to one holding any
 * of its other bytes (a dword OUT below a hooked register exits too). */
START_TEST(io_access_finds_the_hook_it_overlaps)
{
    int a, b;
    ck_assert_int_eq(io_hook_register(&vm, 0x604, 2, io_fn, &a), 0);
    ck_assert_int_eq(io_hook_register(&vm, 0xCF9, 1, io_fn, &b), 0);
    ck_assert_int_eq(io_hook_register(&vm, 0x605, 1, io_fn, &b), -1); /* overlap refused */
    ck_assert_ptr_eq(io_hook_find(&vm, 0x604, 2)->ctx, &a);
    ck_assert_ptr_eq(io_hook_find(&vm, 0x605, 1)->ctx, &a);
    ck_assert_ptr_eq(io_hook_find(&vm, 0x602, 4)->ctx, &a);   /* covers 0x604-0x605 */
    ck_assert_ptr_eq(io_hook_find(&vm, 0x603, 2)->ctx, &a);   /* covers 0x604 */
    ck_assert_ptr_null(io_hook_find(&vm, 0x602, 2));          /* 0x602-0x603 only */
    ck_assert_ptr_null(io_hook_find(&vm, 0x606, 4));
    ck_assert_ptr_eq(io_hook_find(&vm, 0xCF8, 4)->ctx, &b);   /* a dword at 0xCF8 covers 0xCF9 */
    ck_assert_ptr_eq(io_hook_find(&vm, 0xCF9, 1)->ctx, &b);
    ck_assert_ptr_null(io_hook_find(&vm, 0xCFA, 2));
    ck_assert_ptr_null(io_hook_find(&vm, 0xFFFF, 4));         /* no wrap past the last port */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hooks");
    TCase *tc = tcase_create("mmio");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, hook_over_mixed_memory_restores_each_kind);
    tcase_add_test(tc, overlap_vmm_memory_and_no_map_are_refused);
    tcase_add_test(tc, failure_half_way_leaves_nothing_hooked);
    tcase_add_test(tc, io_access_finds_the_hook_it_overlaps);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
