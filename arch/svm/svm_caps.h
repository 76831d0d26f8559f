/**
 * @file arch/svm/svm_caps.h
 * @brief AMD-V feature decoding (pure, host-testable).
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_CAPS_H
#define BOOKVISOR_ARCH_SVM_SVM_CAPS_H

#include "common/lib/types.h"

/** What the CPU's SVM implementation offers (CPUID 8000_000Ah). */
struct svm_caps {
    bool svm;            /**< CPUID 8000_0001h ECX bit 2 */
    bool disabled_by_bios; /**< VM_CR.SVMDIS set: firmware turned SVM off */
    u32 revision;        /**< SVM revision (EAX[7:0]) */
    u32 nasid;           /**< number of ASIDs (EBX) */
    bool npt;            /**< nested paging (EDX bit 0) */
    bool lbr_virt;       /**< LBR virtualization (bit 1) */
    bool svm_lock;       /**< SVM lock (bit 2) */
    bool nrip_save;      /**< next-RIP save on \#VMEXIT (bit 3) */
    bool tsc_rate;       /**< TSC rate MSR (bit 4) */
    bool vmcb_clean;     /**< VMCB clean bits (bit 5) */
    bool flush_by_asid;  /**< TLB flush by ASID (bit 6) */
    bool decode_assists; /**< decode assists (bit 7) */
    bool pause_filter;   /**< pause-intercept filter (bit 10) */
    bool avic;           /**< AVIC (bit 13) */
    bool vgif;           /**< virtual GIF (bit 16) */
};

/**
 * Decode the SVM capabilities from raw CPUID/MSR values.
 * @param ext1_ecx  CPUID 8000_0001h ECX
 * @param leaf_a    CPUID 8000_000Ah EAX, EBX, ECX, EDX (ignored if !svm)
 * @param vm_cr     MSR VM_CR (C001_0114h)
 * @param out       receives the decoded capabilities
 */
void svm_caps_decode(u32 ext1_ecx, const u32 leaf_a[4], u64 vm_cr, struct svm_caps *out);

/** Write the banner feature list (e.g. "npt nrips decode asid=16") into buf. */
void svm_caps_features(const struct svm_caps *c, char *buf, size_t size);

#endif
