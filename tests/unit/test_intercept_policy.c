/*
 * Unit tests for common/exits/intercept_policy.c: which MSRs and which
 * instructions bookvisor intercepts, on which CPUs, and that every rule says
 * why. The MTRR rules are checked against mtrr_is_msr(), which routes the
 * writes they cause (common/exits/exit_handlers.c).
 *
 * unit-sources: common/exits/intercept_policy.c common/npt/mtrr_write.c common/npt/mtrr.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "common/exits/intercept_policy.h"
#include "common/npt/mtrr_write.h"
#include "tests/unit/unit_main.h"

#define MTRRCAP_8_FIXED 0x508 /* VCNT 8, FIX, WC */

static const struct intercept_facts intel = { .intel = true, .has_vmx = true, .has_mtrr = true,
                                              .mtrr_cap = MTRRCAP_8_FIXED };
static const struct intercept_facts amd = { .has_svm = true, .has_mtrr = true,
                                            .mtrr_cap = MTRRCAP_8_FIXED };

static void assert_msr(const struct intercept_facts *f, u32 msr, bool read, bool write)
{
    bool r = !read, w = !write;
    ck_assert_msg(intercept_policy_msr(f, msr, &r, &w), "MSR 0x%x not intercepted", msr);
    ck_assert_msg(r == read && w == write, "MSR 0x%x: read %d write %d", msr, r, w);
}

static void assert_not_msr(const struct intercept_facts *f, u32 msr)
{
    ck_assert_msg(!intercept_policy_msr(f, msr, NULL, NULL), "MSR 0x%x intercepted", msr);
}

/* MTRR writes exit (the nested map follows them), reads do not; exactly the
 * MSRs mtrr_is_msr() recognises, for every VCNT up to 40 (the room below
 * the fixed ranges) and with or without FIX. */
START_TEST(mtrr_writes_match_the_router)
{
    for (u64 cap = 0; cap <= 0x100 + 40; cap = cap == 40 ? 0x100 : cap + 1) {
        struct intercept_facts f = intel;
        f.mtrr_cap = cap;
        for (u32 msr = 0; msr < 0x400; msr++) {
            bool w = false, r = true;
            bool hit = intercept_policy_msr(&f, msr, &r, &w) && msr != 0x1B && msr != 0x3A &&
                       msr != 0x1A0;
            ck_assert_msg(hit == mtrr_is_msr(msr, cap), "cap 0x%llx MSR 0x%x", (unsigned long long)cap,
                          msr);
            if (hit)
                ck_assert(w && !r);
        }
    }
    assert_msr(&intel, 0x200, false, true);
    assert_msr(&intel, 0x20F, false, true);
    assert_not_msr(&intel, 0x210);
    assert_msr(&intel, 0x26F, false, true);
    assert_msr(&intel, 0x2FF, false, true);
    struct intercept_facts none = intel;
    none.has_mtrr = false;
    assert_not_msr(&none, 0x2FF);
    assert_not_msr(&none, 0x200);
}
END_TEST

/* The guest was told there is no VMX and no SVM: their MSRs are all the
 * VMM's, reads and writes; VM_HSAVE_PA on every CPU. */
START_TEST(virtualization_msrs_hidden)
{
    for (u32 msr = 0x480; msr <= 0x493; msr++) {
        assert_msr(&intel, msr, true, true);
        assert_msr(&amd, msr, true, true);
    }
    assert_not_msr(&intel, 0x47F);
    assert_not_msr(&intel, 0x494);
    assert_msr(&intel, 0xC0010117, true, true);
    assert_msr(&amd, 0xC0010117, true, true);
    assert_msr(&intel, 0x3A, true, true); /* IA32_FEATURE_CONTROL: with VMX */
    assert_not_msr(&amd, 0x3A);
    assert_msr(&amd, 0xC0010114, true, true); /* VM_CR: with SVM */
    assert_not_msr(&intel, 0xC0010114);
    assert_msr(&intel, 0x1A0, false, true); /* IA32_MISC_ENABLE: Intel's CPUID limit */
    assert_not_msr(&amd, 0x1A0);
    /* IA32_APIC_BASE: writes, on every CPU (the APIC would move for the VMM too). */
    assert_msr(&intel, 0x1B, false, true);
    assert_msr(&amd, 0x1B, false, true);
    /* EFER: writes on every CPU (the rules of the guest's CPU); reads with SVM
     * (the VMCB's EFER carries SVME, which the guest must not see). */
    assert_msr(&intel, 0xC0000080, false, true);
    assert_msr(&amd, 0xC0000080, true, true);
}
END_TEST

