/**
 * @file arch/x86/desc.h
 * @brief bookvisor's own GDT, TSS and IDT, and the trap frame.
 *
 * Each CPU has its own GDT and TSS (in its struct cpu, arch/x86/percpu.h):
 * the TSS names the CPU's own interrupt stacks, and LTR marks a TSS busy in
 * the GDT it was loaded from. The IDT is one table shared by all CPUs: it is
 * built once by the boot CPU and never written again, and it is the same for
 * every CPU because its gates name IST slots (DESC_IST_*), not stacks; each
 * CPU's TSS turns a slot into that CPU's own stack.
 */
#ifndef BOOKVISOR_ARCH_X86_DESC_H
#define BOOKVISOR_ARCH_X86_DESC_H

#include "common/lib/types.h"

#define SEL_CODE64 0x08 /**< host 64-bit code selector */
#define SEL_DATA 0x10   /**< host data selector */
#define SEL_TSS 0x18    /**< host TSS selector (VT-x requires TR != 0) */

#define DESC_GDT_ENTRIES 5       /**< null, code, data, and the TSS's two slots */
#define DESC_IST_STACKS 3        /**< interrupt stacks each CPU has */
#define DESC_IST_DOUBLE_FAULT 1  /**< IST slot of \#DF */
#define DESC_IST_NMI 2           /**< IST slot of NMI */
#define DESC_IST_MACHINE_CHECK 3 /**< IST slot of \#MC */

/** The 64-bit task-state segment: bookvisor uses only its IST stacks. */
struct desc_tss {
    u32 reserved0;   /**< reserved */
    u64 rsp[3];      /**< stacks for privilege changes (unused: all runs at ring 0) */
    u64 reserved1;   /**< reserved */
    u64 ist[7];      /**< interrupt stacks; ist[n - 1] is IST slot n */
    u64 reserved2;   /**< reserved */
    u16 reserved3;   /**< reserved */
    u16 iomap_base;  /**< the size of the TSS: no I/O permission bitmap */
} __attribute__((packed));

struct cpu;

/** Registers saved by the interrupt stubs (arch/x86/isr.S), lowest address first. */
struct trap_frame {
    /**@{*/
    /** general register, pushed by isr_common */
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    /**@}*/
    u64 vector;     /**< interrupt vector */
    u64 error_code; /**< CPU error code or 0 */
    /**@{*/
    /** pushed by the CPU when it took the interrupt */
    u64 rip, cs, rflags, rsp, ss;
    /**@}*/
};

/** Build the IDT all CPUs share and the interrupt windows' table (the boot CPU, once). */
void desc_idt_build(void);

/**
 * Build the GDT and TSS of c (its TSS naming c's IST stacks) and load them,
 * with the shared IDT, on the calling CPU: CS, DS, ES, SS and TR reloaded.
 */
void desc_load_cpu(struct cpu *c);

/** GDTR/IDTR base and limit, for building host state in a VMCS. */
struct desc_table_reg {
    u64 base;  /**< linear base */
    u16 limit; /**< limit */
};

/** The GDT, IDT and TSS locations of CPU c, for its host state. */
void desc_get_host_tables(const struct cpu *c, struct desc_table_reg *gdt,
                          struct desc_table_reg *idt, u64 *tss_base);

/**
 * What an interrupt window caught. The window opens the CPU to external
 * interrupts for an instant, with a second IDT in which every vector but
 * NMI and machine check is taken as an interrupt (no error code, whatever
 * the vector), so a guest whose interrupt controller uses vectors below 32
 * (a BIOS puts the timer at 8) cannot make the VMM mistake its timer for a
 * double fault. More than one interrupt may come in the instant, hence a set.
 */
struct desc_caught {
    u64 vectors[4];  /**< the guest's vectors taken, one bit each, not acknowledged */
    bool vmm_vector; /**< a vector the VMM owns came, and was handled (common/base/irq.h) */
    bool nmi;        /**< an NMI came */
};

/**
 * Halt the CPU on a guest's behalf until an external interrupt or an NMI
 * arrives, and say what came: the guest's vectors are left unacknowledged
 * (the guest gets them injected and sends the EOI itself,
 * common/exits/exit_handlers.c, HLT).
 */
void desc_wait_for_interrupt(struct desc_caught *out);

/**
 * desc_wait_for_interrupt() with a bound: wait with interrupts on until one
 * (or an NMI) arrives or the TSC reaches @p tsc_deadline, whichever is first.
 * The CPU spins (PAUSE) rather than halts, since nothing of the VMM's own
 * would wake it at the deadline (chapter 07, "A halted guest"). True when
 * something came, false when the deadline did.
 */
bool desc_wait_for_interrupt_until(struct desc_caught *out, u64 tsc_deadline);

/**
 * Take the external interrupts pending at this CPU now, without halting
 * (after an exit that an interrupt caused), through the same second IDT.
 */
void desc_take_interrupts(struct desc_caught *out);

/** Set in the vector of a trap frame by the interrupt window's stubs (isr.S): an interrupt. */
#define DESC_WAIT_VECTOR_FLAG 0x100

/** The trap dispatcher, in a window: the guest's vector arrived (not acknowledged). */
void desc_note_guest_vector(u8 vector);

/** The trap dispatcher, in a window: a VMM vector arrived and was handled. */
void desc_note_vmm_vector(void);

/** The trap dispatcher: an NMI arrived (in a window, it ends the halt). */
void desc_note_nmi(void);

/**
 * End the NMI blocking of this CPU with an IRET to the next instruction.
 * After a VM exit caused by an NMI (VT-x with NMI exiting) the CPU blocks
 * NMIs as if it had delivered one, until the next IRET; bookvisor handed
 * the NMI on to the guest and runs no handler of its own.
 */
void desc_unblock_nmi(void);

/**
 * A \#GP raised by one of the fault-safe instructions (wrmsr_safe(),
 * xsetbv_safe(): arch/x86/insn_safe.S): move the frame to that function's
 * failure exit and return true. Any other trap: false, the frame untouched.
 */
bool desc_fixup_safe_insn(struct trap_frame *tf);

#endif
