/*
 * common/vm/event.c - the event model: pending events, their priority and
 * blocking, the double-fault rules, re-delivery (chapter 08). Pure.
 */
#include "common/vm/event.h"

bool event_exception_is_fault(u8 vector)
{
    switch (vector) {
    case EVENT_VECTOR_DE: case 5 /* #BR */: case EVENT_VECTOR_UD: case 7 /* #NM */:
    case EVENT_VECTOR_TS: case EVENT_VECTOR_NP: case EVENT_VECTOR_SS: case EVENT_VECTOR_GP:
    case EVENT_VECTOR_PF: case EVENT_VECTOR_MF: case 17 /* #AC */: case 19 /* #XM */:
    case EVENT_VECTOR_VE: case EVENT_VECTOR_CP: case 29 /* #VC */: case 30 /* #SX */:
        return true;
    default: /* #DB (a trap as bookvisor raises it), #BP, #OF, NMI, #DF, #MC: not faults */
        return false;
    }
}

enum event_class event_exception_class(u8 vector)
{
    switch (vector) {
    case EVENT_VECTOR_DE:
    case EVENT_VECTOR_TS:
    case EVENT_VECTOR_NP:
    case EVENT_VECTOR_SS:
    case EVENT_VECTOR_GP:
    case EVENT_VECTOR_CP: /* contributory since CET (newer editions of table 6-4) */
        return EVENT_CLASS_CONTRIBUTORY;
    case EVENT_VECTOR_PF:
    case EVENT_VECTOR_VE:
        return EVENT_CLASS_PAGE_FAULT;
    case EVENT_VECTOR_DF:
        return EVENT_CLASS_DOUBLE_FAULT;
    default:
        return EVENT_CLASS_BENIGN;
    }
}

/*
 * Table 6-5 with the row the SDM states in words under "Interrupt 8": a
 * contributory exception or page fault while delivering #DF shuts down.
 * Rows: the class of the exception being delivered; columns: the class of
 * the one raised during that delivery.
 */
static const u8 combination_table[4][3] = {
    /*                            benign        contributory        page fault */
    [EVENT_CLASS_BENIGN]       = { EVENT_SERIAL, EVENT_SERIAL,       EVENT_SERIAL },
    [EVENT_CLASS_CONTRIBUTORY] = { EVENT_SERIAL, EVENT_DOUBLE_FAULT, EVENT_SERIAL },
    [EVENT_CLASS_PAGE_FAULT]   = { EVENT_SERIAL, EVENT_DOUBLE_FAULT, EVENT_DOUBLE_FAULT },
    [EVENT_CLASS_DOUBLE_FAULT] = { EVENT_SERIAL, EVENT_TRIPLE_FAULT, EVENT_TRIPLE_FAULT },
};

enum event_combination event_combine(u8 first, u8 second)
{
    enum event_class row = event_exception_class(first);
    enum event_class column = event_exception_class(second);
    /* A #DF raised on its own is no column of the table: counted as
     * contributory it gives #DF again, or a shutdown on top of a #DF. */
    if (column == EVENT_CLASS_DOUBLE_FAULT)
        column = EVENT_CLASS_CONTRIBUTORY;
    return (enum event_combination)combination_table[row][column];
}

enum event_combination event_queue_exception(struct event_queue *q, const struct event_exception *ex)
{
    enum event_combination c = EVENT_SERIAL;
    if (q->exception_pending)
        c = event_combine(q->exception.vector, ex->vector);
    switch (c) {
    case EVENT_SERIAL:
        q->exception = *ex;
        q->exception_pending = true;
        break;
    case EVENT_DOUBLE_FAULT:
        q->exception = (struct event_exception){ .vector = EVENT_VECTOR_DF, .has_error = true };
        q->exception_pending = true;
        break;
    case EVENT_TRIPLE_FAULT:
        q->exception_pending = false;
        break;
    }
    return c;
}

void event_queue_nmi(struct event_queue *q)
{
    q->nmi_pending = true;
}

void event_queue_interrupt(struct event_queue *q, u8 vector)
{
    u64 bit = 1ull << (vector % 64);
    if (q->interrupts[vector / 64] & bit)
        return;
    q->interrupts[vector / 64] |= bit;
    q->interrupt_count++;
}

int event_highest_interrupt(const struct event_queue *q)
{
    for (int word = 3; word >= 0; word--)
        if (q->interrupts[word])
            return word * 64 + 63 - __builtin_clzll(q->interrupts[word]);
    return -1;
}

enum event_take_back_result event_take_back(struct event_queue *q, const struct vm_cut_short_event *cut)
{
    struct event_exception ex;

