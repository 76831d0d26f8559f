/**
 * @file arch/x86/percpu.h
 * @brief What each physical CPU owns, reached through its GS base (VMM only).
 *
 * Every CPU that runs bookvisor has one struct cpu: its own GDT and TSS with
 * the stacks the TSS names for double faults, NMIs and machine checks, the
 * interrupts its interrupt windows caught, and a pointer the virtualization backend
 * hangs its per-CPU data on (the host save area on AMD-V, the VMXON region
 * and the current VMCS on VT-x). A CPU finds its structure with this_cpu(),
 * which reads the pointer at offset 0 of the structure through the GS
 * segment: the GS base of each CPU is the address of its own struct cpu.
 * No global variable is involved, so the same code is right on every CPU.
 *
 * The GS base must therefore survive every VM exit: VT-x loads it from the
 * host-state field HOST_GS_BASE (written from this_cpu() when the VMCS is
 * made), and AMD-V's VMLOAD takes it from the host VMCB, which VMSAVE fills
 * after percpu_start() has set it. Chapter 01, "One structure per CPU".
 */
#ifndef BOOKVISOR_ARCH_X86_PERCPU_H
#define BOOKVISOR_ARCH_X86_PERCPU_H

#include "arch/x86/desc.h"
#include "common/lib/timer_queue.h"
#include "common/lib/types.h"

/** Bytes of each interrupt stack (IST) of a CPU. */
#define PERCPU_IST_STACK_SIZE 4096

/** The state one physical CPU owns. */
struct cpu {
    struct cpu *self;      /**< this structure's own address: %gs:0 (this_cpu()) */
    u32 index;             /**< 0 for the boot CPU, then in start-up order */
    u32 apic_id;           /**< the local APIC ID the CPU reported at start-up */
    u64 stack_top;         /**< top of the CPU's own kernel stack */
    /** What this CPU's interrupt window is catching (desc_wait_for_interrupt(),
     *  desc_take_interrupts()): written by the trap dispatcher, read after. */
    struct desc_caught caught;
    void *backend;         /**< the virtualization backend's per-CPU data (NULL until enable_cpu) */
    /** The CPU's timers (common/base/timer.h): only this CPU adds, cancels and runs them. */
    struct timer_queue timers;
    u32 *timer_work;       /**< the running vCPU's work word (common/base/timer.h: timer_attach_work()) */
    /** A shootdown NMI is in flight to this CPU (common/lib/shootdown.h):
     *  set by the sender, cleared by whoever receives the NMI. */
    u32 shootdown_nmi;
    /** The host's NMI handler took a shootdown NMI: on AMD-V the NMI that
     *  exited reaches the host's IDT at STGI, before the exit handler asks. */
    u32 shootdown_nmi_in_host;
    /** A VMM timer waits on this CPU, besides any sleeping thread, as of the
     *  last deadline the run bound was given (common/start/guest_report.c):
     *  AMD-V borrows the guest's local APIC timer only then (chapter 07). */
    bool deadline_is_timer;
    /** The CPU's GDT; its TSS descriptor points at tss. */
    u64 gdt[DESC_GDT_ENTRIES] __attribute__((aligned(16)));
    struct desc_tss tss __attribute__((aligned(16))); /**< the CPU's TSS: its IST stacks */
    /** Stacks for double faults, NMIs and machine checks (DESC_IST_*). */
    u8 ist_stacks[DESC_IST_STACKS][PERCPU_IST_STACK_SIZE] __attribute__((aligned(16)));
};

/** The structure of the CPU this runs on (the pointer at %gs:0). */
static inline struct cpu *this_cpu(void)
{
    struct cpu *c;
    /* volatile: never moved above percpu_start(), which sets the GS base. */
    __asm__ volatile("movq %%gs:0, %0" : "=r"(c));
    return c;
}

/**
 * Set up the calling CPU with the zeroed structure c: its GDT, TSS and IST
 * stacks, loaded with the shared IDT (desc_idt_build() must have run), then
 * the GS base, so that this_cpu() returns c from here on.
 * @param c          the CPU's structure (zeroed; lives as long as the CPU runs)
 * @param index      its number (0 for the boot CPU)
 * @param stack_top  top of the stack the CPU runs on
 */
void percpu_start(struct cpu *c, u32 index, u64 stack_top);

/**
 * Set up the boot CPU, first thing in boot_main(): build the shared IDT and
 * start CPU 0 on a structure of the image's own (no allocator exists yet).
 */
void percpu_start_boot_cpu(void);

#endif
