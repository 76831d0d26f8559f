/**
 * @file arch/x86/serial.h
 * @brief 16550 UART driver (polled) and the 0xE9 debug port.
 */
#ifndef BOOKVISOR_ARCH_X86_SERIAL_H
#define BOOKVISOR_ARCH_X86_SERIAL_H

#include "common/lib/types.h"

#define SERIAL_COM1 0x3F8 /**< base port of COM1 */
#define SERIAL_COM2 0x2F8 /**< base port of COM2 */
#define DEBUGCON_PORT 0xE9 /**< QEMU -debugcon / Bochs port_e9_hack */

/** Program a 16550 at base for 115200 baud, 8N1, FIFOs on, interrupts off. */
void serial_init(u16 base);

/** Send one byte, waiting while the transmitter is busy (bounded wait). */
void serial_putc(u16 base, char c);

#endif
