/*
 * arch/x86/ap_trampoline.S - where another CPU starts: real mode to bookvisor's
 * 64-bit C (chapter 08, "SMP start-up").
 *
 * A start-up IPI starts a CPU in real mode at CS = vector << 8, IP = 0. These
 * bytes are copied to that page (below 1 MiB) by ap_trampoline_install(),
 * which fills in the fields at the end: the GDT's and the far jumps' linear
 * addresses (the page is known only then), the boot CPU's CR3, CR4, EFER and
 * CR0, and the stack, function and argument of the CPU to start. The code
 * uses no absolute address of its own: in real mode it addresses its fields
 * through DS = CS, in 32-bit and 64-bit mode through EBX = the page's address.
 */
#include "arch/x86/boot_defs.h"

#define OFF(sym) ((sym) - ap_trampoline_start)

    .section .rodata, "a"
    .balign 16
    .globl ap_trampoline_start, ap_trampoline_end
    .code16
ap_trampoline_start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    movzwl %ax, %ebx
    shll $4, %ebx                       /* EBX: the page's linear address */
    lgdtl OFF(ap_tramp_gdt_desc)
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl *OFF(ap_tramp_far32)          /* to ap_tramp_pm32 in 32-bit code (0x08) */

    .code32
ap_tramp_pm32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    /* Long mode as the boot CPU has it: its CR4 (PAE), its page tables, EFER.LME
     * (and NXE, which its tables may use), then paging. */
    movl OFF(ap_tramp_cr4)(%ebx), %eax
    movl %eax, %cr4
    movl OFF(ap_tramp_cr3)(%ebx), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    movl OFF(ap_tramp_efer)(%ebx), %eax
    xorl %edx, %edx
    wrmsr
    movl OFF(ap_tramp_cr0)(%ebx), %eax
    movl %eax, %cr0
    ljmpl *OFF(ap_tramp_far64)(%ebx)    /* to ap_tramp_lm64 in 64-bit code (0x18) */

    .code64
ap_tramp_lm64:
    movl %ebx, %ebx                     /* the upper half is undefined after the switch */
    movq OFF(ap_tramp_stack)(%rbx), %rsp
    movq OFF(ap_tramp_arg)(%rbx), %rdi
    movq OFF(ap_tramp_entry)(%rbx), %rax
    xorl %ebp, %ebp
    pushq $0                            /* no return: the stack as after a call */
    jmp *%rax

    .balign 8
ap_tramp_gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF            /* 0x08: 32-bit code, flat */
    .quad 0x00CF92000000FFFF            /* 0x10: data, flat */
    .quad 0x00AF9A000000FFFF            /* 0x18: 64-bit code */
    .globl ap_tramp_gdt, ap_tramp_gdt_desc, ap_tramp_far32, ap_tramp_far64
    .globl ap_tramp_pm32, ap_tramp_lm64
    .globl ap_tramp_cr3, ap_tramp_cr4, ap_tramp_cr0, ap_tramp_efer
    .globl ap_tramp_stack, ap_tramp_arg, ap_tramp_entry
ap_tramp_gdt_desc:
    .word 4 * 8 - 1
    .long 0                             /* filled: the page + OFF(ap_tramp_gdt) */
    .balign 4
ap_tramp_far32:
    .long 0                             /* filled: the page + OFF(ap_tramp_pm32) */
    .word 0x08
    .balign 4
ap_tramp_far64:
    .long 0                             /* filled: the page + OFF(ap_tramp_lm64) */
    .word 0x18
    .balign 8
ap_tramp_cr3:   .quad 0
ap_tramp_cr4:   .quad 0
ap_tramp_cr0:   .quad 0
ap_tramp_efer:  .quad 0
ap_tramp_stack: .quad 0
ap_tramp_arg:   .quad 0
ap_tramp_entry: .quad 0
ap_trampoline_end:

    .section .note.GNU-stack, "", @progbits
