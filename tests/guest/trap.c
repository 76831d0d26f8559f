/**
 * @file tests/guest/trap.c
 * @brief What happens on each vector: IRQs, the hypercall #UD, and the rest.
 */
#include "trap.h"
#include "cpu.h"
#include "hypercall.h"
#include "pic.h"
#include "print.h"
#include "serial.h"

#define VECTOR_NMI 2
#define VECTOR_UD 6

static irq_handler_fn irq_handlers[IRQ_COUNT];
static trap_hook_fn hooks[64];
static const struct recover_point *recovery;
static struct trap_info last_trap;
static u32 exception_depth;
static u32 master_base = IRQ_VECTOR_BASE;
static u32 expected_vector;
static const struct recover_point *expected_point;

void trap_expect(u32 vector, const struct recover_point *point)
{
    expected_vector = vector;
    expected_point = point;
}

void trap_set_hook(u32 vector, trap_hook_fn hook)
{
    if (vector < 64)
        hooks[vector] = hook;
}

void irq_set_master_base(u32 base)
{
    master_base = base;
}

const struct recover_point *trap_set_recovery(const struct recover_point *point)
{
    const struct recover_point *previous = recovery;
    recovery = point;
    return previous;
}

const struct trap_info *trap_last(void)
{
    return &last_trap;
}

void irq_set_handler(u32 irq, irq_handler_fn handler)
{
    if (irq < IRQ_COUNT)
        irq_handlers[irq] = handler;
}

static void irq_dispatch(u32 irq)
{
    if (pic_is_spurious(irq)) {
        if (irq >= 8)
            pic_eoi(0); /* the master did see the cascade line */
        return;
    }
    if (irq_handlers[irq])
        irq_handlers[irq]();
    pic_eoi(irq);
}

static void unexpected_exception(struct trap_frame *frame)
{
    /* A fault while reporting a fault: printing is not safe any more. */
    if (exception_depth++ > 0) {
        serial_puts("guest: nested exception, stopping\n");
        halt_forever();
    }
    last_trap.vector = frame->vector;
    last_trap.eip = frame->eip;
    last_trap.error = frame->error;
    last_trap.eflags = frame->eflags;
    gprintf("not ok - exception %u at 0x%08x err=0x%x\n", frame->vector, frame->eip, frame->error);
    if (!recovery) {
        serial_puts("guest: no recovery point, stopping\n");
        halt_forever();
    }
    exception_depth = 0;
    recover_jump(recovery, 1);
}

void trap_dispatch(struct trap_frame *frame)
{
    u32 v = frame->vector;

    if (v < 64 && hooks[v] && hooks[v](frame))
        return;
    if (v >= master_base && v < master_base + 8) {
        irq_dispatch(v - master_base);
        return;
    }
    if (v >= IRQ_VECTOR_BASE + 8 && v < IRQ_VECTOR_BASE + IRQ_COUNT) {
        irq_dispatch(v - IRQ_VECTOR_BASE);
        return;
    }
    if (v == VECTOR_NMI) {
        /* Not caused by the code running; note it and carry on. */
        gprintf("guest: NMI at 0x%08x\n", frame->eip);
        return;
    }
    if (v == VECTOR_UD && hypercall_step_over_ud(frame))
        return;
    if (expected_point && v == expected_vector) {
        const struct recover_point *point = expected_point;
        expected_point = NULL; /* once */
        last_trap.vector = v;
        last_trap.eip = frame->eip;
        last_trap.error = frame->error;
        last_trap.eflags = frame->eflags;
        recover_jump(point, 1);
    }
    unexpected_exception(frame);
}
