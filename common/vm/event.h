/**
 * @file common/vm/event.h
 * @brief The event model: what a vCPU owes its guest, and which event goes in next (chapter 08).
 *
 * An *event* is anything delivered through the guest's IDT that the VMM must
 * hand over: an exception (maybe with an error code), an NMI, an external
 * interrupt. Each vCPU keeps the events it owes in one struct event_queue:
 * at most one exception, one NMI, and a set of external-interrupt vectors.
 * Before every entry event_decide() chooses exactly one of them by the
 * architectural priority and the guest's blocking (RFLAGS.IF, the STI/MOV SS
 * shadow, NMI blocking), and names the window exits to open for what has to
 * wait. An event whose delivery an exit cut short comes back into the same
 * queue (event_take_back()), so nothing is lost and nothing overwritten.
 *
 * Pure: no hardware, no backend. common/vm/vcpu_events.h applies it to a
 * vCPU through its backend; tests/unit/test_event.c tests the rules.
 */
#ifndef BOOKVISOR_COMMON_VM_EVENT_H
#define BOOKVISOR_COMMON_VM_EVENT_H

#include "common/lib/types.h"

/** Exception vectors the rules name (Intel SDM vol. 3 table 6-1). */
enum event_vector {
    EVENT_VECTOR_DE = 0,  /**< \#DE divide error: contributory */
    EVENT_VECTOR_DB = 1,  /**< \#DB debug */
    EVENT_VECTOR_NMI = 2, /**< the NMI's vector */
    EVENT_VECTOR_BP = 3,  /**< \#BP breakpoint (INT3) */
    EVENT_VECTOR_OF = 4,  /**< \#OF overflow (INTO) */
    EVENT_VECTOR_UD = 6,  /**< \#UD invalid opcode */
    EVENT_VECTOR_DF = 8,  /**< \#DF double fault: an abort, error code 0 */
    EVENT_VECTOR_TS = 10, /**< \#TS invalid TSS: contributory */
    EVENT_VECTOR_NP = 11, /**< \#NP segment not present: contributory */
    EVENT_VECTOR_SS = 12, /**< \#SS stack fault: contributory */
    EVENT_VECTOR_GP = 13, /**< \#GP general protection: contributory */
    EVENT_VECTOR_PF = 14, /**< \#PF page fault: its own class */
    EVENT_VECTOR_MF = 16, /**< \#MF x87 floating-point error */
    EVENT_VECTOR_VE = 20, /**< \#VE virtualization exception: in the page-fault class */
    EVENT_VECTOR_CP = 21, /**< \#CP control protection: contributory */
};

/** Kinds of event a backend can inject. */
enum vm_event_type {
    VM_EVENT_EXTERNAL_INTERRUPT, /**< maskable interrupt with a vector */
    VM_EVENT_NMI,                /**< non-maskable interrupt */
    VM_EVENT_EXCEPTION,          /**< hardware exception, maybe with error code */
};

/** An event to deliver to the guest on the next entry. */
struct vm_event {
    enum vm_event_type type; /**< kind */
    u8 vector;               /**< vector */
    bool has_error;          /**< push an error code */
    u32 error_code;          /**< the error code */
};

/**
 * How an event was being delivered when an exit cut it short: the type
 * field of VT-x's IDT-vectoring information and of AMD-V's EXITINTINFO.
 */
enum vm_delivery {
    VM_DELIVERY_NONE = 0,           /**< the exit interrupted no delivery */
    VM_DELIVERY_EXTERNAL_INTERRUPT, /**< an external interrupt (the VMM's or the guest's own device's) */
    VM_DELIVERY_NMI,                /**< an NMI */
    VM_DELIVERY_HW_EXCEPTION,       /**< a hardware exception */
    VM_DELIVERY_SW_INTERRUPT,       /**< INT n */
    VM_DELIVERY_SW_EXCEPTION,       /**< INT3 or INTO (AMD-V reports them as exceptions 3 and 4) */
    VM_DELIVERY_PRIV_SW_EXCEPTION,  /**< INT1 (ICEBP); AMD-V cannot tell it from a hardware \#DB */
    VM_DELIVERY_INVALID,            /**< a type the hardware should never report: event_take_back() refuses it */
};

