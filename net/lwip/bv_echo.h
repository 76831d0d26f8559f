/**
 * @file net/lwip/bv_echo.h
 * @brief A TCP echo server on bookvisor's stack (lwIP's raw API; chapter 10).
 *
 * Whatever a client sends comes back unchanged, as RFC 862 describes
 * (port 7 by convention). It runs where lwIP runs: its start and its
 * callbacks belong to the network thread.
 */
#ifndef BOOKVISOR_NET_LWIP_BV_ECHO_H
#define BOOKVISOR_NET_LWIP_BV_ECHO_H

#include "common/lib/types.h"

/**
 * Listen on a TCP port (any of the stack's addresses) and echo every byte.
 * @param port the TCP port, e.g. 7
 * @param log where lines such as "echo: connection closed, 12 bytes echoed" go
 * @return 0, or -1 when the server runs already or lwIP refused the port
 */
int bv_echo_start(u16 port, void (*log)(const char *line));

#endif
