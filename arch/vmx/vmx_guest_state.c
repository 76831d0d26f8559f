/*
 * arch/vmx/vmx_guest_state.c - the VMCS guest-state area from a generic
 * initial state (pure; see vmx_guest_state.h).
 */
#include "arch/vmx/vmx_guest_state.h"
#include "arch/vmx/vmcs_fields.h"
#include "common/lib/format.h"
#include "common/vm/vcpu_state.h"

#define POWER_ON_PAT 0x0007040600070406ULL

void vmx_cr_masks_compute(const struct vmx_caps *caps, u32 proc2, u64 cr4_allowed,
                          struct vmx_cr_masks *out)
{
    u64 cr0_free = (proc2 & VMX_PROC2_UNRESTRICTED_GUEST) ? (VCPU_CR0_PE | VCPU_CR0_PG) : 0;
    out->cr0_forced = caps->msr.cr0_fixed0 & ~cr0_free;
    out->cr0_mask = out->cr0_forced | (~caps->msr.cr0_fixed1 & 0xFFFFFFFFULL);
    out->cr4_forced = caps->msr.cr4_fixed0;
    /* A bit the guest may not set, owned, so that setting it exits: the CPU
     * itself would accept a bit it has (VMXE, once VMX is on) and a bit it
     * lacks would only land in the read shadow. */
    out->cr4_mask = out->cr4_forced | (~caps->msr.cr4_fixed1 & 0xFFFFFFFFULL) | ~cr4_allowed |
                    VCPU_CR4_OSXSAVE;
}

u64 vmx_cr0_real(const struct vmx_caps *caps, const struct vmx_cr_masks *m, u64 guest_value)
{
    return (guest_value | m->cr0_forced) & caps->msr.cr0_fixed1;
}

u64 vmx_cr4_real(const struct vmx_caps *caps, const struct vmx_cr_masks *m, u64 guest_value)
{
    return (guest_value | m->cr4_forced) & caps->msr.cr4_fixed1;
}

u32 vmx_ar_from_generic(const struct vcpu_segment *s)
{
    if (!s->attr)
        return VMX_AR_UNUSABLE;
    return (s->attr & 0xFFu) | ((u32)(s->attr & 0xF00u) << 4);
}

static struct vmx_segment segment(const struct vcpu_segment *s)
{
    struct vmx_segment v = { s->selector, s->base, s->limit, vmx_ar_from_generic(s) };
    return v;
}

bool vmx_guest_state_encode(const struct vcpu_init_state *st, const struct vmx_caps *caps, u32 proc2,
                            struct vmx_vmcs_snapshot *snap, char *why, size_t wlen)
{
    struct vmx_cr_masks m;
    bool unrestricted = proc2 & VMX_PROC2_UNRESTRICTED_GUEST;

    if (!unrestricted && (!(st->cr0 & VCPU_CR0_PE) || !(st->cr0 & VCPU_CR0_PG))) {
        if (why && wlen)
            ksnprintf(why, wlen, "VT-x: starting with CR0.%s clear needs unrestricted guest",
                      (st->cr0 & VCPU_CR0_PE) ? "PG" : "PE");
        return false;
    }
    vmx_cr_masks_compute(caps, proc2, ~0ULL, &m); /* only the forced bits matter here */
    snap->guest.cr0 = vmx_cr0_real(caps, &m, st->cr0);
    snap->guest.cr4 = vmx_cr4_real(caps, &m, st->cr4);
    snap->guest.cr3 = st->cr3;
    snap->guest.dr7 = 0x400;
    snap->guest.rsp = st->rsp;
    snap->guest.rip = st->rip;
    snap->guest.rflags = st->rflags;
    snap->guest.es = segment(&st->es);
    snap->guest.cs = segment(&st->cs);
    snap->guest.ss = segment(&st->ss);
    snap->guest.ds = segment(&st->ds);
    snap->guest.fs = segment(&st->fs);
    snap->guest.gs = segment(&st->gs);
    snap->guest.ldtr = segment(&st->ldtr);
    snap->guest.tr = segment(&st->tr);
    snap->guest.gdtr_base = st->gdtr.base;
    snap->guest.gdtr_limit = st->gdtr.limit;
    snap->guest.idtr_base = st->idtr.base;
    snap->guest.idtr_limit = st->idtr.limit;
    snap->guest.debugctl = 0;
    snap->guest.sysenter_cs = 0;
    snap->guest.sysenter_esp = 0;
    snap->guest.sysenter_eip = 0;
    snap->guest.efer = st->efer;
    snap->guest.pat = POWER_ON_PAT;
    snap->guest.activity = VMX_ACTIVITY_ACTIVE;
    snap->guest.interruptibility = 0;
    snap->guest.pending_dbg = 0;
    snap->guest.link_pointer = ~0ULL;
    /* IA-32e mode on entry is EFER.LMA (SDM "Checks on Guest Control Registers"). */
    if (st->efer & VCPU_EFER_LMA)
        snap->ctl.entry |= VMX_ENTRY_IA32E_MODE_GUEST;
    else
        snap->ctl.entry &= ~(u32)VMX_ENTRY_IA32E_MODE_GUEST;
    return true;
}
