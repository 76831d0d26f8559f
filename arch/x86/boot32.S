/*
 * arch/x86/boot32.S - from GRUB's 32-bit protected mode into 64-bit C.
 *
 * Multiboot2 hands us: 32-bit protected mode, paging off, EAX = magic,
 * EBX = physical address of the boot information. We build a throw-away set
 * of page tables (identity map of the first 4 GiB plus the higher-half
 * window where the C code is linked), enter long mode and call boot_main().
 * boot_main() then moves bookvisor to the top of RAM (arch/x86/relocate.c).
 */
#include "arch/x86/boot_defs.h"

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long 0                         /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
    /* information request: memory map, ACPI RSDP (optional tags) */
    .balign 8
    .word 1, 1                      /* type 1, flags = optional */
    .long 20
    .long 6, 14, 15
    .balign 8
    .word 0, 0                      /* end tag */
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl $(boot_stack_top), %esp
    movl %eax, boot_magic
    movl %ebx, boot_mbi

    /* Long mode available? CPUID 0x80000001 EDX bit 29. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc no_long_mode

    /* Identity map 0..4 GiB with 2 MiB pages: PDPT_low[0..3] -> PD 0..3. */
    movl $boot_pd_low, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_P | PTE_W | PTE_PS), %eax
    movl %eax, (%edi,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax                  /* high bits of (ecx << 21) */
    movl %eax, 4(%edi,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jb 1b

    movl $boot_pdpt_low, %edi
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $12, %eax
    addl $boot_pd_low, %eax
    orl $(PTE_P | PTE_W), %eax
    movl %eax, (%edi,%ecx,8)
    incl %ecx
    cmpl $4, %ecx
    jb 2b

    /* Higher-half window: KERNEL_VBASE + x -> x for x < 1 GiB (PML4[511], PDPT[510]). */
    movl $boot_pdpt_high, %edi
    movl $boot_pd_low, %eax
    orl $(PTE_P | PTE_W), %eax
    movl %eax, 510*8(%edi)

    movl $boot_pml4, %edi
    movl $boot_pdpt_low, %eax
    orl $(PTE_P | PTE_W), %eax
    movl %eax, (%edi)
    movl $boot_pdpt_high, %eax
    orl $(PTE_P | PTE_W), %eax
    movl %eax, 511*8(%edi)

    /* PAE on, CR3, EFER.LME, paging on. */
    movl %cr4, %eax
    orl $(CR4_PAE), %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME), %eax
    wrmsr
    movl %cr0, %eax
    andl $~(CR0_CD | CR0_NW), %eax  /* caches on: firmware may have left them off */
    orl $(CR0_PG | CR0_PE), %eax
    movl %eax, %cr0

    lgdt boot_gdt_desc
    ljmp $0x08, $long_mode_low

no_long_mode:
    movl $msg_no_lm, %esi
3:  lodsb
    testb %al, %al
    jz 5f
    movb %al, %bl
    movw $0x3FD, %dx                /* COM1 line status */
4:  inb %dx, %al
    testb $0x20, %al
    jz 4b
    movw $0x3F8, %dx
    movb %bl, %al
    outb %al, %dx
    jmp 3b
5:  hlt
    jmp 5b

    .code64
long_mode_low:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $long_mode_high, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: data */
boot_gdt_desc:
    .word boot_gdt_desc - boot_gdt - 1
    .long boot_gdt
    .globl boot_magic, boot_mbi
boot_magic: .long 0
boot_mbi:   .long 0
msg_no_lm:
    .asciz "bookvisor: this CPU has no 64-bit long mode; cannot start\r\n"

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd_low:    .skip 4096 * 4
boot_stack:     .skip 4096
boot_stack_top:

    .text
    .code64
long_mode_high:
    movabsq $kernel_stack_top, %rsp
    xorl %ebp, %ebp
    movl boot_magic, %edi
    movl boot_mbi, %esi
    call boot_main
6:  cli
    hlt
    jmp 6b

    .bss
    .balign 16
    .globl kernel_stack_top
kernel_stack:   .skip KERNEL_STACK_SIZE
kernel_stack_top:
