/*
 * Unit tests for net/syslog_frame.c (the log's own frames under pass, tty=1):
 * the headers byte by byte, both checksums against values worked out by
 * hand (and against a sum of the frame's words), padding of short frames,
 * and the size limits: one tag and one log chunk fit, a byte more does not,
 * nor a frame larger than the caller's buffer. A long log line cut by
 * net/log_ring.c gives frames that all fit.
 * unit-sources: net/syslog_frame.c net/log_ring.c common/lib/inet_sum.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "net/syslog_frame.h"
#include "tests/unit/unit_main.h"

static const struct syslog_frame_addr to = {
    .dst_mac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
    .src_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
    .src_ip = 0x0A000210, /* 10.0.2.16 */
    .dst_ip = 0x0A000202, /* 10.0.2.2 */
    .src_port = 514,
    .dst_port = 5140,
};

static unsigned be16(const u8 *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* The ones'-complement sum of the words, folded: 0xFFFF over a correct header. */
static unsigned words_sum(const u8 *p, size_t n)
{
    unsigned long s = 0;
    for (size_t i = 0; i < n; i += 2)
        s += (unsigned)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
    while (s >> 16)
        s = (s & 0xFFFF) + (s >> 16);
    return (unsigned)s;
}

START_TEST(headers_and_checksums)
{
    static const char text[] = "<14>bookvisor: hello";
    u8 f[SYSLOG_FRAME_MAX];
    size_t n = syslog_frame_build(&to, 7, text, strlen(text), f, sizeof(f));

    ck_assert_uint_eq(n, 42 + 20);
    ck_assert_mem_eq(f, to.dst_mac, 6);
    ck_assert_mem_eq(f + 6, to.src_mac, 6);
    ck_assert_uint_eq(be16(f + 12), 0x0800);
    const u8 *ip = f + 14, *udp = f + 34;
    ck_assert_uint_eq(ip[0], 0x45);
    ck_assert_uint_eq(be16(ip + 2), 20 + 8 + 20);
    ck_assert_uint_eq(be16(ip + 4), 7);
    ck_assert_uint_eq(be16(ip + 6), 0);
    ck_assert_uint_eq(ip[8], 64);
    ck_assert_uint_eq(ip[9], 17);
    ck_assert_uint_eq(be16(ip + 10), 0x62a5); /* worked out by hand (RFC 1071) */
    ck_assert_uint_eq(words_sum(ip, 20), 0xFFFF);
    ck_assert_mem_eq(ip + 12, "\x0a\x00\x02\x10\x0a\x00\x02\x02", 8);
    ck_assert_uint_eq(be16(udp), 514);
    ck_assert_uint_eq(be16(udp + 2), 5140);
    ck_assert_uint_eq(be16(udp + 4), 28);
    ck_assert_uint_eq(be16(udp + 6), 0x40ed);
    ck_assert_mem_eq(udp + 8, text, strlen(text));
    /* A short datagram is padded with zeros to 60 bytes, outside the datagram. */
    memset(f, 0xAA, sizeof(f));
    n = syslog_frame_build(&to, 7, "<14>", 4, f, sizeof(f));
    ck_assert_uint_eq(n, SYSLOG_FRAME_MIN);
    ck_assert_uint_eq(be16(ip + 2), 20 + 8 + 4);
    for (size_t i = 42 + 4; i < n; i++)
        ck_assert_uint_eq(f[i], 0);
}
END_TEST

START_TEST(udp_checksum_over_the_pseudo_header)
{
    char text[SYSLOG_FRAME_TEXT_MAX];
    u8 f[SYSLOG_FRAME_MAX];

    /* Every length from 0 to the most, odd ones too: the sum checks out. */
    for (size_t len = 0; len <= sizeof(text); len++) {
        for (size_t i = 0; i < len; i++)
            text[i] = (char)('a' + (i * 7 + len) % 26);
        size_t n = syslog_frame_build(&to, (u16)len, text, len, f, sizeof(f));
        ck_assert_uint_eq(n, len + SYSLOG_FRAME_HEADERS < 60 ? 60 : len + SYSLOG_FRAME_HEADERS);
        u8 pseudo[12 + 8 + SYSLOG_FRAME_TEXT_MAX];
        memcpy(pseudo, f + 26, 8);
        pseudo[8] = 0, pseudo[9] = 17, pseudo[10] = (u8)((8 + len) >> 8), pseudo[11] = (u8)(8 + len);
        memcpy(pseudo + 12, f + 34, 8 + len);
        ck_assert_uint_eq(words_sum(pseudo, 12 + 8 + len), 0xFFFF);
        ck_assert_uint_eq(words_sum(f + 14, 20), 0xFFFF);
        ck_assert_uint_ne(be16(f + 40), 0); /* 0 would say "no checksum" */
    }
}
END_TEST

START_TEST(size_limits)
{
    char text[SYSLOG_FRAME_TEXT_MAX + 1];
    u8 f[SYSLOG_FRAME_MAX + 1];

    memset(text, 'x', sizeof(text));
    /* The longest tag bookvisor sends and one whole log chunk fit. */
    ck_assert_uint_ge(SYSLOG_FRAME_TEXT_MAX, strlen("<14>bookvisor: ") + LOG_RING_CHUNK);
    ck_assert_uint_eq(syslog_frame_build(&to, 1, text, SYSLOG_FRAME_TEXT_MAX, f, sizeof(f)),
                      SYSLOG_FRAME_MAX);
    ck_assert_uint_eq(syslog_frame_build(&to, 1, text, SYSLOG_FRAME_TEXT_MAX + 1, f, sizeof(f)), 0);
    /* The caller's buffer: one byte short is refused, untouched. */
    memset(f, 0xAA, sizeof(f));
    ck_assert_uint_eq(syslog_frame_build(&to, 1, text, 40, f, 14 + 20 + 8 + 39), 0);
    ck_assert_uint_eq(f[0], 0xAA);
    ck_assert_uint_eq(syslog_frame_build(&to, 1, text, 1, f, SYSLOG_FRAME_MIN - 1), 0);
    ck_assert_uint_eq(syslog_frame_build(&to, 1, text, 1, f, SYSLOG_FRAME_MIN), SYSLOG_FRAME_MIN);
}
END_TEST

START_TEST(a_long_line_gives_frames_that_fit)
{
    static struct log_ring ring;
    char line[250];
    struct log_chunk c;
    char datagram[SYSLOG_FRAME_TEXT_MAX];
    u8 f[SYSLOG_FRAME_MAX];
    unsigned frames = 0;

    memset(line, 'y', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    log_ring_write(&ring, line, sizeof(line));
    while (log_ring_take(&ring, &c)) {
        memcpy(datagram, "<14>bookvisor: ", 15);
        memcpy(datagram + 15, c.text, c.len);
        ck_assert_uint_gt(syslog_frame_build(&to, 1, datagram, 15 + c.len, f, sizeof(f)), 0);
        frames++;
    }
    ck_assert_uint_eq(frames, 4); /* 80 + 80 + 80 + 9 */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("syslog_frame");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, headers_and_checksums);
    tcase_add_test(tc, udp_checksum_over_the_pseudo_header);
    tcase_add_test(tc, size_limits);
    tcase_add_test(tc, a_long_line_gives_frames_that_fit);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
