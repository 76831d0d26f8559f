/*
 * Unit tests for common/base/page_alloc.c (buddy page allocator). The managed
 * addresses are made up; the allocator never touches them.
 *
 * unit-sources: common/base/page_alloc.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/page_alloc.h"

#define PG PAGE_ALLOC_PAGE_SIZE

static struct page_allocator pa;
static u8 *meta;

/** Set up pa over [base, base + size) with freshly allocated metadata. */
static void setup_range(u64 base, u64 size)
{
    size_t len = page_alloc_meta_bytes(size);

    free(meta);
    meta = malloc(len + 1);
    ck_assert_ptr_nonnull(meta);
    /* An odd start checks that the allocator aligns the array itself. */
    ck_assert(page_alloc_init(&pa, base, size, meta + 1, len));
}

static void teardown(void)
{
    free(meta);
    meta = NULL;
}

START_TEST(test_init_all_free)
{
    setup_range(1 * GIB, 8 * MIB);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER), 2);
    for (unsigned o = 0; o < PAGE_ALLOC_MAX_ORDER; o++)
        ck_assert_uint_eq(page_alloc_free_blocks(&pa, o), 0);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER + 1), 0);
}
END_TEST

START_TEST(test_init_unaligned_range)
{
    /* 1 MiB is only 256-page aligned: the range starts with smaller blocks. */
    setup_range(1 * MIB, 16 * MIB);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 16 * MIB);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, 8), 2); /* 1M..2M and 16M..17M */
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, 9), 1); /* 2M..4M */
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, 10), 3); /* 4M..16M */
}
END_TEST

START_TEST(test_init_rejects_bad_arguments)
{
    struct page_allocator p;
    u8 small[16];
    size_t len = page_alloc_meta_bytes(1 * MIB);
    u8 *m = malloc(len);

    ck_assert(!page_alloc_init(&p, 0x1001, 1 * MIB, m, len)); /* misaligned base */
    ck_assert(!page_alloc_init(&p, 0, 1 * MIB, small, sizeof(small)));
    ck_assert(!page_alloc_init(&p, 0, 1 * MIB, m, len - 1));
    ck_assert(!page_alloc_init(&p, 0, 1 * MIB, NULL, len));
    ck_assert(!page_alloc_init(&p, ~0ULL - 0xfff, 1 * MIB, m, len)); /* wraps */
    /* A failed init leaves an allocator that hands out nothing. */
    ck_assert_uint_eq(page_alloc(&p, 0), PAGE_ALLOC_NONE);
    ck_assert(!page_free(&p, 0, 0));
    ck_assert_uint_eq(page_alloc_free_bytes(&p), 0);
    ck_assert_uint_eq(page_alloc_reserve(&p, 0, 4096), 0);
    /* Size is rounded down to pages; an empty range is valid. */
    ck_assert(page_alloc_init(&p, 0, 3 * PG + 100, m, len));
    ck_assert_uint_eq(page_alloc_free_bytes(&p), 3 * PG);
    ck_assert(page_alloc_init(&p, 0, 0, m, len));
    ck_assert_uint_eq(page_alloc(&p, 0), PAGE_ALLOC_NONE);
    free(m);
}
END_TEST

START_TEST(test_alloc_and_free_one_page)
{
    u64 a;

    setup_range(1 * GIB, 8 * MIB);
    a = page_alloc(&pa, 0);
    ck_assert_uint_ne(a, PAGE_ALLOC_NONE);
    ck_assert_uint_ge(a, 1 * GIB);
    ck_assert_uint_lt(a, 1 * GIB + 8 * MIB);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB - PG);
    /* Splitting a 4 MiB block leaves one free block of each smaller order. */
    for (unsigned o = 0; o < PAGE_ALLOC_MAX_ORDER; o++)
        ck_assert_uint_eq(page_alloc_free_blocks(&pa, o), 1);
    ck_assert(page_free(&pa, a, 0));
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER), 2);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, 0), 0);
}
END_TEST

