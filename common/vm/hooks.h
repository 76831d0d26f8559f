/**
 * @file common/vm/hooks.h
 * @brief Port I/O and MMIO hooks: how common code and drivers claim guest accesses.
 *
 * A hook makes the guest's accesses to some ports or some guest-physical
 * pages exit, and calls a handler with the decoded access. Everything not
 * hooked passes straight through to the hardware (para-passthrough).
 * I/O hooks work through the backends' I/O intercepts; MMIO hooks make
 * their 4 KiB pages not present in the nested page tables, so neighbouring
 * memory stays mapped directly (chapter 05).
 *
 * The tables belong to the VM and are shared by its vCPUs: every function
 * here takes vm->hooks_lock (and, to change the nested map, vm->npt_lock
 * inside it; the order is in common/vm/guest_vm.h). A lookup copies the
 * hook out under the lock, so a handler runs with no lock held, and a hook
 * unregistered meanwhile can never turn into another one under the caller.
 */
#ifndef BOOKVISOR_COMMON_VM_HOOKS_H
#define BOOKVISOR_COMMON_VM_HOOKS_H

#include "common/lib/types.h"
#include "common/vm/vm_exit.h"

struct guest_vm;

struct vcpu;

/**
 * An I/O hook handler. For a read (write == false) store the result in
 * *value (only the low size bytes count); for a write *value holds the data.
 * port and size are the guest's access, which may start below the hook's
 * ports or reach past them (io_hook_find()); a handler passes such an access
 * on with io_pass_on() (common/vm/io_ports.h), so that other hooks see their
 * lanes.
 * Returns EXIT_SKIP normally, or what vcpu_stop() returns to stop the guest.
 */
typedef enum exit_action (*io_hook_fn)(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                       u32 *value);

/**
 * An MMIO hook handler: gpa is the accessed address, size 1, 2, 4 or 8, and
 * gpa a multiple of size (bookvisor cuts every emulated access into such
 * pieces, common/lib/access_split.h, so a piece never leaves its page).
 * For a read store the result in *value; for a write *value holds the data.
 * Returns EXIT_SKIP normally, or what vcpu_stop() returns to stop the guest.
 */
typedef enum exit_action (*mmio_hook_fn)(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                         u64 *value);

/**
 * An MSR write hook handler: msr is the register the guest's WRMSR names and
 * value the 64 bits it writes (EDX:EAX). Reads of the MSR are not hooked.
 * Returns EXIT_SKIP normally, EXIT_INJECT_GP to refuse the write as the CPU
 * would, or what vcpu_stop() returns to stop the guest.
 */
typedef enum exit_action (*msr_write_hook_fn)(void *ctx, struct vcpu *v, u32 msr, u64 value);

/** Most hooks of each kind. */
#define HOOKS_MAX 32

/** Most MSR write hooks: a few registers, looked up by a walk. */
#define MSR_HOOKS_MAX 4

/** One I/O hook: ports [port, port + count). */
struct io_hook {
    u16 port;      /**< first port */
    u16 count;     /**< number of ports */
    io_hook_fn fn; /**< handler */
    void *ctx;     /**< handler context */
};

/** One MSR write hook. */
struct msr_write_hook {
    u32 msr;              /**< the MSR */
    msr_write_hook_fn fn; /**< handler */
    void *ctx;            /**< handler context */
};

/** One MMIO hook: guest-physical [gpa, gpa + len), 4 KiB aligned. */
struct mmio_hook {
    u64 gpa;         /**< first byte */
    u64 len;         /**< bytes */
    mmio_hook_fn fn; /**< handler */
    void *ctx;       /**< handler context */
};

/**
 * Claim ports [port, port + count) for fn. The intercepts are programmed at
 * once on every vCPU of vm that has its native state, and on the others
 * when they get it (hooks_vcpu_ready()).
 * @return 0, or -1 when the table is full or the range overlaps a hook.
 */
int io_hook_register(struct guest_vm *vm, u16 port, u16 count, io_hook_fn fn, void *ctx);

/** Program the intercepts of every hook on every vCPU of vm that has its native state. */
void hooks_apply_io_intercepts(struct guest_vm *vm);

/** Program the intercepts of every hook registered so far on v, whose native state is new. */
void hooks_vcpu_ready(struct guest_vm *vm, struct vcpu *v);

