/**
 * @file common/base/page_alloc.c
 * @brief Buddy allocator for physical pages (see common/base/page_alloc.h).
 *
 * Pages are numbered by index from the start of the range. Each page has a
 * state byte; the first page of a block (its head) records whether the
 * block is free or allocated and its order, the other pages say "inside".
 * Free blocks of each order form a doubly linked list threaded through the
 * next/prev arrays by page index, so taking a buddy out of its list when
 * merging costs O(1).
 *
 * Buddies are computed on absolute page frame numbers (address / 4 KiB), not
 * on indexes, so every block is aligned to its size in physical memory even
 * when the range itself starts at an odd page.
 */
#include "common/base/page_alloc.h"

#define PAGE_SHIFT 12
/** Marks the end of a free list. */
#define NIL 0xffffffffu

/** State byte of a page: kind in the top two bits, order in the low four. */
enum page_state {
    STATE_INSIDE = 0x00, /**< not a block head (or a free/used block's tail) */
    STATE_FREE = 0x40, /**< head of a free block; | order */
    STATE_USED = 0x80, /**< head of an allocated block; | order */
    STATE_RESERVED = 0xc0, /**< reserved page, never handed out */
};
#define STATE_KIND(s) ((s)&0xc0)
#define STATE_ORDER(s) ((unsigned)((s)&0x0f))

static u64 pfn_of(const struct page_allocator *pa, u64 idx)
{
    return (pa->base >> PAGE_SHIFT) + idx;
}

static u64 addr_of(const struct page_allocator *pa, u64 idx)
{
    return pa->base + (idx << PAGE_SHIFT);
}

static void list_push(struct page_allocator *pa, u32 idx, unsigned order)
{
    u32 old = pa->free_head[order];

    pa->state[idx] = (u8)(STATE_FREE | order);
    pa->prev[idx] = NIL;
    pa->next[idx] = old;
    if (old != NIL)
        pa->prev[old] = idx;
    pa->free_head[order] = idx;
    pa->free_blocks[order]++;
    pa->free_pages += 1ULL << order;
}

/** Take a free block out of its list; its head state is set by the caller. */
static void list_remove(struct page_allocator *pa, u32 idx, unsigned order)
{
    u32 n = pa->next[idx];
    u32 p = pa->prev[idx];

    if (p != NIL)
        pa->next[p] = n;
    else
        pa->free_head[order] = n;
    if (n != NIL)
        pa->prev[n] = p;
    pa->state[idx] = STATE_INSIDE;
    pa->free_blocks[order]--;
    pa->free_pages -= 1ULL << order;
}

size_t page_alloc_meta_bytes(u64 size)
{
    u64 npages = size >> PAGE_SHIFT;

    /* next + prev (u32 each) + state (u8), plus slack to align the u32s. */
    return (size_t)(npages * 9 + 8);
}

/** Largest order of a block that may start at idx and stays within npages. */
static unsigned fitting_order(const struct page_allocator *pa, u64 idx, u64 npages_left)
{
    unsigned order = 0;
    u64 pfn = pfn_of(pa, idx);

    while (order < PAGE_ALLOC_MAX_ORDER && (pfn & ((2ULL << order) - 1)) == 0 &&
           (2ULL << order) <= npages_left)
        order++;
    return order;
}

bool page_alloc_init(struct page_allocator *pa, u64 base, u64 size, u8 *meta, size_t meta_len)
{
    u64 npages = size >> PAGE_SHIFT;
    uintptr_t aligned;

    pa->base = base;
    pa->npages = 0;
    pa->free_pages = 0;
    for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
        pa->free_head[o] = NIL;
        pa->free_blocks[o] = 0;
    }
    pa->next = pa->prev = NULL;
    pa->state = NULL;

    if (base & (PAGE_ALLOC_PAGE_SIZE - 1))
        return false;
    if (npages >= NIL || base + (npages << PAGE_SHIFT) < base)
        return false;
    if (!meta || meta_len < page_alloc_meta_bytes(size))
        return false;

    aligned = ALIGN_UP((uintptr_t)meta, 4);
    pa->next = (u32 *)aligned;
    pa->prev = pa->next + npages;
    pa->state = (u8 *)(pa->prev + npages);
    for (u64 i = 0; i < npages; i++)
        pa->state[i] = STATE_INSIDE;
    pa->npages = npages;

    /* Cover the range with the largest aligned blocks that fit. */
    for (u64 idx = 0; idx < npages;) {
        unsigned order = fitting_order(pa, idx, npages - idx);

        list_push(pa, (u32)idx, order);
        idx += 1ULL << order;
    }
    return true;
}

/**
 * Find the free block containing page idx.
 * @return true with *head and *order set, or false if idx is not free.
 */
