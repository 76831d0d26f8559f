/**
 * @file tests/guest/gtypes.h
 * @brief Fixed-width types and small helpers for the test guest.
 *
 * The guest is a separate 32-bit program, so it keeps its own tiny header
 * instead of pulling in the VMM's tree.
 */
#ifndef GUEST_GTYPES_H
#define GUEST_GTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;   /**< unsigned 8-bit */
typedef uint16_t u16; /**< unsigned 16-bit */
typedef uint32_t u32; /**< unsigned 32-bit */
typedef uint64_t u64; /**< unsigned 64-bit */
typedef int32_t s32;  /**< signed 32-bit */

/** Number of elements of a true array. */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** One KiB, MiB and GiB as 64-bit constants. */
#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)

/** First address the 32-bit guest cannot reach with paging off. */
#define FOUR_GIB (4ULL * GIB)

#endif
