/**
 * @file common/npt/mtrr.c
 * @brief Memory-type lookup over an MTRR snapshot (see common/npt/mtrr.h).
 *
 * The question "is [start, end) one memory type?" is answered on aligned
 * power-of-two blocks. For such a block a variable range either covers all of
 * it, none of it, or part of it; only in the last case (or when the block
 * straddles the 1 MiB fixed-range boundary) is the block halved and each half
 * asked again. At 4 KiB no variable range can cover part of a block, so the
 * recursion always ends.
 */
#include "common/npt/mtrr.h"

/** Physical-address bits of PHYSBASE/PHYSMASK (51:12). */
#define MTRR_ADDR_BITS 0x000FFFFFFFFFF000ULL
#define MTRR_PAGE 0x1000ULL
/** Largest block considered at once; far above any physical address. */
#define MTRR_MAX_BLOCK (1ULL << 52)

/** Accumulates the types seen over a range; MIXED once two differ. */
#define TYPE_NONE (-2)

static u8 sanitize_type(u64 raw)
{
    u8 t = (u8)raw;

    switch (t) {
    case MTRR_TYPE_UC:
    case MTRR_TYPE_WC:
    case MTRR_TYPE_WT:
    case MTRR_TYPE_WP:
    case MTRR_TYPE_WB: return t;
    default:
        /* Reserved encodings: the safe choice is uncached. */
        return MTRR_TYPE_UC;
    }
}

static int merge_types(int a, int b)
{
    if (a == TYPE_NONE)
        return b;
    if (a == b)
        return a;
    return MTRR_TYPE_MIXED;
}

void mtrr_state_init_uniform(struct mtrr_state *st, u8 type)
{
    unsigned i;

    st->enabled = true;
    st->fixed_enabled = false;
    st->default_type = type;
    for (i = 0; i < MTRR_NFIXED; i++)
        st->fixed[i] = 0;
    st->nvar = 0;
    for (i = 0; i < MTRR_MAX_VARIABLE; i++) {
        st->var[i].base = 0;
        st->var[i].mask = 0;
    }
}

void mtrr_state_set_def_type(struct mtrr_state *st, u64 cap, u64 def_type)
{
    st->enabled = (def_type >> 11) & 1;
    st->fixed_enabled = ((def_type >> 10) & 1) && ((cap >> 8) & 1);
    st->default_type = (u8)def_type;
}

int mtrr_fixed_index(u32 msr)
{
    if (msr == MTRR_MSR_FIX64K_00000)
        return 0;
    if (msr == MTRR_MSR_FIX16K_80000)
        return 1;
    if (msr == MTRR_MSR_FIX16K_A0000)
        return 2;
    if (msr >= MTRR_MSR_FIX4K_C0000 && msr <= MTRR_MSR_FIX4K_C0000 + 7)
        return 3 + (int)(msr - MTRR_MSR_FIX4K_C0000);
    return -1;
}

/*
 * Fixed-range layout below 1 MiB: register 0 holds eight 64 KiB types for
 * 0-512K, registers 1-2 eight 16 KiB types each for 512K-768K, registers 3-10
 * eight 4 KiB types each for 768K-1M.
 */
static u64 fixed_granule(u64 addr)
{
    if (addr < 0x80000)
        return 0x10000;
    if (addr < 0xC0000)
        return 0x4000;
    return 0x1000;
}

static u8 fixed_type(const struct mtrr_state *st, u64 addr)
{
    unsigned reg, byte;

    if (addr < 0x80000) {
        reg = 0;
        byte = (unsigned)(addr >> 16);
    } else if (addr < 0xC0000) {
        reg = 1 + (unsigned)((addr - 0x80000) >> 17);
        byte = (unsigned)((addr - 0x80000) >> 14) & 7;
    } else {
        reg = 3 + (unsigned)((addr - 0xC0000) >> 15);
        byte = (unsigned)((addr - 0xC0000) >> 12) & 7;
    }
    return sanitize_type(st->fixed[reg] >> (byte * 8));
}

