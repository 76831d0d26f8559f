/*
 * net/lwip/bv_log.c - "prefix<n>suffix" log lines for the lwIP services,
 * without a formatter.
 */
#include "net/lwip/bv_log.h"

void bv_log_count(void (*log)(const char *line), const char *prefix, u32 n, const char *suffix)
{
    char line[96], digits[11];
    unsigned len = 0, nd = 0;

    if (!log)
        return;
    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (; *prefix && len < sizeof(line) - 1; prefix++)
        line[len++] = *prefix;
    while (nd && len < sizeof(line) - 1)
        line[len++] = digits[--nd];
    for (; *suffix && len < sizeof(line) - 1; suffix++)
        line[len++] = *suffix;
    line[len] = '\0';
    log(line);
}
