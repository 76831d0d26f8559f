/*
 * common/base/mem.c - the page allocator and heap instances of the VMM.
 *
 * Both are shared by every CPU, each behind its own lock. A whole allocation
 * or free, splitting and merging of buddies included, happens under one hold
 * of pages_lock: a block's change from free to allocated done outside the
 * lock once raced with the merging of its freed neighbours (the seed digest
 * tells of it). The heap grows by asking for pages with heap_lock held, so
 * the order is heap_lock, then pages_lock; never the other way round.
 */
#include "common/base/mem.h"
#include "common/base/heap.h"
#include "common/lib/kstring.h"
#include "common/lib/spinlock.h"
#include "common/base/page_alloc.h"
#include "common/base/panic.h"
#include "arch/x86/phys.h"

static struct page_allocator pages;
static struct spinlock pages_lock; /* pages and page_meta */
static struct heap heap;
static struct spinlock heap_lock;  /* heap; taken before pages_lock */
static u8 page_meta[320 * 1024]; /* ~9 bytes a page: enough for 128 MiB of VMM memory */

/* The heap's page source: called by heap_zalloc() with heap_lock held. */
static void *heap_get_pages(void *ctx, size_t npages)
{
    (void)ctx;
    if (!spin_is_locked(&heap_lock))
        panic("mem: the heap grew without its lock");
    unsigned order = 0;
    while ((1ULL << order) < npages)
        order++;
    u64 pa = mem_try_alloc_pages(order);
    return pa ? phys_to_virt(pa) : NULL;
}

void mem_init(u64 base, u64 size)
{
    u64 max = (u64)sizeof(page_meta);
    while (page_alloc_meta_bytes(size) > max)
        size -= 2 * MIB;
    if (!page_alloc_init(&pages, base, size, page_meta, sizeof(page_meta)))
        panic("mem: cannot manage [0x%llx, +0x%llx)", (unsigned long long)base,
              (unsigned long long)size);
    heap_init(&heap, heap_get_pages, NULL);
}

u64 mem_try_alloc_pages(unsigned order)
{
    spin_lock(&pages_lock);
    u64 pa = page_alloc(&pages, order);
    spin_unlock(&pages_lock);
    if (pa == PAGE_ALLOC_NONE)
        return 0;
    memset(phys_to_virt(pa), 0, 4096ULL << order);
    return pa;
}

u64 mem_alloc_pages(unsigned order)
{
    u64 pa = mem_try_alloc_pages(order);
    if (!pa)
        panic("mem: out of VMM memory (order %u, %llu bytes free)", order,
              (unsigned long long)mem_free_bytes());
    return pa;
}

void mem_free_pages(u64 pa, unsigned order)
{
    spin_lock(&pages_lock);
    bool ok = page_free(&pages, pa, order);
    spin_unlock(&pages_lock);
    if (!ok)
        panic("mem: bad free of 0x%llx order %u", (unsigned long long)pa, order);
}

void *kzalloc(size_t size)
{
    spin_lock(&heap_lock);
    void *p = heap_zalloc(&heap, size);
    spin_unlock(&heap_lock);
    if (!p)
        panic("mem: heap exhausted (%zu bytes wanted)", size);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    spin_lock(&heap_lock);
    bool ok = heap_free(&heap, p);
    spin_unlock(&heap_lock);
    if (!ok)
        panic("mem: bad kfree(%p)", p);
}

void mem_heap_stats(struct heap_stats *out)
{
    spin_lock(&heap_lock);
    heap_stats(&heap, out);
    spin_unlock(&heap_lock);
}

u64 mem_free_bytes(void)
{
    spin_lock(&pages_lock);
    u64 n = page_alloc_free_bytes(&pages);
    spin_unlock(&pages_lock);
    return n;
}
