/*
 * common/lib/timer_queue.c - timers in deadline order (chapter 07). A sorted
 * array: the queues are short, and the next deadline is always t[0].
 */
#include "common/lib/timer_queue.h"

int timer_queue_add(struct timer_queue *q, struct timer *t)
{
    if (t->queued || q->n >= TIMER_QUEUE_MAX)
        return -1;
    unsigned i = q->n;
    while (i > 0 && q->t[i - 1]->deadline > t->deadline) {
        q->t[i] = q->t[i - 1];
        i--;
    }
    q->t[i] = t;
    q->n++;
    t->queued = true;
    return 0;
}

bool timer_queue_cancel(struct timer_queue *q, struct timer *t)
{
    for (unsigned i = 0; i < q->n; i++) {
        if (q->t[i] != t)
            continue;
        for (unsigned j = i + 1; j < q->n; j++)
            q->t[j - 1] = q->t[j];
        q->n--;
        t->queued = false;
        return true;
    }
    return false;
}

u64 timer_queue_next(const struct timer_queue *q)
{
    return q->n ? q->t[0]->deadline : ~0ULL;
}

unsigned timer_queue_run_due(struct timer_queue *q, u64 now)
{
    unsigned ran = 0;
    /* Bounded: a timer re-added for now or earlier runs at the next call. */
    for (unsigned budget = q->n; budget > 0 && q->n && q->t[0]->deadline <= now; budget--) {
        struct timer *t = q->t[0];
        timer_queue_cancel(q, t);
        if (t->period) {
            u64 next = t->deadline + t->period;
            t->deadline = next > now ? next : now + t->period;
        }
        t->fn(t, now);
        ran++;
        if (t->period && !t->queued)
            timer_queue_add(q, t);
    }
    return ran;
}
