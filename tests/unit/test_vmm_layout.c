/*
 * Unit tests for common/base/vmm_layout.c.
 * unit-sources: common/base/vmm_layout.c
 */
#include <check.h>
#include <stdlib.h>
#include "common/base/vmm_layout.h"
#include "tests/unit/unit_main.h"

static const struct phys_range qemu_map[] = {
    { 0x0, 0x9FC00, 1 },
    { 0x9FC00, 0x400, 2 },
    { 0xF0000, 0x10000, 2 },
    { 0x100000, 0x7FEE0000 - 0x100000, 1 },
    { 0x7FEE0000, 0x120000, 2 },
    { 0x100000000ULL, 0x80000000ULL, 1 },
};

START_TEST(choose_highest_below_4g)
{
    u64 base = 0;
    ck_assert(vmm_layout_choose(qemu_map, 6, NULL, 0, 32 * MIB, 2 * MIB, 4 * GIB, &base));
    ck_assert_uint_eq(base, 0x7FEE0000 - 32 * MIB - 0xE0000); /* aligned down to 2 MiB */
    ck_assert_uint_eq(base % (2 * MIB), 0);
    ck_assert_uint_le(base + 32 * MIB, 0x7FEE0000);
}
END_TEST

START_TEST(choose_steps_below_obstacle)
{
    struct phys_range avoid[] = { { 0x7E000000, 0x1000, 2 } };
    u64 base = 0;
    ck_assert(vmm_layout_choose(qemu_map, 6, avoid, 1, 32 * MIB, 2 * MIB, 4 * GIB, &base));
    ck_assert_uint_le(base + 32 * MIB, 0x7E000000);
    ck_assert_uint_eq(base, 0x7E000000 - 32 * MIB);
}
END_TEST

START_TEST(choose_nothing_fits)
{
    struct phys_range small[] = { { 0x100000, 8 * MIB, 1 } };
    u64 base = 123;
    ck_assert(!vmm_layout_choose(small, 1, NULL, 0, 32 * MIB, 2 * MIB, 4 * GIB, &base));
    ck_assert_uint_eq(base, 123);
    ck_assert(!vmm_layout_choose(small, 1, NULL, 0, 1 * MIB, 3, 4 * GIB, &base));
}
END_TEST

START_TEST(choose_obstacle_covers_everything)
{
    struct phys_range m[] = { { 0, 64 * MIB, 1 } };
    struct phys_range avoid[] = { { 0, 64 * MIB, 2 } };
    u64 base;
    ck_assert(!vmm_layout_choose(m, 1, avoid, 1, 4 * MIB, 2 * MIB, 4 * GIB, &base));
}
END_TEST

START_TEST(guest_map_cuts_hole)
{
    struct phys_range out[16];
    u64 hole = 0x7C000000;
    const struct phys_range vmm = { hole, 32 * MIB, 2 };
    size_t n = vmm_layout_cut_holes(qemu_map, 6, &vmm, 1, out, 16);
    ck_assert_uint_eq(n, 8);
    ck_assert_uint_eq(out[3].base, 0x100000);
    ck_assert_uint_eq(out[3].base + out[3].length, hole);
    ck_assert_uint_eq(out[4].base, hole);
    ck_assert_uint_eq(out[4].type, 2);
    ck_assert_uint_eq(out[5].base, hole + 32 * MIB);
    ck_assert_uint_eq(out[5].type, 1);
    ck_assert_uint_eq(out[5].base + out[5].length, 0x7FEE0000);
    size_t m = vmm_layout_cut_holes(qemu_map, 6, &vmm, 1, out, 4);
    ck_assert_uint_eq(m, 5);
}
END_TEST

/* The guest map as build_guest_map() (common/start/guest_boot.c) makes it:
 * the VMM region and the MMIO test page (a page inside low RAM) cut out at
 * once; every byte of RAM is either still RAM or reserved, never lost, and
 * the holes are never RAM. */
