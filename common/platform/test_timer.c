/*
 * common/platform/test_timer.c - a periodic VMM timer that counts (chapter 07).
 */
#include "common/platform/test_timer.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/base/thread.h"
#include "common/base/timer.h"

static struct timer test_timer;
/* Written on the boot CPU only: by the timer, and by the guest's hypercalls
 * there (the boot vCPU belongs to it). */
static u64 runs;
static u64 due;  /* the deadline of the next run */
static u64 late; /* the worst lateness since test_timer_take_late() */

/* One run at now, of the one due at the deadline due. */
static void note_run(u64 now)
{
    __atomic_fetch_add(&runs, 1, __ATOMIC_RELAXED);
    if (now > due && now - due > late)
        late = now - due;
}

static void count_run(struct timer *t, u64 now)
{
    note_run(now);
    due = t->deadline; /* the queue has set the next deadline already */
}

/* The same runs from a thread: it sleeps to each deadline, so its lateness
 * is how late a sleeping thread wakes. Like a periodic timer, one that fell
 * a period behind starts again from now instead of running in a burst. */
static void run_thread(void *arg)
{
    (void)arg;
    for (;;) {
        u64 now = clock_now_us();
        if (now < due) {
            thread_sleep_us(due - now);
            continue;
        }
        note_run(now);
        due += TEST_TIMER_PERIOD_US;
        if (due <= now)
            due = now + TEST_TIMER_PERIOD_US;
    }
}

void test_timer_install_thread(void)
{
    due = clock_now_us() + TEST_TIMER_PERIOD_US;
    thread_create("test-timer", run_thread, NULL);
    kprintf("bookvisor: test.timer_thread: a VMM thread that runs every %u us on the boot CPU\n",
            TEST_TIMER_PERIOD_US);
}

void test_timer_install(void)
{
    test_timer.fn = count_run;
    int r = timer_start(&test_timer, TEST_TIMER_PERIOD_US, TEST_TIMER_PERIOD_US);
    due = test_timer.deadline;
    if (r == 0)
        kprintf("bookvisor: test.timer: a %u us periodic timer on the boot CPU\n",
                TEST_TIMER_PERIOD_US);
    else
        kprintf("bookvisor: test.timer: the timer could not be started\n");
}

u64 test_timer_count(void)
{
    return __atomic_load_n(&runs, __ATOMIC_RELAXED);
}

u64 test_timer_take_late(void)
{
    u64 worst = late;
    late = 0;
    return worst;
}
