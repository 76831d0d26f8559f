/**
 * @file net/lwip/bv_tcp.h
 * @brief A listening TCP socket on lwIP's raw API, for the services (echo,
 *        status). One of the files that include lwIP.
 */
#ifndef BOOKVISOR_NET_LWIP_BV_TCP_H
#define BOOKVISOR_NET_LWIP_BV_TCP_H

#include "common/lib/types.h"

struct tcp_pcb;

/**
 * A new pcb bound to @p port on every address and listening; NULL (and
 * nothing left behind) when lwIP has no pcb or the port is taken.
 */
struct tcp_pcb *bv_tcp_listen_on(u16 port);

#endif
