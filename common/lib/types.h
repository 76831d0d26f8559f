/**
 * @file common/lib/types.h
 * @brief Fixed-width integer types shared by the VMM and host unit tests.
 *
 * Only freestanding headers are used, so the same file compiles with
 * -ffreestanding for the VMM and with the host C library for tests.
 */
#ifndef BOOKVISOR_COMMON_LIB_TYPES_H
#define BOOKVISOR_COMMON_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;   /**< unsigned 8-bit */
typedef uint16_t u16; /**< unsigned 16-bit */
typedef uint32_t u32; /**< unsigned 32-bit */
typedef uint64_t u64; /**< unsigned 64-bit */
typedef int8_t s8;    /**< signed 8-bit */
typedef int16_t s16;  /**< signed 16-bit */
typedef int32_t s32;  /**< signed 32-bit */
typedef int64_t s64;  /**< signed 64-bit */

/** Number of elements of a true array. */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** Round x up to a multiple of the power of two a. */
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
/** Round x down to a multiple of the power of two a. */
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

/** Size constants. */
#define KIB 1024ULL
#define MIB (1024ULL * KIB) /**< 2^20 bytes */
#define GIB (1024ULL * MIB) /**< 2^30 bytes */

#endif
