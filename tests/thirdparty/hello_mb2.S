/*
 * tests/thirdparty/hello_mb2.S - a plain Multiboot2 kernel that knows nothing
 * about bookvisor, written the way small hobby kernels are: one assembly file,
 * a header with address and entry tags (the a.out-kludge style, so the loader
 * must obey the tags rather than the ELF headers), output on COM1, then
 * `cli; hlt`. It prints the magic it got, its command line, the loader's
 * name and the number of memory-map entries, so a test can check what the
 * loader handed over.
 */
    .set MB2_MAGIC, 0xE85250D6
    .set LOAD_ADDR, 0x00200000
    .set COM1, 0x3F8

    .section .text
    .code32
    .globl _start
header:
    .long MB2_MAGIC
    .long 0
    .long header_end - header
    .long -(MB2_MAGIC + (header_end - header))
    .balign 8
    .word 2, 0                  /* address tag */
    .long 24
    .long header                /* header_addr */
    .long header                /* load_addr: the file starts here */
    .long data_end              /* load_end_addr */
    .long bss_end               /* bss_end_addr */
    .balign 8
    .word 3, 0                  /* entry address tag */
    .long 12
    .long _start
    .balign 8
    .word 0, 0
    .long 8
header_end:

_start:
    movl $stack_top, %esp
    movl %eax, saved_magic
    movl %ebx, saved_info
    call uart_init
    movl $msg_hello, %esi
    call puts
    movl saved_magic, %eax
    call puthex
    call newline
    /* Walk the tags: 1 = command line, 2 = loader name, 6 = memory map. */
    movl saved_info, %ebx
    leal 8(%ebx), %edi
next_tag:
    movl (%edi), %eax
    testl %eax, %eax
    jz tags_done
    cmpl $1, %eax
    jne 1f
    movl $msg_cmdline, %esi
    call puts
    leal 8(%edi), %esi
    call puts
    call newline
1:  cmpl $2, %eax
    jne 9f
    movl $msg_loader, %esi
    call puts
    leal 8(%edi), %esi
    call puts
    call newline
    movl (%edi), %eax
9:  cmpl $6, %eax
    jne 2f
    movl 4(%edi), %eax          /* tag size */
    subl $16, %eax
    xorl %edx, %edx
    divl 8(%edi)                /* / entry_size */
    movl %eax, mmap_entries
2:  movl 4(%edi), %eax
    addl $7, %eax
    andl $-8, %eax
    addl %eax, %edi
    jmp next_tag
tags_done:
    movl $msg_mmap, %esi
    call puts
    movl mmap_entries, %eax
    call puthex
    call newline
    movl $msg_bye, %esi
    call puts
    /* Wait until the transmitter is empty, then stop for good. */
3:  movw $COM1 + 5, %dx
    inb %dx, %al
    testb $0x40, %al
    jz 3b
    cli
4:  hlt
    jmp 4b

uart_init:
    movw $COM1 + 1, %dx
    xorb %al, %al
    outb %al, %dx
    movw $COM1 + 3, %dx
    movb $0x80, %al
    outb %al, %dx
    movw $COM1, %dx
    movb $1, %al
    outb %al, %dx
    movw $COM1 + 1, %dx
    xorb %al, %al
    outb %al, %dx
    movw $COM1 + 3, %dx
    movb $3, %al
    outb %al, %dx
    ret

putc:                           /* al = character */
    pushl %eax
    movw $COM1 + 5, %dx
5:  inb %dx, %al
    testb $0x20, %al
    jz 5b
    popl %eax
    movw $COM1, %dx
    outb %al, %dx
    ret

puts:                           /* esi = NUL-terminated string */
    pushl %eax
6:  lodsb
    testb %al, %al
    jz 7f
    call putc
    jmp 6b
7:  popl %eax
    ret

newline:
    pushl %eax
    movb $'\n', %al
    call putc
    popl %eax
    ret

puthex:                         /* eax = value, printed as 0x%08x */
    pushl %ecx
    pushl %ebx
    movl %eax, %ebx
    movb $'0', %al
    call putc
    movb $'x', %al
    call putc
    movl $8, %ecx
8:  roll $4, %ebx
    movl %ebx, %eax
    andl $0xF, %eax
    movb hexdigits(%eax), %al
    call putc
    loop 8b
    popl %ebx
    popl %ecx
    ret

    .section .data
hexdigits:   .ascii "0123456789abcdef"
msg_hello:   .asciz "hello-mb2: started by a multiboot2 loader, eax="
msg_cmdline: .asciz "hello-mb2: cmdline="
msg_loader:  .asciz "hello-mb2: loader="
msg_mmap:    .asciz "hello-mb2: memory map entries="
msg_bye:     .asciz "hello-mb2: halting\n"
data_end:

    .section .bss
    .balign 16
saved_magic:  .skip 4
saved_info:   .skip 4
mmap_entries: .skip 4
stack:        .skip 4096
stack_top:
bss_end:
