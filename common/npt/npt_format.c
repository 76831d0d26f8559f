/**
 * @file common/npt/npt_format.c
 * @brief EPT and NPT entry encodings (see common/npt/npt_format.h).
 */
#include "common/npt/npt_format.h"
#include "common/npt/mtrr.h"

/** Physical-address bits 51:12 of any entry. */
#define ADDR_BITS 0x000FFFFFFFFFF000ULL
/** Bit 7: "this PDPT/PD entry is a 1 GiB/2 MiB leaf" in both formats. */
#define LARGE_BIT (1ULL << 7)

/* Address bits of a leaf at level: large leaves drop the low bits, which
 * hold other fields (NPT's PAT bit 12) or must be zero (EPT). */
static u64 leaf_addr_bits(unsigned level)
{
    return ADDR_BITS & ~(npt_level_size(level) - 1);
}

/* ---- EPT ---- */

#define EPT_RWX 7ULL
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_MASK (7ULL << EPT_MEMTYPE_SHIFT)

static u64 ept_make_table_entry(u64 table_pa)
{
    /* Full access here; leaves decide. */
    return (table_pa & ADDR_BITS) | EPT_RWX;
}

static u64 ept_make_leaf(u64 pa, unsigned level, unsigned perms, u8 memtype)
{
    u64 e;

    if ((perms & NPT_PERM_RWX) == 0)
        return 0;
    e = (pa & leaf_addr_bits(level)) | (perms & NPT_PERM_RWX);
    e |= ((u64)memtype << EPT_MEMTYPE_SHIFT) & EPT_MEMTYPE_MASK;
    if (level > 1)
        e |= LARGE_BIT;
    return e;
}

static bool ept_is_present(u64 e)
{
    return (e & EPT_RWX) != 0;
}

static bool ept_is_leaf(u64 e, unsigned level)
{
    return level == 1 || (level <= 3 && (e & LARGE_BIT));
}

static u64 ept_entry_addr(u64 e, unsigned level)
{
    return ept_is_leaf(e, level) ? e & leaf_addr_bits(level) : e & ADDR_BITS;
}

static unsigned ept_leaf_perms(u64 e)
{
    return (unsigned)(e & EPT_RWX);
}

static u8 ept_leaf_memtype(u64 e)
{
    return (u8)((e & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT);
}

const struct npt_format npt_format_ept = {
    .name = "EPT",
    .make_table_entry = ept_make_table_entry,
    .make_leaf = ept_make_leaf,
    .is_present = ept_is_present,
    .is_leaf = ept_is_leaf,
    .entry_addr = ept_entry_addr,
    .leaf_perms = ept_leaf_perms,
    .leaf_memtype = ept_leaf_memtype,
};

u64 npt_ept_pointer(u64 root_pa, bool enable_ad)
{
    /* bits 2:0 memory type of the tables (WB), bits 5:3 walk length - 1. */
    u64 eptp = (root_pa & ADDR_BITS) | MTRR_TYPE_WB | (3ULL << 3);

    if (enable_ad)
        eptp |= 1ULL << 6;
    return eptp;
}

/* ---- NPT ---- */

#define AMD_P (1ULL << 0)
#define AMD_RW (1ULL << 1)
#define AMD_US (1ULL << 2)
#define AMD_PWT (1ULL << 3)
#define AMD_PCD (1ULL << 4)
#define AMD_NX (1ULL << 63)

static u64 amd_make_table_entry(u64 table_pa)
{
    return (table_pa & ADDR_BITS) | AMD_P | AMD_RW | AMD_US;
}

static u64 amd_make_leaf(u64 pa, unsigned level, unsigned perms, u8 memtype)
{
    u64 e;

    /* NPT cannot express "write or execute but not read": any access
     * right makes the page present and readable. */
    if ((perms & NPT_PERM_RWX) == 0)
        return 0;
    e = (pa & leaf_addr_bits(level)) | AMD_P | AMD_US;
    if (perms & NPT_PERM_W)
        e |= AMD_RW;
    if (!(perms & NPT_PERM_X))
        e |= AMD_NX;
    if (level > 1)
        e |= LARGE_BIT;
    /* PAT index 0 lets the MTRR type through; see the header. */
    if (memtype == MTRR_TYPE_UC)
        e |= AMD_PCD | AMD_PWT;
    else if (memtype == MTRR_TYPE_WT)
        e |= AMD_PWT;
    return e;
}

static bool amd_is_present(u64 e)
{
    return (e & AMD_P) != 0;
}

static bool amd_is_leaf(u64 e, unsigned level)
{
    /* In a PT, bit 7 is the PAT bit, not PS. */
    return level == 1 || (level <= 3 && (e & LARGE_BIT));
}

static u64 amd_entry_addr(u64 e, unsigned level)
{
    return amd_is_leaf(e, level) ? e & leaf_addr_bits(level) : e & ADDR_BITS;
}

static unsigned amd_leaf_perms(u64 e)
{
    unsigned perms = 0;

    if (e & AMD_P) {
        perms |= NPT_PERM_R;
        if (e & AMD_RW)
            perms |= NPT_PERM_W;
        if (!(e & AMD_NX))
            perms |= NPT_PERM_X;
    }
    return perms;
}

static u8 amd_leaf_memtype(u64 e)
{
    if ((e & (AMD_PCD | AMD_PWT)) == (AMD_PCD | AMD_PWT))
        return MTRR_TYPE_UC;
    if (e & AMD_PWT)
        return MTRR_TYPE_WT;
    return MTRR_TYPE_WB;
}

const struct npt_format npt_format_amd = {
    .name = "NPT",
    .make_table_entry = amd_make_table_entry,
    .make_leaf = amd_make_leaf,
    .is_present = amd_is_present,
    .is_leaf = amd_is_leaf,
    .entry_addr = amd_entry_addr,
    .leaf_perms = amd_leaf_perms,
    .leaf_memtype = amd_leaf_memtype,
};
