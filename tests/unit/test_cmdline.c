/*
 * Unit tests for common/base/cmdline.c (bookvisor's command-line parser).
 *
 * unit-sources: common/base/cmdline.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/cmdline.h"

/** Error messages received, for the assertions. */
struct errors {
    unsigned count;
    char last[256];
    char all[2048];
};

static void on_error(void *ctx, const char *message)
{
    struct errors *e = ctx;

    e->count++;
    strncpy(e->last, message, sizeof(e->last) - 1);
    strncat(e->all, message, sizeof(e->all) - strlen(e->all) - 2);
    strcat(e->all, "\n");
}

static const char *const serial_choices[] = { "none", "com1", "com2", NULL };

/** Destinations of the test table, reset before each test. */
static char name_buf[16];
static struct cmdline_string name = { name_buf, sizeof(name_buf) };
static char pci_buf[64];
static struct cmdline_string pci = { pci_buf, sizeof(pci_buf) };
static u64 mem;
static bool debug;
static bool quiet;
static int serial;
static struct errors errs;

static const struct cmdline_key keys[] = {
    { "name", CMDLINE_STRING, &name, NULL, "a name" },
    { "vmm.driver.pci", CMDLINE_STRING, &pci, NULL, "driver rules" },
    { "vmm.mem", CMDLINE_U64, &mem, NULL, "memory for the VMM" },
    { "debug", CMDLINE_BOOL, &debug, NULL, "more logging" },
    { "quiet", CMDLINE_BOOL, &quiet, NULL, "less logging" },
    { "serial", CMDLINE_CHOICE, &serial, serial_choices, "console port" },
};

static void reset(void)
{
    strcpy(name_buf, "default");
    strcpy(pci_buf, "");
    mem = 1234;
    debug = false;
    quiet = true;
    serial = -1;
    memset(&errs, 0, sizeof(errs));
}

static unsigned parse(const char *line)
{
    unsigned before = errs.count;
    unsigned n = cmdline_parse(line, keys, sizeof(keys) / sizeof(keys[0]), on_error, &errs);

    ck_assert_uint_eq(n, errs.count - before); /* returned count matches reports */
    return n;
}

START_TEST(test_all_types)
{
    reset();
    ck_assert_uint_eq(parse("name=guest0 vmm.mem=64M debug serial=com2 quiet=off"), 0);
    ck_assert_str_eq(name_buf, "guest0");
    ck_assert_uint_eq(mem, 64ULL << 20);
    ck_assert(debug);
    ck_assert(!quiet);
    ck_assert_int_eq(serial, 2);
}
END_TEST

START_TEST(test_numbers)
{
    static const struct {
        const char *line;
        u64 value;
    } cases[] = {
        { "vmm.mem=0", 0 },
        { "vmm.mem=4096", 4096 },
        { "vmm.mem=0x1000", 0x1000 },
        { "vmm.mem=010", 8 },
        { "vmm.mem=16k", 16384 },
        { "vmm.mem=2G", 2ULL << 30 },
        { "vmm.mem=0x10M", 16ULL << 20 },
        { "vmm.mem=18446744073709551615", ~0ULL },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        reset();
        ck_assert_uint_eq(parse(cases[i].line), 0);
        ck_assert_uint_eq(mem, cases[i].value);
    }
}
END_TEST

START_TEST(test_bad_numbers)
{
    static const char *const lines[] = {
        "vmm.mem=",
        "vmm.mem=12x",
        "vmm.mem=-1",
        "vmm.mem=M",
        "vmm.mem=0x",
        "vmm.mem=18446744073709551616",
        "vmm.mem=17179869184G",
        "vmm.mem=1.5G",
    };

    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        reset();
        ck_assert_uint_eq(parse(lines[i]), 1);
        ck_assert_uint_eq(mem, 1234); /* unchanged */
        ck_assert_ptr_nonnull(strstr(errs.last, lines[i])); /* item quoted */
    }
}
END_TEST

