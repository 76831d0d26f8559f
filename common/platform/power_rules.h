/**
 * @file common/platform/power_rules.h
 * @brief Which guest writes put the machine to sleep or reset it (pure; chapter 02).
 *
 * A thin hypervisor must see every way the guest can hand the machine back
 * to the firmware: after an ACPI sleep the firmware resumes the guest at its
 * waking vector without bookvisor, and after a reset the BIOS may even jump
 * to a vector the guest left (the CMOS shutdown byte). These functions
 * recognise such writes from the port, the access size and the value, whatever
 * width or alignment the guest chose. common/platform/power_guard.c acts on
 * them. Host-tested (tests/unit/test_power_rules.c).
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_POWER_RULES_H
#define BOOKVISOR_COMMON_PLATFORM_POWER_RULES_H

#include "common/base/acpi_tables.h"
#include "common/lib/types.h"

/** PM1 control register: SLP_TYP (bits 12:10) and SLP_EN (bit 13). */
#define PM1_CNT_SLP_TYP_SHIFT 10
#define PM1_CNT_SLP_EN (1u << 13) /**< write 1: enter the sleep state SLP_TYP names */

/**
 * Merge an I/O write of size bytes at port into a register of reg_len bytes
 * at reg_port whose value is now current: the bytes of the access that fall
 * into the register replace the register's, the others are ignored.
 * @return true if the access touches the register at all (then *out is the
 *         register's value after the write), false otherwise.
 */
bool io_write_merge(u16 reg_port, u8 reg_len, u32 current, u16 port, u8 size, u32 value,
                    u32 *out);

/**
 * The sleep state (1 to 5) a PM1 control value asks for, if it sets SLP_EN.
 * @param pi      the ACPI facts (the sleep types of \_S1 to \_S5)
 * @param block_b the value is PM1b's (its sleep types are the second package element)
 * @param cnt     the control register's value after the write
 * @return 0 when SLP_EN is clear (no sleep), the state 1..5 whose SLP_TYP
 *         matches, or -1 when SLP_EN is set with a type no \_Sn package names.
 */
int pm1_sleep_state(const struct acpi_power_info *pi, bool block_b, u32 cnt);

/**
 * The byte an I/O write of size bytes at port carries to the one-byte
 * register at lane: a guest may reach a register with a wider access that
 * starts below it. @return false when the access does not cover lane.
 */
bool io_lane_byte(u16 port, u8 size, u32 value, u16 lane, u8 *byte);

/**
 * A dword at 0xCF8 is PCI's configuration address register on every
 * chipset: its byte at 0xCF9 never reaches the reset control register.
 */
bool io_is_pci_config_address(u16 port, u8 size);

/** The reset control register at port 0xCF9: writing RST_CPU (bit 2) resets. */
bool cf9_write_resets(u8 value);

/** Port 0x92 (System Control Port A): bit 0 going from 0 to 1 is a fast reset. */
bool port92_write_resets(u8 before, u8 value);

/**
 * What the keyboard controller has been told: command 0xD1 makes the next
 * byte written to port 0x60 its output port, whose bit 0 low resets.
 */
struct kbc_watch {
    bool output_port_next; /**< the last command was 0xD1 */
};

/**
 * Follow one byte written to the keyboard controller (port 0x64: a command;
 * port 0x60: data). Resets: commands 0xF0-0xFF whose bit 0 is clear (pulse the
 * output port's reset line), and a data byte with bit 0 clear after 0xD1.
 * @return true if this write resets the machine
 */
bool kbc_write_resets(struct kbc_watch *w, u16 port, u8 value);

#endif
