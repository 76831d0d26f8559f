/**
 * @file arch/x86/mtrr_read.h
 * @brief Snapshot the host MTRRs (VMM only).
 */
#ifndef BOOKVISOR_ARCH_X86_MTRR_READ_H
#define BOOKVISOR_ARCH_X86_MTRR_READ_H

#include "common/mtrr.h"

/** Read IA32_MTRRCAP, DEF_TYPE, the fixed and the variable ranges into st. */
void mtrr_read_host(struct mtrr_state *st);

#endif
