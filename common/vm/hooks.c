/*
 * common/vm/hooks.c - the tables of I/O, MMIO and MSR write hooks of the guest VM.
 *
 * Locks: vm->hooks_lock around every use of the tables; vm->npt_lock inside
 * it around every change of the nested map (guest_vm.h gives the order).
 */
#include "common/vm/hooks.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vm_nested.h"
#include "common/vm/vm_vcpus.h"

/* A vCPU without native state yet gets its intercepts from hooks_vcpu_ready(). */
static void program_io_hook(struct vcpu *v, const struct io_hook *h)
{
    if (!v->arch)
        return;
    for (u32 p = h->port; p < (u32)h->port + h->count; p++)
        v->backend->set_io_intercept(v, (u16)p, true);
}

static void program_io_hook_everywhere(struct guest_vm *vm, const struct io_hook *h)
{
    unsigned n = guest_vm_vcpu_count(vm);
    for (unsigned i = 0; i < n; i++)
        program_io_hook(vm->vcpus[i], h);
}

int io_hook_register(struct guest_vm *vm, u16 port, u16 count, io_hook_fn fn, void *ctx)
{
    if (!count || (u32)port + count > 0x10000)
        return -1;
    spin_lock(&vm->hooks_lock);
    int err = vm->n_io_hooks >= HOOKS_MAX ? -1 : 0;
    for (unsigned i = 0; !err && i < vm->n_io_hooks; i++) {
        const struct io_hook *h = &vm->io_hooks[i];
        if (port < h->port + h->count && h->port < port + count)
            err = -1;
    }
    if (!err) {
        struct io_hook *h = &vm->io_hooks[vm->n_io_hooks++];
        h->port = port;
        h->count = count;
        h->fn = fn;
        h->ctx = ctx;
        for (u32 p = port; p < (u32)port + count; p++)
            vm->io_port_hook[p] = (u8)vm->n_io_hooks;
        program_io_hook_everywhere(vm, h);
    }
    spin_unlock(&vm->hooks_lock);
    return err;
}

/*
 * The hook that holds the access's first port wins; otherwise the first whose
 * ports the access covers (a dword OUT two ports below a hooked register
 * exits too: the I/O bitmaps are checked for every byte of an access). One
 * look at io_port_hook per byte of the access, no walk of the table.
 */
bool io_hook_find(struct guest_vm *vm, u16 port, u8 size, struct io_hook *out)
{
    _Static_assert(HOOKS_MAX < 0x100, "io_port_hook holds 1 + an index in a byte");
    spin_lock(&vm->hooks_lock);
    unsigned slot = vm->io_port_hook[port];
    /* Else the first registered of the hooks holding another byte of it. */
    for (u32 p = (u32)port + 1; !vm->io_port_hook[port] && p < (u32)port + size && p <= 0xFFFF; p++)
        if (vm->io_port_hook[p] && (!slot || vm->io_port_hook[p] < slot))
            slot = vm->io_port_hook[p];
    if (slot && out)
        *out = vm->io_hooks[slot - 1];
    spin_unlock(&vm->hooks_lock);
    return slot != 0;
}

const struct io_hook *io_hook_find_slow(struct guest_vm *vm, struct io_hook_memo *m, u16 port,
                                        u8 size, struct io_hook *tmp)
{
    if (!io_hook_find(vm, port, size, tmp))
        return NULL;
    if ((u16)(port - tmp->port) >= tmp->count)
        return tmp; /* found through another byte: a later hook may take port itself */
    struct io_hook *h = &m->slot[port % IO_HOOK_MEMO_SLOTS];
    *h = *tmp;
    return h;
}

void hooks_apply_io_intercepts(struct guest_vm *vm)
{
    spin_lock(&vm->hooks_lock);
    for (unsigned i = 0; i < vm->n_io_hooks; i++)
        program_io_hook_everywhere(vm, &vm->io_hooks[i]);
    spin_unlock(&vm->hooks_lock);
}

/* Under hooks_lock, so a hook registered at the same moment is programmed
 * either here or by io_hook_register() or msr_write_hook_register(), which
 * see v->arch set. */
void hooks_vcpu_ready(struct guest_vm *vm, struct vcpu *v)
{
    spin_lock(&vm->hooks_lock);
    for (unsigned i = 0; i < vm->n_io_hooks; i++)
        program_io_hook(v, &vm->io_hooks[i]);
    for (unsigned i = 0; i < vm->n_msr_hooks; i++)
        v->backend->set_msr_intercept(v, vm->msr_hooks[i].msr, false, true);
    spin_unlock(&vm->hooks_lock);
}

int msr_write_hook_register(struct guest_vm *vm, u32 msr, msr_write_hook_fn fn, void *ctx)
{
    spin_lock(&vm->hooks_lock);
    int err = vm->n_msr_hooks >= MSR_HOOKS_MAX ? -1 : 0;
    for (unsigned i = 0; !err && i < vm->n_msr_hooks; i++)
        if (vm->msr_hooks[i].msr == msr)
            err = -1;
    if (!err) {
        vm->msr_hooks[vm->n_msr_hooks++] = (struct msr_write_hook){ msr, fn, ctx };
        unsigned n = guest_vm_vcpu_count(vm);
        for (unsigned i = 0; i < n; i++)
            if (vm->vcpus[i]->arch)
                vm->vcpus[i]->backend->set_msr_intercept(vm->vcpus[i], msr, false, true);
    }
    spin_unlock(&vm->hooks_lock);
    return err;
}

