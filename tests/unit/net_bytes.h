/*
 * tests/unit/net_bytes.h - network byte order and the Internet checksum, for
 * the tests that write and read whole frames (test_bv_ip.c, test_bv_status.c);
 * included by test files only.
 */
#ifndef BOOKVISOR_TESTS_UNIT_NET_BYTES_H
#define BOOKVISOR_TESTS_UNIT_NET_BYTES_H

#include <stddef.h>

#include "common/lib/types.h"

static inline void put16(u8 *p, u16 v)
{
    p[0] = (u8)(v >> 8);
    p[1] = (u8)v;
}

static inline void put32(u8 *p, u32 v)
{
    put16(p, (u16)(v >> 16));
    put16(p + 2, (u16)v);
}

static inline u16 get16(const u8 *p)
{
    return (u16)(p[0] << 8 | p[1]);
}

static inline u32 get32(const u8 *p)
{
    return (u32)get16(p) << 16 | get16(p + 2);
}

/* The Internet checksum (RFC 1071) of len bytes. */
static inline u16 inet_sum(const u8 *p, size_t len)
{
    u32 s = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += get16(p + i);
    if (len & 1)
        s += (u32)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xFFFF) + (s >> 16);
    return (u16)~s;
}

#endif
