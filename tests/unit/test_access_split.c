/*
 * Unit tests for cutting accesses into naturally aligned pieces
 * (common/lib/access_split.c): every width at every offset near a 4 KiB
 * boundary, the pieces an unaligned ECAM or MMIO access becomes, the byte
 * helpers, and port accesses cut where the hook that owns a lane changes.
 *
 * unit-sources: common/lib/access_split.c
 */
#include <check.h>
#include <stdlib.h>

#include "common/lib/access_split.h"
#include "tests/unit/unit_main.h"

START_TEST(aligned_accesses_stay_whole)
{
    struct access_piece p[ACCESS_SPLIT_MAX];
    static const unsigned sizes[] = { 1, 2, 4, 8 };

    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(access_split(0x1000 + 8 * sizes[i], sizes[i], p), 1);
        ck_assert_uint_eq(p[0].addr, 0x1000 + 8 * sizes[i]);
        ck_assert_uint_eq(p[0].size, sizes[i]);
        ck_assert_uint_eq(p[0].offset, 0);
    }
    /* 16 bytes aligned: two quadwords. */
    ck_assert_uint_eq(access_split(0x2000, 16, p), 2);
    ck_assert_uint_eq(p[1].addr, 0x2008);
    ck_assert_uint_eq(p[1].size, 8);
    ck_assert_uint_eq(p[1].offset, 8);
}
END_TEST

/* A dword at the last two bytes of one function's ECAM page: two words, one per function. */
START_TEST(dword_across_a_page_is_one_word_each_side)
{
    struct access_piece p[ACCESS_SPLIT_MAX];

    ck_assert_uint_eq(access_split(0xB0018FFE, 4, p), 2);
    ck_assert_uint_eq(p[0].addr, 0xB0018FFE);
    ck_assert_uint_eq(p[0].size, 2);
    ck_assert_uint_eq(p[1].addr, 0xB0019000);
    ck_assert_uint_eq(p[1].size, 2);
    ck_assert_uint_eq(p[1].offset, 2);
}
END_TEST

START_TEST(qword_at_odd_address)
{
    struct access_piece p[ACCESS_SPLIT_MAX];

    /* 0xFF9..0x1000: 1 @FF9, 2 @FFA, 4 @FFC, 1 @1000. */
    ck_assert_uint_eq(access_split(0xFF9, 8, p), 4);
    ck_assert_uint_eq(p[0].size, 1);
    ck_assert_uint_eq(p[1].addr, 0xFFA);
    ck_assert_uint_eq(p[1].size, 2);
    ck_assert_uint_eq(p[2].addr, 0xFFC);
    ck_assert_uint_eq(p[2].size, 4);
    ck_assert_uint_eq(p[3].addr, 0x1000);
    ck_assert_uint_eq(p[3].size, 1);
    ck_assert_uint_eq(p[3].offset, 7);
}
END_TEST

/*
 * Every width at every offset of the last 8 bytes of a page and the first 8
 * of the next: the pieces cover the access exactly, in order, each aligned
 * to its size and inside one page, and a page boundary always starts a piece.
 */
START_TEST(every_width_every_offset_at_a_page_edge)
{
    static const unsigned sizes[] = { 1, 2, 3, 4, 5, 6, 7, 8, 16 };

    for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
        for (u64 addr = 0x1FF0; addr < 0x2008; addr++) {
            struct access_piece p[ACCESS_SPLIT_MAX];
            unsigned n = access_split(addr, sizes[s], p), covered = 0;

            ck_assert_uint_ge(n, 1);
            for (unsigned i = 0; i < n; i++) {
                ck_assert_uint_eq(p[i].addr, addr + covered);
                ck_assert_uint_eq(p[i].offset, covered);
                ck_assert(p[i].size == 1 || p[i].size == 2 || p[i].size == 4 || p[i].size == 8);
                ck_assert_uint_eq(p[i].addr % p[i].size, 0);
                ck_assert(!access_crosses_page(p[i].addr, p[i].size));
                covered += p[i].size;
            }
            ck_assert_uint_eq(covered, sizes[s]);
            if (access_crosses_page(addr, sizes[s])) {
                bool starts = false;
                for (unsigned i = 0; i < n; i++)
                    starts |= p[i].addr == 0x2000;
                ck_assert_msg(starts, "no piece starts the page (addr %#llx size %u)",
                              (unsigned long long)addr, sizes[s]);
            }
        }
    }
}
END_TEST

START_TEST(bad_sizes_give_nothing)
{
    struct access_piece p[ACCESS_SPLIT_MAX];

    ck_assert_uint_eq(access_split(0x1000, 0, p), 0);
    ck_assert_uint_eq(access_split(0x1000, 17, p), 0);
    ck_assert(!access_crosses_page(0xFFF, 0));
    ck_assert(access_crosses_page(0xFFF, 2));
    ck_assert(!access_crosses_page(0xFFE, 2));
}
END_TEST