START_TEST(test_alignment_by_order)
{
    /* An odd start makes alignment a real question. */
    setup_range(1 * MIB + 3 * PG, 40 * MIB);
    for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
        u64 a = page_alloc(&pa, o);

        ck_assert_uint_ne(a, PAGE_ALLOC_NONE);
        ck_assert_uint_eq(a % (PG << o), 0);
        ck_assert_uint_ge(a, 1 * MIB + 3 * PG);
        ck_assert_uint_le(a + (PG << o), 1 * MIB + 3 * PG + 40 * MIB);
    }
    ck_assert_uint_eq(page_alloc(&pa, PAGE_ALLOC_MAX_ORDER + 1), PAGE_ALLOC_NONE);
}
END_TEST

START_TEST(test_exhaustion_and_full_coalescing)
{
    const u64 npages = 8 * MIB / PG;
    u64 *pages = malloc(npages * sizeof(*pages));
    u8 *seen = calloc(npages, 1);

    setup_range(1 * GIB, 8 * MIB);
    for (u64 i = 0; i < npages; i++) {
        pages[i] = page_alloc(&pa, 0);
        if (pages[i] < 1 * GIB || pages[i] >= 1 * GIB + 8 * MIB)
            ck_abort_msg("page %llu: bad address", (unsigned long long)i);
        if (seen[(pages[i] - 1 * GIB) / PG]++) /* never twice */
            ck_abort_msg("page %llu handed out twice", (unsigned long long)i);
    }
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 0);
    ck_assert_uint_eq(page_alloc(&pa, 0), PAGE_ALLOC_NONE);
    ck_assert_uint_eq(page_alloc(&pa, 3), PAGE_ALLOC_NONE);

    /* Free in a scrambled order; everything must merge back. */
    srand(7);
    for (u64 i = npages - 1; i > 0; i--) {
        u64 j = (u64)rand() % (i + 1);
        u64 t = pages[i];

        pages[i] = pages[j];
        pages[j] = t;
    }
    for (u64 i = 0; i < npages; i++)
        if (!page_free(&pa, pages[i], 0))
            ck_abort_msg("free %llu failed", (unsigned long long)i);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER), 2);
    for (unsigned o = 0; o < PAGE_ALLOC_MAX_ORDER; o++)
        ck_assert_uint_eq(page_alloc_free_blocks(&pa, o), 0);
    /* Two 4 MiB blocks are available again, and no third. */
    ck_assert_uint_ne(page_alloc(&pa, PAGE_ALLOC_MAX_ORDER), PAGE_ALLOC_NONE);
    ck_assert_uint_ne(page_alloc(&pa, PAGE_ALLOC_MAX_ORDER), PAGE_ALLOC_NONE);
    ck_assert_uint_eq(page_alloc(&pa, PAGE_ALLOC_MAX_ORDER), PAGE_ALLOC_NONE);
    free(pages);
    free(seen);
}
END_TEST

START_TEST(test_buddies_merge_only_with_buddies)
{
    u64 a, b, c;

    setup_range(0, 4 * MIB);
    a = page_alloc(&pa, 0);
    b = page_alloc(&pa, 0);
    c = page_alloc(&pa, 0);
    ck_assert_uint_eq(a ^ b, PG); /* a and b are buddies */
    ck_assert(page_free(&pa, b, 0));
    ck_assert(page_free(&pa, c, 0));
    /* b and c are neighbours but not buddies: no merge yet. */
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER), 0);
    ck_assert(page_free(&pa, a, 0));
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER), 1);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 4 * MIB);
}
END_TEST

