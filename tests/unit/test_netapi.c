/*
 * Unit tests for net/net_frame.c and net/netapi.c: frames are checked once
 * and malformed ones dropped by cause; each module sends each side's frames
 * where its table says; ippass sorts by MAC and IP; log lets only ARP and
 * UDP cross and marks its NIC as the log's; tty=1 makes a NIC of another
 * module the log's (not null's, one NIC only), and the log's own frames
 * leave it whatever the module.
 * unit-sources: net/netapi.c net/net_frame.c net/net_filter.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "net/netapi.h"
#include "tests/unit/unit_main.h"

static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 stack_mac[6] = { 0x52, 0x54, 0x00, 0xbb, 0x00, 0x01 };
static const u8 guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define STACK_IP 0x0A00020Fu /* 10.0.2.15 */

/* A frame: dst, src, type, then an IPv4 or ARP header as asked. */
static size_t make_frame(u8 *f, const u8 dst[6], u16 type, u32 ip_dst)
{
    memset(f, 0, 64);
    memcpy(f, dst, 6);
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x09", 6);
    f[12] = (u8)(type >> 8);
    f[13] = (u8)type;
    u8 *l3 = f + 14;
    if (type == NET_ETHERTYPE_IPV4) {
        l3[0] = 0x45;
        l3[16] = (u8)(ip_dst >> 24), l3[17] = (u8)(ip_dst >> 16);
        l3[18] = (u8)(ip_dst >> 8), l3[19] = (u8)ip_dst;
        return 14 + 20 + 8;
    }
    if (type == NET_ETHERTYPE_ARP) {
        l3[1] = 1, l3[2] = 0x08, l3[4] = 6, l3[5] = 4, l3[7] = 1;
        l3[24] = (u8)(ip_dst >> 24), l3[25] = (u8)(ip_dst >> 16);
        l3[26] = (u8)(ip_dst >> 8), l3[27] = (u8)ip_dst;
        return 14 + 28;
    }
    return 60;
}

START_TEST(parse_checks_every_header_it_reads)
{
    u8 f[64];
    struct net_frame_info i;
    size_t n = make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, STACK_IP);
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_OK);
    ck_assert(i.has_ipv4_dst);
    ck_assert_uint_eq(i.ipv4_dst, STACK_IP);
    ck_assert(!i.broadcast && !i.multicast);
    ck_assert_int_eq(net_frame_parse(f, 13, &i), NET_FRAME_TOO_SHORT);
    ck_assert_int_eq(net_frame_parse(f, NET_FRAME_MAX + 1, &i), NET_FRAME_TOO_LONG);
    ck_assert_int_eq(net_frame_parse(f, 14 + 19, &i), NET_FRAME_BAD_IPV4); /* cut off */
    f[14] = 0x46; /* IHL 6: a 24-byte header, within the 28 bytes there */
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_OK);
    f[14] = 0x4F;
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_BAD_IPV4);
    f[14] = 0x44; /* IHL below 5 */
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_BAD_IPV4);
    f[14] = 0x65; /* version 6 under the IPv4 type */
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_BAD_IPV4);
    n = make_frame(f, (const u8 *)"\xff\xff\xff\xff\xff\xff", NET_ETHERTYPE_ARP, STACK_IP);
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_OK);
    ck_assert(i.broadcast && i.multicast);
    ck_assert_uint_eq(i.ipv4_dst, STACK_IP);
    ck_assert_int_eq(net_frame_parse(f, n - 1, &i), NET_FRAME_BAD_ARP);
    f[19] = 16; /* a protocol length that is not IPv4's */
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_BAD_ARP);
    /* A VLAN tag moves the type; a tag without room is too short. */
    u8 v[64] = { 0 };
    memcpy(v, guest_mac, 6);
    v[12] = 0x81, v[13] = 0x00, v[16] = 0x86, v[17] = 0xDD;
    ck_assert_int_eq(net_frame_parse(v, 60, &i), NET_FRAME_OK);
    ck_assert_uint_eq(i.ethertype, 0x86DD);
    ck_assert_uint_eq(i.l3_offset, 18);
    ck_assert_int_eq(net_frame_parse(v, 17, &i), NET_FRAME_TOO_SHORT);
    ck_assert_str_eq(net_frame_error_name(NET_FRAME_BAD_ARP), "bad ARP");
}
END_TEST

