/**
 * @file tests/guest/print.h
 * @brief Minimal formatted output for the test guest.
 *
 * Conversions: %s %c %d %u %x %X %%, optional '0' flag and field width,
 * length modifiers 'l' (32-bit, ignored) and 'll' (64-bit).
 */
#ifndef GUEST_PRINT_H
#define GUEST_PRINT_H

#include <stdarg.h>
#include "gtypes.h"

/**
 * Format into @p buf (always NUL-terminated when @p size > 0).
 * @return number of characters written, not counting the NUL (truncated).
 */
u32 gvsnprintf(char *buf, u32 size, const char *fmt, va_list ap);

/** Format into @p buf; see gvsnprintf(). */
u32 gsnprintf(char *buf, u32 size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** Format and send to COM1. Lines end in a plain '\n'. */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
