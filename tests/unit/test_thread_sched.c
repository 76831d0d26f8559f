/*
 * Unit tests for common/lib/thread_sched.c (the scheduler's decisions, with a
 * fake clock) and arch/x86/context_switch.S (real stack switches, on the
 * host: the calling convention is the same).
 * unit-sources: common/lib/thread_sched.c arch/x86/context_switch.S
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/context.h"
#include "common/lib/thread_sched.h"
#include "tests/unit/unit_main.h"

static struct thread_sched s;
static struct thread_entry a, b, c;

static void setup(void)
{
    thread_sched_init(&s);
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    memset(&c, 0, sizeof(c));
}

START_TEST(run_queue_is_first_come_first_served)
{
    thread_sched_add(&s, &a);
    thread_sched_add(&s, &b);
    thread_sched_add(&s, &c);
    ck_assert_uint_eq(a.id, 1);
    ck_assert_uint_eq(c.id, 3);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &a);
    ck_assert_int_eq(a.state, THREAD_RUNNING);
    ck_assert_ptr_eq(s.current, &a);
    thread_sched_yield(&s); /* a goes behind c */
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &b);
    thread_sched_exit(&s);
    ck_assert_int_eq(b.state, THREAD_DONE);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &c);
    thread_sched_yield(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &a);
    thread_sched_exit(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &c);
    thread_sched_exit(&s);
    ck_assert_ptr_null(thread_sched_pick(&s, 0));
    ck_assert(!thread_sched_has_work(&s, ~0ULL));
}
END_TEST

START_TEST(sleepers_wake_in_time_order_and_not_before)
{
    thread_sched_add(&s, &a);
    thread_sched_add(&s, &b);
    thread_sched_add(&s, &c);
    thread_sched_pick(&s, 100);
    thread_sched_sleep(&s, 300); /* a */
    thread_sched_pick(&s, 100);
    thread_sched_sleep(&s, 200); /* b */
    thread_sched_pick(&s, 100);
    thread_sched_sleep(&s, 300); /* c: the same time as a, after it */
    ck_assert_uint_eq(thread_sched_next_wake(&s), 200);
    ck_assert(!thread_sched_has_work(&s, 199));
    ck_assert_ptr_null(thread_sched_pick(&s, 199));
    ck_assert(thread_sched_has_work(&s, 200));
    ck_assert_ptr_eq(thread_sched_pick(&s, 250), &b);
    thread_sched_exit(&s);
    ck_assert_ptr_null(thread_sched_pick(&s, 299));
    ck_assert_ptr_eq(thread_sched_pick(&s, 1000), &a); /* late: both due, in wake order */
    thread_sched_exit(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 1000), &c);
    ck_assert_uint_eq(thread_sched_next_wake(&s), ~0ULL);
}
END_TEST

/* A sleeper is due at its wake time itself, not one tick after it. */
START_TEST(a_sleeper_wakes_at_its_time_exactly)
{
    thread_sched_add(&s, &a);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &a);
    thread_sched_sleep(&s, 200);
    ck_assert_int_eq(a.state, THREAD_SLEEPING);
    ck_assert_uint_eq(a.wake_at, 200);
    ck_assert_ptr_null(s.current);
    ck_assert_ptr_null(thread_sched_pick(&s, 199));
    ck_assert_int_eq(a.state, THREAD_SLEEPING);
    ck_assert_ptr_eq(thread_sched_pick(&s, 200), &a);
    ck_assert_int_eq(a.state, THREAD_RUNNING);
    ck_assert_ptr_null(s.sleepers);
}
END_TEST

/*
 * One pick wakes every sleeper that is due, and they queue behind the threads
 * that were runnable already: a sleeper does not jump the run queue.
 */
START_TEST(due_sleepers_all_wake_and_queue_behind_the_runnable)
{
    thread_sched_add(&s, &a);
    thread_sched_add(&s, &b);
    thread_sched_add(&s, &c);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &a);
    thread_sched_sleep(&s, 100);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &b);
    thread_sched_sleep(&s, 150);
    ck_assert_uint_eq(thread_sched_next_wake(&s), 100);
    /* c was runnable before a and b woke: it goes first. */
    ck_assert_ptr_eq(thread_sched_pick(&s, 500), &c);
    ck_assert_int_eq(a.state, THREAD_RUNNABLE);
    ck_assert_int_eq(b.state, THREAD_RUNNABLE);
    ck_assert_ptr_null(s.sleepers);
    ck_assert_uint_eq(thread_sched_next_wake(&s), ~0ULL);
    thread_sched_yield(&s); /* c goes behind a and b */
    ck_assert_ptr_eq(thread_sched_pick(&s, 500), &a);
    thread_sched_exit(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 500), &b);
    thread_sched_exit(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 500), &c);
    thread_sched_exit(&s);
    ck_assert_ptr_null(thread_sched_pick(&s, 500));
}
END_TEST

