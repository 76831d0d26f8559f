/**
 * @file tests/guest/check_net_wait.c
 * @brief net-wait: keep bookvisor running for a while, for its network thread.
 *
 * A NIC bookvisor owns (`net=ip`) is served by a VMM thread that runs only
 * when the guest exits (chapter 10). This check, only by name, makes the
 * guest exit steadily (clock hypercalls) for `net.wait_ms=N` milliseconds of
 * bookvisor's clock (default 5000), so the network test can see bookvisor
 * get its DHCP lease before the guest powers off. It fails only if the
 * clock is not answered or stops.
 */
#include "check.h"
#include "hypercall.h"

#define NET_WAIT_DEFAULT_MS 5000u
#define NET_WAIT_MAX_MS 600000u

/* net.wait_ms=N (decimal); the default when absent or not a number. */
static u32 wait_ms(const struct check_context *ctx)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    u32 len = 0, ms = 0;
    const char *v = cmdline_value(cmdline, "net.wait_ms=", &len);

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
    u32 ms = wait_ms(ctx), reads = 0;

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