START_TEST(cut_two_holes_from_one_range)
{
    const struct phys_range holes[] = { { 0x7C000000, 32 * MIB, 2 }, { 0xF00000, 4096, 2 } };
    struct phys_range out[16];
    size_t n = vmm_layout_cut_holes(qemu_map, 6, holes, 2, out, 16);
    ck_assert_uint_eq(n, 10);
    ck_assert_uint_eq(out[3].base, 0x100000);
    ck_assert_uint_eq(out[3].length, 0xF00000 - 0x100000);
    ck_assert_uint_eq(out[3].type, 1);
    ck_assert_uint_eq(out[4].base, 0xF00000);
    ck_assert_uint_eq(out[4].length, 4096);
    ck_assert_uint_eq(out[4].type, 2);
    ck_assert_uint_eq(out[5].base, 0xF01000);
    ck_assert_uint_eq(out[5].base + out[5].length, 0x7C000000);
    ck_assert_uint_eq(out[6].base, 0x7C000000);
    ck_assert_uint_eq(out[6].type, 2);
    ck_assert_uint_eq(out[7].base, 0x7E000000);
    ck_assert_uint_eq(out[7].type, 1);
    for (size_t i = 1; i < n; i++) /* sorted, no gaps inside what was one range */
        ck_assert_uint_le(out[i - 1].base + out[i - 1].length, out[i].base);
    ck_assert(!vmm_layout_is_ram(out, n, 0xF00000, 1, NULL));
    ck_assert(!vmm_layout_is_ram(out, n, 0x7C000000 + 5, 1, NULL));
    ck_assert(vmm_layout_is_ram(out, n, 0xF01000, 4096, NULL));
    /* Too small an output: the count says so. */
    ck_assert_uint_eq(vmm_layout_cut_holes(qemu_map, 6, holes, 2, out, 9), 10);
}
END_TEST

/* A hole over two map entries, and a second hole inside the first: reserved
 * pieces only, nothing duplicated. An empty hole changes nothing. */
START_TEST(cut_overlapping_and_empty_holes)
{
    const struct phys_range map[] = { { 0, 0x10000, 1 }, { 0x10000, 0x10000, 1 } };
    const struct phys_range holes[] = { { 0x8000, 0x10000, 2 }, { 0x9000, 0x1000, 2 },
                                        { 0x1000, 0, 2 } };
    struct phys_range out[8];
    size_t n = vmm_layout_cut_holes(map, 2, holes, 3, out, 8);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(out[0].base, 0);
    ck_assert_uint_eq(out[0].length, 0x8000);
    ck_assert_uint_eq(out[1].base, 0x8000);
    ck_assert_uint_eq(out[1].length, 0x8000);
    ck_assert_uint_eq(out[1].type, 2);
    ck_assert_uint_eq(out[2].base, 0x10000);
    ck_assert_uint_eq(out[2].length, 0x8000);
    ck_assert_uint_eq(out[2].type, 2);
    ck_assert_uint_eq(out[3].base, 0x18000);
    ck_assert_uint_eq(out[3].type, 1);
}
END_TEST

START_TEST(is_ram_spans_adjacent_entries)
{
    const struct phys_range map[] = { { 0x1000, 0x1000, 1 }, { 0x2000, 0x1000, 1 },
                                      { 0x3000, 0x1000, 2 } };
    u64 bad = 0;
    ck_assert(vmm_layout_is_ram(map, 3, 0x1800, 0x1000, NULL));
    ck_assert(!vmm_layout_is_ram(map, 3, 0x2800, 0x1000, &bad));
    ck_assert_uint_eq(bad, 0x3000);
    ck_assert(!vmm_layout_is_ram(map, 3, 0x800, 0x1000, &bad));
    ck_assert_uint_eq(bad, 0x800);
    ck_assert(!vmm_layout_is_ram(map, 3, 0x1000, ~0ULL, &bad)); /* wraps */
    ck_assert(vmm_layout_is_ram(map, 3, 0x1000, 0, NULL)); /* nothing to cover */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vmm_layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, choose_highest_below_4g);
    tcase_add_test(tc, choose_steps_below_obstacle);
    tcase_add_test(tc, choose_nothing_fits);
    tcase_add_test(tc, choose_obstacle_covers_everything);
    tcase_add_test(tc, guest_map_cuts_hole);
    tcase_add_test(tc, cut_two_holes_from_one_range);
    tcase_add_test(tc, cut_overlapping_and_empty_holes);
    tcase_add_test(tc, is_ram_spans_adjacent_entries);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
