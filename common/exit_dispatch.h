/**
 * @file common/exit_dispatch.h
 * @brief From a generic exit to a handler, and from its action back to the backend.
 *
 * Pure logic over the backend interface: unit tests drive it with a mock
 * backend (tests/unit/test_exit_dispatch.c).
 */
#ifndef BOOKVISOR_COMMON_EXIT_DISPATCH_H
#define BOOKVISOR_COMMON_EXIT_DISPATCH_H

#include "common/backend.h"
#include "common/vcpu.h"

/** A handler for one kind of exit. */
typedef enum exit_action (*exit_handler_fn)(struct vcpu *v, struct vm_exit *e);

/** One handler per exit kind; NULL means "not handled": the guest stops. */
struct exit_handler_table {
    exit_handler_fn handler[VM_EXIT_KIND_COUNT]; /**< indexed by enum vm_exit_kind */
};

/**
 * Count the exit and call its handler. An exit without a handler, or of an
 * out-of-range kind, stops the guest with a message naming the native exit
 * code and the guest RIP: nothing is silently ignored.
 */
enum exit_action exit_dispatch(const struct exit_handler_table *t, struct vcpu *v,
                               struct vm_exit *e);

/**
 * Carry out a handler's action through the backend (skip the instruction,
 * inject \#GP or \#UD). Returns false when the guest must stop (EXIT_STOP, or
 * the instruction length could not be found).
 */
bool exit_apply_action(struct vcpu *v, const struct vm_exit *e, enum exit_action a);

/**
 * Run the guest until a handler stops it: enter, dispatch, apply, repeat.
 * @return the vCPU's stop kind.
 */
enum vcpu_stop_kind vcpu_run(struct vcpu *v, const struct exit_handler_table *t);

#endif
