/**
 * @file arch/vmx/vmx_usable.c
 * @brief Whether VT-x on this CPU can host bookvisor (pure logic, lab 1 part 2).
 */
#include "arch/vmx/vmx_usable.h"
#include "arch/vmx/vmx_feature_control.h"

enum vmx_verdict vmx_usable(bool has_vmx, u64 feature_control, bool vmcs_ok,
                            const struct vmx_caps *caps)
{
    /* LAB 1 BEGIN: part 2: decide whether VT-x can host bookvisor, and why not */
    /* LAB 1 FALLBACK: return has_vmx ? VMX_USABLE : VMX_NO_VMX; */
    if (!has_vmx)
        return VMX_NO_VMX;
    if (vmx_feature_control_decide(feature_control).action == VMX_FC_REFUSE)
        return VMX_LOCKED_OFF;
    if (!vmcs_ok)
        return VMX_BAD_VMCS;
    /* The guest's memory is mapped by nested paging only (chapter 05), and
     * npt_ept_pointer() asks for write-back tables. */
    if (!caps->ept)
        return VMX_NO_EPT;
    if (!caps->ept_wb)
        return VMX_NO_EPT_WB;
    /* A multiboot guest starts in protected mode without paging, which VT-x
     * runs only as an unrestricted guest. */
    if (!caps->unrestricted_guest)
        return VMX_NO_UNRESTRICTED_GUEST;
    return VMX_USABLE;
    /* LAB 1 END */
}

const char *vmx_verdict_message(enum vmx_verdict v)
{
    switch (v) {
    case VMX_USABLE:
        return "usable";
    case VMX_NO_VMX:
        return "the CPU has no VMX (CPUID.1:ECX bit 5)";
    case VMX_LOCKED_OFF:
        return "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked)";
    case VMX_BAD_VMCS:
        return "IA32_VMX_BASIC describes no usable VMCS";
    case VMX_NO_EPT:
        return "VT-x without EPT (4-level walk) is not supported";
    case VMX_NO_EPT_WB:
        return "EPT paging structures cannot be write-back on this CPU";
    case VMX_NO_UNRESTRICTED_GUEST:
        return "VT-x without unrestricted guest is not supported";
    }
    return "unknown verdict";
}
