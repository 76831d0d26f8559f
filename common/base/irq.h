/**
 * @file common/base/irq.h
 * @brief Interrupts for the VMM itself: registering a vector, dispatching it (VMM only).
 *
 * The VMM owns the vectors 0x10 to 0x1F but 0x12 (common/base/irq_vectors.h
 * says why). A subsystem that needs an interrupt of its own registers a
 * handler for one of them with irq_register() and programs its source (the
 * local APIC, an MSI) with that vector. Such an interrupt reaches the VMM
 * only in an interrupt window (arch/x86/desc.h), the one moment the VMM runs
 * with interrupts on: while it halts for the guest, or right after an exit
 * an interrupt caused. The trap dispatcher then calls irq_dispatch(), which
 * runs the handler and sends the local APIC its EOI. As long as the VMM owns
 * a vector, every external interrupt makes the guest exit (chapter 08,
 * "External-interrupt exiting and its cost"); common/exits/intercepts.c asks
 * the backend for that when the guest starts.
 */
#ifndef BOOKVISOR_COMMON_BASE_IRQ_H
#define BOOKVISOR_COMMON_BASE_IRQ_H

#include "common/base/irq_vectors.h"

/**
 * Make @p vector the VMM's, with @p handler called (with @p ctx) for each
 * interrupt on it. Register before the guest starts: the intercept of
 * external interrupts is decided then (registrations afterwards work only
 * for vCPUs started later; chapter 08).
 * @return 0, or -1 with a line printed saying why (outside 0x10-0x1F, 0x12,
 *         taken)
 */
int irq_register(u8 vector, irq_handler_fn handler, void *ctx);

/**
 * Like irq_register(), on the lowest vector nobody owns (a source the VMM
 * programs itself, such as a hidden device's MSI, needs no fixed one).
 * @return the vector, or -1 with a line printed saying why
 */
int irq_register_free(irq_handler_fn handler, void *ctx);

/**
 * The VMM's vectors as bits over vectors 0 to 31 (the local APIC's first IRR
 * word): for a backend that must tell the VMM's pending interrupts from the
 * guest's while the guest cannot take one (arch/svm/svm_bound.c).
 */
u32 irq_vmm_vector_mask(void);

/** Does the VMM own any vector? (then external interrupts must exit) */
bool irq_vmm_owns_vectors(void);

/**
 * The trap dispatcher, for an interrupt on @p vector taken in a window: if
 * the VMM owns it, run its handler and send the EOI.
 * @return true if it was the VMM's; false if it is the guest's
 */
bool irq_dispatch(u8 vector);

#endif
