/**
 * @file common/loader/bios_boot.h
 * @brief BIOS chain boot: start the guest the way the BIOS starts an
 *        operating system, from the boot drive's first sector (pure).
 *
 * With the option `boot=` (a BIOS drive number, e.g. `boot=0x80` for the
 * first hard disk; `make iso GUEST=bios`), bookvisor loads no kernel. It
 * copies a real-mode start-up (common/loader/bios_boot_code.S) into the
 * guest's memory and starts the guest there, in real mode, with the BIOS,
 * its interrupt table and its data area as GRUB left them. The start-up
 * reads the drive's first sector to 0000:7C00 with INT 13h, checks its
 * 55 AA signature and jumps there with DL = the drive; it reports a read
 * error or a missing signature with the hypercall HC_BIOS_BOOT_FAILED,
 * and bookvisor stops the guest with a message
 * (bios_boot_failure_text()).
 */
#ifndef BOOKVISOR_COMMON_LOADER_BIOS_BOOT_H
#define BOOKVISOR_COMMON_LOADER_BIOS_BOOT_H

#include "common/lib/types.h"
#include "common/loader/loader.h"

/** Where the start-up runs: this segment, IP = 0 (0x600, below the boot sector and its stack). */
#define BIOS_BOOT_CODE_SEG 0x60
/** Offset of the drive byte in the start-up. */
#define BIOS_BOOT_PARAM_DRIVE 2
/** Offset of the "use VMMCALL" byte in the start-up. */
#define BIOS_BOOT_PARAM_VMMCALL 3
/** EBX of HC_BIOS_BOOT_FAILED when the sector has no 55 AA signature (else the INT 13h status). */
#define BIOS_BOOT_NO_SIGNATURE 0x100

/** The start-up's bytes (common/loader/bios_boot_code.S). */
extern const u8 bios_boot_code[];
/** One past its last byte. */
extern const u8 bios_boot_code_end[];

/**
 * Place the start-up for drive in mem and give the real-mode state that
 * runs it (BIOS_BOOT_CODE_SEG:0, interrupts off until it sets its stack).
 * @param drive   the BIOS drive number to boot (0x00 first floppy, 0x80 first hard disk)
 * @param vmmcall true when the hypercall instruction is AMD-V's VMMCALL
 * @param mem     the guest's memory, where the start-up goes
 * @param out     receives the real-mode state that runs it
 * @param why     receives what could not be done, on failure
 * @param wlen    bytes at why
 * @return 0, or negative with why saying what could not be done
 */
int bios_boot_load(u8 drive, bool vmmcall, const struct guest_memory *mem,
                   struct loader_result *out, char *why, size_t wlen);

/**
 * What a failed chain boot means, for bookvisor's message.
 * @param status EBX of HC_BIOS_BOOT_FAILED
 * @param len    bytes at out
 * @param out    receives e.g. "the BIOS could not read its first sector (INT 13h status 0x01: bad command or no such drive)"
 */
void bios_boot_failure_text(u32 status, char *out, size_t len);

#endif
