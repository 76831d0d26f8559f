/**
 * @file common/vm/vcpu_events.h
 * @brief The event model applied to one vCPU through its backend (chapter 08).
 *
 * common/vm/event.h holds the rules; these functions are where a vCPU's
 * exits meet them. Around every exit the order is:
 *
 *     vcpu_event_take_back(v, e)      what the exit cut short goes back into v->events
 *     vcpu_handle_exit(v, e)          the handler may raise an exception or queue an interrupt
 *     vcpu_event_prepare_entry(v)     choose one event, inject it, open or close the windows
 *
 * and vcpu_event_prepare_entry() once before the first entry. The unit
 * tests' mock backend runs that order (tests/unit/test_vcpu_events.c); the
 * two backends and vcpu_handle_exit() follow it in a later step (planned),
 * so nothing here runs inside bookvisor yet. Pure: the backend is reached
 * only through struct backend_ops.
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_EVENTS_H
#define BOOKVISOR_COMMON_VM_VCPU_EVENTS_H

#include "common/vm/event.h"
#include "common/vm/exit_dispatch.h"

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
 * Before an entry: when something waits or a window is open, read the
 * guest's interruptibility, let event_decide() choose, inject its event,
 * and tell the backend about the windows when they change. Does nothing,
 * cheaply, when the queue is idle.
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
