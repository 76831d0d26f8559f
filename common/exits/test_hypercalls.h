/**
 * @file common/exits/test_hypercalls.h
 * @brief The test hypercalls, answered only under their test options (VMM only).
 *
 * The event model and the VMM vectors are proved from inside a guest
 * (tests/guest/check_events.c), which needs a few levers the VMM never
 * offers otherwise: a page whose next touch is a nested page fault, a \#GP
 * raised by that fault, an interrupt or NMI queued for it, a VMM vector to
 * trigger. Each lever exists only under its option (test.events,
 * test.vmm_vector); without it the hypercall answers as unknown.
 */
#ifndef BOOKVISOR_COMMON_EXITS_TEST_HYPERCALLS_H
#define BOOKVISOR_COMMON_EXITS_TEST_HYPERCALLS_H

#include "common/vm/vcpu.h"

/**
 * Answer test hypercall @p function (HC_TEST_*, common/exits/hypercall.h)
 * with v's registers.
 * @return false when it is no test hypercall or its option is off
 */
bool test_hypercall(struct vcpu *v, u32 function);

#endif
