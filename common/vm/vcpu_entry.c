/*
 * common/vm/vcpu_entry.c - what runs before every entry into the guest (chapter 02).
 */
#include "common/vm/vcpu_entry.h"
#include "common/vm/backend.h"
#include "common/vm/vcpu_events.h"

bool vcpu_do_pending_work(struct vcpu *v)
{
    u32 work = __atomic_load_n(&v->work_pending, __ATOMIC_ACQUIRE);

    /* This CPU changed the shared nested map: the other vCPUs flush before
     * this one's guest goes on. First: a flush asked of this vCPU while it
     * waits is then done just below. */
    if (work & VCPU_WORK_SHOOTDOWN) {
        __atomic_fetch_and(&v->work_pending, ~VCPU_WORK_SHOOTDOWN, __ATOMIC_RELAXED);
        if (vcpu_shootdown_wait)
            vcpu_shootdown_wait(v);
        work = __atomic_load_n(&v->work_pending, __ATOMIC_ACQUIRE);
    }

    /* Nested mappings changed (maybe on another CPU): drop what the TLB
     * holds of them before the guest runs again, and say which change the
     * flush answers (it comes after the read): a CPU may wait for it. */
    if ((work & VCPU_WORK_NESTED_FLUSH) && vcpu_take_nested_flush(v)) {
        u64 seen = shootdown_seen(&v->shootdown);
        v->backend->flush_nested_tlb(v);
        shootdown_ack(&v->shootdown, seen);
    }

    /* Events: choose, inject, open or close the windows. The bit stays set
     * while anything waits or a window is open, so the exit assembly keeps
     * sending every exit here until the queue is idle again. Only the owner
     * queues events, so nothing can slip in between the test and the clear. */
    if (work & VCPU_WORK_EVENTS) {
        if (!vcpu_event_prepare_entry(v))
            return false;
        if (event_queue_idle(&v->events))
            __atomic_fetch_and(&v->work_pending, ~VCPU_WORK_EVENTS, __ATOMIC_RELAXED);
    }

    /* VMM timers and threads (chapter 07): while one waits on this CPU the
     * bit stays set, and every exit comes through here to look. The backend
     * bounds the guest's run by the earliest deadline (a timer's, a sleeping
     * thread's wake), so that a guest that never exits cannot hold them up;
     * the bound goes when the bit does, so an idle VMM adds nothing to any
     * entry. */
    if (work & VCPU_WORK_TIMERS) {
        bool waiting = vcpu_timers_run && vcpu_timers_run();
        if (!waiting)
            __atomic_fetch_and(&v->work_pending, ~VCPU_WORK_TIMERS, __ATOMIC_RELAXED);
        if (v->backend->bound_run)
            v->backend->bound_run(v, waiting && vcpu_timer_deadline_tsc ? vcpu_timer_deadline_tsc()
                                                                        : VCPU_NO_DEADLINE);
    }
    /* Planned (chapter 07): runnable VMM threads, with a bit of their own. */
    return true;
}

bool (*vcpu_timers_run)(void);
u64 (*vcpu_timer_deadline_tsc)(void);
u64 (*vcpu_idle_deadline_tsc)(void);
void (*vcpu_shootdown_wait)(struct vcpu *v);