START_TEST(test_bools)
{
    static const struct {
        const char *line;
        bool value;
    } cases[] = {
        { "debug", true },        { "debug=1", true },   { "debug=true", true },
        { "debug=yes", true },    { "debug=on", true },  { "debug=0", false },
        { "debug=false", false }, { "debug=no", false }, { "debug=off", false },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        reset();
        debug = !cases[i].value;
        ck_assert_uint_eq(parse(cases[i].line), 0);
        ck_assert_int_eq(debug, cases[i].value);
    }
    reset();
    ck_assert_uint_eq(parse("debug=maybe"), 1);
    ck_assert(!debug);
    ck_assert_ptr_nonnull(strstr(errs.last, "'debug=maybe'"));
    reset();
    ck_assert_uint_eq(parse("debug="), 1);
}
END_TEST

START_TEST(test_choices)
{
    reset();
    ck_assert_uint_eq(parse("serial=none"), 0);
    ck_assert_int_eq(serial, 0);
    ck_assert_uint_eq(parse("serial=com3"), 1);
    ck_assert_int_eq(serial, 0); /* unchanged */
    ck_assert_ptr_nonnull(strstr(errs.last, "'serial=com3'"));
    ck_assert_ptr_nonnull(strstr(errs.last, "none|com1|com2")); /* says what is allowed */
    ck_assert_uint_eq(parse("serial=COM1"), 1); /* exact match only */
    ck_assert_uint_eq(parse("serial=com"), 1); /* no prefix match */
}
END_TEST

START_TEST(test_values_taken_untouched)
{
    reset();
    ck_assert_uint_eq(parse("vmm.driver.pci=class_code=0200*,driver=pro1000|vendor=8086"), 0);
    ck_assert_str_eq(pci_buf, "class_code=0200*,driver=pro1000|vendor=8086");
    reset();
    ck_assert_uint_eq(parse("name=a\"b"), 0); /* a quote inside is just a character */
    ck_assert_str_eq(name_buf, "a\"b");
}
END_TEST

START_TEST(test_quoting)
{
    reset();
    ck_assert_uint_eq(parse("name=\"two words\" debug"), 0);
    ck_assert_str_eq(name_buf, "two words");
    ck_assert(debug);
    reset();
    ck_assert_uint_eq(parse("name=\"\""), 0);
    ck_assert_str_eq(name_buf, "");
    reset();
    ck_assert_uint_eq(parse("name=\"a=b *|,\"\tvmm.mem=1"), 0);
    ck_assert_str_eq(name_buf, "a=b *|,");
    ck_assert_uint_eq(mem, 1);
}
END_TEST

/* GRUB passes a quote as \" : such quotes delimit a value the same way. */
START_TEST(test_grub_escaped_quotes)
{
    reset();
    ck_assert_uint_eq(parse("vmm.driver.pci=\\\"slot=00:1f.2, driver=ata\\\" debug"), 0);
    ck_assert_str_eq(pci_buf, "slot=00:1f.2, driver=ata");
    ck_assert(debug);
    reset();
    ck_assert_uint_eq(parse("name=\\\"open debug"), 1); /* unterminated */
    ck_assert(debug); /* parsing went on with the next item */
    ck_assert_str_eq(name_buf, "default");
}
END_TEST

START_TEST(test_unterminated_quote)
{
    reset();
    ck_assert_uint_eq(parse("name=\"oops debug vmm.mem=5"), 1);
    ck_assert_str_eq(name_buf, "default");
    ck_assert_ptr_nonnull(strstr(errs.last, "unterminated"));
    ck_assert_ptr_nonnull(strstr(errs.last, "'name=\"oops'"));
    /* Parsing goes on after the broken item. */
    ck_assert(debug);
    ck_assert_uint_eq(mem, 5);
    reset();
    ck_assert_uint_eq(parse("name=\""), 1);
    ck_assert_str_eq(name_buf, "default");
}
END_TEST

START_TEST(test_text_after_closing_quote)
{
    reset();
    ck_assert_uint_eq(parse("name=\"ab\"cd debug"), 1);
    ck_assert_str_eq(name_buf, "default");
    ck_assert(debug);
}
END_TEST

