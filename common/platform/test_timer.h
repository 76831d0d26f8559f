/**
 * @file common/platform/test_timer.h
 * @brief A VMM timer for tests (option test.timer; chapter 07, "Timers").
 *
 * With the option, bookvisor starts a periodic timer of 10 ms on the boot
 * CPU before the guest runs; it counts its runs. The hypercall
 * HC_TEST_TIMER_COUNT (common/exits/hypercall.h) gives the count to the test
 * guest, which checks that the timer ran about as often as its clock says it
 * should while the guest kept exiting; HC_TEST_TIMER_LATE gives the worst
 * lateness of its runs, which the guest checks after spinning without exits
 * (vmm-timer-spin).
 *
 * With test.timer_thread instead, the runs are a VMM thread's, which sleeps
 * until each 10 ms deadline (thread_sleep_us()): the same hypercalls then
 * show whether a sleeping thread wakes on time while the guest never exits
 * (chapter 07, "Threads wake on time").
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_TEST_TIMER_H
#define BOOKVISOR_COMMON_PLATFORM_TEST_TIMER_H

#include "common/lib/types.h"

/** The test timer's period in microseconds. */
#define TEST_TIMER_PERIOD_US 10000

/** Start the test timer on this CPU; prints a line. */
void test_timer_install(void);

/** Start the test thread instead (test.timer_thread); prints a line. */
void test_timer_install_thread(void);

/** Runs of the test timer so far. */
u64 test_timer_count(void);

/**
 * The worst lateness of the test timer's runs (us from its deadline to the
 * run) since the previous call, which it starts again from 0. Call on the
 * boot CPU, where the timer runs (no lock).
 */
u64 test_timer_take_late(void);

#endif
