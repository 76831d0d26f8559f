/**
 * @file arch/vmx/vmx_enter.h
 * @brief The run loop of arch/vmx/vmx_enter.S: its prototype and return codes
 *        (VMM only; also included by the assembly for the codes).
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_ENTER_H
#define BOOKVISOR_ARCH_VMX_VMX_ENTER_H

/** @name vmx_run_loop() return codes */
/** @{ */
#define VMX_RUN_STOPPED 0          /**< vmx_on_exit() said stop */
#define VMX_RUN_VMLAUNCH_FAILED 1  /**< VMLAUNCH failed: the guest never ran */
#define VMX_RUN_VMRESUME_FAILED 2  /**< VMRESUME failed: the guest did not run again */
#define VMX_RUN_HOST_RSP_FAILED 3  /**< the VMWRITE of HOST_RSP failed: nothing entered */
#define VMX_RUN_INSN_MASK 3        /**< the bits of a code that name the failed instruction */
/**
 * Added to a failure code when the instruction failed with VMfailInvalid (CF
 * set: no current VMCS, so the VM-instruction error field cannot be read);
 * without it the failure was VMfailValid (ZF set: the field holds the error).
 */
#define VMX_RUN_FAIL_INVALID 4
/** @} */

/** @name VMCS fields and exit reasons the fast and direct paths use (checked in vmx_exit.c) */
/** @{ */
#define VMX_ASM_EXIT_REASON 0x4402            /**< VMCS_EXIT_REASON */
#define VMX_ASM_EXIT_INSN_LEN 0x440C          /**< VMCS_EXIT_INSN_LEN */
#define VMX_ASM_GUEST_RIP 0x681E              /**< VMCS_GUEST_RIP */
#define VMX_ASM_GUEST_RFLAGS 0x6820           /**< VMCS_GUEST_RFLAGS */
#define VMX_ASM_GUEST_INTERRUPTIBILITY 0x4824 /**< VMCS_GUEST_INTERRUPTIBILITY */
#define VMX_ASM_REASON_CPUID 10               /**< basic exit reason of CPUID */
#define VMX_ASM_REASON_VMCALL 18              /**< basic exit reason of VMCALL */
#define VMX_ASM_REASON_IO 30                  /**< basic exit reason of IN, OUT, INS and OUTS */
/** @} */

#ifndef __ASSEMBLER__
#include "common/lib/types.h"

struct vcpu;

/**
 * Enter the guest of v (VMLAUNCH unless launched, then VMRESUME after every
 * exit) until vmx_on_exit() returns false.
 * @param v        the vCPU whose VMCS is current; its gprs are loaded and saved
 * @param launched nonzero when the current VMCS was launched already
 * @return VMX_RUN_STOPPED, or a failure code: VMX_RUN_VMLAUNCH_FAILED,
 *         VMX_RUN_VMRESUME_FAILED or VMX_RUN_HOST_RSP_FAILED, plus
 *         VMX_RUN_FAIL_INVALID for a VMfailInvalid
 */
int vmx_run_loop(struct vcpu *v, int launched);

/**
 * Called by vmx_run_loop() at every VM exit, on the loop's own stack.
 * @param v   the vCPU that exited (its VMCS is current)
 * @param raw the exit-reason field, which the assembly has read already
 * @return true to enter the guest again, false to leave the loop
 */
bool vmx_on_exit(struct vcpu *v, u32 raw);

/**
 * Called by vmx_run_loop() instead of vmx_on_exit() for an I/O exit (the
 * direct path, chapter 14); it hands what it does not cover to vmx_on_exit().
 * @return as vmx_on_exit()
 */
bool vmx_exit_io(struct vcpu *v);

/**
 * Called by vmx_run_loop() instead of vmx_on_exit() for a VMCALL exit (the
 * direct path, chapter 14).
 * @return as vmx_on_exit()
 */
bool vmx_exit_vmcall(struct vcpu *v);
#endif

#endif