START_TEST(test_double_free_detected)
{
    u64 a, b;

    setup_range(1 * GIB, 8 * MIB);
    a = page_alloc(&pa, 2);
    b = page_alloc(&pa, 0); /* keeps a's buddy area busy */
    ck_assert(page_free(&pa, a, 2));
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB - PG);
    ck_assert(!page_free(&pa, a, 2));
    ck_assert(!page_free(&pa, a, 0));
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB - PG); /* unchanged */
    ck_assert(page_free(&pa, b, 0));
    ck_assert(!page_free(&pa, b, 0));
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB);
    ck_assert_uint_eq(page_alloc_free_blocks(&pa, PAGE_ALLOC_MAX_ORDER), 2);
}
END_TEST

START_TEST(test_bad_free_detected)
{
    u64 a;

    setup_range(1 * GIB, 8 * MIB);
    a = page_alloc(&pa, 2);
    ck_assert(!page_free(&pa, a + 1, 2)); /* not page aligned */
    ck_assert(!page_free(&pa, a + PG, 2)); /* not aligned for the order */
    ck_assert(!page_free(&pa, a + PG, 0)); /* a page inside the block */
    ck_assert(!page_free(&pa, a, 1)); /* wrong order, smaller */
    ck_assert(!page_free(&pa, a, 3)); /* wrong order, larger */
    ck_assert(!page_free(&pa, a, PAGE_ALLOC_MAX_ORDER + 1));
    ck_assert(!page_free(&pa, 1 * GIB - PG, 0)); /* below the range */
    ck_assert(!page_free(&pa, 1 * GIB + 8 * MIB, 0)); /* just past it */
    ck_assert(!page_free(&pa, ~0ULL & ~(PG - 1), 0));
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB - 4 * PG);
    ck_assert(page_free(&pa, a, 2));
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB);
}
END_TEST

START_TEST(test_reserve)
{
    const u64 base = 1 * GIB;
    u64 a;
    u64 count = 0;

    setup_range(base, 8 * MIB);
    /* 5 KiB .. 15 KiB touches pages 1, 2 and 3. */
    ck_assert_uint_eq(page_alloc_reserve(&pa, base + 5 * KIB, 10 * KIB), 3 * PG);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 8 * MIB - 3 * PG);
    ck_assert_uint_eq(page_alloc_reserve(&pa, base + 5 * KIB, 10 * KIB), 0); /* again */
    ck_assert(!page_free(&pa, base + PG, 0)); /* reserved pages are not freeable */

    /* No allocation may ever return a reserved page. */
    while ((a = page_alloc(&pa, 0)) != PAGE_ALLOC_NONE) {
        if (a >= base + PG && a < base + 4 * PG)
            ck_abort_msg("reserved page %#llx handed out", (unsigned long long)a);
        count++;
    }
    ck_assert_uint_eq(count, 8 * MIB / PG - 3);
}
END_TEST

START_TEST(test_reserve_large_and_clipped)
{
    const u64 base = 1 * GIB;

    setup_range(base, 8 * MIB);
    /* Reach over both ends: only the managed part counts. */
    ck_assert_uint_eq(page_alloc_reserve(&pa, base - 1 * MIB, 1 * MIB + 2 * MIB), 2 * MIB);
    ck_assert_uint_eq(page_alloc_reserve(&pa, base + 7 * MIB, ~0ULL), 1 * MIB);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 5 * MIB);
    ck_assert_uint_eq(page_alloc_reserve(&pa, 0, 1 * MIB), 0); /* below */
    ck_assert_uint_eq(page_alloc_reserve(&pa, 2 * GIB, 1 * MIB), 0); /* above */
    ck_assert_uint_eq(page_alloc_reserve(&pa, base + 3 * MIB, 0), 0);
    /* What is left is 2M..4M and 4M..7M: a 4 MiB block no longer exists,
     * but exactly two 2 MiB blocks do (2M..4M and 4M..6M). */
    ck_assert_uint_eq(page_alloc(&pa, PAGE_ALLOC_MAX_ORDER), PAGE_ALLOC_NONE);
    u64 a = page_alloc(&pa, 9);
    u64 b = page_alloc(&pa, 9);

    ck_assert(a == base + 2 * MIB || a == base + 4 * MIB);
    ck_assert(b == base + 2 * MIB || b == base + 4 * MIB);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_eq(page_alloc(&pa, 9), PAGE_ALLOC_NONE);
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 1 * MIB);
}
END_TEST

