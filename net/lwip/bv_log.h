/**
 * @file net/lwip/bv_log.h
 * @brief One log line with a number in it, for the lwIP services (which may not
 *        use bookvisor's formatter: they are compiled with lwIP's flags).
 */
#ifndef BOOKVISOR_NET_LWIP_BV_LOG_H
#define BOOKVISOR_NET_LWIP_BV_LOG_H

#include "common/lib/types.h"

/**
 * Hand @p log the line "<prefix><n in decimal><suffix>", cut at 95 bytes;
 * nothing when @p log is NULL.
 */
void bv_log_count(void (*log)(const char *line), const char *prefix, u32 n, const char *suffix);

#endif
