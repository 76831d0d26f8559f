/**
 * @file arch/vmx/vmx_internal.h
 * @brief What the files of the VT-x backend share among themselves (private to
 *        arch/vmx: no other folder includes it; VMM only).
 *
 * The backend is split by job: vmx_backend.c (probe, vCPU set-up, registers,
 * run, the operations table), vmx_cpu.c (the per-CPU side: VMXON, the
 * current VMCS, the VPID space, CR2), vmx_events.c (windows, deferred
 * external interrupts, interruptibility, injection) and vmx_exit.c (the exit
 * path: vmx_on_exit(), decoding, skip). Everything outside arch/vmx sees only
 * the vmx_backend table of common/vm/backend.h.
 *
 * VMREAD and VMWRITE act on the CPU's *current* VMCS, not on a VMCS named in
 * the instruction. So each CPU remembers which VMCS is current (struct
 * vmx_cpu), and every operation on a vCPU first makes that vCPU's VMCS
 * current (vmcs_use(): VMPTRLD only when it is not already). The exit path
 * needs no such step: the VMCS that exited is current by construction.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_INTERNAL_H
#define BOOKVISOR_ARCH_VMX_VMX_INTERNAL_H

#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmx_controls.h"
#include "arch/vmx/vmx_exit_decode.h"
#include "arch/vmx/vmx_guest_state.h"
#include "common/lib/types.h"
#include "common/vm/backend.h"
#include "common/vm/event.h"
#include "common/vm/vcpu.h"
#include "common/vm/vcpu_owner.h"
#include "common/vm/vm_exit.h"

/** Interruptibility bits that hold off an interrupt for one instruction (STI, MOV SS). */
#define VMX_BLOCKING_SHADOW (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS)

/** The current-VMCS pointer of a CPU that has none. */
#define VMX_NO_VMCS (~0ULL)

/** VPIDs handed out, 1 to this (0 is the host's). */
#define VMX_VPID_COUNT 65535

/** Per-vCPU VT-x state (v->arch), made by vmx_vcpu_init(). */
struct vmx_vcpu {
    u64 vmcs_pa;              /**< the VMCS */
    u8 *io_bitmap;            /**< A (ports 0-0x7FFF) then B (0x8000-0xFFFF), 8 KiB */
    u8 *msr_bitmap;           /**< 4 KiB: read low, read high, write low, write high */
    struct vmx_cr_masks cr;   /**< CR0/CR4 bits the VMM owns, and those it forces */
    u64 eptp;                 /**< the EPT pointer in the VMCS */
    u64 cr2;                  /**< the guest's CR2 while the CPU's register holds another's */
    u16 vpid;                 /**< its TLB tag (0: VPID is off) */
    bool launched;            /**< VMRESUME, not VMLAUNCH, enters it next */
    /** vmx_run_loop() code of a failed entry, 0 if none; then the VMCS holds no exit. */
    int entry_fail;
    /** External-interrupt exiting is off until the interrupt window (vmx_defer_interrupt()). */
    bool extint_deferred;
    u32 insn_error;           /**< VM-instruction error of a VMfailValid (0 after a VMfailInvalid) */
    /** The VMX-preemption timer is on in the pin-based controls (a VMM timer waits; chapter 07). */
    bool run_bounded;
};

/** Per-CPU VT-x state (struct cpu's backend pointer), made by vmx_enable_cpu(). */
struct vmx_cpu {
    u64 vmxon_pa;           /**< the VMXON region */
    u64 current_vmcs;       /**< what VMPTRLD made current; VMX_NO_VMCS for none */
    struct vcpu *running;   /**< the vCPU in vmx_run_loop() now, or NULL */
    struct vcpu *cr2_owner; /**< the vCPU whose CR2 the CPU's register holds, or NULL */
};

/**
 * The VT-x capabilities, read by vmx_probe() on the boot CPU. Every CPU of a
 * machine is the same model, so they hold for all; written once at boot and
 * only read afterwards, they need no lock.
 */
extern struct vmx_caps vmx_machine_caps;