START_TEST(classify_by_mac_and_ip)
{
    u8 f[64];
    struct net_frame_info i;
    make_frame(f, stack_mac, NET_ETHERTYPE_IPV4, 0x0A000202);
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, stack_mac, STACK_IP), NET_TO_STACK);
    make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, STACK_IP); /* the NIC's MAC, the stack's IP */
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, stack_mac, STACK_IP), NET_TO_STACK);
    ck_assert_int_eq(net_frame_classify(&i, stack_mac, 0), NET_TO_GUEST); /* no address yet */
    make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, 0x0A000210);
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, stack_mac, STACK_IP), NET_TO_GUEST);
    make_frame(f, (const u8 *)"\xff\xff\xff\xff\xff\xff", NET_ETHERTYPE_ARP, STACK_IP);
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, stack_mac, STACK_IP), NET_TO_BOTH);
    make_frame(f, (const u8 *)"\x01\x00\x5e\x00\x00\x01", NET_ETHERTYPE_IPV4, 0xE0000001);
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, stack_mac, STACK_IP), NET_TO_BOTH);
}
END_TEST

START_TEST(stack_mac_is_its_own_and_sorts_apart)
{
    u8 mine[6], f[64];
    struct net_frame_info i;

    /* QEMU's MAC is locally administered already: the last bit tells them apart. */
    net_stack_mac(nic_mac, mine);
    ck_assert_mem_eq(mine, "\x52\x54\x00\x12\x34\x57", 6);
    /* A universal (burned-in) MAC becomes a local one; a group bit never survives. */
    net_stack_mac((const u8 *)"\x00\x1b\x21\xaa\xbb\xcc", mine);
    ck_assert_mem_eq(mine, "\x02\x1b\x21\xaa\xbb\xcd", 6);
    net_stack_mac((const u8 *)"\x01\x00\x00\x00\x00\x01", mine);
    ck_assert_mem_eq(mine, "\x02\x00\x00\x00\x00\x00", 6);
    /* Sorted with it: the stack's MAC to the stack, the NIC's (the guest's) to the guest. */
    net_stack_mac(nic_mac, mine);
    make_frame(f, mine, NET_ETHERTYPE_ARP, 0x0A000264);
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, mine, 0x0A000264), NET_TO_STACK);
    make_frame(f, nic_mac, NET_ETHERTYPE_IPV4, 0x0A00020F);
    net_frame_parse(f, 42, &i);
    ck_assert_int_eq(net_frame_classify(&i, mine, 0x0A000264), NET_TO_GUEST);
}
END_TEST

/* A fake NIC and two endpoints that count what they get. */
static unsigned sent, to_guest, to_stack;
static int send_result;

static int fake_send(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx, (void)frame, (void)len;
    sent++;
    return send_result;
}

static void guest_rx(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx, (void)frame, (void)len;
    to_guest++;
}

static void stack_rx(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx, (void)frame, (void)len;
    to_stack++;
}

static const struct net_nic_ops fake_ops = { fake_send, NULL };

static void new_nic(struct net_nic *nic, const char *module)
{
    memset(nic, 0, sizeof(*nic));
    strcpy(nic->name, "fake.0");
    memcpy(nic->mac, nic_mac, 6);
    memcpy(nic->stack_mac, stack_mac, 6);
    nic->stack_ip = STACK_IP;
    nic->ops = &fake_ops;
    nic->guest = (struct net_endpoint){ guest_rx, NULL };
    nic->stack = (struct net_endpoint){ stack_rx, NULL };
    ck_assert_int_eq(netapi_nic_register(nic, module), 0);
    sent = to_guest = to_stack = 0;
    send_result = 0;
}

static void setup(void)
{
    netapi_reset();
}

