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

#include "common/vm/hooks.h"

struct vcpu;

/**
 * The guest's access as the machine answers it with bookvisor: the hook it
 * reaches (io_hook_find()), or the hardware when none holds any of its ports.
 * @param size 1, 2 or 4; for a read *value receives the data
 * @return EXIT_SKIP, or what a hook returned (EXIT_STOP to stop the guest)
 */
enum exit_action io_port_access(struct vcpu *v, u16 port, u8 size, bool write, u32 *value);

/**
 * For a hook handler (fn, ctx) passing an access on: every lane held by a
 * hook with another handler or context goes to that hook; the handler's own
 * lanes go to the hardware when own_lanes is true, or are left alone when
 * false (the caller answers them; for a read it fills their bytes of
 * *value itself, before or after); every other lane goes to the hardware.
 * Lanes are grouped into naturally aligned pieces; when no other hook holds
 * a lane and own_lanes is true, the whole access goes to the hardware as
 * the guest made it.
 * @return EXIT_SKIP, or the first other hook's answer that is not EXIT_SKIP
 *         (the lanes after it are then not carried out)
 */
enum exit_action io_pass_on(struct vcpu *v, io_hook_fn fn, void *ctx, u16 port, u8 size,
                            bool write, u32 *value, bool own_lanes);

#endif
