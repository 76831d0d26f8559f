/**
 * @file tests/guest/runner.h
 * @brief Run the selected checks, numbered in run order, and count outcomes.
 */
#ifndef GUEST_RUNNER_H
#define GUEST_RUNNER_H

#include "bootinfo.h"
#include "gtypes.h"

/** Tally of printed results. */
struct run_totals {
    u32 number; /**< last number used */
    u32 passed; /**< ok lines (skips included) */
    u32 failed; /**< not ok lines */
};

/**
 * Run every check selected by the command line in @p boot, printing one
 * line each; an unexpected exception fails that check and the next runs.
 * Unknown names in `tests=` are reported as failures at the end.
 */
void runner_run(const struct boot_info *boot, struct run_totals *totals);

/** Put interrupt sources back to quiet: IF=0, PIC lines masked, PIT stopped. */
void runner_quiesce(void);

#endif
