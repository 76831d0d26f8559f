/**
 * @file arch/svm/svm_usable.h
 * @brief Can this CPU host bookvisor with AMD-V, and if not, why not (pure logic).
 *
 * The one decision svm_probe() takes before it claims the machine: the
 * capabilities decoded by svm_caps_decode() and the VM_CR MSR in, one verdict
 * out, with the exact sentence that tells the user why (lab 1 part 2,
 * labs/lab1/README.md). Testable on the host with any CPU's values.
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_USABLE_H
#define BOOKVISOR_ARCH_SVM_SVM_USABLE_H

#include "arch/svm/svm_caps.h"
#include "common/lib/types.h"

/** @name VM_CR bits (AMD APM vol. 2, "VM_CR MSR") */
/** @{ */
#define SVM_VM_CR_LOCK (1ull << 3)   /**< LOCK: SVMDIS (and LOCK) are read-only until reset */
#define SVM_VM_CR_SVMDIS (1ull << 4) /**< SVMDIS: EFER.SVME cannot be set */
/** @} */

/** ASIDs bookvisor needs: ASID 0 is the host's, so one more for a guest. */
#define SVM_MIN_ASIDS 2u

/** The verdict of svm_usable(), first failing reason in this order. */
enum svm_verdict {
    SVM_USABLE,                /**< bookvisor can run a guest with AMD-V */
    SVM_NO_SVM,                /**< CPUID 8000_0001h ECX bit 2 is clear */
    SVM_DISABLED_LOCKED,       /**< VM_CR.SVMDIS set and VM_CR.LOCK set: off until reset */
    SVM_DISABLED_UNLOCKED,     /**< VM_CR.SVMDIS set, LOCK clear: the firmware's choice, kept */
    SVM_NO_NPT,                /**< no nested paging (CPUID 8000_000Ah EDX bit 0) */
    SVM_TOO_FEW_ASIDS,         /**< fewer than SVM_MIN_ASIDS ASIDs */
};

/**
 * Decide whether bookvisor can run its guest on this CPU with AMD-V.
 *
 * The reasons are checked in the order of enum svm_verdict, and the first
 * that applies is returned: a CPU without SVM is SVM_NO_SVM whatever else
 * it reports.
 * @param caps  what svm_caps_decode() made of CPUID and VM_CR
 * @param vm_cr the VM_CR MSR as read (0 when the CPU has no SVM)
 * @return SVM_USABLE, or the reason it is not
 */
enum svm_verdict svm_usable(const struct svm_caps *caps, u64 vm_cr);

/**
 * The sentence that explains a verdict, for the "no usable virtualization
 * support" report (labs/lab1/README.md lists them all).
 * @return a constant string; "usable" for SVM_USABLE, "unknown verdict" for
 *         a value outside the enum
 */
const char *svm_verdict_message(enum svm_verdict v);

#endif
