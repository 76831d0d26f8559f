/*
 * common/base/timer.c - per-CPU timers on bookvisor's clock (chapter 07).
 */
#include "common/base/timer.h"
#include "arch/x86/percpu.h"
#include "common/base/clock.h"

void timer_attach_work(u32 *work_word)
{
    struct cpu *c = this_cpu();
    c->timer_work = work_word;
    if (work_word && c->timers.n)
        __atomic_fetch_or(work_word, TIMER_WORK_BIT, __ATOMIC_RELEASE);
}

void timer_kick(void)
{
    u32 *w = this_cpu()->timer_work;
    if (w)
        __atomic_fetch_or(w, TIMER_WORK_BIT, __ATOMIC_RELEASE);
}

int timer_start(struct timer *t, u64 delay_us, u64 period_us)
{
    struct cpu *c = this_cpu();
    t->deadline = clock_now_us() + delay_us;
    t->period = period_us;
    int r = timer_queue_add(&c->timers, t);
    if (r == 0 && c->timer_work)
        __atomic_fetch_or(c->timer_work, TIMER_WORK_BIT, __ATOMIC_RELEASE);
    return r;
}

bool timer_run_due_and_pending(void)
{
    timer_run_due();
    return this_cpu()->timers.n != 0;
}

u64 timer_next_deadline_tsc(void)
{
    struct timer_queue *q = &this_cpu()->timers;
    return q->n ? clock_us_to_tsc(timer_queue_next(q)) : ~0ULL;
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