START_TEST(byte_helpers)
{
    ck_assert_uint_eq(access_bytes_get(0x1122334455667788ULL, 2, 2), 0x5566);
    ck_assert_uint_eq(access_bytes_get(0x1122334455667788ULL, 0, 8), 0x1122334455667788ULL);
    ck_assert_uint_eq(access_bytes_get(0x1122334455667788ULL, 7, 1), 0x11);
    ck_assert_uint_eq(access_bytes_get(0x1122334455667788ULL, 8, 1), 0);
    ck_assert_uint_eq(access_bytes_put(0x1122334455667788ULL, 2, 2, 0xAABBCC),
                      0x11223344BBCC7788ULL);
    ck_assert_uint_eq(access_bytes_put(0, 0, 8, ~0ULL), ~0ULL);
    ck_assert_uint_eq(access_bytes_put(5, 8, 1, 0xFF), 5);
}
END_TEST

/* Owners by port: 0x92 and 0xCF9 are one-byte registers of hook 1, 0xCF8 hook 2's. */
static unsigned owner_of(void *ctx, u64 lane)
{
    (void)ctx;
    return lane == 0x92 || lane == 0xCF9 ? 1 : lane == 0xCF8 ? 2 : 0;
}

START_TEST(owned_lanes_are_cut_where_the_owner_changes)
{
    struct access_owned_piece p[ACCESS_SPLIT_MAX];

    /* A dword at 0x91: 0x91 hardware, 0x92 the hook, 0x93 and 0x94 hardware. */
    ck_assert_uint_eq(access_split_owned(0x91, 4, owner_of, NULL, false, p), 4);
    ck_assert_uint_eq(p[0].piece.addr, 0x91);
    ck_assert_uint_eq(p[0].owner, 0);
    ck_assert_uint_eq(p[1].piece.addr, 0x92);
    ck_assert_uint_eq(p[1].piece.size, 1);
    ck_assert_uint_eq(p[1].piece.offset, 1);
    ck_assert_uint_eq(p[1].owner, 1);
    ck_assert_uint_eq(p[2].piece.addr, 0x93);
    ck_assert_uint_eq(p[2].piece.size, 1);
    ck_assert_uint_eq(p[3].piece.addr, 0x94);
    ck_assert_uint_eq(p[3].owner, 0);
    /* A word at 0xCF8: one byte for each of two hooks. */
    ck_assert_uint_eq(access_split_owned(0xCF8, 2, owner_of, NULL, false, p), 2);
    ck_assert_uint_eq(p[0].owner, 2);
    ck_assert_uint_eq(p[1].owner, 1);
    /* One owner, aligned: one piece; one owner, bytes asked for: one per lane. */
    ck_assert_uint_eq(access_split_owned(0x100, 4, owner_of, NULL, false, p), 1);
    ck_assert_uint_eq(p[0].piece.size, 4);
    ck_assert_uint_eq(access_split_owned(0x100, 4, owner_of, NULL, true, p), 4);
    ck_assert_uint_eq(p[3].piece.addr, 0x103);
    ck_assert_uint_eq(p[3].piece.size, 1);
    ck_assert_uint_eq(p[3].piece.offset, 3);
    /* Every width at every offset around 0x92: the pieces cover the access, one owner each. */
    for (u64 port = 0x8E; port <= 0x93; port++) {
        for (unsigned size = 1; size <= 4; size++) {
            unsigned n = access_split_owned(port, size, owner_of, NULL, false, p), covered = 0;
            for (unsigned i = 0; i < n; i++) {
                ck_assert_uint_eq(p[i].piece.addr, port + covered);
                for (unsigned b = 0; b < p[i].piece.size; b++)
                    ck_assert_uint_eq(owner_of(NULL, p[i].piece.addr + b), p[i].owner);
                covered += p[i].piece.size;
            }
            ck_assert_uint_eq(covered, size);
        }
    }
    ck_assert_uint_eq(access_split_owned(0x100, 9, owner_of, NULL, false, p), 0);
}
END_TEST

static Suite *access_split_suite(void)
{
    Suite *s = suite_create("access_split");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, aligned_accesses_stay_whole);
    tcase_add_test(tc, dword_across_a_page_is_one_word_each_side);
    tcase_add_test(tc, qword_at_odd_address);
    tcase_add_test(tc, every_width_every_offset_at_a_page_edge);
    tcase_add_test(tc, bad_sizes_give_nothing);
    tcase_add_test(tc, byte_helpers);
    tcase_add_test(tc, owned_lanes_are_cut_where_the_owner_changes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(access_split_suite());
}
