/*
 * Fuzz target for the network API's frame path (net/net_frame.c,
 * net/netapi.c; chapter 09): any bytes, as a frame received by a NIC, sent
 * by the guest, sent by the stack and sent as a log frame bookvisor built
 * (tty=1; netapi_log_send()), through every module. Invariants,
 * checked with abort():
 *  - a frame is delivered or sent only when net_frame_parse() accepts it,
 *    and then whole (the length given is the length received);
 *  - the parser never says a header is there that the frame cannot hold
 *    (l3_offset and the IPv4 or ARP header within the length);
 *  - every frame is counted exactly once per side: delivered, sent, dropped
 *    or malformed.
 * AddressSanitizer catches any read past the input.
 *
 * The first input byte picks the stack's IP from the frame itself or none;
 * the rest is the frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/netapi.h"

static size_t expect_len;
static unsigned delivered;

static void check_delivery(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    (void)frame;
    if (len != expect_len)
        abort();
    delivered++;
}

static int send_ok(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    (void)frame;
    if (len != expect_len)
        abort();
    delivered++;
    return 0;
}

static const struct net_nic_ops ops = { send_ok, NULL };

static u64 handled(const struct net_nic_counters *c)
{
    u64 n = c->to_guest + c->to_stack + c->nic_out + c->dropped;
    for (int i = 0; i < 5; i++)
        n += c->malformed[i];
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "pass", "null", "ip", "ippass", "filter", "log" };
    if (size < 1)
        return 0;
    bool ip_from_frame = data[0] & 1;
    const uint8_t *frame = data + 1;
    size_t len = size - 1;

    struct net_frame_info fi;
    enum net_frame_error e = net_frame_parse(frame, len, &fi);
    if (e == NET_FRAME_OK) {
        if (fi.l3_offset > len || fi.l3_offset < NET_ETH_HEADER)
            abort();
        if (fi.ethertype == NET_ETHERTYPE_IPV4 && fi.l3_offset + 20 > len)
            abort();
        if (fi.ethertype == NET_ETHERTYPE_ARP && fi.l3_offset + 28 > len)
            abort();
    }

    for (unsigned m = 0; m < sizeof(names) / sizeof(names[0]); m++) {
        static struct net_nic nic;
        netapi_reset();
        memset(&nic, 0, sizeof(nic));
        nic.ops = &ops;
        nic.guest = (struct net_endpoint){ check_delivery, NULL };
        nic.stack = (struct net_endpoint){ check_delivery, NULL };
        memset(nic.stack_mac, 0x02, 6);
        nic.stack_ip = ip_from_frame && e == NET_FRAME_OK && fi.has_ipv4_dst ? fi.ipv4_dst : 0;
        if (netapi_nic_register(&nic, names[m]) != 0)
            abort();
        expect_len = len;
        delivered = 0;
        netapi_nic_receive(&nic, frame, len);
        netapi_guest_send(&nic, frame, len);
        netapi_stack_send(&nic, frame, len);
        /* The NIC as the log's (tty=1; only null refuses), and a log frame bookvisor built. */
        int took = netapi_nic_take_log(&nic);
        if ((took != 0) != (m == 1))
            abort();
        if (took == 0)
            (void)netapi_log_send(&nic, frame, len);
        /* Three or four frames in; each handled once (ippass delivers a broadcast twice,
         * from each side: to the other side and the wire, or to both sides). */
        u64 in = nic.count.nic_in + nic.count.from_guest + nic.count.from_stack +
                 nic.count.from_log;
        u64 out = handled(&nic.count);
        if (in != (took == 0 ? 4u : 3u) || out < in || out > in + (m == 3 ? 3u : 1u))
            abort();
        if (e != NET_FRAME_OK && delivered != 0)
            abort();
        /* filter: every checked frame judged once per side that reached it, drops counted. */
        const struct net_filter_counts *fc = &nic.filter;
        u64 judged = 0;
        for (int d = 0; d < NET_FILTER_DIRS; d++)
            for (int k = 0; k < NET_FILTER_KINDS; k++)
                judged += fc->frames[d][k];
        if (judged != (m == 4 && e == NET_FRAME_OK ? 2u : 0u) ||
            fc->dropped[0] + fc->dropped[1] > judged)
            abort();
    }
    return 0;
}
