/**
 * @file net/syslog_vmm.h
 * @brief bookvisor's log as syslog datagrams over UDP (`ip.syslog`; VMM only; chapter 10).
 *
 * Once the stack has an address, every log line is also put in a bounded
 * ring (net/log_ring.h) by a console tap, from any processor; the network
 * thread takes the chunks out and sends each as one UDP datagram
 * "<14>bookvisor: text" (user.info, tag `bookvisor:`). A full ring drops and
 * counts; the log itself never waits for the network.
 *
 * Two ways out: through bookvisor's stack (lwIP), or, when the log's NIC
 * (`tty=1`) has no stack on it (`net=pass`), in frames bookvisor builds
 * itself (net/syslog_frame.h) and sends beside the guest's with
 * netapi_log_send(). One of the two starts, once.
 */
#ifndef BOOKVISOR_NET_SYSLOG_VMM_H
#define BOOKVISOR_NET_SYSLOG_VMM_H

#include "common/lib/types.h"

struct net_nic;

/** The UDP port of `ip.syslog=<ip>` without one. */
#define SYSLOG_DEFAULT_PORT 514

/**
 * Start sending when `ip.syslog` is set: from the network thread, once the
 * stack has its address. A bad option value is logged and ignored.
 */
void syslog_start(void);

/**
 * Start sending in frames of bookvisor's own on nic, the log's NIC with no
 * stack on it, when `ip.syslog` is set (network thread). The frames go from
 * `ip.ipaddr` and the NIC's MAC to `ip.syslog` at `ip.syslog_mac` (default
 * the broadcast address). A missing or bad option is said, and no log is
 * sent.
 */
void syslog_start_frames(struct net_nic *nic);

/** Send the chunks waiting (network thread). */
void syslog_drain(void);

/** Chunks dropped (ring full, or a writer that found it busy too long) and datagrams lwIP refused. */
void syslog_counts(u64 *dropped, u64 *send_failed);

#endif
