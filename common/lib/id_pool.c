/*
 * common/lib/id_pool.c - lowest-free allocation of small numbers over a bitmap.
 */
#include "common/lib/id_pool.h"
#include "common/lib/kstring.h"

bool id_pool_init(struct id_pool *p, u32 first, u32 count, u64 *words, size_t nwords)
{
    p->used_bits = NULL;
    p->first = p->count = p->in_use = 0;
    if (first == 0 || count == 0 || (u64)first + count - 1 > 0xFFFFFFFFull ||
        nwords < ID_POOL_WORDS(count))
        return false;
    memset(words, 0, ID_POOL_WORDS(count) * sizeof(u64));
    p->used_bits = words;
    p->first = first;
    p->count = count;
    return true;
}

u32 id_pool_alloc(struct id_pool *p)
{
    for (size_t w = 0; w < ID_POOL_WORDS(p->count); w++) {
        u64 free_bits = ~p->used_bits[w];
        if (!free_bits)
            continue;
        u32 index = (u32)(w * 64) + (u32)__builtin_ctzll(free_bits);
        if (index >= p->count) /* the last word's bits past count are not numbers */
            return 0;
        p->used_bits[w] |= 1ULL << (index % 64);
        p->in_use++;
        return p->first + index;
    }
    return 0;
}

bool id_pool_free(struct id_pool *p, u32 id)
{
    if (id < p->first || id - p->first >= p->count)
        return false;
    u32 index = id - p->first;
    u64 bit = 1ULL << (index % 64);
    if (!(p->used_bits[index / 64] & bit))
        return false;
    p->used_bits[index / 64] &= ~bit;
    p->in_use--;
    return true;
}
