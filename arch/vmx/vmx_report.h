/**
 * @file arch/vmx/vmx_report.h
 * @brief Reports of a failed VM entry or a stopped guest (VMM code, cold).
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_REPORT_H
#define BOOKVISOR_ARCH_VMX_VMX_REPORT_H

#include "arch/vmx/vmx_caps.h"
#include "common/vm/vcpu.h"

/** The instruction a vmx_run_loop() failure code names ("VMLAUNCH", ...). */
const char *vmx_failed_insn_name(int rc);

/**
 * Run the entry checker (arch/vmx/vmx_check.h) over a snapshot of the
 * current VMCS and print every rule it finds broken, by name.
 * @param caps  the CPU's VT-x capabilities, part of the snapshot
 */
void vmx_report_entry_checks(const struct vmx_caps *caps);

/**
 * Print the guest's state for a failure report: the entry checker's findings
 * when the entry failed, the exit reason otherwise, then RIP, control
 * registers, CS/SS and the first general registers.
 * @param v           the vCPU (its general registers)
 * @param caps        the CPU's VT-x capabilities (for the checker)
 * @param entry_fail  vmx_run_loop()'s failure code, or 0 after an exit
 * @param insn_error  the VM-instruction error of a VMfailValid
 */
void vmx_report_state(const struct vcpu *v, const struct vmx_caps *caps, int entry_fail,
                      u32 insn_error);

#endif
