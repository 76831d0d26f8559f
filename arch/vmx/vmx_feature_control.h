/**
 * @file arch/vmx/vmx_feature_control.h
 * @brief Whether the firmware lets bookvisor use VMX: the IA32_FEATURE_CONTROL
 *        decision (pure logic).
 *
 * IA32_FEATURE_CONTROL (MSR 0x3A) holds a lock bit and the VMX enables. Once
 * the lock bit is set nothing can change the MSR until the next reset, so a
 * locked MSR with "VMX outside SMX" clear means VMX is off for good; an
 * unlocked one is ours to set up (SDM vol. 3C, "Enabling and Entering VMX
 * Operation"). The backend reads the MSR, asks vmx_feature_control_decide()
 * and does what it says, so every case is testable on the host.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_FEATURE_CONTROL_H
#define BOOKVISOR_ARCH_VMX_VMX_FEATURE_CONTROL_H

#include "common/lib/types.h"

/** @name IA32_FEATURE_CONTROL bits */
/** @{ */
#define VMX_FEATURE_CONTROL_LOCK (1ull << 0)              /**< bit 0: the MSR is read-only until reset */
#define VMX_FEATURE_CONTROL_VMX_INSIDE_SMX (1ull << 1)    /**< bit 1: VMXON allowed inside SMX (TXT) */
#define VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)   /**< bit 2: VMXON allowed outside SMX */
/** @} */

/** What to do with IA32_FEATURE_CONTROL before VMXON. */
enum vmx_feature_control_action {
    VMX_FC_USE,    /**< locked with VMX allowed: use it as it is */
    VMX_FC_WRITE,  /**< unlocked: write vmx_feature_control_decision::value (locks it, VMX on) */
    VMX_FC_REFUSE, /**< locked with VMX off: VMXON would \#GP; give up with the reason */
};

/** The result of vmx_feature_control_decide(). */
struct vmx_feature_control_decision {
    enum vmx_feature_control_action action; /**< what to do */
    u64 value;          /**< for VMX_FC_WRITE: the value to write; else the MSR as read */
    const char *reason; /**< for VMX_FC_REFUSE: why, for the "no virtualization" message; else NULL */
};

/**
 * Decide what to do with the value read from IA32_FEATURE_CONTROL.
 *
 * Only the lock bit and "VMX outside SMX" matter: bookvisor never enters SMX,
 * so "VMX inside SMX" and the SENTER bits are neither required nor changed.
 * An unlocked MSR is locked with VMX outside SMX on, keeping every other bit,
 * because VMXON also faults while the lock bit is clear.
 * @param msr the MSR's current value
 * @return the action, the value to write and the reason to refuse
 */
struct vmx_feature_control_decision vmx_feature_control_decide(u64 msr);

#endif
