/**
 * @file common/vm/bench_ticks.h
 * @brief Where the time stamp counter goes: bookvisor's own share of a run,
 * in a bench build only (`make BENCH=1`, chapter 14, "Linux under bookvisor").
 *
 * On Bochs the TSC counts instructions, so TSC ticks spent between an exit
 * and the next entry are instructions bookvisor executed. A bench build
 * (BOOKVISOR_BENCH_TICKS defined) reads the TSC where common code starts an
 * exit and again after the hook before entry, and around the real HLT a
 * guest's HLT becomes (halted ticks are no instructions), and prints the sums
 * when the guest stops. In every other build the macros are empty, so the
 * exit path pays nothing for them.
 */
#ifndef BOOKVISOR_COMMON_VM_BENCH_TICKS_H
#define BOOKVISOR_COMMON_VM_BENCH_TICKS_H

#include "common/lib/types.h"

/** TSC sums of one vCPU in a bench build (all zero elsewhere). */
struct bench_ticks {
    u64 in_exits; /**< ticks from common code's start of an exit to the entry after it */
    u64 halted;   /**< ticks the real CPU halted for the guest's HLT (part of in_exits) */
    u64 timed;    /**< exits timed (those that reached C; not the fast path's) */
};

/** TSC values of the VMM's own boot in a bench build (written once, by the boot CPU). */
struct bench_boot_ticks {
    u64 start;       /**< read first thing in boot_main() */
    u64 first_entry; /**< read just before the boot vCPU first runs */
};

/** The boot CPU's readings (common/start). */
extern struct bench_boot_ticks bench_boot_ticks;

#if defined(BOOKVISOR_BENCH_TICKS) && !defined(BOOKVISOR_HOST)
/** The TSC (its own copy: this header reaches pure files, which may not see arch/x86/cpu.h). */
static inline u64 bench_rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}
/** Start timing (declares a local named t). */
#define BENCH_TICKS_BEGIN(t) u64 t = bench_rdtsc()
/** Add the ticks since BENCH_TICKS_BEGIN(t) to v's field. */
#define BENCH_TICKS_ADD(v, field, t) ((v)->bench.field += bench_rdtsc() - (t))
/** Count one timed exit of v. */
#define BENCH_TICKS_COUNT(v) ((v)->bench.timed++)
/** Read the TSC into a variable (bench builds only; 0 elsewhere). */
#define BENCH_TICKS_NOW() bench_rdtsc()
/** True in a bench build. */
#define BENCH_TICKS_ON 1
#else
/** Outside a bench build: nothing. */
#define BENCH_TICKS_BEGIN(t) do { } while (0)
/** Outside a bench build: nothing. */
#define BENCH_TICKS_ADD(v, field, t) do { } while (0)
/** Outside a bench build: nothing. */
#define BENCH_TICKS_COUNT(v) do { } while (0)
/** Outside a bench build: 0, no TSC read. */
#define BENCH_TICKS_NOW() 0
/** False outside a bench build. */
#define BENCH_TICKS_ON 0
#endif

#endif
