/**
 * @file common/lib/spinlock.h
 * @brief A ticket spinlock (pure: the same code runs in the VMM and in host tests).
 *
 * A ticket lock works like the numbered tickets at a shop counter: spin_lock()
 * takes the next ticket with one atomic add and waits until the lock serves
 * that number; spin_unlock() serves the next one. CPUs get the lock in the
 * order they asked for it, so none can be starved by a faster neighbour (a
 * plain test-and-set lock promises nothing of the kind). While it waits, a
 * CPU executes PAUSE, which tells the processor it is spinning: it saves
 * power and lets a hyper-thread sibling run.
 *
 * A zero-filled struct spinlock is unlocked, so locks inside zeroed objects
 * need no initialisation.
 *
 * Interrupts: bookvisor's VMM code runs with interrupts disabled, except in
 * the interrupt windows of arch/x86/desc.c (desc_wait_for_interrupt(),
 * desc_take_interrupts()), and what
 * runs in that window or in any trap handler (trap_dispatch(), panic())
 * takes no lock. So no lock holder can be interrupted by code that wants the
 * same lock on the same CPU, and no interrupt-saving variant is needed. A
 * trap handler that one day takes a lock must change that first.
 *
 * The lock order of the VMM is written in chapter 01 ("Locks") and in
 * DEVELOPERS.md.
 */
#ifndef BOOKVISOR_COMMON_LIB_SPINLOCK_H
#define BOOKVISOR_COMMON_LIB_SPINLOCK_H

#include "common/lib/types.h"
#ifdef BOOKVISOR_HOST
#include <sched.h>
#endif

/** A ticket spinlock; all zeroes is unlocked. */
struct spinlock {
    u32 next;    /**< the ticket the next spin_lock() takes */
    u32 serving; /**< the ticket that holds the lock now */
};

/** Tell the processor this is a spin-wait loop. */
static inline void spin_pause(void)
{
    __asm__ volatile("pause" ::: "memory");
#ifdef BOOKVISOR_HOST
    /* Host tests run more threads than there are cores: a waiter that only
     * spins may keep off the core the thread whose turn it is needs. CPUs in
     * the VMM are never shared, so there it spins. */
    sched_yield();
#endif
}

/** Take the lock, waiting for every holder that asked before. */
static inline void spin_lock(struct spinlock *l)
{
    u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
        spin_pause();
}

/** Release the lock to the next ticket in line. Only the holder calls it. */
static inline void spin_unlock(struct spinlock *l)
{
    /* Only the holder writes serving: a plain read of it is exact. */
    __atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
}

/**
 * Is the lock held (by anyone)? For assertions in code that must be called
 * with a lock taken: false there is a bug in the caller.
 */
static inline bool spin_is_locked(const struct spinlock *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
}

/** Tickets handed out but not yet served, the holder's included (for tests). */
static inline u32 spin_waiters(const struct spinlock *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_ACQUIRE) -
           __atomic_load_n(&l->serving, __ATOMIC_ACQUIRE);
}

#endif
