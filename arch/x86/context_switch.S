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
#include "arch/x86/gprs_asm.h"

    .text
    .globl context_switch
    .type context_switch, @function
context_switch:
    PUSH_HOST_CALLEE_SAVED
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    POP_HOST_CALLEE_SAVED
    ret
    .size context_switch, . - context_switch

    .section .note.GNU-stack, "", @progbits
