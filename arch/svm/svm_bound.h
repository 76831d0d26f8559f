/**
 * @file arch/svm/svm_bound.h
 * @brief AMD-V's bound on the guest's run while a VMM timer waits (VMM only, chapter 07).
 *
 * AMD-V has no preemption timer. While a deadline is pending the backend
 * makes every physical interrupt exit whatever the guest's RFLAGS.IF
 * (V_INTR_MASKING and the INTR intercept, with VMRUN run at host IF = 1
 * inside CLGI by svm_enter.S), and brings an interrupt of its own by the
 * deadline: the local APIC timer, one-shot on SVM_BOUND_VECTOR, borrowed only
 * while the guest leaves it idle (arch/svm/svm_lapic_borrow.h).
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_BOUND_H
#define BOOKVISOR_ARCH_SVM_SVM_BOUND_H

#include "arch/svm/vmcb.h"
#include "common/vm/vcpu.h"
#include "common/vm/vm_exit.h"

/** One vCPU's bound (embedded in the backend's per-vCPU state). */
struct svm_bound {
    bool on;              /**< V_INTR_MASKING and the INTR intercept are the bound's */
    bool deadline_pending; /**< the last svm_bound_set() had a deadline */
    bool intr_by_policy;  /**< the INTR intercept was on before (a VMM vector): it stays */
    bool borrowed;        /**< the local APIC timer is bookvisor's */
    bool vector_stuck;    /**< SVM_BOUND_VECTOR waits in the IRR behind the guest's priority */
    bool deferred;        /**< a guest's interrupt waits for the guest's IF: V_INTR_MASKING off, window on */
    u32 guest_lvt;        /**< the guest's LVT timer, given back when the timer is */
    u32 count_written;    /**< the initial count bookvisor wrote last (0: disarmed) */
    u8 tpr_entered;       /**< V_TPR as given at entry: a change is a guest CR8 write */
};

/**
 * Measure the local APIC timer against the TSC, once, at boot on the boot
 * CPU (every CPU of a machine is the same model). Says at start-up when it
 * cannot: the bound then has no interrupt of its own.
 */
void svm_bound_calibrate(void);

/**
 * backend_ops.bound_run for AMD-V: before an entry, bound the run by TSC
 * @p tsc_deadline, or take the bound away with VCPU_NO_DEADLINE.
 */
void svm_bound_set(struct svm_bound *b, struct vcpu *v, struct vmcb *vmcb, u64 tsc_deadline);

/**
 * At every exit while b->on: disarm the borrowed timer (or step aside if the
 * guest wrote it), carry a guest CR8 write to the task priority, and take
 * SVM_BOUND_VECTOR if it came: its EOI is bookvisor's, the guest's vectors
 * taken with it are queued for the guest, and an INTR exit becomes
 * VM_EXIT_VMM_TIMER.
 */
void svm_bound_exit(struct svm_bound *b, struct vcpu *v, struct vmcb *vmcb, struct vm_exit *e);

#endif
