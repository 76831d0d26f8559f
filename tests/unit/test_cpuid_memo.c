/*
 * Unit tests for common/cpuid_memo.c: which leaves are remembered, slots,
 * and that an empty memo never answers, whatever the leaf.
 * unit-sources: common/cpuid_memo.c common/kstring.c
 */
#include <check.h>
#include "common/cpuid_memo.h"
#include "tests/unit/unit_main.h"

static struct cpuid_memo memo;

START_TEST(stable_leaves_only)
{
    static const u32 stable[] = { 0, 0x40000000, 0x40000001, 0x80000000, 0x80000002,
                                  0x80000003, 0x80000004, 0x80000008 };
    static const u32 changing[] = { 1, 4, 7, 0xB, 0xD, 0x80000001, 0x8000000A, 0x40000002,
                                    0xFFFFFFFF };
    for (unsigned i = 0; i < sizeof(stable) / sizeof(stable[0]); i++)
        ck_assert(cpuid_memo_stable_leaf(stable[i]));
    for (unsigned i = 0; i < sizeof(changing) / sizeof(changing[0]); i++)
        ck_assert(!cpuid_memo_stable_leaf(changing[i]));
}
END_TEST

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

START_TEST(put_then_get_and_unstable_ignored)
{
    struct cpuid_result zero = { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 };
    struct cpuid_result one = { 1, 2, 3, 4 };
    cpuid_memo_clear(&memo);
    cpuid_memo_put(&memo, 0, &zero);
    cpuid_memo_put(&memo, 1, &one); /* leaf 1 is not stable: not kept */
    const struct cpuid_answer *a = cpuid_memo_get(&memo, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->eax, 0x16);
    ck_assert_uint_eq(a->edx, 0x49656e69);
    ck_assert_ptr_null(cpuid_memo_get(&memo, 1));
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
    tcase_add_test(tc, stable_leaves_only);
    tcase_add_test(tc, empty_memo_never_answers);
    tcase_add_test(tc, put_then_get_and_unstable_ignored);
    tcase_add_test(tc, slots_spread_the_stable_leaves);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
