/*
 * arch/x86/isr.S - one stub per vector; all funnel into trap_dispatch().
 *
 * Two tables. isr_table_start is the VMM's IDT: vectors 0-31 are exceptions
 * (a bug in the VMM), 32-255 interrupts. wait_table_start serves only the
 * interrupt windows, the moments the VMM opens itself to interrupts
 * (desc_wait_for_interrupt(), desc_take_interrupts()): nothing but an
 * external interrupt can arrive then (NMI and #MC keep their real stubs), and
 * the guest may have put its interrupt controller's vectors anywhere, 8 (the
 * BIOS's timer) included. So every one of its stubs pushes a zero error code
 * (interrupts never push one) and the vector plus WAIT_VECTOR_FLAG, which
 * trap_dispatch() reads as "an interrupt": the VMM's if it owns the vector,
 * else the guest's.
 */
#define WAIT_VECTOR_FLAG 0x100 /* DESC_WAIT_VECTOR_FLAG of arch/x86/desc.h */
    .text
    .code64

/* Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30. */
.macro ISR vec
    .balign 16
isr_\vec:
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp isr_common
.endm

/* Each table's label on the boundary of its first stub: desc_idt_build() finds
 * vector v's stub at the label + 16 * v. (A label before the first stub's own
 * .balign may sit in padding: the wait table's once sat 4 bytes early, so each
 * interrupt first ran the last bytes of the stub before it, for the last
 * vectors "add %al,(%rax)" twice, which corrupted this_cpu() under an SMP
 * Linux on qemu-svm; chapter 08.) */
    .balign 16
    .globl isr_table_start
isr_table_start:
.altmacro
.set vec, 0
.rept 256
    ISR %vec
    .set vec, vec + 1
.endr

/* The interrupt windows: no CPU error code, ever; the vector carries the flag. */
.macro WAIT_STUB vec
    .balign 16
wait_\vec:
    pushq $0
    pushq $(\vec + WAIT_VECTOR_FLAG)
    jmp isr_common
.endm

    .balign 16
    .globl wait_table_start
wait_table_start:
.set vec, 0
.rept 256
    WAIT_STUB %vec
    .set vec, vec + 1
.endr

isr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    cld
    call trap_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq
