/**
 * @file tests/guest/la57_ia32e.S
 * @brief One MOV to CR4 in IA-32e mode, for the la57-ia32e check.
 *
 * u32 ia32e_try_cr4(u32 pml4, const void *idtr64, u32 cr4_value, u32 *cr4_after)
 *
 * Turns IA-32e mode on (PAE, the given PML4, EFER.LME, then CR0.PG) while the
 * code segment stays the 32-bit one, so the CPU is in compatibility mode:
 * IA-32e mode is active (EFER.LMA = 1), which is all the CR4.LA57 rule asks
 * (Intel SDM vol. 2B, MOV to CR: #GP on a change of CR4.LA57 in IA-32e mode).
 * It writes cr4_value to CR4 once, at ia32e_cr4_write, stores what CR4 then
 * holds in *cr4_after, and goes back: paging off (LMA clears), EFER, CR4,
 * CR3, the IDT and CR0 as they were. Returns how many #GPs the write raised.
 *
 * In IA-32e mode every exception is delivered through a 64-bit IDT, to a
 * 64-bit code segment (selector 0x20, boot.S): idtr64 must describe one whose
 * vector 13 is ia32e_gp_handler and every other vector ia32e_stray_handler.
 * Interrupts stay off throughout. The handlers are 64-bit code.
 */
    .set CR0_PG, 0x80000000
    .set CR4_PAE, 0x20
    .set MSR_EFER, 0xC0000080
    .set EFER_LME, 0x100
    .set CR4_WRITE_LEN, 3          /* mov %eax, %cr4: 0f 22 e0 */

    .section .bss
    .balign 8
saved_idtr:
    .skip 8
saved_cr0:
    .long 0
saved_cr3:
    .long 0
saved_cr4:
    .long 0
saved_efer_lo:
    .long 0
saved_efer_hi:
    .long 0
    .globl ia32e_gp_count
ia32e_gp_count:
    .long 0
    .globl ia32e_stray_vector_seen
ia32e_stray_vector_seen:
    .long 0

    .text
    .code32
    .globl ia32e_try_cr4
    .type ia32e_try_cr4, @function
ia32e_try_cr4:
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    pushfl
    cli
    movl $0, ia32e_gp_count

    sidt saved_idtr
    movl %cr0, %eax
    movl %eax, saved_cr0
    movl %cr3, %eax
    movl %eax, saved_cr3
    movl %cr4, %eax
    movl %eax, saved_cr4
    movl $MSR_EFER, %ecx
    rdmsr
    movl %eax, saved_efer_lo
    movl %edx, saved_efer_hi

    /* Paging off first: long mode is turned on from protected mode without it. */
    movl saved_cr0, %eax
    andl $~CR0_PG, %eax
    movl %eax, %cr0
    movl saved_cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl 8(%ebp), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    movl saved_efer_lo, %eax
    movl saved_efer_hi, %edx
    orl $EFER_LME, %eax
    wrmsr
    movl 12(%ebp), %eax
    lidt (%eax)
    movl saved_cr0, %eax
    orl $CR0_PG, %eax
    movl %eax, %cr0            /* EFER.LMA = 1: compatibility mode from here */

    movl 16(%ebp), %eax
    .globl ia32e_cr4_write
ia32e_cr4_write:
    movl %eax, %cr4            /* the write under test; the #GP handler skips it */
    movl %cr4, %esi

    movl %cr0, %eax
    andl $~CR0_PG, %eax
    movl %eax, %cr0            /* EFER.LMA = 0: protected mode again */
    movl $MSR_EFER, %ecx
    movl saved_efer_lo, %eax
    movl saved_efer_hi, %edx
    wrmsr
    lidt saved_idtr
    movl saved_cr4, %eax
    movl %eax, %cr4
    movl saved_cr3, %eax
    movl %eax, %cr3
    movl saved_cr0, %eax
    movl %eax, %cr0

    movl 20(%ebp), %eax
    movl %esi, (%eax)
    movl ia32e_gp_count, %eax
    popfl
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret
    .size ia32e_try_cr4, . - ia32e_try_cr4

    .code64
    /* #GP in IA-32e mode: the frame is error code, RIP, CS, RFLAGS, RSP, SS.
     * Only the write under test may fault; anything else is a stray. */
    .globl ia32e_gp_handler
ia32e_gp_handler:
    /* RIP-relative: a 32-bit object has no relocation for 64-bit absolutes. */
    pushq %rax
    leaq ia32e_cr4_write(%rip), %rax
    cmpq %rax, 16(%rsp)
    popq %rax
    jne ia32e_stray_handler
    incl ia32e_gp_count(%rip)
    addq $CR4_WRITE_LEN, 8(%rsp)
    addq $8, %rsp
    iretq

    /* Any other exception: nothing to go back to. Leave the vector number's
     * trace for a debugger and stop; the check's emulator test then times out
     * without its line, which fails it. */
    .globl ia32e_stray_handler
ia32e_stray_handler:
    movl $1, ia32e_stray_vector_seen(%rip)
1:  cli
    hlt
    jmp 1b
    .code32
    .section .note.GNU-stack, "", @progbits
