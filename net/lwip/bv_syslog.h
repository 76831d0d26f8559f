/**
 * @file net/lwip/bv_syslog.h
 * @brief Syslog datagrams over UDP on bookvisor's stack (lwIP's raw API; chapter 10).
 *
 * Called from the network thread only, like every lwIP call.
 */
#ifndef BOOKVISOR_NET_LWIP_BV_SYSLOG_H
#define BOOKVISOR_NET_LWIP_BV_SYSLOG_H

#include "common/lib/types.h"

/**
 * Aim the syslog sender at ip:port (a UDP socket of its own).
 * @param ip   a.b.c.d as (a << 24) | (b << 16) | (c << 8) | d
 * @param port UDP port, 514 by convention
 * @return 0, or -1 when lwIP has no UDP socket left
 */
int bv_syslog_open(u32 ip, u16 port);

/**
 * Send one datagram holding the bytes given (the caller has put the
 * priority and the tag in front).
 * @return 0, or -1 when not open, out of buffers or lwIP refused to send
 */
int bv_syslog_send(const char *text, u16 len);

#endif
