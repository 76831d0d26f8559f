/**
 * @file tests/guest/cpu.h
 * @brief Port I/O, CPUID, MSR and interrupt-flag helpers (inline assembly).
 */
#ifndef GUEST_CPU_H
#define GUEST_CPU_H

#include "gtypes.h"

/** Write one byte to an I/O port. */
static inline void outb(u16 port, u8 value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

/** Write one 16-bit word to an I/O port. */
static inline void outw(u16 port, u16 value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

/** Read one byte from an I/O port. */
/** Write one 32-bit dword to an I/O port. */
static inline void outl(u16 port, u32 value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline u8 inb(u16 port)
{
    u8 value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/** Read one 16-bit word from an I/O port. */
static inline u16 inw(u16 port)
{
    u16 value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/** Read one 32-bit dword from an I/O port. */
static inline u32 inl(u16 port)
{
    u32 value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/** Registers returned by one CPUID leaf. */
struct cpuid_result {
    u32 eax; /**< EAX output */
    u32 ebx; /**< EBX output */
    u32 ecx; /**< ECX output */
    u32 edx; /**< EDX output */
};

/** Execute CPUID for @p leaf with subleaf 0. */
static inline struct cpuid_result cpuid(u32 leaf)
{
    struct cpuid_result r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(0));
    return r;
}

/** Read a model-specific register. */
static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}

/** Write a model-specific register. */
static inline void wrmsr(u32 msr, u64 value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)value), "d"((u32)(value >> 32)) : "memory");
}

/** Read CR0. */
static inline u32 read_cr0(void)
{
    u32 v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

/** Write CR0. */
static inline void write_cr0(u32 v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/** Read CR4. */
static inline u32 read_cr4(void)
{
    u32 v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

/** Write CR4. */
static inline void write_cr4(u32 v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/** Disable maskable interrupts. */
static inline void cli(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/** The time-stamp counter; RDTSC does not exit under bookvisor. */
static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

/** Spin-loop hint; also keeps bounded waits from being optimised away. */
static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/**
 * Read 16 bits at a fixed physical address (paging is off, so physical =
 * linear). The empty asm hides the constant from GCC, which otherwise
 * treats small constant addresses as offsets from NULL (-Warray-bounds).
 */
static inline u16 phys_read16(u32 addr)
{
    __asm__("" : "+r"(addr));
    return *(const volatile u16 *)addr;
}

/** Stop for good: interrupts off, halt in a loop (NMIs cannot wake us out). */
static inline __attribute__((noreturn)) void halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}

#endif
