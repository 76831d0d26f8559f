/**
 * @file common/vm/exit_dispatch.h
 * @brief From a generic exit to a handler, and from its action back to the backend.
 *
 * Pure logic over the backend interface: unit tests drive it with a mock
 * backend (tests/unit/test_exit_dispatch.c).
 */
#ifndef BOOKVISOR_COMMON_VM_EXIT_DISPATCH_H
#define BOOKVISOR_COMMON_VM_EXIT_DISPATCH_H

#include "common/vm/backend.h"
#include "common/vm/bench_ticks.h"
#include "common/vm/vcpu.h"
#include "common/vm/vcpu_entry.h"
#include "common/vm/vcpu_events.h"

/** A handler for one kind of exit. */
typedef enum exit_action (*exit_handler_fn)(struct vcpu *v, struct vm_exit *e);

/** One handler per exit kind; NULL means "not handled": the guest stops. */
struct exit_handler_table {
    exit_handler_fn handler[VM_EXIT_KIND_COUNT]; /**< indexed by enum vm_exit_kind */
    /**
     * handler[VM_EXIT_IO] carries out an IN or OUT (not a string) exactly as
     * io_exit_port() (common/vm/io_ports.h) does, so a backend's direct path
     * may call that itself (chapter 14, "The direct path"). False in a table
     * with another I/O handler (a test's): its exits take the generic path.
     */
    bool io_port_direct;
};

/**
 * Count the exit and call its handler. An exit without a handler, or of an
 * out-of-range kind, stops the guest with a message naming the native exit
 * code and the guest RIP: nothing is silently ignored.
 */
enum exit_action exit_dispatch(const struct exit_handler_table *t, struct vcpu *v,
                               struct vm_exit *e);

/**
 * Carry out a handler's action through the backend (skip the instruction;
 * \#GP or \#UD go into the vCPU's event queue). Returns false when the guest
 * must stop (EXIT_STOP, or the instruction length could not be found).
 */
bool exit_apply_action(struct vcpu *v, const struct vm_exit *e, enum exit_action a);

/**
 * Run the guest until a handler stops it: the backend's run() loop enters
 * the guest and hands each exit to vcpu_handle_exit().
 * @return the vCPU's stop kind.
 */
enum vcpu_stop_kind vcpu_run(struct vcpu *v, const struct exit_handler_table *t);

/**
 * One exit, start to end: put back what it cut short
 * (vcpu_event_take_back()), dispatch it through v->handlers, carry out the
 * action, and run the hook before the next entry (vcpu_before_entry()).
 * Backends call this (or its inline twin below) once per exit.
 * @return true to enter the guest again, false when it must stop.
 */
bool vcpu_handle_exit(struct vcpu *v, struct vm_exit *e);

/**
 * Step over the exiting instruction through the backend, as EXIT_SKIP does:
 * and when the guest single-steps, queue the \#DB trap the CPU would have
 * raised after it (vcpu_single_step_trap()). Handlers that skip by
 * themselves (HLT, an emulated MMIO access) use it too.
 * @return false when the length could not be found (the guest is stopped
 * with a reason)
 */
bool vcpu_skip(struct vcpu *v, const struct vm_exit *e);

/** Cold path of the dispatcher: a bad kind or a missing handler stops the guest. */
enum exit_action exit_refuse(struct vcpu *v, const struct vm_exit *e);

/** Cold path: EXIT_SKIP whose instruction length could not be found. Returns false. */
bool exit_skip_failed(struct vcpu *v, const struct vm_exit *e);

/**
 * Cold path of a skip that did more than VM_SKIP_DONE: queue the
 * single-step trap, or stop the guest when the length was not found.
 */
bool exit_skip_unusual(struct vcpu *v, const struct vm_exit *e, enum vm_skip r);

/**
 * exit_dispatch() for inlining: check the kind, count it, call the handler
 * (or refuse). The one copy of that logic: exit_dispatch() and
 * vcpu_handle_exit_inline() both use it.
 */
static inline __attribute__((always_inline)) enum exit_action
exit_dispatch_inline(const struct exit_handler_table *t, struct vcpu *v, struct vm_exit *e)
{
    unsigned kind = (unsigned)e->kind;
    if (__builtin_expect(kind >= VM_EXIT_KIND_COUNT, 0))
        return exit_refuse(v, e);
    v->exit_counts[kind]++; /* counted even when unhandled: the counters tell the story */
    exit_handler_fn fn = t->handler[kind];
    return __builtin_expect(fn != 0, 1) ? fn(v, e) : exit_refuse(v, e);
}

/**
 * vcpu_handle_exit() for a backend's hot path: the backend passes its own
 * skip_instruction so the common case (a handler asking to skip) costs no
 * call through the ops table. Same behaviour, same counters.
 */
static inline __attribute__((always_inline)) bool
vcpu_handle_exit_inline(struct vcpu *v, struct vm_exit *e,
                        enum vm_skip (*skip)(struct vcpu *, const struct vm_exit *))
{
    BENCH_TICKS_BEGIN(t0); /* nothing outside a bench build (bench_ticks.h) */
    if (__builtin_expect(e->cut_short.delivery != VM_DELIVERY_NONE, 0) &&
        !vcpu_event_take_back(v, e))
        return false;
    enum exit_action a = exit_dispatch_inline(v->handlers, v, e);
    bool go;
    if (__builtin_expect(a == EXIT_SKIP, 1)) {
        enum vm_skip r = skip(v, e);
        go = __builtin_expect(r == VM_SKIP_DONE, 1) ? true : exit_skip_unusual(v, e, r);
    } else {
        go = exit_apply_action(v, e, a);
    }
    go = go && vcpu_before_entry(v);
    BENCH_TICKS_ADD(v, in_exits, t0);
    BENCH_TICKS_COUNT(v);
    return go;
}

#endif
