/*
 * Unit tests for common/lib/format.c (ksnprintf, kvsnprintf, kvformat).
 *
 * unit-sources: common/lib/format.c
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/lib/format.h"

/** Format into a fresh buffer and check both the text and the return value. */
#define EXPECT_FMT(expected, ...) \
    do { \
        char buf_[256]; \
        int n_ = ksnprintf(buf_, sizeof(buf_), __VA_ARGS__); \
        ck_assert_str_eq(buf_, expected); \
        ck_assert_int_eq(n_, (int)strlen(expected)); \
    } while (0)

START_TEST(test_plain_text_and_percent)
{
    EXPECT_FMT("", "%s", "");
    EXPECT_FMT("hello", "hello");
    EXPECT_FMT("100%", "100%%");
    EXPECT_FMT("%%", "%%%%");
}
END_TEST

START_TEST(test_signed_decimal)
{
    EXPECT_FMT("0", "%d", 0);
    EXPECT_FMT("42", "%d", 42);
    EXPECT_FMT("-42", "%i", -42);
    EXPECT_FMT("2147483647", "%d", INT_MAX);
    EXPECT_FMT("-2147483648", "%d", INT_MIN);
    EXPECT_FMT("-1", "%ld", -1L);
    EXPECT_FMT("9223372036854775807", "%lld", LLONG_MAX);
    EXPECT_FMT("-9223372036854775808", "%lld", LLONG_MIN);
    EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
    EXPECT_FMT("-5", "%zd", (ssize_t)-5);
}
END_TEST

START_TEST(test_length_modifiers_truncate)
{
    /* hh and h convert the promoted int back to char / short. */
    EXPECT_FMT("-1", "%hhd", 255);
    EXPECT_FMT("255", "%hhu", -1);
    EXPECT_FMT("-32768", "%hd", 32768);
    EXPECT_FMT("65535", "%hu", -1);
    EXPECT_FMT("ff", "%hhx", 0x1ff);
    EXPECT_FMT("4294967295", "%u", UINT_MAX);
    EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT_FMT("18446744073709551615", "%zu", SIZE_MAX);
    EXPECT_FMT("ffffffffffffffff", "%lx", ULONG_MAX);
}
END_TEST

START_TEST(test_hex_and_octal)
{
    EXPECT_FMT("deadbeef", "%x", 0xdeadbeefu);
    EXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefu);
    EXPECT_FMT("0", "%x", 0);
    EXPECT_FMT("777", "%o", 0777);
    EXPECT_FMT("1777777777777777777777", "%llo", ULLONG_MAX);
    EXPECT_FMT("0", "%o", 0);
}
END_TEST

START_TEST(test_pointer)
{
    EXPECT_FMT("0xffffffff80001000", "%p", (void *)0xffffffff80001000ULL);
    EXPECT_FMT("0x1000", "%p", (void *)0x1000);
    EXPECT_FMT("0x0", "%p", (void *)0);
    EXPECT_FMT("[    0x10]", "[%8p]", (void *)0x10);
    EXPECT_FMT("[0x10    ]", "[%-8p]", (void *)0x10);
}
END_TEST

/* Hidden from the compiler so it does not warn about printing NULL. */
static const char *volatile null_string = NULL;

START_TEST(test_strings_and_chars)
{
    EXPECT_FMT("abc", "%s", "abc");
    EXPECT_FMT("(null)", "%s", null_string);
    EXPECT_FMT("[  abc]", "[%5s]", "abc");
    EXPECT_FMT("[abc  ]", "[%-5s]", "abc");
    EXPECT_FMT("[ab]", "[%.2s]", "abcdef");
    EXPECT_FMT("[   ab]", "[%5.2s]", "abcdef");
    EXPECT_FMT("[abcdef]", "[%.10s]", "abcdef");
    EXPECT_FMT("[]", "[%.0s]", "abc");
    EXPECT_FMT("[(nu]", "[%.3s]", null_string);
    EXPECT_FMT("x", "%c", 'x');
    EXPECT_FMT("[  x]", "[%3c]", 'x');
    EXPECT_FMT("[x  ]", "[%-3c]", 'x');
    EXPECT_FMT("a1b-2cz", "a%db%dc%c", 1, -2, 'z');
}
END_TEST

