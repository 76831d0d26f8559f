/**
 * @file common/start/guest_report.h
 * @brief Run the guest, then say how it ended (VMM only).
 */
#ifndef BOOKVISOR_COMMON_START_GUEST_REPORT_H
#define BOOKVISOR_COMMON_START_GUEST_REPORT_H

struct vcpu;

/**
 * Run v until it stops, then report: the stop reason, the backend's state
 * dump unless the guest switched the machine off, the exit counters, the
 * nested-paging statistics and the VMM canary. The machine stops with
 * status ok only when the guest switched it off and the canary is intact.
 */
__attribute__((noreturn)) void guest_run_and_report(struct vcpu *v);

#endif
