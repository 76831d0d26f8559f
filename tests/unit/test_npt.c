/*
 * Unit tests for the guest-physical map builder (EPT and NPT formats), its
 * layout, the page-size rule, hooks and MTRR updates (lab 4's first part).
 * Reclaim, lab 4's second part, is tested in test_npt_reclaim.c; the entry
 * formats' bits and the table pool in test_npt_format.c.
 *
 * unit-sources: common/npt/npt.c common/npt/npt_layout.c common/npt/npt_format.c common/npt/npt_pool.c common/npt/mtrr.c
 */
#include "tests/unit/npt_fixture.h"

/* ---- fixtures ---- */


static u8 leaf_type(u64 gpa)
{
    u64 e;
    unsigned level;

    ck_assert(npt_leaf_entry(&map, gpa, &e, &level));
    return map.fmt->leaf_memtype(e);
}

/* ---- layout ---- */

START_TEST(layout_set_splits_and_merges)
{
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_uint_eq(layout.nranges, 1);
    set_kind(2 * MiB, MiB, NPT_KIND_MMIO);
    ck_assert_uint_eq(layout.nranges, 3);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 2 * MiB - 1), NPT_KIND_RAM);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 2 * MiB), NPT_KIND_MMIO);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 3 * MiB), NPT_KIND_RAM);
    set_kind(2 * MiB, MiB, NPT_KIND_RAM);
    ck_assert_uint_eq(layout.nranges, 1);
    ck_assert_uint_eq(layout.ranges[0].end, 8 * MiB);
    set_kind(6 * MiB, 4 * MiB, NPT_KIND_NOT_BACKED);
    ck_assert_uint_eq(layout.nranges, 1);
    ck_assert_uint_eq(layout.ranges[0].end, 6 * MiB);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 7 * MiB), NPT_KIND_NOT_BACKED);
    /* Spanning several ranges and a gap replaces them all. */
    set_kind(20 * MiB, MiB, NPT_KIND_MMIO);
    set_kind(MiB, 30 * MiB, NPT_KIND_VMM_PRIVATE);
    ck_assert_uint_eq(layout.nranges, 2);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 20 * MiB), NPT_KIND_VMM_PRIVATE);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 0), NPT_KIND_RAM);
    ck_assert_int_eq(npt_layout_set(&layout, 0, 1, 99), NPT_ERR_BAD_ARG);
}
END_TEST

/* npt_layout_kinds_at() says what two npt_layout_kind_at() calls say, for
 * spans inside one range, across ranges, from and into gaps, and past the
 * last range. */
START_TEST(layout_kinds_of_a_span)
{
    static const u64 at[] = { 0, 4095, 4096, MiB - 1, MiB, 2 * MiB - 1, 2 * MiB, 3 * MiB - 1,
                              3 * MiB, 5 * MiB - 1, 5 * MiB, 6 * MiB, 9 * MiB, 100 * MiB };
    start_layout(0);
    set_kind(MiB, 2 * MiB, NPT_KIND_RAM);
    set_kind(2 * MiB, 4096, NPT_KIND_MMIO);
    set_kind(5 * MiB, MiB, NPT_KIND_VMM_PRIVATE);
    ck_assert_uint_eq(layout.nranges, 4);
    unsigned n = sizeof(at) / sizeof(at[0]), checked = 0;
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = i; j < n; j++) {
            enum npt_kind a = NPT_KIND_HOOKED, b = NPT_KIND_HOOKED;
            npt_layout_kinds_at(&layout, at[i], at[j], &a, &b);
            ck_assert_int_eq(a, npt_layout_kind_at(&layout, at[i]));
            ck_assert_int_eq(b, npt_layout_kind_at(&layout, at[j]));
            checked++;
        }
    }
    ck_assert_uint_eq(checked, n * (n + 1) / 2);
    /* One range holds both ends; a gap before a range; the gap at the end. */
    enum npt_kind a, b;
    npt_layout_kinds_at(&layout, MiB + 8, MiB + 4000, &a, &b);
    ck_assert(a == NPT_KIND_RAM && b == NPT_KIND_RAM);
    npt_layout_kinds_at(&layout, 4096, MiB, &a, &b);
    ck_assert(a == NPT_KIND_NOT_BACKED && b == NPT_KIND_RAM);
    npt_layout_kinds_at(&layout, 6 * MiB, 7 * MiB, &a, &b);
    ck_assert(a == NPT_KIND_NOT_BACKED && b == NPT_KIND_NOT_BACKED);
}
END_TEST

