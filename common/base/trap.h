/**
 * @file common/base/trap.h
 * @brief What a trap taken by the VMM means (VMM only).
 *
 * arch/x86/isr.S sends every vector to trap_dispatch() in common/base/trap.c:
 * interrupts in a window go to the VMM's handlers or to the guest, the
 * fault-safe instructions get their fixup, everything else is a VMM bug and
 * panics. This header holds what other layers tell the dispatcher.
 */
#ifndef BOOKVISOR_COMMON_BASE_TRAP_H
#define BOOKVISOR_COMMON_BASE_TRAP_H

#include "common/lib/types.h"

/**
 * A host address at which a single-step \#DB (DR6.BS) belongs to the guest:
 * the instruction right after a backend's entry instruction (VMRUN). Bochs'
 * AMD-V model keeps the single-step trap of an intercepted guest
 * instruction pending across the \#VMEXIT and delivers it to the host there
 * (chapter 03); the dispatcher ignores it, since the exit path already gives
 * the guest its \#DB. Call while bookvisor starts (read without a lock).
 */
void trap_note_guest_step_site(const void *rip);

#endif
