/**
 * @file arch/svm/svm_usable.c
 * @brief Whether AMD-V on this CPU can host bookvisor (pure logic, lab 1 part 2).
 */
#include "arch/svm/svm_usable.h"

enum svm_verdict svm_usable(const struct svm_caps *caps, u64 vm_cr)
{
    /* LAB 1 BEGIN: part 2: decide whether AMD-V can host bookvisor, and why not */
    /* LAB 1 FALLBACK: return caps->svm ? SVM_USABLE : SVM_NO_SVM; */
    if (!caps->svm)
        return SVM_NO_SVM;
    /* bookvisor does not clear an unlocked SVMDIS: the firmware set it on
     * purpose, and the user can change the setting where it was made. */
    if (caps->disabled_by_bios)
        return (vm_cr & SVM_VM_CR_LOCK) ? SVM_DISABLED_LOCKED : SVM_DISABLED_UNLOCKED;
    if (!caps->npt)
        return SVM_NO_NPT;
    if (caps->nasid < SVM_MIN_ASIDS)
        return SVM_TOO_FEW_ASIDS;
    return SVM_USABLE;
    /* LAB 1 END */
}

const char *svm_verdict_message(enum svm_verdict v)
{
    switch (v) {
    case SVM_USABLE:
        return "usable";
    case SVM_NO_SVM:
        return "the CPU has no SVM (CPUID 8000_0001h ECX bit 2)";
    case SVM_DISABLED_LOCKED:
        return "SVM is disabled by the firmware and locked (VM_CR.SVMDIS, VM_CR.LOCK)";
    case SVM_DISABLED_UNLOCKED:
        return "SVM is disabled by the firmware (VM_CR.SVMDIS); enable it in the firmware setup";
    case SVM_NO_NPT:
        return "SVM without nested paging is not supported";
    case SVM_TOO_FEW_ASIDS:
        return "SVM has fewer than 2 ASIDs: none left for a guest";
    }
    return "unknown verdict";
}