    switch (cut->delivery) {
    case VM_DELIVERY_NONE:
        return EVENT_TAKEN_BACK;
    case VM_DELIVERY_EXTERNAL_INTERRUPT:
        event_queue_interrupt(q, cut->vector);
        return EVENT_TAKEN_BACK;
    case VM_DELIVERY_NMI:
        event_queue_nmi(q);
        q->nmi_blocked = false; /* its handler never started */
        return EVENT_TAKEN_BACK;
    case VM_DELIVERY_HW_EXCEPTION:
        ex = (struct event_exception){ .vector = cut->vector, .has_error = cut->has_error,
                                       .error_code = cut->error_code };
        return event_queue_exception(q, &ex) == EVENT_TRIPLE_FAULT ? EVENT_TAKE_BACK_TRIPLE_FAULT
                                                                   : EVENT_TAKEN_BACK;
    case VM_DELIVERY_SW_INTERRUPT:
    case VM_DELIVERY_SW_EXCEPTION:
    case VM_DELIVERY_PRIV_SW_EXCEPTION:
        return EVENT_REEXECUTED;
    case VM_DELIVERY_INVALID:
        break;
    }
    return EVENT_TAKE_BACK_BAD_TYPE;
}

static struct vm_event exception_event(const struct event_exception *ex)
{
    return (struct vm_event){ .type = VM_EVENT_EXCEPTION, .vector = ex->vector,
                              .has_error = ex->has_error, .error_code = ex->error_code };
}

struct event_decision event_decide(const struct event_queue *q, const struct event_interruptibility *g)
{
    struct event_decision d = { .inject = false };
    /* LAB 6 BEGIN: choose the one event to inject and the windows to open */
    /* LAB 6 FALLBACK: int v = event_highest_interrupt(q); bool quiet = !g->shadow, nmi_ok = quiet && !g->nmi_blocked && !q->nmi_blocked; d.inject = q->exception_pending || (q->nmi_pending && nmi_ok) || (v >= 0 && quiet && g->interrupts_enabled); if (q->exception_pending) d.event = exception_event(&q->exception); else if (q->nmi_pending && nmi_ok) d.event = (struct vm_event){ .type = VM_EVENT_NMI, .vector = EVENT_VECTOR_NMI }; else d.event = (struct vm_event){ .type = VM_EVENT_EXTERNAL_INTERRUPT, .vector = (u8)v }; d.nmi_window = q->nmi_pending && !(d.inject && d.event.type == VM_EVENT_NMI); d.interrupt_window = q->interrupt_count > ((d.inject && d.event.type == VM_EVENT_EXTERNAL_INTERRUPT) ? 1u : 0u); */
    int vector = event_highest_interrupt(q);
    bool nmi_can_go = !g->nmi_blocked && !q->nmi_blocked && !g->shadow;
    bool interrupt_can_go = g->interrupts_enabled && !g->shadow;

    if (q->exception_pending) {
        d.inject = true;
        d.event = exception_event(&q->exception);
    } else if (q->nmi_pending && nmi_can_go) {
        d.inject = true;
        d.event = (struct vm_event){ .type = VM_EVENT_NMI, .vector = EVENT_VECTOR_NMI };
    } else if (vector >= 0 && interrupt_can_go) {
        d.inject = true;
        d.event = (struct vm_event){ .type = VM_EVENT_EXTERNAL_INTERRUPT, .vector = (u8)vector };
    }
    /* Whatever still waits after this entry asks for the exit that ends its wait. */
    bool nmi_goes_now = d.inject && d.event.type == VM_EVENT_NMI;
    bool interrupt_goes_now = d.inject && d.event.type == VM_EVENT_EXTERNAL_INTERRUPT;
    d.nmi_window = q->nmi_pending && !nmi_goes_now;
    d.interrupt_window = q->interrupt_count > (interrupt_goes_now ? 1u : 0u);
    /* LAB 6 END */
    return d;
}

void event_injected(struct event_queue *q, const struct event_decision *d)
{
    if (!d->inject)
        return;
    switch (d->event.type) {
    case VM_EVENT_EXCEPTION:
        q->exception_pending = false;
        break;
    case VM_EVENT_NMI:
        q->nmi_pending = false;
        q->nmi_blocked = true;
        break;
    case VM_EVENT_EXTERNAL_INTERRUPT: {
        u64 bit = 1ull << (d->event.vector % 64);
        if (q->interrupts[d->event.vector / 64] & bit) {
            q->interrupts[d->event.vector / 64] &= ~bit;
            q->interrupt_count--;
        }
        break;
    }
    }
}

void event_nmi_unblocked(struct event_queue *q)
{
    q->nmi_blocked = false;
}

const char *event_vector_name(u8 vector)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
        "#NP", "#SS", "#GP", "#PF", 0, "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
        [28] = "#HV", [29] = "#VC", [30] = "#SX",
    };
    return vector < 32 && names[vector] ? names[vector] : "vector";
}