START_TEST(each_module_routes_as_its_table_says)
{
    static struct net_nic pass, null, ip, ippass;
    u8 f[64];
    size_t n = make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, 0x0A000210);

    new_nic(&pass, "pass");
    netapi_nic_receive(&pass, f, n);
    netapi_guest_send(&pass, f, n);
    netapi_stack_send(&pass, f, n); /* pass has no stack */
    ck_assert_uint_eq(to_guest, 1);
    ck_assert_uint_eq(sent, 1);
    ck_assert_uint_eq(to_stack, 0);
    ck_assert_uint_eq(pass.count.dropped, 1);

    new_nic(&null, "null");
    netapi_nic_receive(&null, f, n);
    netapi_guest_send(&null, f, n);
    ck_assert_uint_eq(to_guest + sent + to_stack, 0);
    ck_assert_uint_eq(null.count.dropped, 2);

    new_nic(&ip, "ip");
    ck_assert(ip.module->hides_nic);
    netapi_nic_receive(&ip, f, n);
    netapi_guest_send(&ip, f, n); /* the guest cannot see this NIC: dropped */
    netapi_stack_send(&ip, f, n);
    ck_assert_uint_eq(to_stack, 1);
    ck_assert_uint_eq(to_guest, 0);
    ck_assert_uint_eq(sent, 1);

    new_nic(&ippass, "ippass");
    netapi_nic_receive(&ippass, f, n); /* for another host: the guest */
    make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, STACK_IP);
    netapi_nic_receive(&ippass, f, n); /* for the stack's IP */
    n = make_frame(f, (const u8 *)"\xff\xff\xff\xff\xff\xff", NET_ETHERTYPE_ARP, STACK_IP);
    netapi_nic_receive(&ippass, f, n); /* a broadcast: both */
    netapi_guest_send(&ippass, f, n); /* a broadcast: the wire and the stack */
    netapi_stack_send(&ippass, f, n); /* the wire and the guest */
    ck_assert_uint_eq(to_guest, 3);
    ck_assert_uint_eq(to_stack, 3);
    ck_assert_uint_eq(sent, 2);
    /* One to the other: handed over, never on the wire (it would not come back). */
    n = make_frame(f, stack_mac, NET_ETHERTYPE_IPV4, STACK_IP);
    netapi_guest_send(&ippass, f, n);
    n = make_frame(f, nic_mac, NET_ETHERTYPE_IPV4, 0x0A00020F);
    netapi_stack_send(&ippass, f, n);
    ck_assert_uint_eq(to_stack, 4);
    ck_assert_uint_eq(to_guest, 4);
    ck_assert_uint_eq(sent, 2);
    /* For anyone else: the wire only. */
    n = make_frame(f, (const u8 *)"\x52\x55\x0a\x00\x02\x02", NET_ETHERTYPE_IPV4, 0x0A000202);
    netapi_guest_send(&ippass, f, n);
    netapi_stack_send(&ippass, f, n);
    ck_assert_uint_eq(sent, 4);
    ck_assert_uint_eq(to_stack + to_guest, 8);
    ck_assert_uint_eq(ippass.count.to_guest, 4);
    ck_assert_uint_eq(ippass.count.to_stack, 4);
    ck_assert_uint_eq(ippass.count.nic_in, 3);
    ck_assert_ptr_eq(netapi_nic(3), &ippass);
    ck_assert_ptr_null(netapi_nic(4));
}
END_TEST

/* An IPv4 frame of protocol proto (17 UDP, 6 TCP, 1 ICMP) to STACK_IP. */
static size_t make_ipv4(u8 *f, u8 proto)
{
    size_t n = make_frame(f, stack_mac, NET_ETHERTYPE_IPV4, STACK_IP);
    f[14 + 9] = proto;
    return n;
}

