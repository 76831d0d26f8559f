/*
 * tests/unit/lwip_host.h - what lwIP's platform (net/lwip/bv_ip_platform.c in
 * the VMM) gives it on the host: diagnostics on stdout, assertions abort.
 * Included once by each test that links lwIP (test_bv_ip.c, test_bv_status.c).
 */
#ifndef BOOKVISOR_TESTS_UNIT_LWIP_HOST_H
#define BOOKVISOR_TESTS_UNIT_LWIP_HOST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void bv_ip_diag(const char *fmt, ...);
void bv_ip_assert(const char *msg, const char *file, int line);

void bv_ip_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void bv_ip_assert(const char *msg, const char *file, int line)
{
    fprintf(stderr, "lwIP assertion: %s (%s:%d)\n", msg, file, line);
    abort();
}

#endif
