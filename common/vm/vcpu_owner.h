/**
 * @file common/vm/vcpu_owner.h
 * @brief A vCPU belongs to the CPU that created it (VMM only).
 *
 * A backend's vcpu_init() runs on some CPU and records it in v->cpu. From
 * then on only that CPU may run the vCPU or use its native state: a VMCS can
 * be current on one CPU only, and a VMCB a guest runs on may be cached by the
 * CPU running it. Backend operations that use the native state check the
 * caller with vcpu_assert_own_cpu(); any other CPU is a VMM bug, and it
 * panics with a message naming both CPUs. (The intercept operations touch
 * only the permission bitmaps, memory any CPU may write: common/vm/backend.h.)
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_OWNER_H
#define BOOKVISOR_COMMON_VM_VCPU_OWNER_H

#include "arch/x86/percpu.h"
#include "common/vm/vcpu.h"

/** Panic: backend operation op was called for v on a CPU that does not own it. */
__attribute__((noreturn, cold)) void vcpu_wrong_cpu(const struct vcpu *v, const char *op);

/** Panic unless the calling CPU owns v (op names the operation in the message). */
static inline void vcpu_assert_own_cpu(const struct vcpu *v, const char *op)
{
    if (__builtin_expect(v->cpu != this_cpu(), 0))
        vcpu_wrong_cpu(v, op);
}

#endif
