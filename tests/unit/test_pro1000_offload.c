/*
 * Unit tests for drivers/pro1000_offload.c: the context descriptor's fields,
 * checksum insertion (known answers, the pseudo-header, an odd end, UDP's
 * zero), TCP segmentation (every segment's lengths, identification,
 * sequence number, flags, payload and checksums; a last short segment; UDP
 * and IPv6), and the refusals: no context, offsets outside the frame, a
 * context unfit for segmentation, a payload that is not PAYLEN, a segment
 * larger than the buffer; nothing written past the buffer or into a frame
 * refused.
 * unit-sources: drivers/pro1000_offload.c common/lib/inet_sum.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "drivers/pro1000_offload.h"
#include "tests/unit/unit_main.h"

#define ETH 14
#define IP4 20
#define TCP 20
#define HDR (ETH + IP4 + TCP)
#define BIG 70000

/* The test's own Internet checksum pieces, written apart from the code under test. */
static u32 ones_sum(const u8 *p, size_t n, u32 sum)
{
    for (size_t i = 0; i < n; i++)
        sum += (i % 2) ? p[i] : (u32)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return sum;
}

static u16 get16(const u8 *p)
{
    return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
    return (u32)get16(p) << 16 | get16(p + 2);
}

/* The IPv4 pseudo-header's sum for a layer-4 length (0: without it, as for TSO). */
static u32 pseudo_sum(const u8 *frame, u8 proto, u32 l4_len)
{
    u32 sum = ones_sum(frame + ETH + 12, 8, 0) + proto + l4_len;
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return sum;
}

/*
 * Ethernet, IPv4 (10.0.2.15 -> 10.0.2.2, id 0x1234, DF) and TCP (40000 ->
 * 80, seq 0x01020304, PSH|ACK|flags_extra) with payload bytes i*7+3.
 */
static size_t tcp_frame(u8 *f, u32 payload, u8 flags_extra)
{
    static const u8 head[HDR] = {
        0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x00,
        0x45, 0x00, 0x00, 0x00, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
        10, 0, 2, 15, 10, 0, 2, 2,
        0x9c, 0x40, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
        0x50, 0x18, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
    };
    memcpy(f, head, HDR);
    f[ETH + 2] = (u8)((IP4 + TCP + payload) >> 8);
    f[ETH + 3] = (u8)(IP4 + TCP + payload);
    f[ETH + IP4 + 13] |= flags_extra;
    for (u32 i = 0; i < payload; i++)
        f[HDR + i] = (u8)(i * 7 + 3);
    return HDR + payload;
}

/* A checksum context as Linux's e1000 writes one for this frame. */
static struct pro1000_offload_ctx tcp_ctx(void)
{
    return (struct pro1000_offload_ctx){ .valid = true, .ipcss = ETH, .ipcso = ETH + 10,
                                         .ipcse = ETH + IP4 - 1, .tucss = ETH + IP4,
                                         .tucso = ETH + IP4 + 16, .tucse = 0,
                                         .tucmd = PRO1000_TUCMD_TCP | PRO1000_TUCMD_IP };
}

/* The same for segmentation: what the driver leaves in the frame, and the context. */
static struct pro1000_offload_ctx tso_ctx(u8 *f, size_t len, u16 mss)
{
    struct pro1000_offload_ctx c = tcp_ctx();
    u16 partial = (u16)pseudo_sum(f, 6, 0);

    c.tucmd |= PRO1000_TUCMD_TSE;
    c.hdrlen = HDR;
    c.mss = mss;
    c.paylen = (u32)(len - HDR);
    f[ETH + 2] = f[ETH + 3] = 0; /* total length and checksum zeroed, as Linux does */
    f[ETH + 10] = f[ETH + 11] = 0;
    f[ETH + IP4 + 16] = (u8)(partial >> 8);
    f[ETH + IP4 + 17] = (u8)partial;
    return c;
}