/** The VMCS controls vmx_probe() chose from vmx_machine_caps; written once at boot, like it. */
extern struct vmx_control_set vmx_machine_controls;

/* ---- vmx_cpu.c: the per-CPU side ---- */

/** Backend operation enable_cpu: VMXON on the calling CPU, with a region of its own. */
int vmx_enable_cpu(void);

/** Backend operation park_cpu: HLT forever in VMX root operation (INIT blocked there). */
void vmx_park_cpu(void);

/** Backend operation hold_init: nothing, VMX root operation blocks INIT. */
void vmx_hold_init(void);

/**
 * Make v's VMCS current with VMPTRLD (the cold part of vmcs_use()). Panics
 * while another vCPU is in its run loop on this CPU: that one would resume on
 * the wrong VMCS after the exit being handled.
 * @param vc  the calling CPU's VT-x state
 * @param v   the vCPU, owned by the calling CPU
 * @param op  the operation, for the panic message
 */
void vmcs_load(struct vmx_cpu *vc, struct vcpu *v, const char *op) __attribute__((noinline, cold));

/**
 * Before any VMREAD/VMWRITE for v outside the exit path: v must be this
 * CPU's, and its VMCS current. The common case costs two compares.
 */
/**
 * Is v this CPU's, with its VMCS current? Then its fields may be read and
 * written at once (vmcs_use() does the rest when not).
 */
static inline bool vmcs_is_current(const struct vcpu *v)
{
    return v->cpu == this_cpu() &&
           ((struct vmx_cpu *)v->cpu->backend)->current_vmcs == ((struct vmx_vcpu *)v->arch)->vmcs_pa;
}

static inline void vmcs_use(struct vcpu *v, const char *op)
{
    vcpu_assert_own_cpu(v, op);
    struct vmx_cpu *vc = v->cpu->backend;
    if (__builtin_expect(vc->current_vmcs != ((struct vmx_vcpu *)v->arch)->vmcs_pa, 0))
        vmcs_load(vc, v, op);
}

/**
 * A VPID for a new vCPU from the machine's one space (any CPU, under its lock).
 * @return 1 to VMX_VPID_COUNT, or 0 when all are in use
 */
u16 vmx_vpid_alloc(void);

/** The guest's CR2 of v: the CPU's register if v owns it, else v's copy. */
u64 vmx_cr2_read(struct vcpu *v);

/** Set the guest's CR2 of v, in the register or in v's copy (as vmx_cr2_read()). */
void vmx_cr2_write(struct vcpu *v, u64 value);

/** Before v runs on the CPU of vc: the register takes v's CR2, the previous owner keeps its own. */
void vmx_cr2_claim(struct vmx_cpu *vc, struct vcpu *v);

/* ---- vmx_events.c: the event side ---- */

/**
 * At an external-interrupt exit (v's VMCS current): leave the interrupt
 * pending while the guest cannot take it, until the interrupt window.
 * @param v  the vCPU that exited
 * @param e  its exit; details.interrupt.left_pending is set here
 */
void vmx_defer_interrupt(struct vcpu *v, struct vm_exit *e);

/** At the interrupt window vmx_defer_interrupt() asked for: external-interrupt exiting again. */
void vmx_end_deferral(struct vcpu *v);

/** Backend operation get_interruptibility: RFLAGS.IF, the STI/MOV SS shadow, virtual-NMI blocking. */
void vmx_get_interruptibility(struct vcpu *v, struct event_interruptibility *out);

/** Backend operation set_event_windows: the interrupt- and NMI-window exiting controls. */
void vmx_set_event_windows(struct vcpu *v, bool interrupt_window, bool nmi_window);

/** Backend operation inject: the event in the VM-entry interruption field. */
void vmx_inject(struct vcpu *v, const struct vm_event *ev);

/* ---- vmx_exit.c: the exit path ---- */

/** Backend operation skip_instruction, for callers outside the exit path: v's VMCS first. */
enum vm_skip vmx_skip_instruction_op(struct vcpu *v, const struct vm_exit *e);

#endif
