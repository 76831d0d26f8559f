/**
 * @file common/base/heap.h
 * @brief Small general-purpose heap on an explicit struct heap (pure).
 *
 * Memory comes in whole pages from a caller's callback (in the VMM: the page
 * allocator through phys_to_virt(); in host tests: aligned_alloc()) and is
 * never given back. Blocks are kept on one address-ordered free list,
 * allocated first-fit and merged with free neighbours when freed. Every
 * block has a 16-byte header with a magic number and a check word, so
 * double frees and pointers the heap never returned are refused instead of
 * corrupting the heap. Payloads are 16-byte aligned.
 *
 * Not thread-safe: the caller serialises calls on one heap (one lock).
 */
#ifndef BOOKVISOR_COMMON_BASE_HEAP_H
#define BOOKVISOR_COMMON_BASE_HEAP_H

#include "common/lib/types.h"

/** Size of the pages the get_pages callback hands out. */
#define HEAP_PAGE_SIZE 4096
/** Alignment of every pointer heap_alloc() returns. */
#define HEAP_ALIGN 16
/** Fewest pages asked for at a time, so small allocations do not call back often. */
#define HEAP_GROW_PAGES 4

/**
 * Supplies npages contiguous pages (at least 16-byte aligned), or NULL when
 * there is no more memory.
 */
typedef void *(*heap_get_pages_fn)(void *ctx, size_t npages);

struct heap_block;

/** One heap. Treat as opaque; fields are for the .c file. */
struct heap {
    heap_get_pages_fn get_pages; /**< where memory comes from */
    void *ctx; /**< passed to get_pages */
    struct heap_block *free_list; /**< free blocks by ascending address */
    size_t bytes_from_pages; /**< total obtained from get_pages */
    size_t bytes_in_use; /**< sum of allocated block sizes, headers included */
    size_t allocations; /**< blocks currently allocated */
};

/** Numbers describing a heap, from heap_stats(). */
struct heap_stats {
    size_t bytes_from_pages; /**< total memory obtained from get_pages */
    size_t bytes_in_use; /**< allocated blocks, headers included */
    size_t bytes_free; /**< free blocks, headers included */
    size_t allocations; /**< blocks currently allocated */
    size_t free_blocks; /**< number of free blocks */
    size_t largest_free; /**< largest request that fits without growing */
};

/** Prepare an empty heap that will take pages from get_pages(ctx, n). */
void heap_init(struct heap *h, heap_get_pages_fn get_pages, void *ctx);

/**
 * Allocate size bytes, 16-byte aligned, contents undefined.
 * @return NULL when size is 0 or no memory can be found.
 */
void *heap_alloc(struct heap *h, size_t size);

/** As heap_alloc(), with the memory zeroed. */
void *heap_zalloc(struct heap *h, size_t size);

/**
 * Give back a block from heap_alloc()/heap_zalloc(). NULL is accepted and
 * does nothing.
 * @return false, changing nothing, for a pointer that is not a live block
 *         of a heap (double free, misaligned or foreign pointer, header
 *         overwritten).
 */
bool heap_free(struct heap *h, void *ptr);

/** Fill *out with the heap's current numbers. */
void heap_stats(const struct heap *h, struct heap_stats *out);

#endif
