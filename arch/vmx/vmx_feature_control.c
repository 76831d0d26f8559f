/**
 * @file arch/vmx/vmx_feature_control.c
 * @brief The IA32_FEATURE_CONTROL decision before VMXON (pure logic).
 */
#include "arch/vmx/vmx_feature_control.h"

struct vmx_feature_control_decision vmx_feature_control_decide(u64 msr)
{
    struct vmx_feature_control_decision d = { VMX_FC_USE, msr, NULL };

    if (!(msr & VMX_FEATURE_CONTROL_LOCK)) {
        d.action = VMX_FC_WRITE;
        d.value = msr | VMX_FEATURE_CONTROL_LOCK | VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX;
    } else if (!(msr & VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
        d.action = VMX_FC_REFUSE;
        d.reason = "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked)";
    }
    return d;
}
