/**
 * @file common/loader/linux_loader.h
 * @brief The Linux x86 boot protocol as a guest loader (pure).
 *
 * Probe: a boot sector signature and "HdrS" (a bzImage). Load
 * (common/loader/linux.h does the parts): check the header, plan, copy the
 * protected-mode kernel and the initrd (the first module after the kernel),
 * write the zero page (E820 map, command line, initrd, ACPI RSDP), a GDT and
 * identity page tables, and start the vCPU at the 64-bit entry (load address
 * + 0x200, vcpu_state_long64()) or, for a kernel without one, at the 32-bit
 * entry (vcpu_state_protected32()), with CS = __BOOT_CS, the data segments
 * = __BOOT_DS and RSI = the zero page. Every refusal names its
 * LINUX_ERR_* and says what was found.
 */
#ifndef BOOKVISOR_COMMON_LOADER_LINUX_LOADER_H
#define BOOKVISOR_COMMON_LOADER_LINUX_LOADER_H

#include "common/loader/loader.h"

/** Linux bzImages, boot protocol 2.06 and later ("a Linux bzImage"). */
extern const struct guest_loader linux_loader;

#endif
