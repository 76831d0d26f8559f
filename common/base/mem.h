/**
 * @file common/base/mem.h
 * @brief The VMM's own memory: pages and a heap (VMM only).
 */
#ifndef BOOKVISOR_COMMON_BASE_MEM_H
#define BOOKVISOR_COMMON_BASE_MEM_H

#include "common/lib/types.h"

/** Hand [base, base + size) to the page allocator (the rest of the VMM region). */
void mem_init(u64 base, u64 size);

/** Allocate 2^order zeroed contiguous pages; panics when memory runs out. */
u64 mem_alloc_pages(unsigned order);

/** Like mem_alloc_pages() but returns 0 instead of panicking. */
u64 mem_try_alloc_pages(unsigned order);

/** Return pages from mem_alloc_pages(). */
void mem_free_pages(u64 pa, unsigned order);

/** Heap allocation (16-byte aligned, zeroed); panics when memory runs out. */
void *kzalloc(size_t size);

/** Free a kzalloc() block. */
void kfree(void *p);

struct heap_stats;

/** The heap's numbers now (common/base/heap.h), read under its lock. */
void mem_heap_stats(struct heap_stats *out);

/** Bytes still free in the page allocator. */
u64 mem_free_bytes(void);

#endif
