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

/**
 * Stop listening ("echo: server stopped"); connections already open go on.
 * @return 0, or -1 when no server runs
 */
int bv_echo_stop(void);

/**
 * Connect the echo client to ip:port; what the server sends back is logged
 * as "echo client: received <text>". One connection at a time.
 * @param ip   a.b.c.d as (a << 24) | (b << 16) | (c << 8) | d
 * @param port the server's TCP port
 * @param log  where its lines go
 * @return 0 when the connection is under way (its result is logged), or -1
 *         when a connection is open already or lwIP refused
 */
int bv_echo_client_connect(u32 ip, u16 port, void (*log)(const char *line));

/**
 * Send text and a newline on the client's connection.
 * @return 0, or -1 when it is not connected or lwIP has no room
 */
int bv_echo_client_send(const char *text);

/** Is the client's connection under way (asked for, not yet connected nor failed)? */
bool bv_echo_client_connecting(void);

/** Close the client's connection. @return 0, or -1 when there is none */
int bv_echo_client_close(void);

#endif
