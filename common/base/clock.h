/**
 * @file common/base/clock.h
 * @brief bookvisor's own time: a monotonic 64-bit microsecond clock from the
 *        TSC, calibrated at boot (VMM only; chapter 07).
 *
 * clock_init() measures the TSC against a timer whose frequency is known:
 * the ACPI PM timer (3.579545 MHz) when the FADT names one, else the PIT's
 * channel 2 (1.193182 MHz), for 10 ms. From then on clock_now_us() is
 * (TSC - TSC at boot) in microseconds, plus the start value (0, or
 * `test.clock_start=` to try the clock past 2^32 us without waiting 71
 * minutes). The conversion never overflows (common/lib/clock_math.h).
 *
 * One clock for all CPUs: it assumes the TSCs of all CPUs run together
 * (an invariant TSC, synchronised at reset), as every CPU bookvisor targets
 * provides; a CPU without one is reported at boot.
 */
#ifndef BOOKVISOR_COMMON_BASE_CLOCK_H
#define BOOKVISOR_COMMON_BASE_CLOCK_H

#include "common/lib/clock_math.h"
#include "common/lib/types.h"

/**
 * Calibrate the TSC and start the clock at start_us; logs the frequency and
 * the reference used. Call once, on the boot CPU, before any other CPU or
 * the guest runs (the clock's fields are read-only afterwards: no lock).
 */
void clock_init(u64 start_us);

/** Microseconds since clock_init(), plus its start value. 0 before clock_init(). */
u64 clock_now_us(void);

/**
 * The TSC value by which clock_now_us() reads at least us (for hardware
 * deadlines on the TSC, such as the VMX-preemption timer). It aims one
 * microsecond late, since a reading may come out up to 1 us short; a time
 * already past gives the TSC at the clock's start, ~0 when it does not fit.
 */
u64 clock_us_to_tsc(u64 us);

/** The TSC's scale, as calibrated (hz = 0 before clock_init()). */
const struct clock_scale *clock_tsc_scale(void);

#endif
