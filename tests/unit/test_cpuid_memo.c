/*
 * Unit tests for common/vm/cpuid_memo.c: slots, replacement,
 * and that an empty memo never answers, whatever the leaf.
 * unit-sources: common/vm/cpuid_memo.c common/lib/kstring.c
 */
#include <check.h>
#include "common/vm/cpuid_memo.h"
#include "tests/unit/unit_main.h"

static struct cpuid_memo memo;

START_TEST(empty_memo_never_answers)
{
    cpuid_memo_clear(&memo);
    /* every small leaf, the empty markers among them, and the ends of the range */
    for (u32 leaf = 0; leaf < 64; leaf++)
        ck_assert_ptr_null(cpuid_memo_get(&memo, leaf));
    ck_assert_ptr_null(cpuid_memo_get(&memo, 0xFFFFFFFF));
    ck_assert_ptr_null(cpuid_memo_get(&memo, 0x80000000));
    ck_assert_ptr_null(cpuid_memo_get(&memo, 0x40000000));
}
END_TEST

START_TEST(put_then_get)
{
    struct cpuid_result zero = { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 };
    struct cpuid_result one = { 1, 2, 3, 4 };
    cpuid_memo_clear(&memo);
    cpuid_memo_put(&memo, 0, &zero);
    const struct cpuid_answer *a = cpuid_memo_get(&memo, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->eax, 0x16);
    ck_assert_uint_eq(a->edx, 0x49656e69);
    ck_assert_ptr_null(cpuid_memo_get(&memo, 1)); /* never put */
    /* 0x80000008 shares leaf 0's slot: the later answer replaces the earlier */
    ck_assert_uint_eq(cpuid_memo_slot(0x80000008), cpuid_memo_slot(0));
    cpuid_memo_put(&memo, 0x80000008, &one);
    ck_assert_ptr_null(cpuid_memo_get(&memo, 0));
    ck_assert_ptr_nonnull(cpuid_memo_get(&memo, 0x80000008));
    cpuid_memo_clear(&memo);
    ck_assert_ptr_null(cpuid_memo_get(&memo, 0x80000008));
}
END_TEST

START_TEST(slots_spread_the_stable_leaves)
{
    ck_assert_uint_ne(cpuid_memo_slot(0), cpuid_memo_slot(0x40000000));
    ck_assert_uint_ne(cpuid_memo_slot(0), cpuid_memo_slot(0x80000000));
    ck_assert_uint_ne(cpuid_memo_slot(0x40000000), cpuid_memo_slot(0x40000001));
    ck_assert_uint_ne(cpuid_memo_slot(0x80000002), cpuid_memo_slot(0x80000004));
    for (u32 leaf = 0; leaf < 0x100; leaf++)
        ck_assert_uint_lt(cpuid_memo_slot(leaf | 0x80000000u), CPUID_MEMO_SLOTS);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpuid_memo");
    TCase *tc = tcase_create("memo");
    tcase_add_test(tc, empty_memo_never_answers);
    tcase_add_test(tc, put_then_get);
    tcase_add_test(tc, slots_spread_the_stable_leaves);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
