/**
 * @file tests/guest/check_memory.c
 * @brief Every byte of available RAM below 4 GiB works, page 0 aside.
 *
 * Page 0 holds the real-mode interrupt table, which the real-mode check
 * (cpuid-realmode) points the IDT at; everything else the memory map calls
 * available is tested, the low 640 KiB included: under bookvisor that is
 * where nested paging must use 4 KiB pages around the legacy VGA hole.
 */
#include "check.h"
#include "memtest.h"
#include "print.h"

#define LOW_LIMIT 0x1000u

/* Move @p cursor past any keep-out range that contains it; return the end
 * of the free stretch starting there (at most @p end). */
static u64 free_stretch(const struct boot_info *bi, u64 *cursor, u64 end)
{
    bool moved = true;
    while (moved) {
        moved = false;
        for (u32 i = 0; i < bi->keepout_count; i++) {
            const struct phys_range *k = &bi->keepout[i];
            if (k->start <= *cursor && *cursor < k->end) {
                *cursor = k->end;
                moved = true;
            }
        }
    }
    u64 stop = end;
    for (u32 i = 0; i < bi->keepout_count; i++) {
        u64 s = bi->keepout[i].start;
        if (s > *cursor && s < stop)
            stop = s;
    }
    return stop;
}

static bool test_region(const struct boot_info *bi, u64 start, u64 end, u64 *tested,
                        struct check_result *res)
{
    u64 cursor = start;
    while (cursor < end) {
        u64 stop = free_stretch(bi, &cursor, end);
        if (cursor >= end)
            break;
        struct memtest_error err;
        if (!memtest_range((u32)cursor, stop, &err)) {
            check_fail(res, "%s pass: at 0x%08x wrote 0x%x read 0x%x (%u bad in 0x%llx-0x%llx)",
                       err.byte_pass ? "byte" : "word", err.addr, err.wrote, err.read,
                       err.mismatches, cursor, stop - 1);
            return false;
        }
        *tested += stop - cursor;
        cursor = stop;
    }
    return true;
}

void check_memory_all(const struct check_context *ctx, struct check_result *res)
{
    const struct boot_info *bi = ctx->boot;
    u64 tested = 0;

    if (!bi->multiboot) {
        check_fail(res, "not started by a multiboot loader");
        return;
    }
    if (!bi->has_mmap) {
        check_fail(res, "no memory map (multiboot flags bit 6 clear)");
        return;
    }
    for (u32 i = 0; i < bi->mmap_count; i++) {
        const struct mmap_entry *e = &bi->mmap[i];
        if (e->type != MMAP_TYPE_AVAILABLE)
            continue;
        u64 start = e->base < LOW_LIMIT ? LOW_LIMIT : e->base;
        u64 end = e->base + e->length;
        if (end < e->base || end > FOUR_GIB)
            end = FOUR_GIB; /* the rest is out of reach with paging off */
        if (start >= end)
            continue;
        if (!test_region(bi, start, end, &tested, res))
            return;
    }
    if (tested == 0)
        check_fail(res, "no available memory between 4 KiB and 4 GiB");
    else if (tested >= MIB)
        check_note(res, "%llu MiB", tested >> 20);
    else
        check_note(res, "%llu KiB", tested >> 10);
}
