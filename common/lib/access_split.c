/**
 * @file common/lib/access_split.c
 * @brief Naturally aligned pieces of an access (see access_split.h).
 */
#include "common/lib/access_split.h"

unsigned access_split(u64 addr, unsigned size, struct access_piece out[ACCESS_SPLIT_MAX])
{
    unsigned n = 0, done = 0;

    if (size == 0 || size > 16)
        return 0;
    while (done < size) {
        unsigned left = size - done, piece = 8;

        /* The largest power of two that divides addr and fits what is left. */
        while (piece > left || (addr & (piece - 1)))
            piece >>= 1;
        out[n].addr = addr;
        out[n].size = (u8)piece;
        out[n].offset = (u8)done;
        n++;
        addr += piece;
        done += piece;
    }
    return n;
}

bool access_crosses_page(u64 addr, unsigned size)
{
    return size > 0 && (addr & 0xFFF) + size > 0x1000;
}

unsigned access_split_owned(u64 addr, unsigned size, access_owner_fn owner, void *ctx,
                            bool bytes, struct access_owned_piece out[ACCESS_SPLIT_MAX])
{
    unsigned n = 0;

    if (size == 0 || size > 8)
        return 0;
    for (unsigned at = 0; at < size;) {
        unsigned who = owner(ctx, addr + at), end = at + 1;
        while (end < size && owner(ctx, addr + end) == who)
            end++;
        struct access_piece run[ACCESS_SPLIT_MAX];
        unsigned k = bytes ? end - at : access_split(addr + at, end - at, run);
        for (unsigned i = 0; i < k; i++) {
            if (bytes)
                run[i] = (struct access_piece){ addr + at + i, 1, 0 };
            out[n].piece = run[i];
            out[n].piece.offset = (u8)(run[i].addr - addr);
            out[n].owner = who;
            n++;
        }
        at = end;
    }
    return n;
}
