/*
 * common/lib/inet_sum.c - the Internet checksum (see inet_sum.h).
 */
#include "common/lib/inet_sum.h"

u32 inet_sum_add(u32 sum, const u8 *bytes, size_t len)
{
    for (size_t i = 0; i < len; i += 2) {
        sum += (u32)bytes[i] << 8;
        if (i + 1 < len)
            sum += bytes[i + 1];
    }
    return sum;
}

u16 inet_sum_fold(u32 sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (u16)~sum;
}