/* The run queue empties and fills again: its tail must follow. */
/*
 * The time the threads want their next batch, which bounds the guest's run
 * (chapter 07): nothing alive or all waiting: never; a sleeper: its wake
 * time, the earliest of several; a runnable thread: now (0), even while
 * others sleep.
 */
START_TEST(due_at_is_now_when_runnable_else_the_earliest_wake)
{
    ck_assert_uint_eq(thread_sched_due_at(&s), ~0ULL);
    thread_sched_add(&s, &a);
    thread_sched_add(&s, &b);
    thread_sched_add(&s, &c);
    ck_assert_uint_eq(thread_sched_due_at(&s), 0);
    thread_sched_pick(&s, 10);
    thread_sched_sleep(&s, 500); /* a */
    thread_sched_pick(&s, 10);
    thread_sched_wait(&s, &s); /* b */
    ck_assert_uint_eq(thread_sched_due_at(&s), 0); /* c still runnable */
    thread_sched_pick(&s, 10);
    thread_sched_sleep(&s, 300); /* c: earlier than a */
    ck_assert_uint_eq(thread_sched_due_at(&s), 300);
    ck_assert_ptr_eq(thread_sched_pick(&s, 300), &c);
    thread_sched_exit(&s);
    ck_assert_uint_eq(thread_sched_due_at(&s), 500);
    thread_sched_signal(&s, &s); /* b runnable: due now, though a sleeps */
    ck_assert_uint_eq(thread_sched_due_at(&s), 0);
    ck_assert_ptr_eq(thread_sched_pick(&s, 400), &b);
    thread_sched_wait(&s, &s);
    ck_assert_uint_eq(thread_sched_due_at(&s), 500);
    ck_assert_ptr_eq(thread_sched_pick(&s, 500), &a);
    thread_sched_exit(&s);
    ck_assert_uint_eq(thread_sched_due_at(&s), ~0ULL); /* only b, waiting */
}
END_TEST

START_TEST(the_run_queue_empties_and_fills_again)
{
    thread_sched_add(&s, &a);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &a);
    ck_assert_ptr_null(s.run_head);
    ck_assert_ptr_null(s.run_tail);
    thread_sched_add(&s, &b);
    ck_assert_ptr_eq(s.run_head, &b);
    thread_sched_sleep(&s, 10); /* a, current */
    ck_assert_ptr_eq(thread_sched_pick(&s, 10), &b);
    ck_assert_ptr_eq(s.current, &b);
    thread_sched_yield(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 10), &a);
    ck_assert_ptr_eq(thread_sched_pick(&s, 10), &b);
    ck_assert_ptr_null(b.next);
}
END_TEST

START_TEST(waiters_wake_on_their_event_only)
{
    static int ev1, ev2;
    thread_sched_add(&s, &a);
    thread_sched_add(&s, &b);
    thread_sched_add(&s, &c);
    thread_sched_pick(&s, 0);
    thread_sched_wait(&s, &ev1); /* a */
    thread_sched_pick(&s, 0);
    thread_sched_wait(&s, &ev2); /* b */
    thread_sched_pick(&s, 0);
    thread_sched_wait(&s, &ev1); /* c */
    ck_assert_ptr_null(thread_sched_pick(&s, 0));
    ck_assert_uint_eq(thread_sched_signal(&s, &ev1), 2);
    ck_assert_uint_eq(thread_sched_signal(&s, &ev1), 0); /* nobody waits any more */
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &a);
    thread_sched_exit(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &c);
    thread_sched_exit(&s);
    ck_assert_ptr_null(thread_sched_pick(&s, 0));
    ck_assert_int_eq(b.state, THREAD_WAITING);
    ck_assert_uint_eq(thread_sched_signal(&s, &ev2), 1);
    ck_assert_ptr_eq(thread_sched_pick(&s, 0), &b);
}
END_TEST

START_TEST(one_cpu_runs_the_batch)
{
    ck_assert(thread_sched_begin_batch(&s, 0));
    ck_assert(!thread_sched_begin_batch(&s, 1)); /* THREAD_1CPU */
    thread_sched_end_batch(&s, 1);               /* not its batch: nothing happens */
    ck_assert(!thread_sched_begin_batch(&s, 1));
    thread_sched_end_batch(&s, 0);
    ck_assert(thread_sched_begin_batch(&s, 1));
    ck_assert_uint_eq(s.batch_cpu, 1);
}
END_TEST

