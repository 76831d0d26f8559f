/*
 * Unit tests for reclaim, lab 4's second part: when the table pool runs dry,
 * reclaim_one() gives up one table (a page table before a page directory),
 * chosen by the clock hand, never the one being worked on, and the map stays
 * consistent (common/npt/npt.h, "Table memory and reclaim").
 *
 * unit-sources: common/npt/npt.c common/npt/npt_layout.c common/npt/npt_format.c common/npt/npt_pool.c common/npt/mtrr.c
 */
#include "tests/unit/npt_fixture.h"

/* ---- reclaim ---- */

START_TEST(reclaim_with_tiny_pool)
{
    /* root + PDPT + PD + two page tables: room for 4 MiB of 4 KiB pages. */
    start_map(&npt_format_ept, 5);
    start_layout(NPT_FORCE_4K);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.reclaims, 2);
    ck_assert_uint_eq(map.stats.tables, 5);
    /* The oldest tables went; the rest stayed mapped (no clear-all). */
    ck_assert_uint_eq(leaf_size(0), 0);
    ck_assert_uint_eq(leaf_size(2 * MiB), 0);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(8 * MiB - 1), NPT_4K);
    ck_assert_uint_eq(map.stats.leaves_4k, 1024);
    check_stats();

    /* A fault brings a reclaimed region back by reclaiming another. */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x1000), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(0x1000), NPT_4K);
    ck_assert_uint_eq(map.stats.reclaims, 3);
    ck_assert_uint_eq(map.stats.leaves_4k, 513);
    ck_assert(npt_take_flush(&map));
    /* The region just faulted in is not the next victim. */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 2 * MiB), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(0x1000), NPT_4K);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_4K);
    ck_assert_uint_eq(map.stats.alloc_failures, 0);
    end_map();
}
END_TEST

START_TEST(reclaim_page_directory)
{
    /* root + PDPT + one PD: a second PD needs the first one's page. */
    start_map(&npt_format_amd, 3);
    start_layout(0);
    set_kind(0, 2 * GiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.reclaims, 1);
    ck_assert_uint_eq(leaf_size(0), 0);
    ck_assert_uint_eq(leaf_size(GiB + 5 * MiB), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_2m, 512);
    end_map();
}
END_TEST

START_TEST(nothing_to_reclaim_fails_cleanly)
{
    /* root + PDPT + PD, and 4 KiB pages need a page table. */
    start_map(&npt_format_ept, 3);
    start_layout(NPT_FORCE_4K);
    set_kind(0, 2 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_ERR_NO_MEMORY);
    ck_assert_uint_ge(map.stats.alloc_failures, 1);
    ck_assert_uint_eq(map.stats.reclaims, 0);
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x5000), NPT_FAULT_NO_MEMORY);
    ck_assert_uint_eq(leaf_size(0x5000), 0);
    end_map();
}
END_TEST

START_TEST(hook_without_memory_drops_large_page)
{
    /* No page to split the 2 MiB leaf: the whole leaf goes, the hooked page
     * is still not present, and the rest faults back in later. */
    start_map(&npt_format_ept, 3);
    start_layout(0);
    set_kind(0, 4 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_int_eq(npt_hook_page(&map, &layout, 0x1000), NPT_OK);
    ck_assert_uint_eq(leaf_size(0x1000), 0);
    ck_assert_uint_eq(leaf_size(0x2000), 0);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_2M);
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x1000), NPT_FAULT_HOOKED);
    end_map();
}
END_TEST

