/*
 * common/lib/cpuid_hide.c - clearing the feature bits a backend cannot give
 * the guest (chapter 15, "Gaps the checklist found").
 */
#include "common/lib/cpuid_hide.h"

void cpuid_hide_apply(const struct cpuid_hide *h, u32 leaf, u32 subleaf, struct cpuid_result *r)
{
    if (leaf == 0x80000001u)
        r->edx &= ~h->ext1_edx;
    else if (leaf == 7 && subleaf == 0)
        r->ebx &= ~h->leaf7_ebx;
    else if (leaf == 0xD && subleaf == 1)
        r->eax &= ~h->leafd1_eax;
}
