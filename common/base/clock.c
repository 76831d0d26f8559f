/*
 * common/base/clock.c - calibrating the TSC and reading the clock (chapter 07).
 */
#include "common/base/clock.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "common/base/acpi_power.h"
#include "common/base/kprintf.h"

#define PM_TIMER_HZ 3579545ULL
#define PIT_HZ 1193182ULL
#define CALIBRATE_PM_TICKS (PM_TIMER_HZ / 100) /* 10 ms */
#define CALIBRATE_PIT_COUNT (PIT_HZ / 100)
#define PORT_PIT_CH2 0x42
#define PORT_PIT_MODE 0x43
#define PORT_SPEAKER 0x61 /* bit 0: channel 2's gate, bit 5: its output */

/* Written once by clock_init() before anything else runs; read-only after. */
static struct {
    struct clock_scale tsc;
    u64 tsc0;
    u64 start_us;
} clock;

static u32 pm_timer_read(u16 port, unsigned bits)
{
    return inl(port) & (bits == 32 ? 0xFFFFFFFFu : 0xFFFFFFu);
}

/* TSC cycles in 10 ms of the PM timer. */
static u64 calibrate_pm_timer(u16 port, unsigned bits, u64 *ref_ticks)
{
    u32 start = pm_timer_read(port, bits);
    u64 tsc_start = rdtsc();
    u64 ticks = 0;
    u32 prev = start;
    /* Sum deltas, so that a 24-bit counter may wrap any number of times. */
    while (ticks < CALIBRATE_PM_TICKS) {
        u32 now = pm_timer_read(port, bits);
        ticks += clock_counter_delta(prev, now, bits);
        prev = now;
    }
    *ref_ticks = ticks;
    return rdtsc() - tsc_start;
}

/* TSC cycles while the PIT's channel 2 counts down 10 ms (mode 0, gate on). */
static u64 calibrate_pit(u64 *ref_ticks)
{
    u8 gate = inb(PORT_SPEAKER);
    outb(PORT_SPEAKER, (u8)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
    outb(PORT_PIT_MODE, 0xB0);                       /* channel 2, lobyte/hibyte, mode 0 */
    outb(PORT_PIT_CH2, CALIBRATE_PIT_COUNT & 0xFF);
    outb(PORT_PIT_CH2, CALIBRATE_PIT_COUNT >> 8);
    u64 tsc_start = rdtsc();
    u64 spins = 0;
    while (!(inb(PORT_SPEAKER) & 0x20) && ++spins < 100000000ULL)
        ;
    u64 cycles = rdtsc() - tsc_start;
    outb(PORT_SPEAKER, gate);
    *ref_ticks = CALIBRATE_PIT_COUNT;
    return cycles;
}

void clock_init(u64 start_us)
{
    const struct acpi_power_info *pi = acpi_power_info();
    u64 ref_ticks = 0, cycles;
    u64 ref_hz;
    const char *ref;
    if (pi->pm_tmr) {
        cycles = calibrate_pm_timer(pi->pm_tmr, pi->pm_tmr_bits, &ref_ticks);
        ref_hz = PM_TIMER_HZ;
        ref = "the ACPI PM timer";
    } else {
        cycles = calibrate_pit(&ref_ticks);
        ref_hz = PIT_HZ;
        ref = "the PIT";
    }
    u64 hz = clock_calibrate_hz(cycles, ref_ticks, ref_hz);
    if (hz == 0)
        hz = 1000000; /* a TSC that did not move: 1 MHz keeps the clock defined */
    clock.tsc = clock_scale_for(hz);
    clock.start_us = start_us;
    clock.tsc0 = rdtsc();
    kprintf("bookvisor: clock: TSC at %llu kHz (against %s over 10 ms), started at %llu us\n",
            (unsigned long long)(hz / 1000), ref, (unsigned long long)start_us);
}

u64 clock_now_us(void)
{
    if (!clock.tsc.hz)
        return 0;
    return clock.start_us + clock_cycles_to_us(&clock.tsc, rdtsc() - clock.tsc0);
}

u64 clock_us_to_tsc(u64 us)
{
    if (!clock.tsc.hz)
        return ~0ULL;
    if (us < clock.start_us)
        return clock.tsc0;
    u64 cycles = clock_us_to_cycles(&clock.tsc, us - clock.start_us + 1);
    return cycles > ~0ULL - clock.tsc0 ? ~0ULL : clock.tsc0 + cycles;
}

const struct clock_scale *clock_tsc_scale(void)
{
    return &clock.tsc;
}
