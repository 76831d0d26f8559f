/**
 * @file common/base/irq_vectors.h
 * @brief The VMM's own interrupt vectors: which may be owned, and by whom (pure).
 *
 * The guest keeps the interrupt controllers, so almost every vector is the
 * guest's. bookvisor reserves 0x10 to 0x1F for interrupts of its own
 * (chapter 08, "VMM vectors"): vectors 0x00 to 0x0F are illegal for APIC and
 * MSI delivery, 0x20 to 0xFF are where guests put their devices, and 0x10 to
 * 0x1F are exception numbers that no guest programs an APIC or MSI with.
 * Except 0x12: an interrupt there could not be told from a machine check,
 * whose real handler every IDT of the VMM keeps. A table maps each vector of
 * the range to a handler and its context; common/base/irq.h is the VMM's
 * table and dispatch, this file the rules, unit-tested on the host
 * (tests/unit/test_irq_vectors.c).
 */
#ifndef BOOKVISOR_COMMON_BASE_IRQ_VECTORS_H
#define BOOKVISOR_COMMON_BASE_IRQ_VECTORS_H

#include "common/lib/types.h"

#define IRQ_VMM_VECTOR_FIRST 0x10 /**< the first vector of the VMM's range */
#define IRQ_VMM_VECTOR_LAST 0x1F  /**< the last vector of the VMM's range */
#define IRQ_VMM_VECTOR_MC 0x12    /**< \#MC's number: inside the range, never the VMM's */
/** Vectors in the range, the hole at 0x12 included. */
#define IRQ_VMM_VECTORS (IRQ_VMM_VECTOR_LAST - IRQ_VMM_VECTOR_FIRST + 1)

/** What runs when an interrupt arrives on a vector the VMM owns (before its EOI). */
typedef void (*irq_handler_fn)(void *ctx, u8 vector);

/** One owned vector. */
struct irq_owner {
    irq_handler_fn handler; /**< NULL: not owned */
    void *ctx;              /**< passed to handler */
};

/** Who owns each vector of the range (all zero: nobody). */
struct irq_table {
    struct irq_owner owner[IRQ_VMM_VECTORS]; /**< vector IRQ_VMM_VECTOR_FIRST + i */
};

/** Why a registration was refused. */
enum irq_register_result {
    IRQ_REGISTERED,     /**< the vector is the handler's now */
    IRQ_NOT_VMM_VECTOR, /**< outside 0x10-0x1F: the guest's */
    IRQ_MACHINE_CHECK,  /**< 0x12, \#MC's number */
    IRQ_TAKEN,          /**< another handler owns it */
    IRQ_NO_HANDLER,     /**< handler is NULL */
    IRQ_NONE_FREE,      /**< every VMM vector is owned already */
};

/** May the VMM own this vector? (0x10-0x1F but 0x12) */
bool irq_vector_is_vmm(u8 vector);

/** Give @p vector to @p handler (the caller serialises registrations). */
enum irq_register_result irq_table_register(struct irq_table *t, u8 vector, irq_handler_fn handler,
                                            void *ctx);

/**
 * Give the lowest free vector of the range to @p handler (for a source the
 * VMM programs itself, an MSI: any vector will do) and store it in
 * *@p vector. Allocating from the bottom keeps clear of the fixed vectors
 * near the top (the tests' 0x1E). The caller serialises registrations.
 */
enum irq_register_result irq_table_register_free(struct irq_table *t, irq_handler_fn handler,
                                                 void *ctx, u8 *vector);

/** The owner of @p vector, or NULL when the VMM does not own it. */
const struct irq_owner *irq_table_owner(const struct irq_table *t, u8 vector);

/**
 * The owned vectors as a bit mask over vectors 0 to 31 (bit v: vector v is
 * the VMM's), in the layout of the local APIC's first IRR and ISR words.
 */
u32 irq_table_mask(const struct irq_table *t);

/** Does the VMM own any vector at all? */
bool irq_table_any(const struct irq_table *t);

/** Words for a refusal, for messages: "registered", "not a VMM vector", ... */
const char *irq_register_result_name(enum irq_register_result r);

#endif
