/**
 * @file common/npt/npt_format.h
 * @brief The two nested-paging entry formats: Intel EPT and AMD NPT.
 *
 * Both are 4-level radix trees of 512 eight-byte entries per 4 KiB table,
 * indexed by the same guest-physical address bits; only the bits inside an
 * entry differ. The builder (common/npt/npt.c) never looks at entry bits
 * itself: it asks a struct npt_format.
 *
 * Levels are numbered like the hardware walk: 4 = PML4, 3 = PDPT (a leaf here
 * maps 1 GiB), 2 = PD (leaf maps 2 MiB), 1 = PT (leaf maps 4 KiB).
 *
 * EPT (Intel SDM vol. 3C, "EPT Translation Mechanism"):
 * - bits 2:0 read/write/execute; an entry is present when any of them is 1;
 * - leaves: bits 5:3 EPT memory type (MTRRs do not apply under EPT, so the
 *   builder copies the MTRR type here), bit 6 ignore-PAT left 0 so the guest's
 *   PAT still combines with it as it would with the MTRRs; bit 7 marks a 1 GiB
 *   or 2 MiB leaf; bits 8/9 accessed/dirty (written by the CPU when enabled).
 *
 * NPT (AMD APM vol. 2, "Nested Paging"): ordinary long-mode entries.
 * - P (0), RW (1) and US (2) on every level: nested walks are user accesses,
 *   so an entry without US faults; PS (7) marks a 1 GiB or 2 MiB leaf;
 *   NX (63) only when execute is denied (needs the host's EFER.NXE).
 * - Memory type: under NPT the MTRRs still apply to the system physical
 *   address, and the nested PAT type combines with them and the guest's PAT.
 *   A nested PAT index 0 (PWT = PCD = PAT = 0, WB in the power-on PAT) lets the
 *   MTRR type through unchanged, so WB, WC and WP ranges get index 0. UC
 *   ranges get PCD|PWT (index 3, UC in the power-on PAT) and WT ranges PWT
 *   (index 1, WT) so the entry says the same as the MTRR even if the guest
 *   later reprograms an MTRR. This assumes the host's IA32_PAT keeps its
 *   power-on value for entries 0, 1 and 3.
 */
#ifndef BOOKVISOR_COMMON_NPT_NPT_FORMAT_H
#define BOOKVISOR_COMMON_NPT_NPT_FORMAT_H

#include "common/lib/types.h"

/** @name Access permissions of a leaf (values match EPT bits 2:0). */
/**@{*/
#define NPT_PERM_R 1u /**< read */
#define NPT_PERM_W 2u /**< write */
#define NPT_PERM_X 4u /**< execute */
#define NPT_PERM_RWX (NPT_PERM_R | NPT_PERM_W | NPT_PERM_X) /**< all */
/**@}*/

/** Bytes mapped by one entry at @p level (1..4). */
static inline u64 npt_level_size(unsigned level)
{
    return 1ULL << (12 + 9 * (level - 1));
}

/** Index of @p gpa in a table at @p level. */
static inline unsigned npt_level_index(u64 gpa, unsigned level)
{
    return (unsigned)(gpa >> (12 + 9 * (level - 1))) & 511;
}

/**
 * How entries of one nested-paging flavour are built and read.
 */
struct npt_format {
    /** Short name for logs: "EPT" or "NPT". */
    const char *name;
    /** Non-leaf entry pointing at the table at physical address @p table_pa. */
    u64 (*make_table_entry)(u64 table_pa);
    /**
     * Leaf mapping npt_level_size(level) bytes at @p pa (aligned to that
     * size) with NPT_PERM_* @p perms and MTRR_TYPE_* @p memtype. Level 1,
     * 2 or 3. Returns 0 (not present) when @p perms is 0.
     */
    u64 (*make_leaf)(u64 pa, unsigned level, unsigned perms, u8 memtype);
    /** Does the entry translate anything (table or leaf)? */
    bool (*is_present)(u64 e);
    /** Is the present entry @p e at @p level a leaf (not a table pointer)? */
    bool (*is_leaf)(u64 e, unsigned level);
    /** Physical address in @p e: the table, or the page for a leaf at @p level. */
    u64 (*entry_addr)(u64 e, unsigned level);
    /** NPT_PERM_* bits of a leaf. */
    unsigned (*leaf_perms)(u64 e);
    /**
     * MTRR_TYPE_* a leaf was built with, as far as the format records it
     * (an NPT leaf records only UC, WT or "follow the MTRRs", read as WB).
     */
    u8 (*leaf_memtype)(u64 e);
};

/** Intel EPT entries. */
extern const struct npt_format npt_format_ept;
/** AMD NPT entries (long-mode page-table entries with US set). */
extern const struct npt_format npt_format_amd;

/**
 * The EPT pointer for VMCS field EPTP: 4-level walk, write-back paging
 * structures, and accessed/dirty flags when @p enable_ad.
 */
u64 npt_ept_pointer(u64 root_pa, bool enable_ad);

#endif
