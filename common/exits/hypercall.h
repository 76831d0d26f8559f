/**
 * @file common/exits/hypercall.h
 * @brief bookvisor's hypercall ABI (VMCALL on VT-x, VMMCALL on AMD-V).
 *
 * EAX holds the function number; results come back in registers. Only
 * CPL 0 may call; elsewhere the instruction raises \#UD as on bare metal.
 * Unknown functions return EAX = 0xFFFFFFFF. tests/guest/README.md is the
 * guest side of this contract.
 */
#ifndef BOOKVISOR_COMMON_EXITS_HYPERCALL_H
#define BOOKVISOR_COMMON_EXITS_HYPERCALL_H

/** EAX = 'book' (0x6B6F6F62), EBX = EBX + 1. */
#define HC_PING 0
/** EAX/EDX = VMM region base low/high, ECX = its size in KiB. */
#define HC_VMM_RANGE 1
/** EAX = 1 when the VMM's canary is intact, else 0. */
#define HC_CHECK_CANARY 2
/** EAX = guest-physical address of the MMIO test page, 0 when not hooked. */
#define HC_TEST_PAGE 3
/** Unhook the MMIO test page (it becomes RAM again); EAX = 1 if it was hooked. */
#define HC_TEST_PAGE_UNHOOK 4
/** Reply of HC_PING. */
#define HC_PING_MAGIC 0x6B6F6F62u
/** Reply to an unknown function. */
#define HC_UNKNOWN 0xFFFFFFFFu

#endif
