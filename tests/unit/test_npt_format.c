/*
 * Unit tests for the nested map's two entry formats (the bits an EPT and an
 * NPT entry carry for each kind and memory type) and for the pool of table
 * pages the builder draws from. Not lab code: lab 4 is graded by test_npt.c
 * and test_npt_reclaim.c.
 *
 * unit-sources: common/npt/npt.c common/npt/npt_layout.c common/npt/npt_format.c common/npt/npt_pool.c common/npt/mtrr.c
 */
#include "tests/unit/npt_fixture.h"

/* ---- entry formats ---- */

START_TEST(ept_bit_patterns)
{
    u64 e;
    unsigned level;
    const u64 *root;

    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 4 * MiB, NPT_KIND_RAM);
    add_var(2 * MiB, 2 * MiB, MTRR_TYPE_UC);
    set_kind(0x300000, 0x1000, NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);

    ck_assert(npt_leaf_entry(&map, 0, &e, &level));
    ck_assert_uint_eq(level, 2);
    ck_assert_uint_eq(e, 0x0ULL | 7 | (6 << 3) | 0x80); /* RWX, WB, large */
    ck_assert(npt_leaf_entry(&map, 0x301000, &e, &level));
    ck_assert_uint_eq(level, 1);
    ck_assert_uint_eq(e, 0x301000ULL | 7 | (0 << 3)); /* RWX, UC, no bit 7 */
    root = npt_pool_ptr(&pool, map.root_pa);
    ck_assert_uint_eq(root[0] & 0xFFF, 7);
    ck_assert_uint_eq(root[0] & ADDR_BITS & ~0xFFFULL, root[0] & ~0xFFFULL);

    ck_assert_uint_eq(npt_format_ept.make_leaf(0x40000000ULL, 3, NPT_PERM_R, MTRR_TYPE_WT),
                      0x40000000ULL | 1 | (4 << 3) | 0x80);
    ck_assert_uint_eq(npt_format_ept.make_leaf(0x1000, 1, 0, MTRR_TYPE_WB), 0);
    ck_assert_uint_eq(npt_ept_pointer(0x5000, false), 0x501EULL);
    ck_assert_uint_eq(npt_ept_pointer(0x5000, true), 0x505EULL);
    end_map();
}
END_TEST

START_TEST(npt_bit_patterns)
{
    u64 e;
    unsigned level;
    const u64 *root, *pdpt;
    const struct npt_format *f = &npt_format_amd;

    start_map(f, 16);
    start_layout(0);
    set_kind(0, 4 * MiB, NPT_KIND_RAM);
    add_var(2 * MiB, 2 * MiB, MTRR_TYPE_UC);
    set_kind(0x300000, 0x1000, NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);

    ck_assert(npt_leaf_entry(&map, 0, &e, &level));
    ck_assert_uint_eq(level, 2);
    ck_assert_uint_eq(e, 0x0ULL | 0x7 | 0x80); /* P RW US PS, WB: no PWT/PCD, no NX */
    ck_assert(npt_leaf_entry(&map, 0x301000, &e, &level));
    ck_assert_uint_eq(level, 1);
    ck_assert_uint_eq(e, 0x301000ULL | 0x7 | 0x18); /* UC: PCD|PWT */
    ck_assert_uint_eq(f->leaf_memtype(e), MTRR_TYPE_UC);

    /* Every table entry on the way down has P, RW and US. */
    root = npt_pool_ptr(&pool, map.root_pa);
    ck_assert_uint_eq(root[0] & 0x7, 0x7);
    pdpt = npt_pool_ptr(&pool, f->entry_addr(root[0], 4));
    ck_assert_uint_eq(pdpt[0] & 0x7, 0x7);
    ck_assert_uint_eq(pdpt[0] & 0x80, 0);

    /* No execute: NX. A 2 MiB leaf's address keeps bit 12 (PAT) out. */
    e = f->make_leaf(0x200000, 2, NPT_PERM_R | NPT_PERM_W, MTRR_TYPE_WT);
    ck_assert_uint_eq(e, (1ULL << 63) | 0x200000 | 0x7 | 0x80 | 0x8);
    ck_assert_uint_eq(f->leaf_perms(e), NPT_PERM_R | NPT_PERM_W);
    ck_assert_uint_eq(f->leaf_memtype(e), MTRR_TYPE_WT);
    ck_assert_uint_eq(f->entry_addr(e | (1ULL << 12), 2), 0x200000);
    ck_assert(f->is_leaf(e, 2));
    ck_assert(f->is_leaf(0x1000 | 0x85, 1));
    ck_assert(!f->is_leaf(0x1000 | 0x7, 2));
    ck_assert_uint_eq(f->make_leaf(0x1000, 1, NPT_PERM_R, MTRR_TYPE_WB) & 0x2, 0);
    end_map();
}
END_TEST

START_TEST(pool_alloc_free)
{
    u64 a, b, c;

    arena = aligned_alloc(4096, 2 * 4096);
    npt_pool_init(&pool, arena, FAKE_PA, 2);
    a = npt_pool_alloc(&pool);
    b = npt_pool_alloc(&pool);
    c = npt_pool_alloc(&pool);
    ck_assert_uint_eq(a, FAKE_PA);
    ck_assert_uint_eq(b, FAKE_PA + 4096);
    ck_assert_uint_eq(c, 0);
    ck_assert_uint_eq(pool.low_water, 0);
    ck_assert_ptr_eq(npt_pool_ptr(&pool, b), (u8 *)arena + 4096);
    ck_assert_ptr_null(npt_pool_ptr(&pool, FAKE_PA + 2 * 4096));
    npt_pool_free(&pool, a);
    npt_pool_free(&pool, FAKE_PA + 8 * 4096); /* not ours: ignored */
    ck_assert_uint_eq(pool.free_count, 1);
    ck_assert_uint_eq(npt_pool_alloc(&pool), a);
    free(arena);
}
END_TEST

static Suite *npt_format_suite(void)
{
    Suite *s = suite_create("npt_format");
    TCase *format_tc = tcase_create("format");
    TCase *pool_tc = tcase_create("pool");

    tcase_add_test(format_tc, ept_bit_patterns);
    tcase_add_test(format_tc, npt_bit_patterns);
    suite_add_tcase(s, format_tc);
    tcase_add_test(pool_tc, pool_alloc_free);
    suite_add_tcase(s, pool_tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(npt_format_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
