/**
 * @file common/base/timer.h
 * @brief The VMM's timers: deadlines on bookvisor's clock, run on the CPU
 *        that set them (VMM only; chapter 07).
 *
 * A timer belongs to the CPU that starts it (its struct cpu's queue, so no
 * lock is needed) and runs on that CPU from timer_run_due(), which the hook
 * before each VM entry calls (common/vm/vcpu_entry.c: TIMER_WORK_BIT in the
 * running vCPU's work word, set by timer_start(), sends every exit through
 * C while a timer waits) and which an idle loop calls while it waits. A
 * timer is therefore late by at most the time until the guest's next exit.
 * While a timer waits, the hook also asks the backend to end the guest's run
 * by the earliest deadline (timer_next_deadline_tsc(); VT-x: the
 * VMX-preemption timer), so a guest that never exits does not delay it
 * there; AMD-V has no such bound yet (chapter 07).
 */
#ifndef BOOKVISOR_COMMON_BASE_TIMER_H
#define BOOKVISOR_COMMON_BASE_TIMER_H

#include "common/lib/timer_queue.h"

/** The bit timer_start() sets in the work word of the vCPU running on its CPU
 *  (VCPU_WORK_TIMERS in common/vm/vcpu.h). */
#define TIMER_WORK_BIT (1u << 3)

/**
 * The work word of the vCPU that runs on this CPU from now on: timer_start()
 * sets TIMER_WORK_BIT in it, so that the hook before the next entry runs the
 * timers (common/vm/vcpu_entry.c). NULL: no vCPU (timers then run only from
 * idle loops).
 */
void timer_attach_work(u32 *work_word);

/** Set TIMER_WORK_BIT in the attached work word: VMM work (a new thread, say) waits. */
void timer_kick(void);

/** Run this CPU's due timers; true while timers are still queued. */
bool timer_run_due_and_pending(void);

/**
 * Start t on this CPU: first run after delay_us, then every period_us (0:
 * once). fn and ctx are set by the caller before.
 * @return 0, or -1 when the CPU's queue is full or t is running already
 */
int timer_start(struct timer *t, u64 delay_us, u64 period_us);

/**
 * The TSC value at which this CPU's earliest timer is due (clock_us_to_tsc()),
 * or ~0 when none is queued: the bound the hook before entry gives the
 * backend, so that a guest that never exits cannot hold the timers up.
 */
u64 timer_next_deadline_tsc(void);

/** Stop t (on the CPU that started it); false when it was not queued. */
bool timer_stop(struct timer *t);

/**
 * Run this CPU's due timers. Cheap when none is queued (one load): it reads
 * the clock only when the queue holds something.
 * @return timers run
 */
unsigned timer_run_due(void);

#endif
