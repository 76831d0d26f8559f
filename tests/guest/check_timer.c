/**
 * @file tests/guest/check_timer.c
 * @brief A periodic PIT interrupt wakes the CPU from HLT.
 *
 * HLT with no interrupt coming would never return, so the timer is first
 * seen to fire during a bounded busy wait; only then does the guest halt.
 *
 * hlt-low-vector does the same with the master PIC at vector 0x10, below 32,
 * where a BIOS-style guest may put it: the VMM halts for the guest, the timer
 * reaches the VMM as vector 0x10 (an exception vector on its own IDT), and
 * must still be reflected into the guest, not taken for a VMM fault.
 */
#include "check.h"
#include "cpu.h"
#include "pic.h"
#include "pit.h"
#include "runner.h"
#include "trap.h"

#define TIMER_IRQ 0
#define TIMER_HZ 1000
#define HLT_ROUNDS 5
/* Each iteration is one port read (about 1 us on real hardware), so the
 * wait for the first tick (1 ms expected) gives up after roughly 2 s. */
#define FIRST_TICK_POLLS 2000000u
#define SLOW_PORT 0x61 /* system control port B: reading it is harmless */

static volatile u32 ticks;

static void on_timer(void)
{
    ticks++;
}

/* Wait for a first tick (bounded), then HLT_ROUNDS times sti;hlt, each
 * expected to return with one more tick. */
void timer_hlt_rounds(struct check_result *res)
{
    ticks = 0;
    irq_set_handler(TIMER_IRQ, on_timer);
    pit_start_periodic(TIMER_HZ);
    pic_unmask(TIMER_IRQ);

    __asm__ volatile("sti" ::: "memory");
    for (u32 i = 0; i < FIRST_TICK_POLLS && ticks == 0; i++)
        (void)inb(SLOW_PORT);
    cli();

    if (ticks == 0) {
        check_fail(res, "no timer interrupt (IRQ0) within the bounded wait");
    } else {
        for (u32 round = 0; round < HLT_ROUNDS; round++) {
            u32 before = ticks;
            /* STI's one-instruction shadow makes STI;HLT atomic. */
            __asm__ volatile("sti; hlt; cli" ::: "memory");
            if (ticks == before) {
                check_fail(res, "HLT round %u returned without a tick", round + 1);
                break;
            }
        }
    }
    runner_quiesce();
}

void check_hlt_timer(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    timer_hlt_rounds(res);
}

/* 0x10: IRQ0 lands on vector 16 (#MF), which pushes no error code, so the
 * guest's own stubs see an ordinary interrupt frame. */
#define LOW_MASTER_BASE 0x10

void check_hlt_low_vector(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    pic_init_at(LOW_MASTER_BASE);
    timer_hlt_rounds(res);
    pic_init(); /* back to 0x20, every line masked */
    if (res->status == CHECK_PASS)
        check_note(res, "IRQ0 at vector 0x%x", LOW_MASTER_BASE);
}