/**
 * Which I/O hook does an access of size bytes at port go to? The one holding
 * port, else the first holding any other byte of the access (the handler then
 * gets the access as the guest made it). If there is one and out is not NULL,
 * copy it to *out.
 */
bool io_hook_find(struct guest_vm *vm, u16 port, u8 size, struct io_hook *out);

/** Entries of a vCPU's struct io_hook_memo (a power of two). */
#define IO_HOOK_MEMO_SLOTS 4

/**
 * A vCPU's memo of the I/O hooks its exits found (chapter 14): slot
 * port % IO_HOOK_MEMO_SLOTS holds a copy of the hook holding that port, or
 * count 0. Sound because I/O hooks are never unregistered and never overlap:
 * once a hook holds a port, io_hook_find() gives it for every access starting
 * there, forever. (An unregistration, if ever added, must empty the memos.)
 * Only the vCPU's own CPU uses it: no lock. Zeroed with the vCPU.
 */
struct io_hook_memo {
    struct io_hook slot[IO_HOOK_MEMO_SLOTS]; /**< copies of hooks found; count 0: empty */
};

/** The hook the memo m holds for port, or NULL when its slot holds another. */
static inline const struct io_hook *io_hook_memo_hit(const struct io_hook_memo *m, u16 port)
{
    const struct io_hook *h = &m->slot[port % IO_HOOK_MEMO_SLOTS];
    return (u16)(port - h->port) < h->count ? h : NULL;
}

/** io_hook_find_memo()'s miss: io_hook_find(), and remember the hook if it holds port. */
const struct io_hook *io_hook_find_slow(struct guest_vm *vm, struct io_hook_memo *m, u16 port,
                                        u8 size, struct io_hook *tmp);

/**
 * io_hook_find() for an I/O exit: the hook an access of size bytes at port
 * goes to, from the vCPU's memo when the port's own hook is in it (no lock,
 * no table), else looked up and remembered.
 * @param tmp  room for a hook that may not be remembered (the access starts on a free port)
 * @return the hook (in m or in tmp), or NULL if no hook claims the access.
 */
static inline const struct io_hook *io_hook_find_memo(struct guest_vm *vm, struct io_hook_memo *m,
                                                      u16 port, u8 size, struct io_hook *tmp)
{
    const struct io_hook *h = io_hook_memo_hit(m, port);
    if (__builtin_expect(h != NULL, 1))
        return h;
    return io_hook_find_slow(vm, m, port, size, tmp);
}

/**
 * Claim the guest's writes of one MSR for fn: its write intercept is
 * programmed at once on every vCPU of vm that has its native state, and on the
 * others when they get it (hooks_vcpu_ready()). For MSRs that no rule of
 * common/exits/intercept_policy.h already claims.
 * @return 0, or -1 when the table is full or the MSR is hooked already.
 */
int msr_write_hook_register(struct guest_vm *vm, u32 msr, msr_write_hook_fn fn, void *ctx);

/** Is msr's write hooked? If so, and out is not NULL, copy its hook to *out. */
bool msr_write_hook_find(struct guest_vm *vm, u32 msr, struct msr_write_hook *out);

/**
 * Claim the guest-physical pages of [gpa, gpa + len) (rounded out to 4 KiB)
 * for fn: they become not present in the nested tables, the rest of any
 * large page around them stays mapped directly. Each page remembers what it
 * was (RAM, MMIO, ...) for mmio_hook_unregister(). All or nothing: on
 * failure no page stays hooked. The nested map must exist (npt_init()).
 * @return 0, or -1 (table full, overlap, VMM memory, no table memory, no map).
 */
int mmio_hook_register(struct guest_vm *vm, u64 gpa, u64 len, mmio_hook_fn fn, void *ctx);

/**
 * Give the pages of the hook starting at gpa back to direct mapping, each as
 * the kind it was. 0, or -1 (no such hook; or no table memory to map a page
 * again: the hook then stays, over the pages still hooked, and may be retried).
 */
int mmio_hook_unregister(struct guest_vm *vm, u64 gpa);

/**
 * Is gpa in a hooked range? If so, and out is not NULL, copy its hook to *out.
 */
bool mmio_hook_find(struct guest_vm *vm, u64 gpa, struct mmio_hook *out);

#endif