START_TEST(test_reserve_skips_allocated)
{
    u64 a;

    setup_range(0, 4 * MIB);
    a = page_alloc(&pa, 4); /* 64 KiB */
    ck_assert_uint_eq(page_alloc_reserve(&pa, a, 128 * KIB), 64 * KIB);
    ck_assert(page_free(&pa, a, 4)); /* still allocated, still freeable */
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), 4 * MIB - 64 * KIB);
}
END_TEST

START_TEST(test_random_model)
{
    /* Random alloc/free against a shadow map of which pages are in use. */
    const u64 base = 2 * MIB + 5 * PG, size = 24 * MIB + 7 * PG;
    const u64 npages = size / PG;
    u8 *used = calloc(npages, 1);
    struct {
        u64 addr;
        unsigned order;
    } live[512];
    unsigned nlive = 0;
    u64 initial_free;
    u64 initial_blocks[PAGE_ALLOC_MAX_ORDER + 1];

    setup_range(base, size);
    initial_free = page_alloc_free_bytes(&pa);
    for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++)
        initial_blocks[o] = page_alloc_free_blocks(&pa, o);
    srand(99);
    for (int step = 0; step < 20000; step++) {
        if (nlive < 512 && (nlive == 0 || rand() % 2)) {
            unsigned order = (unsigned)(rand() % 7);
            u64 a = page_alloc(&pa, order);

            if (a == PAGE_ALLOC_NONE)
                continue;
            /* Plain checks in the loop: Check records every assertion. */
            if (a % (PG << order) != 0 || a < base || a + (PG << order) > base + size)
                ck_abort_msg("bad block %#llx order %u", (unsigned long long)a, order);
            for (u64 p = 0; p < (1ULL << order); p++) {
                if (used[(a - base) / PG + p])
                    ck_abort_msg("page %#llx handed out twice", (unsigned long long)(a + p * PG));
                used[(a - base) / PG + p] = 1;
            }
            live[nlive].addr = a;
            live[nlive].order = order;
            nlive++;
        } else {
            unsigned i = (unsigned)rand() % nlive;
            u64 a = live[i].addr;

            if (!page_free(&pa, a, live[i].order))
                ck_abort_msg("free of a live block failed");
            for (u64 p = 0; p < (1ULL << live[i].order); p++)
                used[(a - base) / PG + p] = 0;
            live[i] = live[--nlive];
        }
    }
    while (nlive > 0) {
        nlive--;
        ck_assert(page_free(&pa, live[nlive].addr, live[nlive].order));
    }
    ck_assert_uint_eq(page_alloc_free_bytes(&pa), initial_free);
    for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++)
        ck_assert_uint_eq(page_alloc_free_blocks(&pa, o), initial_blocks[o]);
    free(used);
}
END_TEST

static Suite *page_alloc_suite(void)
{
    Suite *s = suite_create("page_alloc");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_init_all_free);
    tcase_add_test(tc, test_init_unaligned_range);
    tcase_add_test(tc, test_init_rejects_bad_arguments);
    tcase_add_test(tc, test_alloc_and_free_one_page);
    tcase_add_test(tc, test_alignment_by_order);
    tcase_add_test(tc, test_exhaustion_and_full_coalescing);
    tcase_add_test(tc, test_buddies_merge_only_with_buddies);
    tcase_add_test(tc, test_double_free_detected);
    tcase_add_test(tc, test_bad_free_detected);
    tcase_add_test(tc, test_reserve);
    tcase_add_test(tc, test_reserve_large_and_clipped);
    tcase_add_test(tc, test_reserve_skips_allocated);
    tcase_add_test(tc, test_random_model);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(page_alloc_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