START_TEST(log_carries_arp_and_udp_only)
{
    static struct net_nic log, ip;
    u8 f[64];
    struct net_frame_info i;

    new_nic(&ip, "ip");
    ck_assert_ptr_null(netapi_log_nic()); /* ip alone does not carry the log */
    new_nic(&log, "log");
    ck_assert(log.module->hides_nic);
    ck_assert(log.module->log_only);
    ck_assert(log.log); /* tty=1 implied */
    ck_assert_ptr_eq(netapi_log_nic(), &log);
    ck_assert_ptr_nonnull(strstr(netapi_module_names(), "log"));

    size_t n = make_ipv4(f, NET_IP_PROTO_UDP);
    ck_assert_int_eq(net_frame_parse(f, n, &i), NET_FRAME_OK);
    ck_assert_uint_eq(i.ipv4_protocol, NET_IP_PROTO_UDP);
    netapi_nic_receive(&log, f, n); /* a DHCP offer, say: to the stack */
    netapi_stack_send(&log, f, n);  /* a syslog datagram: to the wire */
    netapi_guest_send(&log, f, n);  /* the guest cannot see this NIC: dropped */
    ck_assert_uint_eq(to_stack, 1);
    ck_assert_uint_eq(sent, 1);
    ck_assert_uint_eq(to_guest, 0);
    ck_assert_uint_eq(log.count.dropped, 1);

    n = make_frame(f, (const u8 *)"\xff\xff\xff\xff\xff\xff", NET_ETHERTYPE_ARP, STACK_IP);
    netapi_nic_receive(&log, f, n); /* ARP both ways: the stack must find its peer */
    netapi_stack_send(&log, f, n);
    ck_assert_uint_eq(to_stack, 2);
    ck_assert_uint_eq(sent, 2);

    n = make_ipv4(f, 6); /* TCP: no service on a log NIC, either way */
    netapi_nic_receive(&log, f, n);
    netapi_stack_send(&log, f, n);
    n = make_ipv4(f, 1); /* ICMP: no ping answered */
    netapi_nic_receive(&log, f, n);
    netapi_stack_send(&log, f, n);
    n = make_frame(f, stack_mac, 0x86DD, 0); /* IPv6 */
    netapi_nic_receive(&log, f, n);
    ck_assert_uint_eq(to_stack, 2);
    ck_assert_uint_eq(sent, 2);
    ck_assert_uint_eq(log.count.dropped, 6);
    ck_assert_uint_eq(log.count.nic_in, 5);
    ck_assert_uint_eq(log.count.from_stack, 4);
}
END_TEST

START_TEST(malformed_frames_never_pass_and_are_counted)
{
    static struct net_nic nic;
    u8 f[64];
    new_nic(&nic, "ippass");
    size_t n = make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, STACK_IP);
    netapi_nic_receive(&nic, f, 10);
    netapi_guest_send(&nic, f, 20);
    f[14] = 0x4F;
    netapi_nic_receive(&nic, f, n);
    netapi_stack_send(&nic, f, NET_FRAME_MAX + 1);
    ck_assert_uint_eq(to_guest + to_stack + sent, 0);
    ck_assert_uint_eq(nic.count.malformed[NET_FRAME_TOO_SHORT], 1);
    ck_assert_uint_eq(nic.count.malformed[NET_FRAME_BAD_IPV4], 2); /* the guest's 20 bytes too */
    ck_assert_uint_eq(nic.count.malformed[NET_FRAME_TOO_LONG], 1);
}
END_TEST

