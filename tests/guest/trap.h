/**
 * @file tests/guest/trap.h
 * @brief IDT set-up and the policy for exceptions and PIC interrupts.
 */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include "gtypes.h"
#include "recover.h"

/** First vector the PICs are remapped to (IRQ0 = 0x20 ... IRQ15 = 0x2F). */
#define IRQ_VECTOR_BASE 0x20
/** Number of PIC interrupt lines. */
#define IRQ_COUNT 16

/** Frame built by isr.S: PUSHAL, vector, error code, then the CPU's part. */
struct trap_frame {
    u32 edi; /**< saved EDI */
    u32 esi; /**< saved ESI */
    u32 ebp; /**< saved EBP */
    u32 esp; /**< ESP at PUSHAL (not restored) */
    u32 ebx; /**< saved EBX */
    u32 edx; /**< saved EDX */
    u32 ecx; /**< saved ECX */
    u32 eax; /**< saved EAX */
    u32 vector; /**< interrupt vector */
    u32 error; /**< CPU error code, or 0 */
    u32 eip; /**< where to resume; may be changed */
    u32 cs; /**< code selector */
    u32 eflags; /**< flags */
};

/** The last unexpected exception, for the check runner's report. */
struct trap_info {
    u32 vector; /**< exception vector */
    u32 eip; /**< faulting EIP */
    u32 error; /**< error code (0 if none) */
    u32 eflags; /**< EFLAGS the CPU pushed (RF among them) */
};

/** Build and load the IDT (vectors 0-63 present, interrupt gates). */
void idt_init(void);

/**
 * Called by isr.S for every vector. PIC interrupts go to irq_dispatch();
 * a #UD on VMCALL/VMMCALL is stepped over (see hypercall.h); any other
 * exception prints `not ok - exception <vector> at <eip> err=<code>` and
 * resumes at the current recovery point, or stops if there is none.
 */
void trap_dispatch(struct trap_frame *frame);

/**
 * Set where an unexpected exception resumes (NULL: nowhere, halt).
 * @return the previous recovery point, to restore afterwards.
 */
const struct recover_point *trap_set_recovery(const struct recover_point *point);

/** Details of the last unexpected exception. */
const struct trap_info *trap_last(void);

/**
 * Expect exception @p vector once: when it comes, resume quietly at @p point
 * (recover_save() returns 1 there) instead of reporting it. Call with a NULL
 * @p point to cancel. Any other exception is still unexpected.
 */
void trap_expect(u32 vector, const struct recover_point *point);

/**
 * A check's own handler for one vector (an exception, NMI, or a test vector
 * 0x30-0x3F that bookvisor queues): it may change the frame (saved EIP and
 * EFLAGS) and returns true when it took the event. Runs with interrupts off.
 */
typedef bool (*trap_hook_fn)(struct trap_frame *frame);

/** Install (or with NULL remove) the hook of @p vector (0-63); it runs before any other policy. */
void trap_set_hook(u32 vector, trap_hook_fn hook);

/** First of the vectors a check may have bookvisor queue (no controller sends them). */
#define TEST_VECTOR_BASE 0x30

/** Handler for one PIC line, run with interrupts off before the EOI. */
typedef void (*irq_handler_fn)(void);

/** Install (or with NULL remove) the handler for PIC line @p irq. */
void irq_set_handler(u32 irq, irq_handler_fn handler);

/**
 * Where the master PIC's IRQ0-7 arrive (IRQ_VECTOR_BASE unless a check moved
 * them with pic_init_at()); vectors there are taken as IRQs, not exceptions.
 */
void irq_set_master_base(u32 base);

#endif
