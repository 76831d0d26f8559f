/*
 * Unit tests for net/net_filter.c (lab 10) and the `filter` module in
 * net/netapi.c: every frame counted once by direction and kind, whatever the
 * verdict; the drop rule case by case, in each direction; the counters line;
 * the module hands on exactly the frames the filter passes.
 * unit-sources: net/net_filter.c net/netapi.c net/net_frame.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "net/net_filter.h"
#include "net/netapi.h"
#include "tests/unit/unit_main.h"

static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 peer_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
#define ETHERTYPE_IPV6 0x86DD

/*
 * A well-formed frame in f (64 bytes): dst, src, an optional VLAN tag, the
 * type and a minimal IPv4 or ARP header. Returns its length.
 */
static size_t make(u8 *f, const u8 dst[6], const u8 src[6], u16 type, bool vlan)
{
    size_t at = 12;
    memset(f, 0, 64);
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    if (vlan) {
        f[12] = 0x81, f[13] = 0x00, f[15] = 5; /* VLAN 5 */
        at = 16;
    }
    f[at] = (u8)(type >> 8), f[at + 1] = (u8)type;
    u8 *l3 = f + at + 2;
    if (type == NET_ETHERTYPE_IPV4)
        l3[0] = 0x45;
    if (type == NET_ETHERTYPE_ARP)
        l3[1] = 1, l3[2] = 0x08, l3[4] = 6, l3[5] = 4, l3[7] = 1;
    return 64;
}

/* Parse a frame made by make(); the filter only ever sees checked frames. */
static struct net_frame_info info(const u8 dst[6], const u8 src[6], u16 type, bool vlan)
{
    static u8 f[64];
    struct net_frame_info i;
    size_t n = make(f, dst, src, type, vlan);
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_OK);
    return i;
}

static enum net_filter_verdict judge(struct net_filter_counts *c, enum net_filter_dir dir,
                                     const u8 dst[6], const u8 src[6], u16 type, bool vlan)
{
    struct net_frame_info i = info(dst, src, type, vlan);
    return net_filter_judge(c, dir, &i, nic_mac);
}

static u64 total(const struct net_filter_counts *c, enum net_filter_dir dir)
{
    return c->frames[dir][NET_FILTER_IPV4] + c->frames[dir][NET_FILTER_ARP] +
           c->frames[dir][NET_FILTER_OTHER];
}

START_TEST(kind_by_ethertype_after_a_tag)
{
    struct net_frame_info i = info(nic_mac, peer_mac, NET_ETHERTYPE_IPV4, false);
    ck_assert_int_eq(net_filter_kind_of(&i), NET_FILTER_IPV4);
    i = info(nic_mac, peer_mac, NET_ETHERTYPE_ARP, false);
    ck_assert_int_eq(net_filter_kind_of(&i), NET_FILTER_ARP);
    i = info(nic_mac, peer_mac, ETHERTYPE_IPV6, false);
    ck_assert_int_eq(net_filter_kind_of(&i), NET_FILTER_OTHER);
    i = info(nic_mac, peer_mac, NET_ETHERTYPE_IPV4, true);
    ck_assert_int_eq(net_filter_kind_of(&i), NET_FILTER_IPV4);
}
END_TEST

START_TEST(in_passes_what_the_stack_uses)
{
    struct net_filter_counts c;
    memset(&c, 0, sizeof(c));
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, nic_mac, peer_mac, NET_ETHERTYPE_IPV4, false),
                     NET_FILTER_PASS);
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, bcast, peer_mac, NET_ETHERTYPE_ARP, false),
                     NET_FILTER_PASS);
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, bcast, peer_mac, NET_ETHERTYPE_IPV4, false),
                     NET_FILTER_PASS); /* a DHCP offer */
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, nic_mac, peer_mac, NET_ETHERTYPE_ARP, false),
                     NET_FILTER_PASS);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_IPV4], 2);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_ARP], 2);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_OTHER], 0);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 0);
    ck_assert_uint_eq(total(&c, NET_FILTER_OUT), 0);
    ck_assert_uint_eq(c.dropped[NET_FILTER_OUT], 0);
}
END_TEST

