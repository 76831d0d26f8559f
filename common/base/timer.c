/*
 * common/base/timer.c - per-CPU timers on bookvisor's clock (chapter 07).
 */
#include "common/base/timer.h"
#include "arch/x86/percpu.h"
#include "common/base/clock.h"

int timer_start(struct timer *t, u64 delay_us, u64 period_us)
{
    t->deadline = clock_now_us() + delay_us;
    t->period = period_us;
    return timer_queue_add(&this_cpu()->timers, t);
}

bool timer_stop(struct timer *t)
{
    return timer_queue_cancel(&this_cpu()->timers, t);
}

unsigned timer_run_due(void)
{
    struct timer_queue *q = &this_cpu()->timers;
    if (!q->n)
        return 0;
    return timer_queue_run_due(q, clock_now_us());
}
