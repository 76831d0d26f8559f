/*
 * arch/x86/insn_safe.S - instructions bookvisor runs with a guest's value, and
 * that survive the CPU refusing it.
 *
 * int wrmsr_safe(u32 msr, u64 value): 0, or -1 when WRMSR raised #GP.
 * int xsetbv_safe(u32 index, u64 value): 0, or -1 when XSETBV raised #GP.
 *
 * For work bookvisor does on the guest's behalf with a value the guest chose:
 * a #GP at one of the *_insn labels is not a VMM bug, so the trap dispatcher
 * (common/base/trap.c, through desc_fixup_safe_insn() in arch/x86/desc.c)
 * resumes at the matching *_fault label instead of panicking. Checking the
 * rules first stays the job of the caller; this is the net under it.
 */
    .text
    .code64
    .globl wrmsr_safe, wrmsr_safe_insn, wrmsr_safe_fault
    .globl xsetbv_safe, xsetbv_safe_insn, xsetbv_safe_fault
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

xsetbv_safe:
    movl %edi, %ecx
    movl %esi, %eax
    movq %rsi, %rdx
    shrq $32, %rdx
xsetbv_safe_insn:
    xsetbv
    xorl %eax, %eax
    ret
xsetbv_safe_fault:
    movl $-1, %eax
    ret

    .section .note.GNU-stack, "", @progbits
