/**
 * @file common/exits/intercepts.h
 * @brief Applying the intercept policy to a vCPU (VMM only).
 */
#ifndef BOOKVISOR_COMMON_EXITS_INTERCEPTS_H
#define BOOKVISOR_COMMON_EXITS_INTERCEPTS_H

#include "common/lib/types.h"

struct vcpu;
struct cpu_info;

/**
 * Make everything common/exits/intercept_policy.h lists exit, through v's
 * backend: the instructions and events, the MSRs for this CPU, and the
 * ports the VM's I/O hooks claim (hooks_apply_io_intercepts()). Call once,
 * after the backend's vcpu_init() and after the hooks are registered.
 *
 * @param v    the vCPU (its backend and VM are set)
 * @param cpu  the CPU it runs on
 * @param why  receives what could not be intercepted, on failure
 * @param wlen bytes at why
 * @return 0, or -1 when the backend cannot intercept something the policy
 *         needs (the guest must not start then)
 */
int intercepts_apply(struct vcpu *v, const struct cpu_info *cpu, char *why, size_t wlen);

#endif
