/**
 * @file common/exits/bios_int15.h
 * @brief bookvisor answers the BIOS's memory-size calls itself (VMM only; chapter 12).
 *
 * The BIOS does not know bookvisor: asked for the memory map (INT 15h,
 * E820h, E801h, 88h), it reports bookvisor's range as RAM, and an operating
 * system that asks from real mode (Xen's trampoline, a boot loader started
 * by BIOS chain boot) would try to use it. So before the guest starts,
 * bookvisor points the real-mode interrupt table's INT 15h entry at a stub of
 * 21 bytes in the last KiB of conventional memory (which it takes from the
 * BIOS data area's memory size, as boot-time programs always have): a
 * hypercall with a mark in EBP (saved and restored around it), then an IRET,
 * or a far jump to the BIOS's own handler.
 *
 * The hypercall exits; bookvisor sees that it came from the stub (the mark,
 * real mode, the stub's address) and answers E820h, E801h and 88h from the guest's
 * memory map (common/base/bios_memmap.h), the same map the guest's boot
 * information holds, with the carry flag in the caller's saved FLAGS; the
 * IRET returns. Every other function goes on to the far jump: the BIOS
 * answers it as before. A guest may change the vector back (it only loses
 * the corrected answers); the stub holds nothing bookvisor needs.
 */
#ifndef BOOKVISOR_COMMON_EXITS_BIOS_INT15_H
#define BOOKVISOR_COMMON_EXITS_BIOS_INT15_H

#include "common/base/vmm_layout.h"
#include "common/vm/guest_vm.h"

/**
 * Where the stub will go: read the BIOS data area's conventional-memory
 * size. Call before the guest's memory map is built, which must reserve
 * the KiB returned.
 * @param hole receives the stub's KiB as a reserved range (length 0 when
 *             the BIOS data area holds no believable size: then nothing is
 *             installed, and the log says so)
 */
void bios_int15_plan(struct phys_range *hole);

/**
 * Install the stub planned by bios_int15_plan(): write it, point INT 15h at
 * it, lower the conventional-memory size by its KiB. Answers come from
 * vm->memory_map, which must be set.
 */
void bios_int15_install(struct guest_vm *vm, const struct phys_range *hole);

/** Is this VMCALL/VMMCALL exit the stub's? (Real mode, at the stub's address.) */
bool bios_int15_is_stub_call(struct vcpu *v);

/**
 * Answer the call the stub made: E820h, E801h and 88h here (EXIT_SKIP: on
 * to the IRET), anything else on to the BIOS (EXIT_RESUME at the far jump).
 */
enum exit_action bios_int15_answer(struct vcpu *v);

#endif
