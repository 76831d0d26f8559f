/*
 * Unit tests for net/lwip/bv_ip.c: bookvisor's TCP/IP stack (lwIP, NO_SYS)
 * on a network-API NIC, driven on the host with frames a test writes. It
 * answers ARP for its address, replies to ping with the same identifier,
 * sequence number and data, ignores an echo request whose checksum is bad,
 * logs its address, and with DHCP starts by broadcasting a DISCOVER. Its
 * TCP echo server (net/lwip/bv_echo.c) accepts a connection, sends the
 * bytes back with a valid checksum, and closes when the client does; what
 * arrives while its send buffer is full is held, never refused, so the ACKs
 * that come with more data still free the buffer and every byte comes back;
 * a fifth connection at once is refused with a reset.
 * unit-sources: net/lwip/bv_ip.c net/lwip/bv_echo.c net/lwip/bv_log.c net/lwip/bv_tcp.c net/netapi.c net/net_frame.c net/net_filter.c common/lib/format.c common/lib/kstring.c third_party/lwip-src/src/core/[a-z]*.c third_party/lwip-src/src/core/ipv4/[a-z]*.c third_party/lwip-src/src/netif/ethernet.c
 * unit-cflags: -Inet/lwip -Ithird_party/lwip-src/src/include -Wno-unused-parameter -Wno-missing-field-initializers -Wno-address -Wno-sign-compare
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/lwip/bv_echo.h"
#include "net/lwip/bv_ip.h"
#include "tests/unit/lwip_host.h"
#include "tests/unit/net_bytes.h"
#include "tests/unit/unit_main.h"

#define IP(a, b, c, d) ((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (d))
static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 peer_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

static u8 out[8][1600];
static size_t out_len[8];
static unsigned out_n;
static char logged[4][80];
static char last_logged[80];
static unsigned log_n;
static u64 now;

static int capture(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx;
    if (out_n < 8) {
        memcpy(out[out_n], frame, len);
        out_len[out_n] = len;
    }
    out_n++;
    return 0;
}

static u64 clock_ms(void)
{
    return now;
}

static void log_line(const char *line)
{
    if (log_n < 4)
        snprintf(logged[log_n], sizeof(logged[0]), "%s", line);
    snprintf(last_logged, sizeof(last_logged), "%s", line);
    log_n++;
}

static const struct net_nic_ops ops = { capture, NULL };
static struct net_nic nic;

static void start(bool dhcp)
{
    bv_ip_detach();
    netapi_reset();
    memset(&nic, 0, sizeof(nic));
    strcpy(nic.name, "fake.0");
    memcpy(nic.mac, nic_mac, 6);
    nic.ops = &ops;
    ck_assert_int_eq(netapi_nic_register(&nic, "ip"), 0);
    out_n = 0;
    log_n = 0;
    now = 1000;
    const struct bv_ip_config cfg = { dhcp ? 0 : IP(10, 0, 2, 15), dhcp ? 0 : IP(255, 255, 255, 0),
                                      dhcp ? 0 : IP(10, 0, 2, 2), dhcp };
    ck_assert_int_eq(bv_ip_attach(&nic, &cfg, clock_ms, log_line), 0);
}

static size_t arp_request(u8 *f)
{
    memset(f, 0, 60);
    memset(f, 0xFF, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0806);
    put16(f + 14, 1);
    put16(f + 16, 0x0800);
    f[18] = 6, f[19] = 4;
    put16(f + 20, 1); /* request */
    memcpy(f + 22, peer_mac, 6);
    put32(f + 28, IP(10, 0, 2, 2));
    put32(f + 38, IP(10, 0, 2, 15));
    return 60;
}

static size_t echo_request(u8 *f, bool good_checksum)
{
    static const char data[] = "bookvisor ping payload";
    size_t icmp_len = 8 + sizeof(data);
    memset(f, 0, 128);
    memcpy(f, nic_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0800);
    u8 *ip = f + 14;
    ip[0] = 0x45;
    put16(ip + 2, (u16)(20 + icmp_len));
    put16(ip + 4, 0x1234);
    ip[8] = 64, ip[9] = 1; /* TTL, ICMP */
    put32(ip + 12, IP(10, 0, 2, 2));
    put32(ip + 16, IP(10, 0, 2, 15));
    put16(ip + 10, inet_sum(ip, 20));
    u8 *icmp = ip + 20;
    icmp[0] = 8; /* echo request */
    put16(icmp + 4, 0xBEEF);
    put16(icmp + 6, 7);
    memcpy(icmp + 8, data, sizeof(data));
    put16(icmp + 2, inet_sum(icmp, icmp_len));
    if (!good_checksum)
        icmp[2] ^= 0x55;
    return 14 + 20 + icmp_len;
}

