/*
 * common/vm/io_ports.c - the guest's port accesses, lane by lane where hooks share them.
 */
#include "common/vm/io_ports.h"
#include "arch/x86/io.h"
#include "common/lib/access_split.h"
#include "common/vm/guest_vm.h"

enum exit_action io_port_access(struct vcpu *v, u16 port, u8 size, bool write, u32 *value)
{
    struct io_hook h;

    if (io_hook_find(guest_vm_of(v), port, size, &h))
        return h.fn(h.ctx, v, port, size, write, value);
    if (write)
        io_write(port, size, *value);
    else
        *value = io_read(port, size);
    return EXIT_SKIP;
}

/* Lane owners: the hardware, the calling hook, or another hook (2 + its first port). */
enum { LANE_HARDWARE, LANE_OWN, LANE_OTHER };

struct lane_ctx {
    struct guest_vm *vm;
    io_hook_fn fn;
    void *ctx;
};

static unsigned lane_owner(void *ctx, u64 lane)
{
    const struct lane_ctx *l = ctx;
    struct io_hook h;

    if (lane > 0xFFFF || !io_hook_find(l->vm, (u16)lane, 1, &h))
        return LANE_HARDWARE;
    if (h.fn == l->fn && h.ctx == l->ctx)
        return LANE_OWN;
    return LANE_OTHER + h.port; /* hooks never overlap: the first port names one */
}

enum exit_action io_pass_on_lanes(struct vcpu *v, io_hook_fn fn, void *ctx, u16 port, u8 size,
                                  bool write, u32 *value, enum io_pass_own own_lanes)
{
    struct lane_ctx l = { guest_vm_of(v), fn, ctx };
    struct access_owned_piece pieces[ACCESS_SPLIT_MAX];
    unsigned n = access_split_owned(port, size, lane_owner, &l, own_lanes == IO_OWN_BYTES, pieces);
    bool foreign = false;

    for (unsigned i = 0; i < n; i++)
        foreign |= pieces[i].owner >= LANE_OTHER;
    if (!foreign && own_lanes == IO_OWN_HARDWARE) {
        if (write)
            io_write(port, size, *value);
        else
            *value = io_read(port, size);
        return EXIT_SKIP;
    }
    for (unsigned i = 0; i < n; i++) {
        u16 p = (u16)pieces[i].piece.addr;
        u8 psize = pieces[i].piece.size, off = pieces[i].piece.offset;
        u32 part = (u32)access_bytes_get(*value, off, psize);
        struct io_hook h;

        if (pieces[i].owner == LANE_OWN && own_lanes == IO_OWN_KEEP)
            continue;
        if (pieces[i].owner >= LANE_OTHER && io_hook_find(l.vm, p, 1, &h)) {
            enum exit_action a = h.fn(h.ctx, v, p, psize, write, &part);
            if (a != EXIT_SKIP)
                return a; /* e.g. a stop: the rest of the access never happens */
        } else if (write) {
            io_write(p, psize, part);
        } else {
            part = io_read(p, psize);
        }
        if (!write)
            *value = (u32)access_bytes_put(*value, off, psize, part);
    }
    return EXIT_SKIP;
}

enum exit_action __attribute__((noinline)) io_exit_port_miss(struct vcpu *v, u16 port, u8 size,
                                                             bool in)
{
    struct io_hook tmp;
    const struct io_hook *hook = io_hook_find_slow(v->vm, &v->io_hooks, port, size, &tmp);
    if (!hook)
        return vcpu_stop(v, VCPU_STOP_ERROR, "I/O exit for port 0x%x that no hook claims", port);
    return io_exit_port_call(v, hook, port, size, in);
}
