/*
 * common/lib/clock_math.c - cycles to microseconds in 128 bits, calibration,
 * narrow counters' wrap (chapter 07). Only multiplications are 128 bits wide
 * on the paths that run often; the two divisions of 128 bits (at calibration)
 * are done by hand, since bookvisor links no compiler runtime.
 */
#include "common/lib/clock_math.h"

#define US_PER_S 1000000ULL

/* n / d by binary long division; d > 0, and the quotient must fit 64 bits. */
static u64 div128_64(unsigned __int128 n, u64 d)
{
    unsigned __int128 rem = 0;
    u64 q = 0;
    for (int bit = 127; bit >= 0; bit--) {
        rem = (rem << 1) | (u64)((n >> bit) & 1);
        if (rem >= d) {
            rem -= d;
            if (bit < 64)
                q |= 1ULL << bit;
        }
    }
    return q;
}

struct clock_scale clock_scale_for(u64 hz)
{
    struct clock_scale s = { hz, 0, 0 };
    s.mult = div128_64((unsigned __int128)US_PER_S << 32, hz);
    s.cycles_per_us = div128_64((unsigned __int128)hz << 32, US_PER_S);
    return s;
}

u64 clock_cycles_to_us(const struct clock_scale *s, u64 cycles)
{
    /* Whole seconds exactly, the rest through mult: the rounding of mult
     * never builds up over a long uptime. */
    u64 secs = cycles / s->hz;
    u64 rest = cycles % s->hz;
    return secs * US_PER_S + (u64)(((unsigned __int128)rest * s->mult) >> 32);
}

u64 clock_us_to_cycles(const struct clock_scale *s, u64 us)
{
    u64 secs = us / US_PER_S;
    u64 rest = us % US_PER_S;
    unsigned __int128 c = (unsigned __int128)secs * s->hz +
                          (((unsigned __int128)rest * s->cycles_per_us + 0xFFFFFFFFu) >> 32);
    return c > ~0ULL ? ~0ULL : (u64)c;
}

u64 clock_calibrate_hz(u64 cycles, u64 ref_ticks, u64 ref_hz)
{
    return div128_64((unsigned __int128)cycles * ref_hz + ref_ticks / 2, ref_ticks);
}

u64 clock_counter_delta(u64 before, u64 after, unsigned bits)
{
    u64 mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
    return (after - before) & mask;
}
