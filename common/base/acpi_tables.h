/**
 * @file common/base/acpi_tables.h
 * @brief Reading the few ACPI facts bookvisor needs (pure, host-testable).
 *
 * bookvisor powers the machine off itself (S5), recognises a guest's
 * power-off (a write of SLP_EN to PM1a_CNT), and must see every other way a
 * guest could put the machine to sleep or reset it (common/platform). For
 * that it needs the FADT's PM1 control ports, its reset register, and the
 * sleep types of the DSDT's \_S1 to \_S5 packages.
 */
#ifndef BOOKVISOR_COMMON_BASE_ACPI_TABLES_H
#define BOOKVISOR_COMMON_BASE_ACPI_TABLES_H

#include "common/lib/types.h"

/** Sleep states S0 to S5: the index of the sleep-type arrays below. */
#define ACPI_SLEEP_STATES 6

/** ACPI address spaces of a Generic Address Structure. */
enum acpi_space {
    ACPI_SPACE_MEMORY = 0, /**< system memory */
    ACPI_SPACE_IO = 1,     /**< system I/O ports */
    ACPI_SPACE_PCI = 2,    /**< PCI configuration space */
};

/** What bookvisor keeps from the ACPI tables. */
struct acpi_power_info {
    bool valid;        /**< FADT found and PM1a_CNT known */
    u16 pm1a_cnt;      /**< PM1a control port */
    u16 pm1b_cnt;      /**< PM1b control port, 0 if none */
    u8 pm1_cnt_len;    /**< bytes of each PM1 control block (2 unless the FADT says more) */
    /** SLP_TYP values of PM1a for S0..S5, where sleep_found says the package exists */
    u16 slp_typ_a[ACPI_SLEEP_STATES];
    /** SLP_TYP values of PM1b for S0..S5 */
    u16 slp_typ_b[ACPI_SLEEP_STATES];
    u8 sleep_found;    /**< bit n: the \_Sn package was found in the DSDT */
    u32 smi_cmd;       /**< SMI command port, 0 if none */
    u8 acpi_enable;    /**< value to write to smi_cmd to enable ACPI */
    u64 dsdt;          /**< physical address of the DSDT */
    bool reset_valid;  /**< the FADT names a reset register (RESET_REG_SUP) */
    u8 reset_space;    /**< its address space (enum acpi_space) */
    u64 reset_addr;    /**< its address: port or physical address */
    u8 reset_value;    /**< the value that resets the machine */
    u16 pm_tmr;        /**< ACPI PM timer port (3.579545 MHz), 0 if none */
    u8 pm_tmr_bits;    /**< its width: 24, or 32 with TMR_VAL_EXT */
};

/** Sum of len bytes modulo 256 (valid ACPI tables sum to 0). */
u8 acpi_checksum(const void *p, size_t len);

/**
 * Validate an RSDP (20 bytes v1, 36 bytes v2+) and return the RSDT (xsdt_out = false)
 * or XSDT (xsdt_out = true) address, or 0 if invalid.
 */
u64 acpi_rsdp_root(const u8 *rsdp, size_t len, bool *xsdt_out);

/**
 * Fill the PM1 ports, SMI fields, DSDT address and reset register from a
 * FADT of len bytes.
 * @return false if it is not a FADT or too short.
 */
bool acpi_parse_fadt(const u8 *fadt, size_t len, struct acpi_power_info *out);

/**
 * Find the \_S1 to \_S5 packages in DSDT AML bytes and fill slp_typ_a/b and
 * sleep_found for each one found. Handles the names with or without a
 * leading '\\' and the ZeroOp, OneOp, BytePrefix and WordPrefix encodings of
 * the first two package elements.
 * @return true if \_S5 was found
 */
bool acpi_find_sleep_types(const u8 *dsdt, size_t len, struct acpi_power_info *out);

/** Was the \_S5 package found (bookvisor can power off and recognise a power-off)? */
static inline bool acpi_s5_known(const struct acpi_power_info *pi)
{
    return (pi->sleep_found >> 5) & 1;
}

#endif
