/**
 * @file arch/vmx/vmx_guest_state.h
 * @brief From a generic initial state to VMCS guest-state fields (pure).
 *
 * vmx_vcpu_init() writes what vmx_guest_state_encode() computes, so the
 * translation can be checked on the host with the software entry checker
 * (arch/vmx/vmx_check.h): tests/unit/test_vmx_check.c runs each starting
 * mode of common/vm/vcpu_state.h through both.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_GUEST_STATE_H
#define BOOKVISOR_ARCH_VMX_VMX_GUEST_STATE_H

#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmx_check.h"
#include "common/lib/types.h"
#include "common/vm/vcpu.h"

/**
 * CR0 and CR4 ownership: bits VMX operation forces to 1 (CR0.NE, CR4.VMXE,
 * and CR0.PE/PG without unrestricted guest) or forbids, and every CR4 bit
 * the guest's CPU lacks, are the VMM's, through the guest/host masks: a
 * guest write that changes one exits, and bookvisor's rules answer it
 * (common/exits/cr_rules.h). The guest reads its own values from the shadows.
 */
struct vmx_cr_masks {
    u64 cr0_mask;   /**< CR0 guest/host mask: bits the VMM owns */
    u64 cr4_mask;   /**< CR4 guest/host mask */
    u64 cr0_forced; /**< bits set in the real CR0 whatever the guest wrote */
    u64 cr4_forced; /**< bits set in the real CR4 whatever the guest wrote */
};

/**
 * The masks for this CPU and these secondary controls (unrestricted guest
 * frees PE and PG): the forced bits and those of 31:0 that FIXED1 forbids
 * are owned; CR0's bits 63:32 are not (the CPU faults on them before any
 * exit). CR4.OSXSAVE is owned too, though the guest may change
 * it: CPUID leaf 1 mirrors it, and a write that changes it exits, so that
 * the remembered answer of leaf 1 goes with it (chapter 14).
 * @param caps        the CPU's VMX capabilities (fixed CR bits)
 * @param proc2       the secondary processor-based controls in use
 * @param cr4_allowed the CR4 bits the guest's CPU has (struct cr_features):
 *                    every other bit, bits 63:32 included, is owned
 * @param out         receives the masks
 */
void vmx_cr_masks_compute(const struct vmx_caps *caps, u32 proc2, u64 cr4_allowed,
                          struct vmx_cr_masks *out);

/** The real CR0 for the value the guest believes it has (forced bits set, forbidden cleared). */
u64 vmx_cr0_real(const struct vmx_caps *caps, const struct vmx_cr_masks *m, u64 guest_value);

/** The real CR4 for the value the guest believes it has. */
u64 vmx_cr4_real(const struct vmx_caps *caps, const struct vmx_cr_masks *m, u64 guest_value);

/** A generic segment (AMD attribute layout) as VMCS access rights; attr 0 = unusable. */
u32 vmx_ar_from_generic(const struct vcpu_segment *s);

/**
 * Fill snap->guest from st and set the "IA-32e mode guest" entry control in
 * snap->ctl.entry to EFER.LMA (the rest of snap is left alone).
 *
 * Refuses a state this VMCS cannot enter: protection or paging off (real
 * mode, unpaged protected mode) without unrestricted guest in proc2.
 *
 * @param st    the initial state (common/vm/vcpu_state.h builds them)
 * @param caps  the CPU's VMX capabilities (fixed CR bits)
 * @param proc2 the secondary processor-based controls in use
 * @param snap  receives the guest-state fields
 * @param why   receives a one-line reason on refusal (may be NULL)
 * @param wlen  bytes at why
 * @return true when snap was filled
 */
bool vmx_guest_state_encode(const struct vcpu_init_state *st, const struct vmx_caps *caps, u32 proc2,
                            struct vmx_vmcs_snapshot *snap, char *why, size_t wlen);

#endif
