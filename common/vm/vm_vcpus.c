/*
 * common/vm/vm_vcpus.c - the list of a VM's vCPUs.
 */
#include "common/vm/vm_vcpus.h"

bool guest_vm_attach_vcpu(struct guest_vm *vm, struct vcpu *v)
{
    spin_lock(&vm->vcpus_lock);
    unsigned n = vm->n_vcpus;
    if (n >= GUEST_VM_MAX_VCPUS) {
        spin_unlock(&vm->vcpus_lock);
        return false;
    }
    v->vm = vm;
    v->backend = vm->backend;
    v->id = n;
    v->shootdown.requested = &vm->shootdown_requested;
    vm->vcpus[n] = v;
    __atomic_store_n(&vm->n_vcpus, n + 1, __ATOMIC_RELEASE); /* the entry first, then the count */
    spin_unlock(&vm->vcpus_lock);
    return true;
}

void guest_vm_request_nested_flush(struct guest_vm *vm)
{
    unsigned n = guest_vm_vcpu_count(vm);
    for (unsigned i = 0; i < n; i++)
        vcpu_request_nested_flush(vm->vcpus[i]);
    shootdown_request(&vm->shootdown_requested); /* after every bit: chapter 08, "Shootdown" */
}
