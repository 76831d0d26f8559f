/**
 * @file common/vm/cpuid_memo.h
 * @brief Answers to CPUID that cannot change, kept for the backends' fast path.
 *
 * Most CPUID exits ask the same few leaves again and again (leaf 0 is the
 * usual serialising CPUID). For a handful of leaves whose answer depends on
 * nothing the guest can change without an exit that empties the memo (or, for
 * leaf 1's OSXSAVE bit on AMD-V, on a bit the fast path copies from the VMCB's
 * CR4 at every answer: struct vcpu's osxsave_writes_exit), on_cpuid()
 * (common/exits/exit_handlers.c) stores
 * the answer the policy gave, and the backend's exit assembly answers the
 * next CPUID of that leaf from here without leaving assembly: the same
 * answer, the same exit counter, about a third of the instructions. Which
 * leaves qualify, and when the memo is emptied, is decided here, in common
 * code (chapter 02, "The fast path"). The layout is read by assembly:
 * common/vm/cpuid_memo_asm.h holds the offsets, checked below.
 */
#ifndef BOOKVISOR_COMMON_VM_CPUID_MEMO_H
#define BOOKVISOR_COMMON_VM_CPUID_MEMO_H

#include "common/vm/cpuid_memo_asm.h"
#include "common/lib/cpuid_result.h"
#include "common/lib/types.h"

/**
 * One remembered answer, 32 bytes. An empty slot holds, as its leaf, a
 * value that cpuid_memo_slot() never maps to that slot, so a lookup (which
 * only compares leaves) can never hit it.
 */
struct cpuid_answer {
    u32 leaf;    /**< the leaf (EAX) it answers */
    u32 eax;     /**< answer EAX */
    u32 ebx;     /**< answer EBX */
    u32 ecx;     /**< answer ECX */
    u32 edx;     /**< answer EDX */
    u32 pad[3];  /**< to 32 bytes, so assembly indexes with a shift */
};

/** The memo: CPUID_MEMO_SLOTS answers, slot chosen by cpuid_memo_slot(). */
struct cpuid_memo {
    struct cpuid_answer slot[CPUID_MEMO_SLOTS]; /**< direct-mapped by leaf */
};

/** The slot of a leaf: (leaf + (leaf >> 28)) mod CPUID_MEMO_SLOTS, as the assembly computes it. */
unsigned cpuid_memo_slot(u32 leaf);

/** Forget every answer (at start, and when an answer may have changed). */
void cpuid_memo_clear(struct cpuid_memo *m);

/** Remember the answer for leaf (the caller decides which leaves are stable: cpuid_policy_stable_leaf()). */
void cpuid_memo_put(struct cpuid_memo *m, u32 leaf, const struct cpuid_result *r);

/** The remembered answer for leaf, or NULL (what the assembly looks up, for tests). */
const struct cpuid_answer *cpuid_memo_get(const struct cpuid_memo *m, u32 leaf);

#endif
