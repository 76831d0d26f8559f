/*
 * Unit tests for net/ip_text.c: dotted quads, endpoints and MAC addresses
 * parse; everything else is refused and leaves the result alone.
 * unit-sources: net/ip_text.c common/lib/kstring.c
 */
#include <check.h>
#include "net/ip_text.h"
#include "tests/unit/unit_main.h"

START_TEST(dotted_quads_parse)
{
    u32 a = 0;

    ck_assert(ip_text_parse("10.0.2.15", &a));
    ck_assert_uint_eq(a, 0x0A00020Fu);
    ck_assert(ip_text_parse("255.255.255.0", &a));
    ck_assert_uint_eq(a, 0xFFFFFF00u);
    ck_assert(ip_text_parse("0.0.0.0", &a));
    ck_assert_uint_eq(a, 0);
    ck_assert(ip_text_parse("192.168.001.010", &a));
    ck_assert_uint_eq(a, 0xC0A8010Au);
}
END_TEST

START_TEST(everything_else_is_refused)
{
    static const char *const bad[] = {
        "", "10", "10.0.2", "10.0.2.15.", "10.0.2.15.1", "256.0.0.1", "10.0.2.1000",
        "10..2.15", ".10.0.2", "10.0.2.x", " 10.0.2.15", "10.0.2.15 ", "+1.2.3.4", "1.2.3.-4",
        "0001.2.3.4",
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        u32 a = 0x12345678;

        ck_assert_msg(!ip_text_parse(bad[i], &a), "accepted '%s'", bad[i]);
        ck_assert_uint_eq(a, 0x12345678);
    }
    ck_assert(!ip_text_parse(NULL, NULL));
}
END_TEST

/* ip.syslog's form: an address with an optional port, 514 by default. */
START_TEST(endpoints_parse)
{
    u32 a = 0;
    u16 port = 0;

    ck_assert(ip_text_parse_endpoint("10.0.2.2", &a, &port, 514));
    ck_assert_uint_eq(a, 0x0A000202u);
    ck_assert_uint_eq(port, 514);
    ck_assert(ip_text_parse_endpoint("192.168.1.9:5140", &a, &port, 514));
    ck_assert_uint_eq(a, 0xC0A80109u);
    ck_assert_uint_eq(port, 5140);
    a = 7;
    port = 7;
    ck_assert(!ip_text_parse_endpoint("10.0.2.2:", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint("10.0.2.2:0", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint("10.0.2.2:65536", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint("10.0.2.2:5x", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint("10.0.2:514", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint("1234567890123456789:1", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint("", &a, &port, 514));
    ck_assert(!ip_text_parse_endpoint(NULL, &a, &port, 514));
    ck_assert_uint_eq(a, 7);
    ck_assert_uint_eq(port, 7);
}
END_TEST

START_TEST(macs_parse)
{
    u8 m[6] = { 1, 2, 3, 4, 5, 6 };
    static const u8 qemu[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    ck_assert(ip_text_parse_mac("52:54:00:12:34:56", m));
    ck_assert_mem_eq(m, qemu, 6);
    ck_assert(ip_text_parse_mac("FF:ff:Ff:fF:ff:ff", m));
    ck_assert_mem_eq(m, bcast, 6);
    static const char *const bad[] = {
        "", "52:54:00:12:34", "52:54:00:12:34:56:", "52:54:00:12:34:5", "52-54-00-12-34-56",
        "5:254:00:12:34:56", "52:54:00:12:34:5g", "52:54:00:12:34:567", " 52:54:00:12:34:56",
        "525400123456", "0x:54:00:12:34:56",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!ip_text_parse_mac(bad[i], m), "'%s' parsed", bad[i]);
        ck_assert_mem_eq(m, bcast, 6); /* untouched */
    }
    ck_assert(!ip_text_parse_mac(NULL, m));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ip_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, dotted_quads_parse);
    tcase_add_test(tc, everything_else_is_refused);
    tcase_add_test(tc, endpoints_parse);
    tcase_add_test(tc, macs_parse);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
