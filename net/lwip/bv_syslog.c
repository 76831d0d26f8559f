/*
 * net/lwip/bv_syslog.c - one UDP socket for syslog datagrams (see bv_syslog.h).
 * One of the files that include lwIP.
 */
#include "net/lwip/bv_syslog.h"
#include "lwip/ip4_addr.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"

static struct udp_pcb *sender;
static ip_addr_t server;
static u16 server_port;

int bv_syslog_open(u32 ip, u16 port)
{
    if (!sender)
        sender = udp_new();
    if (!sender)
        return -1;
    ip_addr_set_ip4_u32(&server, lwip_htonl(ip));
    server_port = port;
    return 0;
}

int bv_syslog_send(const char *text, u16 len)
{
    struct pbuf *p;
    err_t err;

    if (!sender)
        return -1;
    p = pbuf_alloc(PBUF_TRANSPORT, len, PBUF_RAM);
    if (!p)
        return -1;
    if (pbuf_take(p, text, len) != ERR_OK) {
        pbuf_free(p);
        return -1;
    }
    err = udp_sendto(sender, p, &server, server_port);
    pbuf_free(p);
    return err == ERR_OK ? 0 : -1;
}
