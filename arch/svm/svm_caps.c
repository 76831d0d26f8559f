/*
 * arch/svm/svm_caps.c - what AMD-V can do on this CPU.
 */
#include "arch/svm/svm_caps.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

void svm_caps_decode(u32 ext1_ecx, const u32 leaf_a[4], u64 vm_cr, struct svm_caps *out)
{
    KSTR(memset)(out, 0, sizeof(*out));
    /* LAB 1 BEGIN: decode the AMD-V capabilities (CPUID 8000_000Ah, VM_CR) */
    out->svm = (ext1_ecx >> 2) & 1;
    if (!out->svm)
        return;
    out->disabled_by_bios = (vm_cr >> 4) & 1; /* VM_CR.SVMDIS */
    out->revision = leaf_a[0] & 0xFF;
    out->nasid = leaf_a[1];
    u32 edx = leaf_a[3];
    out->npt = edx & 1;
    out->lbr_virt = (edx >> 1) & 1;
    out->svm_lock = (edx >> 2) & 1;
    out->nrip_save = (edx >> 3) & 1;
    out->tsc_rate = (edx >> 4) & 1;
    out->vmcb_clean = (edx >> 5) & 1;
    out->flush_by_asid = (edx >> 6) & 1;
    out->decode_assists = (edx >> 7) & 1;
    out->pause_filter = (edx >> 10) & 1;
    out->avic = (edx >> 13) & 1;
    out->vgif = (edx >> 16) & 1;
    /* LAB 1 END */
}

void svm_caps_features(const struct svm_caps *c, char *buf, size_t size)
{
    ksnprintf(buf, size, "%s%s%s%s%sasid=%u", c->npt ? "npt " : "",
              c->nrip_save ? "nrips " : "", c->decode_assists ? "decode " : "",
              c->vmcb_clean ? "clean " : "", c->flush_by_asid ? "flushasid " : "",
              (unsigned)c->nasid);
}
