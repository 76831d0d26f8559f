/**
 * @file tests/guest/check_io.c
 * @brief Port I/O reaches real hardware: COM1's scratch register.
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
