/**
 * @file common/base/panic.h
 * @brief Stopping the machine: clean stops, failures and panics (VMM only).
 */
#ifndef BOOKVISOR_COMMON_BASE_PANIC_H
#define BOOKVISOR_COMMON_BASE_PANIC_H

#include "common/lib/types.h"

struct trap_frame;

/** How the machine stopped; printed by machine_stop(). */
enum machine_status {
    MACHINE_STATUS_OK,      /**< the guest finished and all checks held */
    MACHINE_STATUS_FAILURE, /**< a VMM error or a guest fault */
};

/**
 * Print `bookvisor: machine stopped (status=ok|failure)` and power off the
 * machine (ACPI S5); if that fails, halt forever. Never returns.
 */
__attribute__((noreturn)) void machine_stop(enum machine_status status);

/** Print a message, the CPU, the caller's RIP and a backtrace; stop with failure. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/** Panic for a CPU exception taken by the VMM itself. */
__attribute__((noreturn)) void panic_trap(const struct trap_frame *tf, const char *what);

#endif
