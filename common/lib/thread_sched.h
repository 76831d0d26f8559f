/**
 * @file common/lib/thread_sched.h
 * @brief The decisions of bookvisor's cooperative threads: who runs next,
 *        who sleeps until when, who waits for what (pure; chapter 07).
 *
 * A VMM thread runs until it gives the processor up itself: it yields, it
 * sleeps until a time, it waits for an event, or it ends. Nothing preempts
 * it, so a thread needs no lock against other threads of the same batch.
 * This file holds only the bookkeeping: the run queue (first come, first
 * served), the sleepers by wake time, the waiters by event. Switching stacks
 * is arch/x86/context_switch.S's job, and the VMM's thread API
 * (common/base/thread.h) joins the two.
 *
 * The policy of the reference hypervisor, THREAD_1CPU, is the default: one
 * processor at a time runs all runnable threads as a batch
 * (thread_sched_begin_batch() / thread_sched_end_batch()), so that two
 * processors never run VMM threads at once and the threads' data needs no
 * lock against each other.
 */
#ifndef BOOKVISOR_COMMON_LIB_THREAD_SCHED_H
#define BOOKVISOR_COMMON_LIB_THREAD_SCHED_H

#include "common/lib/types.h"

/** Where a thread is. */
enum thread_state {
    THREAD_RUNNABLE, /**< in the run queue */
    THREAD_RUNNING,  /**< picked, running now */
    THREAD_SLEEPING, /**< among the sleepers until wake_at */
    THREAD_WAITING,  /**< among the waiters until its event is signalled */
    THREAD_DONE,     /**< ended; its stack may be taken back */
};

/** One thread as the scheduler sees it (the VMM's struct embeds it). */
struct thread_entry {
    enum thread_state state; /**< where it is */
    u64 wake_at;             /**< THREAD_SLEEPING: the clock value it wakes at */
    const void *event;       /**< THREAD_WAITING: what it waits for */
    struct thread_entry *next; /**< link in the queue it is in */
    u32 id;                  /**< its number, from 1 */
};

/** No processor runs the batch (thread_sched.batch_cpu). */
#define THREAD_NO_CPU 0xFFFFFFFFu

/** The scheduler's state: one for the whole VMM. */
struct thread_sched {
    struct thread_entry *run_head;  /**< the run queue, first to run first */
    struct thread_entry *run_tail;  /**< its last */
    struct thread_entry *sleepers;  /**< sleeping, earliest wake first */
    struct thread_entry *waiters;   /**< waiting for an event, in the order they began */
    struct thread_entry *current;   /**< the one running, or NULL */
    u32 batch_cpu;                  /**< THREAD_1CPU: the processor running the batch, or THREAD_NO_CPU */
    u32 next_id;                    /**< the next thread's number */
};

/** An empty scheduler. */
void thread_sched_init(struct thread_sched *s);

/** A new thread: numbered, runnable, at the end of the run queue. */
void thread_sched_add(struct thread_sched *s, struct thread_entry *t);

/**
 * The next thread to run at clock value now: the sleepers due wake first
 * (joining the run queue in wake order), then the run queue's head is taken
 * off and becomes current (THREAD_RUNNING).
 * @return it, or NULL when nothing can run
 */
struct thread_entry *thread_sched_pick(struct thread_sched *s, u64 now);

/** The current thread gives the processor up but stays runnable (end of the run queue). */
void thread_sched_yield(struct thread_sched *s);

/** The current thread sleeps until clock value until. */
void thread_sched_sleep(struct thread_sched *s, u64 until);

/** The current thread waits until event is signalled. */
void thread_sched_wait(struct thread_sched *s, const void *event);

/**
 * The current thread sleeps until clock value until, or until event is
 * signalled, whichever comes first: a thread that has periodic work and
 * also something that should wake it at once (the network thread, chapter 09).
 */
void thread_sched_sleep_or_wait(struct thread_sched *s, u64 until, const void *event);

/**
 * Every thread waiting for event becomes runnable: first the sleepers that
 * wait for it too (thread_sched_sleep_or_wait()), in wake order, then the
 * waiters in the order they began to wait. @return how many woke
 */
unsigned thread_sched_signal(struct thread_sched *s, const void *event);

/** The current thread ends. */
void thread_sched_exit(struct thread_sched *s);

/** Is any thread runnable, or a sleeper due, at now? */
bool thread_sched_has_work(const struct thread_sched *s, u64 now);

/** The earliest wake time of the sleepers, or ~0 when none sleeps. */
u64 thread_sched_next_wake(const struct thread_sched *s);

/**
 * The clock value by which the threads want a batch: 0 when one is runnable
 * (now, whatever the clock says), else the earliest sleeper's wake time, else
 * ~0 (every thread waits for an event, or none lives). The VMM bounds the
 * guest's run by it (chapter 07, "Threads wake on time").
 */
u64 thread_sched_due_at(const struct thread_sched *s);

/**
 * THREAD_1CPU: processor cpu asks to run the batch.
 * @return true when it may (no other processor runs one); it must call
 *         thread_sched_end_batch() after
 */
bool thread_sched_begin_batch(struct thread_sched *s, u32 cpu);

/** The batch of cpu is over: another processor may run the next. */
void thread_sched_end_batch(struct thread_sched *s, u32 cpu);

#endif
