/**
 * @file net/syslog_vmm.h
 * @brief bookvisor's log as syslog datagrams over UDP (`ip.syslog`; VMM only; chapter 10).
 *
 * Once the stack has an address, every log line is also put in a bounded
 * ring (net/log_ring.h) by a console tap, from any processor; the network
 * thread takes the chunks out and sends each as one UDP datagram
 * "<14>bookvisor: text" (user.info, tag `bookvisor:`). A full ring drops and
 * counts; the log itself never waits for the network.
 */
#ifndef BOOKVISOR_NET_SYSLOG_VMM_H
#define BOOKVISOR_NET_SYSLOG_VMM_H

#include "common/lib/types.h"

/** The UDP port of `ip.syslog=<ip>` without one. */
#define SYSLOG_DEFAULT_PORT 514

/**
 * Start sending when `ip.syslog` is set: from the network thread, once the
 * stack has its address. A bad option value is logged and ignored.
 */
void syslog_start(void);

/** Send the chunks waiting (network thread). */
void syslog_drain(void);

/** Chunks dropped (ring full, or a writer that found it busy too long) and datagrams lwIP refused. */
void syslog_counts(u64 *dropped, u64 *send_failed);

#endif
