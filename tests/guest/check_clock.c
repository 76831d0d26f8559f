/**
 * @file tests/guest/check_clock.c
 * @brief bookvisor's own clock (BOOKVISOR_HC_CLOCK) is monotonic and keeps time.
 *
 * The clock counts microseconds in 64 bits from the TSC, calibrated at boot
 * (common/base/clock.h). The check reads it a thousand times (never going
 * back), then measures 50 ms of the PIT's channel 2 (ports 0x42, 0x43 and
 * 0x61, the guest's own) with it: the clock must have advanced by 40 ms to
 * 2 s (the emulators' time is loose, but not that loose). With
 * `test.clock_start=` just below 2^32 us the 50 ms carry the clock past
 * 32 bits, where a 32-bit microsecond counter wraps to 0: the note shows the
 * high word, which the clock-wrap test expects to be 1.
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "pit.h"

bool clock_read(u64 *us)
{
    struct hypercall_regs r = { BOOKVISOR_HC_CLOCK, 0, 0, 0 };
    if (!hypercall(&r) || (r.eax == BOOKVISOR_HC_UNKNOWN && r.edx == 0))
        return false;
    *us = ((u64)r.edx << 32) | r.eax;
    return true;
}

void check_clock(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u64 first, last, now;
    if (!clock_read(&first)) {
        check_fail(res, "the clock hypercall is not answered");
        return;
    }
    last = first;
    for (int i = 0; i < 1000; i++) {
        if (!clock_read(&now) || now < last) {
            check_fail(res, "the clock went back: 0x%llx after 0x%llx", now, last);
            return;
        }
        last = now;
    }
    u64 before = last;
    if (!pit_wait_50ms()) {
        check_fail(res, "the PIT's channel 2 never finished 50 ms");
        return;
    }
    clock_read(&now);
    u64 delta = now - before;
    if (now < before || delta < 40000 || delta > 2000000) {
        check_fail(res, "50 ms of the PIT took %llu us by the clock", delta);
        return;
    }
    check_note(res, "+%llu us over 50 ms of the PIT; now 0x%x:%08x", delta, (u32)(now >> 32),
               (u32)now);
}

/*
 * vmm-timer (only by name, with bookvisor's test.timer): the VMM's periodic
 * 10 ms timer (common/platform/test_timer.h) runs from the hook before each
 * entry. The guest keeps exiting (clock hypercalls) for 100 ms of the VMM's
 * clock; the timer must have run 5 to 20 times meanwhile.
 */
void check_vmm_timer(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    struct hypercall_regs r = { BOOKVISOR_HC_TEST_TIMER_COUNT, 0, 0, 0 };
    u64 start, now;
    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN) {
        check_skip(res, "no test timer (bookvisor's test.timer is off)");
        return;
    }
    u32 first = r.eax;
    if (!clock_read(&start)) {
        check_fail(res, "the clock hypercall is not answered");
        return;
    }
    u32 reads = 0;
    do {
        if (!clock_read(&now) || ++reads > 100000000u) {
            check_fail(res, "the clock stopped at 0x%llx", now);
            return;
        }
    } while (now - start < 100000);
    r = (struct hypercall_regs){ BOOKVISOR_HC_TEST_TIMER_COUNT, 0, 0, 0 };
    hypercall(&r);
    u32 runs = r.eax - first;
    if (runs < 5 || runs > 20)
        check_fail(res, "the 10 ms timer ran %u times in %llu us", runs, now - start);
    else
        check_note(res, "%u runs in %llu us, %u exits", runs, now - start, reads);
}
