/**
 * @file common/start/smp_boot.h
 * @brief Starting the machine's other processors under bookvisor's control (VMM only, chapter 08).
 */
#ifndef BOOKVISOR_COMMON_START_SMP_BOOT_H
#define BOOKVISOR_COMMON_START_SMP_BOOT_H

#include "common/base/vmm_layout.h"

struct backend_ops;

/**
 * Start every other enabled processor the MADT lists, one at a time, before
 * the guest is loaded: INIT, start-up IPI (twice if needed) to a trampoline in
 * a free page below 1 MiB, then on the
 * processor itself its own struct cpu and stack (percpu_start()),
 * virtualization on (the backend's enable_cpu()) and a line in the log; then
 * it waits in bookvisor, with INIT held, for the guest to start it
 * (common/start/smp_guest_start.h). A processor that cannot be started or cannot enable
 * virtualization stops the machine: left alone, the guest could start it
 * outside bookvisor, with every byte of bookvisor's memory in its reach.
 * @param backend the backend chosen on the boot CPU (probe() done)
 * @param map     the firmware's memory map (where a free page below 1 MiB is)
 * @param n       entries in @p map
 */
void smp_boot_start_cpus(const struct backend_ops *backend, const struct phys_range *map, size_t n);

#endif