START_TEST(context_descriptor_fields)
{
    const u8 raw[16] = { 14, 24, 33, 0, 34, 50, 0, 0,
                         0xb8, 0x0b, 0x00, 0x2f, 0x00, 54, 0xa8, 0x05 };
    struct pro1000_offload_ctx c;

    memset(&c, 0, sizeof(c));
    pro1000_offload_ctx_parse(raw, &c);
    ck_assert(c.valid);
    ck_assert_uint_eq(c.ipcss, 14);
    ck_assert_uint_eq(c.ipcso, 24);
    ck_assert_uint_eq(c.ipcse, 33);
    ck_assert_uint_eq(c.tucss, 34);
    ck_assert_uint_eq(c.tucso, 50);
    ck_assert_uint_eq(c.tucse, 0);
    ck_assert_uint_eq(c.paylen, 3000);
    ck_assert_uint_eq(c.tucmd, 0x2f);
    ck_assert_uint_eq(c.hdrlen, 54);
    ck_assert_uint_eq(c.mss, 1448);
}
END_TEST

START_TEST(ip_header_checksum_known_answer)
{
    /* The usual textbook header: its checksum is 0xb861. */
    u8 f[ETH + IP4] = { 0 };
    const u8 ip[IP4] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                         0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    struct pro1000_offload_ctx c = tcp_ctx();

    memcpy(f + ETH, ip, IP4);
    ck_assert_int_eq(pro1000_offload_checksums(f, sizeof(f), &c, PRO1000_POPTS_IXSM),
                     PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(get16(f + ETH + 10), 0xb861);
}
END_TEST

START_TEST(tcp_checksum_over_the_pseudo_header_sum)
{
    u8 f[128];
    size_t len = tcp_frame(f, 10, 0);
    struct pro1000_offload_ctx c = tcp_ctx();
    u16 partial = (u16)pseudo_sum(f, 6, TCP + 10);

    /* The driver leaves the pseudo-header's sum, with the length, in the field. */
    f[ETH + IP4 + 16] = (u8)(partial >> 8);
    f[ETH + IP4 + 17] = (u8)partial;
    ck_assert_int_eq(pro1000_offload_checksums(f, len, &c,
                                               PRO1000_POPTS_IXSM | PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_OK);
    /* Known answers (computed apart from this code), and the receiver's check. */
    ck_assert_uint_eq(get16(f + ETH + 10), 0x1082);
    ck_assert_uint_eq(get16(f + ETH + IP4 + 16), 0x4a54);
    ck_assert_uint_eq(ones_sum(f + ETH, IP4, 0), 0xFFFF);
    ck_assert_uint_eq(ones_sum(f + ETH + IP4, TCP + 10, pseudo_sum(f, 6, TCP + 10)), 0xFFFF);
}
END_TEST

START_TEST(odd_end_and_udp_zero)
{
    u8 f[8] = { 1, 2, 3, 0, 0, 0xFF, 0xFF, 0 };
    struct pro1000_offload_ctx c = { .valid = true, .tucss = 0, .tucso = 3, .tucse = 2,
                                     .tucmd = PRO1000_TUCMD_TCP };

    /* 0x0102 + 0x0300 = 0x0402: the odd last byte is a high half. */
    ck_assert_int_eq(pro1000_offload_checksums(f, sizeof(f), &c, PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(get16(f + 3), 0xfbfd);
    /* A sum of 0xFFFF complements to 0: TCP keeps it, UDP sends 0xFFFF. */
    c = (struct pro1000_offload_ctx){ .valid = true, .tucss = 5, .tucso = 0, .tucse = 6,
                                      .tucmd = PRO1000_TUCMD_TCP };
    ck_assert_int_eq(pro1000_offload_checksums(f, sizeof(f), &c, PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(get16(f), 0);
    c.tucmd = 0;
    ck_assert_int_eq(pro1000_offload_checksums(f, sizeof(f), &c, PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(get16(f), 0xFFFF);
}
END_TEST

START_TEST(checksum_ranges_outside_the_frame_refused_untouched)
{
    u8 f[128], before[128];
    size_t len = tcp_frame(f, 10, 0);
    struct pro1000_offload_ctx none = { 0 }, c;
    const struct {
        u8 ipcss, ipcso;
        u16 ipcse;
        u8 tucss, tucso;
        u16 tucse;
    } bad[] = {
        { ETH, ETH + 10, (u16)len, ETH + IP4, ETH + IP4 + 16, 0 },     /* IP end past the frame */
        { ETH, ETH + 10, ETH + 19, ETH + IP4, (u8)(len - 1), 0 },      /* place's second byte out */
        { ETH, ETH + 10, ETH + 19, 200, ETH + IP4 + 16, 0 },           /* start past the frame */
        { ETH, ETH + 10, ETH + 19, ETH + IP4, ETH + IP4 + 16, ETH },   /* end before start */
        { 70, ETH + 10, 0, ETH + IP4, ETH + IP4 + 16, 0 },             /* IP start past the frame */
    };

    memcpy(before, f, len);
    ck_assert_int_eq(pro1000_offload_checksums(f, len, &none, PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_NO_CONTEXT);
    /* Nothing asked, nothing needed. */
    ck_assert_int_eq(pro1000_offload_checksums(f, len, &none, 0), PRO1000_OFFLOAD_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c = tcp_ctx();
        c.ipcss = bad[i].ipcss;
        c.ipcso = bad[i].ipcso;
        c.ipcse = bad[i].ipcse;
        c.tucss = bad[i].tucss;
        c.tucso = bad[i].tucso;
        c.tucse = bad[i].tucse;
        ck_assert_msg(pro1000_offload_checksums(f, len, &c, PRO1000_POPTS_IXSM |
                                                PRO1000_POPTS_TXSM) == PRO1000_OFFLOAD_BAD_RANGE,
                      "case %zu", i);
        ck_assert_msg(memcmp(f, before, len) == 0, "case %zu wrote", i);
    }
    ck_assert_int_eq(pro1000_offload_checksums(f, 0, &c, PRO1000_POPTS_IXSM),
                     PRO1000_OFFLOAD_BAD_RANGE);
}
END_TEST

/* Every segment of a TCP frame of payload bytes, MSS mss, checked field by field. */
static void check_tcp_segments(u32 payload, u16 mss, u8 flags_extra)
{
    static u8 f[BIG], seg[2048];
    size_t len = tcp_frame(f, payload, flags_extra), seg_len = 0;
    struct pro1000_offload_ctx c = tso_ctx(f, len, mss);
    u32 count = 0, want = (payload + mss - 1) / mss;

    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(count, want);
    for (u32 i = 0; i < count; i++) {
        u32 pay = i + 1 < count ? mss : payload - i * mss;
        u8 *tcp = seg + ETH + IP4;

        ck_assert_int_eq(pro1000_tso_segment(f, len, &c,
                                             PRO1000_POPTS_IXSM | PRO1000_POPTS_TXSM, i, seg,
                                             sizeof(seg), &seg_len),
                         PRO1000_OFFLOAD_OK);
        ck_assert_uint_eq(seg_len, HDR + pay);
        ck_assert_uint_eq(get16(seg + ETH + 2), IP4 + TCP + pay);
        ck_assert_uint_eq(get16(seg + ETH + 4), 0x1234 + i);
        ck_assert_uint_eq(get32(tcp + 4), 0x01020304u + i * mss);
        ck_assert_uint_eq(get32(tcp + 8), 0x0a0b0c0du);
        /* FIN and PSH only in the last; ACK in every one. */
        u8 flags = i + 1 < count ? 0x10 : (u8)(0x18 | flags_extra);
        ck_assert_uint_eq(tcp[13], flags);
        ck_assert(memcmp(seg + HDR, f + HDR + i * mss, pay) == 0);
        ck_assert_uint_eq(ones_sum(seg + ETH, IP4, 0), 0xFFFF);
        ck_assert_uint_eq(ones_sum(tcp, TCP + pay, pseudo_sum(seg, 6, TCP + pay)), 0xFFFF);
        /* The Ethernet header and the addresses are the frame's. */
        ck_assert(memcmp(seg, f, ETH) == 0);
        ck_assert(memcmp(seg + ETH + 12, f + ETH + 12, 8) == 0);
    }
    ck_assert_int_eq(pro1000_tso_segment(f, len, &c, 0, count, seg, sizeof(seg), &seg_len),
                     PRO1000_OFFLOAD_BAD_LENGTH);
}

START_TEST(tso_segments_of_mss_then_a_short_last)
{
    check_tcp_segments(3000, 1000, 0);          /* three full segments */
    check_tcp_segments(2500, 1000, 0x01);       /* a short last one, with FIN */
    check_tcp_segments(1448, 1448, 0x01);       /* one segment: FIN and PSH stay */
    check_tcp_segments(65000, 1448, 0);         /* Linux's largest, 45 segments */
    check_tcp_segments(7, 1, 0);                /* one byte each */
}
END_TEST

START_TEST(tso_udp_and_ipv6_lengths)
{
    u8 f[200], seg[200];
    size_t seg_len = 0;
    struct pro1000_offload_ctx c = { .valid = true, .ipcss = ETH, .ipcso = ETH + 6,
                                     .tucss = ETH + 40, .tucso = ETH + 46,
                                     .tucmd = PRO1000_TUCMD_TSE, .hdrlen = ETH + 48,
                                     .mss = 40, .paylen = 100 };

    /* UDP over IPv6: the payload length and the UDP length per segment. */
    memset(f, 0, sizeof(f));
    ck_assert_int_eq(pro1000_tso_segment(f, ETH + 48 + 100, &c, PRO1000_POPTS_TXSM, 2, seg,
                                         sizeof(seg), &seg_len),
                     PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(seg_len, ETH + 48 + 20);
    ck_assert_uint_eq(get16(seg + ETH + 4), 8 + 20);
    ck_assert_uint_eq(get16(seg + ETH + 40 + 4), 8 + 20);
    /* The UDP checksum is the length twice (field and pseudo-header), complemented. */
    ck_assert_uint_eq(get16(seg + ETH + 46), (u16)~(2 * 28));
}
END_TEST

START_TEST(tso_refusals)
{
    static u8 f[4000], seg[2048];
    size_t len = tcp_frame(f, 3000, 0), seg_len = 7;
    struct pro1000_offload_ctx good = tso_ctx(f, len, 1000), c;
    u32 count = 0;

    c = good;
    c.valid = false;
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_NO_CONTEXT);
    c = good;
    c.mss = 0;
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_BAD_TSO);
    c = good;
    c.tucmd &= (u8)~PRO1000_TUCMD_TSE;
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_BAD_TSO);
    c = good;
    c.hdrlen = ETH + IP4 + 19; /* the TCP header cut short */
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_BAD_TSO);
    c = good;
    c.ipcss = 40; /* the IP header would run past HDRLEN */
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_BAD_TSO);
    c = good;
    c.tucso = HDR - 1;
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_BAD_TSO);
    c = good;
    c.paylen = 2999;
    ck_assert_int_eq(pro1000_tso_check(len, &c, &count), PRO1000_OFFLOAD_BAD_LENGTH);
    c = good;
    ck_assert_int_eq(pro1000_tso_check(HDR, &c, &count), PRO1000_OFFLOAD_BAD_LENGTH);
    /* The header in range, the IP checksum's end past the segment. */
    c.ipcse = 1100;
    ck_assert_int_eq(pro1000_tso_segment(f, len, &c, PRO1000_POPTS_IXSM, 0, seg, sizeof(seg),
                                         &seg_len),
                     PRO1000_OFFLOAD_BAD_RANGE);
    ck_assert_uint_eq(seg_len, 7);
    /* A segment larger than the buffer: refused, and no byte past it written. */
    c = good;
    memset(seg, 0xEE, sizeof(seg));
    ck_assert_int_eq(pro1000_tso_segment(f, len, &c, 0, 0, seg, HDR + 999, &seg_len),
                     PRO1000_OFFLOAD_TOO_BIG);
    for (size_t i = 0; i < sizeof(seg); i++)
        ck_assert_uint_eq(seg[i], 0xEE);
    ck_assert_uint_eq(seg_len, 7);
}
END_TEST

START_TEST(result_texts)
{
    for (int r = PRO1000_OFFLOAD_OK; r <= PRO1000_OFFLOAD_TOO_BIG; r++)
        ck_assert_str_ne(pro1000_offload_result_text((enum pro1000_offload_result)r), "?");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pro1000_offload");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, context_descriptor_fields);
    tcase_add_test(tc, ip_header_checksum_known_answer);
    tcase_add_test(tc, tcp_checksum_over_the_pseudo_header_sum);
    tcase_add_test(tc, odd_end_and_udp_zero);
    tcase_add_test(tc, checksum_ranges_outside_the_frame_refused_untouched);
    tcase_add_test(tc, tso_segments_of_mss_then_a_short_last);
    tcase_add_test(tc, tso_udp_and_ipv6_lengths);
    tcase_add_test(tc, tso_refusals);
    tcase_add_test(tc, result_texts);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
