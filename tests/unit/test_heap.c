/*
 * Unit tests for common/base/heap.c. Pages come from aligned_alloc(), up to a
 * limit the test sets, so running out of memory can be tested too.
 *
 * unit-sources: common/base/heap.c
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/heap.h"

/** The page source handed to the heap: counts and limits what it gives. */
struct page_source {
    void *chunks[256];
    size_t nchunks;
    size_t pages_given;
    size_t page_limit;
    size_t calls;
    size_t last_request;
};

static struct page_source src;
static struct heap h;

static void *get_pages(void *ctx, size_t npages)
{
    struct page_source *s = ctx;
    void *p;

    s->calls++;
    s->last_request = npages;
    if (s->pages_given + npages > s->page_limit || s->nchunks == 256)
        return NULL;
    p = aligned_alloc(HEAP_PAGE_SIZE, npages * HEAP_PAGE_SIZE);
    ck_assert_ptr_nonnull(p);
    memset(p, 0x5a, npages * HEAP_PAGE_SIZE); /* not zero: zalloc must clear */
    s->chunks[s->nchunks++] = p;
    s->pages_given += npages;
    return p;
}

static void setup(void)
{
    memset(&src, 0, sizeof(src));
    src.page_limit = 1024;
    heap_init(&h, get_pages, &src);
}

static void teardown(void)
{
    for (size_t i = 0; i < src.nchunks; i++)
        free(src.chunks[i]);
    src.nchunks = 0;
}

static struct heap_stats stats(void)
{
    struct heap_stats st;

    heap_stats(&h, &st);
    return st;
}

START_TEST(test_empty_heap)
{
    struct heap_stats st = stats();

    ck_assert_uint_eq(st.bytes_from_pages, 0);
    ck_assert_uint_eq(st.bytes_in_use, 0);
    ck_assert_uint_eq(st.allocations, 0);
    ck_assert_uint_eq(st.free_blocks, 0);
    ck_assert_uint_eq(src.calls, 0); /* no memory taken before it is needed */
}
END_TEST

START_TEST(test_alloc_aligned_and_disjoint)
{
    static const size_t sizes[] = { 1, 7, 15, 16, 17, 31, 32, 33, 100, 1000, 4000 };
    u8 *p[sizeof(sizes) / sizeof(sizes[0])];

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p[i] = heap_alloc(&h, sizes[i]);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_uint_eq((uintptr_t)p[i] % HEAP_ALIGN, 0);
        memset(p[i], (int)i + 1, sizes[i]);
    }
    /* Every block still holds its own pattern: no two overlap. */
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        for (size_t j = 0; j < sizes[i]; j++)
            ck_assert_uint_eq(p[i][j], i + 1);
    ck_assert_uint_eq(stats().allocations, sizeof(sizes) / sizeof(sizes[0]));
    ck_assert_uint_eq(src.calls, 1); /* all fit in the first HEAP_GROW_PAGES pages */
    ck_assert_uint_eq(src.last_request, HEAP_GROW_PAGES);
}
END_TEST

START_TEST(test_zero_and_huge_sizes)
{
    ck_assert_ptr_null(heap_alloc(&h, 0));
    ck_assert_ptr_null(heap_alloc(&h, SIZE_MAX));
    ck_assert_ptr_null(heap_alloc(&h, SIZE_MAX - 15));
    ck_assert_ptr_null(heap_zalloc(&h, SIZE_MAX / 2));
    ck_assert_uint_eq(stats().allocations, 0);
}
END_TEST

START_TEST(test_zalloc_zeroes)
{
    u8 *p = heap_alloc(&h, 200);

    memset(p, 0xee, 200);
    ck_assert(heap_free(&h, p));
    p = heap_zalloc(&h, 200);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < 200; i++)
        ck_assert_uint_eq(p[i], 0);
}
END_TEST

START_TEST(test_free_and_reuse)
{
    void *a = heap_alloc(&h, 64);
    void *b = heap_alloc(&h, 64);
    struct heap_stats st;

    ck_assert_ptr_ne(a, b);
    st = stats();
    ck_assert_uint_eq(st.bytes_in_use, 2 * (64 + 16));
    ck_assert(heap_free(&h, a));
    ck_assert_ptr_eq(heap_alloc(&h, 64), a); /* first fit takes the hole */
    ck_assert(heap_free(&h, NULL)); /* like free(NULL) */
}
END_TEST

START_TEST(test_double_free_detected)
{
    void *a = heap_alloc(&h, 48);
    void *b = heap_alloc(&h, 48);
    struct heap_stats before;

    ck_assert(heap_free(&h, a));
    before = stats();
    ck_assert(!heap_free(&h, a));
    ck_assert_uint_eq(stats().allocations, before.allocations);
    ck_assert_uint_eq(stats().bytes_in_use, before.bytes_in_use);
    /* b's block merges with a's: a's old header is now inside a free block. */
    ck_assert(heap_free(&h, b));
    ck_assert(!heap_free(&h, b));
    ck_assert(!heap_free(&h, a));
    ck_assert_uint_eq(stats().allocations, 0);
    ck_assert_uint_eq(stats().bytes_in_use, 0);
}
END_TEST

