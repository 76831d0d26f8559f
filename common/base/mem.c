/*
 * common/base/mem.c - the page allocator and heap instances of the VMM.
 *
 * One CPU runs VMM code at a time for now, so no lock is taken; when SMP
 * arrives, the lock must cover the whole FREE->ALLOCATED transition (the
 * seed digest tells of a race when it did not).
 */
#include "common/base/mem.h"
#include "common/base/heap.h"
#include "common/lib/kstring.h"
#include "common/base/page_alloc.h"
#include "common/base/panic.h"
#include "arch/x86/phys.h"

static struct page_allocator pages;
static struct heap heap;
static u8 page_meta[320 * 1024]; /* ~9 bytes a page: enough for 128 MiB of VMM memory */

static void *heap_get_pages(void *ctx, size_t npages)
{
    (void)ctx;
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
    u64 pa = page_alloc(&pages, order);
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
              (unsigned long long)page_alloc_free_bytes(&pages));
    return pa;
}

void mem_free_pages(u64 pa, unsigned order)
{
    if (!page_free(&pages, pa, order))
        panic("mem: bad free of 0x%llx order %u", (unsigned long long)pa, order);
}

void *kzalloc(size_t size)
{
    void *p = heap_zalloc(&heap, size);
    if (!p)
        panic("mem: heap exhausted (%zu bytes wanted)", size);
    return p;
}

void kfree(void *p)
{
    if (p && !heap_free(&heap, p))
        panic("mem: bad kfree(%p)", p);
}

u64 mem_free_bytes(void)
{
    return page_alloc_free_bytes(&pages);
}
