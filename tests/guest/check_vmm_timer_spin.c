/**
 * @file tests/guest/check_vmm_timer_spin.c
 * @brief vmm-timer-spin: bookvisor's timers keep time while the guest never exits.
 *
 * With bookvisor's test.timer a periodic 10 ms VMM timer runs (100 Hz). A
 * guest that exits often gives the VMM many chances to run it (vmm-timer);
 * this check gives it none: it spins on RDTSC, which does not exit, for one
 * second. The VMM must still run its timer near each deadline, by bounding
 * the guest's run itself (VT-x: the VMX-preemption timer; chapter 07). After
 * the loop the guest asks how often the timer ran (BOOKVISOR_HC_TEST_TIMER_COUNT)
 * and how late its worst run was (BOOKVISOR_HC_TEST_TIMER_LATE): at least 90
 * runs, none later than 20 ms. Without the bound the timer runs once, a
 * second late.
 *
 * The second is measured by the TSC, calibrated against 50 ms of the PIT's
 * channel 2 (as the clock check measures it), so the loop needs no exit.
 *
 * vmm-timer-halt is the same second spent halted instead: sti;hlt in a loop,
 * woken only by the PIT's channel 0 at its slowest rate (19 Hz, a tick every
 * 53 ms). bookvisor halts for the guest; before it bounded that wait by its
 * own deadlines (chapter 07, "A halted guest") its timer ran only when a tick
 * came, 19 times, up to 50 ms late.
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "pic.h"
#include "pit.h"
#include "runner.h"
#include "trap.h"

#define SPIN_MIN_RUNS 90
#define SPIN_MAX_LATE_US 20000
/* The PIT's slowest periodic rate: the guest's only wake-up while it halts. */
#define HALT_TICK_HZ 19
#define TIMER_IRQ 0

static bool timer_call(u32 function, u32 *out)
{
    struct hypercall_regs r = { function, 0, 0, 0 };
    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN)
        return false;
    *out = r.eax;
    return true;
}

static volatile u32 halt_ticks;

static void on_halt_tick(void)
{
    halt_ticks++;
}

/* One second (of TSC ticks) with no exit of the guest's own doing, or halted. */
static void spend_second(u64 second, bool halt)
{
    u64 start = rdtsc();
    if (!halt) {
        while (rdtsc() - start < second)
            __asm__ volatile("" ::: "memory");
        return;
    }
    halt_ticks = 0;
    irq_set_handler(TIMER_IRQ, on_halt_tick);
    pit_start_periodic(HALT_TICK_HZ);
    pic_unmask(TIMER_IRQ);
    while (rdtsc() - start < second)
        __asm__ volatile("sti; hlt; cli" ::: "memory"); /* STI's shadow: atomic */
    runner_quiesce();
}

static void vmm_timer_while(struct check_result *res, bool halt)
{
    const char *how = halt ? "halted" : "of spinning";
    u32 first, runs, late;
    u64 clock_start, clock_end;
    if (!timer_call(BOOKVISOR_HC_TEST_TIMER_COUNT, &first)) {
        check_skip(res, "no test timer (bookvisor's test.timer is off)");
        return;
    }
    u64 second = pit_tsc_per_second();
    if (!second) {
        check_fail(res, "the PIT's channel 2 never finished 50 ms");
        return;
    }
    if (!clock_read(&clock_start) || !timer_call(BOOKVISOR_HC_TEST_TIMER_COUNT, &first) ||
        !timer_call(BOOKVISOR_HC_TEST_TIMER_LATE, &late)) {
        check_fail(res, "the clock or timer hypercalls are not answered");
        return;
    }

    spend_second(second, halt);

    if (!timer_call(BOOKVISOR_HC_TEST_TIMER_LATE, &late) ||
        !timer_call(BOOKVISOR_HC_TEST_TIMER_COUNT, &runs) || !clock_read(&clock_end)) {
        check_fail(res, "the clock or timer hypercalls are not answered");
        return;
    }
    runs -= first;
    u64 took = clock_end - clock_start;
    if (runs < SPIN_MIN_RUNS || late > SPIN_MAX_LATE_US)
        check_fail(res, "the 10 ms timer ran %u times in %llu us %s, worst %u us late", runs,
                   took, how, late);
    else if (halt && halt_ticks == 0)
        check_fail(res, "the PIT's %u Hz tick never woke the halted guest", HALT_TICK_HZ);
    else
        check_note(res, "%u runs in %llu us %s, worst %u us late", runs, took, how, late);
}

void check_vmm_timer_spin(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    vmm_timer_while(res, false);
}

void check_vmm_timer_halt(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    vmm_timer_while(res, true);
}