static bool find_free_block(const struct page_allocator *pa, u64 idx, u64 *head, unsigned *order)
{
    u64 pfn = pfn_of(pa, idx);
    u64 base_pfn = pfn_of(pa, 0);

    for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
        u64 head_pfn = pfn & ~((1ULL << o) - 1);

        if (head_pfn < base_pfn)
            break; /* larger blocks would start before the range too */
        if (pa->state[head_pfn - base_pfn] == (u8)(STATE_FREE | o)) {
            *head = head_pfn - base_pfn;
            *order = o;
            return true;
        }
    }
    return false;
}

u64 page_alloc_reserve(struct page_allocator *pa, u64 addr, u64 size)
{
    u64 first, end, taken = 0;

    if (size == 0 || pa->npages == 0)
        return 0;
    /* Widen to whole pages and clip to the range, watching for wrap-around. */
    end = addr + size < addr ? UINT64_MAX : addr + size;
    if (end <= pa->base || addr >= addr_of(pa, pa->npages))
        return 0;
    first = addr < pa->base ? 0 : (addr - pa->base) >> PAGE_SHIFT;
    end = end >= addr_of(pa, pa->npages)
        ? pa->npages
        : (end - pa->base + PAGE_ALLOC_PAGE_SIZE - 1) >> PAGE_SHIFT;

    for (u64 idx = first; idx < end;) {
        u64 head;
        unsigned order;

        if (!find_free_block(pa, idx, &head, &order)) {
            idx++; /* allocated or already reserved: leave it */
            continue;
        }
        list_remove(pa, (u32)head, order);
        /* Halve the block until the part holding idx lies wholly in the
         * range; the halves outside go back to the free lists. */
        while (head < first || head + (1ULL << order) > end) {
            u64 half = 1ULL << --order;

            if (idx < head + half) {
                list_push(pa, (u32)(head + half), order);
            } else {
                list_push(pa, (u32)head, order);
                head += half;
            }
        }
        for (u64 i = 0; i < (1ULL << order); i++)
            pa->state[head + i] = STATE_RESERVED;
        taken += 1ULL << order;
        idx = head + (1ULL << order);
    }
    return taken << PAGE_SHIFT;
}

u64 page_alloc(struct page_allocator *pa, unsigned order)
{
    unsigned o = order;
    u32 head;

    if (order > PAGE_ALLOC_MAX_ORDER)
        return PAGE_ALLOC_NONE;
    while (o <= PAGE_ALLOC_MAX_ORDER && pa->free_head[o] == NIL)
        o++;
    if (o > PAGE_ALLOC_MAX_ORDER)
        return PAGE_ALLOC_NONE;

    /* Take the block and split it in one go; see the locking note in
     * the header. The upper halves go back as smaller free blocks. */
    head = pa->free_head[o];
    list_remove(pa, head, o);
    while (o > order) {
        o--;
        list_push(pa, head + (1u << o), o);
    }
    pa->state[head] = (u8)(STATE_USED | order);
    return addr_of(pa, head);
}

bool page_free(struct page_allocator *pa, u64 addr, unsigned order)
{
    u64 idx, pfn, base_pfn = pfn_of(pa, 0);

    if (order > PAGE_ALLOC_MAX_ORDER || pa->npages == 0)
        return false;
    if (addr < pa->base || (addr & (PAGE_ALLOC_PAGE_SIZE - 1)))
        return false;
    idx = (addr - pa->base) >> PAGE_SHIFT;
    pfn = base_pfn + idx;
    if (idx >= pa->npages || (pfn & ((1ULL << order) - 1)))
        return false;
    /* Only the head of an allocated block of exactly this order will do:
     * this catches double frees, wrong orders and addresses inside blocks. */
    if (pa->state[idx] != (u8)(STATE_USED | order))
        return false;

    pa->state[idx] = STATE_INSIDE;
    while (order < PAGE_ALLOC_MAX_ORDER) {
        u64 buddy_pfn = pfn ^ (1ULL << order);
        u64 buddy;

        if (buddy_pfn < base_pfn)
            break;
        buddy = buddy_pfn - base_pfn;
        if (buddy + (1ULL << order) > pa->npages || pa->state[buddy] != (u8)(STATE_FREE | order))
            break;
        list_remove(pa, (u32)buddy, order);
        pfn &= ~(1ULL << order); /* the merged block starts at the lower buddy */
        order++;
    }
    list_push(pa, (u32)(pfn - base_pfn), order);
    return true;
}

u64 page_alloc_free_bytes(const struct page_allocator *pa)
{
    return pa->free_pages << PAGE_SHIFT;
}

u64 page_alloc_free_blocks(const struct page_allocator *pa, unsigned order)
{
    return order > PAGE_ALLOC_MAX_ORDER ? 0 : pa->free_blocks[order];
}
