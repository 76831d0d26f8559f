/*
 * Unit tests for common/lib/kstring.c (reached as kstr_* on the host).
 *
 * unit-sources: common/lib/kstring.c
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/lib/kstring.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

START_TEST(test_memcpy)
{
    char src[] = "0123456789";
    char dst[12];

    memset(dst, 'x', sizeof(dst));
    ck_assert_ptr_eq(kstr_memcpy(dst, src, 5), dst);
    ck_assert_int_eq(memcmp(dst, "01234xxxxxxx", 12), 0);
    ck_assert_ptr_eq(kstr_memcpy(dst, src, 0), dst);
    ck_assert_int_eq(dst[0], '0');
}
END_TEST

START_TEST(test_memmove_overlap_forward)
{
    char buf[] = "abcdefghij";

    /* dst after src: must copy from the end. */
    ck_assert_ptr_eq(kstr_memmove(buf + 2, buf, 6), buf + 2);
    ck_assert_str_eq(buf, "ababcdefij");
}
END_TEST

START_TEST(test_memmove_overlap_backward)
{
    char buf[] = "abcdefghij";

    ck_assert_ptr_eq(kstr_memmove(buf, buf + 3, 7), buf);
    ck_assert_str_eq(buf, "defghijhij");
}
END_TEST

START_TEST(test_memmove_same_and_disjoint)
{
    char buf[] = "abcdef";
    char other[8] = { 0 };

    kstr_memmove(buf, buf, 6);
    ck_assert_str_eq(buf, "abcdef");
    kstr_memmove(other, buf, 7);
    ck_assert_str_eq(other, "abcdef");
}
END_TEST

START_TEST(test_memmove_long_overlap)
{
    unsigned char buf[600];

    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)i;
    kstr_memmove(buf + 1, buf, 500);
    for (unsigned i = 1; i <= 500; i++)
        ck_assert_uint_eq(buf[i], (unsigned char)(i - 1));
    ck_assert_uint_eq(buf[501], (unsigned char)501);
}
END_TEST

START_TEST(test_memset)
{
    unsigned char buf[10];

    memset(buf, 0, sizeof(buf));
    ck_assert_ptr_eq(kstr_memset(buf + 1, 0x1ab, 8), buf + 1); /* only the low byte */
    ck_assert_uint_eq(buf[0], 0);
    for (int i = 1; i < 9; i++)
        ck_assert_uint_eq(buf[i], 0xab);
    ck_assert_uint_eq(buf[9], 0);
}
END_TEST

START_TEST(test_memcmp)
{
    ck_assert_int_eq(kstr_memcmp("abc", "abc", 3), 0);
    ck_assert_int_lt(kstr_memcmp("abc", "abd", 3), 0);
    ck_assert_int_gt(kstr_memcmp("abd", "abc", 3), 0);
    ck_assert_int_eq(kstr_memcmp("abX", "abY", 2), 0);
    ck_assert_int_eq(kstr_memcmp("a", "b", 0), 0);
    /* Bytes compare as unsigned: 0x80 is greater than 0x01. */
    ck_assert_int_gt(kstr_memcmp("\x80", "\x01", 1), 0);
}
END_TEST

START_TEST(test_strlen_strnlen)
{
    ck_assert_uint_eq(kstr_strlen(""), 0);
    ck_assert_uint_eq(kstr_strlen("hello"), 5);
    ck_assert_uint_eq(kstr_strnlen("hello", 3), 3);
    ck_assert_uint_eq(kstr_strnlen("hello", 10), 5);
    ck_assert_uint_eq(kstr_strnlen("hello", 0), 0);
}
END_TEST

START_TEST(test_strcmp)
{
    static const char *const words[] = { "", "a", "ab", "abc", "b", "\xff", "Z" };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        for (size_t j = 0; j < sizeof(words) / sizeof(words[0]); j++)
            ck_assert_int_eq(sign(kstr_strcmp(words[i], words[j])),
                             sign(strcmp(words[i], words[j])));
}
END_TEST

