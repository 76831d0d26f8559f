/**
 * @file common/start/guest_boot.h
 * @brief Starting the guest: load it, build its VM, run it, report (VMM only).
 */
#ifndef BOOKVISOR_COMMON_START_GUEST_BOOT_H
#define BOOKVISOR_COMMON_START_GUEST_BOOT_H

#include "common/base/boot_info.h"
#include "common/base/vmm_layout.h"

struct backend_ops;
struct cpu_info;

/** What guest_boot() needs to know about the machine. */
struct guest_boot_params {
    const struct backend_ops *backend;   /**< chosen backend */
    const struct boot_info *info;         /**< bookvisor's boot information (copied; its modules are the staged ones) */
    const struct phys_range *firmware_map; /**< the firmware memory map */
    size_t firmware_map_len;             /**< entries in firmware_map */
    u64 vmm_base;                        /**< start of the VMM region */
    u64 vmm_size;                        /**< bytes of the VMM region */
    struct phys_range staged;            /**< guest RAM holding the modules until they are loaded (length 0: none) */
    const struct cpu_info *cpu;          /**< the boot CPU */
};

/**
 * Load the guest kernel (the first module that is not a configuration
 * module) with the loader that accepts it, build its nested page tables and
 * its vCPU, apply the intercept policy, run it until it stops, report, and
 * stop the machine.
 */
__attribute__((noreturn)) void guest_boot(const struct guest_boot_params *p);

/**
 * "bookvisor: cannot start the guest: " and the formatted reason, then stop
 * the machine with a failure status. For every step of guest_boot().
 */
__attribute__((noreturn, format(printf, 1, 2))) void guest_boot_fail(const char *fmt, ...);

#endif
