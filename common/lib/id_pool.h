/**
 * @file common/lib/id_pool.h
 * @brief A pool of small numbers handed out and taken back: ASIDs, VPIDs (pure).
 *
 * The pool owns the numbers [first, first + count), one bit each in a bitmap
 * the caller provides (ID_POOL_WORDS(count) words). id_pool_alloc() hands out
 * the lowest free number; 0 is never a valid number, so it means "none left".
 * That suits both users: AMD-V's ASID 0 and VT-x's VPID 0 are the host's.
 *
 * No lock inside: a pool shared by several CPUs is locked by its owner
 * (the VT-x backend's VPID space); a per-CPU pool (AMD-V's ASIDs) needs none.
 */
#ifndef BOOKVISOR_COMMON_LIB_ID_POOL_H
#define BOOKVISOR_COMMON_LIB_ID_POOL_H

#include "common/lib/types.h"

/** Words of bitmap a pool of count numbers needs. */
#define ID_POOL_WORDS(count) (((size_t)(count) + 63) / 64)

/** A pool of numbers; fill it with id_pool_init(). */
struct id_pool {
    u64 *used_bits; /**< bit i set: number first + i is handed out */
    u32 first;      /**< the lowest number of the pool (at least 1) */
    u32 count;      /**< how many numbers the pool has */
    u32 in_use;     /**< how many are handed out now */
};

/**
 * Make a pool of the numbers [first, first + count), all free, over the
 * caller's bitmap words[0..nwords).
 * @return false (pool unusable) when first is 0, count is 0, the range passes
 *         2^32 - 1, or nwords < ID_POOL_WORDS(count)
 */
bool id_pool_init(struct id_pool *p, u32 first, u32 count, u64 *words, size_t nwords);

/** Hand out the lowest free number; 0 when every number is in use. */
u32 id_pool_alloc(struct id_pool *p);

/**
 * Take a number back.
 * @return false when id is outside the pool or was not handed out (nothing changes)
 */
bool id_pool_free(struct id_pool *p, u32 id);

#endif