/* Type of [start, end), which lies wholly below 1 MiB. */
static int fixed_span_type(const struct mtrr_state *st, u64 start, u64 end)
{
    int acc = TYPE_NONE;
    u64 a = start;

    while (a < end && acc != MTRR_TYPE_MIXED) {
        u64 g = fixed_granule(a);

        acc = merge_types(acc, fixed_type(st, a));
        a = ALIGN_DOWN(a, g) + g;
    }
    return acc;
}

/* SDM overlap rules for the set of variable-range types that matched. */
static int combine_overlap(bool any, bool all_same, int first, bool seen_uc, bool only_wt_wb,
                           const struct mtrr_state *st)
{
    if (!any)
        return sanitize_type(st->default_type);
    if (all_same)
        return first;
    if (seen_uc)
        return MTRR_TYPE_UC;
    if (only_wt_wb)
        return MTRR_TYPE_WT;
    return MTRR_TYPE_UC; /* undefined by the SDM: be safe */
}

static int block_type(const struct mtrr_state *st, u64 start, u64 size);

static int split_block(const struct mtrr_state *st, u64 start, u64 size)
{
    u64 half = size / 2;
    int lo = block_type(st, start, half);

    if (lo == MTRR_TYPE_MIXED)
        return lo;
    return merge_types(lo, block_type(st, start + half, half));
}

/* Type of the aligned block [start, start + size); size is a power of two >= 4 KiB. */
static int block_type(const struct mtrr_state *st, u64 start, u64 size)
{
    bool any = false, all_same = true, seen_uc = false, only_wt_wb = true;
    int first = 0;
    u64 high = ~(size - 1);
    unsigned i;

    if (!st->enabled)
        return MTRR_TYPE_UC;
    if (st->fixed_enabled && start < MTRR_FIXED_END) {
        if (start + size <= MTRR_FIXED_END)
            return fixed_span_type(st, start, start + size);
        return split_block(st, start, size);
    }

    for (i = 0; i < st->nvar && i < MTRR_MAX_VARIABLE; i++) {
        u64 mask = st->var[i].mask & MTRR_ADDR_BITS;
        u64 base = st->var[i].base & mask;
        int t;

        if (!(st->var[i].mask & MTRR_PHYSMASK_VALID))
            continue;
        if ((start & mask & high) != (base & high))
            continue; /* the block's fixed address bits rule it out */
        if (mask & ~high)
            return split_block(st, start, size); /* covers part only */

        t = sanitize_type(st->var[i].base);
        if (!any)
            first = t;
        else if (t != first)
            all_same = false;
        any = true;
        if (t == MTRR_TYPE_UC)
            seen_uc = true;
        if (t != MTRR_TYPE_WT && t != MTRR_TYPE_WB)
            only_wt_wb = false;
    }
    return combine_overlap(any, all_same, first, seen_uc, only_wt_wb, st);
}

int mtrr_type_of_range(const struct mtrr_state *st, u64 start, u64 len)
{
    u64 s = ALIGN_DOWN(start, MTRR_PAGE);
    u64 e;
    int acc = TYPE_NONE;

    if (s >= MTRR_MAX_BLOCK)
        return sanitize_type(st->enabled ? st->default_type : MTRR_TYPE_UC);
    if (len == 0 || start + len > MTRR_MAX_BLOCK || start + len < start)
        e = len == 0 ? s + MTRR_PAGE : MTRR_MAX_BLOCK;
    else
        e = ALIGN_UP(start + len, MTRR_PAGE);

    /* Cut [s, e) into the largest aligned power-of-two blocks. */
    while (s < e && acc != MTRR_TYPE_MIXED) {
        u64 size = MTRR_PAGE;

        while ((s & (size * 2 - 1)) == 0 && s + size * 2 <= e && size * 2 <= MTRR_MAX_BLOCK)
            size *= 2;
        acc = merge_types(acc, block_type(st, s, size));
        s += size;
    }
    return acc;
}

u8 mtrr_type_of(const struct mtrr_state *st, u64 addr)
{
    int t = mtrr_type_of_range(st, ALIGN_DOWN(addr, MTRR_PAGE), MTRR_PAGE);

    return t == MTRR_TYPE_MIXED ? MTRR_TYPE_UC : (u8)t;
}
