/**
 * @file common/base/timer.h
 * @brief The VMM's timers: deadlines on bookvisor's clock, run on the CPU
 *        that set them (VMM only; chapter 07).
 *
 * A timer belongs to the CPU that starts it (its struct cpu's queue, so no
 * lock is needed) and runs on that CPU from timer_run_due(), which the hook
 * before each VM entry calls through C (common/vm/vcpu_entry.c) and which an
 * idle loop calls while it waits. A timer is therefore late by at most the
 * time until the guest's next exit through C; a guest that never exits
 * delays it (the VMX preemption timer or a VMM vector of the local APIC
 * timer would bound that: planned with the network, which needs it).
 */
#ifndef BOOKVISOR_COMMON_BASE_TIMER_H
#define BOOKVISOR_COMMON_BASE_TIMER_H

#include "common/lib/timer_queue.h"

/**
 * Start t on this CPU: first run after delay_us, then every period_us (0:
 * once). fn and ctx are set by the caller before.
 * @return 0, or -1 when the CPU's queue is full or t is running already
 */
int timer_start(struct timer *t, u64 delay_us, u64 period_us);

/** Stop t (on the CPU that started it); false when it was not queued. */
bool timer_stop(struct timer *t);

/**
 * Run this CPU's due timers. Cheap when none is queued (one load): it reads
 * the clock only when the queue holds something.
 * @return timers run
 */
unsigned timer_run_due(void);

#endif
