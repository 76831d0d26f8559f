/*
 * Unit tests for common/lib/clock_math.c and common/lib/timer_queue.c: the
 * clock never overflows or wraps in practice; timers run in deadline order.
 * unit-sources: common/lib/clock_math.c common/lib/timer_queue.c
 */
#include <check.h>
#include <stdlib.h>
#include "common/lib/clock_math.h"
#include "common/lib/timer_queue.h"
#include "tests/unit/unit_main.h"

#define GHZ3 3000000000ULL

START_TEST(cycles_to_us_exact_and_no_overflow)
{
    struct clock_scale s = clock_scale_for(GHZ3);
    ck_assert_uint_eq(clock_cycles_to_us(&s, 0), 0);
    ck_assert_uint_eq(clock_cycles_to_us(&s, GHZ3), 1000000);
    ck_assert_uint_le(clock_cycles_to_us(&s, 3000), 1); /* at most 1 us short */
    ck_assert_uint_eq(clock_cycles_to_us(&s, 3001), 1);
    /* cycles * 1e6 overflows 64 bits past 1.8e13 cycles (about 100 minutes here). */
    u64 two_hours = 2 * 3600 * GHZ3;
    ck_assert_uint_eq(clock_cycles_to_us(&s, two_hours), 2ULL * 3600 * 1000000);
    /* The whole TSC range: 2^64 cycles at 3 GHz is about 194 years. */
    u64 max_us = clock_cycles_to_us(&s, ~0ULL);
    ck_assert_uint_eq(max_us / 1000000, ~0ULL / GHZ3);
    /* Past 2^32 us (71.6 minutes), where a 32-bit microsecond counter wraps. */
    u64 c = clock_us_to_cycles(&s, (1ULL << 32) + 5);
    ck_assert_uint_ge(clock_cycles_to_us(&s, c), (1ULL << 32) + 4);
    ck_assert_uint_le(clock_cycles_to_us(&s, c), (1ULL << 32) + 5);
    ck_assert_uint_eq(clock_us_to_cycles(&s, 1), 3000);
    ck_assert_uint_eq(clock_us_to_cycles(&s, 1000000), GHZ3);
    ck_assert_uint_eq(clock_us_to_cycles(&s, ~0ULL), ~0ULL); /* saturates */
}
END_TEST

START_TEST(monotonic_across_second_boundaries)
{
    struct clock_scale s = clock_scale_for(2999999999ULL); /* an odd frequency */
    u64 last = 0;
    for (u64 c = s.hz - 2000; c < s.hz + 2000; c += 7) {
        u64 us = clock_cycles_to_us(&s, c);
        ck_assert_uint_ge(us, last);
        last = us;
    }
    for (u64 k = 1; k < 100000; k += 997) {
        u64 c = k * s.hz;
        ck_assert_uint_le(clock_cycles_to_us(&s, c - 1), clock_cycles_to_us(&s, c));
    }
}
END_TEST

START_TEST(calibration_and_counter_wrap)
{
    /* 10 ms of the ACPI PM timer (3.579545 MHz) while the TSC ran 30e6 cycles. */
    ck_assert_uint_eq(clock_calibrate_hz(30000000, 35795, 3579545), 3000037715ULL);
    ck_assert_uint_eq(clock_calibrate_hz(1000, 1000, 1000), 1000);
    ck_assert_uint_eq(clock_counter_delta(0xFFFFF0, 0x10, 24), 0x20);
    ck_assert_uint_eq(clock_counter_delta(0xFFFFFFF0, 0x10, 32), 0x20);
    ck_assert_uint_eq(clock_counter_delta(0x10, 0xFFF0, 16), 0xFFE0);
    ck_assert_uint_eq(clock_counter_delta(5, 5, 24), 0);
}
END_TEST

static unsigned order[8], n_order;

static void record(struct timer *t, u64 now)
{
    (void)now;
    order[n_order++] = (unsigned)(unsigned long)t->ctx;
}

START_TEST(timers_run_in_deadline_order)
{
    struct timer_queue q = { .n = 0 };
    struct timer a = { 300, 0, record, (void *)1, false };
    struct timer b = { 100, 0, record, (void *)2, false };
    struct timer c = { 200, 0, record, (void *)3, false };
    struct timer d = { 200, 0, record, (void *)4, false };
    n_order = 0;
    ck_assert_int_eq(timer_queue_add(&q, &a), 0);
    ck_assert_int_eq(timer_queue_add(&q, &b), 0);
    ck_assert_int_eq(timer_queue_add(&q, &c), 0);
    ck_assert_int_eq(timer_queue_add(&q, &d), 0);
    ck_assert_int_eq(timer_queue_add(&q, &d), -1); /* twice */
    ck_assert_uint_eq(timer_queue_next(&q), 100);
    ck_assert_uint_eq(timer_queue_run_due(&q, 99), 0);
    ck_assert_uint_eq(timer_queue_run_due(&q, 200), 3);
    ck_assert_uint_eq(order[0], 2);
    ck_assert_uint_eq(order[1], 3); /* equal deadlines: first added first */
    ck_assert_uint_eq(order[2], 4);
    ck_assert(timer_queue_cancel(&q, &a));
    ck_assert(!timer_queue_cancel(&q, &a));
    ck_assert_uint_eq(timer_queue_next(&q), ~0ULL);
    ck_assert_uint_eq(timer_queue_run_due(&q, ~0ULL), 0);
}
END_TEST

static void stop_after_three(struct timer *t, u64 now)
{
    (void)now;
    if (++order[0] == 3)
        t->period = 0;
}

START_TEST(periodic_timers_and_a_full_queue)
{
    struct timer_queue q = { .n = 0 };
    struct timer p = { 10, 10, stop_after_three, NULL, false };
    order[0] = 0;
    timer_queue_add(&q, &p);
    ck_assert_uint_eq(timer_queue_run_due(&q, 10), 1);
    ck_assert_uint_eq(p.deadline, 20);
    ck_assert_uint_eq(timer_queue_run_due(&q, 1000), 1); /* late: once, not in a burst */
    ck_assert_uint_eq(p.deadline, 1010);
    ck_assert_uint_eq(timer_queue_run_due(&q, 1010), 1);
    ck_assert(!p.queued); /* it stopped itself */
    ck_assert_uint_eq(q.n, 0);

    static struct timer many[TIMER_QUEUE_MAX + 1];
    for (unsigned i = 0; i < TIMER_QUEUE_MAX; i++) {
        many[i] = (struct timer){ TIMER_QUEUE_MAX - i, 0, record, NULL, false };
        ck_assert_int_eq(timer_queue_add(&q, &many[i]), 0);
    }
    many[TIMER_QUEUE_MAX] = (struct timer){ 1, 0, record, NULL, false };
    ck_assert_int_eq(timer_queue_add(&q, &many[TIMER_QUEUE_MAX]), -1);
    for (unsigned i = 1; i < q.n; i++)
        ck_assert_uint_le(q.t[i - 1]->deadline, q.t[i]->deadline);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("clock_math");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, cycles_to_us_exact_and_no_overflow);
    tcase_add_test(tc, monotonic_across_second_boundaries);
    tcase_add_test(tc, calibration_and_counter_wrap);
    tcase_add_test(tc, timers_run_in_deadline_order);
    tcase_add_test(tc, periodic_timers_and_a_full_queue);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
