/*
 * tests/thirdparty/cli_hlt.S - the smallest dead guest: a Multiboot2 kernel
 * that says one line on port 0xE9 (QEMU's debug console, Bochs' port E9
 * hack) and stops the way a kernel panics, `cli; hlt`. Nothing can ever
 * wake it: bookvisor must say so, dump the guest's state and stop with a
 * failure (tests/emu/guest-dead-halt.test). Linked at 2 MiB by link.ld; the
 * header's address and entry tags place it.
 */
    .set MB2_MAGIC, 0xE85250D6
    .set DEBUG_PORT, 0xE9

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
    .long data_end              /* bss_end_addr: no bss */
    .balign 8
    .word 3, 0                  /* entry address tag */
    .long 12
    .long _start
    .balign 8
    .word 0, 0
    .long 8
header_end:

_start:
    movl $message, %esi
    movw $DEBUG_PORT, %dx
1:  lodsb
    testb %al, %al
    jz 2f
    outb %al, %dx
    jmp 1b
2:  cli
    .globl dead_halt
dead_halt:
    hlt
    jmp dead_halt

    .section .data
message: .asciz "cli-hlt: halting with interrupts disabled\n"
data_end:
