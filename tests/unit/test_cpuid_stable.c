/*
 * Unit tests for cpuid_policy_stable_leaf(), lab 2's second part: exactly the
 * leaves whose answer nothing in the guest can change may be remembered by the
 * CPUID memo (common/exits/cpuid_policy.h; chapter 02, "A memo of stable
 * answers").
 * unit-sources: common/exits/cpuid_policy.c
 */
#include <check.h>
#include "common/exits/cpuid_policy.h"
#include "tests/unit/unit_main.h"

static const u32 stable[] = { 0, 0x40000000, 0x40000001, 0x80000000, 0x80000002,
                              0x80000003, 0x80000004, 0x80000008 };

static bool in_stable(u32 leaf)
{
    for (unsigned i = 0; i < sizeof(stable) / sizeof(stable[0]); i++)
        if (stable[i] == leaf)
            return true;
    return false;
}

START_TEST(stable_leaves_are)
{
    for (unsigned i = 0; i < sizeof(stable) / sizeof(stable[0]); i++) {
        ck_assert_msg(cpuid_policy_stable_leaf(stable[i], false), "leaf 0x%x", stable[i]);
        ck_assert_msg(cpuid_policy_stable_leaf(stable[i], true), "leaf 0x%x", stable[i]);
    }
}
END_TEST

START_TEST(leaves_that_follow_the_guest_are_not)
{
    /* 7: OSPKE follows CR4.PKE; 0xB: subleaves (and the x2APIC ID per
     * subleaf); 0xD: sizes follow XCR0; 4: subleaves; 0x80000001 and
     * 0x8000000A: asked once at boot, not worth a slot */
    static const u32 changing[] = { 4, 6, 7, 0xB, 0xD, 0x14, 0x80000001, 0x80000007,
                                    0x8000000A, 0x40000002, 0x400000FF, 0x40000100,
                                    0xFFFFFFFF };
    for (unsigned i = 0; i < sizeof(changing) / sizeof(changing[0]); i++) {
        ck_assert_msg(!cpuid_policy_stable_leaf(changing[i], true), "leaf 0x%x", changing[i]);
        ck_assert_msg(!cpuid_policy_stable_leaf(changing[i], false), "leaf 0x%x", changing[i]);
    }
}
END_TEST

START_TEST(leaf1_only_where_osxsave_writes_exit)
{
    /* Leaf 1 mirrors CR4.OSXSAVE: stable exactly where a remembered answer's
     * bit follows it (a change exits and the handler empties the memo, or the
     * backend's assembly copies the bit into each answer). */
    ck_assert(!cpuid_policy_stable_leaf(1, false));
    ck_assert(cpuid_policy_stable_leaf(1, true));
}
END_TEST

START_TEST(every_other_leaf_in_the_ranges)
{
    static const u32 bases[] = { 0, 0x40000000, 0x80000000 };

    for (unsigned b = 0; b < 3; b++)
        for (u32 leaf = bases[b]; leaf < bases[b] + 0x40; leaf++)
            if (leaf != 1)
                for (int exits = 0; exits <= 1; exits++)
                    ck_assert_msg(cpuid_policy_stable_leaf(leaf, exits) == in_stable(leaf),
                                  "leaf 0x%x (osxsave_writes_exit %d)", leaf, exits);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpuid_stable");
    TCase *tc = tcase_create("stable");
    tcase_add_test(tc, stable_leaves_are);
    tcase_add_test(tc, leaves_that_follow_the_guest_are_not);
    tcase_add_test(tc, leaf1_only_where_osxsave_writes_exit);
    tcase_add_test(tc, every_other_leaf_in_the_ranges);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
