/*
 * Unit tests for common/npt/mtrr.c: memory types over an MTRR snapshot.
 *
 * unit-sources: common/npt/mtrr.c
 */
#include <check.h>
#include <stdlib.h>

#include "common/npt/mtrr.h"

#define ADDR_BITS 0x000FFFFFFFFFF000ULL

/* Fill a byte of type into all eight slots of a fixed-range register. */
static u64 fixed_all(u8 type)
{
    return 0x0101010101010101ULL * type;
}

static void add_var(struct mtrr_state *st, u64 base, u64 size, u8 type)
{
    st->var[st->nvar].base = base | type;
    st->var[st->nvar].mask = (~(size - 1) & ADDR_BITS) | MTRR_PHYSMASK_VALID;
    st->nvar++;
}

START_TEST(disabled_means_uc)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WB);
    st.enabled = false;
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 1ULL << 30), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of(&st, 0x123456), MTRR_TYPE_UC);
}
END_TEST

START_TEST(default_type_only)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 1ULL << 40), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x1234, 0x10), MTRR_TYPE_WB);
    mtrr_state_init_uniform(&st, MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x200000, 0x200000), MTRR_TYPE_UC);
}
END_TEST

START_TEST(variable_range_large)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    add_var(&st, 0xC0000000ULL, 1ULL << 30, MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0xC0000000ULL, 1ULL << 30), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0xC0200000ULL, 0x200000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x80000000ULL, 1ULL << 30), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x80000000ULL, 2ULL << 30), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0xBFFFF000ULL, 0x2000), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of(&st, 0xBFFFFFFFULL), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of(&st, 0xC0000000ULL), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of(&st, 0x100000000ULL), MTRR_TYPE_WB);
}
END_TEST

START_TEST(variable_range_inside_2m)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    add_var(&st, 0x201000, 0x1000, MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x200000, 0x200000), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 1ULL << 30), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x200000, 0x1000), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x201000, 0x1000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x202000, 0x1FE000), MTRR_TYPE_WB);
    /* An unaligned span is widened to whole pages. */
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x201FFF, 2), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x201800, 0x100), MTRR_TYPE_UC);
}
END_TEST

START_TEST(overlap_rules)
{
    struct mtrr_state st;

    /* Same type twice: that type. */
    mtrr_state_init_uniform(&st, MTRR_TYPE_UC);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 29, MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 1ULL << 30), MTRR_TYPE_WB);

    /* UC wins. */
    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WB);
    add_var(&st, 0x10000000, 1ULL << 28, MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x10000000, 0x200000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x20000000, 0x200000), MTRR_TYPE_WB);

    /* WT and WB: WT. */
    mtrr_state_init_uniform(&st, MTRR_TYPE_UC);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WT);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x1000, 0x1000), MTRR_TYPE_WT);

    /* WC and WB: undefined, treated as UC. */
    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_WC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x1000, 0x1000), MTRR_TYPE_UC);
}
END_TEST

START_TEST(invalid_variable_range_ignored)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    add_var(&st, 0, 1ULL << 30, MTRR_TYPE_UC);
    st.var[0].mask &= ~MTRR_PHYSMASK_VALID;
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 1ULL << 30), MTRR_TYPE_WB);
}
END_TEST

START_TEST(non_contiguous_mask)
{
    struct mtrr_state st;

    /* Mask with only bit 12: every other 4 KiB page matches. */
    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    st.var[0].base = MTRR_TYPE_UC;
    st.var[0].mask = 0x1000 | MTRR_PHYSMASK_VALID;
    st.nvar = 1;
    ck_assert_int_eq(mtrr_type_of(&st, 0x0), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of(&st, 0x1000), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of(&st, 0x2000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 0x2000), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 0x200000), MTRR_TYPE_MIXED);
}
END_TEST

