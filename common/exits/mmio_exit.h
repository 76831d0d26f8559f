/**
 * @file common/exits/mmio_exit.h
 * @brief Nested page faults: map, or emulate the access (VMM only; chapter 05).
 */
#ifndef BOOKVISOR_COMMON_EXITS_MMIO_EXIT_H
#define BOOKVISOR_COMMON_EXITS_MMIO_EXIT_H

#include "common/vm/vcpu.h"

/**
 * A nested page fault: a page the nested map may map is mapped; an access
 * to a hooked page, to bookvisor's memory or to an address with nothing
 * behind it is emulated (plain moves, string instructions, OR/AND/XADD/
 * CMPXCHG, MMX/SSE moves, PUSH/POP; common/insn/mmio_decode.h); any other
 * instruction, and any instruction fetch there, stops the guest with the
 * instruction's bytes named.
 */
enum exit_action mmio_exit(struct vcpu *v, struct vm_exit *e);

#endif
