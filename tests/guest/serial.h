/**
 * @file tests/guest/serial.h
 * @brief COM1 (0x3F8) output, 115200 8N1, polled.
 */
#ifndef GUEST_SERIAL_H
#define GUEST_SERIAL_H

#include "gtypes.h"

/** I/O base of COM1. */
#define COM1_BASE 0x3F8

/** Program COM1 for 115200 baud, 8 data bits, no parity, 1 stop bit, no IRQs. */
void serial_init(void);

/** Send one byte, waiting (bounded) for the transmit holding register. */
void serial_putc(char c);

/** Send a NUL-terminated string. */
void serial_puts(const char *s);

#endif
