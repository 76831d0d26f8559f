/**
 * @file common/vm/cpuid_memo_asm.h
 * @brief Constants of the CPUID memo shared with the backends' assembly.
 *
 * The layout of one answer and the hash are written here, once, for C and
 * assembly; common/vm/cpuid_memo.c checks the layout against struct
 * cpuid_answer with _Static_assert. Where the memo sits in struct vcpu is not
 * written by hand: the build computes it (common/vm/vcpu_asm_offsets.c makes
 * build/gen/vcpu_asm_offsets.h).
 */
#ifndef BOOKVISOR_COMMON_VM_CPUID_MEMO_ASM_H
#define BOOKVISOR_COMMON_VM_CPUID_MEMO_ASM_H

#define CPUID_MEMO_SLOTS 16            /**< slots in the memo (a power of two) */
#define CPUID_MEMO_SLOT_SHIFT 5        /**< log2 of sizeof(struct cpuid_answer) */
#define CPUID_ANSWER_LEAF 0            /**< offsetof(struct cpuid_answer, leaf) */
#define CPUID_ANSWER_EAX 4             /**< offsetof(struct cpuid_answer, eax) */
#define CPUID_ANSWER_EBX 8             /**< offsetof(struct cpuid_answer, ebx) */
#define CPUID_ANSWER_ECX 12            /**< offsetof(struct cpuid_answer, ecx) */
#define CPUID_ANSWER_EDX 16            /**< offsetof(struct cpuid_answer, edx) */

/**
 * For assembly: the byte offset of a leaf's slot in the memo, the one
 * definition of the hash, ((leaf + (leaf >> 28)) mod CPUID_MEMO_SLOTS) times
 * the slot size. leaf and out are 32-bit registers, out not leaf; leaf is
 * left as it was. cpuid_memo_slot() computes the same in C, and
 * tests/unit/test_cpuid_memo.c runs this macro (assembled for the host)
 * against it over a million leaves.
 */
#define CPUID_MEMO_SLOT_OFFSET(leaf, out)                                                  \
    movl leaf, out; shrl $28, out; addl leaf, out; andl $(CPUID_MEMO_SLOTS - 1), out;      \
    shll $CPUID_MEMO_SLOT_SHIFT, out

#endif