START_TEST(layout_full_is_reported)
{
    unsigned i;
    enum npt_status st = NPT_OK;

    start_layout(0);
    for (i = 0; i < NPT_LAYOUT_MAX_RANGES + 4 && st == NPT_OK; i++)
        st = npt_layout_set(&layout, (u64)i * 2 * 4096, 4096, NPT_KIND_RAM);
    ck_assert_int_eq(st, NPT_ERR_LAYOUT_FULL);
    ck_assert_uint_le(layout.nranges, NPT_LAYOUT_MAX_RANGES);
}
END_TEST

/* ---- the page-size rule ---- */

START_TEST(largest_size_rules)
{
    start_layout(NPT_ALLOW_1G);
    set_kind(0, 4 * GiB, NPT_KIND_RAM);
    set_kind(0xC0000000ULL, 2 * MiB, NPT_KIND_MMIO);
    set_kind(0x10000000ULL, 4096, NPT_KIND_HOOKED);
    set_kind(0x20000000ULL, 64 * 1024, NPT_KIND_VMM_PRIVATE);

    ck_assert_uint_eq(npt_largest_size(&layout, 0x50000000ULL), NPT_1G);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x0), NPT_2M);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x10000000ULL + 4096), NPT_4K);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x10000000ULL), 0);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x10200000ULL), NPT_2M);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x20000000ULL), 0);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x20010000ULL), NPT_4K);
    ck_assert_uint_eq(npt_largest_size(&layout, 0xC0000000ULL), NPT_2M);
    ck_assert_uint_eq(npt_largest_size(&layout, 0xC0200000ULL), NPT_2M);
    ck_assert_uint_eq(npt_largest_size(&layout, 5 * GiB), 0);

    /* A memory type change inside a block forbids the large page. */
    add_var(0x40000000ULL + 0x1000, 0x1000, MTRR_TYPE_UC);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x40000000ULL), NPT_4K);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x40200000ULL), NPT_2M);

    layout.flags = 0;
    ck_assert_uint_eq(npt_largest_size(&layout, 0x50000000ULL), NPT_2M);
    layout.flags = NPT_FORCE_4K | NPT_ALLOW_1G;
    ck_assert_uint_eq(npt_largest_size(&layout, 0x50000000ULL), NPT_4K);
    ck_assert_uint_eq(npt_largest_size(&layout, 0x10000000ULL), 0);
}
END_TEST

/* ---- building ---- */

START_TEST(all_ram_1g_uses_2m)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, GiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_2m, 512);
    ck_assert_uint_eq(map.stats.leaves_4k, 0);
    ck_assert_uint_eq(map.stats.leaves_1g, 0);
    ck_assert_uint_eq(map.stats.tables, 3);
    ck_assert_uint_eq(leaf_size(0x12345678), NPT_2M);
    ck_assert_uint_eq(leaf_size(GiB - 1), NPT_2M);
    ck_assert_uint_eq(leaf_size(GiB), 0);
    end_map();
}
END_TEST

START_TEST(all_ram_1g_uses_1g_when_allowed)
{
    start_map(&npt_format_ept, 16);
    start_layout(NPT_ALLOW_1G);
    set_kind(0, 3 * GiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_1g, 3);
    ck_assert_uint_eq(map.stats.leaves_2m, 0);
    ck_assert_uint_eq(map.stats.tables, 2);
    ck_assert_uint_eq(leaf_size(0x87654321ULL), NPT_1G);
    end_map();
}
END_TEST

START_TEST(ram_hole)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 3 * MiB, NPT_KIND_RAM);
    set_kind(4 * MiB, 4 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(0), NPT_2M);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(3 * MiB - 1), NPT_4K);
    ck_assert_uint_eq(leaf_size(3 * MiB), 0);
    ck_assert_uint_eq(leaf_size(4 * MiB - 1), 0);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_2m, 3);
    ck_assert_uint_eq(map.stats.leaves_4k, 256);
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 3 * MiB + 5), NPT_FAULT_NOT_BACKED);
    end_map();
}
END_TEST

