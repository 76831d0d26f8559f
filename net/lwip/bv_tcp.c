/*
 * net/lwip/bv_tcp.c - a listening TCP socket for the lwIP services (see
 * bv_tcp.h). One of the files that include lwIP.
 */
#include "net/lwip/bv_tcp.h"
#include "lwip/tcp.h"

struct tcp_pcb *bv_tcp_listen_on(u16 port)
{
    struct tcp_pcb *pcb = tcp_new();
    if (!pcb)
        return NULL;
    if (tcp_bind(pcb, IP_ANY_TYPE, port) != ERR_OK) {
        tcp_close(pcb);
        return NULL;
    }
    struct tcp_pcb *listener = tcp_listen(pcb);
    if (!listener)
        tcp_close(pcb); /* tcp_listen() frees pcb only when it succeeds */
    return listener;
}
