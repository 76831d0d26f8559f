/*
 * @file tests/guest/ap_blob.S
 * @brief Where the guest's other processors start (check_smp.c).
 *
 * check_smp.c copies these bytes to AP_PAGE (below 1 MiB) and sends a
 * processor INIT and start-up IPIs with the page's number as vector. The
 * processor starts here in real mode, CS = the page >> 4, IP = 0. It reads
 * CPUID leaf 1 (ECX: the hypervisor bit) and leaf 0x40000000 (the
 * hypervisor's signature), answers the boot processor's cookie with its
 * complement (a write the boot processor reads back through the shared
 * memory), records its APIC ID, sets `ap_done`, and halts with interrupts
 * off, as an operating system parks a processor it does not use. Real mode
 * is enough: CPUID and memory are what the check looks at.
 *
 * With `ap_spin` set (smp.shootdown=1), it first spins: it reads the page
 * after its own (0x9000) and counts in `ap_spins`, with no instruction that
 * exits, until `ap_stop` is set: the processor whose nested TLB the boot
 * processor's unmap of that page must reach (chapter 08, "Shootdown").
 */
#define OFF(sym) ((sym) - ap_blob_start)

    .section .rodata
    .globl ap_blob_start, ap_blob_end
    .globl ap_cookie, ap_answer, ap_ecx1, ap_sig, ap_apic_id, ap_done
    .globl ap_spin, ap_spins, ap_stop
    .code16
ap_blob_start:
    cli
    movw %cs, %ax
    movw %ax, %ds
    movl $1, %eax
    cpuid
    movl %ecx, OFF(ap_ecx1)
    shrl $24, %ebx
    movl %ebx, OFF(ap_apic_id)
    movl $0x40000000, %eax
    xorl %ecx, %ecx
    cpuid
    movl %ebx, OFF(ap_sig)
    movl %ecx, OFF(ap_sig) + 4
    movl %edx, OFF(ap_sig) + 8
    movl OFF(ap_cookie), %eax
    notl %eax
    movl %eax, OFF(ap_answer)
    movl $1, OFF(ap_done)
    cmpl $0, OFF(ap_spin)
    je 1f
2:  movl 0x1000, %eax       /* DS:0x1000: the watched page */
    incl OFF(ap_spins)
    cmpl $0, OFF(ap_stop)
    je 2b
1:  cli
    hlt
    jmp 1b

    .balign 4
ap_cookie:  .long 0     /* written by the boot processor */
ap_answer:  .long 0     /* ~ap_cookie, written by the processor started */
ap_ecx1:    .long 0     /* its CPUID.1:ECX */
ap_sig:     .long 0, 0, 0 /* its CPUID.40000000h: EBX, ECX, EDX */
ap_apic_id: .long 0     /* its initial APIC ID (CPUID.1:EBX[31:24]) */
ap_done:    .long 0     /* 1 once all the above is written */
ap_spin:    .long 0     /* written by the boot processor: spin before halting */
ap_spins:   .long 0     /* rounds of the spin, each one read of the watched page */
ap_stop:    .long 0     /* written by the boot processor: stop spinning */
ap_blob_end:

    .section .note.GNU-stack, "", @progbits
