/*
 * arch/vmx/vmx_events.c - the event side of VT-x (chapters 04 and 08): the
 * interrupt and NMI windows, external interrupts left pending while the
 * guest cannot take them, the guest's interruptibility, and injection.
 * Common code's event model decides; this file only sets the VMCS fields.
 */
#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_insn.h"
#include "arch/vmx/vmx_internal.h"
#include "arch/x86/boot_defs.h"
#include "common/base/panic.h"

#define RFLAGS_IF (1ULL << 9)

/*
 * Interrupt-window exiting is on while common code asks for the window or
 * the backend waits for it itself (vmx_defer_interrupt()).
 */
static void write_interrupt_window(struct vcpu *v)
{
    const struct vmx_vcpu *x = v->arch;
    u32 proc = (u32)vmread(VMCS_PROC_CONTROLS) & ~VMX_PROC_INTR_WINDOW_EXITING;
    if (v->events.interrupt_window_open || x->extint_deferred)
        proc |= VMX_PROC_INTR_WINDOW_EXITING;
    vmwrite(VMCS_PROC_CONTROLS, proc);
}

/*
 * External-interrupt exiting makes an interrupt exit whatever the guest's
 * RFLAGS.IF says. Taken now, it would be acknowledged at the controller
 * before the guest could take it, at whatever vector the controller has at
 * this moment (a guest still booting may reprogram it before its STI, and on
 * bare metal it would then come at the new vector, or not at all). So while
 * the guest cannot take an interrupt, leave it pending: external-interrupt
 * exiting goes off and the interrupt window on; at the window exit exiting
 * comes back, and the interrupt, if still pending, exits at once, now
 * takeable (chapter 04, "External interrupts").
 */
void vmx_defer_interrupt(struct vcpu *v, struct vm_exit *e)
{
    struct vmx_vcpu *x = v->arch;
    bool can_take = (vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF) &&
                    !(vmread(VMCS_GUEST_INTERRUPTIBILITY) & VMX_BLOCKING_SHADOW);
    e->details.interrupt.left_pending = !can_take;
    if (can_take)
        return;
    x->extint_deferred = true;
    vmwrite(VMCS_PIN_CONTROLS, vmread(VMCS_PIN_CONTROLS) & ~(u64)VMX_PIN_EXT_INTR_EXITING);
    write_interrupt_window(v);
}

/* The window the backend waited for itself: external-interrupt exiting again. */
void vmx_end_deferral(struct vcpu *v)
{
    struct vmx_vcpu *x = v->arch;
    x->extint_deferred = false;
    vmwrite(VMCS_PIN_CONTROLS, vmread(VMCS_PIN_CONTROLS) | VMX_PIN_EXT_INTR_EXITING);
    write_interrupt_window(v);
}

void vmx_get_interruptibility(struct vcpu *v, struct event_interruptibility *out)
{
    vmcs_use(v, "get_interruptibility");
    u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
    out->interrupts_enabled = (vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF) != 0;
    out->shadow = (intr & VMX_BLOCKING_SHADOW) != 0;
    out->nmi_blocked = (intr & VMX_INTERRUPTIBILITY_NMI) != 0; /* virtual-NMI blocking */
}

/*
 * The two windows are processor-based controls: interrupt-window exiting
 * exits before the first instruction at which RFLAGS.IF = 1 and no shadow
 * blocks; NMI-window exiting (which needs virtual NMIs, vmx_controls_choose())
 * before the first at which there is no virtual-NMI blocking. Both are
 * allowed by every CPU that has virtual NMIs, and refused here otherwise.
 */
void vmx_set_event_windows(struct vcpu *v, bool interrupt_window, bool nmi_window)
{
    vmcs_use(v, "set_event_windows");
    const u32 both = VMX_PROC_INTR_WINDOW_EXITING | VMX_PROC_NMI_WINDOW_EXITING;
    u32 proc = (u32)vmread(VMCS_PROC_CONTROLS) & ~both;
    if (interrupt_window || ((struct vmx_vcpu *)v->arch)->extint_deferred)
        proc |= VMX_PROC_INTR_WINDOW_EXITING;
    if (nmi_window)
        proc |= VMX_PROC_NMI_WINDOW_EXITING;
    if (vmx_control_bad_bits(vmx_machine_caps.proc_ctl, proc) & both)
        panic("vmx: this CPU refuses the %s window control", interrupt_window ? "interrupt" : "NMI");
    vmwrite(VMCS_PROC_CONTROLS, proc);
}

void vmx_inject(struct vcpu *v, const struct vm_event *ev)
{
    vmcs_use(v, "inject");
    u32 type = ev->type == VM_EVENT_EXTERNAL_INTERRUPT ? VMX_INTR_TYPE_EXT_INTR
             : ev->type == VM_EVENT_NMI ? VMX_INTR_TYPE_NMI : VMX_INTR_TYPE_HW_EXCEPTION;
    u32 info = ev->vector | (type << VMX_INTR_INFO_TYPE_SHIFT) | VMX_INTR_INFO_VALID;
    /* Real mode has no error codes, and VM entry refuses one there. The real
     * CR0, not the read shadow: with unrestricted guest PE is the guest's own
     * bit, outside the mask, so the shadow keeps whatever was written last. */
    bool pm = vmread(VMCS_GUEST_CR0) & CR0_PE;
    if (ev->has_error && pm) {
        info |= VMX_INTR_INFO_DELIVER_ERROR;
        vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, ev->error_code);
    }
    vmwrite(VMCS_ENTRY_INTR_INFO, info);
}
