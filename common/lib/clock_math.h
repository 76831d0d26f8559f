/**
 * @file common/lib/clock_math.h
 * @brief The arithmetic of bookvisor's clock: TSC cycles to microseconds
 *        without overflow, calibration against a reference timer, and the
 *        wrap of narrow hardware counters (pure; chapter 07).
 *
 * The clock counts microseconds in 64 bits from the TSC, which counts
 * cycles in 64 bits: at 5 GHz it wraps after 116 years, and 2^64 us is
 * 580,000 years. The conversion must not overflow on the way:
 * cycles * 1,000,000 overflows 64 bits after 18.4e12 cycles (an hour at
 * 5 GHz), so it is done as (cycles * mult) >> 32 in 128 bits, with mult =
 * 2^32 * 1e6 / hz computed once. The reference bookvisor follows kept a
 * 32-bit microsecond counter, which wrapped after 71 minutes.
 */
#ifndef BOOKVISOR_COMMON_LIB_CLOCK_MATH_H
#define BOOKVISOR_COMMON_LIB_CLOCK_MATH_H

#include "common/lib/types.h"

/** A conversion from cycles of a counter to microseconds. */
struct clock_scale {
    u64 hz;   /**< the counter's frequency */
    u64 mult; /**< microseconds per cycle, times 2^32 */
    u64 cycles_per_us; /**< cycles per microsecond, times 2^32 */
};

/** The scale for a counter of hz cycles per second (hz > 0). */
struct clock_scale clock_scale_for(u64 hz);

/** Microseconds in cycles of s's counter, rounded down (at most 1 us short) for any 64-bit count. */
u64 clock_cycles_to_us(const struct clock_scale *s, u64 cycles);

/** Cycles of s's counter in us microseconds, rounded up (the inverse, for deadlines; saturates). */
u64 clock_us_to_cycles(const struct clock_scale *s, u64 us);

/**
 * A counter's frequency from a calibration: it advanced cycles while a
 * reference timer of ref_hz advanced ref_ticks (both > 0).
 */
u64 clock_calibrate_hz(u64 cycles, u64 ref_ticks, u64 ref_hz);

/**
 * How far a counter of bits bits (24 or 32 for the ACPI PM timer, 16 for
 * the PIT) moved from before to after, across at most one wrap.
 */
u64 clock_counter_delta(u64 before, u64 after, unsigned bits);

#endif
