/*
 * arch/svm/svm_pages.c - no page written by AMD-V on its own has two jobs.
 */
#include "arch/svm/svm_pages.h"

bool svm_pages_distinct(const struct svm_page *pages, size_t n, size_t *a, size_t *b)
{
    /* A handful of uses per vCPU and processor: the quadratic scan is fine. */
    for (size_t i = 0; i < n; i++) {
        if (pages[i].pa == 0 || (pages[i].pa & 0xFFF)) {
            *a = *b = i;
            return false;
        }
        for (size_t j = 0; j < i; j++)
            if (pages[j].pa == pages[i].pa) {
                *a = j;
                *b = i;
                return false;
            }
    }
    return true;
}

const char *svm_page_kind_name(enum svm_page_kind kind)
{
    switch (kind) {
    case SVM_PAGE_HOST_SAVE: return "host save area";
    case SVM_PAGE_HOST_VMCB: return "host VMCB";
    case SVM_PAGE_VMCB: return "VMCB";
    }
    return "page";
}
