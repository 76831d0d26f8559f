/*
 * @file tests/guest/isr.S
 * @brief Entry stubs for vectors 0-63 (CPU exceptions, the remapped PICs,
 *        and 0x30-0x3F for interrupts the event checks have bookvisor queue).
 *
 * Every stub leaves the same frame: an error code (the CPU's, or 0), the
 * vector number, then PUSHAL. trap_dispatch() receives a pointer to it and
 * may change the saved EIP (to step over a faulting instruction).
 */

#define SEL_DATA 0x10

/* Vectors for which the CPU pushes an error code itself. */
.macro stub vector
    .balign 16
isr_stub_\vector:
    .if (\vector == 8) || (\vector == 10) || (\vector == 11) || (\vector == 12) || (\vector == 13) || (\vector == 14) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
    .else
    pushl $0
    .endif
    pushl $\vector
    jmp isr_common
.endm

    .text
isr_common:
    pushal
    cld
    pushl %esp			/* struct trap_frame * */
    call trap_dispatch
    addl $4, %esp
    popal
    addl $8, %esp			/* vector and error code */
    iret

    .altmacro
.macro stub_n n
    stub %n
.endm
.set i, 0
.rept 64
    stub_n %i
    .set i, i + 1
.endr

.macro stub_addr n
    .long isr_stub_\n
.endm
    .section .rodata
    .balign 4
    .globl isr_stub_table
isr_stub_table:
.set i, 0
.rept 64
    stub_addr %i
    .set i, i + 1
.endr

    .section .note.GNU-stack, "", @progbits