START_TEST(mmio_hole)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    set_kind(4 * MiB + 0x10000, 0x1000, NPT_KIND_MMIO); /* one device page */
    set_kind(8 * MiB, 2 * MiB, NPT_KIND_MMIO); /* a whole 2 MiB BAR */
    add_var(4 * MiB + 0x10000, 0x1000, MTRR_TYPE_UC);
    add_var(8 * MiB, 2 * MiB, MTRR_TYPE_UC);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);

    ck_assert_uint_eq(leaf_size(4 * MiB + 0x10000), NPT_4K);
    ck_assert_uint_eq(leaf_type(4 * MiB + 0x10000), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_size(4 * MiB + 0xF000), NPT_4K);
    ck_assert_uint_eq(leaf_type(4 * MiB + 0xF000), MTRR_TYPE_WB);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_2M);
    ck_assert_uint_eq(leaf_size(8 * MiB + 0x1234), NPT_2M);
    ck_assert_uint_eq(leaf_type(8 * MiB), MTRR_TYPE_UC);
    ck_assert_uint_eq(map.stats.leaves_4k, 512);
    ck_assert_uint_eq(map.stats.leaves_2m, 4);
    end_map();
}
END_TEST

START_TEST(hooked_page_splits_only_its_2m)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_2m, 4);
    npt_take_flush(&map);

    ck_assert_int_eq(npt_hook_page(&map, &layout, 2 * MiB + 0x1234), NPT_OK);
    ck_assert(npt_take_flush(&map));
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x1000), 0);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x2000), NPT_4K);
    ck_assert_uint_eq(leaf_size(4 * MiB - 1), NPT_4K);
    ck_assert_uint_eq(leaf_size(0), NPT_2M);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_4k, 511);
    ck_assert_uint_eq(map.stats.leaves_2m, 3);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 2 * MiB + 0x1000), NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 2 * MiB + 0x1008), NPT_FAULT_HOOKED);
    check_stats();

    /* Hooking twice changes nothing. */
    ck_assert_int_eq(npt_hook_page(&map, &layout, 2 * MiB + 0x1000), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_4k, 511);

    ck_assert_int_eq(npt_unhook_page(&map, &layout, 2 * MiB + 0x1000), NPT_OK);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 2 * MiB + 0x1000), NPT_KIND_RAM);
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x1000), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_4k, 0);
    ck_assert_uint_eq(map.stats.leaves_2m, 4);
    ck_assert_uint_eq(map.stats.tables, 3);
    ck_assert_int_eq(npt_unhook_page(&map, &layout, 2 * MiB + 0x1000), NPT_ERR_NOT_HOOKED);
    end_map();
}
END_TEST

/* A test aid of the event tests: one page goes, the layout stays, a fault brings it back. */
START_TEST(unmapped_page_faults_back_in)
{
    start_map(&npt_format_amd, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    npt_take_flush(&map);

    ck_assert_int_eq(npt_unmap_page(&map, 2 * MiB + 0x5678), NPT_OK);
    ck_assert(npt_take_flush(&map));
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x5000), 0);
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x4000), NPT_4K);
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x6000), NPT_4K);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_2M);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 2 * MiB + 0x5000), NPT_KIND_RAM);
    check_stats();
    /* The fault maps the largest page the layout allows: the 2 MiB page again. */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 2 * MiB + 0x5008), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(2 * MiB + 0x5000), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_4k, 0);
    /* Unmapping what is not mapped changes nothing and asks for no flush. */
    ck_assert_int_eq(npt_unmap_page(&map, 12 * MiB), NPT_OK);
    npt_take_flush(&map);
    ck_assert_int_eq(npt_unmap_page(&map, 12 * MiB), NPT_OK);
    ck_assert(!npt_take_flush(&map));
    ck_assert_int_eq(npt_unmap_page(&map, NPT_ADDR_LIMIT), NPT_ERR_BAD_ARG);
    check_stats();
    end_map();
}
END_TEST

START_TEST(hook_before_build_and_on_mmio)
{
    start_map(&npt_format_amd, 16);
    start_layout(0);
    set_kind(0, 4 * MiB, NPT_KIND_MMIO);
    set_kind(0x300000, 0x1000, NPT_KIND_VMM_PRIVATE);
    ck_assert_int_eq(npt_hook_page(&map, &layout, 0x1000), NPT_OK);
    ck_assert_int_eq(npt_hook_page(&map, &layout, 0x300000), NPT_ERR_VMM_PRIVATE);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(0x1000), 0);
    ck_assert_uint_eq(leaf_size(0x2000), NPT_4K);
    ck_assert_uint_eq(leaf_size(0x300000), 0);
    ck_assert_uint_eq(leaf_size(0x301000), NPT_4K);
    ck_assert_uint_eq(map.stats.leaves_4k, 511 + 511);

    /* Unhooking an MMIO page gives back MMIO, merged into 2 MiB. */
    ck_assert_int_eq(npt_unhook_page(&map, &layout, 0x1000), NPT_OK);
    ck_assert_int_eq(npt_layout_kind_at(&layout, 0x1000), NPT_KIND_MMIO);
    ck_assert_uint_eq(leaf_size(0x1000), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_4k, 511);
    end_map();
}
END_TEST

