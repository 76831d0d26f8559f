/*
 * common/lib/thread_sched.c - run queue, sleepers and waiters of the VMM's
 * cooperative threads (chapter 07).
 */
#include "common/lib/thread_sched.h"

void thread_sched_init(struct thread_sched *s)
{
    *s = (struct thread_sched){ .batch_cpu = THREAD_NO_CPU, .next_id = 1 };
}

static void run_append(struct thread_sched *s, struct thread_entry *t)
{
    t->state = THREAD_RUNNABLE;
    t->next = NULL;
    if (s->run_tail)
        s->run_tail->next = t;
    else
        s->run_head = t;
    s->run_tail = t;
}

void thread_sched_add(struct thread_sched *s, struct thread_entry *t)
{
    t->id = s->next_id++;
    run_append(s, t);
}

struct thread_entry *thread_sched_pick(struct thread_sched *s, u64 now)
{
    /* LAB 8 BEGIN: wake the sleepers that are due, then take the run queue's first thread */
    /* LAB 8 FALLBACK: while (s->sleepers && s->sleepers->wake_at <= now) { struct thread_entry *w = s->sleepers; s->sleepers = w->next; run_append(s, w); } struct thread_entry *t = s->run_head; if (!t) return NULL; s->run_head = t->next; if (!s->run_head) s->run_tail = NULL; t->next = NULL; t->state = THREAD_RUNNING; s->current = t; return t; */
    /* Due at now itself: a sleeper asked for "not before", not "after". */
    while (s->sleepers && s->sleepers->wake_at <= now) {
        struct thread_entry *t = s->sleepers;
        s->sleepers = t->next;
        run_append(s, t); /* behind the threads already runnable: first come, first served */
    }
    struct thread_entry *t = s->run_head;
    if (!t)
        return NULL;
    s->run_head = t->next;
    if (!s->run_head)
        s->run_tail = NULL;
    t->next = NULL;
    t->state = THREAD_RUNNING;
    s->current = t;
    return t;
    /* LAB 8 END */
}

/* The current thread, taken off the processor (it is in no queue while it runs). */
static struct thread_entry *take_current(struct thread_sched *s)
{
    struct thread_entry *t = s->current;
    s->current = NULL;
    /* Whatever it waited for before, it waits for nothing now (a sleeper
     * that woke on time keeps its event until here). */
    if (t)
        t->event = NULL;
    return t;
}

void thread_sched_yield(struct thread_sched *s)
{
    struct thread_entry *t = take_current(s);
    if (t)
        run_append(s, t);
}

void thread_sched_sleep(struct thread_sched *s, u64 until)
{
    struct thread_entry *t = take_current(s);
    if (!t)
        return;
    /* LAB 8 BEGIN: put the thread among the sleepers, in wake order */
    /* LAB 8 FALLBACK: t->state = THREAD_SLEEPING; t->wake_at = until; struct thread_entry **p = &s->sleepers; while (*p && (*p)->wake_at <= until) p = &(*p)->next; t->next = *p; *p = t; */
    t->state = THREAD_SLEEPING;
    t->wake_at = until;
    /* Sorted by wake time; equal times keep the order they fell asleep in. */
    struct thread_entry **p = &s->sleepers;
    while (*p && (*p)->wake_at <= until)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
    /* LAB 8 END */
}

void thread_sched_wait(struct thread_sched *s, const void *event)
{
    struct thread_entry *t = take_current(s);
    if (!t)
        return;
    t->state = THREAD_WAITING;
    t->event = event;
    t->next = NULL;
    struct thread_entry **p = &s->waiters;
    while (*p)
        p = &(*p)->next;
    *p = t;
}

void thread_sched_sleep_or_wait(struct thread_sched *s, u64 until, const void *event)
{
    struct thread_entry *t = s->current;

    thread_sched_sleep(s, until);
    if (t)
        t->event = event; /* among the sleepers, and thread_sched_signal() looks there too */
}

/* Take every thread of list that waits for event into the run queue, in list order. */
static unsigned wake_waiting_for(struct thread_sched *s, struct thread_entry **list,
                                 const void *event)
{
    unsigned woke = 0;
    struct thread_entry **p = list;
    while (*p) {
        struct thread_entry *t = *p;
        if (t->event == event) {
            *p = t->next;
            t->event = NULL;
            run_append(s, t);
            woke++;
        } else {
            p = &t->next;
        }
    }
    return woke;
}

unsigned thread_sched_signal(struct thread_sched *s, const void *event)
{
    /* The sleepers that wait for it too (thread_sched_sleep_or_wait()) first,
     * in wake order; a plain sleeper's event is NULL, which is no event. */
    unsigned woke = event ? wake_waiting_for(s, &s->sleepers, event) : 0;
    return woke + wake_waiting_for(s, &s->waiters, event);
}

void thread_sched_exit(struct thread_sched *s)
{
    struct thread_entry *t = take_current(s);
    if (t) {
        t->state = THREAD_DONE;
        t->next = NULL;
    }
}

bool thread_sched_has_work(const struct thread_sched *s, u64 now)
{
    return s->run_head || (s->sleepers && s->sleepers->wake_at <= now);
}

u64 thread_sched_next_wake(const struct thread_sched *s)
{
    return s->sleepers ? s->sleepers->wake_at : ~0ULL;
}

u64 thread_sched_due_at(const struct thread_sched *s)
{
    /* A runnable thread cannot wait for a sleeper's time: it is due already. */
    return s->run_head ? 0 : thread_sched_next_wake(s);
}

bool thread_sched_begin_batch(struct thread_sched *s, u32 cpu)
{
    u32 none = THREAD_NO_CPU;
    return __atomic_compare_exchange_n(&s->batch_cpu, &none, cpu, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

void thread_sched_end_batch(struct thread_sched *s, u32 cpu)
{
    u32 mine = cpu;
    __atomic_compare_exchange_n(&s->batch_cpu, &mine, THREAD_NO_CPU, false, __ATOMIC_RELEASE,
                                __ATOMIC_RELAXED);
}
