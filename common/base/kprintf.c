/*
 * common/base/kprintf.c - stream formatted text to the console.
 */
#include "common/base/kprintf.h"
#include "common/base/console.h"
#include "common/lib/format.h"

static void kprintf_emit(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    console_write(s, n);
}

int kvprintf(const char *fmt, va_list ap)
{
    return kvformat(kprintf_emit, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
