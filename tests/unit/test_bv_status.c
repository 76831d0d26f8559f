/*
 * Unit tests for net/lwip/bv_status.c (lab 11 part 2): the status service's
 * raw-API glue, on lwIP on the host with TCP segments the test writes. The
 * request is gathered across segments up to its first newline, or the peer's
 * FIN, or 32 bytes; every byte the peer sends is acknowledged and given back
 * to the window, the bytes after the request too; the reply goes out once and
 * the connection closes only when the peer acknowledged it; a hundred
 * connections in a row leak no pbuf and no slot.
 * The reply function here is the test's own ("[request]\n"), so what the glue
 * passes it is seen byte for byte; net_status_reply() is lab 11 part 1's.
 * unit-sources: net/lwip/bv_ip.c net/lwip/bv_status.c net/lwip/bv_log.c net/lwip/bv_tcp.c net/netapi.c net/net_frame.c net/net_filter.c common/lib/format.c common/lib/kstring.c third_party/lwip-src/src/core/[a-z]*.c third_party/lwip-src/src/core/ipv4/[a-z]*.c third_party/lwip-src/src/netif/ethernet.c
 * unit-cflags: -Inet/lwip -Ithird_party/lwip-src/src/include -Wno-unused-parameter -Wno-missing-field-initializers -Wno-address -Wno-sign-compare
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/lwip/bv_ip.h"
#include "net/lwip/bv_status.h"
#include "tests/unit/lwip_host.h"
#include "tests/unit/net_bytes.h"
#include "tests/unit/unit_main.h"

#define IP(a, b, c, d) ((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (d))
#define SERVER_IP IP(10, 0, 2, 15)
#define PEER_IP IP(10, 0, 2, 2)
#define PORT 79
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define MAX_OUT 16

static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 peer_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

static u8 out[MAX_OUT][1600];
static unsigned out_n;
static char last_log[96];
static unsigned log_n;
static u64 now;
static unsigned replies; /* calls of the reply function */

static int capture(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx;
    if (out_n < MAX_OUT)
        memcpy(out[out_n], frame, len < 1600 ? len : 1600);
    out_n++;
    return 0;
}

static u64 clock_ms(void)
{
    return now;
}

static void log_line(const char *line)
{
    snprintf(last_log, sizeof(last_log), "%s", line);
    log_n++;
}

/* The test's reply: the request's bytes between brackets, so the test sees them all. */
static u32 bracket_reply(const char *req, u32 len, char *o, u32 size)
{
    replies++;
    if (len + 4 > size)
        return 0;
    o[0] = '[';
    memcpy(o + 1, req, len);
    memcpy(o + 1 + len, "]\n", 3);
    return len + 3;
}

static const struct net_nic_ops ops = { capture, NULL };
static struct net_nic nic;

/* The stack on a fake NIC with 10.0.2.15, the peer's MAC learned, the service on port 79. */
static void start(void)
{
    u8 f[60];

    bv_ip_detach();
    netapi_reset();
    memset(&nic, 0, sizeof(nic));
    strcpy(nic.name, "fake.0");
    memcpy(nic.mac, nic_mac, 6);
    nic.ops = &ops;
    ck_assert_int_eq(netapi_nic_register(&nic, "ip"), 0);
    now = 1000;
    const struct bv_ip_config cfg = { SERVER_IP, IP(255, 255, 255, 0), PEER_IP, false };
    ck_assert_int_eq(bv_ip_attach(&nic, &cfg, clock_ms, log_line), 0);
    /* An ARP request from the peer: the stack learns its MAC. */
    memset(f, 0, sizeof(f));
    memset(f, 0xFF, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0806);
    put16(f + 14, 1);
    put16(f + 16, 0x0800);
    f[18] = 6, f[19] = 4;
    put16(f + 20, 1);
    memcpy(f + 22, peer_mac, 6);
    put32(f + 28, PEER_IP);
    put32(f + 38, SERVER_IP);
    netapi_nic_receive(&nic, f, sizeof(f));
    ck_assert_int_eq(bv_status_start(PORT, bracket_reply, log_line), 0);
    ck_assert_str_eq(last_log, "status: server listening on TCP port 79");
    ck_assert_int_eq(bv_status_start(PORT, bracket_reply, log_line), -1); /* once */
    out_n = 0;
    replies = 0;
}

/* One peer connection, seen from the peer. */
struct peer {
    u16 port;
    u32 seq;  /* the peer's next sequence number */
    u32 ack;  /* the server's next sequence number, as far as the peer has seen */
};

