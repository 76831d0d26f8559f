/**
 * @file arch/x86/desc.h
 * @brief bookvisor's own GDT, TSS and IDT, and the trap frame.
 */
#ifndef BOOKVISOR_ARCH_X86_DESC_H
#define BOOKVISOR_ARCH_X86_DESC_H

#include "common/lib/types.h"

#define SEL_CODE64 0x08 /**< host 64-bit code selector */
#define SEL_DATA 0x10   /**< host data selector */
#define SEL_TSS 0x18    /**< host TSS selector (VT-x requires TR != 0) */

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

/** Load the GDT, TSS and IDT on this CPU. */
void desc_init(void);

/** GDTR/IDTR base and limit, for building host state in a VMCS. */
struct desc_table_reg {
    u64 base;  /**< linear base */
    u16 limit; /**< limit */
};

/** The host GDT, IDT and TSS locations. */
void desc_get_host_tables(struct desc_table_reg *gdt, struct desc_table_reg *idt, u64 *tss_base);

/**
 * Halt the CPU on a guest's behalf until an external interrupt arrives, and
 * return its vector (0-255), without acknowledging it: the guest gets it
 * injected and sends the EOI itself (common/exits/exit_handlers.c, HLT). While it
 * waits, a second IDT is loaded in which every vector but NMI and machine
 * check is taken as an interrupt, so a guest whose interrupt controller uses
 * vectors below 32 (a BIOS puts the timer at 8) cannot make the VMM mistake
 * its timer for a double fault. Returns -1 when nothing was taken (an NMI
 * woke the CPU).
 */
int desc_wait_for_interrupt(void);

/** Set in the vector of a trap frame by the halt window's stubs (isr.S): an interrupt. */
#define DESC_WAIT_VECTOR_FLAG 0x100

/** Remember the vector of an interrupt the halt window caught (trap dispatcher only). */
void desc_note_host_vector(int vector);

/**
 * A \#GP raised by one of the fault-safe instructions (wrmsr_safe(),
 * xsetbv_safe(): arch/x86/insn_safe.S): move the frame to that function's
 * failure exit and return true. Any other trap: false, the frame untouched.
 */
bool desc_fixup_safe_insn(struct trap_frame *tf);

#endif
