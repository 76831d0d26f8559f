/*
 * arch/x86/percpu.c - starting a CPU on its own struct cpu (chapter 01).
 */
#include "arch/x86/percpu.h"
#include "arch/x86/cpu.h"

_Static_assert(__builtin_offsetof(struct cpu, self) == 0, "this_cpu() reads %gs:0");

extern char kernel_stack_top[]; /* arch/x86/boot32.S: the boot CPU's stack */

/* The initial APIC ID: CPUID 0Bh's 32-bit x2APIC ID when the CPU has that
 * leaf, else the 8-bit one of CPUID 1. */
static u32 initial_apic_id(void)
{
    if (cpuid(0, 0).eax >= 0xB && cpuid(0xB, 0).ebx != 0)
        return cpuid(0xB, 0).edx;
    return cpuid(1, 0).ebx >> 24;
}

void percpu_start(struct cpu *c, u32 index, u64 stack_top)
{
    c->self = c;
    c->index = index;
    c->apic_id = initial_apic_id();
    c->stack_top = stack_top;
    desc_load_cpu(c);
    /* After desc_load_cpu(): a segment load would not touch GS, but the base
     * is written last all the same, when everything it leads to is ready. */
    wrmsr(MSR_GS_BASE, (u64)(uintptr_t)c);
}

void percpu_start_boot_cpu(void)
{
    /* The boot CPU's structure is part of the image: there is no allocator
     * yet. It is named nowhere else; everything reaches it through GS. */
    static struct cpu boot_cpu;
    desc_idt_build();
    percpu_start(&boot_cpu, 0, (u64)(uintptr_t)kernel_stack_top);
}
