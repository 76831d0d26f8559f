/*
 * Unit tests for arch/svm/svm_lapic_borrow.c: when AMD-V's run bound may
 * borrow the guest's local APIC timer, and the count it arms for a deadline.
 * unit-sources: arch/svm/svm_lapic_borrow.c
 */
#include <check.h>
#include <stdlib.h>
#include "arch/svm/svm_lapic_borrow.h"
#include "tests/unit/unit_main.h"

START_TEST(borrow_only_an_idle_masked_timer)
{
    ck_assert(svm_lapic_may_borrow(0x10000, 0));             /* the reset value: masked, stopped */
    ck_assert(svm_lapic_may_borrow(0x10000 | 0xEC, 0));      /* masked with a vector (Linux shut down) */
    ck_assert(svm_lapic_may_borrow(0x10000 | (1u << 17), 0)); /* masked periodic, stopped */
    ck_assert(!svm_lapic_may_borrow(0xEC, 0));               /* unmasked: the guest's ticks */
    ck_assert(!svm_lapic_may_borrow(0x10000, 0xFFFFFFFF));   /* masked but counting (a calibration) */
    ck_assert(!svm_lapic_may_borrow(0x10000 | (2u << 17), 0)); /* TSC-deadline: its MSR may be armed */
}
END_TEST

START_TEST(a_guest_write_is_seen)
{
    u32 ours = svm_lapic_borrowed_lvt();
    ck_assert_uint_eq(ours, SVM_BOUND_VECTOR); /* one-shot, unmasked */
    ck_assert(svm_lapic_lvt_ours(ours));
    ck_assert(svm_lapic_lvt_ours(ours | (1u << 12))); /* delivery status is the APIC's */
    ck_assert(svm_lapic_still_ours(ours, 1234, 1234));
    ck_assert(!svm_lapic_still_ours(ours, 99, 1234));                /* the guest wrote a count */
    ck_assert(!svm_lapic_still_ours(ours | 0x10000 | 0xEC, 1234, 1234)); /* Linux's masking RMW */
    ck_assert(!svm_lapic_still_ours(0xEC, 1234, 1234));              /* the guest's vector */
    ck_assert(!svm_lapic_still_ours(ours | (1u << 17), 0, 0));       /* periodic */
}
END_TEST

START_TEST(an_interrupt_the_guest_cannot_take_is_left)
{
    /* Nothing the bound's: common code's exit as ever. */
    ck_assert_int_eq(svm_bound_take_choice(false, false, false), SVM_BOUND_TAKE_NONE);
    ck_assert_int_eq(svm_bound_take_choice(false, true, false), SVM_BOUND_TAKE_NONE);
    /* The guest could take an interrupt: all are taken and queued. */
    ck_assert_int_eq(svm_bound_take_choice(true, true, true), SVM_BOUND_TAKE_ALL);
    ck_assert_int_eq(svm_bound_take_choice(false, true, true), SVM_BOUND_TAKE_ALL);
    ck_assert_int_eq(svm_bound_take_choice(true, true, false), SVM_BOUND_TAKE_ALL);
    /* IF = 0: the booting guest's stale 8259 tick (vmm-timer-halt's vector 8)
     * stays at the 8259; the bound's own vector comes without it. */
    ck_assert_int_eq(svm_bound_take_choice(false, false, true), SVM_BOUND_TAKE_DEFER);
    ck_assert_int_eq(svm_bound_take_choice(true, false, true), SVM_BOUND_TAKE_APIC_ONLY);
    ck_assert_int_eq(svm_bound_take_choice(true, false, false), SVM_BOUND_TAKE_LATER);
}
END_TEST

START_TEST(divide_configuration)
{
    ck_assert_uint_eq(svm_lapic_divisor(0xB), 1);
    ck_assert_uint_eq(svm_lapic_divisor(0x0), 2);
    ck_assert_uint_eq(svm_lapic_divisor(0x1), 4);
    ck_assert_uint_eq(svm_lapic_divisor(0x2), 8);
    ck_assert_uint_eq(svm_lapic_divisor(0x3), 16);
    ck_assert_uint_eq(svm_lapic_divisor(0x8), 32);
    ck_assert_uint_eq(svm_lapic_divisor(0x9), 64);
    ck_assert_uint_eq(svm_lapic_divisor(0xA), 128);
    ck_assert_uint_eq(svm_lapic_divisor(0xFFFFFFF0 | 0xB), 1); /* other bits ignored */
}
END_TEST

START_TEST(rate_from_a_calibration)
{
    ck_assert_uint_eq(svm_lapic_rate(1000, 1000), 1ULL << 32);       /* Bochs: one tick a cycle */
    ck_assert_uint_eq(svm_lapic_rate(1000, 4000), 1ULL << 30);       /* a quarter */
    ck_assert_uint_eq(svm_lapic_rate(0, 1000), 0);                   /* did not count */
    ck_assert_uint_eq(svm_lapic_rate(1000, 0), 0);
    ck_assert_uint_eq(svm_lapic_rate(1ULL << 32, 1ULL << 32), 0);    /* would overflow */
    ck_assert_uint_eq(svm_lapic_rate(1ULL << 31, 1), 0);             /* absurdly fast */
}
END_TEST

START_TEST(count_never_early)
{
    u64 quarter = 1ULL << 30; /* 0.25 ticks a cycle */
    ck_assert_uint_eq(svm_lapic_count_for(1000, 5000, quarter, 1), 1000);
    ck_assert_uint_eq(svm_lapic_count_for(1000, 5001, quarter, 1), 1001); /* 1000.25: up */
    ck_assert_uint_eq(svm_lapic_count_for(1000, 5000, quarter, 16), 63);  /* 62.5: up */
    ck_assert_uint_eq(svm_lapic_count_for(1000, 1001, quarter, 128), 1);
    ck_assert_uint_eq(svm_lapic_count_for(5000, 1000, quarter, 1), 1);    /* past: at once */
    ck_assert_uint_eq(svm_lapic_count_for(5000, 5000, quarter, 1), 1);
    ck_assert_uint_eq(svm_lapic_count_for(0, ~0ULL, 1ULL << 32, 1), 0xFFFFFFFF); /* saturated */
    ck_assert_uint_eq(svm_lapic_count_for(0, 1ULL << 40, 1ULL << 32, 2), 0xFFFFFFFF);
    ck_assert_uint_eq(svm_lapic_count_for(0, 0x1FFFFFFFEULL, 1ULL << 32, 2), 0xFFFFFFFF);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("svm_lapic_borrow");
    TCase *tc = tcase_create("borrow");
    tcase_add_test(tc, borrow_only_an_idle_masked_timer);
    tcase_add_test(tc, a_guest_write_is_seen);
    tcase_add_test(tc, an_interrupt_the_guest_cannot_take_is_left);
    tcase_add_test(tc, divide_configuration);
    tcase_add_test(tc, rate_from_a_calibration);
    tcase_add_test(tc, count_never_early);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
