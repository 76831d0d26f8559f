/*
 * common/vm/hooks.c - the tables of I/O and MMIO hooks of the guest VM.
 */
#include "common/vm/hooks.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"

static void apply_io_intercepts(struct guest_vm *vm, const struct io_hook *h)
{
    struct vcpu *v = vm->boot_vcpu;
    if (!v || !v->arch)
        return;
    for (u32 p = h->port; p < (u32)h->port + h->count; p++)
        v->backend->set_io_intercept(v, (u16)p, true);
}

int io_hook_register(struct guest_vm *vm, u16 port, u16 count, io_hook_fn fn, void *ctx)
{
    if (!count || vm->n_io_hooks >= HOOKS_MAX || (u32)port + count > 0x10000)
        return -1;
    for (unsigned i = 0; i < vm->n_io_hooks; i++) {
        const struct io_hook *h = &vm->io_hooks[i];
        if (port < h->port + h->count && h->port < port + count)
            return -1;
    }
    struct io_hook *h = &vm->io_hooks[vm->n_io_hooks++];
    h->port = port;
    h->count = count;
    h->fn = fn;
    h->ctx = ctx;
    apply_io_intercepts(vm, h);
    return 0;
}

/*
 * The hook that holds the access's first port wins; otherwise the first whose
 * ports the access covers (a dword OUT two ports below a hooked register
 * exits too: the I/O bitmaps are checked for every byte of an access).
 */
const struct io_hook *io_hook_find(const struct guest_vm *vm, u16 port, u8 size)
{
    const struct io_hook *overlapping = NULL;
    for (unsigned i = 0; i < vm->n_io_hooks; i++) {
        const struct io_hook *h = &vm->io_hooks[i];
        if (port >= h->port && port - h->port < h->count)
            return h;
        if (!overlapping && (u32)port + size > h->port && port < (u32)h->port + h->count)
            overlapping = h;
    }
    return overlapping;
}

/* Called once the vCPU exists: program the intercepts of early hooks. */
void hooks_apply_io_intercepts(struct guest_vm *vm)
{
    for (unsigned i = 0; i < vm->n_io_hooks; i++)
        apply_io_intercepts(vm, &vm->io_hooks[i]);
}

/* Give back the pages [start, end) that are hooked (a failed registration's
 * first pages, or what an interrupted unregistration left). */
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

static void note_flush(struct guest_vm *vm)
{
    if (npt_take_flush(&vm->map) && vm->boot_vcpu)
        vm->boot_vcpu->flush_nested_tlb = true;
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
    if (!len || end <= start || vm->n_mmio_hooks >= HOOKS_MAX || !vm->map.root_pa)
        return -1;
    for (unsigned i = 0; i < vm->n_mmio_hooks; i++) {
        const struct mmio_hook *h = &vm->mmio_hooks[i];
        if (start < h->gpa + h->len && h->gpa < end)
            return -1;
    }
    for (u64 a = start; a < end; a += 4096) {
        enum npt_kind kind = npt_layout_kind_at(&vm->layout, a);
        /* Hooked already means hooked by someone else (the overlap test
         * covers registered hooks): refuse rather than share. */
        if (kind == NPT_KIND_VMM_PRIVATE || kind == NPT_KIND_HOOKED)
            return -1;
    }
    for (u64 a = start; a < end; a += 4096) {
        if (npt_hook_page(&vm->map, &vm->layout, a) != NPT_OK) {
            unhook_pages(vm, start, a);
            note_flush(vm);
            return -1;
        }
    }
    note_flush(vm);
    struct mmio_hook *h = &vm->mmio_hooks[vm->n_mmio_hooks++];
    h->gpa = start;
    h->len = end - start;
    h->fn = fn;
    h->ctx = ctx;
    return 0;
}

/* If some page cannot be mapped again (no table memory), the hook stays
 * registered over the pages still hooked, and a later call finishes. */
int mmio_hook_unregister(struct guest_vm *vm, u64 gpa)
{
    for (unsigned i = 0; i < vm->n_mmio_hooks; i++) {
        struct mmio_hook *h = &vm->mmio_hooks[i];
        if (h->gpa != gpa)
            continue;
        enum npt_status st = unhook_pages(vm, h->gpa, h->gpa + h->len);
        note_flush(vm);
        if (st != NPT_OK)
            return -1;
        vm->mmio_hooks[i] = vm->mmio_hooks[--vm->n_mmio_hooks];
        return 0;
    }
    return -1;
}

const struct mmio_hook *mmio_hook_find(const struct guest_vm *vm, u64 gpa)
{
    for (unsigned i = 0; i < vm->n_mmio_hooks; i++)
        if (gpa >= vm->mmio_hooks[i].gpa && gpa - vm->mmio_hooks[i].gpa < vm->mmio_hooks[i].len)
            return &vm->mmio_hooks[i];
    return NULL;
}
