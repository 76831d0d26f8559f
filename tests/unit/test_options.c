/*
 * Unit tests for common/base/options.c: bookvisor's own command-line keys.
 * unit-sources: common/base/options.c common/base/cmdline.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "common/base/console.h"
#include "common/base/options.h"
#include "tests/unit/unit_main.h"

static char last[256];
static unsigned reports;

static void collect(void *ctx, const char *msg)
{
    (void)ctx;
    reports++;
    strncpy(last, msg, sizeof(last) - 1);
}

START_TEST(defaults)
{
    ck_assert_uint_eq(options_parse(NULL, collect, NULL), 0);
    ck_assert_int_eq(vmm_options.console, CONSOLE_COM1);
    ck_assert_uint_eq(vmm_options.vmm_mem, 12ULL << 20);
    ck_assert_int_eq(vmm_options.backend, OPT_BACKEND_AUTO);
    ck_assert(!vmm_options.npt_4k_only && !vmm_options.test_mmio_page && !vmm_options.test_crash);
    ck_assert_int_eq(vmm_options.test_corrupt, OPT_CORRUPT_NONE);
    ck_assert_uint_eq(vmm_options.test_vcpus, 0);
    ck_assert_uint_eq(vmm_options.test_npt_pool, 0);
    ck_assert(!vmm_options.test_no_fast_path && !vmm_options.test_events &&
              !vmm_options.test_vmm_vector);
    ck_assert_str_eq(vmm_options.pci_config, "");
}
END_TEST

START_TEST(every_key)
{
    reports = 0;
    ck_assert_uint_eq(options_parse("console=e9 vmm_mem=64M backend=vmx npt4k test.mmio_page "
                                    "test.corrupt=control test.vcpus=3 test.npt_pool=8 test.no_fast_path "
                                    "test.events test.vmm_vector "
                                    "vmm.driver.pci=class=02*|0c*,driver=conceal,and,driver=none",
                                    collect, NULL), 0);
    ck_assert_uint_eq(reports, 0);
    ck_assert_int_eq(vmm_options.console, CONSOLE_E9);
    ck_assert_uint_eq(vmm_options.vmm_mem, 64ULL << 20);
    ck_assert_int_eq(vmm_options.backend, OPT_BACKEND_VMX);
    ck_assert(vmm_options.npt_4k_only && vmm_options.test_mmio_page);
    ck_assert_int_eq(vmm_options.test_corrupt, OPT_CORRUPT_CONTROL);
    ck_assert_uint_eq(vmm_options.test_vcpus, 3);
    ck_assert_uint_eq(vmm_options.test_npt_pool, 8);
    ck_assert(vmm_options.test_no_fast_path && vmm_options.test_events &&
              vmm_options.test_vmm_vector);
    ck_assert_str_eq(vmm_options.pci_config, "class=02*|0c*,driver=conceal,and,driver=none");
}
END_TEST

START_TEST(mistakes_are_reported_and_ignored)
{
    reports = 0;
    ck_assert_uint_eq(options_parse("console=com9 bogus vmm_mem=lots console=com2", collect, NULL), 3);
    ck_assert_uint_eq(reports, 3);
    ck_assert_int_eq(vmm_options.console, CONSOLE_COM2); /* the valid item still applies */
    ck_assert_uint_eq(vmm_options.vmm_mem, 12ULL << 20); /* the bad one left the default */
    ck_assert_ptr_nonnull(strstr(last, "vmm_mem=lots"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, every_key);
    tcase_add_test(tc, mistakes_are_reported_and_ignored);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
