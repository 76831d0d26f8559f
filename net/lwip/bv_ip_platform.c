/*
 * net/lwip/bv_ip_platform.c - where lwIP's diagnostics and assertions go in
 * the VMM (chapter 10): bookvisor's log, and a panic with lwIP's message.
 * The host tests give their own (tests/unit/test_bv_ip.c).
 */
#include <stdarg.h>
#include "common/base/kprintf.h"
#include "common/base/panic.h"

void bv_ip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bv_ip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));

void bv_ip_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("lwip: ");
    kvprintf(fmt, ap);
    va_end(ap);
}

void bv_ip_assert(const char *msg, const char *file, int line)
{
    panic("lwIP assertion failed: %s (%s:%d)", msg, file, line);
}
