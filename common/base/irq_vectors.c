/*
 * common/base/irq_vectors.c - the VMM's vector range and who owns what (pure).
 */
#include "common/base/irq_vectors.h"

bool irq_vector_is_vmm(u8 vector)
{
    return vector >= IRQ_VMM_VECTOR_FIRST && vector <= IRQ_VMM_VECTOR_LAST &&
           vector != IRQ_VMM_VECTOR_MC;
}

enum irq_register_result irq_table_register(struct irq_table *t, u8 vector, irq_handler_fn handler,
                                            void *ctx)
{
    if (!handler)
        return IRQ_NO_HANDLER;
    if (vector == IRQ_VMM_VECTOR_MC)
        return IRQ_MACHINE_CHECK;
    if (!irq_vector_is_vmm(vector))
        return IRQ_NOT_VMM_VECTOR;
    struct irq_owner *o = &t->owner[vector - IRQ_VMM_VECTOR_FIRST];
    if (o->handler)
        return IRQ_TAKEN;
    o->ctx = ctx;
    /* The handler last, with release: a trap handler on another CPU that
     * sees it sees its context too. */
    __atomic_store_n(&o->handler, handler, __ATOMIC_RELEASE);
    return IRQ_REGISTERED;
}

enum irq_register_result irq_table_register_free(struct irq_table *t, irq_handler_fn handler,
                                                 void *ctx, u8 *vector)
{
    if (!handler)
        return IRQ_NO_HANDLER;
    for (unsigned v = IRQ_VMM_VECTOR_FIRST; v <= IRQ_VMM_VECTOR_LAST; v++) {
        if (irq_vector_is_vmm((u8)v) && !t->owner[v - IRQ_VMM_VECTOR_FIRST].handler) {
            *vector = (u8)v;
            return irq_table_register(t, (u8)v, handler, ctx);
        }
    }
    return IRQ_NONE_FREE;
}

const struct irq_owner *irq_table_owner(const struct irq_table *t, u8 vector)
{
    if (!irq_vector_is_vmm(vector))
        return NULL;
    const struct irq_owner *o = &t->owner[vector - IRQ_VMM_VECTOR_FIRST];
    return __atomic_load_n(&o->handler, __ATOMIC_ACQUIRE) ? o : NULL;
}

u32 irq_table_mask(const struct irq_table *t)
{
    u32 mask = 0;
    for (unsigned i = 0; i < IRQ_VMM_VECTORS; i++)
        if (__atomic_load_n(&t->owner[i].handler, __ATOMIC_ACQUIRE))
            mask |= 1u << (IRQ_VMM_VECTOR_FIRST + i);
    return mask;
}

bool irq_table_any(const struct irq_table *t)
{
    for (unsigned i = 0; i < IRQ_VMM_VECTORS; i++)
        if (__atomic_load_n(&t->owner[i].handler, __ATOMIC_ACQUIRE))
            return true;
    return false;
}

const char *irq_register_result_name(enum irq_register_result r)
{
    switch (r) {
    case IRQ_REGISTERED: return "registered";
    case IRQ_NOT_VMM_VECTOR: return "not a VMM vector (0x10-0x1f)";
    case IRQ_MACHINE_CHECK: return "0x12 is #MC's number";
    case IRQ_TAKEN: return "already registered";
    case IRQ_NO_HANDLER: return "no handler";
    case IRQ_NONE_FREE: return "every VMM vector is taken";
    }
    return "?";
}
