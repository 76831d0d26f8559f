/*
 * @file tests/guest/stack_switch.S
 * @brief Wait for an interrupt on another stack (the event checks).
 *
 * u32 wait_on_stack(u32 top, volatile u32 *seen, u32 spins, u32 halt)
 *
 * Moves ESP to @p top (the end of a page the nested map does not map: the
 * first push there is a nested page fault), enables interrupts, and waits:
 * with @p halt, one `sti; hlt`; without, up to @p spins rounds until *seen
 * becomes nonzero. Then it keeps interrupts on a little longer, so that a
 * second delivery of the same event would be seen too, and returns to the
 * old stack with interrupts off. Nothing in the waiting touches the stack:
 * only the CPU's delivery does. Returns the spins left (0: timed out).
 */
    .text
    .globl wait_on_stack
wait_on_stack:
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 8(%ebp), %eax          /* top */
    movl 12(%ebp), %esi         /* seen */
    movl 16(%ebp), %ecx         /* spins */
    movl 20(%ebp), %edx         /* halt */
    movl %esp, %edi
    movl %eax, %esp
    testl %edx, %edx
    jz 1f
    sti
    hlt                         /* in STI's shadow: nothing comes in between */
    jmp 3f
1:  sti
2:  cmpl $0, (%esi)
    jne 3f
    decl %ecx
    jnz 2b
3:  movl $200000, %edx          /* room for a second delivery, which must not come */
4:  decl %edx
    jnz 4b
    cli
    movl %edi, %esp
    movl %ecx, %eax
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .section .note.GNU-stack, "", @progbits
