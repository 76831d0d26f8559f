/**
 * @file common/npt/mtrr_read.h
 * @brief Snapshot the host MTRRs (VMM only).
 */
#ifndef BOOKVISOR_COMMON_NPT_MTRR_READ_H
#define BOOKVISOR_COMMON_NPT_MTRR_READ_H

#include "common/npt/mtrr.h"

/**
 * Does this CPU have MTRRs (CPUID.1:EDX bit 12)?
 * @param cap receives IA32_MTRRCAP (VCNT, FIX, WC), 0 without MTRRs
 */
bool mtrr_host_cap(u64 *cap);

/** Read IA32_MTRRCAP, DEF_TYPE, the fixed and the variable ranges into st. */
void mtrr_read_host(struct mtrr_state *st);

#endif