START_TEST(address_logged_and_arp_answered)
{
    start(false);
    ck_assert_uint_eq(log_n, 1);
    ck_assert_str_eq(logged[0], "IP address changed: 0.0.0.0 -> 10.0.2.15");
    ck_assert_uint_eq(bv_ip_address(), IP(10, 0, 2, 15));
    ck_assert_uint_eq(nic.stack_ip, IP(10, 0, 2, 15));
    unsigned before = out_n;
    u8 f[128];
    netapi_nic_receive(&nic, f, arp_request(f));
    ck_assert_uint_eq(out_n, before + 1);
    const u8 *r = out[before];
    ck_assert_mem_eq(r, peer_mac, 6);
    ck_assert_mem_eq(r + 6, nic_mac, 6);
    ck_assert_uint_eq(get16(r + 12), 0x0806);
    ck_assert_uint_eq(get16(r + 20), 2); /* reply */
    ck_assert_mem_eq(r + 22, nic_mac, 6);
    ck_assert_uint_eq(get32(r + 28), IP(10, 0, 2, 15));
    ck_assert_uint_eq(get32(r + 38), IP(10, 0, 2, 2));
    ck_assert_uint_eq(nic.count.to_stack, 1);
}
END_TEST

START_TEST(ping_answered_with_its_own_data)
{
    start(false);
    u8 f[128];
    netapi_nic_receive(&nic, f, arp_request(f)); /* the peer's MAC is learned */
    unsigned before = out_n;
    size_t n = echo_request(f, true);
    netapi_nic_receive(&nic, f, n);
    ck_assert_uint_eq(out_n, before + 1);
    const u8 *r = out[before];
    ck_assert_uint_eq(out_len[before] >= n, 1);
    ck_assert_mem_eq(r, peer_mac, 6);
    ck_assert_uint_eq(get16(r + 12), 0x0800);
    const u8 *ip = r + 14;
    ck_assert_uint_eq(ip[9], 1);
    ck_assert_uint_eq(get32(ip + 12), IP(10, 0, 2, 15));
    ck_assert_uint_eq(get32(ip + 16), IP(10, 0, 2, 2));
    ck_assert_uint_eq(inet_sum(ip, 20), 0); /* a valid header checksum */
    size_t icmp_len = get16(ip + 2) - 20;
    const u8 *icmp = ip + 20;
    ck_assert_uint_eq(icmp[0], 0); /* echo reply */
    ck_assert_uint_eq(get16(icmp + 4), 0xBEEF);
    ck_assert_uint_eq(get16(icmp + 6), 7);
    ck_assert_mem_eq(icmp + 8, f + 14 + 20 + 8, icmp_len - 8);
    ck_assert_uint_eq(inet_sum(icmp, icmp_len), 0);

    /* A bad checksum: no reply. Not for us: no reply either. */
    before = out_n;
    netapi_nic_receive(&nic, f, echo_request(f, false));
    n = echo_request(f, true);
    put32(f + 14 + 16, IP(10, 0, 2, 99));
    f[14 + 10] = f[14 + 11] = 0;
    put16(f + 14 + 10, inet_sum(f + 14, 20));
    netapi_nic_receive(&nic, f, n);
    ck_assert_uint_eq(out_n, before);
}
END_TEST

START_TEST(dhcp_starts_with_a_discover)
{
    start(true);
    ck_assert_uint_eq(bv_ip_address(), 0);
    for (int i = 0; i < 20 && out_n == 0; i++) {
        now += 500;
        bv_ip_poll();
    }
    ck_assert_uint_ge(out_n, 1);
    const u8 *r = out[0];
    ck_assert_mem_eq(r, "\xff\xff\xff\xff\xff\xff", 6);
    ck_assert_uint_eq(get16(r + 12), 0x0800);
    const u8 *ip = r + 14;
    ck_assert_uint_eq(ip[9], 17); /* UDP */
    const u8 *udp = ip + (ip[0] & 0xF) * 4;
    ck_assert_uint_eq(get16(udp), 68);
    ck_assert_uint_eq(get16(udp + 2), 67);
    const u8 *dhcp = udp + 8;
    ck_assert_uint_eq(dhcp[0], 1); /* BOOTREQUEST */
    ck_assert_uint_eq(get32(dhcp + 236), 0x63825363); /* the magic cookie */
    /* Option 53 (message type) = 1 (DISCOVER) comes first. */
    ck_assert_uint_eq(dhcp[240], 53);
    ck_assert_uint_eq(dhcp[242], 1);
    ck_assert_uint_eq(log_n, 0); /* no address yet, nothing logged */
}
END_TEST