static const struct insn_intercept *rule_for(enum vm_intercept what)
{
    size_t n;
    const struct insn_intercept *t = intercept_policy_insns(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].what == what)
            return &t[i];
    ck_abort_msg("no rule for intercept %u", what);
    return NULL;
}

/* CR4 writes exit only where the CPU's own checks are not the guest's: a
 * CR4 feature hidden from the guest (VMXE on Intel), or a virtual CPU
 * (QEMU's TCG turns a reserved CR4 write into a failed VMRUN). CR0 writes
 * and every other instruction rule apply everywhere. */
START_TEST(cr4_writes_only_where_needed)
{
    struct intercept_facts vmx = intel, hw_amd = amd, qemu_amd = amd;
    vmx.cr4_hidden = 1u << 13; /* VMXE: the CPU has VMX, the guest was told it has not */
    qemu_amd.virtual_cpu = true;
    const struct insn_intercept *cr4 = rule_for(VM_INTERCEPT_CR4_WRITE);
    ck_assert(intercept_policy_insn_wanted(cr4, &vmx));
    ck_assert(intercept_policy_insn_wanted(cr4, &qemu_amd));
    ck_assert(!intercept_policy_insn_wanted(cr4, &hw_amd));
    size_t n;
    const struct insn_intercept *t = intercept_policy_insns(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].what != VM_INTERCEPT_CR4_WRITE)
            ck_assert_msg(intercept_policy_insn_wanted(&t[i], &hw_amd), "%s", t[i].name);
    ck_assert(intercept_policy_insn_wanted(rule_for(VM_INTERCEPT_CR0_WRITE), &hw_amd));
}
END_TEST

/* No two rules overlap (a later one would silently undo an earlier one in
 * the permission maps), each says why, and the maximum is enough. */
START_TEST(msr_rules_are_disjoint_and_explained)
{
    const struct intercept_facts every = { .intel = true, .has_vmx = true, .has_svm = true,
                                           .has_mtrr = true, .mtrr_cap = 0x1FF }; /* VCNT 255 */
    struct msr_intercept rules[INTERCEPT_POLICY_MAX_MSR_RULES + 4];
    size_t n = intercept_policy_msrs(&every, rules, ARRAY_SIZE(rules));

    ck_assert_uint_le(n, INTERCEPT_POLICY_MAX_MSR_RULES);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_le(rules[i].first, rules[i].last);
        ck_assert(rules[i].read || rules[i].write);
        ck_assert_uint_gt(strlen(rules[i].why), 20);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(rules[i].last < rules[j].first || rules[j].last < rules[i].first,
                          "rules %zu and %zu overlap", j, i);
    }
    /* Too small a table: the count still tells the need. */
    ck_assert_uint_eq(intercept_policy_msrs(&every, rules, 2), n);
}
END_TEST

/* Every kind of instruction intercept is asked for exactly once, with a
 * reason; external interrupts (below) and NMIs are the kinds decided apart. */
START_TEST(every_instruction_intercept_once)
{
    size_t n;
    const struct insn_intercept *t = intercept_policy_insns(&n);
    unsigned seen[VM_INTERCEPT_COUNT] = { 0 };

    seen[VM_INTERCEPT_EXTERNAL_INTERRUPT] = 1;
    seen[VM_INTERCEPT_NMI] = 1; /* on with other processors (chapter 08, "Shootdown") */
    ck_assert_uint_eq(n + 2, VM_INTERCEPT_COUNT);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(t[i].what, VM_INTERCEPT_COUNT);
        seen[t[i].what]++;
        ck_assert_uint_gt(strlen(t[i].name), 2);
        ck_assert_uint_gt(strlen(t[i].why), 20);
    }
    for (unsigned k = 0; k < VM_INTERCEPT_COUNT; k++)
        ck_assert_msg(seen[k] == 1, "intercept %u asked %u times", k, seen[k]);
}
END_TEST

/* External interrupts exit exactly while the VMM owns a vector, and each answer says why. */
START_TEST(external_interrupts_only_for_vmm_vectors)
{
    const char *why = NULL;
    ck_assert(!intercept_policy_external_interrupts(false, &why));
    ck_assert_ptr_nonnull(strstr(why, "guest owns"));
    ck_assert(intercept_policy_external_interrupts(true, &why));
    ck_assert_ptr_nonnull(strstr(why, "VMM owns a vector"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("intercept_policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, mtrr_writes_match_the_router);
    tcase_add_test(tc, virtualization_msrs_hidden);
    tcase_add_test(tc, msr_rules_are_disjoint_and_explained);
    tcase_add_test(tc, every_instruction_intercept_once);
    tcase_add_test(tc, external_interrupts_only_for_vmm_vectors);
    tcase_add_test(tc, cr4_writes_only_where_needed);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