/* Send a segment from p with flags and len bytes of data; the peer's seq moves on. */
static void send_seg(struct peer *p, u8 flags, const char *data, size_t len)
{
    static u8 f[1600];
    memset(f, 0, 14 + 40 + len + 60);
    memcpy(f, nic_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0800);
    u8 *ip = f + 14;
    ip[0] = 0x45;
    put16(ip + 2, (u16)(40 + len));
    put16(ip + 4, 0x4321);
    ip[8] = 64, ip[9] = 6;
    put32(ip + 12, PEER_IP);
    put32(ip + 16, SERVER_IP);
    put16(ip + 10, inet_sum(ip, 20));
    u8 *t = ip + 20;
    put16(t, p->port);
    put16(t + 2, PORT);
    put32(t + 4, p->seq);
    put32(t + 8, (flags & TCP_ACK) ? p->ack : 0);
    t[12] = 5 << 4;
    t[13] = flags;
    put16(t + 14, 8192);
    memcpy(t + 20, data, len);
    u8 pseudo[12 + 1500];
    put32(pseudo, PEER_IP);
    put32(pseudo + 4, SERVER_IP);
    pseudo[8] = 0;
    pseudo[9] = 6;
    put16(pseudo + 10, (u16)(20 + len));
    memcpy(pseudo + 12, t, 20 + len);
    put16(t + 16, inet_sum(pseudo, 12 + 20 + len));
    p->seq += (u32)len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    out_n = 0;
    netapi_nic_receive(&nic, f, 14 + 40 + len < 60 ? 60 : 14 + 40 + len);
}

/* What the server sent to p since the last segment p sent. */
struct seen {
    char data[256];
    size_t len;     /* data bytes, in order */
    bool fin, syn, rst;
    u32 ack;        /* the last acknowledgement number */
    unsigned segs;
};