#define PEER_PORT 40000
static u16 peer_port = PEER_PORT; /* the peer's port in the segments below */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* The TCP checksum of a segment from src to dst: over the pseudo-header, then the segment. */
static u16 tcp_sum(u32 src, u32 dst, const u8 *seg, size_t len)
{
    u8 buf[12 + 1500];
    put32(buf, src);
    put32(buf + 4, dst);
    buf[8] = 0;
    buf[9] = 6;
    put16(buf + 10, (u16)len);
    memcpy(buf + 12, seg, len);
    return inet_sum(buf, 12 + len);
}

/* A segment from the peer (10.0.2.2:40000) to the stack's port 7 with dlen
 * bytes of data; f holds at least 60 bytes and the whole frame. */
static size_t tcp_segment_bytes(u8 *f, u32 seq, u32 ack, u8 flags, const u8 *data, size_t dlen)
{
    memset(f, 0, 60);
    memcpy(f, nic_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0800);
    u8 *ip = f + 14;
    ip[0] = 0x45;
    put16(ip + 2, (u16)(40 + dlen));
    put16(ip + 4, 0x4321);
    ip[8] = 64, ip[9] = 6; /* TTL, TCP */
    put32(ip + 12, IP(10, 0, 2, 2));
    put32(ip + 16, IP(10, 0, 2, 15));
    put16(ip + 10, inet_sum(ip, 20));
    u8 *t = ip + 20;
    put16(t, peer_port);
    put16(t + 2, 7);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = flags;
    put16(t + 14, 8192);
    memcpy(t + 20, data, dlen);
    put16(t + 16, tcp_sum(IP(10, 0, 2, 2), IP(10, 0, 2, 15), t, 20 + dlen));
    return 14 + 40 + dlen < 60 ? 60 : 14 + 40 + dlen;
}

/* The same with a text as its data (f holds at least 128 bytes). */
static size_t tcp_segment(u8 *f, u32 seq, u32 ack, u8 flags, const char *data)
{
    return tcp_segment_bytes(f, seq, ack, flags, (const u8 *)data, strlen(data));
}

/* The first captured segment from port 7 to the peer whose flags include want, or NULL. */
static const u8 *find_segment(unsigned from, u8 want)
{
    for (unsigned i = from; i < out_n && i < 8; i++) {
        const u8 *ip = out[i] + 14;
        if (get16(out[i] + 12) != 0x0800 || ip[9] != 6)
            continue;
        const u8 *t = ip + (ip[0] & 0xF) * 4;
        if (get16(t) == 7 && get16(t + 2) == peer_port && (t[13] & want) == want)
            return ip;
    }
    return NULL;
}

START_TEST(echo_server_sends_the_bytes_back)
{
    start(false);
    u8 f[128];
    netapi_nic_receive(&nic, f, arp_request(f)); /* the peer's MAC is learned */
    ck_assert_int_eq(bv_echo_start(7, log_line), 0);
    ck_assert_int_eq(bv_echo_start(7, log_line), -1); /* once */
    ck_assert_str_eq(logged[1], "echo: server listening on TCP port 7");

    /* SYN: a SYN-ACK for it. */
    out_n = 0;
    netapi_nic_receive(&nic, f, tcp_segment(f, 1000, 0, TCP_SYN, ""));
    const u8 *ip = find_segment(0, TCP_SYN | TCP_ACK);
    ck_assert_ptr_nonnull(ip);
    const u8 *t = ip + 20;
    ck_assert_uint_eq(get32(t + 8), 1001);
    u32 server_seq = get32(t + 4) + 1;

    /* The handshake's ACK with data: the same bytes come back. */
    out_n = 0;
    netapi_nic_receive(&nic, f,
                       tcp_segment(f, 1001, server_seq, TCP_ACK | TCP_PSH, "hello bookvisor\n"));
    ck_assert_str_eq(logged[2], "echo: connection accepted");
    ip = NULL;
    for (unsigned i = 0; i < out_n && i < 8 && !ip; i++) {
        const u8 *cand = find_segment(i, TCP_ACK);
        if (cand && get16(cand + 2) == 40 + 16)
            ip = cand;
    }
    ck_assert_ptr_nonnull(ip);
    t = ip + 20;
    ck_assert_uint_eq(get32(t + 4), server_seq);
    ck_assert_uint_eq(get32(t + 8), 1001 + 16);
    ck_assert_mem_eq(t + (t[12] >> 4) * 4, "hello bookvisor\n", 16);
    ck_assert_uint_eq(tcp_sum(IP(10, 0, 2, 15), IP(10, 0, 2, 2), t, get16(ip + 2) - 20), 0);

    /* The client closes: the server logs what it echoed and closes too. */
    out_n = 0;
    netapi_nic_receive(&nic, f, tcp_segment(f, 1017, server_seq + 16, TCP_FIN | TCP_ACK, ""));
    ck_assert_uint_eq(log_n, 4);
    ck_assert_str_eq(logged[3], "echo: connection closed, 16 bytes echoed");
    ck_assert_ptr_nonnull(find_segment(0, TCP_FIN));
}
END_TEST

