/*
 * arch/vmx/vmx_enter.S - VMLAUNCH/VMRESUME and the way back.
 *
 * int vmx_enter(struct vcpu_gprs *gprs, int launched)
 *
 * Returns 0 after a VM exit (guest registers saved into gprs), or 1 when the
 * entry instruction itself failed (VMfail: nothing ran; the caller reads the
 * VM-instruction error). HOST_RSP is written here, just before entry, so the
 * exit lands on this very stack frame; HOST_RIP points at vmx_exit_point.
 */
#define VMCS_HOST_RSP 0x6C14

    .text
    .code64
    .globl vmx_enter, vmx_exit_point
vmx_enter:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdi                  /* 0(%rsp): gprs, found again at the exit */
    movq $VMCS_HOST_RSP, %rax
    vmwrite %rsp, %rax
    jbe 2f                      /* VMfail on the vmwrite: report as an entry failure */
    movq %rdi, %rax
    testl %esi, %esi            /* flags survive the movs below */
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
    movq 0(%rax), %rax
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  /* VMfail: the guest never ran; host callee-saved registers are on the stack. */
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    movl $1, %eax
    ret

vmx_exit_point:
    pushq %rax                  /* guest RAX */
    movq 8(%rsp), %rax          /* gprs */
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
    popq %rcx
    movq %rcx, 0(%rax)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    xorl %eax, %eax
    ret

    .section .note.GNU-stack, "", @progbits
