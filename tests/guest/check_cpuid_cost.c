/**
 * @file tests/guest/check_cpuid_cost.c
 * @brief Measure a CPUID exit round trip: the minimum of `rdtsc; cpuid; rdtsc`.
 *
 * On Bochs the TSC counts instructions, so the minimum is the number of
 * instructions the round trip costs, VMM code included (bare Bochs: 6).
 * The check always passes; its note carries the number for `make bench`.
 */
#include "check.h"

static inline u64 rdtsc64(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

void check_cpuid_cost(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u64 best = ~0ULL;
    for (int i = 0; i < 200; i++) {
        u32 a = 0, b, c = 0, d;
        u64 t0 = rdtsc64();
        __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
        u64 t1 = rdtsc64();
        if (t1 - t0 < best)
            best = t1 - t0;
    }
    check_note(res, "min %u cycles", (u32)best);
}