START_TEST(hook_inside_1g_page)
{
    start_map(&npt_format_ept, 16);
    start_layout(NPT_ALLOW_1G);
    set_kind(0, 2 * GiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_1g, 2);
    ck_assert_int_eq(npt_hook_page(&map, &layout, GiB + 2 * MiB + 0x1000), NPT_OK);
    ck_assert_uint_eq(leaf_size(GiB + 2 * MiB + 0x1000), 0);
    ck_assert_uint_eq(leaf_size(GiB + 2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(GiB), NPT_2M);
    ck_assert_uint_eq(leaf_size(2 * GiB - 1), NPT_2M);
    ck_assert_uint_eq(leaf_size(0), NPT_1G);
    ck_assert_uint_eq(map.stats.leaves_1g, 1);
    ck_assert_uint_eq(map.stats.leaves_2m, 511);
    ck_assert_uint_eq(map.stats.leaves_4k, 511);
    check_stats();
    /* Unhooking merges all the way back to one 1 GiB page. */
    ck_assert_int_eq(npt_unhook_page(&map, &layout, GiB + 2 * MiB + 0x1000), NPT_OK);
    ck_assert_uint_eq(leaf_size(GiB + 2 * MiB + 0x1000), NPT_1G);
    ck_assert_uint_eq(map.stats.leaves_1g, 2);
    ck_assert_uint_eq(map.stats.tables, 2);
    end_map();
}
END_TEST

START_TEST(mtrr_variable_inside_2m)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    add_var(6 * MiB, MiB, MTRR_TYPE_UC);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_2M);
    ck_assert_uint_eq(leaf_size(6 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_type(6 * MiB), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_type(7 * MiB - 0x1000), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_type(7 * MiB), MTRR_TYPE_WB);
    ck_assert_uint_eq(leaf_type(0), MTRR_TYPE_WB);
    ck_assert_uint_eq(map.stats.leaves_4k, 512);
    ck_assert_uint_eq(map.stats.leaves_2m, 3);
    end_map();
}
END_TEST

START_TEST(fixed_mtrrs_below_1m)
{
    unsigned i;

    start_map(&npt_format_ept, 16);
    start_layout(NPT_ALLOW_1G);
    layout.mtrr.fixed_enabled = true;
    for (i = 0; i < MTRR_NFIXED; i++)
        layout.mtrr.fixed[i] = 0x0606060606060606ULL;
    layout.mtrr.fixed[2] = 0; /* 0xA0000-0xBFFFF UC */
    set_kind(0, 2 * GiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(0), NPT_4K);
    ck_assert_uint_eq(leaf_type(0x9F000), MTRR_TYPE_WB);
    ck_assert_uint_eq(leaf_type(0xA0000), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_type(0xBF000), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_type(0xC0000), MTRR_TYPE_WB);
    ck_assert_uint_eq(leaf_size(1 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_2M);
    ck_assert_uint_eq(leaf_size(GiB), NPT_1G);
    ck_assert_uint_eq(map.stats.leaves_4k, 512);
    ck_assert_uint_eq(map.stats.leaves_2m, 511);
    ck_assert_uint_eq(map.stats.leaves_1g, 1);
    end_map();
}
END_TEST

START_TEST(ranges_crossing_2m_and_1g)
{
    start_map(&npt_format_ept, 16);
    start_layout(NPT_ALLOW_1G);
    set_kind(0x1FF000, GiB + 0x2000, NPT_KIND_RAM); /* 0x1FF000 .. 0x40201000 */
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(0x1FE000), 0);
    ck_assert_uint_eq(leaf_size(0x1FF000), NPT_4K);
    ck_assert_uint_eq(leaf_size(0x200000), NPT_2M);
    ck_assert_uint_eq(leaf_size(GiB - 1), NPT_2M);
    ck_assert_uint_eq(leaf_size(GiB), NPT_2M);
    ck_assert_uint_eq(leaf_size(GiB + 2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(GiB + 2 * MiB + 0x1000), 0);
    ck_assert_uint_eq(map.stats.leaves_4k, 2);
    ck_assert_uint_eq(map.stats.leaves_2m, 512);
    ck_assert_uint_eq(map.stats.leaves_1g, 0);
    end_map();
}
END_TEST

START_TEST(vmm_memory_never_mapped)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    set_kind(0x280000, 0x10000, NPT_KIND_VMM_PRIVATE);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(leaf_size(0x280000), 0);
    ck_assert_uint_eq(leaf_size(0x28F000), 0);
    ck_assert_uint_eq(leaf_size(0x27F000), NPT_4K);
    ck_assert_uint_eq(leaf_size(0x290000), NPT_4K);
    ck_assert_uint_eq(leaf_size(0), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_4k, 512 - 16);
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x285000), NPT_FAULT_VMM_PRIVATE);
    ck_assert_uint_eq(leaf_size(0x285000), 0);
    /* Even an explicit request to map it leaves it out. */
    ck_assert_int_eq(npt_map_range(&map, &layout, 0x280000, 0x10000), NPT_OK);
    ck_assert_uint_eq(leaf_size(0x285000), 0);
    end_map();
}
END_TEST

