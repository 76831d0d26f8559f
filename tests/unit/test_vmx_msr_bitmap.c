/*
 * Unit tests for arch/vmx/vmx_msr_bitmap.c (lab 3 part 2): each MSR's bit at
 * the place the SDM gives it (read low at 0x000, read high at 0x400, write low
 * at 0x800, write high at 0xC00), the read and write halves apart, a cleared
 * bit leaving its neighbours, the edges of both ranges, and an MSR outside
 * them touching nothing and saying so.
 *
 * unit-sources: arch/vmx/vmx_msr_bitmap.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arch/vmx/vmx_msr_bitmap.h"
#include "tests/unit/unit_main.h"

static u8 bm[4096];
static u8 want[4096];

/* Both pages start as `fill`; the test then says which bits should change. */
static void start(u8 fill)
{
    memset(bm, fill, sizeof(bm));
    memset(want, fill, sizeof(want));
}

static void want_bit(unsigned byte, unsigned bit, bool set)
{
    if (set)
        want[byte] |= (u8)(1u << bit);
    else
        want[byte] &= (u8)~(1u << bit);
}

/* The first byte that differs, so a failure says where the bit went. */
static void check_page(void)
{
    for (unsigned i = 0; i < sizeof(bm); i++)
        ck_assert_msg(bm[i] == want[i], "byte 0x%03x is 0x%02x, want 0x%02x", i, bm[i], want[i]);
}

START_TEST(low_read_only)
{
    start(0);
    ck_assert(vmx_msr_bitmap_set(bm, 0x1B, true, false));  /* IA32_APIC_BASE */
    want_bit(0x003, 3, true);
    check_page();
}
END_TEST

START_TEST(low_write_only)
{
    start(0);
    ck_assert(vmx_msr_bitmap_set(bm, 0x1B, false, true));
    want_bit(0x803, 3, true);
    check_page();
}
END_TEST

START_TEST(high_read_and_write)
{
    start(0);
    ck_assert(vmx_msr_bitmap_set(bm, 0xC0000080, true, true)); /* IA32_EFER */
    want_bit(0x410, 0, true);
    want_bit(0xC10, 0, true);
    check_page();
    start(0);
    ck_assert(vmx_msr_bitmap_set(bm, 0xC0000102, false, true)); /* KERNEL_GS_BASE */
    want_bit(0xC20, 2, true);
    check_page();
}
END_TEST

START_TEST(halves_independent)
{
    start(0);
    ck_assert(vmx_msr_bitmap_set(bm, 0x3A, true, true));
    ck_assert(vmx_msr_bitmap_set(bm, 0x3A, false, true));  /* reads stop exiting */
    want_bit(0x807, 2, true);
    check_page();
    ck_assert(vmx_msr_bitmap_set(bm, 0x3A, true, false));  /* and the other way round */
    want_bit(0x807, 2, false);
    want_bit(0x007, 2, true);
    check_page();
    ck_assert(vmx_msr_bitmap_set(bm, 0x3A, false, false));
    want_bit(0x007, 2, false);
    check_page();
}
END_TEST

START_TEST(clear_keeps_neighbours)
{
    start(0xFF);
    ck_assert(vmx_msr_bitmap_set(bm, 0x1B, false, false));
    want_bit(0x003, 3, false);
    want_bit(0x803, 3, false);
    check_page();
    ck_assert(vmx_msr_bitmap_set(bm, 0xC0000081, false, true)); /* STAR */
    want_bit(0x410, 1, false);
    check_page();
    ck_assert(vmx_msr_bitmap_set(bm, 0xC0000081, false, false));
    want_bit(0xC10, 1, false);
    check_page();
}
END_TEST

START_TEST(set_keeps_neighbours)
{
    start(0);
    ck_assert(vmx_msr_bitmap_set(bm, 0x200, true, true));
    ck_assert(vmx_msr_bitmap_set(bm, 0x207, true, true));
    ck_assert(vmx_msr_bitmap_set(bm, 0x201, false, true));
    want_bit(0x040, 0, true);
    want_bit(0x040, 7, true);
    want_bit(0x840, 0, true);
    want_bit(0x840, 7, true);
    want_bit(0x840, 1, true);
    check_page();
}
END_TEST

START_TEST(edges_in_range)
{
    static const struct { u32 msr; unsigned rd, wr, bit; } edges[] = {
        { 0x0,        0x000, 0x800, 0 },
        { 0x1FFF,     0x3FF, 0xBFF, 7 },
        { 0xC0000000, 0x400, 0xC00, 0 },
        { 0xC0001FFF, 0x7FF, 0xFFF, 7 },
    };
    for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        start(0);
        ck_assert_msg(vmx_msr_bitmap_set(bm, edges[i].msr, true, false), "MSR 0x%x", edges[i].msr);
        want_bit(edges[i].rd, edges[i].bit, true);
        check_page();
        start(0);
        ck_assert_msg(vmx_msr_bitmap_set(bm, edges[i].msr, false, true), "MSR 0x%x", edges[i].msr);
        want_bit(edges[i].wr, edges[i].bit, true);
        check_page();
        start(0xFF);
        ck_assert_msg(vmx_msr_bitmap_set(bm, edges[i].msr, false, false), "MSR 0x%x", edges[i].msr);
        want_bit(edges[i].rd, edges[i].bit, false);
        want_bit(edges[i].wr, edges[i].bit, false);
        check_page();
    }
}
END_TEST

START_TEST(outside_touches_nothing)
{
    static const u32 outside[] = { 0x2000, 0x2001, 0xBFFFFFFF, 0xC0002000, 0xC0010114,
                                   0x40000000, 0xFFFFFFFF };
    for (unsigned i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        start(0);
        ck_assert_msg(!vmx_msr_bitmap_set(bm, outside[i], true, true), "MSR 0x%x", outside[i]);
        check_page();
        start(0xFF);
        ck_assert_msg(!vmx_msr_bitmap_set(bm, outside[i], false, false), "MSR 0x%x", outside[i]);
        check_page();
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vmx_msr_bitmap");
    TCase *tc = tcase_create("bitmap");
    tcase_add_test(tc, low_read_only);
    tcase_add_test(tc, low_write_only);
    tcase_add_test(tc, high_read_and_write);
    tcase_add_test(tc, halves_independent);
    tcase_add_test(tc, clear_keeps_neighbours);
    tcase_add_test(tc, set_keeps_neighbours);
    tcase_add_test(tc, edges_in_range);
    tcase_add_test(tc, outside_touches_nothing);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
