/**
 * @file common/vm/vcpu_selftest.h
 * @brief test.vcpus: prove that each backend operation acts on the vCPU it is given (VMM only).
 *
 * A test aid for the emulator test `vcpus` (tests/emu/vcpus.test). With
 * vCPU 0 made and ready, it makes count - 1 more vCPUs, each from vCPU 0's
 * initial state with the registers it checks changed (they are never run), then reads and writes their
 * registers through the backend operations, going back and forth between
 * vCPUs, and checks every value. On VT-x this is the test of the VMCS
 * current-pointer discipline: VMREAD and VMWRITE act on whatever VMCS is
 * current, so an operation that did not make its vCPU's VMCS current first
 * would read or write another vCPU (chapter 04).
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_SELFTEST_H
#define BOOKVISOR_COMMON_VM_VCPU_SELFTEST_H

#include "common/vm/guest_vm.h"

/**
 * Run the test on vm, whose vCPU 0 exists with its native state, made from
 * base, with count vCPUs in all; then vCPU 0's VMCS/VMCB may be anything but current. Prints
 * `bookvisor: test.vcpus: ...` with the outcome; after a failed check it
 * stops the machine with a failure status. A count below 2 or above
 * GUEST_VM_MAX_VCPUS is reported and nothing is tested.
 */
void vcpu_selftest_run(struct guest_vm *vm, const struct vcpu_init_state *base, u64 count);

#endif
