/**
 * @file tests/guest/gstring.h
 * @brief The few string/memory routines the guest (and the compiler) needs.
 */
#ifndef GUEST_GSTRING_H
#define GUEST_GSTRING_H

#include "gtypes.h"

/** Fill @p n bytes at @p dst with @p c. The compiler may call this itself. */
void *memset(void *dst, int c, size_t n);

/** Copy @p n bytes (regions must not overlap). The compiler may call this. */
void *memcpy(void *dst, const void *src, size_t n);

/** Compare @p n bytes; <0, 0, >0 like the C library. */
int memcmp(const void *a, const void *b, size_t n);

/** Length of a NUL-terminated string. */
size_t strlen(const char *s);

#endif
