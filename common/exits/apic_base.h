/**
 * @file common/exits/apic_base.h
 * @brief Where the guest may move its local APIC (pure; chapter 02).
 *
 * IA32_APIC_BASE moves the local APIC's 4 KiB of registers anywhere in the
 * physical address space, and the CPU then decodes that page as the APIC for
 * every access it makes, the VMM's own included. A guest that put it over a
 * page of bookvisor's made bookvisor read APIC registers instead of its data.
 * So writes of the MSR exit, and the new page must be one the guest may map
 * anyway: its RAM or device memory passed through to it. Host-tested
 * (tests/unit/test_apic_base.c).
 */
#ifndef BOOKVISOR_COMMON_EXITS_APIC_BASE_H
#define BOOKVISOR_COMMON_EXITS_APIC_BASE_H

#include "common/lib/types.h"
#include "common/npt/npt.h"

#define APIC_BASE_BSP (1ULL << 8)   /**< this is the bootstrap processor (read-only) */
#define APIC_BASE_EXTD (1ULL << 10) /**< x2APIC mode */
#define APIC_BASE_EN (1ULL << 11)   /**< the local APIC is enabled */

/** The physical page a value of IA32_APIC_BASE names: bits 12 to maxphyaddr - 1. */
u64 apic_base_address(u64 value, u8 maxphyaddr);

/**
 * Must bookvisor refuse this write of IA32_APIC_BASE (with \#GP)?
 * @param value      the value the guest writes
 * @param page_kind  what the nested layout says the page apic_base_address() names is
 * @return NULL when the write may go to the CPU (which applies its own rules:
 *         reserved bits, x2APIC transitions), else why it is refused. A disabled
 *         APIC (EN clear) and one in x2APIC mode (EXTD set) decode no page and are
 *         never refused here.
 */
const char *apic_base_write_fault(u64 value, enum npt_kind page_kind);

#endif
