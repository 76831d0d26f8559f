/*
 * @file tests/guest/boot.S
 * @brief Multiboot (v1) header and entry: own GDT, own stack, call guest_main.
 *
 * The loader enters in 32-bit protected mode, paging off, interrupts off,
 * EAX = 0x2BADB002 and EBX = physical address of the multiboot info.
 * Nothing about its GDT or stack may be trusted, so both are replaced
 * before any C code runs.
 */

#define MB_MAGIC        0x1BADB002
#define MB_FLAG_ALIGN   (1 << 0)	/* modules page aligned */
#define MB_FLAG_MEMINFO (1 << 1)	/* we want mem_* and the memory map */
#define MB_FLAGS        (MB_FLAG_ALIGN | MB_FLAG_MEMINFO)

#define STACK_SIZE      0x8000

#define SEL_CODE        0x08
#define SEL_DATA        0x10

    .section .multiboot, "a"
    .balign 4
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .rodata
    .balign 8
gdt:
    .quad 0x0000000000000000	/* null */
    .quad 0x00CF9A000000FFFF	/* 0x08: code, base 0, 4 GiB, 32-bit */
    .quad 0x00CF92000000FFFF	/* 0x10: data, base 0, 4 GiB, 32-bit */
    .quad 0x00CF92010000FFFF	/* 0x18: data, base 0x10000 (segment-override checks) */
    .quad 0x00AF9A000000FFFF	/* 0x20: code, 64-bit (L=1): la57_ia32e.S's handlers */
gdt_end:
gdt_descriptor:
    .word gdt_end - gdt - 1
    .long gdt

    .section .bss
    .balign 16
    .globl boot_stack_bottom
boot_stack_bottom:
    .skip STACK_SIZE
    .globl boot_stack_top
boot_stack_top:

    .text
    .globl _start
    .type _start, @function
_start:
    cli
    cld
    /* EAX/EBX carry the loader's hand-off; keep them out of harm's way. */
    movl %eax, %esi
    movl %ebx, %edi

    lgdt gdt_descriptor
    ljmp $SEL_CODE, $1f
1:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp

    /* EFLAGS to a known state: IF=0, DF=0, AC=0, NT=0. */
    pushl $0x2
    popfl

    pushl %edi			/* multiboot info */
    pushl %esi			/* magic */
    call guest_main
    /* guest_main never returns; if it does, stop here. */
2:	cli
    hlt
    jmp 2b
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
