/**
 * @file arch/vmx/vmx_controls.c
 * @brief Derive VMCS control fields from capability MSRs (pure logic).
 */
#include "arch/vmx/vmx_controls.h"
#include "arch/vmx/vmcs_fields.h"
#include "common/lib/format.h"

bool vmx_control_derive(u64 cap_msr, u32 wanted, u32 optional, u32 *out, u32 *missing)
{
    u32 must1 = (u32)cap_msr;
    u32 may1 = (u32)(cap_msr >> 32);
    /* A bit that must be 1 yet may not be 1 cannot be set legally either
     * way: only a broken (or badly emulated) MSR says that, so report it. */
    u32 lacking = (wanted & ~may1) | (must1 & ~may1);

    *out = must1 | ((wanted | optional) & may1);
    *missing = lacking;
    return lacking == 0;
}

u32 vmx_control_bad_bits(u64 cap_msr, u32 value)
{
    u32 must1 = (u32)cap_msr;
    u32 may1 = (u32)(cap_msr >> 32);

    return (must1 & ~value) | (value & ~may1);
}

u32 vmx_preemption_timer_value(u64 now_tsc, u64 deadline_tsc, unsigned rate)
{
    if (deadline_tsc <= now_tsc)
        return 0;
    u64 left = deadline_tsc - now_tsc;
    u64 ticks = (left >> rate) + ((left & ((1ULL << rate) - 1)) != 0);
    return ticks > 0xFFFFFFFFULL ? 0xFFFFFFFFu : (u32)ticks;
}

void vmx_policy_default(struct vmx_policy *policy)
{
    policy->ept = VMX_WANT_REQUIRED;
    policy->unrestricted_guest = VMX_WANT_REQUIRED;
    policy->vpid = VMX_WANT_IF_ABLE;
    policy->preemption_timer = VMX_WANT_IF_ABLE;
    policy->virtual_nmis = VMX_WANT_REQUIRED;
    policy->hlt_exiting = true;
    policy->passthrough_insns = true;
}

static void set_err(char *err, size_t errlen, const char *what, u32 bits)
{
    if (err && errlen)
        ksnprintf(err, errlen, "VT-x: %s (bits 0x%08x)", what, bits);
}

/**
 * Turn a wish into a decision. Sets *ok to false (and fills err, once) when
 * a required feature is absent.
 */
static bool decide(enum vmx_want want, bool have, const char *name, bool *ok,
                   char *err, size_t errlen)
{
    if (want == VMX_WANT_OFF)
        return false;
    if (!have && want == VMX_WANT_REQUIRED) {
        if (*ok && err && errlen)
            ksnprintf(err, errlen, "VT-x: CPU lacks %s, which bookvisor requires", name);
        *ok = false;
    }
    return have;
}

/** Derive one field; on failure note which field lacked what. */
static bool derive_field(u64 cap, u32 wanted, u32 optional, u32 *out, const char *what,
                         bool *ok, char *err, size_t errlen)
{
    u32 missing;

    if (vmx_control_derive(cap, wanted, optional, out, &missing))
        return true;
    if (*ok)
        set_err(err, errlen, what, missing);
    *ok = false;
    return false;
}

bool vmx_controls_choose(const struct vmx_caps *caps, const struct vmx_policy *policy,
                         struct vmx_control_set *out, char *err, size_t errlen)
{
    /* LAB 3 BEGIN: derive the VMCS execution controls from the capability MSRs */
    bool ok = true;
    bool use_ept, use_ug, use_vpid, use_timer, use_vnmi;
    u32 pin_want = 0, proc_want, proc2_want = 0, proc2_opt = 0;
    u32 exit_want, entry_want;

    *out = (struct vmx_control_set){ 0 };
    if (err && errlen)
        err[0] = '\0';

