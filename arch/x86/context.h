/**
 * @file arch/x86/context.h
 * @brief A VMM thread's saved context: its stack pointer (chapter 07).
 *
 * A thread that is not running is a stack whose top holds the registers
 * context_switch() pushed and the address to return to. A new thread's
 * stack is prepared to look the same, with its entry function as the return
 * address, so that the first switch to it "returns" into the entry.
 */
#ifndef BOOKVISOR_ARCH_X86_CONTEXT_H
#define BOOKVISOR_ARCH_X86_CONTEXT_H

#include "common/lib/types.h"

/**
 * Save the callee-saved registers and the stack pointer in *save_sp, and
 * continue on the stack next_sp (arch/x86/context_switch.S).
 */
void context_switch(u64 *save_sp, u64 next_sp);

/** Bytes a prepared stack uses: six registers, the entry and a return slot. */
#define CONTEXT_PREPARED_BYTES (8 * 8)

/**
 * Prepare a new thread's stack so that the first context_switch() to it
 * enters entry with the stack aligned as after a call. entry must never
 * return (its own return address is 0).
 * @param stack_top one past the stack's highest byte
 * @param entry     where the thread begins
 * @return the stack pointer to pass to context_switch()
 */
static inline u64 context_prepare(void *stack_top, void (*entry)(void))
{
    u64 top = (u64)stack_top & ~15ULL;
    u64 *sp = (u64 *)top;
    *--sp = 0;             /* entry's return address: it never returns */
    *--sp = (u64)entry;    /* where context_switch()'s RET goes */
    for (int i = 0; i < 6; i++)
        *--sp = 0;         /* RBP, RBX, R12-R15: zero for a new thread */
    return (u64)sp;
}

#endif
