/**
 * @file arch/vmx/vmx_controls.h
 * @brief Derive the five VMCS control fields from the capability MSRs.
 *
 * Each control capability MSR holds two masks: the low 32 bits are the
 * "allowed-0" settings (a 1 there means the control must be 1) and the high
 * 32 bits the "allowed-1" settings (a 0 there means the control must be 0).
 * A control field that breaks either mask makes VM entry fail, so every
 * value written to the VMCS comes from vmx_control_derive().
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_CONTROLS_H
#define BOOKVISOR_ARCH_VMX_VMX_CONTROLS_H

#include "arch/vmx/vmx_caps.h"
#include "common/lib/types.h"

/**
 * Compute one control field.
 * @param cap_msr  the capability value (struct vmx_caps::pin_ctl etc.)
 * @param wanted   bits that must be 1 for bookvisor to work
 * @param optional bits to set when the CPU allows them, else leave 0
 * @param out      the field value: forced bits | allowed wanted and optional bits
 * @param missing  wanted bits the CPU cannot set (plus any bit the MSR
 *                 contradictorily both forces and forbids); 0 on success
 * @return true when nothing is missing. *out never holds a reserved setting
 *         except for the contradictory bits reported in *missing.
 */
bool vmx_control_derive(u64 cap_msr, u32 wanted, u32 optional, u32 *out, u32 *missing);

/**
 * Bits of value that break the capability: bits that must be 1 but are 0,
 * and bits that are 1 but may not be. 0 means value is a legal setting.
 */
u32 vmx_control_bad_bits(u64 cap_msr, u32 value);

/** How much bookvisor wants a feature. */
enum vmx_want {
    VMX_WANT_OFF,       /**< leave it disabled */
    VMX_WANT_IF_ABLE,   /**< enable it when the CPU has it */
    VMX_WANT_REQUIRED,  /**< fail without it */
};

/**
 * bookvisor's choices for the controls; vmx_policy_default() gives the
 * normal pass-through policy.
 */
struct vmx_policy {
    enum vmx_want ept;                /**< EPT (the only memory virtualization bookvisor has) */
    enum vmx_want unrestricted_guest; /**< run real mode and unpaged protected mode natively */
    enum vmx_want vpid;               /**< tag TLB entries instead of flushing on every exit */
    enum vmx_want preemption_timer;   /**< bound the time the guest runs between exits */
    /** NMI exiting with virtual NMIs: the NMI window the event model needs (chapter 08) */
    enum vmx_want virtual_nmis;
    bool hlt_exiting;                 /**< exit on HLT (so the VMM can idle or schedule) */
    bool passthrough_insns;           /**< enable RDTSCP, INVPCID, XSAVES when the CPU has them */
};

/** The control fields to write into the VMCS. */
struct vmx_control_set {
    u32 pin;   /**< pin-based VM-execution controls */
    u32 proc;  /**< primary processor-based VM-execution controls */
    u32 proc2; /**< secondary processor-based controls (0 when not activated) */
    u32 exit;  /**< VM-exit controls */
    u32 entry; /**< VM-entry controls, without "IA-32e mode guest" (set per entry) */
};

/**
 * The VMX-preemption timer value that ends the guest's run at a TSC
 * deadline. The timer counts down by one every 2^rate TSC cycles (rate:
 * IA32_VMX_MISC bits 4:0), so the cycles left are divided by 2^rate,
 * rounded up (the exit never comes before the deadline), and saturated at
 * the field's 32 bits (the exit then comes sooner, and the hook before the
 * entry sets the rest). A deadline reached already gives 0: the guest
 * exits before its first instruction.
 * @param now_tsc      the TSC now
 * @param deadline_tsc the TSC value to exit by
 * @param rate         log2 of TSC cycles per timer tick (0 to 31)
 */
u32 vmx_preemption_timer_value(u64 now_tsc, u64 deadline_tsc, unsigned rate);

/** Fill policy with bookvisor's defaults: EPT, unrestricted guest and virtual NMIs required, the rest if able. */
void vmx_policy_default(struct vmx_policy *policy);

/**
 * Choose all control fields for policy on the CPU described by caps.
 *
 * External interrupts go straight to the guest (external-interrupt exiting
 * is the backend's to switch on, only while the VMM owns a vector); NMIs
 * exit, with virtual NMIs, so that the VMM can wait for the guest's NMI
 * window (NMI-window exiting, which needs both; physical NMIs are then
 * passed on through the event model); I/O and MSR bitmaps select the
 * intercepted ports and MSRs;
 * CR3 accesses do not exit when EPT is on (unless the CPU forces it); the
 * exit and entry controls save and load EFER, PAT and the debug controls
 * so no MSR lists are needed; the host runs in 64-bit mode.
 * @param caps   the decoded capability MSRs of this CPU
 * @param policy which features to require, try or leave off
 * @param out    receives the five control fields
 * @param err    receives a one-line reason on failure (may be NULL)
 * @param errlen size of err in bytes, NUL included
 * @return true with *out filled; false when something required is missing.
 */
bool vmx_controls_choose(const struct vmx_caps *caps, const struct vmx_policy *policy,
                         struct vmx_control_set *out, char *err, size_t errlen);

#endif