/** The event whose delivery an exit cut short, as the backend reports it in struct vm_exit. */
struct vm_cut_short_event {
    enum vm_delivery delivery; /**< how it was being delivered; VM_DELIVERY_NONE: nothing was */
    u8 vector;                 /**< its vector */
    bool has_error;            /**< an exception with an error code */
    u32 error_code;            /**< the error code */
};

/** An exception the VMM raises for the guest. */
struct event_exception {
    u8 vector;      /**< exception vector, 0 to 31 */
    bool has_error; /**< push an error code */
    u32 error_code; /**< the error code */
    /** A trap: the instruction completed and RIP must move past it first (a
     *  single-step \#DB after an emulated instruction). False for a fault: RIP
     *  stays at the instruction, which runs again after the guest's handler. */
    bool trap;
};

/** Exception classes of the double-fault rules (Intel SDM vol. 3 table 6-4). */
enum event_class {
    EVENT_CLASS_BENIGN,       /**< every other exception, NMI, INT n, external interrupts */
    EVENT_CLASS_CONTRIBUTORY, /**< \#DE, \#TS, \#NP, \#SS, \#GP, \#CP */
    EVENT_CLASS_PAGE_FAULT,   /**< \#PF, \#VE */
    EVENT_CLASS_DOUBLE_FAULT, /**< \#DF itself, as the first of two */
};

/** What a second exception during the delivery of a first one becomes. */
enum event_combination {
    EVENT_SERIAL,       /**< delivered on its own; the first one is dropped (a fault recurs) */
    EVENT_DOUBLE_FAULT, /**< both become \#DF with error code 0 */
    EVENT_TRIPLE_FAULT, /**< the guest shuts down: it must stop */
};

/** The guest's interruptibility just before an entry, as the backend reads it. */
struct event_interruptibility {
    bool interrupts_enabled; /**< RFLAGS.IF */
    bool shadow;             /**< the instruction after STI or MOV SS/POP SS: no interrupt, no NMI */
    bool nmi_blocked;        /**< the hardware's NMI blocking (VT-x); false where it keeps none (AMD-V) */
};

/** The events one vCPU owes its guest. All zero is an empty queue. */
struct event_queue {
    bool exception_pending;           /**< exception holds an exception to deliver */
    struct event_exception exception; /**< the one pending exception */
    bool nmi_pending;                 /**< an NMI waits (NMIs do not count: one is enough) */
    /** The VMM injected an NMI and has not yet seen the NMI window that says
     *  the guest returned from its handler. AMD-V keeps no NMI blocking for
     *  the guest, so the VMM must; on VT-x it only mirrors the hardware. */
    bool nmi_blocked;
    u64 interrupts[4];                /**< pending external-interrupt vectors, one bit each */
    u16 interrupt_count;              /**< how many bits of interrupts are set */
    bool interrupt_window_open;       /**< the backend was last told to open the interrupt window */
    bool nmi_window_open;             /**< the backend was last told to open the NMI window */
};

/** The decision for one entry: at most one event, and the windows to open. */
struct event_decision {
    bool inject;           /**< event goes in on this entry */
    struct vm_event event; /**< the event (valid when inject) */
    bool interrupt_window; /**< an interrupt waits: exit as soon as the guest can take one */
    bool nmi_window;       /**< an NMI waits: exit as soon as the guest can take one */
};

/**
 * Is the exception a fault (SDM vol. 3 table 6-1): reported at the
 * instruction, which runs again after the handler? Then the RFLAGS image the
 * CPU pushes has RF set, so that an instruction breakpoint there does not
 * fire a second time; an injected fault must look the same.
 */
bool event_exception_is_fault(u8 vector);

