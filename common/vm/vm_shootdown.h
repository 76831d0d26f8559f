/**
 * @file common/vm/vm_shootdown.h
 * @brief Cross-processor flushes of the shared nested map, by NMI (VMM only; chapter 08, "Shootdown").
 *
 * A CPU that changes the nested map in a way that needs a flush asks every
 * vCPU for one (guest_vm_request_nested_flush()) and raises the VM's
 * request counter (guest_vm_shootdown_begin(), under npt_lock). Before its
 * own guest runs again (VCPU_WORK_SHOOTDOWN, in the hook before entry, no
 * lock held) it waits until every other vCPU has flushed for that request,
 * sending an NMI to the CPU of each that has not: in the guest, the NMI
 * exits (VT-x's NMI exiting; AMD-V's NMI intercept) and the hook before
 * the next entry flushes and acknowledges. The bookkeeping is pure
 * (common/lib/shootdown.h).
 */
#ifndef BOOKVISOR_COMMON_VM_VM_SHOOTDOWN_H
#define BOOKVISOR_COMMON_VM_VM_SHOOTDOWN_H

#include "common/vm/guest_vm.h"

/** How long a CPU waits for another's flush before it says so and goes on. */
#define SHOOTDOWN_TIMEOUT_US 200000

/**
 * With vm->npt_lock held, after guest_vm_request_nested_flush() (which
 * counted the change): make the calling CPU's vCPU, if it has one and the
 * VM has others, wait for the other vCPUs' flushes before its next entry.
 */
void guest_vm_shootdown_begin(struct guest_vm *vm);

/**
 * The owner of v, out of guest mode with the hook before entry still to
 * pass (halted for the guest, waiting for another CPU): acknowledge every
 * request made so far, whose flush is due before v's next entry.
 */
void vcpu_shootdown_idle(struct vcpu *v);

/** v will never run guest code again (a processor parked for good): never wait for it. */
void vcpu_shootdown_retire(struct vcpu *v);

/**
 * An NMI exited v's guest: was it a shootdown's (nothing for the guest)?
 * False: it is the guest's.
 */
bool vcpu_shootdown_nmi_ours(struct vcpu *v);

/** Install the wait of the hook before entry (vcpu_shootdown_wait); once, at boot. */
void vm_shootdown_init(void);

#endif