START_TEST(test_precision_reads_no_further)
{
    /* An unterminated array is fine with a precision: no byte past it is read. */
    char not_terminated[3] = { 'x', 'y', 'z' };

    EXPECT_FMT("xyz", "%.3s", not_terminated);
    EXPECT_FMT("xy", "%.*s", 2, not_terminated);
}
END_TEST

START_TEST(test_width_and_flags)
{
    EXPECT_FMT("[   42]", "[%5d]", 42);
    EXPECT_FMT("[42   ]", "[%-5d]", 42);
    EXPECT_FMT("[00042]", "[%05d]", 42);
    EXPECT_FMT("[-0042]", "[%05d]", -42);
    EXPECT_FMT("[  -42]", "[%5d]", -42);
    EXPECT_FMT("[0000beef]", "[%08x]", 0xbeef);
    EXPECT_FMT("[12345]", "[%3d]", 12345); /* width is a minimum */
    EXPECT_FMT("[   42]", "[%*d]", 5, 42);
    EXPECT_FMT("[42   ]", "[%*d]", -5, 42); /* negative '*' = left */
    EXPECT_FMT("[00042]", "[%0*d]", 5, 42);
    EXPECT_FMT("[  007]", "[%5.3d]", 7); /* precision: minimum digits */
    EXPECT_FMT("[]", "[%.0d]", 0);
}
END_TEST

START_TEST(test_minus_beats_zero)
{
    /* Through a variable: -Wformat flags this combination. */
    const char *fmt = "[%-05d]";
    char buf[16];

    ck_assert_int_eq(ksnprintf(buf, sizeof(buf), fmt, -42), 7);
    ck_assert_str_eq(buf, "[-42  ]");
}
END_TEST

START_TEST(test_long_padding)
{
    char buf[200];
    char expected[200];
    int n = ksnprintf(buf, sizeof(buf), "%100d", 7);

    memset(expected, ' ', 99);
    expected[99] = '7';
    expected[100] = '\0';
    ck_assert_int_eq(n, 100);
    ck_assert_str_eq(buf, expected);
}
END_TEST

START_TEST(test_truncation_and_return_value)
{
    char buf[8];
    int n;

    memset(buf, 'Q', sizeof(buf));
    n = ksnprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);
    ck_assert_int_eq(n, 12); /* the length it would have had */
    ck_assert_str_eq(buf, "abcdef-"); /* 7 characters and the NUL */

    memset(buf, 'Q', sizeof(buf));
    n = ksnprintf(buf, 1, "xyz");
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(buf[1], 'Q'); /* nothing written past size */

    memset(buf, 'Q', sizeof(buf));
    n = ksnprintf(buf, 0, "xyz");
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(buf[0], 'Q'); /* size 0: nothing written at all */

    n = ksnprintf(NULL, 0, "%d", 123456);
    ck_assert_int_eq(n, 6); /* measuring run */

    memset(buf, 'Q', sizeof(buf));
    n = ksnprintf(buf, sizeof(buf), "1234567");
    ck_assert_int_eq(n, 7);
    ck_assert_str_eq(buf, "1234567"); /* exactly fits */
}
END_TEST

START_TEST(test_unknown_and_trailing_percent)
{
    char buf[32];
    const char *unknown = "a%qb"; /* via a variable: -Wformat would reject it */
    const char *trailing = "end%";
    int n;

    n = ksnprintf(buf, sizeof(buf), unknown, 0);
    ck_assert_str_eq(buf, "a%qb");
    ck_assert_int_eq(n, 4);
    n = ksnprintf(buf, sizeof(buf), trailing, 0);
    ck_assert_str_eq(buf, "end%");
    ck_assert_int_eq(n, 4);
}
END_TEST

