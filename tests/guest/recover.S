/*
 * @file tests/guest/recover.S
 * @brief recover_save/recover_jump: a minimal setjmp/longjmp.
 *
 * A check that takes an unexpected exception is abandoned by jumping from
 * the exception handler straight back to the point saved before the check
 * started. Only the callee-saved registers, ESP and the return EIP are kept
 * (cdecl: EAX, ECX, EDX are the caller's to lose).
 */

/* Offsets in struct recover_point. */
#define RP_EBX 0
#define RP_ESI 4
#define RP_EDI 8
#define RP_EBP 12
#define RP_ESP 16
#define RP_EIP 20

    .text
    .globl recover_save
    .type recover_save, @function
recover_save:
    movl 4(%esp), %eax		/* struct recover_point * */
    movl %ebx, RP_EBX(%eax)
    movl %esi, RP_ESI(%eax)
    movl %edi, RP_EDI(%eax)
    movl %ebp, RP_EBP(%eax)
    leal 4(%esp), %ecx		/* ESP as it will be after our RET */
    movl %ecx, RP_ESP(%eax)
    movl (%esp), %ecx		/* return address */
    movl %ecx, RP_EIP(%eax)
    xorl %eax, %eax
    ret
    .size recover_save, . - recover_save

    .globl recover_jump
    .type recover_jump, @function
recover_jump:
    movl 4(%esp), %edx		/* struct recover_point * */
    movl 8(%esp), %eax		/* value recover_save appears to return */
    testl %eax, %eax
    jnz 1f
    incl %eax			/* never look like the first return */
1:
    movl RP_EBX(%edx), %ebx
    movl RP_ESI(%edx), %esi
    movl RP_EDI(%edx), %edi
    movl RP_EBP(%edx), %ebp
    movl RP_ESP(%edx), %esp
    jmp *RP_EIP(%edx)
    .size recover_jump, . - recover_jump

    .section .note.GNU-stack, "", @progbits
