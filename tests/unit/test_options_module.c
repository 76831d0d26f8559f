/*
 * Unit tests for common/base/options_module.c: recognising a configuration module,
 * and turning its lines into a command line that cmdline_parse() reads.
 * unit-sources: common/base/options_module.c common/base/cmdline.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "common/base/options_module.h"
#include "tests/unit/unit_main.h"

static char messages[8][128];
static unsigned nmessages;

static void collect(void *ctx, const char *msg)
{
    (void)ctx;
    if (nmessages < 8)
        snprintf(messages[nmessages++], sizeof(messages[0]), "%s", msg);
}

static unsigned convert(const char *text, char *out, size_t size)
{
    nmessages = 0;
    return options_module_to_cmdline(text, strlen(text), out, size, collect, NULL);
}

START_TEST(recognised_by_its_first_word)
{
    ck_assert(options_module_is("bookvisor-config"));
    ck_assert(options_module_is("  bookvisor-config pci"));
    ck_assert(!options_module_is("bookvisor-configs"));
    ck_assert(!options_module_is("tests=all bookvisor-config"));
    ck_assert(!options_module_is(""));
    ck_assert(!options_module_is(NULL));
}
END_TEST

START_TEST(lines_become_items)
{
    char out[256];
    ck_assert_uint_eq(convert("# a comment\n\n  console=com2  \r\nvmm.pci.list\n"
                              "vmm.driver.pci=class=02*, driver=conceal, and, slot=00:00.0\n",
                              out, sizeof(out)), 0);
    ck_assert_str_eq(out, "console=com2 vmm.pci.list "
                          "vmm.driver.pci=\"class=02*, driver=conceal, and, slot=00:00.0\"");
}
END_TEST

START_TEST(no_newline_at_the_end_and_nul_stops)
{
    char out[64];
    const char text[] = "npt4k\nconsole=e9\0console=com1";
    ck_assert_uint_eq(options_module_to_cmdline(text, sizeof(text), out, sizeof(out), NULL, NULL), 0);
    ck_assert_str_eq(out, "npt4k console=e9");
}
END_TEST

START_TEST(bad_lines_are_reported_and_left_out)
{
    char out[128];
    ck_assert_uint_eq(convert("console=com2\nvmm.driver.pci=\"x\"\nbad key=1\n=5\nnpt4k\n",
                              out, sizeof(out)), 3);
    ck_assert_str_eq(out, "console=com2 npt4k");
    ck_assert_uint_eq(nmessages, 3);
    ck_assert_ptr_nonnull(strstr(messages[0], "line 2: no double quotes"));
    ck_assert_ptr_nonnull(strstr(messages[1], "line 3: a key with blanks"));
    ck_assert_ptr_nonnull(strstr(messages[2], "line 4: no key"));
}
END_TEST

START_TEST(what_does_not_fit_is_left_out_whole)
{
    char out[24];
    ck_assert_uint_eq(convert("console=com2\nvmm.driver.pci=a b c d e f\nnpt4k\n", out, sizeof(out)), 1);
    ck_assert_str_eq(out, "console=com2 npt4k");
    ck_assert_ptr_nonnull(strstr(messages[0], "line 2: the options are too long"));
}
END_TEST

/* The converted line means to cmdline_parse() what the lines said. */
START_TEST(cmdline_reads_the_result)
{
    char out[256], pci[128] = "";
    bool list = false;
    struct cmdline_string pci_dest = { pci, sizeof(pci) };
    const struct cmdline_key keys[] = {
        { "vmm.driver.pci", CMDLINE_STRING, &pci_dest, NULL, "" },
        { "vmm.pci.list", CMDLINE_BOOL, &list, NULL, "" },
    };
    ck_assert_uint_eq(convert("vmm.driver.pci=class=02*, driver=conceal\nvmm.pci.list\n",
                              out, sizeof(out)), 0);
    ck_assert_uint_eq(cmdline_parse(out, keys, 2, NULL, NULL), 0);
    ck_assert_str_eq(pci, "class=02*, driver=conceal");
    ck_assert(list);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("options_module");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, recognised_by_its_first_word);
    tcase_add_test(tc, lines_become_items);
    tcase_add_test(tc, no_newline_at_the_end_and_nul_stops);
    tcase_add_test(tc, bad_lines_are_reported_and_left_out);
    tcase_add_test(tc, what_does_not_fit_is_left_out_whole);
    tcase_add_test(tc, cmdline_reads_the_result);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