START_TEST(test_strncmp)
{
    ck_assert_int_eq(kstr_strncmp("abcdef", "abcxyz", 3), 0);
    ck_assert_int_lt(kstr_strncmp("abcdef", "abcxyz", 4), 0);
    ck_assert_int_eq(kstr_strncmp("abc", "abc", 100), 0); /* stops at NUL */
    ck_assert_int_lt(kstr_strncmp("ab", "abc", 3), 0);
    ck_assert_int_gt(kstr_strncmp("abc", "ab", 3), 0);
    ck_assert_int_eq(kstr_strncmp("x", "y", 0), 0);
    ck_assert_int_gt(kstr_strncmp("\xff", "a", 1), 0);
}
END_TEST

START_TEST(test_strchr)
{
    const char *s = "vmm.driver.pci";

    ck_assert_ptr_eq(kstr_strchr(s, '.'), s + 3);
    ck_assert_ptr_eq(kstr_strchr(s, 'v'), s);
    ck_assert_ptr_eq(kstr_strchr(s, 'i'), s + 6); /* the first one */
    ck_assert_ptr_null(kstr_strchr(s, 'z'));
    ck_assert_ptr_eq(kstr_strchr(s, '\0'), s + strlen(s));
}
END_TEST

START_TEST(test_kstrlcpy)
{
    char buf[6];

    ck_assert_uint_eq(kstrlcpy(buf, "abc", sizeof(buf)), 3);
    ck_assert_str_eq(buf, "abc");
    ck_assert_uint_eq(kstrlcpy(buf, "abcdefgh", sizeof(buf)), 8); /* >= size: cut */
    ck_assert_str_eq(buf, "abcde");
    ck_assert_uint_eq(kstrlcpy(buf, "abcde", sizeof(buf)), 5); /* exactly fits */
    ck_assert_str_eq(buf, "abcde");
    buf[0] = 'Q';
    ck_assert_uint_eq(kstrlcpy(buf, "xyz", 0), 3); /* size 0 writes nothing */
    ck_assert_int_eq(buf[0], 'Q');
    ck_assert_uint_eq(kstrlcpy(buf, "xyz", 1), 3);
    ck_assert_str_eq(buf, "");
}
END_TEST

/** kstr_to_u64 on a whole C string. */
static bool to_u64(const char *s, unsigned base, u64 *out)
{
    return kstr_to_u64(s, strlen(s), base, out);
}