/* Copy the data of every captured segment from port 7 into echo, at its offset
 * from the server's first sequence number; *end: the furthest byte so far,
 * *ack: the latest acknowledgement number the server sent. */
static void collect_echo(u32 server_seq, u8 *echo, u32 size, u32 *end, u32 *ack)
{
    ck_assert_uint_le(out_n, 8); /* nothing was lost to the capture's limit */
    for (unsigned i = 0; i < out_n; i++) {
        const u8 *ip = find_segment(i, TCP_ACK);
        if (ip != out[i] + 14)
            continue;
        const u8 *t = ip + 20;
        u32 off = get32(t + 4) - server_seq, len = get16(ip + 2) - 20 - (t[12] >> 4) * 4;
        ck_assert_uint_le(off + len, size);
        memcpy(echo + off, t + (t[12] >> 4) * 4, len);
        if (off + len > *end)
            *end = off + len;
        *ack = get32(t + 8);
    }
}

START_TEST(echo_server_holds_what_its_send_buffer_cannot_take)
{
    enum { SEGS = 7, SEG = 1000, TOTAL = SEGS * SEG };
    static u8 data[TOTAL], echo[TOTAL];
    u8 f[1600];
    u32 end = 0, ack = 0;

    for (u32 i = 0; i < TOTAL; i++)
        data[i] = (u8)(i * 7 + i / 251);
    start(false);
    netapi_nic_receive(&nic, f, arp_request(f));
    ck_assert_int_eq(bv_echo_start(7, log_line), 0);
    out_n = 0;
    netapi_nic_receive(&nic, f, tcp_segment(f, 1000, 0, TCP_SYN, ""));
    const u8 *ip = find_segment(0, TCP_SYN | TCP_ACK);
    ck_assert_ptr_nonnull(ip);
    u32 server_seq = get32(ip + 20 + 4) + 1;

    /* Seven segments that acknowledge none of the echo: five leave 840 bytes of
     * the send buffer (4 * 1460), the sixth does not fit whole, the seventh
     * finds it full. */
    for (u32 k = 0; k < SEGS; k++) {
        out_n = 0;
        netapi_nic_receive(&nic, f, tcp_segment_bytes(f, 1001 + k * SEG, server_seq,
                                                      TCP_ACK | TCP_PSH, data + k * SEG, SEG));
        collect_echo(server_seq, echo, TOTAL, &end, &ack);
    }
    /* The client acknowledges what came back, again and again, until nothing more comes. */
    for (int round = 0; round < 20; round++) {
        u32 before = end;
        out_n = 0;
        netapi_nic_receive(&nic, f, tcp_segment(f, 1001 + TOTAL, server_seq + end, TCP_ACK, ""));
        collect_echo(server_seq, echo, TOTAL, &end, &ack);
        if (end == before && end == TOTAL)
            break;
    }
    ck_assert_uint_eq(ack, 1001 + TOTAL); /* every segment taken, the seventh too */
    ck_assert_uint_eq(end, TOTAL);
    ck_assert_mem_eq(echo, data, TOTAL);
}
END_TEST

#define TCP_RST 0x04

START_TEST(echo_server_refuses_a_fifth_connection)
{
    u8 f[128];

    start(false);
    netapi_nic_receive(&nic, f, arp_request(f));
    ck_assert_int_eq(bv_echo_start(7, log_line), 0);
    for (u16 i = 0; i < 5; i++) {
        peer_port = (u16)(PEER_PORT + i);
        out_n = 0;
        netapi_nic_receive(&nic, f, tcp_segment(f, 1000, 0, TCP_SYN, ""));
        const u8 *ip = find_segment(0, TCP_SYN | TCP_ACK);
        ck_assert_ptr_nonnull(ip);
        out_n = 0;
        netapi_nic_receive(&nic, f, tcp_segment(f, 1001, get32(ip + 20 + 4) + 1, TCP_ACK, ""));
        if (i < 4) {
            ck_assert_str_eq(last_logged, "echo: connection accepted");
            ck_assert_ptr_null(find_segment(0, TCP_RST));
        }
    }
    /* The table is full: the fifth gets a reset and a line; the four go on. */
    ck_assert_str_eq(last_logged, "echo: connection refused, 4 open already");
    ck_assert_ptr_nonnull(find_segment(0, TCP_RST));
    peer_port = PEER_PORT;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bv_ip");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, address_logged_and_arp_answered);
    tcase_add_test(tc, ping_answered_with_its_own_data);
    tcase_add_test(tc, dhcp_starts_with_a_discover);
    tcase_add_test(tc, echo_server_sends_the_bytes_back);
    tcase_add_test(tc, echo_server_holds_what_its_send_buffer_cannot_take);
    tcase_add_test(tc, echo_server_refuses_a_fifth_connection);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
