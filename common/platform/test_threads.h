/**
 * @file common/platform/test_threads.h
 * @brief Three VMM threads for the thread test (option test.threads; chapter 07).
 *
 * "yielder" prints three steps, yielding between them, then signals an event;
 * "sleeper" sleeps 20 ms of bookvisor's clock and prints how long it slept;
 * "waiter" waits for the yielder's event and prints that it came. The log
 * lines and their order are what tests/emu/threads.test expects.
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_TEST_THREADS_H
#define BOOKVISOR_COMMON_PLATFORM_TEST_THREADS_H

/** Create the three test threads; they run in the first batches after the guest starts. */
void test_threads_install(void);

#endif
