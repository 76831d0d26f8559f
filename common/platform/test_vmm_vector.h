/**
 * @file common/platform/test_vmm_vector.h
 * @brief A VMM vector for tests (option test.vmm_vector; chapter 08, "VMM vectors").
 *
 * With the option, bookvisor registers TEST_VMM_VECTOR with irq_register()
 * before the guest starts, which turns on external-interrupt exiting; its
 * handler counts the interrupts. Two hypercalls (common/exits/hypercall.h)
 * let the test guest send the VMM an interrupt on it (a self-IPI through
 * the local APIC, arch/x86/lapic.h) and read the count.
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_TEST_VMM_VECTOR_H
#define BOOKVISOR_COMMON_PLATFORM_TEST_VMM_VECTOR_H

#include "common/lib/types.h"

/** The vector the test registers (in the VMM's range, 0x10-0x1F). */
#define TEST_VMM_VECTOR 0x1E

/** Register the test vector; prints a line either way. */
void test_vmm_vector_install(void);

/** Send this CPU an interrupt on the test vector. @return false when the local APIC is off */
bool test_vmm_vector_send(void);

/** Interrupts the test vector's handler has counted. */
u64 test_vmm_vector_count(void);

#endif
