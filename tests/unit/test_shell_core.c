/*
 * Unit tests for shell/shell_core.c (the debug shell's line editor and parser).
 *
 * unit-sources: shell/shell_core.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "shell/shell_core.h"

/* A fake terminal: every line the shell prints, joined by newlines. */
static char printed[2048];

static void collect(void *ctx, const char *text)
{
    (void)ctx;
    strncat(printed, text, sizeof(printed) - strlen(printed) - 2);
    strcat(printed, "\n");
}

static const struct shell_out out = { collect, NULL };
static int ran_argc;
static char ran_last[32];

static enum shell_status run_port(int argc, char **argv, const struct shell_out *o)
{
    u32 port;

    ran_argc = argc;
    strcpy(ran_last, argv[argc - 1]);
    if (argc != 2 || !shell_parse_uint(argv[1], 0xffff, &port))
        return SHELL_USAGE;
    o->line(o->ctx, "port ok");
    return SHELL_OK;
}

static const struct shell_command cmds[] = {
    { "port", "<port>", "takes a port", run_port },
};

static enum shell_status exec(const char *text)
{
    char line[SHELL_LINE_MAX];

    strcpy(line, text);
    printed[0] = '\0';
    return shell_execute(cmds, 1, line, &out);
}

START_TEST(test_help_lists_commands)
{
    ck_assert_int_eq(exec("help"), SHELL_OK);
    ck_assert_str_eq(printed, "commands:\n  help  this list\n  port <port>  takes a port\n");
    ck_assert_int_eq(exec("help me"), SHELL_USAGE);
    ck_assert_str_eq(printed, "usage: help\n");
}
END_TEST

START_TEST(test_words_and_usage)
{
    ck_assert_int_eq(exec("  port \t 7  "), SHELL_OK);
    ck_assert_int_eq(ran_argc, 2);
    ck_assert_str_eq(ran_last, "7");
    ck_assert_str_eq(printed, "port ok\n");
    ck_assert_int_eq(exec("port 70000"), SHELL_USAGE);
    ck_assert_str_eq(printed, "usage: port <port>\n");
    ck_assert_int_eq(exec("port"), SHELL_USAGE);
    ck_assert_str_eq(printed, "usage: port <port>\n");
    ck_assert_int_eq(exec("frobnicate now"), SHELL_USAGE);
    ck_assert_str_eq(printed, "usage: 'frobnicate' is not a command; 'help' lists them\n");
    ck_assert_int_eq(exec("   "), SHELL_OK);
    ck_assert_str_eq(printed, "");
    ck_assert_int_eq(exec("a b c d e f g h i"), SHELL_USAGE);
    ck_assert_str_eq(printed, "usage: at most 8 words on a line\n");
}
END_TEST

START_TEST(test_parse_uint)
{
    u32 v = 99;

    ck_assert(shell_parse_uint("0", 10, &v) && v == 0);
    ck_assert(shell_parse_uint("65535", 0xffff, &v) && v == 65535);
    ck_assert(!shell_parse_uint("65536", 0xffff, &v));
    ck_assert(!shell_parse_uint("", 10, &v));
    ck_assert(!shell_parse_uint("7x", 10, &v));
    ck_assert(!shell_parse_uint("99999999999999999999", 0xffffffffu, &v));
}
END_TEST

/* Type a string into the editor; return the echo and whether the last character ended a line. */
static bool type(struct shell_line *l, const char *keys, char *echoed)
{
    char echo[5];
    bool done = false;

    echoed[0] = '\0';
    for (; *keys; keys++) {
        done = shell_line_feed(l, *keys, echo);
        strcat(echoed, echo);
    }
    return done;
}

START_TEST(test_line_editor)
{
    struct shell_line l = { .len = 0 };
    char echoed[512];

    ck_assert(!type(&l, "exiq\bz\x7ft", echoed));
    ck_assert_str_eq(echoed, "exiq\b \bz\b \bt");
    ck_assert(type(&l, "s\r", echoed));
    ck_assert_str_eq(l.buf, "exits");
    ck_assert_str_eq(echoed, "s\r\n");
    /* The next character starts a new line; backspace on an empty line echoes nothing. */
    ck_assert(!type(&l, "\b\x01" "ab", echoed));
    ck_assert_str_eq(echoed, "ab");
    ck_assert_str_eq(l.buf, "ab");
    ck_assert(type(&l, "\n", echoed));
    ck_assert_str_eq(l.buf, "ab");
}
END_TEST

START_TEST(test_line_too_long)
{
    struct shell_line l = { .len = 0 };
    char keys[SHELL_LINE_MAX + 20], echoed[512];

    memset(keys, 'x', sizeof(keys) - 1);
    keys[sizeof(keys) - 1] = '\0';
    ck_assert(!type(&l, keys, echoed));
    ck_assert_uint_eq(strlen(l.buf), SHELL_LINE_MAX - 1);
    ck_assert_uint_eq(strlen(echoed), SHELL_LINE_MAX - 1);
    ck_assert(type(&l, "\r", echoed));
}
END_TEST

/* Any bytes at all: the line stays NUL-terminated, printable and in bounds, and runs. */
START_TEST(test_random_bytes)
{
    struct shell_line l = { .len = 0 };
    char echo[5];
    unsigned seed = 12345, lines = 0;

    for (unsigned i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        char c = (char)(seed >> 16);
        if (shell_line_feed(&l, c, echo)) {
            lines++;
            ck_assert_uint_lt(strlen(l.buf), SHELL_LINE_MAX);
            for (const char *p = l.buf; *p; p++)
                ck_assert(*p >= 0x20 && *p <= 0x7e);
            printed[0] = '\0';
            shell_execute(cmds, 1, l.buf, &out);
        }
        ck_assert_uint_le(strlen(echo), 4);
        ck_assert_uint_lt(l.len, SHELL_LINE_MAX);
    }
    ck_assert_uint_gt(lines, 100);
}
END_TEST

static Suite *shell_suite(void)
{
    Suite *s = suite_create("shell_core");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_help_lists_commands);
    tcase_add_test(tc, test_words_and_usage);
    tcase_add_test(tc, test_parse_uint);
    tcase_add_test(tc, test_line_editor);
    tcase_add_test(tc, test_line_too_long);
    tcase_add_test(tc, test_random_bytes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(shell_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