/* Two real contexts on the host: main and a thread that counts and switches back. */
static u64 main_sp, thread_sp;
static volatile unsigned steps;
static volatile u64 kept_rbx;

static void thread_entry_fn(void)
{
    for (;;) {
        steps++;
        context_switch(&thread_sp, main_sp);
    }
}

START_TEST(context_switch_runs_a_new_stack_and_comes_back)
{
    size_t size = 64 * 1024;
    u8 *stack = malloc(size);
    ck_assert_ptr_nonnull(stack);
    thread_sp = context_prepare(stack + size, thread_entry_fn);
    ck_assert_uint_eq((stack + size - (u8 *)(uintptr_t)thread_sp) % 8, 0);
    ck_assert_uint_le(thread_sp + CONTEXT_PREPARED_BYTES, (u64)(uintptr_t)(stack + size));
    steps = 0;
    /* A callee-saved register must survive the round trips. */
    register u64 rbx __asm__("rbx") = 0x1122334455667788ULL;
    __asm__ volatile("" : "+r"(rbx));
    for (unsigned i = 1; i <= 5; i++) {
        context_switch(&main_sp, thread_sp);
        ck_assert_uint_eq(steps, i);
    }
    __asm__ volatile("" : "+r"(rbx));
    kept_rbx = rbx;
    ck_assert_uint_eq(kept_rbx, 0x1122334455667788ULL);
    /* The thread ran on its own stack: its saved pointer lies inside it. */
    ck_assert((u8 *)(uintptr_t)thread_sp > stack && (u8 *)(uintptr_t)thread_sp < stack + size);
    free(stack);
}
END_TEST

START_TEST(a_sleeper_with_an_event_wakes_on_whichever_comes_first)
{
    static int ev, other;
    thread_sched_add(&s, &a);
    thread_sched_add(&s, &b);
    thread_sched_pick(&s, 0);
    thread_sched_sleep_or_wait(&s, 1000, &ev); /* a */
    thread_sched_pick(&s, 0);
    thread_sched_sleep(&s, 500); /* b: a plain sleeper, no event */
    ck_assert_int_eq(a.state, THREAD_SLEEPING);
    ck_assert_uint_eq(thread_sched_due_at(&s), 500);
    ck_assert_uint_eq(thread_sched_signal(&s, &other), 0);
    ck_assert_uint_eq(thread_sched_signal(&s, NULL), 0); /* b's missing event is no event */
    ck_assert_uint_eq(thread_sched_signal(&s, &ev), 1); /* a, long before 1000 */
    ck_assert_int_eq(b.state, THREAD_SLEEPING);
    ck_assert_ptr_eq(thread_sched_pick(&s, 10), &a);
    ck_assert_ptr_null(a.event);
    ck_assert_uint_eq(thread_sched_due_at(&s), 500); /* only b sleeps: a left the sleepers */
    /* On time this time: the event is forgotten once it runs again. */
    thread_sched_sleep_or_wait(&s, 2000, &ev);
    ck_assert_ptr_eq(thread_sched_pick(&s, 600), &b);
    thread_sched_exit(&s);
    ck_assert_ptr_eq(thread_sched_pick(&s, 2000), &a);
    thread_sched_sleep(&s, 5000);
    ck_assert_uint_eq(thread_sched_signal(&s, &ev), 0); /* a plain sleep again */
    ck_assert_int_eq(a.state, THREAD_SLEEPING);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("thread_sched");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, run_queue_is_first_come_first_served);
    tcase_add_test(tc, sleepers_wake_in_time_order_and_not_before);
    tcase_add_test(tc, a_sleeper_wakes_at_its_time_exactly);
    tcase_add_test(tc, due_sleepers_all_wake_and_queue_behind_the_runnable);
    tcase_add_test(tc, due_at_is_now_when_runnable_else_the_earliest_wake);
    tcase_add_test(tc, the_run_queue_empties_and_fills_again);
    tcase_add_test(tc, waiters_wake_on_their_event_only);
    tcase_add_test(tc, a_sleeper_with_an_event_wakes_on_whichever_comes_first);
    tcase_add_test(tc, one_cpu_runs_the_batch);
    tcase_add_test(tc, context_switch_runs_a_new_stack_and_comes_back);
    suite_add_tcase(su, tc);
    return unit_run_suite(su);
}