START_TEST(force_4k_mode)
{
    start_map(&npt_format_ept, 16);
    start_layout(NPT_FORCE_4K | NPT_ALLOW_1G);
    set_kind(0, 4 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_4k, 1024);
    ck_assert_uint_eq(map.stats.leaves_2m, 0);
    ck_assert_uint_eq(map.stats.tables, 5);
    ck_assert_uint_eq(leaf_size(3 * MiB), NPT_4K);
    end_map();
}
END_TEST



/* ---- updates, faults, translation ---- */

START_TEST(update_after_mtrr_change)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_2m, 4);
    npt_take_flush(&map);

    /* The guest makes 3-4 MiB uncached. */
    add_var(3 * MiB, MiB, MTRR_TYPE_UC);
    ck_assert_int_eq(npt_update_range(&map, &layout, 3 * MiB, MiB), NPT_OK);
    ck_assert(npt_take_flush(&map));
    ck_assert_uint_eq(leaf_size(3 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_type(3 * MiB), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_type(4 * MiB - 0x1000), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_size(2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_type(2 * MiB), MTRR_TYPE_WB);
    ck_assert_uint_eq(leaf_type(3 * MiB - 0x1000), MTRR_TYPE_WB);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_2M);
    ck_assert_uint_eq(map.stats.leaves_4k, 512);
    check_stats();

    /* And back: the 2 MiB page returns and the page table is freed. */
    layout.mtrr.nvar = 0;
    ck_assert_int_eq(npt_update_range(&map, &layout, 3 * MiB, MiB), NPT_OK);
    ck_assert_uint_eq(leaf_size(3 * MiB), NPT_2M);
    ck_assert_uint_eq(leaf_type(3 * MiB), MTRR_TYPE_WB);
    ck_assert_uint_eq(map.stats.leaves_4k, 0);
    ck_assert_uint_eq(map.stats.leaves_2m, 4);
    ck_assert_uint_eq(map.stats.tables, 3);

    /* A whole 2 MiB retyped keeps its size but changes its type. */
    add_var(6 * MiB, 2 * MiB, MTRR_TYPE_WT);
    ck_assert_int_eq(npt_update_range(&map, &layout, 6 * MiB, 2 * MiB), NPT_OK);
    ck_assert_uint_eq(leaf_size(6 * MiB), NPT_2M);
    ck_assert_uint_eq(leaf_type(6 * MiB), MTRR_TYPE_WT);
    end_map();
}
END_TEST

START_TEST(update_keeps_unmapped_lazy)
{
    start_map(&npt_format_ept, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_map_range(&map, &layout, 0, 2 * MiB), NPT_OK);
    add_var(4 * MiB, MiB, MTRR_TYPE_UC);
    ck_assert_int_eq(npt_update_range(&map, &layout, 0, 8 * MiB), NPT_OK);
    ck_assert_uint_eq(leaf_size(0), NPT_2M);
    ck_assert_uint_eq(leaf_size(4 * MiB), 0);
    ck_assert_uint_eq(map.stats.leaves_4k, 0);
    /* It faults in later under the new rules. */
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 4 * MiB + 0x10), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(leaf_size(4 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_type(4 * MiB), MTRR_TYPE_UC);
    ck_assert_uint_eq(leaf_size(4 * MiB + 0x1000), 0);
    end_map();
}
END_TEST

