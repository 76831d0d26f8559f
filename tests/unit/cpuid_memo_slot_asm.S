/*
 * tests/unit/cpuid_memo_slot_asm.S - the backends' memo hash, assembled for the host.
 *
 * u32 cpuid_memo_slot_offset_asm(u32 leaf): CPUID_MEMO_SLOT_OFFSET exactly as
 * arch/svm/svm_enter.S and arch/vmx/vmx_enter.S expand it (System V: the leaf
 * in EDI, the result in EAX), so test_cpuid_memo.c can hold it against
 * cpuid_memo_slot().
 */
#include "common/vm/cpuid_memo_asm.h"

    .text
    .globl cpuid_memo_slot_offset_asm
    .type cpuid_memo_slot_offset_asm, @function
cpuid_memo_slot_offset_asm:
    CPUID_MEMO_SLOT_OFFSET(%edi, %eax)
    ret

    .section .note.GNU-stack, "", @progbits