    use_ept = decide(policy->ept, caps->ept, "EPT with a 4-level walk", &ok, err, errlen);
    /* Unrestricted guest is only legal together with EPT (SDM 26.2.1.1). */
    use_ug = decide(policy->unrestricted_guest, caps->unrestricted_guest && use_ept,
                    "unrestricted guest", &ok, err, errlen);
    use_vpid = decide(policy->vpid, caps->vpid, "VPID", &ok, err, errlen);
    use_timer = decide(policy->preemption_timer, caps->preemption_timer,
                       "the VMX-preemption timer", &ok, err, errlen);
    use_vnmi = decide(policy->virtual_nmis, caps->virtual_nmis, "virtual NMIs", &ok, err, errlen);

    /* Pin-based: external interrupts go to the guest directly. NMIs exit,
     * with virtual NMIs: only then can the VMM wait for the guest's NMI
     * window (the event model, chapter 08). And the optional time bound. */
    if (use_vnmi)
        pin_want |= VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS;
    if (use_timer)
        pin_want |= VMX_PIN_PREEMPTION_TIMER;

    /* Secondary: memory virtualization, plus the enables without which
     * RDTSCP, INVPCID and XSAVES raise #UD in the guest. */
    if (use_ept)
        proc2_want |= VMX_PROC2_EPT;
    if (use_ug)
        proc2_want |= VMX_PROC2_UNRESTRICTED_GUEST;
    if (use_vpid)
        proc2_want |= VMX_PROC2_VPID;
    if (policy->passthrough_insns)
        proc2_opt |= VMX_PROC2_RDTSCP | VMX_PROC2_INVPCID | VMX_PROC2_XSAVES;

    /* Primary: bitmaps choose the intercepted ports and MSRs. CR3-load and
     * CR3-store exiting are simply not asked for: with EPT the guest owns
     * CR3. Older CPUs without TRUE_* MSRs force them to 1 anyway. */
    proc_want = VMX_PROC_IO_BITMAPS | VMX_PROC_MSR_BITMAPS;
    if (policy->hlt_exiting)
        proc_want |= VMX_PROC_HLT_EXITING;
    if ((proc2_want | proc2_opt) && caps->secondary)
        proc_want |= VMX_PROC_SECONDARY_CONTROLS;

    /* Exit: 64-bit host; EFER, PAT and DR7/DEBUGCTL are switched by the
     * controls (no MSR lists, which cost hundreds of cycles per MSR);
     * interrupts are not acknowledged on exit (they reach the guest). */
    exit_want = VMX_EXIT_HOST_ADDR_SPACE_SIZE | VMX_EXIT_SAVE_DEBUG_CONTROLS |
                VMX_EXIT_SAVE_EFER | VMX_EXIT_LOAD_EFER | VMX_EXIT_SAVE_PAT |
                VMX_EXIT_LOAD_PAT;
    /* Entry: "IA-32e mode guest" follows the guest's EFER.LMA and is set by
     * the caller before each entry, not here. */
    entry_want = VMX_ENTRY_LOAD_DEBUG_CONTROLS | VMX_ENTRY_LOAD_EFER | VMX_ENTRY_LOAD_PAT;

    derive_field(caps->pin_ctl, pin_want, 0, &out->pin, "pin-based controls missing",
                 &ok, err, errlen);
    derive_field(caps->proc_ctl, proc_want, 0, &out->proc,
                 "processor-based controls missing", &ok, err, errlen);
    if (out->proc & VMX_PROC_SECONDARY_CONTROLS)
        derive_field(caps->proc2_ctl, proc2_want, proc2_opt, &out->proc2,
                     "secondary controls missing", &ok, err, errlen);
    derive_field(caps->exit_ctl, exit_want, 0, &out->exit, "VM-exit controls missing",
                 &ok, err, errlen);
    derive_field(caps->entry_ctl, entry_want, 0, &out->entry, "VM-entry controls missing",
                 &ok, err, errlen);
    return ok;
    /* LAB 3 END */
}