START_TEST(test_bad_pointers_detected)
{
    static _Alignas(16) u8 foreign[64]; /* zeroes: no valid header */
    u8 *a = heap_alloc(&h, 64);
    u8 *b = heap_alloc(&h, 64);
    struct heap_stats before = stats();

    ck_assert(!heap_free(&h, a + 1)); /* misaligned */
    ck_assert(!heap_free(&h, a + 16)); /* inside a block */
    ck_assert(!heap_free(&h, foreign + 16));
    ck_assert_uint_eq(stats().allocations, before.allocations);

    /* An overwritten header (a buffer overrun from a) is refused. */
    a[64] -= 16; /* b's size (first header byte): still plausible, yet wrong */
    ck_assert(!heap_free(&h, b));
    a[64] += 16;
    a[72] ^= 0x01; /* b's magic */
    ck_assert(!heap_free(&h, b));
    a[72] ^= 0x01;
    ck_assert(heap_free(&h, b));
    ck_assert(heap_free(&h, a));
}
END_TEST

START_TEST(test_coalescing)
{
    void *p[8];
    struct heap_stats st;

    for (int i = 0; i < 8; i++)
        p[i] = heap_alloc(&h, 100);
    /* Free in an order that needs merging on both sides. */
    static const int order[] = { 1, 3, 5, 7, 2, 6, 0, 4 };
    for (int i = 0; i < 8; i++)
        ck_assert(heap_free(&h, p[order[i]]));
    st = stats();
    ck_assert_uint_eq(st.allocations, 0);
    ck_assert_uint_eq(st.bytes_in_use, 0);
    ck_assert_uint_eq(st.free_blocks, 1);
    ck_assert_uint_eq(st.largest_free, st.bytes_from_pages - 16);
    ck_assert_uint_eq(st.bytes_free, st.bytes_from_pages);
    /* The merged space serves one allocation as large as the whole chunk. */
    ck_assert_ptr_nonnull(heap_alloc(&h, st.largest_free));
    ck_assert_uint_eq(src.calls, 1);
}
END_TEST

START_TEST(test_large_allocation)
{
    u8 *p = heap_alloc(&h, 100 * 1024);

    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(src.last_request * HEAP_PAGE_SIZE, 100 * 1024 + 16);
    memset(p, 1, 100 * 1024);
    ck_assert(heap_free(&h, p));
    ck_assert_uint_ge(stats().largest_free, 100 * 1024);
}
END_TEST

START_TEST(test_out_of_memory)
{
    void *p[64];
    int n = 0;

    src.page_limit = 8;
    while (n < 64 && (p[n] = heap_alloc(&h, 1000)) != NULL)
        n++;
    ck_assert_int_gt(n, 0);
    ck_assert_int_lt(n, 64); /* 8 pages cannot hold 64 KiB */
    ck_assert_ptr_null(heap_alloc(&h, 1000));
    ck_assert_uint_le(src.pages_given, 8);
    /* After a free the heap works again without new pages. */
    ck_assert(heap_free(&h, p[0]));
    ck_assert_ptr_nonnull(heap_alloc(&h, 1000));
}
END_TEST

START_TEST(test_no_page_source)
{
    struct heap empty;

    heap_init(&empty, NULL, NULL);
    ck_assert_ptr_null(heap_alloc(&empty, 8));
}
END_TEST

/** True when all of p[0..size) hold fill (one assertion per block, not per byte:
 * Check records every assertion, which is slow in tight loops). */
static bool holds(const u8 *p, size_t size, u8 fill)
{
    for (size_t j = 0; j < size; j++)
        if (p[j] != fill)
            return false;
    return true;
}

START_TEST(test_random_model)
{
    struct {
        u8 *p;
        size_t size;
        u8 fill;
    } live[300];
    unsigned nlive = 0;

    srand(4242);
    for (int step = 0; step < 20000; step++) {
        if (nlive < 300 && (nlive == 0 || rand() % 3 != 0 || nlive < 50)) {
            size_t size = (size_t)(rand() % 5 == 0 ? rand() % 9000 : rand() % 200) + 1;
            u8 *p = heap_alloc(&h, size);

            if (!p)
                continue;
            if ((uintptr_t)p % HEAP_ALIGN != 0)
                ck_abort_msg("misaligned block %p", (void *)p);
            live[nlive].p = p;
            live[nlive].size = size;
            live[nlive].fill = (u8)rand();
            memset(p, live[nlive].fill, size);
            nlive++;
        } else {
            unsigned i = (unsigned)rand() % nlive;

            if (!holds(live[i].p, live[i].size, live[i].fill))
                ck_abort_msg("block %u was overwritten", i);
            if (!heap_free(&h, live[i].p))
                ck_abort_msg("free of a live block failed");
            live[i] = live[--nlive];
        }
        if (stats().allocations != nlive)
            ck_abort_msg("allocation count wrong at step %d", step);
    }
    while (nlive > 0) {
        nlive--;
        ck_assert(holds(live[nlive].p, live[nlive].size, live[nlive].fill));
        ck_assert(heap_free(&h, live[nlive].p));
    }
    ck_assert_uint_eq(stats().bytes_in_use, 0);
    ck_assert_uint_eq(stats().bytes_free, stats().bytes_from_pages);
    ck_assert_uint_le(stats().free_blocks, src.nchunks);
}
END_TEST

static Suite *heap_suite(void)
{
    Suite *s = suite_create("heap");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_empty_heap);
    tcase_add_test(tc, test_alloc_aligned_and_disjoint);
    tcase_add_test(tc, test_zero_and_huge_sizes);
    tcase_add_test(tc, test_zalloc_zeroes);
    tcase_add_test(tc, test_free_and_reuse);
    tcase_add_test(tc, test_double_free_detected);
    tcase_add_test(tc, test_bad_pointers_detected);
    tcase_add_test(tc, test_coalescing);
    tcase_add_test(tc, test_large_allocation);
    tcase_add_test(tc, test_out_of_memory);
    tcase_add_test(tc, test_no_page_source);
    tcase_add_test(tc, test_random_model);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(heap_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
