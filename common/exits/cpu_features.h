/**
 * @file common/exits/cpu_features.h
 * @brief The CR4 and EFER features of bookvisor's CPU and of the CPU the guest was told of (VMM only).
 *
 * Both are read from CPUID once, at start-up: the guest's through the CPUID
 * policy (common/exits/cpuid_policy.h), exactly as the guest would read
 * them, then cr_features_from_cpuid() (common/exits/cr_rules.h) turns the
 * answers into bit sets; an EFER bit CPUID announces but the CPU's WRMSR
 * refuses (Bochs 2.7: TCE on ryzen) is not the CPU's, nor the guest's,
 * and is tried once, fault-safe, here. The guest's set goes into the VM (struct
 * guest_vm, cr_features); the difference between the two tells the
 * intercept policy whether the CPU's own CR4 checks are the guest's.
 */
#ifndef BOOKVISOR_COMMON_EXITS_CPU_FEATURES_H
#define BOOKVISOR_COMMON_EXITS_CPU_FEATURES_H

#include "common/vm/cr_features.h"

/**
 * Read the CR4 and EFER features of the CPU this runs on.
 * @param for_guest true: as the guest sees CPUID (after the policy: no VMX,
 *                  no SVM); false: as the hardware answers
 * @param out       receives the two bit sets
 */
void cpu_features_read(bool for_guest, struct cr_features *out);

#endif
