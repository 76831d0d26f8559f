/**
 * @file common/npt/mtrr_write.h
 * @brief A guest's write to an MTRR: validate it, apply it to a snapshot, and
 *        say which guest-physical range changed (pure, host-testable).
 *
 * The guest owns the hardware, so its MTRR writes reach the real registers;
 * bookvisor checks them first (a bad value would fault inside the VMM) and
 * then re-applies nested mappings over only the range whose type may have
 * changed (chapter 05).
 */
#ifndef BOOKVISOR_COMMON_NPT_MTRR_WRITE_H
#define BOOKVISOR_COMMON_NPT_MTRR_WRITE_H

#include "common/npt/mtrr.h"

/** Outcome of mtrr_apply_write(). */
enum mtrr_write_result {
    MTRR_WRITE_OK,       /**< applied; start and len name the affected range */
    MTRR_WRITE_INVALID,  /**< reserved bits or a bad type: the CPU would \#GP */
    MTRR_WRITE_NOT_MTRR, /**< msr is not an MTRR of this CPU */
};

/** Is msr an MTRR register of a CPU whose IA32_MTRRCAP is cap? */
bool mtrr_is_msr(u32 msr, u64 cap);

/**
 * Check value for msr, store it in st, and report the guest-physical range
 * whose memory type may have changed: for a variable range the union of its
 * old and new extents, for a fixed register its part of the first MiB, for
 * IA32_MTRR_DEF_TYPE the whole physical address space.
 * @param st         the snapshot to update
 * @param cap        raw IA32_MTRRCAP of the CPU
 * @param msr        the MSR the guest writes
 * @param value      the value it writes
 * @param maxphyaddr physical-address width (bits above it are reserved)
 * @param start      receives the first byte of the affected range (MTRR_WRITE_OK only)
 * @param len        receives the length of that range in bytes
 */
enum mtrr_write_result mtrr_apply_write(struct mtrr_state *st, u64 cap, u32 msr, u64 value,
                                        u8 maxphyaddr, u64 *start, u64 *len);

#endif
