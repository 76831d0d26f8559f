/**
 * @file common/exits/smp_exits.h
 * @brief INIT and halts of the guest's other processors (VMM only, chapter 08).
 *
 * Every processor but the boot CPU runs a vCPU that the guest started with
 * INIT and start-up IPIs (common/start/smp_guest_start.c). The boot CPU's
 * vCPU (the VM's first) keeps the old meaning of INIT, a reset request,
 * which stops the machine.
 */
#ifndef BOOKVISOR_COMMON_EXITS_SMP_EXITS_H
#define BOOKVISOR_COMMON_EXITS_SMP_EXITS_H

#include "common/vm/exit_dispatch.h"

/** Is v one of the guest's application processors (not the VM's first vCPU)? */
bool smp_vcpu_is_ap(const struct vcpu *v);

/**
 * VM_EXIT_INIT on an application processor: an INIT that reached a running
 * processor (the guest's INITs through the xAPIC are taken before they are
 * sent; this one came another way, e.g. the x2APIC's ICR). Restarting a
 * processor is not supported yet: the guest stops, saying so.
 */
enum exit_action smp_exit_on_init(struct vcpu *v, struct vm_exit *e);

/**
 * A HLT with interrupts off on an application processor: what an operating
 * system does with a processor it does not use. The processor is parked
 * for good (the backend's park_cpu()) instead of the machine being stopped
 * as for a dead boot CPU; never returns then.
 * @return false when v is the boot CPU's vCPU, or the HLT cannot be skipped
 */
bool smp_exit_halt_for_good(struct vcpu *v, struct vm_exit *e);

#endif
