/*
 * tests/thirdparty/boot_sector.S - a hard disk's boot sector that knows
 * nothing of bookvisor, for BIOS chain boot (chapter 12).
 *
 * The BIOS (or bookvisor's start-up in its place) loads it to 0000:7C00
 * and jumps there with DL = the drive. Like any boot sector it uses only
 * the BIOS and the machine: it prints on COM1 the drive it came from, the
 * hypervisor signature of CPUID 0x40000000 (CPUID is the one instruction
 * every x86 program may run), and the number of entries the BIOS's memory
 * map (INT 15h E820h) has and how many of them are RAM; then it resets the
 * machine through the keyboard controller, as an old boot loader does when
 * it is done. Under bookvisor the reset ends the run with bookvisor's report.
 */
#define COM1 0x3F8
#define E820_BUF 0x0500
#define SMAP 0x534D4150

    .code16
    .text
    .globl _start
_start:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x7C00, %sp
    ljmp $0, $1f			/* CS = 0, whatever the loader used */
1:  movb %dl, drive
    cld

    movw $msg_start, %si
    call puts
    movb drive, %al
    call put_hex8
    call newline

    movw $msg_sig, %si
    call puts
    movl $0x40000000, %eax
    cpuid
    movl %ebx, sig
    movl %ecx, sig + 4
    movl %edx, sig + 8
    movw $sig, %si
    call puts
    call newline

    xorl %ebx, %ebx			/* E820: count entries, and those that are RAM */
    xorw %bp, %bp
    xorw %di, %di
e820_next:
    pushw %di
    movl $0xE820, %eax
    movl $SMAP, %edx
    movl $20, %ecx
    movw $E820_BUF, %di
    int $0x15
    popw %di
    jc e820_done
    cmpl $SMAP, %eax
    jne e820_done
    incw %bp
    cmpl $1, E820_BUF + 16
    jne 2f
    incw %di
2:  testl %ebx, %ebx
    jz e820_done
    cmpw $64, %bp
    jb e820_next
e820_done:
    movw $msg_e820, %si
    call puts
    movw %bp, %ax
    call put_hex8
    movw $msg_ram, %si
    call puts
    movw %di, %ax
    call put_hex8
    call newline

    movw $msg_done, %si
    call puts
    movb $0xFE, %al			/* pulse the reset line */
    outb %al, $0x64
halt:
    hlt
    jmp halt

/* Print the NUL-terminated string at DS:SI on COM1. */
puts:
    lodsb
    testb %al, %al
    jz 3f
    call putc
    jmp puts
3:  ret

newline:
    movb $13, %al
    call putc
    movb $10, %al
    /* fall through */
putc:
    pushw %dx
    pushw %ax
    movw $COM1 + 5, %dx
4:  inb %dx, %al
    testb $0x20, %al
    jz 4b
    popw %ax
    movw $COM1, %dx
    outb %al, %dx
    popw %dx
    ret

/* Print AL as two hex digits. */
put_hex8:
    pushw %ax
    shrb $4, %al
    call put_nibble
    popw %ax
put_nibble:
    andb $0x0F, %al
    addb $'0', %al
    cmpb $'9', %al
    jbe putc
    addb $('a' - '0' - 10), %al
    jmp putc

msg_start: .asciz "bootsector: started from drive 0x"
msg_sig:   .asciz "bootsector: hypervisor signature "
msg_e820:  .asciz "bootsector: e820 entries=0x"
msg_ram:   .asciz " ram=0x"
msg_done:  .asciz "bootsector: done, resetting"
drive:     .byte 0
sig:       .fill 13, 1, 0

    .org 510
    .byte 0x55, 0xAA
