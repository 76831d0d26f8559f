/**
 * @file common/base/page_alloc.h
 * @brief Buddy allocator for physical pages over one contiguous range (pure).
 *
 * Blocks are 2^order pages of 4 KiB, order 0 (4 KiB) to PAGE_ALLOC_MAX_ORDER
 * (4 MiB). A block of order k always starts at a physical address aligned to
 * 4 KiB << k, so 2 MiB blocks (order 9) can back large nested-paging entries.
 *
 * The allocator never touches the pages it manages: its bookkeeping lives in
 * a caller-provided metadata array (page_alloc_meta_bytes() bytes, about nine
 * per page). So the VMM can manage memory it has not mapped yet, and host
 * tests can manage made-up addresses.
 *
 * Not thread-safe: the caller holds one lock around every call. Each call
 * performs its whole state change (e.g. a block going FREE -> ALLOCATED,
 * including the splitting, or a freed block merging with its buddies) in one
 * go; never split such a transition across two lock sections, or a merge on
 * another CPU can take a block that is being handed out (a real bug in an
 * older hypervisor's allocator).
 */
#ifndef BOOKVISOR_COMMON_BASE_PAGE_ALLOC_H
#define BOOKVISOR_COMMON_BASE_PAGE_ALLOC_H

#include "common/lib/types.h"

/** Size of one page. */
#define PAGE_ALLOC_PAGE_SIZE 4096ULL
/** Largest order: 2^10 pages = 4 MiB. */
#define PAGE_ALLOC_MAX_ORDER 10
/** Returned by page_alloc() when no block is available. */
#define PAGE_ALLOC_NONE (~0ULL)

/** State of one allocator. Treat as opaque; fields are for the .c file. */
struct page_allocator {
    u64 base; /**< first managed physical address (page aligned) */
    u64 npages; /**< number of managed pages */
    u64 free_pages; /**< pages currently in free blocks */
    u32 *next; /**< per page: next free block of the same order */
    u32 *prev; /**< per page: previous free block of the same order */
    u8 *state; /**< per page: free head / allocated head / reserved / inside */
    u32 free_head[PAGE_ALLOC_MAX_ORDER + 1]; /**< first free block of each order */
    u64 free_blocks[PAGE_ALLOC_MAX_ORDER + 1]; /**< number of free blocks of each order */
};

/**
 * Bytes of metadata needed to manage size bytes (size rounded down to pages).
 * Includes slack for aligning the array, so any byte buffer will do.
 */
size_t page_alloc_meta_bytes(u64 size);

/**
 * Set up pa to manage [base, base + size), all free.
 * @param pa    the allocator to initialise
 * @param base  start address, 4 KiB aligned
 * @param size  length; rounded down to whole pages
 * @param meta  metadata storage, at least page_alloc_meta_bytes(size) bytes,
 *              which must stay valid for the allocator's life
 * @param meta_len  bytes available at meta
 * @return false (and pa manages nothing) when base is misaligned, the range
 *         wraps or has more than 2^32 - 2 pages, or meta is too small.
 */
bool page_alloc_init(struct page_allocator *pa, u64 base, u64 size, u8 *meta, size_t meta_len);

/**
 * Take the pages overlapping [addr, addr + size) out of the free pool for
 * good (e.g. the VMM image, boot modules). The range is widened to whole
 * pages and clipped to the managed range; pages already allocated or
 * reserved are left as they are. Reserved pages can never be freed.
 * @return the number of bytes newly taken from the free pool
 */
u64 page_alloc_reserve(struct page_allocator *pa, u64 addr, u64 size);

/**
 * Allocate one block of 2^order pages, aligned to its size.
 * @return its physical address, or PAGE_ALLOC_NONE if none is free or
 *         order > PAGE_ALLOC_MAX_ORDER.
 */
u64 page_alloc(struct page_allocator *pa, unsigned order);

/**
 * Give back a block from page_alloc(), with the same order, merging it with
 * its free buddies.
 * @return false, changing nothing, when addr/order do not name a block that
 *         is currently allocated (double free, wrong order, misaligned or
 *         foreign address, reserved page).
 */
bool page_free(struct page_allocator *pa, u64 addr, unsigned order);

/** Bytes currently free. */
u64 page_alloc_free_bytes(const struct page_allocator *pa);

/** Number of free blocks of exactly this order (0 for a bad order). */
u64 page_alloc_free_blocks(const struct page_allocator *pa, unsigned order);

#endif
