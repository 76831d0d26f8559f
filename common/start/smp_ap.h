/**
 * @file common/start/smp_ap.h
 * @brief What smp_boot.c and smp_guest_start.c share about each processor bookvisor started (folder-private).
 */
#ifndef BOOKVISOR_COMMON_START_SMP_AP_H
#define BOOKVISOR_COMMON_START_SMP_AP_H

#include "arch/x86/percpu.h"
#include "common/lib/types.h"

struct backend_ops;
struct cpu_info;
struct guest_vm;

/** Where one processor is; the boot CPU waits on it at boot. */
enum ap_state {
    AP_SENT,      /**< start-up IPIs sent, nothing heard yet */
    AP_IN_C,      /**< on its own stack in 64-bit C: done with the trampoline */
    AP_WAITING,   /**< virtualization on; waits for the guest to start it */
    AP_FAILED,    /**< enable_cpu() failed: parked */
};

/** ap_start::vector before the guest's start-up IPI. */
#define AP_NO_VECTOR 0xFFFFFFFFu

/**
 * One processor bookvisor started. The boot CPU writes the first fields
 * before the processor runs; then state is the processor's, and vm,
 * cpu_info, init_seen and vector are written once each, by the boot CPU
 * (vm, cpu_info) and by whichever vCPU sends the guest's INIT and SIPI.
 */
struct ap_start {
    struct cpu *cpu;                  /**< its struct cpu (from the page allocator) */
    u32 index;                        /**< its CPU number (1, 2, ...) */
    u32 apic_id;                      /**< its local APIC ID, from the MADT */
    u64 stack_top;                    /**< top of its stack */
    const struct backend_ops *backend; /**< the backend chosen on the boot CPU */
    volatile u32 state;               /**< enum ap_state, written by the processor */
    const struct cpu_info *cpu_info;  /**< the boot CPU's, for the intercept policy */
    struct guest_vm *volatile vm;     /**< the guest's VM, once it exists */
    volatile u32 init_seen;           /**< the guest sent it an INIT */
    volatile u32 vector;              /**< the guest's start-up vector, or AP_NO_VECTOR */
};

/** The @p i th processor started at boot (the list is written at boot only). */
struct ap_start *smp_ap(u32 i);

/** How many processors were started at boot, the boot CPU not counted. */
u32 smp_ap_count(void);

/**
 * On the processor, once virtualization is on: wait, INIT held, for the
 * guest's INIT and SIPI, then run its vCPU from the SIPI's vector. Never returns.
 */
void smp_ap_wait_for_guest(struct ap_start *a);

#endif
