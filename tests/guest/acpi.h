/**
 * @file tests/guest/acpi.h
 * @brief Power the machine off through ACPI S5.
 */
#ifndef GUEST_ACPI_H
#define GUEST_ACPI_H

#include "gtypes.h"

/** What the guest needs from the ACPI tables to enter S5. */
struct acpi_s5_info {
    u32 pm1a_cnt; /**< PM1a control port */
    u32 pm1b_cnt; /**< PM1b control port, 0 if none */
    u32 smi_cmd; /**< SMI command port, 0 if ACPI is always enabled */
    u8 acpi_enable; /**< value to write to smi_cmd to enable ACPI */
    u8 slp_typa; /**< \_S5_ SLP_TYPa */
    u8 slp_typb; /**< \_S5_ SLP_TYPb */
    u8 sleep_found; /**< bit n: a \_Sn_ package (n = 1..4) was found */
    u8 sleep_typa[5]; /**< SLP_TYPa of \_S1_ .. \_S4_ (index n) where found */
    bool reset_reg; /**< the FADT names a reset register in I/O space */
    u16 reset_port; /**< its port */
    u8 reset_value; /**< the value that resets */
};

/**
 * Find RSDP (EBDA, then 0xE0000-0xFFFFF), RSDT/XSDT, FADT and the DSDT's
 * \_S5_ package.
 * @return false with a reason in @p why if anything is missing or corrupt.
 */
bool acpi_find_s5(struct acpi_s5_info *info, char *why, u32 why_size);

/**
 * Physical address of the ACPI table with this 4-character signature
 * (e.g. "MCFG"), found through RSDP and XSDT/RSDT with its checksum
 * checked, or 0 when there is none below 4 GiB.
 */
u32 acpi_find_table(const char *signature);

/**
 * Enable ACPI mode if needed, then write SLP_TYP|SLP_EN to PM1a/PM1b.
 * Returns only if the machine is still running afterwards.
 */
void acpi_enter_s5(const struct acpi_s5_info *info);

#endif
