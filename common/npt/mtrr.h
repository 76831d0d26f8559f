/**
 * @file common/npt/mtrr.h
 * @brief Memory-type lookup over a snapshot of the MTRRs (pure logic).
 *
 * The VMM reads the MTRR MSRs once (and again whenever the guest writes one)
 * into a struct mtrr_state. The nested-paging builder then asks which memory
 * type a guest-physical range has, and whether the type is the same over the
 * whole range: a large page may only be used when it is.
 *
 * Rules implemented (Intel SDM vol. 3A, "Memory Type Range Registers"; AMD
 * APM vol. 2 uses the same registers):
 * - MTRRs disabled (IA32_MTRR_DEF_TYPE.E = 0): everything is UC.
 * - Below 1 MiB, when the fixed ranges are enabled (FE = 1), the fixed-range
 *   registers decide and the variable ranges are not consulted.
 * - Elsewhere, every valid variable range whose (addr & mask) equals
 *   (base & mask) matches. No match: the default type. One type among the
 *   matches: that type. Several types: UC if any is UC; WT if they are only
 *   WT and WB; anything else is undefined by the SDM and treated as UC here.
 */
#ifndef BOOKVISOR_COMMON_NPT_MTRR_H
#define BOOKVISOR_COMMON_NPT_MTRR_H

#include "common/lib/types.h"

/** @name Memory type encodings (same values in MTRRs, PAT and EPT bits 5:3). */
/**@{*/
#define MTRR_TYPE_UC 0 /**< uncacheable */
#define MTRR_TYPE_WC 1 /**< write combining */
#define MTRR_TYPE_WT 4 /**< write through */
#define MTRR_TYPE_WP 5 /**< write protected */
#define MTRR_TYPE_WB 6 /**< write back */
/** Returned by mtrr_type_of_range() when the range has more than one type. */
#define MTRR_TYPE_MIXED (-1)
/**@}*/

/** @name MSR numbers the VMM reads to fill a struct mtrr_state. */
/**@{*/
#define MTRR_MSR_CAP 0xFEu /**< IA32_MTRRCAP: VCNT 7:0, FIX bit 8 */
#define MTRR_MSR_DEF_TYPE 0x2FFu /**< type 7:0, FE bit 10, E bit 11 */
#define MTRR_MSR_PHYSBASE0 0x200u /**< PHYSBASEn = 0x200 + 2n */
#define MTRR_MSR_PHYSMASK0 0x201u /**< PHYSMASKn = 0x201 + 2n */
#define MTRR_MSR_FIX64K_00000 0x250u /**< fixed[0]: 8 x 64 KiB from 0 */
#define MTRR_MSR_FIX16K_80000 0x258u /**< fixed[1]: 8 x 16 KiB from 0x80000 */
#define MTRR_MSR_FIX16K_A0000 0x259u /**< fixed[2]: 8 x 16 KiB from 0xA0000 */
#define MTRR_MSR_FIX4K_C0000 0x268u /**< fixed[3..10]: 0x268..0x26F, 8 x 4 KiB each */
/**@}*/

/** Number of fixed-range MTRR registers (each holds 8 one-byte types). */
#define MTRR_NFIXED 11
/** Most variable ranges a snapshot holds (real CPUs have 8 to 10). */
#define MTRR_MAX_VARIABLE 32
/** PHYSMASK bit 11: this variable range is in use. */
#define MTRR_PHYSMASK_VALID (1ULL << 11)
/** End of the area the fixed-range registers describe. */
#define MTRR_FIXED_END 0x100000ULL

/**
 * A snapshot of the MTRRs, with register values as read from the MSRs.
 */
struct mtrr_state {
    bool enabled; /**< IA32_MTRR_DEF_TYPE.E */
    bool fixed_enabled; /**< IA32_MTRR_DEF_TYPE.FE (and MTRRCAP.FIX) */
    u8 default_type; /**< IA32_MTRR_DEF_TYPE bits 7:0 */
    u64 fixed[MTRR_NFIXED]; /**< fixed-range registers in address order */
    unsigned nvar; /**< variable ranges in use in var[] */
    /** One variable range: raw IA32_MTRR_PHYSBASEn / PHYSMASKn values. */
    struct {
        u64 base; /**< type in bits 7:0, base address in bits 51:12 */
        u64 mask; /**< valid bit 11, mask in bits 51:12 */
    } var[MTRR_MAX_VARIABLE];
};

/**
 * Reset a snapshot to "MTRRs enabled, no fixed or variable ranges, every
 * address has @p type". Handy for tests and for CPUs without MTRRs (pass
 * MTRR_TYPE_WB there, which is what the hardware effectively does).
 */
void mtrr_state_init_uniform(struct mtrr_state *st, u8 type);

/**
 * Fill the enable bits and default type from a raw IA32_MTRR_DEF_TYPE value.
 * @param st  the snapshot to fill
 * @param cap raw IA32_MTRRCAP, so FE is ignored when fixed ranges don't exist.
 * @param def_type raw IA32_MTRR_DEF_TYPE
 */
void mtrr_state_set_def_type(struct mtrr_state *st, u64 cap, u64 def_type);

/**
 * Index into mtrr_state.fixed[] of a fixed-range MSR.
 * @return 0..10, or -1 if @p msr is not a fixed-range MTRR.
 */
int mtrr_fixed_index(u32 msr);

/**
 * Memory type of every byte of [start, start + len).
 *
 * The range is widened to 4 KiB boundaries first (MTRR granularity).
 * @return one of the MTRR_TYPE_* values when the whole range has that type,
 *         or MTRR_TYPE_MIXED when it has more than one; len 0 gives the type
 *         of the page holding @p start.
 */
int mtrr_type_of_range(const struct mtrr_state *st, u64 start, u64 len);

/** Memory type of the 4 KiB page holding @p addr (never MIXED). */
u8 mtrr_type_of(const struct mtrr_state *st, u64 addr);

#endif
