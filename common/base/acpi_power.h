/**
 * @file common/base/acpi_power.h
 * @brief Finding the ACPI tables in memory and powering off (VMM only).
 */
#ifndef BOOKVISOR_COMMON_BASE_ACPI_POWER_H
#define BOOKVISOR_COMMON_BASE_ACPI_POWER_H

#include "common/base/acpi_tables.h"

/**
 * Locate the ACPI tables. rsdp may be a copy from the boot loader (or NULL:
 * then the BIOS areas are scanned). Safe to call once; later calls are no-ops.
 */
void acpi_power_init(const u8 *rsdp, size_t rsdp_len);

/** The power facts found by acpi_power_init() (valid == false if none). */
const struct acpi_power_info *acpi_power_info(void);

/**
 * Physical address of the first table with signature sig (e.g. "MCFG")
 * listed in the RSDT/XSDT, with a valid length and checksum, or 0.
 * Valid after acpi_power_init(); tables above 4 GiB are not looked at.
 */
u64 acpi_find_table(const char sig[4]);

/** Physical address of the RSDP found, or 0. */
u64 acpi_rsdp_phys(void);

/** Enter S5 (soft off). Returns only if that did not work. */
void acpi_power_off(void);

#endif
