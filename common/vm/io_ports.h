/**
 * @file common/vm/io_ports.h
 * @brief Carry out the guest's port accesses: through the hooks, or on the hardware (VMM only).
 *
 * An access of 2 or 4 bytes covers 2 or 4 ports ("lanes"), and the guest
 * may start it below a hooked port or let it reach past one. The hook that
 * holds the first port gets the whole access (io_hook_find()), as the
 * device at that port would on the bus; a hook with no port at the start
 * gets it when it holds another lane. When that hook passes the access on,
 * it uses io_pass_on(), so that lanes another hook holds reach that hook
 * (a word written at 0x91 still shows port 0x92 its byte) and the rest
 * reach the hardware, as one access of the guest's width when no other
 * hook is involved (chapter 02).
 */
#ifndef BOOKVISOR_COMMON_VM_IO_PORTS_H
#define BOOKVISOR_COMMON_VM_IO_PORTS_H

#include "arch/x86/io.h"
#include "common/vm/hooks.h"
#include "common/vm/vcpu.h"

struct vcpu;

/**
 * The guest's access as the machine answers it with bookvisor: the hook it
 * reaches (io_hook_find()), or the hardware when none holds any of its ports.
 * @param v     the vCPU whose access it is
 * @param port  the first port
 * @param size  1, 2 or 4
 * @param write an OUT (else an IN)
 * @param value the data written, or for a read receives it
 * @return EXIT_SKIP, or what a hook returned (EXIT_STOP to stop the guest)
 */
enum exit_action io_port_access(struct vcpu *v, u16 port, u8 size, bool write, u32 *value);

/** What io_pass_on() does with the calling hook's own lanes. */
enum io_pass_own {
    /** Leave them: the caller answers them (for a read it fills their bytes of *value). */
    IO_OWN_KEEP,
    /** To the hardware; the whole access at once when no other hook holds a lane. */
    IO_OWN_HARDWARE,
    /**
     * To the hardware one byte each, and so every lane no hook holds: for
     * one-byte registers a wider access reaches in ways hardware and
     * emulators do not agree on (QEMU gives the high byte of a word at 0x92
     * to port 0x92 itself, a second write; the PC's bus gives it to 0x93).
     */
    IO_OWN_BYTES,
};

/** io_pass_on() for an access of more than one byte, or one whose own lanes the caller keeps. */
enum exit_action io_pass_on_lanes(struct vcpu *v, io_hook_fn fn, void *ctx, u16 port, u8 size,
                                  bool write, u32 *value, enum io_pass_own own);

/**
 * For a hook handler (fn, ctx) passing an access on: every lane held by a
 * hook with another handler or context goes to that hook; the handler's own
 * lanes as own says; every other lane to the hardware. Lanes are grouped
 * into naturally aligned pieces of one owner each (single bytes with
 * IO_OWN_BYTES). port and size are the access the handler was called with:
 * a one-byte access is then the handler's own lane, and goes to the
 * hardware without a look at the hook table (unless own is IO_OWN_KEEP).
 * @return EXIT_SKIP, or the first other hook's answer that is not EXIT_SKIP
 *         (the lanes after it are then not carried out)
 */
static inline enum exit_action io_pass_on(struct vcpu *v, io_hook_fn fn, void *ctx, u16 port,
                                          u8 size, bool write, u32 *value, enum io_pass_own own)
{
    if (size == 1 && own != IO_OWN_KEEP) { /* the handler's own lane: nothing to split */
        if (write)
            io_write(port, 1, *value);
        else
            *value = io_read(port, 1);
        return EXIT_SKIP;
    }
    return io_pass_on_lanes(v, fn, ctx, port, size, write, value, own);
}

/**
 * io_exit_port()'s and io_exit_port_miss()'s common end: the access to
 * hook, and an IN's answer into RAX as the CPU would put it there (AL or
 * AX keep the rest of RAX; EAX clears bits 63:32).
 */
static inline __attribute__((always_inline)) enum exit_action
io_exit_port_call(struct vcpu *v, const struct io_hook *hook, u16 port, u8 size, bool in)
{
    u32 value = (u32)v->gprs.rax;
    enum exit_action a = hook->fn(hook->ctx, v, port, size, !in, &value);
    if (in && a == EXIT_SKIP) {
        /* The CPU's own write: AL or AX, the rest of RAX kept (a store of
         * that width, x86 being little-endian); EAX, bits 63:32 cleared. */
        if (size == 4)
            v->gprs.rax = value;
        else if (size == 2)
            __builtin_memcpy(&v->gprs.rax, &value, 2);
        else
            __builtin_memcpy(&v->gprs.rax, &value, 1);
    }
    return a;
}

/**
 * io_exit_port() when the port's hook is not in the vCPU's memo: looked up
 * in the VM's table (and remembered), then called; out of line, so that the
 * memo's hit sets up no argument for the lookup. Stops the guest when no
 * hook claims the access.
 */
enum exit_action io_exit_port_miss(struct vcpu *v, u16 port, u8 size, bool in);

/**
 * IN or OUT (not a string) of size bytes at port, carried out: the hook
 * that holds the port gets it (from the vCPU's memo, io_hook_find_memo(),
 * else io_exit_port_miss()), and an IN's answer goes into RAX.
 * The one copy of that logic: io_exit() (common/exits/io_exit.h) calls it,
 * and so do the backends' direct paths for I/O exits, inlined, where the
 * vCPU's handler table says its I/O handler is io_exit() (struct
 * exit_handler_table's io_port_direct; chapter 14, "The direct path").
 * @return EXIT_SKIP, or what the hook answered (EXIT_STOP, ...)
 */
static inline __attribute__((always_inline)) enum exit_action
io_exit_port(struct vcpu *v, u16 port, u8 size, bool in)
{
    /* io_hook_memo_hit()'s test, on the slot itself: through its NULL,
     * GCC computes the slot's address twice (5 instructions an exit). */
    const struct io_hook *hook = &v->io_hooks.slot[(unsigned)port % IO_HOOK_MEMO_SLOTS];
    if (__builtin_expect((u16)(port - hook->port) >= hook->count, 0))
        return io_exit_port_miss(v, port, size, in);
    return io_exit_port_call(v, hook, port, size, in);
}

#endif
