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

/* Who answers one lane: its own hook (false, *h unchanged) or another (true, *h). */
static bool other_hook_at(struct guest_vm *vm, u32 lane, io_hook_fn fn, void *ctx,
                          struct io_hook *h, bool *own)
{
    *own = false;
    if (lane > 0xFFFF || !io_hook_find(vm, (u16)lane, 1, h))
        return false;
    if (h->fn == fn && h->ctx == ctx) {
        *own = true;
        return false;
    }
    return true;
}

enum exit_action io_pass_on(struct vcpu *v, io_hook_fn fn, void *ctx, u16 port, u8 size,
                            bool write, u32 *value, enum io_pass_own own_lanes)
{
    struct guest_vm *vm = guest_vm_of(v);
    struct io_hook h;
    bool own, foreign = false;

    for (u32 lane = port; lane < (u32)port + size; lane++)
        foreign |= other_hook_at(vm, lane, fn, ctx, &h, &own);
    if (!foreign && own_lanes == IO_OWN_HARDWARE) {
        if (write)
            io_write(port, size, *value);
        else
            *value = io_read(port, size);
        return EXIT_SKIP;
    }
    /* Lane by lane, in naturally aligned pieces of one owner each. */
    for (u32 lane = port; lane < (u32)port + size;) {
        bool other = other_hook_at(vm, lane, fn, ctx, &h, &own);
        struct io_hook next;
        bool next_own;
        u32 end = lane + 1;
        /* The run ends where the owner changes. */
        while (end < (u32)port + size) {
            bool next_other = other_hook_at(vm, end, fn, ctx, &next, &next_own);
            if (next_other != other || next_own != own ||
                (other && (next.port != h.port || next.fn != h.fn)))
                break;
            end++;
        }
        struct access_piece pieces[ACCESS_SPLIT_MAX];
        unsigned n = access_split(lane, end - lane, pieces);
        if (own_lanes == IO_OWN_BYTES && !other) /* byte by byte: lane, lane + 1, ... */
            for (n = 0; n < end - lane; n++)
                pieces[n] = (struct access_piece){ lane + n, 1, (u8)n };
        for (unsigned i = 0; i < n; i++) {
            u16 p = (u16)pieces[i].addr;
            u8 psize = pieces[i].size, off = (u8)(p - port);
            u32 part = (u32)access_bytes_get(*value, off, psize);
            if (other) {
                enum exit_action a = h.fn(h.ctx, v, p, psize, write, &part);
                if (a != EXIT_SKIP)
                    return a; /* e.g. a stop: the rest of the access never happens */
            } else if (own && own_lanes == IO_OWN_KEEP) {
                continue;
            } else if (write) {
                io_write(p, psize, part);
            } else {
                part = io_read(p, psize);
            }
            if (!write)
                *value = (u32)access_bytes_put(*value, off, psize, part);
        }
        lane = end;
    }
    return EXIT_SKIP;
}
