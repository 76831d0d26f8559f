/**
 * @file common/npt/npt_pool.h
 * @brief A fixed pool of 4 KiB table pages for the nested-paging builder.
 *
 * The VMM sets aside one physically contiguous area for nested page tables
 * and hands it to a pool; host tests do the same with an aligned buffer and a
 * made-up physical address. The pool keeps its free pages on a list threaded
 * through the free pages themselves, so it needs no memory of its own.
 * When it runs dry, alloc returns 0 and the builder reclaims (common/npt/npt.h).
 */
#ifndef BOOKVISOR_COMMON_NPT_NPT_POOL_H
#define BOOKVISOR_COMMON_NPT_NPT_POOL_H

#include "common/lib/types.h"
#include "common/npt/npt.h"

/** Page size handed out by the pool. */
#define NPT_POOL_PAGE 4096u

/**
 * The pool: [base_pa, base_pa + npages * 4 KiB), visible at @ref base.
 */
struct npt_pool {
    u8 *base; /**< where page 0 is accessible */
    u64 base_pa; /**< physical address of page 0 (4 KiB aligned, not 0) */
    u32 npages; /**< pages in the pool */
    u32 free_head; /**< index of the first free page, or npages if none */
    u32 free_count; /**< pages currently free */
    u32 low_water; /**< fewest free pages seen so far */
};

/**
 * Put @p npages pages at @p base (physical address @p base_pa) in the pool.
 * @p base and @p base_pa must be 4 KiB aligned and @p base_pa non-zero
 * (0 means "no page" to the builder).
 */
void npt_pool_init(struct npt_pool *pool, void *base, u64 base_pa, u32 npages);

/** A free page's physical address, or 0 when the pool is empty. */
u64 npt_pool_alloc(struct npt_pool *pool);

/** Give back a page from npt_pool_alloc(). Addresses outside the pool are ignored. */
void npt_pool_free(struct npt_pool *pool, u64 pa);

/** Where the pool page at @p pa can be accessed, or NULL if not in the pool. */
void *npt_pool_ptr(struct npt_pool *pool, u64 pa);

/** A memory source for npt_init() that draws from @p pool. */
struct npt_mem npt_pool_mem(struct npt_pool *pool);

#endif
