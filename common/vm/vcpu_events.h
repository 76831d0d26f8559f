/**
 * @file common/vm/vcpu_events.h
 * @brief The event model applied to one vCPU through its backend (chapter 08).
 *
 * common/vm/event.h holds the rules; these functions are where a vCPU's
 * exits meet them. Around every exit the order is (common/vm/exit_dispatch.h,
 * vcpu_handle_exit()):
 *
 *     vcpu_event_take_back(v, e)      what the exit cut short goes back into v->events
 *     the exit's handler              it may raise an exception or queue an interrupt
 *     vcpu_before_entry(v)            common/vm/vcpu_entry.h: vcpu_event_prepare_entry()
 *                                     chooses one event, injects it, opens or closes the windows
 *
 * and vcpu_before_entry() once before the first entry too. Whatever puts an
 * event into v->events goes through a function of this file, which also
 * sets VCPU_WORK_EVENTS in v->work_pending: the backends' exit assembly
 * takes the full path, and the entry hook runs the model, only while that
 * bit is set. Pure: the backend is reached only through struct backend_ops.
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_EVENTS_H
#define BOOKVISOR_COMMON_VM_VCPU_EVENTS_H

#include "common/vm/backend.h"
#include "common/vm/event.h"
#include "common/vm/vcpu.h"

/** DR6.BS: the \#DB was a single step (Intel SDM vol. 3 17.2.3). */
#define VCPU_DR6_BS (1u << 14)

/**
 * Put the event the exit cut short (e->cut_short) back into v->events,
 * before the exit's handler runs (event_take_back()).
 * @return false when the guest must stop (the reason is in v): the
 * exception made a triple fault, or the backend reported a delivery type
 * that does not exist.
 */
bool vcpu_event_take_back(struct vcpu *v, const struct vm_exit *e);

/**
 * Raise an exception for the guest from an exit handler, combining it with
 * one already pending by the double-fault rules, and return what the
 * handler should return: EXIT_RESUME for a fault (or a \#DF), EXIT_SKIP for
 * a trap, EXIT_STOP with a reason for a triple fault.
 */
enum exit_action vcpu_raise_exception(struct vcpu *v, const struct event_exception *ex);

/**
 * Raise \#GP(0) at the guest's instruction, with no error code in real mode
 * (a real-mode exception pushes none, and VT-x refuses an entry that asks
 * for one). @return as vcpu_raise_exception()
 */
enum exit_action vcpu_raise_gp(struct vcpu *v);

/** Queue an external interrupt for the guest (a vector pending twice is pending once). */
void vcpu_queue_interrupt(struct vcpu *v, u8 vector);

/** Queue an NMI for the guest (one pending NMI stands for any number). */
void vcpu_queue_nmi(struct vcpu *v);

/**
 * An emulated instruction completed while the guest single-steps
 * (RFLAGS.TF): set DR6.BS and queue the \#DB trap the CPU would have raised
 * after it, so the guest's debugger sees every instruction, emulated or not.
 */
void vcpu_single_step_trap(struct vcpu *v);

/**
 * Does v owe its guest an interrupt or an NMI? Then a HLT must not wait:
 * on bare metal the pending event would end the halt at once.
 */
bool vcpu_event_wakes_halt(const struct vcpu *v);

/**
 * Before an entry: when something waits or a window is open, read the
 * guest's interruptibility, let event_decide() choose, inject its event,
 * and tell the backend about the windows when they change. Does nothing,
 * cheaply, when the queue is idle. Called by vcpu_before_entry().
 * @return false when the guest must stop: something waits and the backend
 * has no event operations.
 */
bool vcpu_event_prepare_entry(struct vcpu *v);

/**
 * The handler of VM_EXIT_INTERRUPT_WINDOW and VM_EXIT_NMI_WINDOW: the guest
 * can take what waited. An NMI window ends the VMM's NMI blocking; the
 * event itself goes in at the next vcpu_event_prepare_entry().
 * @return EXIT_RESUME (no instruction ran).
 */
enum exit_action vcpu_event_window_exit(struct vcpu *v, struct vm_exit *e);

#endif
