/**
 * @file tests/guest/check_vmm_range.c
 * @brief The VMM's own memory is out of the guest's map and out of reach.
 *
 * bookvisor tells the guest where it lives (BOOKVISOR_HC_VMM_RANGE). The
 * guest checks that no available map entry overlaps it, then pokes 0xCC
 * into its first and last MiB: every read, before and after, must give all
 * ones (the empty bus). Surviving that, and the VMM reporting its canary
 * intact (BOOKVISOR_HC_CHECK_CANARY), is the pass.
 */
#include "check.h"
#include "hypercall.h"
#include "print.h"

static bool overlaps_available(const struct boot_info *bi, u64 start, u64 end,
                               const struct mmap_entry **hit)
{
    for (u32 i = 0; i < bi->mmap_count; i++) {
        const struct mmap_entry *e = &bi->mmap[i];
        if (e->type != MMAP_TYPE_AVAILABLE)
            continue;
        if (e->base < end && start < e->base + e->length) {
            *hit = e;
            return true;
        }
    }
    return false;
}

/* Read, write 0xCC, read again. bookvisor's memory is the empty bus to the
 * guest: both reads must give all ones. A nested map that lets the guest in
 * (a wrong lab 4 solution, say) reads back the 0xCC. */
static bool poke(u64 addr, u64 end, u8 *seen)
{
    if (addr >= end)
        return true;
    volatile u8 *p = (volatile u8 *)(u32)addr;
    u8 before = *p;
    *p = 0xCC;
    u8 after = *p;
    *seen = before != 0xFF ? before : after;
    return before == 0xFF && after == 0xFF;
}

void check_vmm_memory_protected(const struct check_context *ctx, struct check_result *res)
{
    struct hypercall_regs r = { BOOKVISOR_HC_VMM_RANGE, 0, 0, 0 };
    const struct mmap_entry *hit;

    if (!hypercall(&r)) {
        if (cpuid_is_bookvisor())
            check_fail(res, "#UD on VMM_RANGE hypercall");
        else
            check_skip(res, "no hypervisor (hypercall #UD)");
        return;
    }
    /* A real base is page aligned, so EAX = ~0 can only mean "unknown". */
    if (r.eax == BOOKVISOR_HC_UNKNOWN) {
        check_fail(res, "VMM_RANGE hypercall not implemented");
        return;
    }
    u64 base = ((u64)r.edx << 32) | r.eax;
    u64 size = (u64)r.ecx * KIB;
    u64 end = base + size;
    gprintf("guest: vmm range 0x%llx-0x%llx (%u KiB)\n", base, end - 1, r.ecx);
    if (size == 0) {
        check_fail(res, "VMM_RANGE reports size 0");
        return;
    }
    if (base >= FOUR_GIB) {
        check_skip(res, "above 4G");
        return;
    }
    if (ctx->boot->has_mmap && overlaps_available(ctx->boot, base, end, &hit)) {
        check_fail(res, "VMM range overlaps available map entry 0x%llx+0x%llx", hit->base,
                   hit->length);
        return;
    }

    u64 reach = end > FOUR_GIB ? FOUR_GIB : end;
    u64 last_mib = reach - MIB < base || reach < MIB ? base : reach - MIB;
    const u64 probes[] = {
        base,           base + 1, base + 0xFFF,      base + 0x1000,  base + 0x10000,
        base + MIB - 1, last_mib, last_mib + 0x1000, reach - 0x1000, reach - 1,
    };
    for (u32 i = 0; i < ARRAY_SIZE(probes); i++) {
        u8 seen = 0xFF;
        if (probes[i] >= base && !poke(probes[i], reach, &seen) && res->status == CHECK_PASS)
            check_fail(res, "bookvisor's memory at 0x%llx read 0x%02x, not all ones: the guest can reach it",
                       probes[i], seen);
    }

    struct hypercall_regs c = { BOOKVISOR_HC_CHECK_CANARY, 0, 0, 0 };
    if (!hypercall(&c))
        check_fail(res, "#UD on CHECK_CANARY hypercall");
    else if (c.eax != 1)
        check_fail(res, "VMM canary damaged (CHECK_CANARY returned 0x%x)", c.eax);
}
