/**
 * @file tests/guest/hypercall.h
 * @brief Calls into bookvisor with VMMCALL (AMD) or VMCALL (Intel).
 *
 * ABI (the contract with the VMM, see README.md): EAX = function number,
 * EBX/ECX/EDX = arguments; the VMM may change EAX, EBX, ECX and EDX and
 * preserves every other register. Unknown functions return EAX = ~0.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include "gtypes.h"
#include "trap.h"

/** Hypercall function numbers (EAX on entry). */
enum bookvisor_hypercall {
    /** Out: EAX = 0x6B6F6F62 ("book"), EBX = EBX on entry + 1. */
    BOOKVISOR_HC_PING = 0,
    /** Out: EAX/EDX = VMM physical base low/high, ECX = size in KiB. */
    BOOKVISOR_HC_VMM_RANGE = 1,
    /** Out: EAX = 1 if the VMM's canary is intact, else 0. */
    BOOKVISOR_HC_CHECK_CANARY = 2,
    /** EAX = guest-physical address of the MMIO test page, 0 if none. */
    BOOKVISOR_HC_TEST_PAGE = 3,
    /** Unhook the test page (RAM again); EAX = 1 if it was hooked. */
    BOOKVISOR_HC_TEST_PAGE_UNHOOK = 4,
    /** test.events: EBX = page, ECX = 0 unmap it from the nested map (EAX = 1 done), 1 is it mapped. */
    BOOKVISOR_HC_TEST_NESTED_PAGE = 5,
    /** test.events: the next nested page fault that maps a page raises \#GP(0) too. */
    BOOKVISOR_HC_TEST_GP_ON_NEXT_NPF = 6,
    /** test.events: queue external interrupt EBX for this guest. */
    BOOKVISOR_HC_TEST_QUEUE_INTERRUPT = 7,
    /** test.events: queue an NMI for this guest. */
    BOOKVISOR_HC_TEST_QUEUE_NMI = 8,
    /** test.vmm_vector: the VMM sends itself an interrupt on its vector; EAX = 1 if sent. */
    BOOKVISOR_HC_TEST_VMM_IPI = 9,
    /** test.vmm_vector: EAX = interrupts the VMM counted on its vector. */
    BOOKVISOR_HC_TEST_VMM_IRQ_COUNT = 10,
    /** EAX/EDX = bookvisor's clock in microseconds (low, high). */
    BOOKVISOR_HC_CLOCK = 12,
    /** test.timer: EAX = runs of the VMM's 10 ms test timer. */
    BOOKVISOR_HC_TEST_TIMER_COUNT = 13,
    /** test.timer: EAX = the worst lateness (us) of the test timer's runs since the last such call. */
    BOOKVISOR_HC_TEST_TIMER_LATE = 14,
};

/** EAX returned by BOOKVISOR_HC_PING. */
#define BOOKVISOR_PING_MAGIC 0x6B6F6F62u
/** EAX returned for an unknown function number. */
#define BOOKVISOR_HC_UNKNOWN 0xFFFFFFFFu

/** Register image passed to and returned from a hypercall. */
struct hypercall_regs {
    u32 eax; /**< in: function; out: result */
    u32 ebx; /**< in/out */
    u32 ecx; /**< in/out */
    u32 edx; /**< in/out */
};

/**
 * Issue the hypercall described by @p regs, results written back into it.
 * @return false if the instruction raised #UD (no hypervisor listening).
 */
bool hypercall(struct hypercall_regs *regs);

/** Forget an earlier #UD recorded by the step-over hook. */
void hypercall_clear_fault(void);

/** Did a 3-byte 0F 01 xx instruction raise #UD since hypercall_clear_fault()? */
bool hypercall_faulted_last(void);

/** "VMMCALL" on AMD/Hygon CPUs, "VMCALL" otherwise. */
const char *hypercall_insn_name(void);

/**
 * #UD hook for trap_dispatch(): if @p frame faulted on VMCALL or VMMCALL,
 * note it and step over the 3-byte instruction.
 * @return true if handled.
 */
bool hypercall_step_over_ud(struct trap_frame *frame);

#endif
