/*
 * Unit tests for arch/vmx/vmx_feature_control.c: what the VT-x backend does
 * with IA32_FEATURE_CONTROL before VMXON, for every combination of the lock
 * and "VMX outside SMX" bits, and with the SMX bits (which must not matter)
 * flipped on each of them.
 *
 * unit-sources: arch/vmx/vmx_feature_control.c
 */
#include <check.h>
#include <stdlib.h>

#include "arch/vmx/vmx_feature_control.h"
#include "tests/unit/unit_main.h"

#define LOCK VMX_FEATURE_CONTROL_LOCK
#define OUTSIDE VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX
/* VMX inside SMX, the SENTER local enables (14:8) and global enable (15). */
#define SMX_BITS (VMX_FEATURE_CONTROL_VMX_INSIDE_SMX | 0xFF00ull)
/* Bits of other features (SGX launch control 17, SGX 18, LMCE 20). */
#define OTHER_BITS ((1ull << 17) | (1ull << 18) | (1ull << 20))

static const struct {
    const char *what;
    u64 msr;
    enum vmx_feature_control_action action;
    u64 value;
} samples[] = {
    { "locked, VMX enabled", LOCK | OUTSIDE, VMX_FC_USE, LOCK | OUTSIDE },
    { "locked, VMX disabled", LOCK, VMX_FC_REFUSE, LOCK },
    { "unlocked, bits clear", 0, VMX_FC_WRITE, LOCK | OUTSIDE },
    { "unlocked, VMX already enabled", OUTSIDE, VMX_FC_WRITE, LOCK | OUTSIDE },
    /* Bits of other features are kept, whether written back or not. */
    { "locked, enabled, other features", LOCK | OUTSIDE | OTHER_BITS, VMX_FC_USE,
      LOCK | OUTSIDE | OTHER_BITS },
    { "unlocked, other features", OTHER_BITS, VMX_FC_WRITE, LOCK | OUTSIDE | OTHER_BITS },
};

static void assert_decision(const struct vmx_feature_control_decision *d,
                            enum vmx_feature_control_action action, u64 value, const char *what)
{
    ck_assert_msg(d->action == action, "%s: action %d, expected %d", what, (int)d->action,
                  (int)action);
    ck_assert_msg(d->value == value, "%s: value 0x%llx, expected 0x%llx", what,
                  (unsigned long long)d->value, (unsigned long long)value);
    if (action == VMX_FC_REFUSE)
        ck_assert_str_eq(d->reason,
                         "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked)");
    else
        ck_assert_ptr_null(d->reason);
}

START_TEST(decision)
{
    struct vmx_feature_control_decision d = vmx_feature_control_decide(samples[_i].msr);

    assert_decision(&d, samples[_i].action, samples[_i].value, samples[_i].what);
}
END_TEST

/* bookvisor never enters SMX: flipping the SMX bits changes no decision, and
 * a value written back keeps them as they were. */
START_TEST(smx_bits_are_irrelevant)
{
    u64 msr = samples[_i].msr ^ SMX_BITS;
    struct vmx_feature_control_decision d = vmx_feature_control_decide(msr);

    assert_decision(&d, samples[_i].action, samples[_i].value ^ SMX_BITS, samples[_i].what);
}
END_TEST

/* The two bits that matter, every combination, with everything else set. */
START_TEST(only_lock_and_outside_smx_decide)
{
    /* Indexed by combo: bit 0 = lock, bit 1 = VMX outside SMX. */
    static const enum vmx_feature_control_action expect[4] = {
        VMX_FC_WRITE, VMX_FC_REFUSE, VMX_FC_WRITE, VMX_FC_USE,
    };
    u64 rest = ~(LOCK | OUTSIDE);
    unsigned combo;

    for (combo = 0; combo < 4; combo++) {
        u64 msr = rest | ((combo & 1) ? LOCK : 0) | ((combo & 2) ? OUTSIDE : 0);
        struct vmx_feature_control_decision d = vmx_feature_control_decide(msr);

        ck_assert_int_eq(d.action, expect[combo]);
        ck_assert_uint_eq(d.value, d.action == VMX_FC_WRITE ? ~0ull : msr);
    }
}
END_TEST

static Suite *vmx_feature_control_suite(void)
{
    Suite *s = suite_create("vmx_feature_control");
    TCase *t = tcase_create("decide");

    tcase_add_loop_test(t, decision, 0, (int)ARRAY_SIZE(samples));
    tcase_add_loop_test(t, smx_bits_are_irrelevant, 0, (int)ARRAY_SIZE(samples));
    tcase_add_test(t, only_lock_and_outside_smx_decide);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return unit_run_suite(vmx_feature_control_suite());
}
