/*
 * common/vm/vm_nested.c - the VM's nested map under its lock.
 */
#include "common/vm/vm_nested.h"
#include "common/vm/vm_vcpus.h"

enum npt_fault_result guest_vm_nested_fault(struct guest_vm *vm, u64 gpa)
{
    spin_lock(&vm->npt_lock);
    vm->map.stats.nested_faults++;
    enum npt_fault_result r = npt_handle_fault(&vm->map, &vm->layout, gpa);
    guest_vm_nested_changed(vm);
    spin_unlock(&vm->npt_lock);
    return r;
}

bool guest_vm_nested_changed(struct guest_vm *vm)
{
    if (!npt_take_flush(&vm->map))
        return false;
    guest_vm_request_nested_flush(vm);
    if (guest_vm_shootdown_begin_fn) /* the others flush before this CPU's guest goes on */
        guest_vm_shootdown_begin_fn(vm);
    return true;
}

void (*guest_vm_shootdown_begin_fn)(struct guest_vm *vm);

bool guest_vm_test_unmap_page(struct guest_vm *vm, u64 gpa, bool query)
{
    bool ok;
    spin_lock(&vm->npt_lock);
    if (query) {
        ok = npt_translate(&vm->map, gpa, NULL, NULL);
    } else {
        ok = npt_layout_kind_at(&vm->layout, gpa) == NPT_KIND_RAM &&
             npt_unmap_page(&vm->map, gpa) == NPT_OK;
        guest_vm_nested_changed(vm);
    }
    spin_unlock(&vm->npt_lock);
    return ok;
}
