/**
 * @file common/base/acpi_madt.h
 * @brief The processors the MADT lists, and a page for the start-up code (pure, host-testable).
 *
 * The ACPI MADT ("APIC" signature) names every processor of the machine by
 * its local APIC ID: a "processor local APIC" entry (type 0, 8-bit IDs) or a
 * "processor local x2APIC" entry (type 9, 32-bit IDs), each with a flags word
 * whose bit 0 says the processor is enabled (ACPI 6.5, 5.2.12). bookvisor
 * starts every enabled processor itself (chapter 08, "SMP start-up"); a
 * processor that is only online-capable (bit 1, hot-plug) is counted apart
 * and not started.
 */
#ifndef BOOKVISOR_COMMON_BASE_ACPI_MADT_H
#define BOOKVISOR_COMMON_BASE_ACPI_MADT_H

#include "common/base/vmm_layout.h"
#include "common/lib/types.h"

/** Processors bookvisor keeps track of; more are counted in madt_cpus::dropped. */
#define MADT_MAX_CPUS 64

/** What the MADT says about the processors. */
struct madt_cpus {
    u32 count;                   /**< enabled processors in apic_id[] */
    u32 apic_id[MADT_MAX_CPUS];  /**< their local APIC IDs, in table order, each once */
    u32 dropped;                 /**< enabled processors beyond MADT_MAX_CPUS */
    u32 disabled;                /**< processors listed but not enabled (not started) */
    u32 lapic_base;              /**< the table's local APIC address (32-bit field) */
};

/** Why a MADT was not read. */
enum madt_result {
    MADT_OK,          /**< read */
    MADT_NOT_MADT,    /**< no "APIC" signature */
    MADT_TOO_SHORT,   /**< shorter than its fixed part, or its length field lies */
    MADT_BAD_ENTRY,   /**< an entry of length 0 or running past the end */
};

/**
 * Read the enabled processors of a MADT of @p len bytes (its checksum is the
 * caller's to check). An APIC ID listed twice (as x2APIC and local APIC
 * entry) is kept once.
 */
enum madt_result madt_read_cpus(const u8 *madt, size_t len, struct madt_cpus *out);

/** A word for a madt_result, for the log. */
const char *madt_result_name(enum madt_result r);

/**
 * Choose the 4 KiB page for the processors' real-mode start-up code: the
 * highest page of available RAM in [0x1000, 0xA0000) (a start-up IPI can
 * only name a page below 1 MiB, and page 0 holds the real-mode interrupt
 * table). The page is needed only while bookvisor starts the processors,
 * before the guest is loaded, so it is not taken from the guest.
 * @return true and *page_out set, or false if there is none
 */
bool madt_startup_page(const struct phys_range *map, size_t nmap, u64 *page_out);

#endif
