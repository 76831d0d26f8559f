/**
 * @file net/lwip/bv_status.h
 * @brief The status service on bookvisor's stack (lwIP's raw API; chapter 10, lab 11).
 *
 * A TCP client sends one line ("status" or "version"); the service writes one
 * reply line, waits until the client acknowledged it, and closes. The reply
 * comes from a function the caller passes (net/net_status.c's, in
 * net/net_vmm.c), so that this file needs nothing of bookvisor above lwIP. It
 * runs where lwIP runs: its start and its callbacks belong to the network thread.
 */
#ifndef BOOKVISOR_NET_LWIP_BV_STATUS_H
#define BOOKVISOR_NET_LWIP_BV_STATUS_H

#include "common/lib/types.h"

/** How many request bytes one connection keeps; a longer line is unknown anyway. */
#define BV_STATUS_REQUEST_MAX 32

/**
 * The reply to a request of len bytes, written into out[size] NUL-terminated.
 * Returns its length, or 0 when there is none (the connection just closes).
 */
typedef u32 (*bv_status_reply_fn)(const char *req, u32 len, char *out, u32 size);

/**
 * Listen on a TCP port (any of the stack's addresses) and answer requests.
 * @param port  the TCP port
 * @param reply the function that makes each reply
 * @param log   where lines such as "status: 44 bytes sent, connection closed" go
 * @return 0, or -1 when the service runs already or lwIP refused the port
 */
int bv_status_start(u16 port, bv_status_reply_fn reply, void (*log)(const char *line));

/** How many connections hold memory of the service now (0 when all are closed). */
u32 bv_status_open_connections(void);

#endif
