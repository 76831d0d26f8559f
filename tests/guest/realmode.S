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
 *
 * u32 realmode_rdmsr_gp(u32 msr)
 *
 * The same trip, but in real mode the trampoline points the real-mode
 * interrupt table's #GP entry (vector 13) at a handler of its own and
 * executes RDMSR of msr. Returns how many times the handler ran (it steps
 * the saved IP over the 2-byte RDMSR). A real-mode exception frame is IP, CS
 * and FLAGS: no error code, ever; an injected #GP that carried one would fail
 * VM entry on VT-x with unrestricted guest.
 *
 * void realmode_int15(u32 unused)
 *
 * The same trip, but in real mode the trampoline loads EAX, EBX, ECX, EDX
 * and EDI from RM_INT15_REGS (struct rm_int15_regs in check_bios_memmap.c),
 * with ES = 0, calls INT 15h through the real-mode interrupt table as a
 * boot loader would, and stores EAX, EBX, ECX, EDX and FLAGS back there.
 */
#define REALMODE_BASE   0x7000
#define RESULT_EAX      0x6FF0	/* results, just below the trampoline */
#define RESULT_EBX      0x6FF4
#define RESULT_EBX0     0x6FF8
#define RM_STACK        0x6FE0
#define RM_OP           0x6FE4  /* 0: CPUID pair, 1: RDMSR with a #GP handler */
#define RESULT_GP       0x6FE8  /* realmode_rdmsr_gp: #GP handler runs */
#define IVT_GP          (13 * 4) /* the real-mode vector table's #GP entry */
#define IVT_SAVE        0x6FEC
#define RM_INT15_REGS   0x5F00  /* realmode_int15: eax ebx ecx edx edi flags */
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
    movl $0, RM_OP
    jmp realmode_enter

    .globl realmode_int15
    .type realmode_int15, @function
realmode_int15:
    movl $2, RM_OP
    jmp realmode_enter

    .globl realmode_rdmsr_gp
    .type realmode_rdmsr_gp, @function
realmode_rdmsr_gp:
    movl $1, RM_OP
    movl $0, RESULT_GP

realmode_enter:
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
    movl 20(%esp), %eax		/* leaf (or MSR) */
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
1:	cmpl $0, RM_OP
    jne 2f
    movl 24(%esp), %edx		/* ebx_out */
    movl RESULT_EBX, %eax
    movl %eax, (%edx)
    movl RESULT_EBX0, %eax
    jmp 3f
2:	movl RESULT_GP, %eax
3:	popl %edi
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
    cmpl $2, RM_OP
    je rm_int15
    cmpl $0, RM_OP
    jne rm_rdmsr
    movl RESULT_EAX, %eax
    xorl %ecx, %ecx
    cpuid
    movl %ebx, RESULT_EBX0
    movl RESULT_EAX, %eax
    xorl %ecx, %ecx
    .byte 0x66, 0x0f, 0xa2		/* CPUID with an operand-size prefix */
    movl %ebx, RESULT_EBX
rm_back:
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $back32
rm_rdmsr:				/* the #GP entry points at rm_gp; RDMSR; entry back */
    movl IVT_GP, %eax
    movl %eax, IVT_SAVE
    movw $(rm_gp - tramp_start), IVT_GP
    movw $(REALMODE_BASE >> 4), IVT_GP + 2
    movl RESULT_EAX, %ecx
    rdmsr
    movl IVT_SAVE, %eax
    movl %eax, IVT_GP
    jmp rm_back
rm_int15:				/* INT 15h with the registers of RM_INT15_REGS */
    movl RM_INT15_REGS + 4, %ebx
    movl RM_INT15_REGS + 8, %ecx
    movl RM_INT15_REGS + 12, %edx
    movl RM_INT15_REGS + 16, %edi
    movl RM_INT15_REGS, %eax
    int $0x15
    movl %eax, RM_INT15_REGS
    movl %ebx, RM_INT15_REGS + 4
    movl %ecx, RM_INT15_REGS + 8
    movl %edx, RM_INT15_REGS + 12
    pushfl
    popl %eax
    movl %eax, RM_INT15_REGS + 20	/* (INT 15h keeps DS, as every BIOS call does) */
    jmp rm_back
rm_gp:					/* frame: IP, CS, FLAGS (no error code) */
    pushw %bp
    movw %sp, %bp
    addw $2, 2(%bp)			/* step over RDMSR (0F 32) */
    popw %bp
    incl RESULT_GP
    iret
tramp_end:
    .code32

    .section .note.GNU-stack, "", @progbits
