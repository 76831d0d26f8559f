/*
 * tests/unit/npt_fixture.h - the map-builder fixture of test_npt.c,
 * test_npt_reclaim.c (lab 4's two parts) and test_npt_format.c: a table pool in a host arena that
 * pretends to live at FAKE_PA, a map and a layout, and an independent walk
 * that checks the builder's counters against the tables. Included by one
 * test file each; everything here is static to it (inline: not every file
 * uses every helper).
 */
#ifndef BOOKVISOR_TESTS_UNIT_NPT_FIXTURE_H
#define BOOKVISOR_TESTS_UNIT_NPT_FIXTURE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/npt/npt.h"
#include "common/npt/npt_pool.h"

#define FAKE_PA 0x100000000000ULL /* where the arena pretends to live */
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void *arena;
static u32 arena_pages;
static struct npt_pool pool;
static struct npt_mem mem;
static struct npt map;
static struct npt_layout layout;

#define ADDR_BITS 0x000FFFFFFFFFF000ULL

/* A variable MTRR over [base, base + size) of type @p type (inline: not every
 * file that includes this uses it). */
static inline void add_var(u64 base, u64 size, u8 type)
{
    struct mtrr_state *st = &layout.mtrr;

    st->var[st->nvar].base = base | type;
    st->var[st->nvar].mask = (~(size - 1) & ADDR_BITS) | MTRR_PHYSMASK_VALID;
    st->nvar++;
}

static inline void start_map(const struct npt_format *fmt, u32 npages)
{
    arena_pages = npages;
    arena = aligned_alloc(4096, (size_t)npages * 4096);
    ck_assert_ptr_nonnull(arena);
    memset(arena, 0xA5, (size_t)npages * 4096); /* the builder must zero tables */
    npt_pool_init(&pool, arena, FAKE_PA, npages);
    mem = npt_pool_mem(&pool);
    ck_assert_int_eq(npt_init(&map, fmt, &mem), NPT_OK);
}

static inline void start_layout(u32 flags)
{
    struct mtrr_state st;

    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    npt_layout_init(&layout, &st, flags);
}

static inline void set_kind(u64 start, u64 len, enum npt_kind kind)
{
    ck_assert_int_eq(npt_layout_set(&layout, start, len, kind), NPT_OK);
}

/* Independent walk: count leaves per level and table pages. */
static inline void walk_count(u64 pa, unsigned level, u64 leaves[4], u64 *tables)
{
    const u64 *t = npt_pool_ptr(&pool, pa);
    unsigned i;

    ck_assert_ptr_nonnull(t);
    (*tables)++;
    for (i = 0; i < 512; i++) {
        if (!map.fmt->is_present(t[i]))
            continue;
        if (map.fmt->is_leaf(t[i], level))
            leaves[level]++;
        else
            walk_count(map.fmt->entry_addr(t[i], level), level - 1, leaves, tables);
    }
}

/* The counters must agree with what is really in the tables. */
static inline void check_stats(void)
{
    u64 leaves[4] = { 0, 0, 0, 0 }, tables = 0;

    walk_count(map.root_pa, 4, leaves, &tables);
    ck_assert_uint_eq(map.stats.leaves_4k, leaves[1]);
    ck_assert_uint_eq(map.stats.leaves_2m, leaves[2]);
    ck_assert_uint_eq(map.stats.leaves_1g, leaves[3]);
    ck_assert_uint_eq(map.stats.tables, tables);
    ck_assert_uint_eq(pool.free_count, arena_pages - tables);
}

static inline void end_map(void)
{
    check_stats();
    npt_destroy(&map);
    ck_assert_uint_eq(pool.free_count, arena_pages); /* nothing leaked */
    free(arena);
}

/* Size of the leaf mapping gpa (0 if unmapped); also checks identity. */
static inline u64 leaf_size(u64 gpa)
{
    u64 hpa = 0, size = 0;

    if (!npt_translate(&map, gpa, &hpa, &size))
        return 0;
    ck_assert_uint_eq(hpa, gpa);
    return size;
}

#endif
