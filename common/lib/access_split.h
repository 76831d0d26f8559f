/**
 * @file common/lib/access_split.h
 * @brief Cut a memory or port access into naturally aligned pieces (pure).
 *
 * A guest access bookvisor carries out for the guest (an emulated MMIO
 * access, one element of a string instruction, the lanes of a port access
 * that several hooks share) may be unaligned and may cross a 4 KiB page.
 * Devices and configuration space answer per naturally aligned unit, and
 * the pages on both sides of a boundary may belong to different owners
 * (two PCI functions' ECAM pages, a hooked page next to RAM). So such an
 * access is cut into pieces of 1, 2, 4 or 8 bytes, each aligned to its own
 * size, in address order, each as large as its alignment and the bytes left
 * allow. An aligned piece never crosses a 4 KiB page (chapters 05 and 06).
 */
#ifndef BOOKVISOR_COMMON_LIB_ACCESS_SPLIT_H
#define BOOKVISOR_COMMON_LIB_ACCESS_SPLIT_H

#include "common/lib/types.h"

/** One piece of an access. */
struct access_piece {
    u64 addr;   /**< first byte of the piece */
    u8 size;    /**< 1, 2, 4 or 8, and addr is a multiple of it */
    u8 offset;  /**< bytes from the start of the access to the piece */
};

/** Most pieces an access of up to 16 bytes is cut into (1+2+4+8+1). */
#define ACCESS_SPLIT_MAX 8

/**
 * Cut [addr, addr + size) into naturally aligned pieces.
 * @param addr  first byte (a guest-linear or guest-physical address, or a port)
 * @param size  1 to 16 bytes
 * @param out   receives the pieces in address order
 * @return the number of pieces (0 when size is 0 or above 16)
 */
unsigned access_split(u64 addr, unsigned size, struct access_piece out[ACCESS_SPLIT_MAX]);

/**
 * Who carries out one lane (byte) of a port access: a number the caller
 * chooses (e.g. 0 for the hardware, other values for hooks).
 */
typedef unsigned (*access_owner_fn)(void *ctx, u64 lane);

/** One piece of an access whose lanes have owners. */
struct access_owned_piece {
    struct access_piece piece; /**< where it is */
    unsigned owner; /**< whose lanes these are (the same for all of them) */
};

/**
 * Cut [addr, addr + size) (1 to 8 bytes) where the owner of its lanes
 * changes, and each run into naturally aligned pieces (or single bytes when
 * bytes is true), in address order.
 * @return the number of pieces (0 for a bad size)
 */
unsigned access_split_owned(u64 addr, unsigned size, access_owner_fn owner, void *ctx,
                            bool bytes, struct access_owned_piece out[ACCESS_SPLIT_MAX]);

/** Does [addr, addr + size) cross a 4 KiB page boundary? */
bool access_crosses_page(u64 addr, unsigned size);

/** The size bytes of value that start offset bytes in (little endian). */
static inline u64 access_bytes_get(u64 value, unsigned offset, unsigned size)
{
    u64 v = offset >= 8 ? 0 : value >> (8 * offset);
    return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

/** value with the size bytes at offset replaced by part. */
static inline u64 access_bytes_put(u64 value, unsigned offset, unsigned size, u64 part)
{
    if (offset >= 8)
        return value;
    u64 mask = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
    return (value & ~(mask << (8 * offset))) | ((part & mask) << (8 * offset));
}

#endif
