/**
 * @file common/start/smp_guest_start.h
 * @brief The guest starts its other processors, and each runs under bookvisor (VMM only, chapter 08).
 */
#ifndef BOOKVISOR_COMMON_START_SMP_GUEST_START_H
#define BOOKVISOR_COMMON_START_SMP_GUEST_START_H

struct cpu_info;
struct guest_vm;

/**
 * Once the guest's VM and its first vCPU are made, and when bookvisor
 * started other processors (smp_boot_start_cpus()): hook the local APIC's
 * page (xAPIC) so that the guest's INIT and start-up IPIs are taken instead
 * of sent, and hand @p vm to the waiting processors. A processor that gets an
 * INIT and then a SIPI makes its vCPU of @p vm, with the intercept policy for
 * @p cpu, in real mode at the SIPI's vector, and runs it. Every other write
 * to the APIC goes on to the hardware.
 */
void smp_guest_start_init(struct guest_vm *vm, const struct cpu_info *cpu);

#endif
