/*
 * common/vm/vcpu_events.c - a vCPU's exits meet the event model (chapter 08).
 */
#include "common/vm/vcpu_events.h"

#define RFLAGS_RF (1ULL << 16) /* resume flag */

static u64 guest_rip(struct vcpu *v)
{
    return v->backend->get_reg(v, VCPU_REG_RIP);
}

/* Something is in the queue now: the next entry must run the model. */
static void events_changed(struct vcpu *v)
{
    vcpu_request_work(v, VCPU_WORK_EVENTS);
}

bool vcpu_event_take_back(struct vcpu *v, const struct vm_exit *e)
{
    const struct vm_cut_short_event *cut = &e->cut_short;
    enum event_take_back_result r = event_take_back(&v->events, cut);
    if (cut->delivery != VM_DELIVERY_NONE)
        events_changed(v);
    switch (r) {
    case EVENT_TAKEN_BACK:
    case EVENT_REEXECUTED:
        return true;
    case EVENT_TAKE_BACK_TRIPLE_FAULT:
        vcpu_stop(v, VCPU_STOP_ERROR,
                  "guest triple fault (shutdown): %s cut short by exit %s on top of a pending #DF, "
                  "guest rip=0x%llx", event_vector_name(cut->vector), vm_exit_kind_name(e->kind),
                  (unsigned long long)guest_rip(v));
        return false;
    case EVENT_TAKE_BACK_BAD_TYPE:
        break;
    }
    vcpu_stop(v, VCPU_STOP_ERROR, "the %s backend reported a cut-short event of unknown type %u",
              v->backend->name, (unsigned)cut->delivery);
    return false;
}

enum exit_action vcpu_raise_exception(struct vcpu *v, const struct event_exception *ex)
{
    u8 first = v->events.exception.vector; /* meaningful only if one is pending */
    events_changed(v);
    switch (event_queue_exception(&v->events, ex)) {
    case EVENT_SERIAL:
        return ex->trap ? EXIT_SKIP : EXIT_RESUME;
    case EVENT_DOUBLE_FAULT:
        return EXIT_RESUME;
    case EVENT_TRIPLE_FAULT:
        break;
    }
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "guest triple fault (shutdown): %s raised while delivering %s, guest rip=0x%llx",
                     event_vector_name(ex->vector), event_vector_name(first),
                     (unsigned long long)guest_rip(v));
}

enum exit_action vcpu_raise_gp(struct vcpu *v)
{
    struct event_exception gp = {
        .vector = EVENT_VECTOR_GP,
        .has_error = v->backend->get_reg(v, VCPU_REG_CR0) & 1, /* CR0.PE */
    };
    return vcpu_raise_exception(v, &gp);
}

void vcpu_queue_interrupt(struct vcpu *v, u8 vector)
{
    event_queue_interrupt(&v->events, vector);
    events_changed(v);
}

void vcpu_queue_nmi(struct vcpu *v)
{
    event_queue_nmi(&v->events);
    events_changed(v);
}

void vcpu_single_step_trap(struct vcpu *v)
{
    const struct backend_ops *b = v->backend;
    struct event_exception db = { .vector = EVENT_VECTOR_DB, .trap = true };
    b->set_reg(v, VCPU_REG_DR6, b->get_reg(v, VCPU_REG_DR6) | VCPU_DR6_BS);
    vcpu_raise_exception(v, &db); /* benign: it never makes a shutdown */
}

bool vcpu_event_wakes_halt(const struct vcpu *v)
{
    return v->events.nmi_pending || v->events.interrupt_count != 0;
}

bool vcpu_event_prepare_entry(struct vcpu *v)
{
    struct event_queue *q = &v->events;
    if (event_queue_idle(q))
        return true;
    const struct backend_ops *b = v->backend;
    if (!b->get_interruptibility || !b->set_event_windows) {
        vcpu_stop(v, VCPU_STOP_ERROR, "the %s backend cannot deliver events (chapter 08)",
                  b->name);
        return false;
    }
    struct event_interruptibility g;
    b->get_interruptibility(v, &g);
    struct event_decision d = event_decide(q, &g);
    if (d.inject) {
        /* A fault pushes RFLAGS with RF set, as the CPU does when it raises one
         * itself; the injection pushes the guest's RFLAGS as they are. */
        if (d.event.type == VM_EVENT_EXCEPTION && event_exception_is_fault(d.event.vector))
            b->set_reg(v, VCPU_REG_RFLAGS, b->get_reg(v, VCPU_REG_RFLAGS) | RFLAGS_RF);
        b->inject(v, &d.event);
        event_injected(q, &d);
    }
    if (d.interrupt_window != q->interrupt_window_open || d.nmi_window != q->nmi_window_open) {
        b->set_event_windows(v, d.interrupt_window, d.nmi_window);
        q->interrupt_window_open = d.interrupt_window;
        q->nmi_window_open = d.nmi_window;
    }
    return true;
}

enum exit_action vcpu_event_window_exit(struct vcpu *v, struct vm_exit *e)
{
    if (e->kind == VM_EXIT_NMI_WINDOW)
        event_nmi_unblocked(&v->events);
    events_changed(v); /* what waited goes in at this entry */
    return EXIT_RESUME;
}
