/**
 * @file common/vm/cpuid_memo_asm.h
 * @brief Constants of the CPUID memo shared with the backends' assembly.
 *
 * Assembly cannot use offsetof(): the offsets it needs are written here and
 * checked against the C structures by _Static_assert in common/vm/cpuid_memo.c
 * and common/vm/exit_dispatch.c, so a change of layout breaks the build, not
 * the guest.
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
#define VCPU_OFF_CPUID_MEMO 0x200      /**< offsetof(struct vcpu, cpuid_memo) */
#define VCPU_OFF_CPUID_COUNT 0x148     /**< offsetof(struct vcpu, exit_counts[VM_EXIT_CPUID]) */

#endif
