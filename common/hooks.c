/*
 * common/hooks.c - the tables of I/O and MMIO hooks of the guest VM.
 */
#include "common/hooks.h"
#include "common/backend.h"
#include "common/guest_vm.h"

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

const struct io_hook *io_hook_find(const struct guest_vm *vm, u16 port)
{
    for (unsigned i = 0; i < vm->n_io_hooks; i++)
        if (port >= vm->io_hooks[i].port && port - vm->io_hooks[i].port < vm->io_hooks[i].count)
            return &vm->io_hooks[i];
    return NULL;
}

/* Called once the vCPU exists: program the intercepts of early hooks. */
void hooks_apply_io_intercepts(struct guest_vm *vm)
{
    for (unsigned i = 0; i < vm->n_io_hooks; i++)
        apply_io_intercepts(vm, &vm->io_hooks[i]);
}

int mmio_hook_register(struct guest_vm *vm, u64 gpa, u64 len, mmio_hook_fn fn, void *ctx)
{
    u64 start = ALIGN_DOWN(gpa, 4096);
    u64 end = ALIGN_UP(gpa + len, 4096);
    if (!len || end <= start || vm->n_mmio_hooks >= HOOKS_MAX)
        return -1;
    for (unsigned i = 0; i < vm->n_mmio_hooks; i++) {
        const struct mmio_hook *h = &vm->mmio_hooks[i];
        if (start < h->gpa + h->len && h->gpa < end)
            return -1;
    }
    for (u64 a = start; a < end; a += 4096)
        if (gpmap_layout_kind_at(&vm->layout, a) == GPMAP_KIND_VMM_PRIVATE)
            return -1;
    if (gpmap_layout_set(&vm->layout, start, end - start, GPMAP_KIND_HOOKED) != GPMAP_OK)
        return -1;
    if (vm->map.root_pa && gpmap_update_range(&vm->map, &vm->layout, start, end - start) != GPMAP_OK)
        return -1;
    if (gpmap_take_flush(&vm->map) && vm->boot_vcpu)
        vm->boot_vcpu->flush_nested_tlb = true;
    struct mmio_hook *h = &vm->mmio_hooks[vm->n_mmio_hooks++];
    h->gpa = start;
    h->len = end - start;
    h->fn = fn;
    h->ctx = ctx;
    return 0;
}

int mmio_hook_unregister(struct guest_vm *vm, u64 gpa)
{
    for (unsigned i = 0; i < vm->n_mmio_hooks; i++) {
        struct mmio_hook *h = &vm->mmio_hooks[i];
        if (h->gpa != gpa)
            continue;
        for (u64 a = h->gpa; a < h->gpa + h->len; a += 4096)
            if (gpmap_unhook_page(&vm->map, &vm->layout, a) != GPMAP_OK)
                return -1;
        if (gpmap_take_flush(&vm->map) && vm->boot_vcpu)
            vm->boot_vcpu->flush_nested_tlb = true;
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
