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
