/**
 * @file common/lib/timer_queue.h
 * @brief Timers with deadlines: a small queue ordered by deadline (pure; chapter 07).
 *
 * Each CPU keeps one queue (its struct cpu); its owner runs the timers that
 * are due from the hook before each VM entry and while it is idle
 * (common/base/timer.h). A timer is a struct the caller owns, so adding one
 * never allocates; the queue holds pointers, at most TIMER_QUEUE_MAX, in
 * deadline order (equal deadlines in the order they were added).
 */
#ifndef BOOKVISOR_COMMON_LIB_TIMER_QUEUE_H
#define BOOKVISOR_COMMON_LIB_TIMER_QUEUE_H

#include "common/lib/types.h"

/** Most timers one queue holds at once. */
#define TIMER_QUEUE_MAX 32

struct timer;
/** What a timer does when due: now is the clock's reading (us) when it runs. */
typedef void (*timer_fn)(struct timer *t, u64 now);

/** One timer. */
struct timer {
    u64 deadline;   /**< clock value (us) at or after which it runs */
    u64 period;     /**< 0: once; otherwise re-added at deadline + period after it ran */
    timer_fn fn;    /**< what it does */
    void *ctx;      /**< for fn */
    bool queued;    /**< in a queue now */
};

/** A queue of timers by deadline. */
struct timer_queue {
    struct timer *t[TIMER_QUEUE_MAX]; /**< t[0] is due first */
    unsigned n;                       /**< timers queued */
};

/**
 * Queue t for its deadline (t->deadline set by the caller).
 * @return 0, or -1 when the queue is full or t is queued already
 */
int timer_queue_add(struct timer_queue *q, struct timer *t);

/** Take t out of q; false when it was not queued there. */
bool timer_queue_cancel(struct timer_queue *q, struct timer *t);

/** The first deadline, or ~0 when the queue is empty. */
u64 timer_queue_next(const struct timer_queue *q);

/**
 * Run every timer due at now, earliest first; a periodic timer is queued
 * again for deadline + period (or now + period when it fell further
 * behind, so that a late CPU does not run it in a burst). fn may stop a
 * periodic timer by setting its period to 0.
 * @return timers run
 */
unsigned timer_queue_run_due(struct timer_queue *q, u64 now);

#endif
