/**
 * @file common/exits/io_exit.h
 * @brief I/O exits: IN, OUT, INS and OUTS to an intercepted port (VMM only; chapter 02).
 */
#ifndef BOOKVISOR_COMMON_EXITS_IO_EXIT_H
#define BOOKVISOR_COMMON_EXITS_IO_EXIT_H

#include "common/vm/hooks.h"
#include "common/vm/vcpu.h"

/**
 * An access to an intercepted port: IN and OUT go to the hook that holds
 * the port (or another port of the access; common/vm/hooks.h); INS and OUTS,
 * with or without REP, at any size and in either direction (RFLAGS.DF), are
 * carried out element by element (common/exits/emul_string.h), their memory
 * through the guest's page tables and never in bookvisor's memory.
 */
enum exit_action io_exit(struct vcpu *v, struct vm_exit *e);

/** io_exit_port()'s cold end: no hook claims the port; stops the guest. */
enum exit_action io_exit_unclaimed(struct vcpu *v, u16 port);

/**
 * IN or OUT (not a string) of size bytes at port, carried out: the hook
 * that holds the port gets it, and an IN's answer goes into RAX as the CPU
 * would put it there (AL or AX keep the rest of RAX; EAX clears bits 63:32).
 * The one copy of that logic: io_exit() calls it, and so do the backends'
 * direct paths for I/O exits (chapter 14, "The direct path"), inlined.
 * @return EXIT_SKIP, or what the hook answered (EXIT_STOP, ...)
 */
static inline __attribute__((always_inline)) enum exit_action
io_exit_port(struct vcpu *v, u16 port, u8 size, bool in)
{
    struct io_hook tmp;
    const struct io_hook *hook = io_hook_find_memo(v->vm, &v->io_hooks, port, size, &tmp);
    if (__builtin_expect(!hook, 0))
        return io_exit_unclaimed(v, port);
    u32 value = (u32)v->gprs.rax;
    enum exit_action a = hook->fn(hook->ctx, v, port, size, !in, &value);
    if (in && a == EXIT_SKIP) {
        if (size == 4)
            v->gprs.rax = value;
        else {
            u64 mask = size == 2 ? 0xFFFF : 0xFF;
            v->gprs.rax = (v->gprs.rax & ~mask) | (value & mask);
        }
    }
    return a;
}

#endif
