/*
 * Unit tests for common/lib/id_pool.c, the allocator of ASIDs (per CPU, AMD-V)
 * and VPIDs (per vCPU, VT-x): numbers stay in their range, 0 is never handed
 * out, the lowest free number comes first, exhaustion and bad frees are told.
 *
 * unit-sources: common/lib/id_pool.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "common/lib/id_pool.h"
#include "tests/unit/unit_main.h"

static u64 words[ID_POOL_WORDS(65535)];

START_TEST(init_refuses_bad_pools)
{
    struct id_pool p;
    ck_assert(!id_pool_init(&p, 0, 10, words, ARRAY_SIZE(words)));          /* 0 means "none" */
    ck_assert(!id_pool_init(&p, 1, 0, words, ARRAY_SIZE(words)));          /* empty */
    ck_assert(!id_pool_init(&p, 1, 65, words, 1));                          /* bitmap too small */
    ck_assert(!id_pool_init(&p, 0xFFFFFFF0u, 32, words, ARRAY_SIZE(words))); /* past 2^32 - 1 */
    ck_assert_uint_eq(id_pool_alloc(&p), 0);                                /* refused: hands out nothing */
    ck_assert(id_pool_init(&p, 0xFFFFFFF0u, 16, words, ARRAY_SIZE(words)));
    ck_assert_uint_eq(id_pool_alloc(&p), 0xFFFFFFF0u);
}
END_TEST

/* QEMU's EPYC reports 16 ASIDs: ASID 0 is the host's, 1 to 15 are the guests'. */
START_TEST(asid_space_of_sixteen)
{
    struct id_pool p;
    memset(words, 0xA5, sizeof(words)); /* init must clear what it uses */
    ck_assert(id_pool_init(&p, 1, 15, words, ARRAY_SIZE(words)));
    for (u32 want = 1; want <= 15; want++)
        ck_assert_uint_eq(id_pool_alloc(&p), want);
    ck_assert_uint_eq(p.in_use, 15);
    ck_assert_uint_eq(id_pool_alloc(&p), 0); /* exhausted: never 16, never 0 as an ASID */
    ck_assert(id_pool_free(&p, 7));
    ck_assert_uint_eq(id_pool_alloc(&p), 7);
    ck_assert_uint_eq(id_pool_alloc(&p), 0);
}
END_TEST

START_TEST(free_refuses_foreign_and_double)
{
    struct id_pool p;
    ck_assert(id_pool_init(&p, 1, 100, words, ARRAY_SIZE(words)));
    u32 a = id_pool_alloc(&p), b = id_pool_alloc(&p);
    ck_assert_uint_eq(a, 1);
    ck_assert_uint_eq(b, 2);
    ck_assert(!id_pool_free(&p, 0));   /* the host's */
    ck_assert(!id_pool_free(&p, 101)); /* past the end */
    ck_assert(!id_pool_free(&p, 3));   /* never handed out */
    ck_assert(id_pool_free(&p, a));
    ck_assert(!id_pool_free(&p, a));   /* twice */
    ck_assert_uint_eq(p.in_use, 1);
    ck_assert_uint_eq(id_pool_alloc(&p), 1); /* the lowest free again */
}
END_TEST

/* VT-x: VPIDs 1 to 65535, across many bitmap words; the lowest free comes first. */
START_TEST(vpid_space_across_words)
{
    struct id_pool p;
    ck_assert(id_pool_init(&p, 1, 65535, words, ARRAY_SIZE(words)));
    for (u32 want = 1; want <= 200; want++)
        ck_assert_uint_eq(id_pool_alloc(&p), want);
    ck_assert(id_pool_free(&p, 130));
    ck_assert(id_pool_free(&p, 64));
    ck_assert_uint_eq(id_pool_alloc(&p), 64);
    ck_assert_uint_eq(id_pool_alloc(&p), 130);
    ck_assert_uint_eq(id_pool_alloc(&p), 201);
    u32 last = 0, n = 201;
    for (u32 id; (id = id_pool_alloc(&p)) != 0; n++)
        last = id;
    ck_assert_uint_eq(last, 65535);
    ck_assert_uint_eq(n, 65535);
    ck_assert_uint_eq(p.in_use, 65535);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("id_pool");
    TCase *tc = tcase_create("pool");
    tcase_add_test(tc, init_refuses_bad_pools);
    tcase_add_test(tc, asid_space_of_sixteen);
    tcase_add_test(tc, free_refuses_foreign_and_double);
    tcase_add_test(tc, vpid_space_across_words);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
