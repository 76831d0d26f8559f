/**
 * @file common/vm/vcpu_entry.h
 * @brief The one hook every entry into the guest passes (chapter 02, "Before every entry").
 *
 * Whatever must happen before a vCPU runs again happens here, in common
 * code, once for both backends: the event model chooses what to inject and
 * which windows to open (common/vm/vcpu_events.h), and a nested TLB flush
 * asked for by any CPU is done, and due VMM timers and a batch of VMM
 * threads run (chapter 07). Each kind of work is one bit of
 * v->work_pending; when the word is 0 there is nothing to do, and the hook
 * costs one load. The backends' exit assembly tests the same word before
 * it answers an exit by itself, so no entry ever skips the hook's work.
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_ENTRY_H
#define BOOKVISOR_COMMON_VM_VCPU_ENTRY_H

#include "common/vm/vcpu.h"

/**
 * Runs this CPU's due VMM timers and a batch of VMM threads, and says
 * whether any still waits; set once at boot by the VMM (common/start:
 * timers of common/base/timer.h, threads of common/base/thread.h), NULL in
 * host tests. Called for VCPU_WORK_TIMERS.
 */
extern bool (*vcpu_timers_run)(void);

/**
 * The TSC value at which this CPU's VMM work is due next (its earliest
 * timer, and a sleeping VMM thread's wake time), or VCPU_NO_DEADLINE; set
 * once at boot by the VMM (common/start: timer_next_deadline_tsc() of
 * common/base/timer.h and thread_next_due_us() of common/base/thread.h),
 * NULL in host tests. While timers or threads wait, vcpu_before_entry()
 * gives it to the backend's bound_run before each entry (chapter 07).
 */
extern u64 (*vcpu_timer_deadline_tsc)(void);

/**
 * The TSC value by which a CPU halted for its guest must look at the VMM's
 * own work again (timers due, threads alive), or VCPU_NO_DEADLINE to halt
 * until an interrupt; set once at boot by the VMM (common/start), NULL in
 * host tests. The HLT exit waits no longer than this and then runs
 * vcpu_timers_run (chapter 07, "A halted guest").
 */
extern u64 (*vcpu_idle_deadline_tsc)(void);

/**
 * Waits until every other vCPU of v's VM has flushed for the changes this
 * CPU made to the shared nested map (common/vm/vm_shootdown.h); set once at
 * boot by the VMM, NULL in host tests. Called for VCPU_WORK_SHOOTDOWN.
 */
extern void (*vcpu_shootdown_wait)(struct vcpu *v);

/**
 * The work of vcpu_before_entry() once some is pending (out of line).
 * @return false when the guest must stop (the reason is in v)
 */
bool vcpu_do_pending_work(struct vcpu *v);

/**
 * Before every entry of v, on the CPU that owns it (the backends call it
 * after each exit's handler and once before the first entry): the work
 * v->work_pending asks for, if any.
 * @return false when the guest must stop (the reason is in v)
 */
static inline __attribute__((always_inline)) bool vcpu_before_entry(struct vcpu *v)
{
    if (__builtin_expect(!__atomic_load_n(&v->work_pending, __ATOMIC_RELAXED), 1))
        return true;
    return vcpu_do_pending_work(v);
}

#endif
