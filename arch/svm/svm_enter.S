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
    .text
    .code64
    .globl svm_enter
svm_enter:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdx              /* 16(%rsp): host VMCB */
    pushq %rdi              /*  8(%rsp): gprs */
    pushq %rsi              /*  0(%rsp): guest VMCB */

    clgi
    movq %rdi, %rax
    movq 8(%rax), %rcx
    movq 16(%rax), %rdx
    movq 24(%rax), %rbx
    movq 40(%rax), %rbp
    movq 48(%rax), %rsi
    movq 56(%rax), %rdi
    movq 64(%rax), %r8
    movq 72(%rax), %r9
    movq 80(%rax), %r10
    movq 88(%rax), %r11
    movq 96(%rax), %r12
    movq 104(%rax), %r13
    movq 112(%rax), %r14
    movq 120(%rax), %r15
    movq (%rsp), %rax
    vmload %rax
    vmrun %rax
    vmsave %rax
    movq 8(%rsp), %rax
    movq %rcx, 8(%rax)
    movq %rdx, 16(%rax)
    movq %rbx, 24(%rax)
    movq %rbp, 40(%rax)
    movq %rsi, 48(%rax)
    movq %rdi, 56(%rax)
    movq %r8, 64(%rax)
    movq %r9, 72(%rax)
    movq %r10, 80(%rax)
    movq %r11, 88(%rax)
    movq %r12, 96(%rax)
    movq %r13, 104(%rax)
    movq %r14, 112(%rax)
    movq %r15, 120(%rax)
    movq 16(%rsp), %rax
    vmload %rax
    stgi
    addq $24, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .section .note.GNU-stack, "", @progbits