START_TEST(test_unknown_keys_continue)
{
    reset();
    ck_assert_uint_eq(parse("foo debug bar=1 vmm.mem=7 vmm=3"), 3);
    ck_assert(debug);
    ck_assert_uint_eq(mem, 7);
    ck_assert_ptr_nonnull(strstr(errs.all, "cmdline: unknown key 'foo' (ignored)"));
    ck_assert_ptr_nonnull(strstr(errs.all, "cmdline: unknown key 'bar' (ignored)"));
    ck_assert_ptr_nonnull(strstr(errs.all, "cmdline: unknown key 'vmm' (ignored)"));
    /* A key must match whole: neither prefix nor case variants. */
    reset();
    ck_assert_uint_eq(parse("debu debugx DEBUG"), 3);
    ck_assert(!debug);
}
END_TEST

START_TEST(test_missing_values)
{
    reset();
    ck_assert_uint_eq(parse("name vmm.mem serial"), 3);
    ck_assert_str_eq(name_buf, "default");
    ck_assert_uint_eq(mem, 1234);
    ck_assert_int_eq(serial, -1);
    ck_assert_ptr_nonnull(strstr(errs.all, "'vmm.mem': missing value"));
    reset();
    ck_assert_uint_eq(parse("name="), 0); /* an empty string is a value */
    ck_assert_str_eq(name_buf, "");
}
END_TEST

START_TEST(test_empty_and_null)
{
    reset();
    ck_assert_uint_eq(parse(""), 0);
    ck_assert_uint_eq(parse("   \t \n "), 0);
    ck_assert_uint_eq(parse(NULL), 0);
    ck_assert_str_eq(name_buf, "default");
    ck_assert_uint_eq(cmdline_parse("foo", NULL, 0, NULL, NULL), 1);
    ck_assert_uint_eq(cmdline_parse("foo=1 debug", NULL, 5, NULL, NULL), 2);
    ck_assert_uint_eq(cmdline_parse(NULL, NULL, 0, NULL, NULL), 0);
    ck_assert_uint_eq(parse("="), 1);
    ck_assert_uint_eq(parse("=x debug"), 1);
    ck_assert(debug);
    ck_assert_ptr_nonnull(strstr(errs.last, "empty key"));
}
END_TEST

START_TEST(test_separators_and_duplicates)
{
    reset();
    ck_assert_uint_eq(parse("  vmm.mem=1   vmm.mem=2\tdebug\r\n"), 0);
    ck_assert_uint_eq(mem, 2); /* the last one wins */
    ck_assert(debug);
}
END_TEST

START_TEST(test_long_value_truncated)
{
    char line[600];

    reset();
    strcpy(line, "name=");
    memset(line + 5, 'v', 500);
    strcpy(line + 505, " debug");
    ck_assert_uint_eq(parse(line), 1);
    ck_assert_uint_eq(strlen(name_buf), sizeof(name_buf) - 1);
    ck_assert_str_eq(name_buf, "vvvvvvvvvvvvvvv");
    ck_assert_ptr_nonnull(strstr(errs.last, "too long"));
    ck_assert_ptr_nonnull(strstr(errs.last, "...")); /* long item cut in the message */
    ck_assert_uint_lt(strlen(errs.last), 200);
    ck_assert(debug);
    reset();
    ck_assert_uint_eq(parse("name=sixteen_chars_xx"), 1); /* 16 characters do not fit */
    ck_assert_str_eq(name_buf, "sixteen_chars_x");
    ck_assert_uint_eq(parse("name=fifteen_chars_y"), 0); /* 15 do */
    ck_assert_str_eq(name_buf, "fifteen_chars_y");
}
END_TEST

