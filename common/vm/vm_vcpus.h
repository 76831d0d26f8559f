/**
 * @file common/vm/vm_vcpus.h
 * @brief The vCPUs a VM holds: an append-only list, and requests to all of them (pure).
 *
 * A vCPU joins its VM with guest_vm_attach_vcpu() and stays for the VM's
 * life, at the same index. Appends are serialised by vm->vcpus_lock; the
 * count is published after the entry (release), so readers walk the list
 * with no lock at all and see only complete entries.
 */
#ifndef BOOKVISOR_COMMON_VM_VM_VCPUS_H
#define BOOKVISOR_COMMON_VM_VM_VCPUS_H

#include "common/vm/guest_vm.h"

/**
 * Add v to vm: v->vm and v->backend are set, v->id becomes its index.
 * @return false (nothing changed) when vm holds GUEST_VM_MAX_VCPUS already
 */
bool guest_vm_attach_vcpu(struct guest_vm *vm, struct vcpu *v);

/** How many vCPUs vm holds (each at index 0 to the count minus 1). */
static inline unsigned guest_vm_vcpu_count(const struct guest_vm *vm)
{
    return __atomic_load_n(&vm->n_vcpus, __ATOMIC_ACQUIRE);
}

/**
 * Ask every vCPU of vm for a nested TLB flush before its next entry: the
 * nested map they share changed. Then count the change
 * (vm->shootdown_requested): a vCPU acknowledges the count it read before
 * its flush, and a CPU that waits for the others' flushes
 * (common/vm/vm_shootdown.h) waits for that count.
 */
void guest_vm_request_nested_flush(struct guest_vm *vm);

#endif
