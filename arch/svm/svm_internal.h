/**
 * @file arch/svm/svm_internal.h
 * @brief What the files of the AMD-V backend share among themselves (private to
 *        arch/svm: no other folder includes it; VMM only).
 *
 * svm_backend.c is the backend (probe, vCPU set-up, registers, the exit path,
 * the operations table); svm_exit_direct.c the direct path of IOIO and
 * VMMCALL exits (chapter 14); svm_state_checks.c checks the pages and the state
 * AMD-V writes on its own (chapter 08, "Linux on two processors").
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_INTERNAL_H
#define BOOKVISOR_ARCH_SVM_SVM_INTERNAL_H

#include "arch/svm/svm_bound.h"
#include "arch/svm/svm_caps.h"
#include "arch/svm/svm_guest_state.h"
#include "arch/svm/vmcb.h"
#include "arch/x86/cpu.h"
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

/** What svm_probe() found on the boot CPU; every CPU of a machine is the same model. */
extern struct svm_caps svm_cpu_caps;

/*
 * The exit path (chapter 02, "The fast path"; chapter 14, "The direct path").
 * svm_enter.S calls, after saving the guest's registers, svm_exit_io() for an
 * IOIO exit, svm_exit_vmmcall() for a VMMCALL and svm_on_exit() for every
 * other; each returns whether to enter the guest again. The two direct ones
 * (svm_exit_direct.c) hand anything unusual to svm_on_exit() before they
 * change a thing.
 */
/** Every exit but the direct ones: the generic decode and dispatch (svm_backend.c). */
bool svm_on_exit(struct vcpu *v);
/** An IOIO exit: IN or OUT to bookvisor's own io_exit(), directly (svm_exit_direct.c). */
bool svm_exit_io(struct vcpu *v, struct vmcb *vmcb);
/** A VMMCALL to bookvisor's own handler, directly (svm_exit_direct.c). */
bool svm_exit_vmmcall(struct vcpu *v, struct vmcb *vmcb);

/** prepare_entry()'s cold part: take the record of the state bookvisor wrote (svm_backend.c). */
void svm_record_entry(struct vcpu *v, struct svm_vcpu *s);

#define SVM_RFLAGS_TF (1ULL << 8) /**< RFLAGS.TF: the guest single-steps */

/**
 * Before every entry, after common code's hook: RAX, which VMRUN takes from
 * the VMCB, and the record of a state bookvisor wrote.
 */
static inline __attribute__((always_inline)) void prepare_entry(struct vcpu *v, struct vmcb *vmcb)
{
    vmcb->save.rax = v->gprs.rax;
    struct svm_vcpu *s = v->arch;
    if (__builtin_expect(s->state_written, 0))
        svm_record_entry(v, s);
}

/**
 * A VMCB that holds bookvisor's own state, RIP at svm_vmrun_return, is
 * reported (svm_report_host_state()); at @p when, "exit" or "entry". Every
 * exit and entry but CPUID's fast path looks.
 */
static inline __attribute__((always_inline)) void check_guest_state(struct vcpu *v,
                                                                    const struct vmcb *vmcb,
                                                                    const char *when)
{
    if (__builtin_expect(vmcb->save.rip == (u64)(uintptr_t)svm_vmrun_return, 0))
        svm_report_host_state(v, when);
}

/**
 * Step over the exiting instruction of length len (known, not 0): RIP, the
 * interrupt shadow it ends, and whether the guest's own TF owes it a \#DB.
 */
static inline __attribute__((always_inline)) enum vm_skip svm_skip_len(struct svm_vcpu *s, u8 len)
{
    struct vmcb *vmcb = s->vmcb;
    u64 rip = vmcb->save.rip + len;
    /* Only a RIP that crosses 4 GiB needs the mode: outside 64-bit code EIP wraps. */
    if ((rip >> 32) && !((vmcb->save.efer & EFER_LMA) && (vmcb->save.cs.attrib & (1u << 9))))
        rip &= 0xFFFFFFFF;
    vmcb->save.rip = rip;
    vmcb->control.interrupt_shadow = 0; /* the STI/MOV SS shadow ends with the instruction */
    /* The guest's own TF, not the one an NMI window's step set. */
    bool tf = s->step == SVM_STEP_NONE ? (vmcb->save.rflags & SVM_RFLAGS_TF) != 0 : s->step_guest_tf;
    return __builtin_expect(tf, 0) ? VM_SKIP_DONE_SINGLE_STEP : VM_SKIP_DONE;
}

#endif
