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
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "pit.h"
#include "print.h"

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

void check_net_spin(const struct check_context *ctx, struct check_result *res)
{
    u32 ms = option_ms(ctx, "net.spin_ms=");
    u64 second = pit_tsc_per_second();
    if (!second) {
        check_fail(res, "the PIT's channel 2 never finished 50 ms");
        return;
    }
    /* Ticks per ms by a 32-bit division (the guest has no 64-bit one):
     * second / 8 fits 32 bits for any TSC below 34 GHz. */
    u64 ticks = (u64)((u32)(second >> 3) / 125u) * ms;
    gprintf("# net-spin: spinning %u ms without exits\n", ms);
    cli(); /* no interrupt of the guest's own either: it never exits */
    u64 start = rdtsc();
    while (rdtsc() - start < ticks)
        __asm__ volatile("" ::: "memory");
    check_note(res, "%u ms without exits", ms);
}
