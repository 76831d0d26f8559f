/**
 * @file arch/svm/svm_pages.h
 * @brief The pages AMD-V writes on its own: no two uses may share one (pure).
 *
 * VMRUN stores the host's state, in VMCB layout, into the page VM_HSAVE_PA
 * names; VMSAVE stores into the host VMCB; \#VMEXIT stores the guest's state
 * into its VMCB. A page with two of these jobs would have one overwrite the
 * other: a guest VMCB that is also a host save area hands its guest
 * bookvisor's own state (RIP after VMRUN, bookvisor's CR3) at the next
 * entry. svm_vcpu_init() checks every vCPU's VMCB against every processor's
 * pages with svm_pages_distinct() (chapter 08, "Linux on two processors").
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_PAGES_H
#define BOOKVISOR_ARCH_SVM_SVM_PAGES_H

#include "common/lib/types.h"

/** What a page is used for. */
enum svm_page_kind {
    SVM_PAGE_HOST_SAVE, /**< a processor's host save area (VM_HSAVE_PA) */
    SVM_PAGE_HOST_VMCB, /**< a processor's host VMCB (VMSAVE/VMLOAD) */
    SVM_PAGE_VMCB,      /**< a vCPU's guest VMCB */
};

/** One use of a page. */
struct svm_page {
    u64 pa;                  /**< physical address of the page */
    enum svm_page_kind kind; /**< what it is used for */
    u32 owner;               /**< the processor's index, or the vCPU's id for a VMCB */
};

/**
 * Do the uses name different pages, each one page-aligned and not 0?
 * @param pages the uses
 * @param n     how many
 * @param a     on false: the index of the first bad use
 * @param b     on false: the index of the use that shares its page (== *a: it is itself bad)
 * @return true when every use has a page of its own
 */
bool svm_pages_distinct(const struct svm_page *pages, size_t n, size_t *a, size_t *b);

/** A name for a kind of use ("host save area", "host VMCB", "VMCB"). */
const char *svm_page_kind_name(enum svm_page_kind kind);

#endif
