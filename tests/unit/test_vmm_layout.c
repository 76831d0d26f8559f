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
    size_t n = vmm_layout_guest_map(qemu_map, 6, hole, 32 * MIB, out, 16);
    ck_assert_uint_eq(n, 8);
    ck_assert_uint_eq(out[3].base, 0x100000);
    ck_assert_uint_eq(out[3].base + out[3].length, hole);
    ck_assert_uint_eq(out[4].base, hole);
    ck_assert_uint_eq(out[4].type, 2);
    ck_assert_uint_eq(out[5].base, hole + 32 * MIB);
    ck_assert_uint_eq(out[5].type, 1);
    ck_assert_uint_eq(out[5].base + out[5].length, 0x7FEE0000);
    size_t m = vmm_layout_guest_map(qemu_map, 6, hole, 32 * MIB, out, 4);
    ck_assert_uint_eq(m, 5);
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
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
