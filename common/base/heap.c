/**
 * @file common/base/heap.c
 * @brief First-fit heap with checked headers (see common/base/heap.h).
 *
 * Every block, free or allocated, starts with a 16-byte header: its total
 * size (header included, a multiple of 16), a magic number saying free or
 * allocated, and a check word derived from size and address. The payload
 * follows the header, so it is 16-byte aligned whenever the block is. A
 * free block keeps the free-list link in its first payload bytes.
 */
#include "common/base/heap.h"
#include "common/lib/kstring.h"

/** Header of a block; next exists only while the block is free. */
struct heap_block {
    u64 size; /**< bytes of the whole block, header included */
    u32 magic; /**< MAGIC_USED, MAGIC_FREE or MAGIC_MERGED */
    u32 check; /**< header_check() of this header */
    struct heap_block *next; /**< free blocks only: next higher free block */
};

#define HEADER_SIZE 16
/** Smallest block: a header and room for the free-list link, rounded to 16. */
#define MIN_BLOCK 32

#define MAGIC_USED 0x48454150u /* "HEAP" */
#define MAGIC_FREE 0x46524545u /* "FREE" */
#define MAGIC_MERGED 0x44454144u /* "DEAD": header swallowed by a neighbour */

_Static_assert(__builtin_offsetof(struct heap_block, next) == HEADER_SIZE,
               "payload must start right after the 16-byte header");

/** A word that changes if the size or the block's address is not as written. */
static u32 header_check(const struct heap_block *b)
{
    u64 mix = b->size ^ (u64)(uintptr_t)b ^ b->magic ^ 0x9e3779b97f4a7c15ULL;

    return (u32)mix ^ (u32)(mix >> 32);
}

static void set_header(struct heap_block *b, u64 size, u32 magic)
{
    b->size = size;
    b->magic = magic;
    b->check = header_check(b);
}

static bool header_ok(const struct heap_block *b, u32 magic)
{
    return b->magic == magic && b->check == header_check(b) && b->size >= MIN_BLOCK &&
        (b->size & (HEAP_ALIGN - 1)) == 0;
}

static u8 *block_end(struct heap_block *b)
{
    return (u8 *)b + b->size;
}

void heap_init(struct heap *h, heap_get_pages_fn get_pages, void *ctx)
{
    h->get_pages = get_pages;
    h->ctx = ctx;
    h->free_list = NULL;
    h->bytes_from_pages = 0;
    h->bytes_in_use = 0;
    h->allocations = 0;
}

/**
 * Put a block on the address-ordered free list, merging it with the free
 * blocks directly before and after it.
 * @return false, changing nothing, if the block overlaps a free block.
 */
static bool insert_free(struct heap *h, struct heap_block *b)
{
    struct heap_block *prev = NULL;
    struct heap_block *next = h->free_list;

    while (next && next < b) {
        prev = next;
        next = next->next;
    }
    /* A block that overlaps a free one was never a live allocation. */
    if ((prev && block_end(prev) > (u8 *)b) || (next && block_end(b) > (u8 *)next))
        return false;

    set_header(b, b->size, MAGIC_FREE);
    b->next = next;
    if (prev)
        prev->next = b;
    else
        h->free_list = b;

    if (next && block_end(b) == (u8 *)next) {
        b->next = next->next;
        set_header(b, b->size + next->size, MAGIC_FREE);
        set_header(next, next->size, MAGIC_MERGED);
    }
    if (prev && block_end(prev) == (u8 *)b) {
        prev->next = b->next;
        set_header(prev, prev->size + b->size, MAGIC_FREE);
        set_header(b, b->size, MAGIC_MERGED);
    }
    return true;
}

/** Ask the callback for enough pages to hold a block of need bytes. */
static bool grow(struct heap *h, u64 need)
{
    size_t npages = (size_t)((need + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE);
    struct heap_block *b;

    if (npages < HEAP_GROW_PAGES)
        npages = HEAP_GROW_PAGES;
    if (!h->get_pages)
        return false;
    b = h->get_pages(h->ctx, npages);
    if (!b || ((uintptr_t)b & (HEAP_ALIGN - 1)))
        return false;
    b->size = (u64)npages * HEAP_PAGE_SIZE;
    if (!insert_free(h, b))
        return false; /* the callback handed out memory we already own */
    h->bytes_from_pages += npages * HEAP_PAGE_SIZE;
    return true;
}

/** First fit: take a block of need bytes from the free list, or NULL. */
static struct heap_block *take_free(struct heap *h, u64 need)
{
    struct heap_block **link = &h->free_list;

    for (struct heap_block *b = *link; b; link = &b->next, b = b->next) {
        if (b->size < need)
            continue;
        if (b->size - need >= MIN_BLOCK) {
            /* Split: the front is handed out, the rest stays free in
             * the same place on the list. */
            struct heap_block *rest = (struct heap_block *)((u8 *)b + need);

            rest->next = b->next;
            set_header(rest, b->size - need, MAGIC_FREE);
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        return b;
    }
    return NULL;
}

void *heap_alloc(struct heap *h, size_t size)
{
    struct heap_block *b;
    u64 need;

    /* The limit keeps the arithmetic below far from overflowing. */
    if (size == 0 || size > ((size_t)1 << 40))
        return NULL;
    need = ALIGN_UP((u64)size, HEAP_ALIGN) + HEADER_SIZE;
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;

    b = take_free(h, need);
    if (!b) {
        if (!grow(h, need))
            return NULL;
        b = take_free(h, need);
        if (!b)
            return NULL;
    }
    set_header(b, b->size, MAGIC_USED);
    h->bytes_in_use += b->size;
    h->allocations++;
    return (u8 *)b + HEADER_SIZE;
}

void *heap_zalloc(struct heap *h, size_t size)
{
    void *p = heap_alloc(h, size);

    if (p)
        memset(p, 0, size);
    return p;
}

bool heap_free(struct heap *h, void *ptr)
{
    struct heap_block *b;
    u64 size;

    if (!ptr)
        return true;
    if ((uintptr_t)ptr & (HEAP_ALIGN - 1))
        return false;
    b = (struct heap_block *)((u8 *)ptr - HEADER_SIZE);
    if (!header_ok(b, MAGIC_USED))
        return false;
    size = b->size;
    if (!insert_free(h, b))
        return false;
    h->bytes_in_use -= size;
    h->allocations--;
    return true;
}

void heap_stats(const struct heap *h, struct heap_stats *out)
{
    out->bytes_from_pages = h->bytes_from_pages;
    out->bytes_in_use = h->bytes_in_use;
    out->bytes_free = h->bytes_from_pages - h->bytes_in_use;
    out->allocations = h->allocations;
    out->free_blocks = 0;
    out->largest_free = 0;
    for (const struct heap_block *b = h->free_list; b; b = b->next) {
        out->free_blocks++;
        if (b->size - HEADER_SIZE > out->largest_free)
            out->largest_free = (size_t)(b->size - HEADER_SIZE);
    }
}
