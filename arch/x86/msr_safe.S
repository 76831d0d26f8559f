/*
 * arch/x86/msr_safe.S - WRMSR that survives the CPU refusing the value.
 *
 * int wrmsr_safe(u32 msr, u64 value): 0, or -1 when WRMSR raised #GP.
 *
 * For writes bookvisor performs on the guest's behalf with a value the guest
 * chose: a #GP at wrmsr_safe_insn is not a VMM bug, so trap_dispatch()
 * (arch/x86/desc.c) resumes at wrmsr_safe_fault instead of panicking.
 */
    .text
    .code64
    .globl wrmsr_safe, wrmsr_safe_insn, wrmsr_safe_fault
wrmsr_safe:
    movl %edi, %ecx
    movl %esi, %eax
    movq %rsi, %rdx
    shrq $32, %rdx
wrmsr_safe_insn:
    wrmsr
    xorl %eax, %eax
    ret
wrmsr_safe_fault:
    movl $-1, %eax
    ret

    .section .note.GNU-stack, "", @progbits