bool msr_write_hook_find(struct guest_vm *vm, u32 msr, struct msr_write_hook *out)
{
    bool found = false;
    spin_lock(&vm->hooks_lock);
    for (unsigned i = 0; !found && i < vm->n_msr_hooks; i++) {
        if (vm->msr_hooks[i].msr == msr) {
            found = true;
            if (out)
                *out = vm->msr_hooks[i];
        }
    }
    spin_unlock(&vm->hooks_lock);
    return found;
}

/* Give back the pages [start, end) that are hooked (a failed registration's
 * first pages, or what an interrupted unregistration left). npt_lock held. */
static enum npt_status unhook_pages(struct guest_vm *vm, u64 start, u64 end)
{
    for (u64 a = start; a < end; a += 4096) {
        if (npt_layout_kind_at(&vm->layout, a) != NPT_KIND_HOOKED)
            continue;
        enum npt_status st = npt_unhook_page(&vm->map, &vm->layout, a);
        if (st != NPT_OK)
            return st;
    }
    return NPT_OK;
}

/* npt_lock held: can every page of [start, end) be hooked, and is there a map? */
static bool pages_hookable(struct guest_vm *vm, u64 start, u64 end)
{
    if (!vm->map.root_pa)
        return false;
    for (u64 a = start; a < end; a += 4096) {
        enum npt_kind kind = npt_layout_kind_at(&vm->layout, a);
        /* Hooked already means hooked by someone else (the overlap test
         * covers registered hooks): refuse rather than share. */
        if (kind == NPT_KIND_VMM_PRIVATE || kind == NPT_KIND_HOOKED)
            return false;
    }
    return true;
}

/* npt_lock held: hook every page, or none (the ones done are given back). */
static int hook_pages(struct guest_vm *vm, u64 start, u64 end)
{
    int err = pages_hookable(vm, start, end) ? 0 : -1;
    for (u64 a = start; !err && a < end; a += 4096) {
        if (npt_hook_page(&vm->map, &vm->layout, a) != NPT_OK) {
            unhook_pages(vm, start, a);
            err = -1;
        }
    }
    guest_vm_nested_changed(vm);
    return err;
}

/*
 * Page by page: each page remembers the kind it had (RAM, MMIO, ...), so a
 * hook over mixed memory gives each page back as it was. If a page cannot be
 * hooked, the pages before it are given back: all or nothing.
 */
int mmio_hook_register(struct guest_vm *vm, u64 gpa, u64 len, mmio_hook_fn fn, void *ctx)
{
    u64 start = ALIGN_DOWN(gpa, 4096);
    u64 end = ALIGN_UP(gpa + len, 4096);
    if (!len || end <= start)
        return -1;
    spin_lock(&vm->hooks_lock);
    int err = vm->n_mmio_hooks >= HOOKS_MAX ? -1 : 0;
    for (unsigned i = 0; !err && i < vm->n_mmio_hooks; i++) {
        const struct mmio_hook *h = &vm->mmio_hooks[i];
        if (start < h->gpa + h->len && h->gpa < end)
            err = -1;
    }
    if (!err) {
        spin_lock(&vm->npt_lock);
        err = hook_pages(vm, start, end);
        spin_unlock(&vm->npt_lock);
    }
    if (!err) {
        struct mmio_hook *h = &vm->mmio_hooks[vm->n_mmio_hooks++];
        h->gpa = start;
        h->len = end - start;
        h->fn = fn;
        h->ctx = ctx;
    }
    spin_unlock(&vm->hooks_lock);
    return err;
}

/* If some page cannot be mapped again (no table memory), the hook stays
 * registered over the pages still hooked, and a later call finishes. */
int mmio_hook_unregister(struct guest_vm *vm, u64 gpa)
{
    int err = -1;
    spin_lock(&vm->hooks_lock);
    for (unsigned i = 0; i < vm->n_mmio_hooks; i++) {
        struct mmio_hook *h = &vm->mmio_hooks[i];
        if (h->gpa != gpa)
            continue;
        spin_lock(&vm->npt_lock);
        enum npt_status st = unhook_pages(vm, h->gpa, h->gpa + h->len);
        guest_vm_nested_changed(vm);
        spin_unlock(&vm->npt_lock);
        if (st == NPT_OK) {
            vm->mmio_hooks[i] = vm->mmio_hooks[--vm->n_mmio_hooks];
            err = 0;
        }
        break;
    }
    spin_unlock(&vm->hooks_lock);
    return err;
}

bool mmio_hook_find(struct guest_vm *vm, u64 gpa, struct mmio_hook *out)
{
    bool found = false;
    spin_lock(&vm->hooks_lock);
    for (unsigned i = 0; !found && i < vm->n_mmio_hooks; i++) {
        const struct mmio_hook *h = &vm->mmio_hooks[i];
        if (gpa >= h->gpa && gpa - h->gpa < h->len) {
            found = true;
            if (out)
                *out = *h;
        }
    }
    spin_unlock(&vm->hooks_lock);
    return found;
}
