/*
 * Unit tests for common/npt/mtrr_write.c.
 * unit-sources: common/npt/mtrr_write.c common/npt/mtrr.c
 */
#include <check.h>
#include <stdlib.h>
#include "common/npt/mtrr_write.h"
#include "tests/unit/unit_main.h"

#define CAP (8 | (1u << 8)) /* 8 variable ranges, fixed ranges present */

static struct mtrr_state st;

static void setup(void)
{
    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
}

START_TEST(is_msr)
{
    ck_assert(mtrr_is_msr(0x2FF, CAP));
    ck_assert(mtrr_is_msr(0x200, CAP));
    ck_assert(mtrr_is_msr(0x20F, CAP));
    ck_assert(!mtrr_is_msr(0x210, CAP)); /* only 8 pairs */
    ck_assert(mtrr_is_msr(0x250, CAP));
    ck_assert(!mtrr_is_msr(0x250, 8)); /* no fixed ranges on this CPU */
    ck_assert(!mtrr_is_msr(0x174, CAP));
}
END_TEST

START_TEST(variable_range_extent)
{
    u64 s, l;
    /* PHYSBASE0 = 0xC0000000 UC, PHYSMASK0 = 1 GiB valid, 36-bit physical space */
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x200, 0xC0000000ULL | MTRR_TYPE_UC, 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(l, 0); /* mask not valid yet: nothing changes */
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x201, 0xFC0000000ULL | (1u << 11), 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(s, 0xC0000000ULL);
    ck_assert_uint_eq(l, 0x40000000ULL);
    ck_assert_int_eq(mtrr_type_of(&st, 0xC0001000), MTRR_TYPE_UC);
    /* Moving the range to 0x80000000: both the old and the new extent changed. */
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x200, 0x80000000ULL | MTRR_TYPE_UC, 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(s, 0x80000000ULL);
    ck_assert_uint_eq(l, 0x80000000ULL);
}
END_TEST

START_TEST(non_contiguous_mask_means_everything)
{
    u64 s, l;
    mtrr_apply_write(&st, CAP, 0x202, MTRR_TYPE_UC, 36, &s, &l);
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x203, 0xF00F00000ULL | (1u << 11), 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(s, 0);
    ck_assert_uint_eq(l, 1ULL << 36);
}
END_TEST

START_TEST(fixed_and_default)
{
    u64 s, l;
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x259, 0x0000000000000000ULL, 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(s, 0xA0000);
    ck_assert_uint_eq(l, 0x20000);
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x26F, 0x0606060606060606ULL, 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(s, 0xF8000);
    ck_assert_uint_eq(l, 0x8000);
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x2FF, (1u << 11) | MTRR_TYPE_UC, 36, &s, &l), MTRR_WRITE_OK);
    ck_assert_uint_eq(s, 0);
    ck_assert_uint_eq(l, 1ULL << 36);
    ck_assert_int_eq(st.default_type, MTRR_TYPE_UC);
}
END_TEST

START_TEST(invalid_values)
{
    u64 s, l;
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x2FF, 2, 36, &s, &l), MTRR_WRITE_INVALID);      /* type 2 reserved */
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x2FF, 1ULL << 12, 36, &s, &l), MTRR_WRITE_INVALID);
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x250, 0x0700000000000000ULL, 36, &s, &l), MTRR_WRITE_INVALID);
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x200, 0x100 | 6, 36, &s, &l), MTRR_WRITE_INVALID);   /* bits 11:8 */
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x200, (1ULL << 40) | 6, 36, &s, &l), MTRR_WRITE_INVALID);
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x201, 0x400, 36, &s, &l), MTRR_WRITE_INVALID);       /* bits 10:0 */
    ck_assert_int_eq(mtrr_apply_write(&st, CAP, 0x174, 0, 36, &s, &l), MTRR_WRITE_NOT_MTRR);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mtrr_write");
    TCase *tc = tcase_create("writes");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, is_msr);
    tcase_add_test(tc, variable_range_extent);
    tcase_add_test(tc, non_contiguous_mask_means_everything);
    tcase_add_test(tc, fixed_and_default);
    tcase_add_test(tc, invalid_values);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