static struct seen collect(struct peer *p)
{
    struct seen s;
    memset(&s, 0, sizeof(s));
    for (unsigned i = 0; i < out_n && i < MAX_OUT; i++) {
        const u8 *ip = out[i] + 14;
        if (get16(out[i] + 12) != 0x0800 || ip[9] != 6)
            continue;
        const u8 *t = ip + (ip[0] & 0xF) * 4;
        if (get16(t) != PORT || get16(t + 2) != p->port)
            continue;
        size_t hl = (size_t)(t[12] >> 4) * 4;
        size_t dl = get16(ip + 2) - (size_t)(ip[0] & 0xF) * 4 - hl;
        ck_assert_uint_le(s.len + dl, sizeof(s.data));
        memcpy(s.data + s.len, t + hl, dl);
        s.len += dl;
        s.syn |= (t[13] & TCP_SYN) != 0;
        s.fin |= (t[13] & TCP_FIN) != 0;
        s.rst |= (t[13] & TCP_RST) != 0;
        if (t[13] & TCP_ACK)
            s.ack = get32(t + 8);
        s.segs++;
        p->ack = get32(t + 4) + (u32)dl + ((t[13] & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    }
    return s;
}

/* SYN, SYN-ACK, and the handshake's ACK. */
static void open_conn(struct peer *p, u16 port)
{
    memset(p, 0, sizeof(*p));
    p->port = port;
    p->seq = 1000u * port;
    send_seg(p, TCP_SYN, "", 0);
    struct seen s = collect(p);
    ck_assert_msg(s.syn && !s.rst, "no SYN-ACK for port %u", port);
    send_seg(p, TCP_ACK, "", 0);
}

static struct seen send_text(struct peer *p, const char *text)
{
    send_seg(p, TCP_ACK | TCP_PSH, text, strlen(text));
    /* lwIP delays a lone ACK to its next fast timer (250 ms): run it. */
    now += 250;
    bv_ip_poll();
    return collect(p);
}

static void assert_reply(const struct seen *s, const char *want)
{
    ck_assert_msg(s->len == strlen(want) && memcmp(s->data, want, s->len) == 0,
                  "reply \"%.*s\" (%zu bytes), want \"%s\"", (int)s->len, s->data, s->len, want);
}

START_TEST(request_in_two_segments)
{
    struct peer p;
    start();
    open_conn(&p, 40000);
    ck_assert_str_eq(last_log, "status: connection accepted");
    struct seen s = send_text(&p, "sta");
    ck_assert_uint_eq(s.len, 0); /* no newline yet: no reply */
    ck_assert_uint_eq(replies, 0);
    s = send_text(&p, "tus\r\n");
    assert_reply(&s, "[status\r\n]\n");
    ck_assert_uint_eq(replies, 1);
    ck_assert_uint_eq(s.ack, p.seq); /* all 8 bytes acknowledged */
    ck_assert(!s.fin);               /* not before the peer has the reply */
}
END_TEST

START_TEST(close_only_after_the_reply_is_acknowledged)
{
    struct peer p;
    start();
    open_conn(&p, 40001);
    struct seen s = send_text(&p, "version\n");
    assert_reply(&s, "[version\n]\n");
    ck_assert(!s.fin);
    send_seg(&p, TCP_ACK, "", 0); /* the peer acknowledges the reply */
    s = collect(&p);
    ck_assert_msg(s.fin, "no FIN once the reply was acknowledged");
    ck_assert_str_eq(last_log, "status: 11 bytes sent, connection closed");
    ck_assert_uint_eq(bv_status_open_connections(), 0);
    send_seg(&p, TCP_ACK | TCP_FIN, "", 0);
    s = collect(&p);
    ck_assert(!s.rst);
}
END_TEST

START_TEST(request_ends_with_the_peers_fin)
{
    struct peer p;
    start();
    open_conn(&p, 40002);
    struct seen s = send_text(&p, "version");
    ck_assert_uint_eq(s.len, 0);
    send_seg(&p, TCP_ACK | TCP_FIN, "", 0);
    s = collect(&p);
    assert_reply(&s, "[version]\n");
    ck_assert_uint_eq(replies, 1);
    send_seg(&p, TCP_ACK, "", 0);
    s = collect(&p);
    ck_assert(s.fin);
    ck_assert_uint_eq(bv_status_open_connections(), 0);
}
END_TEST

START_TEST(long_request_cut_and_every_byte_taken)
{
    struct peer p;
    char big[1001];
    start();
    open_conn(&p, 40003);
    memset(big, 'a', 1000);
    big[1000] = '\0';
    /* 1000 bytes and no newline: answered on its first 32, all 1000 acknowledged. */
    struct seen s = send_text(&p, big);
    ck_assert_uint_eq(replies, 1);
    ck_assert_uint_eq(s.len, 35);
    ck_assert_mem_eq(s.data, "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", 35);
    ck_assert_uint_eq(s.ack, p.seq);
    /* More bytes after the reply, the reply still unacknowledged, more than the
     * window holds: each is taken and acknowledged (tcp_recved() gave the window
     * back), none is a second request. */
    u32 before_reply = p.ack - 35;
    memset(big, 'b', 1000);
    for (int i = 0; i < 10; i++) {
        p.ack = before_reply;
        s = send_text(&p, big);
        ck_assert_msg(s.ack == p.seq, "segment %d after the reply: acknowledged up to %u, sent up "
                      "to %u (the window was not given back)", i, s.ack, p.seq);
        ck_assert(!s.fin && !s.rst);
    }
    ck_assert_uint_eq(replies, 1);
}
END_TEST

START_TEST(bytes_after_the_newline_are_not_the_request)
{
    struct peer p;
    start();
    open_conn(&p, 40004);
    struct seen s = send_text(&p, "status\nversion\n");
    assert_reply(&s, "[status\n]\n");
    ck_assert_uint_eq(replies, 1);
    ck_assert_uint_eq(s.ack, p.seq);
}
END_TEST

START_TEST(a_hundred_connections_leak_nothing)
{
    start();
    for (u16 i = 0; i < 100; i++) {
        struct peer p;
        open_conn(&p, (u16)(41000 + i));
        struct seen s = send_text(&p, "sta");
        s = send_text(&p, "tus\n");
        ck_assert_msg(s.len == 10, "connection %u: no reply", i);
        send_seg(&p, TCP_ACK, "", 0);
        s = collect(&p);
        ck_assert_msg(s.fin, "connection %u: not closed", i);
        send_seg(&p, TCP_ACK | TCP_FIN, "", 0);
        collect(&p);
        now += 10;
        bv_ip_poll();
    }
    ck_assert_uint_eq(replies, 100);
    ck_assert_uint_eq(bv_status_open_connections(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bv_status");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, request_in_two_segments);
    tcase_add_test(tc, close_only_after_the_reply_is_acknowledged);
    tcase_add_test(tc, request_ends_with_the_peers_fin);
    tcase_add_test(tc, long_request_cut_and_every_byte_taken);
    tcase_add_test(tc, bytes_after_the_newline_are_not_the_request);
    tcase_add_test(tc, a_hundred_connections_leak_nothing);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
