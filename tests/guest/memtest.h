/**
 * @file tests/guest/memtest.h
 * @brief Write-then-verify patterns over one physical range (paging off).
 */
#ifndef GUEST_MEMTEST_H
#define GUEST_MEMTEST_H

#include "gtypes.h"

/** First mismatch found in a range, and how many there were. */
struct memtest_error {
    u32 mismatches; /**< words/bytes that read back wrong */
    u32 addr; /**< address of the first one */
    u32 wrote; /**< value written there */
    u32 read; /**< value read back */
    bool byte_pass; /**< found by the byte pass (else the word pass) */
};

/**
 * Test [@p start, @p end) (end at most 4 GiB): an address-derived 32-bit
 * pattern over every aligned word, then a byte pattern over the first and
 * last 4 KiB, which also covers unaligned edges.
 * @return true if everything read back as written; else @p err is filled.
 */
bool memtest_range(u32 start, u64 end, struct memtest_error *err);

#endif
