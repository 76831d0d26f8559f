/**
 * @file arch/vmx/vmx_usable.h
 * @brief Can this CPU host bookvisor with VT-x, and if not, why not (pure logic).
 *
 * The one decision vmx_probe() takes before it claims the machine: whether
 * the CPU has VMX, whether the firmware left it on, and whether the
 * capability MSRs offer what bookvisor cannot do without (EPT with
 * write-back tables, unrestricted guest). One verdict out, with the exact
 * sentence that tells the user why (lab 1 part 2, labs/lab1/README.md).
 * The finer choice of every control is vmx_controls_choose()'s (lab 3).
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_USABLE_H
#define BOOKVISOR_ARCH_VMX_VMX_USABLE_H

#include "arch/vmx/vmx_caps.h"
#include "common/lib/types.h"

/** The verdict of vmx_usable(), first failing reason in this order. */
enum vmx_verdict {
    VMX_USABLE,        /**< bookvisor can run a guest with VT-x */
    VMX_NO_VMX,        /**< CPUID.1:ECX bit 5 is clear */
    VMX_LOCKED_OFF,    /**< IA32_FEATURE_CONTROL locked with "VMX outside SMX" clear */
    VMX_BAD_VMCS,      /**< IA32_VMX_BASIC describes no usable VMCS (vmx_caps_decode() false) */
    VMX_NO_EPT,        /**< no EPT with a 4-level walk (vmx_caps::ept false) */
    VMX_NO_EPT_WB,     /**< EPT paging structures cannot be write-back */
    VMX_NO_UNRESTRICTED_GUEST, /**< "unrestricted guest" may not be set */
};

/**
 * Decide whether bookvisor can run its guest on this CPU with VT-x.
 *
 * The reasons are checked in the order of enum vmx_verdict, and the first
 * that applies is returned. An unlocked IA32_FEATURE_CONTROL is usable:
 * bookvisor locks it with VMX on (vmx_feature_control_decide()).
 * @param has_vmx         CPUID.1:ECX bit 5
 * @param feature_control IA32_FEATURE_CONTROL as read (ignored without VMX)
 * @param vmcs_ok         what vmx_caps_decode() returned (ignored without VMX)
 * @param caps            the decoded capabilities; read only when has_vmx
 * @return VMX_USABLE, or the reason it is not
 */
enum vmx_verdict vmx_usable(bool has_vmx, u64 feature_control, bool vmcs_ok,
                            const struct vmx_caps *caps);

/**
 * The sentence that explains a verdict, for the "no usable virtualization
 * support" report (labs/lab1/README.md lists them all).
 * @return a constant string; "usable" for VMX_USABLE, "unknown verdict" for
 *         a value outside the enum
 */
const char *vmx_verdict_message(enum vmx_verdict v);

#endif
