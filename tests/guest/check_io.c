/**
 * @file tests/guest/check_io.c
 * @brief Port I/O reaches real hardware: COM1's scratch register; and an IN from a
 *        port bookvisor watches leaves the rest of EAX as the CPU would.
 */
#include "check.h"
#include "cpu.h"
#include "serial.h"

#define UART_SCRATCH 7

void check_io_passthrough(const struct check_context *ctx, struct check_result *res)
{
    static const u8 values[] = { 0x5A, 0xA5 };
    (void)ctx;
    for (u32 i = 0; i < ARRAY_SIZE(values); i++) {
        outb(COM1_BASE + UART_SCRATCH, values[i]);
        u8 got = inb(COM1_BASE + UART_SCRATCH);
        if (got != values[i])
            check_fail(res, "port 0x%x: wrote 0x%02x, read 0x%02x", COM1_BASE + UART_SCRATCH,
                       values[i], got);
    }
}

/* The port bookvisor always watches (the power guard's System Control Port A),
 * read without side effects. */
#define PORT_SYS_CTRL_A 0x92

/*
 * IN AL and IN AX write only their width: the rest of EAX must be what it
 * was. bookvisor carries the IN out and puts the answer into the saved RAX
 * itself (io_exit_port_call(): the generic path on QEMU, the direct path on
 * Bochs, chapter 14), so a merge that clears or keeps the wrong bytes shows
 * here. The byte each IN returns is compared with a plain inb() of the
 * same (unchanging) register.
 */
void check_io_width(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u8 want = inb(PORT_SYS_CTRL_A);
    u32 eax = 0xA5C3E100u;
    __asm__ volatile("inb %1, %%al" : "+a"(eax) : "i"(PORT_SYS_CTRL_A));
    if (eax != (0xA5C3E100u | want))
        check_fail(res, "IN AL, 0x92: EAX 0x%08x, expected 0x%08x", eax, 0xA5C3E100u | want);
    eax = 0x5A3C0000u;
    __asm__ volatile("inw %1, %%ax" : "+a"(eax) : "i"(PORT_SYS_CTRL_A));
    if ((eax & 0xFFFF0000u) != 0x5A3C0000u || (u8)eax != want)
        check_fail(res, "IN AX, 0x92: EAX 0x%08x, expected 0x5a3c in bits 31:16 and 0x%02x in AL",
                   eax, want);
}
