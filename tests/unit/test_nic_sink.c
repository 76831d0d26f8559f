/*
 * Unit tests for the NIC drivers' option helpers in drivers/nic_sink.c:
 * tty= takes 0 or 1, and tty=1 without net= offers the NIC as net=log.
 * unit-sources: drivers/nic_sink.c common/lib/kstring.c
 */
#include <check.h>
#include "drivers/nic_sink.h"
#include "tests/unit/unit_main.h"

START_TEST(tty_takes_0_or_1)
{
    ck_assert_ptr_null(nic_tty_check("0"));
    ck_assert_ptr_null(nic_tty_check("1"));
    static const char *const bad[] = { "2", "yes", "no", "", "01", "1 ", "-1", "true" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_str_eq(nic_tty_check(bad[i]), "tty= takes 0 or 1");
}
END_TEST

START_TEST(tty_alone_is_net_log)
{
    ck_assert_str_eq(nic_offer_module(NULL, "1"), "log");
    ck_assert_ptr_null(nic_offer_module(NULL, "0")); /* nothing to do: refused */
    ck_assert_ptr_null(nic_offer_module(NULL, NULL));
    ck_assert_str_eq(nic_offer_module("pass", "1"), "pass"); /* net= says the module */
    ck_assert_str_eq(nic_offer_module("ip", NULL), "ip");
    ck_assert_str_eq(nic_offer_module("null", "1"), "null"); /* the sink refuses its log */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nic_sink");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, tty_takes_0_or_1);
    tcase_add_test(tc, tty_alone_is_net_log);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
