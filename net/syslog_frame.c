/*
 * net/syslog_frame.c - a syslog datagram in Ethernet, IPv4 and UDP (see syslog_frame.h).
 */
#include "net/syslog_frame.h"
#include "common/lib/inet_sum.h"
#include "common/lib/kstring.h"

#define IP_PROTO_UDP 17

static void put16(u8 *p, u16 v)
{
    p[0] = (u8)(v >> 8);
    p[1] = (u8)v;
}

static void put32(u8 *p, u32 v)
{
    put16(p, (u16)(v >> 16));
    put16(p + 2, (u16)v);
}

/* The 20-byte IPv4 header of a UDP datagram of udp_len bytes, with its checksum. */
static void put_ipv4(u8 *ip, const struct syslog_frame_addr *a, u16 ip_id, u16 udp_len)
{
    ip[0] = 0x45; /* version 4, five 32-bit words */
    ip[1] = 0;    /* ordinary service */
    put16(ip + 2, (u16)(20 + udp_len));
    put16(ip + 4, ip_id);
    put16(ip + 6, 0); /* no fragments, none to follow */
    ip[8] = 64;       /* TTL */
    ip[9] = IP_PROTO_UDP;
    put16(ip + 10, 0);
    put32(ip + 12, a->src_ip);
    put32(ip + 16, a->dst_ip);
    put16(ip + 10, inet_sum_fold(inet_sum_add(0, ip, 20)));
}

/* The UDP header; its checksum covers the pseudo-header (addresses, protocol, length) too. */
static void put_udp(u8 *udp, const u8 *ip, const struct syslog_frame_addr *a, u16 udp_len)
{
    u8 pseudo[4] = { 0, IP_PROTO_UDP, (u8)(udp_len >> 8), (u8)udp_len };

    put16(udp, a->src_port);
    put16(udp + 2, a->dst_port);
    put16(udp + 4, udp_len);
    put16(udp + 6, 0);
    u32 sum = inet_sum_add(0, ip + 12, 8); /* source and destination address */
    sum = inet_sum_add(sum, pseudo, sizeof(pseudo));
    u16 check = inet_sum_fold(inet_sum_add(sum, udp, udp_len));
    /* 0 would mean "no checksum": the same sum is sent as its other form. */
    put16(udp + 6, check ? check : 0xFFFF);
}

size_t syslog_frame_build(const struct syslog_frame_addr *a, u16 ip_id, const char *text,
                          size_t len, u8 *out, size_t size)
{
    size_t n = SYSLOG_FRAME_HEADERS + len;
    size_t frame_len = n < SYSLOG_FRAME_MIN ? SYSLOG_FRAME_MIN : n;
    u16 udp_len = (u16)(8 + len);

    if (len > SYSLOG_FRAME_TEXT_MAX || frame_len > size)
        return 0;
    memset(out, 0, frame_len); /* the padding of a short frame */
    memcpy(out, a->dst_mac, 6);
    memcpy(out + 6, a->src_mac, 6);
    put16(out + 12, 0x0800); /* IPv4 */
    memcpy(out + SYSLOG_FRAME_HEADERS, text, len);
    put_ipv4(out + 14, a, ip_id, udp_len);
    put_udp(out + 34, out + 14, a, udp_len);
    return frame_len;
}
