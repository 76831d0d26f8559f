/*
 * common/base/thread.c - the VMM's cooperative threads: stacks, switches and
 * batches over the scheduler of common/lib/thread_sched.c (chapter 07).
 */
#include "common/base/thread.h"
#include "arch/x86/context.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"
#include "common/base/clock.h"
#include "common/base/mem.h"
#include "common/base/timer.h"
#include "common/lib/format.h"
#include "common/lib/spinlock.h"
#include "common/lib/thread_sched.h"

#define STACK_ORDER 2 /* 4 pages: THREAD_STACK_BYTES */

struct vmm_thread {
    struct thread_entry entry; /* first: the scheduler's view */
    u64 sp;                    /* saved stack pointer while it does not run */
    u64 stack_pa;              /* its stack's pages */
    void (*fn)(void *arg);
    void *arg;
    const char *name;
    struct vmm_thread *all_next; /* every live thread, for thread_list() */
};

/* One scheduler for the VMM; the lock guards it (never held across a switch). */
static struct thread_sched sched = { .batch_cpu = THREAD_NO_CPU, .next_id = 1 };
static struct spinlock sched_lock;
static unsigned live_threads;
static struct vmm_thread *all_threads; /* guarded by sched_lock */
/* The running batch's own stack and thread: one batch at a time (THREAD_1CPU),
 * so these belong to the processor that holds the batch. */
static u64 batch_sp;
static struct vmm_thread *running;

_Static_assert(THREAD_STACK_BYTES == (4096 << STACK_ORDER), "stack order");

static void thread_start(void)
{
    running->fn(running->arg);
    thread_exit();
}

void thread_create(const char *name, void (*fn)(void *arg), void *arg)
{
    struct vmm_thread *t = kzalloc(sizeof(*t));
    t->stack_pa = mem_alloc_pages(STACK_ORDER);
    t->sp = context_prepare((u8 *)phys_to_virt(t->stack_pa) + THREAD_STACK_BYTES, thread_start);
    t->fn = fn;
    t->arg = arg;
    t->name = name;
    spin_lock(&sched_lock);
    thread_sched_add(&sched, &t->entry);
    t->all_next = all_threads;
    all_threads = t;
    live_threads++;
    spin_unlock(&sched_lock);
    timer_kick(); /* the hook before entry looks at the threads from now on */
}

/* From a thread: back to the batch, after the scheduler was told why. */
static void back_to_batch(void)
{
    context_switch(&running->sp, batch_sp);
}

void thread_yield(void)
{
    spin_lock(&sched_lock);
    thread_sched_yield(&sched);
    spin_unlock(&sched_lock);
    back_to_batch();
}

void thread_sleep_us(u64 us)
{
    u64 until = clock_now_us() + us;
    spin_lock(&sched_lock);
    thread_sched_sleep(&sched, until);
    spin_unlock(&sched_lock);
    back_to_batch();
}

void thread_sleep_us_or_wait(u64 us, const void *event)
{
    u64 until = clock_now_us() + us;
    spin_lock(&sched_lock);
    thread_sched_sleep_or_wait(&sched, until, event);
    spin_unlock(&sched_lock);
    back_to_batch();
}

void thread_wait(const void *event)
{
    spin_lock(&sched_lock);
    thread_sched_wait(&sched, event);
    spin_unlock(&sched_lock);
    back_to_batch();
}

void thread_signal(const void *event)
{
    spin_lock(&sched_lock);
    thread_sched_signal(&sched, event);
    spin_unlock(&sched_lock);
}

void thread_exit(void)
{
    spin_lock(&sched_lock);
    thread_sched_exit(&sched);
    spin_unlock(&sched_lock);
    back_to_batch();
    __builtin_unreachable(); /* an ended thread is never picked again */
}

bool thread_run_batch(void)
{
    if (!__atomic_load_n(&live_threads, __ATOMIC_RELAXED))
        return false;
    u32 cpu = this_cpu()->index;
    if (!thread_sched_begin_batch(&sched, cpu))
        return true; /* another processor runs them */
    for (;;) {
        spin_lock(&sched_lock);
        struct thread_entry *e = thread_sched_pick(&sched, clock_now_us());
        spin_unlock(&sched_lock);
        if (!e)
            break;
        running = (struct vmm_thread *)e;
        context_switch(&batch_sp, running->sp);
        if (running->entry.state == THREAD_DONE) {
            /* On the batch's stack now: the thread's own may go. */
            mem_free_pages(running->stack_pa, STACK_ORDER);
            spin_lock(&sched_lock);
            for (struct vmm_thread **p = &all_threads; *p; p = &(*p)->all_next) {
                if (*p == running) {
                    *p = running->all_next;
                    break;
                }
            }
            kfree(running);
            live_threads--;
            spin_unlock(&sched_lock);
        }
        running = NULL;
    }
    thread_sched_end_batch(&sched, cpu);
    return __atomic_load_n(&live_threads, __ATOMIC_RELAXED) != 0;
}

u64 thread_next_due_us(void)
{
    spin_lock(&sched_lock);
    u64 due = thread_sched_due_at(&sched);
    spin_unlock(&sched_lock);
    return due;
}

unsigned thread_count(void)
{
    return __atomic_load_n(&live_threads, __ATOMIC_RELAXED);
}

void thread_list(void (*print)(const char *line))
{
    static const char *const states[] = { "ready", "running", "sleeping", "waiting", "done" };
    char lines[THREAD_LIST_MAX][64];
    unsigned n = 0, more = 0;

    /* Lines made under the lock, printed after it: printing may take long. */
    spin_lock(&sched_lock);
    for (struct vmm_thread *t = all_threads; t; t = t->all_next) {
        if (n == THREAD_LIST_MAX) {
            more++;
            continue;
        }
        unsigned st = (unsigned)t->entry.state;
        ksnprintf(lines[n++], sizeof(lines[0]), "thread %u %s: %s", t->entry.id, t->name,
                  st < sizeof(states) / sizeof(states[0]) ? states[st] : "?");
    }
    spin_unlock(&sched_lock);
    for (unsigned i = 0; i < n; i++)
        print(lines[i]);
    if (more) {
        char line[48];
        ksnprintf(line, sizeof(line), "and %u more", more);
        print(line);
    }
}