START_TEST(registration_and_a_refusing_nic)
{
    static struct net_nic many[NETAPI_MAX_NICS + 1];
    static struct net_nic bad;
    memset(&bad, 0, sizeof(bad));
    bad.ops = &fake_ops;
    ck_assert_int_eq(netapi_nic_register(&bad, "vpn"), -2);
    ck_assert_ptr_null(netapi_module_find("vpn"));
    ck_assert_ptr_nonnull(strstr(netapi_module_names(), "ippass"));
    for (unsigned i = 0; i < NETAPI_MAX_NICS; i++)
        new_nic(&many[i], "pass");
    memset(&many[NETAPI_MAX_NICS], 0, sizeof(many[0]));
    many[NETAPI_MAX_NICS].ops = &fake_ops;
    ck_assert_int_eq(netapi_nic_register(&many[NETAPI_MAX_NICS], "pass"), -1);
    ck_assert_ptr_null(netapi_log_nic());
    many[2].log = true;
    ck_assert_ptr_eq(netapi_log_nic(), &many[2]);
    /* A NIC that refuses a frame: counted. */
    u8 f[64];
    size_t n = make_frame(f, guest_mac, NET_ETHERTYPE_IPV4, 1);
    send_result = -1;
    netapi_guest_send(&many[0], f, n);
    ck_assert_uint_eq(many[0].count.send_failed, 1);
    ck_assert_uint_eq(many[0].count.nic_out, 1);
    /* No endpoint: a frame for the guest is dropped, not delivered to NULL. */
    many[1].guest.deliver = NULL;
    netapi_nic_receive(&many[1], f, n);
    ck_assert_uint_eq(many[1].count.dropped, 1);
}
END_TEST

START_TEST(tty_makes_one_nic_the_logs_and_its_frames_leave)
{
    static struct net_nic pass, ip, null, log;
    u8 f[64];
    size_t n = make_ipv4(f, NET_IP_PROTO_UDP);

    new_nic(&null, "null");
    new_nic(&pass, "pass");
    new_nic(&ip, "ip");
    /* Not the log's yet: its own frames are refused, not sent. */
    ck_assert_int_eq(netapi_log_send(&pass, f, n), -1);
    ck_assert_uint_eq(sent, 0);
    ck_assert_int_eq(netapi_nic_take_log(&null), -2); /* null would drop the log */
    ck_assert(!null.log);
    ck_assert_ptr_null(netapi_log_nic());
    ck_assert_int_eq(netapi_nic_take_log(&pass), 0);
    ck_assert_ptr_eq(netapi_log_nic(), &pass);
    ck_assert_int_eq(netapi_nic_take_log(&pass), 0); /* again: still its */
    ck_assert_int_eq(netapi_nic_take_log(&ip), -1);  /* one NIC carries the log */
    ck_assert(!ip.log);

    /* pass drops what a stack sends; the log's own frame leaves, counted as the log's. */
    netapi_stack_send(&pass, f, n);
    ck_assert_uint_eq(sent, 0);
    ck_assert_int_eq(netapi_log_send(&pass, f, n), 0);
    ck_assert_uint_eq(sent, 1);
    ck_assert_uint_eq(pass.count.from_log, 1);
    ck_assert_uint_eq(pass.count.nic_out, 1);
    ck_assert_uint_eq(to_guest, 0); /* the guest does not hear its own NIC send */
    /* A full ring: -1, counted, for the caller to try again. */
    send_result = -1;
    ck_assert_int_eq(netapi_log_send(&pass, f, n), -1);
    ck_assert_uint_eq(pass.count.send_failed, 1);
    send_result = 0;
    /* A malformed frame never leaves. */
    ck_assert_int_eq(netapi_log_send(&pass, f, 10), -1);
    ck_assert_uint_eq(sent, 2);
    ck_assert_uint_eq(pass.count.malformed[NET_FRAME_TOO_SHORT], 1);

    /* net=log is the log's from its registration: take_log says so. */
    netapi_reset();
    new_nic(&log, "log");
    ck_assert_int_eq(netapi_nic_take_log(&log), 0);
    ck_assert_ptr_eq(netapi_log_nic(), &log);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("netapi");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, parse_checks_every_header_it_reads);
    tcase_add_test(tc, classify_by_mac_and_ip);
    tcase_add_test(tc, stack_mac_is_its_own_and_sorts_apart);
    tcase_add_test(tc, each_module_routes_as_its_table_says);
    tcase_add_test(tc, log_carries_arp_and_udp_only);
    tcase_add_test(tc, malformed_frames_never_pass_and_are_counted);
    tcase_add_test(tc, registration_and_a_refusing_nic);
    tcase_add_test(tc, tty_makes_one_nic_the_logs_and_its_frames_leave);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
