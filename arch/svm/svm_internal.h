/**
 * @file arch/svm/svm_internal.h
 * @brief What the files of the AMD-V backend share among themselves (private to
 *        arch/svm: no other folder includes it; VMM only).
 *
 * svm_backend.c is the backend (probe, vCPU set-up, registers, the exit path,
 * the operations table); svm_state_checks.c checks the pages and the state
 * AMD-V writes on its own (chapter 08, "Linux on two processors").
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_INTERNAL_H
#define BOOKVISOR_ARCH_SVM_SVM_INTERNAL_H

#include "arch/svm/svm_bound.h"
#include "arch/svm/svm_guest_state.h"
#include "arch/svm/vmcb.h"
#include "common/lib/id_pool.h"
#include "common/lib/types.h"
#include "common/vm/vcpu.h"

/** svm_enter.S: the instruction after VMRUN (the host's RIP that VMRUN saves). */
extern char svm_vmrun_return[];

/*
 * AMD-V has no NMI window (chapter 03, "Windows"): the backend makes one by
 * single-stepping the guest, with RFLAGS.TF and the #DB intercept, over the
 * one instruction that holds the NMI back: the IRET that ends the handler
 * of the NMI the VMM injected (intercepted first, so that the step starts
 * at it), or the instruction in an interrupt shadow. The #DB after it is
 * the window.
 */
/** The NMI window's single step (see above). */
enum svm_step {
    SVM_STEP_NONE, /**< not stepping */
    SVM_STEP_ONE, /**< one instruction; TF goes back to what the guest had */
    SVM_STEP_AFTER_IRET, /**< the IRET: it loads RFLAGS itself, TF included */
};

/** Per-vCPU AMD-V state. */
struct svm_vcpu {
    struct vmcb *vmcb; /**< guest VMCB */
    u64 vmcb_pa; /**< its physical address (VMRUN's operand) */
    u8 *iopm; /**< 12 KiB: one bit per port */
    u8 *msrpm; /**< 8 KiB: two bits per MSR */
    enum svm_step step; /**< the NMI window's single step, if one is under way */
    bool nmi_window; /**< the event model asked for the NMI window */
    bool step_guest_tf; /**< the guest's own TF when the step began: it single-steps too */
    u64 step_dr6; /**< the guest's DR6 when the step began, given back after it */
    bool lme_held; /**< the guest's EFER.LME, kept out of the VMCB: see efer_in_vmcb() */
    bool state_written; /**< bookvisor wrote the save area since the last entry: record it */
    struct svm_entry_record entered; /**< what VMRUN was last given such a state (the report's) */
    struct svm_bound bound; /**< while a VMM timer waits (chapter 07) */
};

/** Per-CPU AMD-V state (struct cpu's backend pointer), made by svm_enable_cpu(). */
struct svm_cpu {
    u64 host_save_area_pa; /**< VM_HSAVE_PA: the CPU's own use */
    u64 host_vmcb_pa; /**< host FS/GS/TR/... for VMSAVE/VMLOAD */
    u32 nasid; /**< ASIDs of this CPU (CPUID 8000_000Ah EBX), 0 the host's */
    struct id_pool asids; /**< 1 to nasid - 1; only this CPU uses it: no lock */
};

/**
 * Panic, naming both uses, when v's VMCB is also another vCPU's VMCB or a
 * processor's host save area or host VMCB in v's VM (svm_pages_distinct());
 * called when v is made.
 */
void svm_check_pages_distinct(struct vcpu *v);

/** Panic when this processor's VM_HSAVE_PA is not @p sc's host save area. */
void svm_check_host_save_area(const struct vcpu *v, const struct svm_cpu *sc);

/**
 * Report once, with where every page is, that v's VMCB holds bookvisor's own
 * state (RIP at svm_vmrun_return, bookvisor's CR3), seen at @p when ("entry"
 * or "exit").
 */
void svm_report_host_state(struct vcpu *v, const char *when);

#endif
