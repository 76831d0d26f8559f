/*
 * common/npt/mtrr_write.c - validating and applying a guest's MTRR write.
 */
#include "common/npt/mtrr_write.h"

static bool valid_type(u64 t)
{
    return t == MTRR_TYPE_UC || t == MTRR_TYPE_WC || t == MTRR_TYPE_WT || t == MTRR_TYPE_WP ||
           t == MTRR_TYPE_WB;
}

bool mtrr_is_msr(u32 msr, u64 cap)
{
    unsigned nvar = cap & 0xFF;
    if (msr == MTRR_MSR_DEF_TYPE)
        return true;
    if (msr >= MTRR_MSR_PHYSBASE0 && msr < MTRR_MSR_PHYSBASE0 + 2 * nvar)
        return true;
    return ((cap >> 8) & 1) && mtrr_fixed_index(msr) >= 0;
}

/* Extent of one variable range; *whole when the mask is not contiguous. */
static void var_extent(u64 base, u64 mask, u8 maxphy, u64 *start, u64 *len)
{
    u64 phys_mask = ((1ULL << maxphy) - 1) & ~0xFFFULL;
    u64 m = mask & phys_mask;
    *start = 0;
    *len = 0;
    if (!(mask & MTRR_PHYSMASK_VALID) || !m)
        return;
    u64 low = m & (~m + 1); /* lowest set bit */
    if ((m | (low - 1)) != (phys_mask | 0xFFF)) { /* holes in the mask */
        *len = 1ULL << maxphy;
        return;
    }
    *start = base & m;
    *len = low;
}

static void range_union(u64 *s, u64 *l, u64 s2, u64 l2)
{
    if (!l2)
        return;
    if (!*l) {
        *s = s2;
        *l = l2;
        return;
    }
    u64 end = *s + *l > s2 + l2 ? *s + *l : s2 + l2;
    *s = *s < s2 ? *s : s2;
    *l = end - *s;
}

static const u64 fixed_start[11] = { 0x00000, 0x80000, 0xA0000, 0xC0000, 0xC8000, 0xD0000,
                                     0xD8000, 0xE0000, 0xE8000, 0xF0000, 0xF8000 };
static const u64 fixed_len[11] = { 0x80000, 0x20000, 0x20000, 0x8000, 0x8000, 0x8000,
                                   0x8000, 0x8000, 0x8000, 0x8000, 0x8000 };

enum mtrr_write_result mtrr_apply_write(struct mtrr_state *st, u64 cap, u32 msr, u64 value,
                                        u8 maxphyaddr, u64 *start, u64 *len)
{
    u64 above = maxphyaddr >= 64 ? 0 : ~((1ULL << maxphyaddr) - 1);
    if (!mtrr_is_msr(msr, cap))
        return MTRR_WRITE_NOT_MTRR;
    if (msr == MTRR_MSR_DEF_TYPE) {
        if ((value & ~0xCFFULL) || !valid_type(value & 0xFF))
            return MTRR_WRITE_INVALID;
        mtrr_state_set_def_type(st, cap, value);
        *start = 0;
        *len = 1ULL << maxphyaddr;
        return MTRR_WRITE_OK;
    }
    int fixed = mtrr_fixed_index(msr);
    if (fixed >= 0) {
        for (int i = 0; i < 8; i++)
            if (!valid_type((value >> (8 * i)) & 0xFF))
                return MTRR_WRITE_INVALID;
        st->fixed[fixed] = value;
        *start = fixed_start[fixed];
        *len = fixed_len[fixed];
        return MTRR_WRITE_OK;
    }
    unsigned n = (msr - MTRR_MSR_PHYSBASE0) / 2;
    bool is_mask = (msr - MTRR_MSR_PHYSBASE0) & 1;
    if (n >= MTRR_MAX_VARIABLE)
        return MTRR_WRITE_INVALID;
    if (is_mask ? (value & (above | 0x7FFULL)) : ((value & (above | 0xF00ULL)) || !valid_type(value & 0xFF)))
        return MTRR_WRITE_INVALID;
    u64 s = 0, l = 0, s2, l2;
    if (n < st->nvar)
        var_extent(st->var[n].base, st->var[n].mask, maxphyaddr, &s, &l);
    if (n >= st->nvar) {
        for (unsigned i = st->nvar; i <= n; i++)
            st->var[i].base = st->var[i].mask = 0;
        st->nvar = n + 1;
    }
    if (is_mask)
        st->var[n].mask = value;
    else
        st->var[n].base = value;
    var_extent(st->var[n].base, st->var[n].mask, maxphyaddr, &s2, &l2);
    range_union(&s, &l, s2, l2);
    *start = s;
    *len = l;
    return MTRR_WRITE_OK;
}
