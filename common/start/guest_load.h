/**
 * @file common/start/guest_load.h
 * @brief From GRUB's modules to a loaded guest (VMM only).
 */
#ifndef BOOKVISOR_COMMON_START_GUEST_LOAD_H
#define BOOKVISOR_COMMON_START_GUEST_LOAD_H

#include "common/start/guest_boot.h"
#include "common/vm/vcpu.h"

/**
 * The guest kernel's module: the first that is not a configuration module
 * (those hold bookvisor's options, common/base/options_module.h).
 * @return its index in info->modules, or -1 when there is none
 */
int guest_load_kernel_index(const struct boot_info *info);

/**
 * Choose a loader for the guest kernel (common/loader/loaders.h), hand it
 * the kernel, the further modules (configuration modules left out), the
 * ACPI RSDP and the loader name, and let it load them into the RAM of map.
 * Prints what went where. Stops the machine with the loaders' answers when
 * none accepts the kernel, or with the reason when loading fails.
 *
 * @param p   the machine (boot information, backend)
 * @param map the guest's memory map (bookvisor's range reserved)
 * @param n   entries in map
 * @param st  receives the guest's initial vCPU state
 */
void guest_load(const struct guest_boot_params *p, const struct phys_range *map, size_t n,
                struct vcpu_init_state *st);

/**
 * BIOS chain boot (common/loader/bios_boot.h): place the real-mode start-up
 * that boots drive into the RAM of map. Prints what it did; stops the
 * machine with the reason when it cannot.
 *
 * @param p     the machine (backend: which hypercall instruction)
 * @param map   the guest's memory map
 * @param n     entries in map
 * @param drive the BIOS drive number
 * @param st    receives the guest's initial vCPU state (real mode)
 */
void guest_load_bios(const struct guest_boot_params *p, const struct phys_range *map, size_t n,
                     u8 drive, struct vcpu_init_state *st);

#endif
