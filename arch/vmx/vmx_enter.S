/*
 * arch/vmx/vmx_enter.S - VMLAUNCH/VMRESUME and the way back.
 *
 * int vmx_enter(struct vcpu_gprs *gprs, int launched, u64 *host_rsp)
 *
 * Returns 0 after a VM exit (guest registers saved into gprs), or 1 when the
 * entry instruction itself failed (VMfail: nothing ran; the caller reads the
 * VM-instruction error). HOST_RSP must be this very stack frame, so the exit
 * lands here; HOST_RIP points at vmx_exit_point. *host_rsp remembers the
 * value last written: the loop calls from the same frame every time, so the
 * VMWRITE is needed only on the first entry (or if the stack ever moves).
 */
#define VMCS_HOST_RSP 0x6C14

#include "arch/x86/gprs_asm.h"

    .text
    .code64
    .globl vmx_enter, vmx_exit_point
vmx_enter:
    PUSH_HOST_CALLEE_SAVED
    pushq %rdi                  /* 0(%rsp): gprs, found again at the exit */
    cmpq %rsp, (%rdx)
    jne 3f                      /* the stack moved: HOST_RSP must follow */
0:  movq %rdi, %rax
    testl %esi, %esi            /* flags survive the movs below */
    LOAD_GUEST_GPRS_EXCEPT_RAX
    movq 0(%rax), %rax
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  /* VMfail: the guest never ran; host callee-saved registers are on the stack. */
    addq $8, %rsp
    POP_HOST_CALLEE_SAVED
    movl $1, %eax
    ret
3:  movq $VMCS_HOST_RSP, %rax
    vmwrite %rsp, %rax
    jbe 2b                      /* VMfail on the vmwrite: report as an entry failure */
    movq %rsp, (%rdx)
    jmp 0b

vmx_exit_point:
    pushq %rax                  /* guest RAX */
    movq 8(%rsp), %rax          /* gprs */
    SAVE_GUEST_GPRS_EXCEPT_RAX
    popq %rcx
    movq %rcx, 0(%rax)
    addq $8, %rsp
    POP_HOST_CALLEE_SAVED
    xorl %eax, %eax
    ret

    .section .note.GNU-stack, "", @progbits
