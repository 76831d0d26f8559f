/*
 * common/exits/apic_base.c - the pages the guest's local APIC may cover.
 */
#include "common/exits/apic_base.h"

u64 apic_base_address(u64 value, u8 maxphyaddr)
{
    u64 width_mask = maxphyaddr >= 64 ? ~0ULL : (1ULL << maxphyaddr) - 1;
    return value & width_mask & ~0xFFFULL;
}

const char *apic_base_write_fault(u64 value, enum npt_kind page_kind)
{
    /* Disabled, or in x2APIC mode (registers through MSRs only): no page is
     * decoded; the page is checked when xAPIC mode comes back (EN set, EXTD clear). */
    if (!(value & APIC_BASE_EN) || (value & APIC_BASE_EXTD))
        return NULL;
    switch (page_kind) {
    case NPT_KIND_RAM:
    case NPT_KIND_MMIO:
        return NULL;
    case NPT_KIND_VMM_PRIVATE:
        return "the local APIC over bookvisor's memory";
    case NPT_KIND_HOOKED:
        return "the local APIC over a page bookvisor intercepts";
    case NPT_KIND_NOT_BACKED:
    default:
        return "the local APIC over a physical address the guest has no access to";
    }
}
