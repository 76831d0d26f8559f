/**
 * @file common/base/acpi_tables.h
 * @brief Reading the few ACPI facts bookvisor needs (pure, host-testable).
 *
 * bookvisor powers the machine off itself (S5) and recognises a guest's
 * power-off (a write of SLP_EN to PM1a_CNT). For both it needs the FADT's
 * PM1 control ports and the S5 sleep type from the DSDT's \_S5 package.
 */
#ifndef BOOKVISOR_COMMON_BASE_ACPI_TABLES_H
#define BOOKVISOR_COMMON_BASE_ACPI_TABLES_H

#include "common/lib/types.h"

/** What bookvisor keeps from the ACPI tables. */
struct acpi_power_info {
    bool valid;        /**< FADT found and PM1a_CNT known */
    u16 pm1a_cnt;      /**< PM1a control port */
    u16 pm1b_cnt;      /**< PM1b control port, 0 if none */
    u16 slp_typ_s5a;   /**< SLP_TYP value for S5, PM1a */
    u16 slp_typ_s5b;   /**< SLP_TYP value for S5, PM1b */
    bool s5_found;     /**< \_S5 package found in the DSDT */
    u32 smi_cmd;       /**< SMI command port, 0 if none */
    u8 acpi_enable;    /**< value to write to smi_cmd to enable ACPI */
    u64 dsdt;          /**< physical address of the DSDT */
};

/** Sum of len bytes modulo 256 (valid ACPI tables sum to 0). */
u8 acpi_checksum(const void *p, size_t len);

/**
 * Validate an RSDP (20 bytes v1, 36 bytes v2+) and return the RSDT (xsdt_out = false)
 * or XSDT (xsdt_out = true) address, or 0 if invalid.
 */
u64 acpi_rsdp_root(const u8 *rsdp, size_t len, bool *xsdt_out);

/**
 * Fill the PM1 ports, SMI fields and DSDT address from a FADT of len bytes.
 * @return false if it is not a FADT or too short.
 */
bool acpi_parse_fadt(const u8 *fadt, size_t len, struct acpi_power_info *out);

/**
 * Find the \_S5 package in DSDT AML bytes and fill slp_typ_s5a/b and s5_found.
 * Handles the name with or without a leading '\\' and the ZeroOp, OneOp and
 * BytePrefix encodings of the first two package elements.
 */
bool acpi_find_s5(const u8 *dsdt, size_t len, struct acpi_power_info *out);

#endif
