/*
 * common/platform/test_timer.c - a periodic VMM timer that counts (chapter 07).
 */
#include "common/platform/test_timer.h"
#include "common/base/kprintf.h"
#include "common/base/timer.h"

static struct timer test_timer;
static u64 runs; /* written on the boot CPU only, by the timer */

static void count_run(struct timer *t, u64 now)
{
    (void)t;
    (void)now;
    __atomic_fetch_add(&runs, 1, __ATOMIC_RELAXED);
}

void test_timer_install(void)
{
    test_timer.fn = count_run;
    if (timer_start(&test_timer, TEST_TIMER_PERIOD_US, TEST_TIMER_PERIOD_US) == 0)
        kprintf("bookvisor: test.timer: a %u us periodic timer on the boot CPU\n",
                TEST_TIMER_PERIOD_US);
    else
        kprintf("bookvisor: test.timer: the timer could not be started\n");
}

u64 test_timer_count(void)
{
    return __atomic_load_n(&runs, __ATOMIC_RELAXED);
}
