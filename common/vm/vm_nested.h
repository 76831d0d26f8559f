/**
 * @file common/vm/vm_nested.h
 * @brief The nested map all vCPUs of a VM share, changed under its lock (pure).
 *
 * The nested page tables, the layout they follow (with its MTRR snapshot)
 * and the pool of table pages belong to the VM, not to a vCPU: a fault of
 * any vCPU, a hook, an MTRR write may change them. Each change happens with
 * vm->npt_lock held, and ends with guest_vm_nested_changed(), which turns
 * "a present entry changed" into a flush request to every vCPU.
 */
#ifndef BOOKVISOR_COMMON_VM_VM_NESTED_H
#define BOOKVISOR_COMMON_VM_VM_NESTED_H

#include "common/vm/guest_vm.h"

/**
 * A nested page fault at gpa, from any vCPU of vm: counted, and handled by
 * the map builder (npt_handle_fault()) under vm->npt_lock.
 * @return what the address is (mapped now, hooked, VMM memory, ...)
 */
enum npt_fault_result guest_vm_nested_fault(struct guest_vm *vm, u64 gpa);

/**
 * Test aid (test.events): make the page holding gpa not present in the
 * nested map, or only say whether it is mapped (@p query), under
 * vm->npt_lock; the page faults back in at its next access.
 * @return query: whether it is mapped; else whether it was unmapped
 *         (false for VMM memory and addresses no guest RAM is at)
 */
bool guest_vm_test_unmap_page(struct guest_vm *vm, u64 gpa, bool query);

/**
 * With vm->npt_lock held, after changing the map: if a present entry changed,
 * ask every vCPU for a nested TLB flush, and make the calling CPU's vCPU
 * wait for the others' before its guest goes on (guest_vm_shootdown_begin_fn).
 * @return whether a flush was asked.
 */
bool guest_vm_nested_changed(struct guest_vm *vm);

/**
 * common/vm/vm_shootdown.c's guest_vm_shootdown_begin(), installed at boot
 * (vm_shootdown_init()); NULL in host tests, where no other CPU runs.
 */
extern void (*guest_vm_shootdown_begin_fn)(struct guest_vm *vm);

#endif
