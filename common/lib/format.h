/**
 * @file common/lib/format.h
 * @brief printf-style formatting into a buffer (pure, host-testable).
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, length modifiers hh h l ll z,
 * flags '-' and '0', a field width (number or '*') and, for %s, a precision.
 */
#ifndef BOOKVISOR_COMMON_LIB_FORMAT_H
#define BOOKVISOR_COMMON_LIB_FORMAT_H

#include <stdarg.h>
#include "common/lib/types.h"

/**
 * Format into buf (at most size bytes, always NUL-terminated when size > 0).
 * @return the length the full output would have had (like C99 vsnprintf).
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/** As kvsnprintf() with variadic arguments. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Append formatted output at *pos of buf[size] and advance *pos by the full
 * length, even past size: a sequence of calls builds one line, and *pos
 * says how long it would have been. Truncated output stays NUL-terminated.
 * @return the length this call's output would have had
 */
int ksnappendf(char *buf, size_t size, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/**
 * Callback form: each piece of output is handed to emit(ctx, text, len).
 * Used by kprintf() to stream to the console without a buffer limit.
 * @return the total number of characters emitted.
 */
int kvformat(void (*emit)(void *ctx, const char *s, size_t n), void *ctx,
             const char *fmt, va_list ap);

#endif
