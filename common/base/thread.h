/**
 * @file common/base/thread.h
 * @brief bookvisor's own cooperative threads (VMM only; chapter 07).
 *
 * A VMM thread runs VMM work outside any exit handler: the network stack's
 * loop, a debug shell. It runs until it yields, sleeps or waits; nothing
 * preempts it. Threads run in batches, from the hook before entry and from
 * idle loops (thread_run_batch()), on one processor at a time (THREAD_1CPU,
 * common/lib/thread_sched.h): the threads of a batch never run at the same
 * time as each other, so their data needs no lock between them. Each has
 * its own stack of THREAD_STACK_BYTES from the VMM's page allocator; an ended
 * thread's stack is taken back by the batch that saw it end.
 */
#ifndef BOOKVISOR_COMMON_BASE_THREAD_H
#define BOOKVISOR_COMMON_BASE_THREAD_H

#include "common/lib/types.h"

/** Bytes of a VMM thread's stack. */
#define THREAD_STACK_BYTES (16 * 1024)

/**
 * A new thread that will run fn(arg) in the next batch. Its name is for the
 * log. Panics when the VMM has no memory for its stack.
 */
void thread_create(const char *name, void (*fn)(void *arg), void *arg);

/** From a thread: let the others of the batch run, then go on. */
void thread_yield(void);

/** From a thread: go on after us microseconds of bookvisor's clock (or later). */
void thread_sleep_us(u64 us);

/**
 * From a thread: go on after us microseconds, or at thread_signal(event) if
 * that comes first. A signal while the thread runs is not kept: the caller
 * that must not miss one keeps a flag of its own (net/net_vmm.c does).
 */
void thread_sleep_us_or_wait(u64 us, const void *event);

/** From a thread: go on after thread_signal(event). */
void thread_wait(const void *event);

/** From anywhere: every thread waiting for event may run again. */
void thread_signal(const void *event);

/** From a thread: end it (returning from fn does the same). */
void thread_exit(void) __attribute__((noreturn));

/**
 * Run every thread that can run now, as one batch, unless another processor
 * runs one. Returns whether threads remain (runnable, sleeping or waiting):
 * the caller looks again at its next chance.
 */
bool thread_run_batch(void);

/**
 * The clock value (us) by which the threads want their next batch: 0 when
 * one can run now, the earliest sleeper's wake time, or ~0 when all wait
 * for events or none lives. A sleeper's wake time is a deadline like a
 * timer's: the VMM bounds the guest's run by it (chapter 07).
 */
u64 thread_next_due_us(void);

/** Most threads thread_list() names one by one (the rest are counted). */
#define THREAD_LIST_MAX 16

/**
 * Print one line per live thread ("thread 2 net: sleeping") through print
 * (the debug shell's `threads`).
 */
void thread_list(void (*print)(const char *line));

/** Threads that have not ended. */
unsigned thread_count(void);

#endif