static void fixed_setup(struct mtrr_state *st)
{
    unsigned i;

    mtrr_state_init_uniform(st, MTRR_TYPE_WB);
    st->fixed_enabled = true;
    st->fixed[0] = fixed_all(MTRR_TYPE_WB); /* 0-512K */
    st->fixed[1] = fixed_all(MTRR_TYPE_WB); /* 512K-640K */
    st->fixed[2] = fixed_all(MTRR_TYPE_UC); /* 640K-768K: VGA */
    for (i = 3; i < MTRR_NFIXED; i++) /* 768K-1M: ROMs */
        st->fixed[i] = fixed_all(MTRR_TYPE_WP);
    /* One 4 KiB slot at 0xC8000 (register 4, byte 0) is UC. */
    st->fixed[4] = (st->fixed[4] & ~0xFFULL) | MTRR_TYPE_UC;
}

START_TEST(fixed_ranges)
{
    struct mtrr_state st;

    fixed_setup(&st);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 0xA0000), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of(&st, 0x9F000), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0xA0000, 0x20000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of(&st, 0xB8000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of(&st, 0xC0000), MTRR_TYPE_WP);
    ck_assert_int_eq(mtrr_type_of(&st, 0xC8000), MTRR_TYPE_UC);
    ck_assert_int_eq(mtrr_type_of(&st, 0xC9000), MTRR_TYPE_WP);
    ck_assert_int_eq(mtrr_type_of(&st, 0xFF000), MTRR_TYPE_WP);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 0x200000), MTRR_TYPE_MIXED);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0x100000, 0x100000), MTRR_TYPE_WB);

    /* With FE clear the variable ranges and default decide below 1 MiB. */
    st.fixed_enabled = false;
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 0x200000), MTRR_TYPE_WB);
}
END_TEST

START_TEST(fixed_take_priority_below_1m)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    st.fixed_enabled = true;
    for (unsigned i = 0; i < MTRR_NFIXED; i++)
        st.fixed[i] = fixed_all(MTRR_TYPE_WB);
    add_var(&st, 0, 0x100000, MTRR_TYPE_UC);
    /* The UC variable range is hidden by the fixed ranges below 1 MiB. */
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 0x200000), MTRR_TYPE_WB);
    ck_assert_int_eq(mtrr_type_of_range(&st, 0, 1ULL << 30), MTRR_TYPE_WB);
}
END_TEST

START_TEST(def_type_decode_and_fixed_index)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_UC);
    mtrr_state_set_def_type(&st, 0x508 /* FIX, WC, VCNT 8 */, 0xC06);
    ck_assert(st.enabled);
    ck_assert(st.fixed_enabled);
    ck_assert_int_eq(st.default_type, MTRR_TYPE_WB);
    mtrr_state_set_def_type(&st, 0x008 /* no fixed ranges */, 0xC00);
    ck_assert(st.enabled);
    ck_assert(!st.fixed_enabled);
    ck_assert_int_eq(st.default_type, MTRR_TYPE_UC);
    mtrr_state_set_def_type(&st, 0x508, 0x406);
    ck_assert(!st.enabled);

    ck_assert_int_eq(mtrr_fixed_index(0x250), 0);
    ck_assert_int_eq(mtrr_fixed_index(0x258), 1);
    ck_assert_int_eq(mtrr_fixed_index(0x259), 2);
    ck_assert_int_eq(mtrr_fixed_index(0x268), 3);
    ck_assert_int_eq(mtrr_fixed_index(0x26F), 10);
    ck_assert_int_eq(mtrr_fixed_index(0x270), -1);
    ck_assert_int_eq(mtrr_fixed_index(0x2FF), -1);
}
END_TEST

START_TEST(reserved_type_reads_as_uc)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, 2 /* reserved encoding */);
    ck_assert_int_eq(mtrr_type_of(&st, 0), MTRR_TYPE_UC);
}
END_TEST

static Suite *mtrr_suite(void)
{
    Suite *s = suite_create("mtrr");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, disabled_means_uc);
    tcase_add_test(tc, default_type_only);
    tcase_add_test(tc, variable_range_large);
    tcase_add_test(tc, variable_range_inside_2m);
    tcase_add_test(tc, overlap_rules);
    tcase_add_test(tc, invalid_variable_range_ignored);
    tcase_add_test(tc, non_contiguous_mask);
    tcase_add_test(tc, fixed_ranges);
    tcase_add_test(tc, fixed_take_priority_below_1m);
    tcase_add_test(tc, def_type_decode_and_fixed_index);
    tcase_add_test(tc, reserved_type_reads_as_uc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mtrr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
