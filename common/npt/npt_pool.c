/**
 * @file common/npt/npt_pool.c
 * @brief Fixed pool of table pages (see common/npt/npt_pool.h).
 */
#include "common/npt/npt_pool.h"

static bool pool_index(const struct npt_pool *pool, u64 pa, u32 *index)
{
    u64 off;

    if (pa < pool->base_pa || (pa & (NPT_POOL_PAGE - 1)))
        return false;
    off = (pa - pool->base_pa) / NPT_POOL_PAGE;
    if (off >= pool->npages)
        return false;
    *index = (u32)off;
    return true;
}

/* A free page's first four bytes hold the index of the next free page. */
static u32 *next_link(struct npt_pool *pool, u32 index)
{
    return (u32 *)(void *)(pool->base + (u64)index * NPT_POOL_PAGE);
}

void npt_pool_init(struct npt_pool *pool, void *base, u64 base_pa, u32 npages)
{
    u32 i;

    pool->base = base;
    pool->base_pa = base_pa;
    pool->npages = npages;
    /* Free list in address order, so allocation order is predictable. */
    for (i = 0; i < npages; i++)
        *next_link(pool, i) = i + 1;
    pool->free_head = npages ? 0 : npages;
    pool->free_count = npages;
    pool->low_water = npages;
}

u64 npt_pool_alloc(struct npt_pool *pool)
{
    u32 index = pool->free_head;

    if (index >= pool->npages)
        return 0;
    pool->free_head = *next_link(pool, index);
    pool->free_count--;
    if (pool->free_count < pool->low_water)
        pool->low_water = pool->free_count;
    return pool->base_pa + (u64)index * NPT_POOL_PAGE;
}

void npt_pool_free(struct npt_pool *pool, u64 pa)
{
    u32 index;

    if (!pool_index(pool, pa, &index))
        return;
    *next_link(pool, index) = pool->free_head;
    pool->free_head = index;
    pool->free_count++;
}

void *npt_pool_ptr(struct npt_pool *pool, u64 pa)
{
    u32 index;

    if (!pool_index(pool, pa, &index))
        return NULL;
    return pool->base + (pa - pool->base_pa);
}

static u64 mem_alloc(void *ctx)
{
    return npt_pool_alloc(ctx);
}

static void mem_free(void *ctx, u64 pa)
{
    npt_pool_free(ctx, pa);
}

static void *mem_ptr(void *ctx, u64 pa)
{
    return npt_pool_ptr(ctx, pa);
}

struct npt_mem npt_pool_mem(struct npt_pool *pool)
{
    struct npt_mem mem = {
        .ctx = pool,
        .alloc_table = mem_alloc,
        .free_table = mem_free,
        .table_ptr = mem_ptr,
    };
    return mem;
}
