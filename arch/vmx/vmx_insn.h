/**
 * @file arch/vmx/vmx_insn.h
 * @brief The VMX instructions as inline functions (VMM only).
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_INSN_H
#define BOOKVISOR_ARCH_VMX_VMX_INSN_H

#include "common/lib/types.h"

/** VMXON with the region at pa; false on VMfail. */
static inline bool vmxon(u64 pa)
{
    u8 fail;
    __asm__ volatile("vmxon %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
    return !fail;
}

/** VMCLEAR the VMCS at pa; false on VMfail. */
static inline bool vmclear(u64 pa)
{
    u8 fail;
    __asm__ volatile("vmclear %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
    return !fail;
}

/** Make the VMCS at pa current; false on VMfail. */
static inline bool vmptrld(u64 pa)
{
    u8 fail;
    __asm__ volatile("vmptrld %1; setna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
    return !fail;
}

/** Read a field of the current VMCS. */
static inline u64 vmread(u64 field)
{
    u64 v;
    __asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
    return v;
}

/** Write a field of the current VMCS; false on VMfail. */
static inline bool vmwrite(u64 field, u64 value)
{
    u8 fail;
    __asm__ volatile("vmwrite %2, %1; setna %0" : "=q"(fail) : "r"(field), "rm"(value) : "cc");
    return !fail;
}

/** INVEPT of the given type (1 single-context, 2 all-context). */
static inline void invept(u64 type, u64 eptp)
{
    struct { u64 eptp, reserved; } desc = { eptp, 0 };
    __asm__ volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

#endif