START_TEST(hand_wraps_around)
{
    /* Five pages: root, PDPT, PD and two page tables; four 2 MiB regions of
     * 4 KiB pages take turns. Building leaves the hand at 4 MiB. */
    start_map(&npt_format_amd, 5);
    start_layout(NPT_FORCE_4K);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.reclaims, 2);
    ck_assert_uint_eq(map.reclaim_hand, 4 * MiB);
    ck_assert(npt_take_flush(&map));

    /* Each fault takes the table the hand reaches next, the oldest... */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x1000), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(4 * MiB), 0);
    ck_assert_uint_eq(leaf_size(6 * MiB), NPT_4K);
    ck_assert_uint_eq(map.reclaim_hand, 6 * MiB);
    ck_assert(npt_take_flush(&map));
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 2 * MiB), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(6 * MiB), 0);
    ck_assert_uint_eq(leaf_size(0x1000), NPT_4K);
    ck_assert_uint_eq(map.reclaim_hand, 8 * MiB);

    /* ...and with no table after the hand, the search starts again at 0:
     * the region at 0 is now the oldest. */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 4 * MiB + 0x3000), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(0x1000), 0);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(4 * MiB + 0x3000), NPT_4K);
    ck_assert_uint_eq(map.reclaim_hand, 2 * MiB);
    ck_assert_uint_eq(map.stats.reclaims, 5);
    ck_assert_uint_eq(map.stats.alloc_failures, 0);
    ck_assert(npt_take_flush(&map));
    end_map();
}
END_TEST

START_TEST(page_tables_before_directories)
{
    /* Three 2 MiB regions of 4 KiB pages, one in each of the first three
     * GiBs: root, PDPT, three PDs and three page tables would be eight pages;
     * the pool has seven. The third page table must cost the first region's
     * page table, not a whole page directory. */
    start_map(&npt_format_ept, 7);
    start_layout(NPT_FORCE_4K);
    set_kind(0, 2 * MiB, NPT_KIND_RAM);
    set_kind(GiB, 2 * MiB, NPT_KIND_RAM);
    set_kind(2 * GiB, 2 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.reclaims, 1);
    ck_assert_uint_eq(map.stats.tables, 7);
    ck_assert_uint_eq(leaf_size(0), 0);
    ck_assert_uint_eq(leaf_size(GiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(2 * GiB + 2 * MiB - 1), NPT_4K);
    ck_assert_uint_eq(map.stats.leaves_4k, 1024);
    ck_assert(npt_take_flush(&map));
    /* The first region faults back in; the hand (past 0's 2 MiB) takes 1 GiB's. */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x5000), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(0x5000), NPT_4K);
    ck_assert_uint_eq(leaf_size(GiB), 0);
    ck_assert_uint_eq(leaf_size(2 * GiB), NPT_4K);
    ck_assert_uint_eq(map.stats.reclaims, 2);
    ck_assert_uint_eq(map.stats.tables, 7);
    end_map();
}
END_TEST

START_TEST(hook_reclaims_another_region)
{
    /* Hooking a page splits its 2 MiB page, which needs a page table; with a
     * pool of four the only one to give up is the one under the region at 0
     * (split around its MMIO page), and the TLB must be told. */
    start_map(&npt_format_amd, 4);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    set_kind(0x3000, 0x1000, NPT_KIND_MMIO);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(0x3000), NPT_4K);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_2M);
    ck_assert_uint_eq(map.stats.tables, 4);
    (void)npt_take_flush(&map);
    ck_assert_int_eq(npt_hook_page(&map, &layout, 4 * MiB + 0x1000), NPT_OK);
    ck_assert_uint_eq(map.stats.reclaims, 1);
    ck_assert(npt_take_flush(&map));
    ck_assert_uint_eq(leaf_size(0x3000), 0);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(4 * MiB + 0x1000), 0);
    ck_assert_uint_eq(leaf_size(6 * MiB), NPT_2M);
    ck_assert_uint_eq(map.reclaim_hand, 2 * MiB);
    end_map();
}
END_TEST

static Suite *npt_reclaim_suite(void)
{
    Suite *s = suite_create("npt_reclaim");
    TCase *tc = tcase_create("reclaim");

    tcase_add_test(tc, reclaim_with_tiny_pool);
    tcase_add_test(tc, reclaim_page_directory);
    tcase_add_test(tc, nothing_to_reclaim_fails_cleanly);
    tcase_add_test(tc, hook_without_memory_drops_large_page);
    tcase_add_test(tc, hand_wraps_around);
    tcase_add_test(tc, page_tables_before_directories);
    tcase_add_test(tc, hook_reclaims_another_region);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(npt_reclaim_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
