/**
 * @file arch/x86/io.h
 * @brief Port I/O instructions.
 */
#ifndef BOOKVISOR_ARCH_X86_IO_H
#define BOOKVISOR_ARCH_X86_IO_H

#include "common/lib/types.h"

/** Write a byte to an I/O port. */
static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
/** Write a word to an I/O port. */
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
/** Write a dword to an I/O port. */
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
/** Read a byte from an I/O port. */
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
/** Read a word from an I/O port. */
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
/** Read a dword from an I/O port. */
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/** Read 1, 2 or 4 bytes from a port (size as in an I/O exit). */
static inline u32 io_read(u16 port, u8 size)
{
    return size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
}

/** Write 1, 2 or 4 bytes to a port (size as in an I/O exit). */
static inline void io_write(u16 port, u8 size, u32 value)
{
    if (size == 4)
        outl(port, value);
    else if (size == 2)
        outw(port, (u16)value);
    else
        outb(port, (u8)value);
}

#endif
