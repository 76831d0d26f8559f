/**
 * @file arch/x86/io.h
 * @brief Port I/O instructions.
 */
#ifndef BOOKVISOR_ARCH_X86_IO_H
#define BOOKVISOR_ARCH_X86_IO_H

#include "common/types.h"

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

#endif
