/*
 * arch/x86/context_switch.S - switching from one VMM thread's stack to
 * another's (chapter 07).
 *
 * void context_switch(u64 *save_sp, u64 next_sp)
 *
 * Pushes the registers the x86-64 calling convention says a function keeps
 * (RBX, RBP, R12-R15) on the current stack, stores the stack pointer in
 * *save_sp, loads next_sp, pops the same registers from there and returns
 * on that stack: into the context_switch() call that saved it, or, for a
 * new thread, into the entry address context_prepare() left
 * (arch/x86/context.h). Nothing else needs saving: the VMM is built without
 * SSE, and a switch is an ordinary call, so the caller already expects
 * every other register to change.
 */
    .text
    .globl context_switch
    .type context_switch, @function
context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size context_switch, . - context_switch

    .section .note.GNU-stack, "", @progbits
