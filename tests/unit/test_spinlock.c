/*
 * Unit tests for the ticket spinlock (common/lib/spinlock.h, header only),
 * with host threads standing in for CPUs: a counter incremented under the
 * lock by several threads ends exact, and threads that queued one after the
 * other are served in the order they took their tickets.
 *
 * unit-sources:
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>

#include "common/lib/spinlock.h"
#include "tests/unit/unit_main.h"

#define THREADS 4
#define ROUNDS 200000

static struct spinlock lock;
static u64 counter;

static void *count_under_lock(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        spin_lock(&lock);
        /* Read, yield now and then, write: without the lock, updates get lost. */
        u64 c = counter;
        if ((i & 1023) == 0)
            sched_yield();
        counter = c + 1;
        spin_unlock(&lock);
    }
    return NULL;
}

START_TEST(counter_under_lock_is_exact)
{
    pthread_t t[THREADS];
    counter = 0;
    lock = (struct spinlock){ 0, 0 };
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, count_under_lock, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    ck_assert_uint_eq(counter, (u64)THREADS * ROUNDS);
    ck_assert(!spin_is_locked(&lock));
}
END_TEST

static int served[THREADS];
static int nserved;

static void *record_turn(void *arg)
{
    spin_lock(&lock);
    served[nserved++] = (int)(intptr_t)arg;
    spin_unlock(&lock);
    return NULL;
}

/*
 * The main thread holds the lock; thread k is started only once thread k-1
 * is waiting with its ticket. When the lock is released they must come in
 * exactly that order (an unfair lock lets whichever thread is quickest in).
 */
START_TEST(tickets_are_served_in_order)
{
    pthread_t t[THREADS];
    lock = (struct spinlock){ 0, 0 };
    nserved = 0;
    spin_lock(&lock);
    for (int k = 0; k < THREADS; k++) {
        ck_assert_int_eq(pthread_create(&t[k], NULL, record_turn, (void *)(intptr_t)k), 0);
        while (spin_waiters(&lock) != (u32)k + 2) /* the holder plus k + 1 waiters */
            sched_yield();
    }
    ck_assert_int_eq(nserved, 0);
    spin_unlock(&lock);
    for (int k = 0; k < THREADS; k++)
        ck_assert_int_eq(pthread_join(t[k], NULL), 0);
    ck_assert_int_eq(nserved, THREADS);
    for (int k = 0; k < THREADS; k++)
        ck_assert_int_eq(served[k], k);
}
END_TEST

START_TEST(held_state_and_ticket_wrap)
{
    struct spinlock l = { 0, 0 };
    ck_assert(!spin_is_locked(&l));
    spin_lock(&l);
    ck_assert(spin_is_locked(&l));
    ck_assert_uint_eq(spin_waiters(&l), 1);
    spin_unlock(&l);
    ck_assert(!spin_is_locked(&l));

    /* The counters wrap around 2^32 without the lock noticing. */
    l = (struct spinlock){ 0xFFFFFFFEu, 0xFFFFFFFEu };
    for (int i = 0; i < 4; i++) {
        spin_lock(&l);
        ck_assert(spin_is_locked(&l));
        spin_unlock(&l);
        ck_assert(!spin_is_locked(&l));
    }
    ck_assert_uint_eq(l.next, 2);
    ck_assert_uint_eq(l.serving, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spinlock");
    TCase *tc = tcase_create("ticket");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, counter_under_lock_is_exact);
    tcase_add_test(tc, tickets_are_served_in_order);
    tcase_add_test(tc, held_state_and_ticket_wrap);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
