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
/**
 * Test aid (test.events): EBX = a guest-physical address of guest RAM.
 * ECX = 0: make its 4 KiB page not present in the nested map (its next
 * access is a nested page fault that maps it again); EAX = 1 if done.
 * ECX = 1: EAX = 1 if the page is mapped now.
 */
#define HC_TEST_NESTED_PAGE 5
/** Test aid (test.events): the next nested page fault that maps a page also raises \#GP(0); EAX = 1. */
#define HC_TEST_GP_ON_NEXT_NPF 6
/** Test aid (test.events): queue external interrupt EBX (16-255) for the guest; EAX = 1. */
#define HC_TEST_QUEUE_INTERRUPT 7
/** Test aid (test.events): queue an NMI for the guest; EAX = 1. */
#define HC_TEST_QUEUE_NMI 8
/** Test aid (test.vmm_vector): the VMM sends itself an interrupt on its test vector; EAX = 1 if sent. */
#define HC_TEST_VMM_IPI 9
/** Test aid (test.vmm_vector): EAX = interrupts counted on the VMM's test vector. */
#define HC_TEST_VMM_IRQ_COUNT 10
/**
 * BIOS chain boot failed (common/loader/bios_boot.h): the real-mode
 * start-up could not read the boot drive (EBX = the INT 13h status) or
 * found no boot signature (EBX = 0x100). Stops the guest with a message.
 */
#define HC_BIOS_BOOT_FAILED 11
/** EAX/EDX = bookvisor's clock (common/base/clock.h) in microseconds, low/high. */
#define HC_CLOCK 12
/** Test aid (test.timer, test.timer_thread): EAX = runs of the VMM's 10 ms test timer so far. */
#define HC_TEST_TIMER_COUNT 13
/**
 * Test aid (test.timer, test.timer_thread): EAX = the worst lateness in
 * microseconds of the test timer's runs since the previous
 * HC_TEST_TIMER_LATE (which starts it again).
 */
#define HC_TEST_TIMER_LATE 14
/** Reply of HC_PING. */
#define HC_PING_MAGIC 0x6B6F6F62u
/** Reply to an unknown function. */
#define HC_UNKNOWN 0xFFFFFFFFu

#endif
