/**
 * @file tests/guest/check_net_wait.c
 * @brief net-wait: keep bookvisor running for a while, for its network thread.
 *
 * A NIC bookvisor owns (`net=ip`) is served by a VMM thread (chapter 10).
 * This check, only by name, makes the guest exit steadily (clock
 * hypercalls) for `net.wait_ms=N` milliseconds of bookvisor's clock
 * (default 5000), so the network test can see bookvisor get its DHCP lease
 * before the guest powers off. It fails only if the clock is not answered
 * or stops.
 *
 * net-spin, only by name, is the opposite: for `net.spin_ms=N` milliseconds
 * (default 5000) the guest spins on RDTSC with IF = 0 and no exit at all,
 * after a line `# net-spin: spinning N ms without exits` on which a host
 * can start talking to bookvisor's network services. Only bookvisor's own
 * bound on the guest's run lets its network thread answer meanwhile
 * (chapter 07, "Threads wake on time"); the host judges that, this check
 * only spins (it fails only when the PIT cannot time the loop).
 *
 * net-halt, only by name, spends net.halt_ms=N milliseconds halted instead,
 * after `# net-halt: halting N ms`: sti;hlt in a loop, woken only by the
 * PIT's slowest tick (19 Hz), for the measurements of chapter 09 ("The
 * NIC's own interrupt": bookvisor halts for the guest and its network thread
 * must wake it, by its deadline or by the NIC's MSI).
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "pic.h"
#include "pit.h"
#include "print.h"
#include "runner.h"
#include "trap.h"

#define NET_WAIT_DEFAULT_MS 5000u
#define NET_WAIT_MAX_MS 600000u

/* key=N milliseconds (decimal); the default when absent or not a number. */
static u32 option_ms(const struct check_context *ctx, const char *key)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    u32 len = 0, ms = 0;
    const char *v = cmdline_value(cmdline, key, &len);

    if (!v || len == 0 || len > 6)
        return NET_WAIT_DEFAULT_MS;
    for (u32 i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return NET_WAIT_DEFAULT_MS;
        ms = ms * 10 + (u32)(v[i] - '0');
    }
    return ms > NET_WAIT_MAX_MS ? NET_WAIT_MAX_MS : ms;
}

void check_net_wait(const struct check_context *ctx, struct check_result *res)
{
    u64 start, now = 0;
    u32 ms = option_ms(ctx, "net.wait_ms="), reads = 0;

    if (!clock_read(&start)) {
        check_fail(res, "the clock hypercall is not answered");
        return;
    }
    do {
        if (!clock_read(&now) || ++reads > 2000000000u) {
            check_fail(res, "the clock stopped at 0x%llx", now);
            return;
        }
    } while (now - start < (u64)ms * 1000);
    check_note(res, "%u ms, %u exits", ms, reads);
}

/* The TSC ticks of option key's milliseconds (*ms); false, failed, when the PIT cannot time them. */
static bool option_ticks(const struct check_context *ctx, struct check_result *res,
                         const char *key, u32 *ms, u64 *ticks)
{
    u64 second = pit_tsc_per_second();
    *ms = option_ms(ctx, key);
    if (!second) {
        check_fail(res, "the PIT's channel 2 never finished 50 ms");
        return false;
    }
    /* Ticks per ms by a 32-bit division (the guest has no 64-bit one):
     * second / 8 fits 32 bits for any TSC below 34 GHz. */
    *ticks = (u64)((u32)(second >> 3) / 125u) * *ms;
    return true;
}

void check_net_spin(const struct check_context *ctx, struct check_result *res)
{
    u32 ms;
    u64 ticks;
    if (!option_ticks(ctx, res, "net.spin_ms=", &ms, &ticks))
        return;
    gprintf("# net-spin: spinning %u ms without exits\n", ms);
    cli(); /* no interrupt of the guest's own either: it never exits */
    u64 start = rdtsc();
    while (rdtsc() - start < ticks)
        __asm__ volatile("" ::: "memory");
    check_note(res, "%u ms without exits", ms);
}

/* The PIT's slowest periodic rate: the halted guest's only wake-up. */
#define NET_HALT_TICK_HZ 19
#define NET_HALT_TIMER_IRQ 0

static void on_net_halt_tick(void)
{
}

void check_net_halt(const struct check_context *ctx, struct check_result *res)
{
    u32 ms;
    u64 ticks;
    if (!option_ticks(ctx, res, "net.halt_ms=", &ms, &ticks))
        return;
    gprintf("# net-halt: halting %u ms\n", ms);
    irq_set_handler(NET_HALT_TIMER_IRQ, on_net_halt_tick);
    pit_start_periodic(NET_HALT_TICK_HZ);
    pic_unmask(NET_HALT_TIMER_IRQ);
    u64 start = rdtsc();
    while (rdtsc() - start < ticks)
        __asm__ volatile("sti; hlt; cli" ::: "memory"); /* STI's shadow: atomic */
    runner_quiesce();
    check_note(res, "%u ms halted", ms);
}
