/**
 * @file tests/guest/serial.c
 * @brief Polled 16550 driver for COM1.
 */
#include "serial.h"
#include "cpu.h"

#define UART_DATA 0 /* THR/RBR, or divisor low with DLAB */
#define UART_IER 1 /* interrupt enable, or divisor high with DLAB */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define LSR_THRE 0x20 /* transmit holding register empty */
/* Enough for a slow emulated UART; a missing UART must not hang the guest. */
#define THRE_POLL_LIMIT 1000000

void serial_init(void)
{
    outb(COM1_BASE + UART_IER, 0x00);
    outb(COM1_BASE + UART_LCR, LCR_DLAB);
    outb(COM1_BASE + UART_DATA, 1); /* 115200 / 1 */
    outb(COM1_BASE + UART_IER, 0);
    outb(COM1_BASE + UART_LCR, LCR_8N1);
    outb(COM1_BASE + UART_FCR, 0xC7); /* enable and clear FIFOs */
    outb(COM1_BASE + UART_MCR, 0x03); /* DTR, RTS; OUT2 off: no IRQ */
}

void serial_putc(char c)
{
    for (u32 i = 0; i < THRE_POLL_LIMIT; i++) {
        if (inb(COM1_BASE + UART_LSR) & LSR_THRE)
            break;
        cpu_relax();
    }
    outb(COM1_BASE + UART_DATA, (u8)c);
}

void serial_puts(const char *s)
{
    while (*s)
        serial_putc(*s++);
}
