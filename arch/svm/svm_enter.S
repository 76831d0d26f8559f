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
    pushq %rdx              /* 16(%rsp): host VMCB */
    pushq %rdi              /*  8(%rsp): gprs */
    pushq %rsi              /*  0(%rsp): guest VMCB */

    clgi
    movq %rdi, %rax
    LOAD_GUEST_GPRS_EXCEPT_RAX
    movq (%rsp), %rax
    vmload %rax
    vmrun %rax
    vmsave %rax
    movq 8(%rsp), %rax
    SAVE_GUEST_GPRS_EXCEPT_RAX
    movq 16(%rsp), %rax
    vmload %rax
    stgi
    addq $24, %rsp
    POP_HOST_CALLEE_SAVED
    ret

    .section .note.GNU-stack, "", @progbits
