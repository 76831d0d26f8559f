/**
 * @file tests/guest/memtest.c
 * @brief The pattern passes of the memory test.
 *
 * Each word gets a value derived from its own address, so a write that
 * lands somewhere else (a stuck address line, two addresses backed by the
 * same RAM) shows up as a mismatch on read-back.
 */
#include "memtest.h"

#define WORD_SALT 0xA5C3F00Fu
#define BYTE_SALT 0x5Au
#define EDGE_BYTES 4096u

static u32 word_pattern(u32 addr)
{
    return addr ^ WORD_SALT;
}

static u8 byte_pattern(u32 addr)
{
    return (u8)(addr ^ (addr >> 8) ^ (addr >> 16) ^ BYTE_SALT);
}

static void note_mismatch(struct memtest_error *err, u32 addr, u32 wrote, u32 read, bool byte_pass)
{
    if (err->mismatches++ == 0) {
        err->addr = addr;
        err->wrote = wrote;
        err->read = read;
        err->byte_pass = byte_pass;
    }
}

/* Counting words instead of comparing pointers: end may be 4 GiB, which
 * wraps to 0 in a 32-bit pointer. */
static void word_pass(u32 start, u32 words, struct memtest_error *err)
{
    volatile u32 *p = (volatile u32 *)start;
    for (u32 i = 0; i < words; i++)
        p[i] = word_pattern(start + i * 4);
    for (u32 i = 0; i < words; i++) {
        u32 expect = word_pattern(start + i * 4);
        u32 got = p[i];
        if (got != expect)
            note_mismatch(err, start + i * 4, expect, got, false);
    }
}

static void byte_pass(u32 start, u32 bytes, struct memtest_error *err)
{
    volatile u8 *p = (volatile u8 *)start;
    for (u32 i = 0; i < bytes; i++)
        p[i] = byte_pattern(start + i);
    for (u32 i = 0; i < bytes; i++) {
        u8 expect = byte_pattern(start + i);
        u8 got = p[i];
        if (got != expect)
            note_mismatch(err, start + i, expect, got, true);
    }
}

bool memtest_range(u32 start, u64 end, struct memtest_error *err)
{
    err->mismatches = 0;
    if (end <= start)
        return true;

    u64 word_start = ((u64)start + 3) & ~3ULL;
    u64 word_end = end & ~3ULL;
    if (word_end > word_start)
        word_pass((u32)word_start, (u32)((word_end - word_start) / 4), err);

    u64 length = end - start;
    u32 edge = length < EDGE_BYTES ? (u32)length : EDGE_BYTES;
    byte_pass(start, edge, err);
    byte_pass((u32)(end - edge), edge, err);
    return err->mismatches == 0;
}