START_TEST(test_long_unknown_key)
{
    char line[3000];

    reset();
    memset(line, 'k', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    ck_assert_uint_eq(parse(line), 1);
    ck_assert_uint_lt(strlen(errs.last), 200);
}
END_TEST

START_TEST(test_table_edge_cases)
{
    static u64 unused;
    const struct cmdline_key odd[] = {
        { "nodest", CMDLINE_U64, NULL, NULL, NULL },
        { "nochoices", CMDLINE_CHOICE, &serial, NULL, NULL },
        { "nobuf", CMDLINE_STRING, &(struct cmdline_string){ NULL, 0 }, NULL, NULL },
        { NULL, CMDLINE_U64, &unused, NULL, NULL }, /* ends the table */
        { "hidden", CMDLINE_U64, &unused, NULL, NULL },
    };

    reset();
    ck_assert_uint_eq(
        cmdline_parse("nodest=1 nochoices=a nobuf=x hidden=1", odd, 5, on_error, &errs), 4);
    ck_assert_uint_eq(errs.count, 4);
    ck_assert_int_eq(serial, -1);
    ck_assert_uint_eq(unused, 0);
}
END_TEST

START_TEST(test_fuzz_never_crashes)
{
    /* Random lines over a small alphabet that hits every branch. */
    static const char alphabet[] = "ab=\" \t.*|,0x1Mdebugnameserialcom1vmm.mem";
    char line[64];

    srand(12345);
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand() % (int)(sizeof(line) - 1));

        for (size_t i = 0; i < len; i++)
            line[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
        line[len] = '\0';
        reset();
        parse(line);
        ck_assert_uint_lt(strlen(name_buf), sizeof(name_buf));
        ck_assert(serial >= -1 && serial <= 2);
    }
}
END_TEST

START_TEST(test_help_line)
{
    char buf[128];

    ck_assert_int_gt(cmdline_help_line(&keys[5], buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "  serial=<none|com1|com2>  console port");
    cmdline_help_line(&keys[2], buf, sizeof(buf));
    ck_assert_str_eq(buf, "  vmm.mem=<number>  memory for the VMM");
    cmdline_help_line(&keys[3], buf, sizeof(buf));
    ck_assert_str_eq(buf, "  debug[=<bool>]  more logging");
    cmdline_help_line(&keys[0], buf, sizeof(buf));
    ck_assert_str_eq(buf, "  name=<text>  a name");
}
END_TEST

/* A repeatable key collects every value, one per line; one that does not fit is refused whole. */
START_TEST(test_list_appends)
{
    char buf[24] = "";
    struct cmdline_string list = { buf, sizeof(buf) };
    const struct cmdline_key lkeys[] = { { "shell", CMDLINE_LIST, &list, NULL, "commands" } };
    struct errors e;

    memset(&e, 0, sizeof(e));
    ck_assert_uint_eq(cmdline_parse("shell=help shell=\"echoctl x\"", lkeys, 1, on_error, &e), 0);
    ck_assert_str_eq(buf, "help\nechoctl x\n");
    ck_assert_uint_eq(cmdline_parse("shell=0123456789", lkeys, 1, on_error, &e), 1);
    ck_assert_str_eq(buf, "help\nechoctl x\n");
    ck_assert_uint_eq(cmdline_parse("shell", lkeys, 1, on_error, &e), 1);
    ck_assert_uint_eq(cmdline_parse("shell=mem", lkeys, 1, on_error, &e), 0);
    ck_assert_str_eq(buf, "help\nechoctl x\nmem\n");
}
END_TEST

static Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_all_types);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_bad_numbers);
    tcase_add_test(tc, test_bools);
    tcase_add_test(tc, test_choices);
    tcase_add_test(tc, test_values_taken_untouched);
    tcase_add_test(tc, test_quoting);
    tcase_add_test(tc, test_grub_escaped_quotes);
    tcase_add_test(tc, test_unterminated_quote);
    tcase_add_test(tc, test_text_after_closing_quote);
    tcase_add_test(tc, test_unknown_keys_continue);
    tcase_add_test(tc, test_missing_values);
    tcase_add_test(tc, test_empty_and_null);
    tcase_add_test(tc, test_separators_and_duplicates);
    tcase_add_test(tc, test_long_value_truncated);
    tcase_add_test(tc, test_long_unknown_key);
    tcase_add_test(tc, test_table_edge_cases);
    tcase_add_test(tc, test_fuzz_never_crashes);
    tcase_add_test(tc, test_help_line);
    tcase_add_test(tc, test_list_appends);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmdline_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
