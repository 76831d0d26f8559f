/*
 * Unit tests for net/log_ring.c (syslog's lines, cut into 80-byte chunks, in a bounded ring).
 *
 * unit-sources: net/log_ring.c
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "net/log_ring.h"
#include "tests/unit/unit_main.h"

static struct log_ring ring;

static void put(const char *s)
{
    log_ring_write(&ring, s, strlen(s));
}

/* The next chunk as a C string, or "(none)". */
static const char *take(void)
{
    static char buf[LOG_RING_CHUNK + 1];
    struct log_chunk c;

    if (!log_ring_take(&ring, &c))
        return "(none)";
    memcpy(buf, c.text, c.len);
    buf[c.len] = '\0';
    return buf;
}

START_TEST(pieces_make_lines)
{
    memset(&ring, 0, sizeof(ring));
    put("bookvisor: ip: ");
    ck_assert_str_eq(take(), "(none)");
    put("echo: server\r\n\nsecond line\nthird");
    ck_assert_str_eq(take(), "bookvisor: ip: echo: server");
    ck_assert_str_eq(take(), "second line");
    ck_assert_str_eq(take(), "(none)");
    put("\n");
    ck_assert_str_eq(take(), "third");
}
END_TEST

START_TEST(long_lines_split_at_80)
{
    char line[200];

    memset(&ring, 0, sizeof(ring));
    memset(line, 'a', 80);
    memset(line + 80, 'b', 80);
    memcpy(line + 160, "tail\n", 6);
    put(line);
    ck_assert_uint_eq(strlen(take()), 80);
    ck_assert_str_eq(take(), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    ck_assert_str_eq(take(), "tail");
    /* Exactly 80 bytes, then the newline: one chunk, no empty one after it. */
    memset(line, 'c', 80);
    strcpy(line + 80, "\n");
    put(line);
    ck_assert_uint_eq(strlen(take()), 80);
    ck_assert_str_eq(take(), "(none)");
}
END_TEST

START_TEST(full_ring_counts_drops)
{
    char line[16];

    memset(&ring, 0, sizeof(ring));
    for (unsigned i = 0; i < LOG_RING_SLOTS + 5; i++) {
        snprintf(line, sizeof(line), "line %u\n", i);
        put(line);
    }
    ck_assert_uint_eq(ring.dropped, 5);
    ck_assert_str_eq(take(), "line 0");
    put("after\n");
    for (unsigned i = 1; i < LOG_RING_SLOTS; i++) {
        snprintf(line, sizeof(line), "line %u", i);
        ck_assert_str_eq(take(), line);
    }
    ck_assert_str_eq(take(), "after");
    ck_assert_str_eq(take(), "(none)");
    ck_assert_uint_eq(ring.dropped, 5);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("log_ring");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, pieces_make_lines);
    tcase_add_test(tc, long_lines_split_at_80);
    tcase_add_test(tc, full_ring_counts_drops);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
