/*
 * common/base/irq.c - the VMM's vectors: one table for the machine, the
 * dispatch from the trap handler (chapter 08, "VMM vectors").
 */
#include "common/base/irq.h"
#include "arch/x86/lapic.h"
#include "common/base/kprintf.h"
#include "common/lib/spinlock.h"

/* One table for every CPU: the IDT is shared. Written under the lock (at
 * registration, before the guest starts), read without it in trap handlers
 * (irq_table_register() publishes each entry with release). */
static struct irq_table vmm_vectors;
static struct spinlock vmm_vectors_lock;

int irq_register(u8 vector, irq_handler_fn handler, void *ctx)
{
    spin_lock(&vmm_vectors_lock);
    enum irq_register_result r = irq_table_register(&vmm_vectors, vector, handler, ctx);
    spin_unlock(&vmm_vectors_lock);
    if (r == IRQ_REGISTERED)
        return 0;
    kprintf("bookvisor: irq: vector 0x%x refused: %s\n", vector, irq_register_result_name(r));
    return -1;
}

int irq_register_free(irq_handler_fn handler, void *ctx)
{
    u8 vector = 0;

    spin_lock(&vmm_vectors_lock);
    enum irq_register_result r = irq_table_register_free(&vmm_vectors, handler, ctx, &vector);
    spin_unlock(&vmm_vectors_lock);
    if (r == IRQ_REGISTERED)
        return vector;
    kprintf("bookvisor: irq: no vector: %s\n", irq_register_result_name(r));
    return -1;
}

u32 irq_vmm_vector_mask(void)
{
    return irq_table_mask(&vmm_vectors);
}

bool irq_vmm_owns_vectors(void)
{
    return irq_table_any(&vmm_vectors);
}

bool irq_dispatch(u8 vector)
{
    const struct irq_owner *o = irq_table_owner(&vmm_vectors, vector);
    if (!o)
        return false;
    o->handler(o->ctx, vector);
    lapic_eoi();
    return true;
}
