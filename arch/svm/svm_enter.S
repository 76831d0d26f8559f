/*
 * arch/svm/svm_enter.S - the AMD-V run loop: VMRUN and the way back.
 *
 * void svm_run_loop(struct vcpu *v, u64 guest_vmcb_pa, u64 host_vmcb_pa)
 *
 * Enters the guest, and at every #VMEXIT saves the guest's general registers
 * into v->gprs (at offset 0 of struct vcpu) and calls svm_on_exit(v) on this
 * same stack; while that returns nonzero, enters again without leaving this
 * frame, so the host's callee-saved registers are pushed once per loop, not
 * once per exit (chapter 02, "The fast path"). RAX travels in the VMCB:
 * svm_on_exit() moves it between the VMCB and v->gprs.
 *
 * VMRUN itself switches only part of the state; VMLOAD/VMSAVE move the rest
 * (FS, GS, TR, LDTR, KernelGSBase, STAR family, SYSENTER). GIF is cleared
 * around the switch so no interrupt lands half-way; the host keeps IF = 0.
 */
#include "arch/x86/gprs_asm.h"

    .text
    .code64
    .globl svm_run_loop
svm_run_loop:
    PUSH_HOST_CALLEE_SAVED      /* RBP first: 40(%rsp) after it is our frame */
    leaq 40(%rsp), %rbp         /* a frame for backtraces: saved RBP, then the return address */
    pushq %rdi              /* 16(%rsp): v */
    pushq %rdx              /* 8(%rsp): host VMCB */
    pushq %rsi              /* 0(%rsp): guest VMCB; the stack is 16-byte aligned */
.Lenter:
    movq 16(%rsp), %rax
    clgi
    LOAD_GUEST_GPRS_EXCEPT_RAX
    movq 0(%rsp), %rax      /* VMRUN's operand; the guest's RAX is in the VMCB */
    vmload %rax
    vmrun %rax
    vmsave %rax             /* after #VMEXIT, RAX is the host's again: the guest VMCB */
    movq 8(%rsp), %rax
    vmload %rax
    stgi
    movq 16(%rsp), %rax
    SAVE_GUEST_GPRS_EXCEPT_RAX
    leaq 64(%rsp), %rbp         /* not the guest's RBP: backtraces walk from here */
    movq %rax, %rdi
    call svm_on_exit
    testl %eax, %eax
    jnz .Lenter
    addq $24, %rsp
    POP_HOST_CALLEE_SAVED
    ret

    .section .note.GNU-stack, "", @progbits
