/*
 * Unit tests for net/net_status.c (lab 11): the status service's reply to
 * one request line. "status" and "version" answered exactly; the line cut at
 * its first newline, with or without "\r"; everything else, prefixes, other
 * case and NUL bytes included, one error line that never repeats the
 * request; uptime in whole seconds, rounded down; a reply that does not fit
 * is not written at all.
 * unit-sources: net/net_status.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "net/net_status.h"
#include "tests/unit/unit_main.h"

static const struct net_status figures = { "0.1", 12999999, 34, 20 };
static char out[128];

/* The reply to the C string req (its NUL not included). */
static u32 reply(const char *req)
{
    memset(out, 'x', sizeof(out));
    return net_status_reply(req, (u32)strlen(req), &figures, out, sizeof(out));
}

static void assert_reply(const char *req, const char *want)
{
    u32 n = reply(req);
    ck_assert_msg(strcmp(out, want) == 0, "request \"%s\": got \"%s\", want \"%s\"", req, out,
                  want);
    ck_assert_uint_eq(n, strlen(want));
}

START_TEST(status_and_version_answered)
{
    assert_reply("status\n", "bookvisor 0.1 up 12 s frames in 34 out 20\n");
    assert_reply("version\n", "bookvisor 0.1\n");
    /* No newline at all: the whole bytes are the request (the peer closed after them). */
    assert_reply("status", "bookvisor 0.1 up 12 s frames in 34 out 20\n");
}
END_TEST

START_TEST(line_cut_at_its_first_newline)
{
    assert_reply("status\r\n", "bookvisor 0.1 up 12 s frames in 34 out 20\n");
    assert_reply("version\r\nstatus\n", "bookvisor 0.1\n");
    assert_reply("status\nversion\n", "bookvisor 0.1 up 12 s frames in 34 out 20\n");
    /* Only one '\r', and only right before the end. */
    assert_reply("status\r\r\n", "error: unknown request\n");
    assert_reply("sta\rtus\n", "error: unknown request\n");
}
END_TEST

START_TEST(anything_else_is_unknown)
{
    static const char *const bad[] = {
        "\n", "", "statusx\n", "stat\n", "STATUS\n", " status\n", "status \n", "versions\n",
        "v\n", "help\n", "status version\n",
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_reply(bad[i], "error: unknown request\n");
}
END_TEST

START_TEST(request_is_bytes_not_a_string)
{
    /* "status" then a NUL: seven bytes, not "status". */
    u32 n = net_status_reply("status\0\n", 8, &figures, out, sizeof(out));
    ck_assert_str_eq(out, "error: unknown request\n");
    ck_assert_uint_eq(n, 23);
    /* Only len bytes count: what follows them is not looked at. */
    n = net_status_reply("versionXYZ", 7, &figures, out, sizeof(out));
    ck_assert_str_eq(out, "bookvisor 0.1\n");
    ck_assert_uint_eq(n, 14);
    n = net_status_reply("statu", 4, &figures, out, sizeof(out));
    ck_assert_str_eq(out, "error: unknown request\n");
}
END_TEST

START_TEST(uptime_in_whole_seconds_rounded_down)
{
    struct net_status s = { "2.7-rc1", 0, 0, 0 };
    static const struct {
        u64 us;
        const char *want;
    } cases[] = {
        { 0, "bookvisor 2.7-rc1 up 0 s frames in 0 out 0\n" },
        { 999999, "bookvisor 2.7-rc1 up 0 s frames in 0 out 0\n" },
        { 1000000, "bookvisor 2.7-rc1 up 1 s frames in 0 out 0\n" },
        { 59500000, "bookvisor 2.7-rc1 up 59 s frames in 0 out 0\n" },
        { 86400000000ull * 400, "bookvisor 2.7-rc1 up 34560000 s frames in 0 out 0\n" },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s.uptime_us = cases[i].us;
        u32 n = net_status_reply("status\n", 7, &s, out, sizeof(out));
        ck_assert_str_eq(out, cases[i].want);
        ck_assert_uint_eq(n, strlen(cases[i].want));
    }
    /* Counters past 32 bits are printed whole. */
    s.frames_in = 1ull << 40;
    s.frames_out = ~0ull;
    net_status_reply("status", 6, &s, out, sizeof(out));
    ck_assert_str_eq(out, "bookvisor 2.7-rc1 up 34560000 s frames in 1099511627776 out "
                          "18446744073709551615\n");
}
END_TEST

START_TEST(no_half_lines)
{
    const char *full = "bookvisor 0.1 up 12 s frames in 34 out 20\n";
    u32 len = (u32)strlen(full);
    char small[64];

    /* Exactly room for the line and its NUL: written. */
    memset(small, 'x', sizeof(small));
    ck_assert_uint_eq(net_status_reply("status\n", 7, &figures, small, len + 1), len);
    ck_assert_str_eq(small, full);
    /* One byte short: nothing, and an empty string. */
    for (u32 size = 1; size <= len; size++) {
        memset(small, 'x', sizeof(small));
        ck_assert_uint_eq(net_status_reply("status\n", 7, &figures, small, size), 0);
        ck_assert_uint_eq((u8)small[0], 0);
        ck_assert_uint_eq((u8)small[size], 'x'); /* nothing written past the buffer */
    }
    /* No buffer at all: nothing written. */
    memset(small, 'x', sizeof(small));
    ck_assert_uint_eq(net_status_reply("version\n", 8, &figures, small, 0), 0);
    ck_assert_uint_eq((u8)small[0], 'x');
    /* The error line obeys the same rule. */
    ck_assert_uint_eq(net_status_reply("nope\n", 5, &figures, small, 10), 0);
    ck_assert_str_eq(small, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("net_status");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, status_and_version_answered);
    tcase_add_test(tc, line_cut_at_its_first_newline);
    tcase_add_test(tc, anything_else_is_unknown);
    tcase_add_test(tc, request_is_bytes_not_a_string);
    tcase_add_test(tc, uptime_in_whole_seconds_rounded_down);
    tcase_add_test(tc, no_half_lines);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
