/**
 * @file arch/x86/gprs_asm.h
 * @brief Assembler macros that move a guest's general registers between a
 *        struct vcpu_gprs (common/vm/vcpu.h) and the CPU, for both entry loops.
 *
 * Offsets follow struct vcpu_gprs: rax 0, rcx 8, rdx 16, rbx 24, (rsp 32,
 * unused: RSP lives in the VMCB/VMCS), rbp 40, rsi 48, rdi 56, r8..r15 64..120.
 * RAX is left to the caller: it carries the structure's address here, and
 * AMD-V keeps the guest's RAX in the VMCB anyway.
 */
#ifndef BOOKVISOR_ARCH_X86_GPRS_ASM_H
#define BOOKVISOR_ARCH_X86_GPRS_ASM_H

#ifdef __ASSEMBLER__
/* Load every guest GPR but RAX (and RSP) from the struct at \base (%rax). */
.macro LOAD_GUEST_GPRS_EXCEPT_RAX
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
.endm

/* Store every guest GPR but RAX, RCX, RDX (and RSP) into the struct at (%rax):
 * VT-x's exit path keeps those three on the stack while it uses them. */
.macro SAVE_GUEST_GPRS_FROM_RBX
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
.endm

/* Store every guest GPR but RAX (and RSP) into the struct at (%rax). */
.macro SAVE_GUEST_GPRS_EXCEPT_RAX
    movq %rcx, 8(%rax)
    movq %rdx, 16(%rax)
    SAVE_GUEST_GPRS_FROM_RBX
.endm

/* Save / restore the host's callee-saved registers around an entry. */
.macro PUSH_HOST_CALLEE_SAVED
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_HOST_CALLEE_SAVED
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
.endm
#endif

#endif