START_TEST(update_after_kind_change_unmaps)
{
    start_map(&npt_format_amd, 16);
    start_layout(NPT_ALLOW_1G);
    set_kind(0, 2 * GiB, NPT_KIND_RAM);
    ck_assert_int_eq(npt_build_identity(&map, &layout), NPT_OK);
    ck_assert_uint_eq(map.stats.leaves_1g, 2);
    /* The VMM takes 1 MiB at 1 GiB + 3 MiB for itself. */
    set_kind(GiB + 3 * MiB, MiB, NPT_KIND_VMM_PRIVATE);
    ck_assert_int_eq(npt_update_range(&map, &layout, GiB + 3 * MiB, MiB), NPT_OK);
    ck_assert_uint_eq(leaf_size(GiB + 3 * MiB), 0);
    ck_assert_uint_eq(leaf_size(GiB + 2 * MiB), NPT_4K);
    ck_assert_uint_eq(leaf_size(GiB), NPT_2M);
    ck_assert_uint_eq(leaf_size(0), NPT_1G);
    ck_assert_uint_eq(map.stats.leaves_1g, 1);
    ck_assert_uint_eq(map.stats.leaves_2m, 511);
    ck_assert_uint_eq(map.stats.leaves_4k, 256);
    end_map();
}
END_TEST

START_TEST(lazy_faults_and_translate)
{
    u64 hpa = 0, size = 0;

    start_map(&npt_format_amd, 16);
    start_layout(0);
    set_kind(0, 8 * MiB, NPT_KIND_RAM);
    ck_assert(!npt_translate(&map, 0x123456, &hpa, &size));
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x123456), NPT_FAULT_MAPPED);
    ck_assert(npt_translate(&map, 0x123456, &hpa, &size));
    ck_assert_uint_eq(hpa, 0x123456);
    ck_assert_uint_eq(size, NPT_2M);
    ck_assert(npt_translate(&map, 0x1FFFFF, NULL, NULL));
    ck_assert(!npt_translate(&map, 0x200000, NULL, NULL));
    ck_assert_uint_eq(map.stats.lazy_maps, 1);
    ck_assert_int_eq(npt_handle_fault(&map, &layout, 0x10000000), NPT_FAULT_NOT_BACKED);
    ck_assert(!npt_translate(&map, NPT_ADDR_LIMIT, NULL, NULL));
    ck_assert_int_eq(npt_map_range(&map, &layout, NPT_ADDR_LIMIT, 4096), NPT_ERR_BAD_ARG);
    end_map();
}
END_TEST


static Suite *npt_suite(void)
{
    Suite *s = suite_create("npt");
    TCase *layout_tc = tcase_create("layout");
    TCase *build_tc = tcase_create("build");
    TCase *update_tc = tcase_create("update");

    tcase_add_test(layout_tc, layout_set_splits_and_merges);
    tcase_add_test(layout_tc, layout_full_is_reported);
    tcase_add_test(layout_tc, layout_kinds_of_a_span);
    tcase_add_test(layout_tc, largest_size_rules);
    suite_add_tcase(s, layout_tc);

    tcase_add_test(build_tc, all_ram_1g_uses_2m);
    tcase_add_test(build_tc, all_ram_1g_uses_1g_when_allowed);
    tcase_add_test(build_tc, ram_hole);
    tcase_add_test(build_tc, mmio_hole);
    tcase_add_test(build_tc, hooked_page_splits_only_its_2m);
    tcase_add_test(build_tc, hook_before_build_and_on_mmio);
    tcase_add_test(build_tc, unmapped_page_faults_back_in);
    tcase_add_test(build_tc, hook_inside_1g_page);
    tcase_add_test(build_tc, mtrr_variable_inside_2m);
    tcase_add_test(build_tc, fixed_mtrrs_below_1m);
    tcase_add_test(build_tc, ranges_crossing_2m_and_1g);
    tcase_add_test(build_tc, vmm_memory_never_mapped);
    tcase_add_test(build_tc, force_4k_mode);
    suite_add_tcase(s, build_tc);

    tcase_add_test(update_tc, update_after_mtrr_change);
    tcase_add_test(update_tc, update_keeps_unmapped_lazy);
    tcase_add_test(update_tc, update_after_kind_change_unmaps);
    tcase_add_test(update_tc, lazy_faults_and_translate);
    suite_add_tcase(s, update_tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(npt_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