START_TEST(in_drops_by_rule_and_still_counts)
{
    struct net_filter_counts c;
    memset(&c, 0, sizeof(c));
    /* Another EtherType: counted as other, dropped. */
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, nic_mac, peer_mac, ETHERTYPE_IPV6, false),
                     NET_FILTER_DROP);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_OTHER], 1);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 1);
    /* A tagged IPv4 frame: counted as IPv4, dropped. */
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, nic_mac, peer_mac, NET_ETHERTYPE_IPV4, true),
                     NET_FILTER_DROP);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_IPV4], 1);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 2);
    /* The NIC's own MAC as the sender: a loop. */
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, bcast, nic_mac, NET_ETHERTYPE_ARP, false),
                     NET_FILTER_DROP);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_ARP], 1);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 3);
    /* A multicast group the stack never joined. */
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, mcast, peer_mac, NET_ETHERTYPE_IPV4, false),
                     NET_FILTER_DROP);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_IPV4], 2);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 4);
    /* Nothing of it went to the other direction. */
    ck_assert_uint_eq(total(&c, NET_FILTER_OUT), 0);
    ck_assert_uint_eq(c.dropped[NET_FILTER_OUT], 0);
}
END_TEST

START_TEST(out_rules_are_the_senders)
{
    struct net_filter_counts c;
    memset(&c, 0, sizeof(c));
    /* The stack's own frames, unicast, broadcast and even to a group: passed. */
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, peer_mac, nic_mac, NET_ETHERTYPE_IPV4, false),
                     NET_FILTER_PASS);
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, bcast, nic_mac, NET_ETHERTYPE_ARP, false),
                     NET_FILTER_PASS);
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, mcast, nic_mac, NET_ETHERTYPE_IPV4, false),
                     NET_FILTER_PASS);
    ck_assert_uint_eq(c.dropped[NET_FILTER_OUT], 0);
    /* Another sender's MAC, another type, a tag: dropped. */
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, peer_mac, peer_mac, NET_ETHERTYPE_IPV4, false),
                     NET_FILTER_DROP);
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, peer_mac, nic_mac, ETHERTYPE_IPV6, false),
                     NET_FILTER_DROP);
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, peer_mac, nic_mac, NET_ETHERTYPE_ARP, true),
                     NET_FILTER_DROP);
    ck_assert_uint_eq(c.frames[NET_FILTER_OUT][NET_FILTER_IPV4], 3);
    ck_assert_uint_eq(c.frames[NET_FILTER_OUT][NET_FILTER_ARP], 2);
    ck_assert_uint_eq(c.frames[NET_FILTER_OUT][NET_FILTER_OTHER], 1);
    ck_assert_uint_eq(c.dropped[NET_FILTER_OUT], 3);
    ck_assert_uint_eq(total(&c, NET_FILTER_IN), 0);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 0);
}
END_TEST

START_TEST(one_rule_is_enough_and_counted_once)
{
    struct net_filter_counts c;
    memset(&c, 0, sizeof(c));
    /* Every rule at once (tagged, other type, own MAC, a group): one frame, one drop. */
    ck_assert_int_eq(judge(&c, NET_FILTER_IN, mcast, nic_mac, ETHERTYPE_IPV6, true),
                     NET_FILTER_DROP);
    ck_assert_int_eq(judge(&c, NET_FILTER_OUT, mcast, peer_mac, ETHERTYPE_IPV6, true),
                     NET_FILTER_DROP);
    ck_assert_uint_eq(total(&c, NET_FILTER_IN), 1);
    ck_assert_uint_eq(total(&c, NET_FILTER_OUT), 1);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 1);
    ck_assert_uint_eq(c.dropped[NET_FILTER_OUT], 1);
    /* Counters add up, they are never reset by a verdict. */
    for (int k = 0; k < 1000; k++)
        judge(&c, NET_FILTER_IN, nic_mac, peer_mac, NET_ETHERTYPE_IPV4, false);
    ck_assert_uint_eq(c.frames[NET_FILTER_IN][NET_FILTER_IPV4], 1000);
    ck_assert_uint_eq(c.dropped[NET_FILTER_IN], 1);
}
END_TEST

