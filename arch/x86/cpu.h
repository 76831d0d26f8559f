/**
 * @file arch/x86/cpu.h
 * @brief CPU basics: CPUID, MSRs, control registers, interrupts flag.
 */
#ifndef BOOKVISOR_ARCH_X86_CPU_H
#define BOOKVISOR_ARCH_X86_CPU_H

#include "arch/x86/boot_defs.h"
#include "common/lib/cpuid_result.h"
#include "common/lib/types.h"

/** Execute CPUID with leaf and subleaf. */
static inline struct cpuid_result cpuid(u32 leaf, u32 subleaf)
{
    struct cpuid_result r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
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
static inline void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

/** Read the time-stamp counter. */
static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

/** Defines read_crN() and write_crN() for control register N. */
#define CPU_DEFINE_CR(n)                                                                   \
    static inline u64 read_cr##n(void) { u64 v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
    static inline void write_cr##n(u64 v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
CPU_DEFINE_CR(0)
CPU_DEFINE_CR(2)
CPU_DEFINE_CR(3)
CPU_DEFINE_CR(4)
#undef CPU_DEFINE_CR

/** Defines read_drN() and write_drN() for debug register N (DR6: the status of the last \#DB). */
#define CPU_DEFINE_DR(n)                                                                   \
    static inline u64 read_dr##n(void) { u64 v; __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v)); return v; } \
    static inline void write_dr##n(u64 v) { __asm__ volatile("mov %0, %%dr" #n : : "r"(v) : "memory"); }
CPU_DEFINE_DR(6)
#undef CPU_DEFINE_DR

/** Read extended control register 0 (requires CR4.OSXSAVE). */
static inline u64 xgetbv0(void)
{
    u32 lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((u64)hi << 32) | lo;
}

/** Disable interrupts. */
static inline void cpu_cli(void) { __asm__ volatile("cli" ::: "memory"); }
/** Enable interrupts. */
static inline void cpu_sti(void) { __asm__ volatile("sti" ::: "memory"); }
/** Pause hint for spin loops. */
static inline void cpu_pause(void) { __asm__ volatile("pause"); }

/** Halt this CPU forever with interrupts off. */
__attribute__((noreturn)) void cpu_halt_forever(void);

/** CPU vendor, as far as bookvisor cares. */
enum cpu_vendor { CPU_VENDOR_OTHER, CPU_VENDOR_INTEL, CPU_VENDOR_AMD };

/** Facts about the boot CPU gathered once at start. */
struct cpu_info {
    enum cpu_vendor vendor;  /**< Intel, AMD or other */
    char vendor_str[13];     /**< the 12-byte vendor string */
    u32 max_leaf;            /**< highest standard CPUID leaf */
    u32 max_ext_leaf;        /**< highest extended CPUID leaf */
    u8 phys_addr_bits;       /**< MAXPHYADDR */
    bool has_vmx;            /**< CPUID.1:ECX.VMX */
    bool has_svm;            /**< CPUID.80000001h:ECX.SVM */
    bool has_1g_pages;       /**< CPUID.80000001h:EDX.Page1GB */
    bool has_x2apic;         /**< CPUID.1:ECX.x2APIC */
};

/** Fill a cpu_info for the CPU this runs on. */
void cpu_identify(struct cpu_info *out);

/** MSR numbers bookvisor uses. */
#define MSR_IA32_APIC_BASE 0x1B /**< local APIC base */
#define MSR_IA32_FEATURE_CONTROL 0x3A /**< VMX enable and lock (Intel) */
#define MSR_IA32_SYSENTER_CS 0x174 /**< SYSENTER code selector */
#define MSR_IA32_SYSENTER_ESP 0x175 /**< SYSENTER stack pointer */
#define MSR_IA32_SYSENTER_EIP 0x176 /**< SYSENTER entry point */
#define MSR_IA32_PAT 0x277 /**< page attribute table */
#define MSR_IA32_MTRRCAP 0xFE /**< MTRR capabilities */
#define MSR_IA32_MTRR_DEF_TYPE 0x2FF /**< MTRR enables and default memory type */
#define MSR_IA32_EFER 0xC0000080 /**< extended feature enables */
#define MSR_STAR 0xC0000081 /**< SYSCALL selectors */
#define MSR_LSTAR 0xC0000082 /**< SYSCALL entry, 64-bit mode */
#define MSR_CSTAR 0xC0000083 /**< SYSCALL entry, compatibility mode */
#define MSR_SFMASK 0xC0000084 /**< RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE 0xC0000100 /**< FS base */
#define MSR_GS_BASE 0xC0000101 /**< GS base */
#define MSR_KERNEL_GS_BASE 0xC0000102 /**< GS base SWAPGS exchanges with */
#define MSR_IA32_MISC_ENABLE 0x1A0 /**< Intel: miscellaneous enables (bit 22: limit CPUID maxval) */
#define MSR_VM_CR 0xC0010114 /**< AMD SVM control (LOCK, SVMDIS) */
#define MSR_VM_HSAVE_PA 0xC0010117 /**< AMD host save area for VMRUN */

#define EFER_SCE (1u << 0)   /**< syscall enable */
#define EFER_LMA (1u << 10)  /**< long mode active */
#define EFER_NXE (1u << 11)  /**< no-execute enable */
#define EFER_SVME (1u << 12) /**< SVM enable */

/**
 * WRMSR of a value the guest chose: 0, or -1 if the CPU refused it with \#GP
 * (arch/x86/insn_safe.S; trap_dispatch() turns that \#GP into the -1).
 */
int wrmsr_safe(u32 msr, u64 value);

/**
 * XSETBV of a value the guest chose: 0, or -1 if the CPU refused it with \#GP
 * (arch/x86/insn_safe.S). CR4.OSXSAVE must be set, or XSETBV raises \#UD.
 */
int xsetbv_safe(u32 index, u64 value);

#endif
