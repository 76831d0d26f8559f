/*
 * arch/x86/serial.c - polled 16550 output.
 *
 * The VMM never takes serial interrupts: output is polled so that logging
 * works with interrupts off and inside exit handlers.
 */
#include "arch/x86/serial.h"
#include "arch/x86/io.h"

enum {
    UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
    UART_MCR = 4, UART_LSR = 5, UART_DLL = 0, UART_DLM = 1,
};

#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80

void serial_init(u16 base)
{
    outb(base + UART_IER, 0x00);
    outb(base + UART_LCR, LCR_DLAB);
    outb(base + UART_DLL, 1); /* 115200 / 1 */
    outb(base + UART_DLM, 0);
    outb(base + UART_LCR, 0x03); /* 8N1 */
    outb(base + UART_FCR, 0x07); /* enable and clear FIFOs */
    outb(base + UART_MCR, 0x03); /* DTR, RTS */
}

void serial_putc(u16 base, char c)
{
    /* Bounded: a missing UART must not hang the VMM forever. */
    for (u32 spins = 0; spins < 1000000; spins++) {
        if (inb(base + UART_LSR) & LSR_THR_EMPTY)
            break;
    }
    outb(base + UART_DATA, (u8)c);
}
