/*
 * common/platform/test_threads.c - three VMM threads that yield, sleep and
 * wait, for the thread test (chapter 07).
 */
#include "common/platform/test_threads.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/base/thread.h"

static int yielder_done; /* the event: its address */

static void yielder(void *arg)
{
    (void)arg;
    for (int step = 1; step <= 3; step++) {
        kprintf("bookvisor: test.threads: yielder step %d\n", step);
        thread_yield();
    }
    thread_signal(&yielder_done);
}

static void sleeper(void *arg)
{
    (void)arg;
    u64 start = clock_now_us();
    thread_sleep_us(20000);
    kprintf("bookvisor: test.threads: sleeper woke after %llu us\n",
            (unsigned long long)(clock_now_us() - start));
}

static void waiter(void *arg)
{
    (void)arg;
    thread_wait(&yielder_done);
    kprintf("bookvisor: test.threads: waiter saw the yielder's event\n");
}

void test_threads_install(void)
{
    thread_create("yielder", yielder, NULL);
    thread_create("sleeper", sleeper, NULL);
    thread_create("waiter", waiter, NULL);
    kprintf("bookvisor: test.threads: 3 threads created\n");
}
