/*
 * common/loader/bios_boot_code.S - the real-mode start-up of BIOS chain
 * boot (chapter 12). Not bookvisor's code: bytes that bookvisor copies into
 * the guest's memory (common/loader/bios_boot.c) and that the guest runs
 * first, at BIOS_BOOT_CODE_SEG:0, in real mode.
 *
 * It does what a BIOS does after its power-on self test: read the first
 * sector of the boot drive to 0000:7C00 with the BIOS's disk services
 * (INT 13h: reset, then read one sector at cylinder 0, head 0, sector 1;
 * three attempts, as floppies and some disks need), check the boot
 * signature 55 AA at its end, and jump to it with DL = the drive. A read
 * error or a missing signature is told to bookvisor by the hypercall
 * HC_BIOS_BOOT_FAILED (EBX = the INT 13h status, or 0x100 for no
 * signature), which stops the guest with a message.
 *
 * Position independent: every data reference is CS-relative and every jump
 * relative, so the bytes run at any segment with IP = 0. Two parameter
 * bytes follow the first jump (BIOS_BOOT_PARAM_DRIVE, _VMMCALL in
 * bios_boot.h): the drive, and 1 when the hypercall is AMD-V's VMMCALL.
 */
#define HC_BIOS_BOOT_FAILED 11
#define NO_SIGNATURE 0x100
#define SECTOR 0x7C00
#define OFF(label) (label - bios_boot_code)

    .section .rodata
    .globl bios_boot_code
    .globl bios_boot_code_end
    .code16
bios_boot_code:
    jmp start
param_drive:
    .byte 0x80
param_vmmcall:
    .byte 0
start:
    cli
    xorw %ax, %ax
    movw %ax, %ss
    movw $SECTOR, %sp
    movw %ax, %ds
    movw %ax, %es
    sti
    cld
    movw $3, %si			/* attempts */
read:
    xorw %ax, %ax			/* AH = 0: reset the drive */
    movb %cs:OFF(param_drive), %dl
    int $0x13
    movw $0x0201, %ax			/* AH = 2: read, AL = 1 sector */
    movw $0x0001, %cx			/* cylinder 0, sector 1 */
    xorb %dh, %dh			/* head 0 */
    movb %cs:OFF(param_drive), %dl
    movw $SECTOR, %bx			/* to ES:BX = 0000:7C00 */
    int $0x13
    jnc check
    decw %si
    jnz read
    movzbl %ah, %ebx			/* the BIOS's status */
    jmp failed
check:
    cmpw $0xAA55, SECTOR + 510
    je boot
    movl $NO_SIGNATURE, %ebx
failed:
    movl $HC_BIOS_BOOT_FAILED, %eax
    cmpb $0, %cs:OFF(param_vmmcall)
    jne 1f
    vmcall
    jmp dead
1:  vmmcall
dead:					/* bookvisor stops the guest; never here */
    cli
    hlt
    jmp dead
boot:
    movb %cs:OFF(param_drive), %dl
    xorw %ax, %ax
    xorw %bx, %bx
    xorw %cx, %cx
    xorw %si, %si
    xorw %di, %di
    ljmp $0, $SECTOR
bios_boot_code_end:
    .code32

    .section .note.GNU-stack, "", @progbits