START_TEST(counters_line)
{
    struct net_filter_counts c;
    char line[120], tiny[8];
    memset(&c, 0, sizeof(c));
    c.frames[NET_FILTER_IN][NET_FILTER_IPV4] = 5;
    c.frames[NET_FILTER_IN][NET_FILTER_ARP] = 1;
    c.frames[NET_FILTER_OUT][NET_FILTER_IPV4] = 4;
    c.frames[NET_FILTER_OUT][NET_FILTER_ARP] = 2;
    c.frames[NET_FILTER_OUT][NET_FILTER_OTHER] = 3;
    c.dropped[NET_FILTER_OUT] = 3;
    size_t n = net_filter_format(&c, line, sizeof(line));
    ck_assert_str_eq(line, "in ipv4=5 arp=1 other=0 dropped=0; out ipv4=4 arp=2 other=3 dropped=3");
    ck_assert_uint_eq(n, strlen(line));
    n = net_filter_format(&c, tiny, sizeof(tiny));
    ck_assert_str_eq(tiny, "in ipv4");
    ck_assert_uint_eq(n, 7);
}
END_TEST

/* The module around the core: a fake NIC and a stack endpoint that counts. */
static unsigned sent, to_stack;

static int fake_send(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx, (void)frame, (void)len;
    sent++;
    return 0;
}

static void stack_rx(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx, (void)frame, (void)len;
    to_stack++;
}

static void guest_rx(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx, (void)frame, (void)len;
    ck_abort_msg("the filter module gave the guest a frame");
}

static const struct net_nic_ops fake_ops = { fake_send, NULL };

START_TEST(module_hands_on_what_passes)
{
    static struct net_nic nic;
    u8 f[64];
    size_t n;

    netapi_reset();
    memset(&nic, 0, sizeof(nic));
    strcpy(nic.name, "fake.0");
    memcpy(nic.mac, nic_mac, 6);
    nic.ops = &fake_ops;
    nic.guest = (struct net_endpoint){ guest_rx, NULL };
    nic.stack = (struct net_endpoint){ stack_rx, NULL };
    ck_assert_int_eq(netapi_nic_register(&nic, "filter"), 0);
    ck_assert(nic.module->hides_nic);
    ck_assert_ptr_nonnull(strstr(netapi_module_names(), "filter"));
    sent = to_stack = 0;

    n = make(f, nic_mac, peer_mac, NET_ETHERTYPE_IPV4, false);
    netapi_nic_receive(&nic, f, n);          /* passes */
    n = make(f, nic_mac, peer_mac, ETHERTYPE_IPV6, false);
    netapi_nic_receive(&nic, f, n);          /* dropped */
    n = make(f, peer_mac, nic_mac, NET_ETHERTYPE_ARP, false);
    netapi_stack_send(&nic, f, n);           /* passes */
    netapi_guest_send(&nic, f, n);           /* no guest side: dropped, not judged */
    n = make(f, peer_mac, peer_mac, NET_ETHERTYPE_IPV4, false);
    netapi_stack_send(&nic, f, n);           /* dropped: not the NIC's MAC */
    netapi_nic_receive(&nic, f, 10);         /* malformed: never reaches the filter */

    ck_assert_uint_eq(to_stack, 1);
    ck_assert_uint_eq(sent, 1);
    ck_assert_uint_eq(nic.count.to_stack, 1);
    ck_assert_uint_eq(nic.count.nic_out, 1);
    ck_assert_uint_eq(nic.count.dropped, 3);
    ck_assert_uint_eq(nic.count.malformed[NET_FRAME_TOO_SHORT], 1);
    ck_assert_uint_eq(total(&nic.filter, NET_FILTER_IN), 2);
    ck_assert_uint_eq(total(&nic.filter, NET_FILTER_OUT), 2);
    ck_assert_uint_eq(nic.filter.dropped[NET_FILTER_IN], 1);
    ck_assert_uint_eq(nic.filter.dropped[NET_FILTER_OUT], 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("net_filter");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, kind_by_ethertype_after_a_tag);
    tcase_add_test(tc, in_passes_what_the_stack_uses);
    tcase_add_test(tc, in_drops_by_rule_and_still_counts);
    tcase_add_test(tc, out_rules_are_the_senders);
    tcase_add_test(tc, one_rule_is_enough_and_counted_once);
    tcase_add_test(tc, counters_line);
    tcase_add_test(tc, module_hands_on_what_passes);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
