/**
 * @file common/lib/inet_sum.h
 * @brief The Internet checksum (RFC 1071) of IPv4, UDP and TCP headers (pure).
 *
 * The ones'-complement sum of 16-bit big-endian words: add the pieces with
 * inet_sum_add(), then inet_sum_fold() gives the field's value. Used by the
 * pro1000's transmit offloads (drivers/pro1000_offload.h) and by the log's
 * own frames (net/syslog_frame.h).
 */
#ifndef BOOKVISOR_COMMON_LIB_INET_SUM_H
#define BOOKVISOR_COMMON_LIB_INET_SUM_H

#include "common/lib/types.h"

/**
 * Add len bytes to a running sum, as big-endian 16-bit words; an odd last
 * byte is the high half of a word whose low half is 0, so only the last
 * piece of a sum may have an odd length. Sums of up to 64 KiB cannot
 * overflow the u32.
 */
u32 inet_sum_add(u32 sum, const u8 *bytes, size_t len);

/** The checksum field for a sum: the carries folded in, then complemented. */
u16 inet_sum_fold(u32 sum);

#endif
