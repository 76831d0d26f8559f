/*
 * Unit tests for common/vm/cpuid_memo.c: slots, replacement,
 * and that an empty memo never answers, whatever the leaf.
 * unit-sources: common/vm/cpuid_memo.c common/lib/kstring.c tests/unit/cpuid_memo_slot_asm.S
 */
#include <check.h>
#include "common/vm/cpuid_memo.h"
#include "tests/unit/unit_main.h"

static struct cpuid_memo memo;

/* tests/unit/cpuid_memo_slot_asm.S: the hash as the backends' assembly computes it. */
u32 cpuid_memo_slot_offset_asm(u32 leaf);

/* The assembly and C agree on every leaf they are likely to see and on a
 * million spread over the whole range: one hash, whichever side computes it. */
START_TEST(assembly_and_c_hash_agree)
{
    static const u32 bases[] = { 0, 0x40000000u, 0x80000000u, 0xC0000000u, 0xFFFFF000u };
    for (unsigned b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
        for (u32 i = 0; i < 4096; i++) {
            u32 leaf = bases[b] + i;
            ck_assert_uint_eq(cpuid_memo_slot_offset_asm(leaf),
                              cpuid_memo_slot(leaf) << CPUID_MEMO_SLOT_SHIFT);
        }
    u32 x = 12345;
    for (unsigned i = 0; i < 1000000; i++) {
        x = x * 1664525u + 1013904223u;
        if (cpuid_memo_slot_offset_asm(x) != cpuid_memo_slot(x) << CPUID_MEMO_SLOT_SHIFT)
            ck_abort_msg("leaf 0x%08x: assembly slot offset %u, C slot %u", x,
                         cpuid_memo_slot_offset_asm(x), cpuid_memo_slot(x));
    }
    /* and the hash is the documented one */
    ck_assert_uint_eq(cpuid_memo_slot(0x80000008u), (0x80000008u + 8u) & (CPUID_MEMO_SLOTS - 1));
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
    tcase_add_test(tc, assembly_and_c_hash_agree);
    tcase_add_test(tc, empty_memo_never_answers);
    tcase_add_test(tc, put_then_get);
    tcase_add_test(tc, slots_spread_the_stable_leaves);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
