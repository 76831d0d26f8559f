/*
 * arch/svm/svm_enter.S - one trip into the guest and back.
 *
 * void svm_enter(struct vcpu_gprs *gprs, u64 guest_vmcb_pa, u64 host_vmcb_pa)
 *
 * VMRUN itself switches only part of the state; VMLOAD/VMSAVE move the rest
 * (FS, GS, TR, LDTR, KernelGSBase, STAR family, SYSENTER). GIF is cleared
 * around the switch so no interrupt lands half-way; the host keeps IF = 0.
 * RAX travels in the VMCB, every other general register through gprs.
 */
#include "arch/x86/gprs_asm.h"

    .text
    .code64
    .globl svm_enter
svm_enter:
    PUSH_HOST_CALLEE_SAVED
    pushq %rdi              /* 8(%rsp): gprs */
    pushq %rdx              /* 0(%rsp): host VMCB */

    clgi
    movq %rsi, %rax         /* guest VMCB */
    /* Load the guest's registers from (%rdi), RDI itself last. */
    movq 8(%rdi), %rcx
    movq 16(%rdi), %rdx
    movq 24(%rdi), %rbx
    movq 40(%rdi), %rbp
    movq 48(%rdi), %rsi
    movq 64(%rdi), %r8
    movq 72(%rdi), %r9
    movq 80(%rdi), %r10
    movq 88(%rdi), %r11
    movq 96(%rdi), %r12
    movq 104(%rdi), %r13
    movq 112(%rdi), %r14
    movq 120(%rdi), %r15
    movq 56(%rdi), %rdi
    vmload %rax
    vmrun %rax
    vmsave %rax
    movq 8(%rsp), %rax
    SAVE_GUEST_GPRS_EXCEPT_RAX
    popq %rax               /* host VMCB */
    vmload %rax
    stgi
    addq $8, %rsp
    POP_HOST_CALLEE_SAVED
    ret

    .section .note.GNU-stack, "", @progbits