/** The class of an exception vector for the double-fault rules. */
enum event_class event_exception_class(u8 vector);

/**
 * The double-fault table (Intel SDM vol. 3 table 6-5, AMD APM vol. 2 "Double
 * fault"): what exception `second`, raised while `first` was being
 * delivered, becomes. Contributory on contributory, and contributory or page
 * fault on page fault, give \#DF; contributory or page fault on \#DF shuts
 * the guest down; every other pair is handled serially.
 */
enum event_combination event_combine(u8 first, u8 second);

/**
 * Queue an exception. Alone, it waits as it is; on top of a pending one the
 * two combine by event_combine(), the pending one counting as first. On
 * EVENT_TRIPLE_FAULT the slot is emptied: the caller must stop the guest.
 */
enum event_combination event_queue_exception(struct event_queue *q, const struct event_exception *ex);

/** Queue an NMI (one pending NMI stands for any number). */
void event_queue_nmi(struct event_queue *q);

/** Queue an external interrupt; a vector already pending stays pending once. */
void event_queue_interrupt(struct event_queue *q, u8 vector);

/** The highest pending external-interrupt vector, or -1 when none is. */
int event_highest_interrupt(const struct event_queue *q);

/** What event_take_back() did with a cut-short event. */
enum event_take_back_result {
    EVENT_TAKEN_BACK,  /**< queued again (or nothing to do) */
    EVENT_REEXECUTED,  /**< INT n, INT3, INTO or INT1: RIP still points at it, it runs again */
    EVENT_TAKE_BACK_TRIPLE_FAULT, /**< an exception that combined with a pending one into a shutdown */
    EVENT_TAKE_BACK_BAD_TYPE,     /**< an unknown delivery type: a backend bug */
};

/**
 * Put back an event whose delivery an exit cut short, before the exit's
 * handler runs (so that an exception the handler raises combines with a
 * cut-short one). An external interrupt or NMI goes back into the pending
 * set, never lost; an NMI also ends the VMM's NMI blocking, since it was
 * never delivered. A hardware exception is queued again as it was. A
 * software interrupt or exception is not queued: the guest's RIP still
 * addresses the instruction (Intel SDM vol. 3 27.1: an event that causes a
 * VM exit during its delivery leaves CS, RIP, SS, RSP and RFLAGS as they
 * were, and 27.3.3 for INT3/INTO; AMD APM vol. 2 15.7.2: the intercept
 * leaves the guest in its state before the event), so the instruction runs
 * again and no instruction length is needed.
 */
enum event_take_back_result event_take_back(struct event_queue *q, const struct vm_cut_short_event *cut);

/**
 * The heart of the model: choose the one event to inject on this entry and
 * the windows to open (lab 6). A pending exception goes first, blocked by
 * nothing; then an NMI unless NMI blocking or the STI/MOV SS shadow blocks it
 * (VT-x refuses an NMI entry in a MOV SS shadow, and some CPUs in an STI
 * one); then the highest external interrupt if RFLAGS.IF is 1 and there is
 * no shadow. Every kind that still waits afterwards asks for its window, and
 * nothing pending asks for none. Pure: changes nothing.
 */
struct event_decision event_decide(const struct event_queue *q, const struct event_interruptibility *g);

/** The decision's event was handed to the backend: take it off the queue (an NMI starts NMI blocking). */
void event_injected(struct event_queue *q, const struct event_decision *d);

/** The NMI window exit came: the guest can take an NMI again. */
void event_nmi_unblocked(struct event_queue *q);

/** "\#GP", "\#PF", ... for a vector, for messages; "vector" for the unnamed ones. */
const char *event_vector_name(u8 vector);

/**
 * Nothing pending and no window open: the entry has nothing to do. Cheap,
 * for the exit path.
 */
static inline bool event_queue_idle(const struct event_queue *q)
{
    return !(q->exception_pending | q->nmi_pending | q->interrupt_window_open |
             q->nmi_window_open) && q->interrupt_count == 0;
}

#endif
