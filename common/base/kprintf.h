/**
 * @file common/base/kprintf.h
 * @brief Formatted output to the VMM console (VMM only).
 */
#ifndef BOOKVISOR_COMMON_BASE_KPRINTF_H
#define BOOKVISOR_COMMON_BASE_KPRINTF_H

#include <stdarg.h>
#include "common/lib/types.h"

/** printf to the console; conversions as in common/lib/format.h. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** va_list form of kprintf(). */
int kvprintf(const char *fmt, va_list ap);

#endif
