/**
 * @file common/vm/cr_features.h
 * @brief Which CR4 and EFER bits a CPU has (pure; chapter 02, "Control registers").
 *
 * A bit a CPU lacks is reserved: writing it raises \#GP. The VM keeps the
 * set of the CPU the guest was told of (struct guest_vm, cr_features), made
 * once from the CPUID answers bookvisor gives (cr_features_from_cpuid() in
 * common/exits/cr_rules.h); the rules of common/exits/cr_rules.h and the
 * VT-x CR4 guest/host mask read it.
 */
#ifndef BOOKVISOR_COMMON_VM_CR_FEATURES_H
#define BOOKVISOR_COMMON_VM_CR_FEATURES_H

#include "common/lib/types.h"

/** The CR4 and EFER bits a CPU has: 1 = the bit exists and may be set. */
struct cr_features {
    u64 cr4;  /**< CR4 bits (for the guest never VMXE: it was told there is no VMX) */
    u64 efer; /**< EFER bits, LMA included (for the guest never SVME: no SVM) */
};

#endif
