/*
 * @file tests/guest/realmode.S
 * @brief Drop to real mode, run CPUID there, and come back.
 *
 * u32 realmode_cpuid(u32 leaf, u32 *ebx_out)
 *
 * A trampoline is copied to REALMODE_BASE (below 1 MiB, where real-mode code
 * must live) and entered through a 16-bit protected-mode segment; it clears
 * CR0.PE, sets CS to REALMODE_BASE >> 4, executes CPUID twice (plain, then
 * with an operand-size prefix), stores EAX/EBX of the second below the
 * trampoline, sets CR0.PE again and far-jumps back to 32-bit code. Returns
 * the first CPUID's EBX; *ebx_out gets the second's EBX (both must agree).
 *
 * Under a hypervisor both CPUIDs exit in real mode: the VMM must fetch and
 * step over 16-bit code at a segment base (VT-x needs unrestricted guest for
 * this; AMD-V without next-RIP decodes the bytes itself). Interrupts must be
 * off (they are, in the test guest).
 */
#define REALMODE_BASE   0x7000
#define RESULT_EAX      0x6FF0	/* results, just below the trampoline */
#define RESULT_EBX      0x6FF4
#define RESULT_EBX0     0x6FF8
#define RM_STACK        0x6FE0
#define SEL_CODE32      0x08
#define SEL_DATA32      0x10
#define SEL_CODE16      0x18
#define SEL_DATA16      0x20
#define TRAMP(label)    (REALMODE_BASE + (label - tramp_start))

    .section .rodata
    .balign 8
rm_gdt:
    .quad 0x0000000000000000
    .quad 0x00CF9A000000FFFF	/* 0x08: 32-bit code, flat */
    .quad 0x00CF92000000FFFF	/* 0x10: 32-bit data, flat */
    .quad 0x00009A000000FFFF	/* 0x18: 16-bit code, base 0, 64 KiB */
    .quad 0x000092000000FFFF	/* 0x20: 16-bit data, base 0, 64 KiB */
rm_gdt_end:
rm_gdtr:
    .word rm_gdt_end - rm_gdt - 1
    .long rm_gdt
rm_ivt:
    .word 0x3FF			/* the real-mode interrupt table at 0 */
    .long 0

    .section .bss
    .balign 8
saved_gdtr:	.skip 8
saved_idtr:	.skip 8
saved_esp:	.skip 4

    .text
    .code32
    .globl realmode_cpuid
    .type realmode_cpuid, @function
realmode_cpuid:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    /* Copy the trampoline down. */
    movl $tramp_start, %esi
    movl $REALMODE_BASE, %edi
    movl $(tramp_end - tramp_start), %ecx
    cld
    rep movsb
    movl 20(%esp), %eax		/* leaf */
    movl %eax, RESULT_EAX		/* the trampoline reads it from here */
    sgdt saved_gdtr
    sidt saved_idtr
    movl %esp, saved_esp
    lgdt rm_gdtr
    lidt rm_ivt
    ljmp $SEL_CODE16, $TRAMP(pm16)

back32:
    movw $SEL_DATA32, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl saved_esp, %esp
    lgdt saved_gdtr
    lidt saved_idtr
    ljmp $SEL_CODE32, $1f		/* reload CS from the guest's own GDT */
1:	movl 24(%esp), %edx		/* ebx_out */
    movl RESULT_EBX, %eax
    movl %eax, (%edx)
    movl RESULT_EBX0, %eax
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .code16
tramp_start:
pm16:					/* 16-bit protected mode, CS base 0 */
    movw $SEL_DATA16, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr0, %eax
    andl $~1, %eax
    movl %eax, %cr0
    ljmp $(REALMODE_BASE >> 4), $(rm - tramp_start)
rm:					/* real mode: CS = 0x700 */
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $RM_STACK, %sp
    movl RESULT_EAX, %eax
    xorl %ecx, %ecx
    cpuid
    movl %ebx, RESULT_EBX0
    movl RESULT_EAX, %eax
    xorl %ecx, %ecx
    .byte 0x66, 0x0f, 0xa2		/* CPUID with an operand-size prefix */
    movl %ebx, RESULT_EBX
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $back32
tramp_end:
    .code32

    .section .note.GNU-stack, "", @progbits