START_TEST(test_to_u64_bases)
{
    u64 v = 0;

    ck_assert(to_u64("12345", 10, &v));
    ck_assert_uint_eq(v, 12345);
    ck_assert(to_u64("ff", 16, &v));
    ck_assert_uint_eq(v, 255);
    ck_assert(to_u64("DeadBeef", 16, &v));
    ck_assert_uint_eq(v, 0xdeadbeef);
    ck_assert(to_u64("0x10", 16, &v)); /* prefix tolerated in base 16 */
    ck_assert_uint_eq(v, 16);
    ck_assert(to_u64("0x1F", 0, &v));
    ck_assert_uint_eq(v, 31);
    ck_assert(to_u64("017", 0, &v));
    ck_assert_uint_eq(v, 15);
    ck_assert(to_u64("0", 0, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(to_u64("17", 0, &v));
    ck_assert_uint_eq(v, 17);
    ck_assert(to_u64("101", 2, &v));
    ck_assert_uint_eq(v, 5);
}
END_TEST

START_TEST(test_to_u64_span_only)
{
    u64 v = 0;

    /* Only s[0..len) counts: "123" out of "12345". */
    ck_assert(kstr_to_u64("12345", 3, 10, &v));
    ck_assert_uint_eq(v, 123);
}
END_TEST

START_TEST(test_to_u64_limits)
{
    u64 v = 0;

    ck_assert(to_u64("18446744073709551615", 10, &v));
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert(to_u64("0xffffffffffffffff", 0, &v));
    ck_assert_uint_eq(v, UINT64_MAX);
    v = 7;
    ck_assert(!to_u64("18446744073709551616", 10, &v));
    ck_assert(!to_u64("0x10000000000000000", 0, &v));
    ck_assert(!to_u64("99999999999999999999999", 10, &v));
    ck_assert_uint_eq(v, 7); /* unchanged on failure */
}
END_TEST

START_TEST(test_to_u64_bad_input)
{
    u64 v = 7;

    ck_assert(!to_u64("", 10, &v));
    ck_assert(!to_u64("", 0, &v));
    ck_assert(!to_u64("12a", 10, &v));
    ck_assert(!to_u64("0x", 0, &v));
    ck_assert(!to_u64("0x", 16, &v));
    ck_assert(!to_u64("08", 0, &v)); /* octal has no 8 */
    ck_assert(!to_u64("g", 16, &v));
    ck_assert(!to_u64("-1", 10, &v));
    ck_assert(!to_u64(" 1", 10, &v));
    ck_assert(!to_u64("1 ", 10, &v));
    ck_assert(!to_u64("12", 1, &v)); /* no such base */
    ck_assert(!to_u64("12", 37, &v));
    ck_assert(!kstr_to_u64(NULL, 3, 10, &v));
    ck_assert_uint_eq(v, 7);
}
END_TEST

/* kstr_strtol agrees with the C library's strtol: value, end, limits. */
START_TEST(test_strtol_like_libc)
{
    static const struct {
        const char *s;
        int base;
    } cases[] = {
        { "0", 10 }, { "42", 10 }, { "  -17xyz", 10 }, { "+8", 0 }, { "0x1F", 0 },
        { "0X1f", 16 }, { "0x", 16 }, { "0xg", 0 }, { "017", 0 }, { "09", 0 }, { "z", 36 },
        { "101", 2 }, { "", 10 }, { "-", 10 }, { "abc", 10 }, { "\t\n 5", 10 },
        { "9223372036854775807", 10 }, { "9223372036854775808", 10 },
        { "-9223372036854775808", 10 }, { "-9223372036854775809", 10 },
        { "99999999999999999999999", 10 }, { "7fffffffffffffff", 16 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *want_end, *got_end;
        long want = strtol(cases[i].s, &want_end, cases[i].base);
        long got = kstr_strtol(cases[i].s, &got_end, cases[i].base);

        ck_assert_msg(got == want, "'%s' base %d: %ld, libc %ld", cases[i].s, cases[i].base, got,
                      want);
        ck_assert_msg(got_end == want_end, "'%s' base %d: end at %td, libc %td", cases[i].s,
                      cases[i].base, got_end - cases[i].s, want_end - cases[i].s);
    }
    ck_assert_int_eq(kstr_strtol("123", NULL, 10), 123);
    /* a base C does not define: 0, nothing used (glibc leaves end unset) */
    char *end = NULL;
    const char *one = "1";
    ck_assert_int_eq(kstr_strtol(one, &end, 1), 0);
    ck_assert_ptr_eq(end, one);
    ck_assert_int_eq(kstr_strtol(one, &end, 37), 0);
    ck_assert_ptr_eq(end, one);
}
END_TEST

START_TEST(test_atoi)
{
    ck_assert_int_eq(kstr_atoi("42"), 42);
    ck_assert_int_eq(kstr_atoi("  -7 apples"), -7);
    ck_assert_int_eq(kstr_atoi("0x10"), 0); /* base 10: the x ends it */
    ck_assert_int_eq(kstr_atoi(""), 0);
    ck_assert_int_eq(kstr_atoi("2147483647"), 2147483647);
}
END_TEST

static Suite *kstring_suite(void)
{
    Suite *s = suite_create("kstring");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_memcpy);
    tcase_add_test(tc, test_memmove_overlap_forward);
    tcase_add_test(tc, test_memmove_overlap_backward);
    tcase_add_test(tc, test_memmove_same_and_disjoint);
    tcase_add_test(tc, test_memmove_long_overlap);
    tcase_add_test(tc, test_memset);
    tcase_add_test(tc, test_memcmp);
    tcase_add_test(tc, test_strlen_strnlen);
    tcase_add_test(tc, test_strcmp);
    tcase_add_test(tc, test_strncmp);
    tcase_add_test(tc, test_strchr);
    tcase_add_test(tc, test_kstrlcpy);
    tcase_add_test(tc, test_to_u64_bases);
    tcase_add_test(tc, test_to_u64_span_only);
    tcase_add_test(tc, test_to_u64_limits);
    tcase_add_test(tc, test_to_u64_bad_input);
    tcase_add_test(tc, test_strtol_like_libc);
    tcase_add_test(tc, test_atoi);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(kstring_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