START_TEST(test_matches_libc)
{
    /* The C library is the reference for the cases both support. */
    static const long long values[] = {
        0, 1, -1, 9, 10, 255, -255, 65536, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, 0x123456789abcLL
    };
    char ours[128], theirs[128];

    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        long long v = values[i];
        int a, b;

        a = ksnprintf(ours, sizeof(ours), "%lld|%20lld|%-20lld|%020lld|%llx|%llX|%llo|%llu", v, v,
                      v, v, (unsigned long long)v, (unsigned long long)v, (unsigned long long)v,
                      (unsigned long long)v);
        b = snprintf(theirs, sizeof(theirs), "%lld|%20lld|%-20lld|%020lld|%llx|%llX|%llo|%llu", v,
                     v, v, v, (unsigned long long)v, (unsigned long long)v, (unsigned long long)v,
                     (unsigned long long)v);
        ck_assert_str_eq(ours, theirs);
        ck_assert_int_eq(a, b);

        a = ksnprintf(ours, sizeof(ours), "%d|%5i|%-6u|%08x|%hd|%hhu", (int)v, (int)v, (unsigned)v,
                      (unsigned)v, (short)v, (unsigned char)v);
        b = snprintf(theirs, sizeof(theirs), "%d|%5i|%-6u|%08x|%hd|%hhu", (int)v, (int)v,
                     (unsigned)v, (unsigned)v, (short)v, (unsigned char)v);
        ck_assert_str_eq(ours, theirs);
        ck_assert_int_eq(a, b);
    }
}
END_TEST

/** Collects kvformat() output and counts the callbacks. */
struct collector {
    char text[256];
    size_t len;
    unsigned calls;
};

static void collect(void *ctx, const char *s, size_t n)
{
    struct collector *c = ctx;

    ck_assert_uint_gt(n, 0); /* no empty pieces */
    ck_assert_uint_lt(c->len + n, sizeof(c->text));
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = '\0';
    c->calls++;
}

static int call_kvformat(struct collector *c, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = kvformat(collect, c, fmt, ap);
    va_end(ap);
    return n;
}

START_TEST(test_kvformat_streams)
{
    struct collector c = { .len = 0, .calls = 0 };
    int n = call_kvformat(&c, "cpu%u: %s [%04x]%c", 3u, "up", 0x1f, '!');

    ck_assert_str_eq(c.text, "cpu3: up [001f]!");
    ck_assert_int_eq(n, (int)strlen("cpu3: up [001f]!"));
    ck_assert_uint_ge(c.calls, 2);
}
END_TEST

START_TEST(test_kvformat_no_output)
{
    struct collector c = { .len = 0, .calls = 0 };

    ck_assert_int_eq(call_kvformat(&c, "%s", ""), 0);
    ck_assert_uint_eq(c.calls, 0);
}
END_TEST

START_TEST(test_append_builds_a_line_and_keeps_counting)
{
    char buf[12];
    size_t pos = 0;

    buf[0] = '\0';
    ck_assert_int_eq(ksnappendf(buf, sizeof(buf), &pos, "[%02x]", 0x1f), 4);
    ck_assert_int_eq(ksnappendf(buf, sizeof(buf), &pos, " %s", "pcidebug"), 9);
    ck_assert_str_eq(buf, "[1f] pcideb"); /* truncated, still terminated */
    ck_assert_uint_eq(pos, 13);
    ck_assert_int_eq(ksnappendf(buf, sizeof(buf), &pos, "%s", "more"), 4); /* past the end */
    ck_assert_uint_eq(pos, 17);
    ck_assert_str_eq(buf, "[1f] pcideb");
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_plain_text_and_percent);
    tcase_add_test(tc, test_signed_decimal);
    tcase_add_test(tc, test_length_modifiers_truncate);
    tcase_add_test(tc, test_hex_and_octal);
    tcase_add_test(tc, test_pointer);
    tcase_add_test(tc, test_strings_and_chars);
    tcase_add_test(tc, test_precision_reads_no_further);
    tcase_add_test(tc, test_width_and_flags);
    tcase_add_test(tc, test_minus_beats_zero);
    tcase_add_test(tc, test_long_padding);
    tcase_add_test(tc, test_truncation_and_return_value);
    tcase_add_test(tc, test_unknown_and_trailing_percent);
    tcase_add_test(tc, test_matches_libc);
    tcase_add_test(tc, test_append_builds_a_line_and_keeps_counting);
    tcase_add_test(tc, test_kvformat_streams);
    tcase_add_test(tc, test_kvformat_no_output);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(format_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
