/**
 * @file tests/guest/pit.h
 * @brief 8254 PIT channel 0 as a periodic interrupt source (IRQ0).
 */
#ifndef GUEST_PIT_H
#define GUEST_PIT_H

#include "gtypes.h"

/** Start channel 0 as a rate generator firing @p hz times a second (19..1193182). */
void pit_start_periodic(u32 hz);

/**
 * Make channel 0 raise IRQ0 once, @p count input ticks (of 1.193182 MHz) from
 * now: mode 0, "interrupt on terminal count", one rising edge.
 */
void pit_one_shot(u16 count);

/** Put channel 0 into one-shot mode so it stops raising periodic edges. */
void pit_stop(void);

/**
 * Wait 50 ms by channel 2 (ports 0x42, 0x43 and 0x61, no interrupt), polling
 * for its output; false when it never ended (bounded).
 */
bool pit_wait_50ms(void);

/**
 * TSC ticks in one second, measured over pit_wait_50ms(), so that a check
 * can time a loop without any exit; 0 when channel 2 never finished.
 */
u64 pit_tsc_per_second(void);

#endif
