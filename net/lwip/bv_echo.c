/*
 * net/lwip/bv_echo.c - a TCP echo server on lwIP's raw API (see bv_echo.h).
 * One of the files that include lwIP.
 */
#include "net/lwip/bv_echo.h"
#include "net/lwip/bv_log.h"
#include "net/lwip/bv_tcp.h"
#include "lwip/tcp.h"

static struct tcp_pcb *listener;
static void (*echo_log)(const char *line);

/* "prefix<n>suffix" to this service's log (net/lwip/bv_log.h). */
static void log_count(const char *prefix, u32 n, const char *suffix)
{
    bv_log_count(echo_log, prefix, n, suffix);
}

/* Bytes one connection echoed, kept in the pcb's arg (no allocation). */
static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    u32 echoed = (u32)(uintptr_t)arg;

    if (!p) {
        /* The client closed its side: close ours. */
        log_count("echo: connection closed, ", echoed, " bytes echoed");
        tcp_arg(pcb, NULL);
        tcp_recv(pcb, NULL);
        if (tcp_close(pcb) != ERR_OK)
            tcp_abort(pcb);
        return ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    /* No room to send it all back yet: lwIP keeps the data and offers it again. */
    if (tcp_sndbuf(pcb) < p->tot_len)
        return ERR_MEM;
    for (struct pbuf *q = p; q; q = q->next)
        if (q->len && tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY) != ERR_OK)
            return ERR_MEM;
    tcp_output(pcb);
    tcp_recved(pcb, p->tot_len);
    tcp_arg(pcb, (void *)(uintptr_t)(echoed + p->tot_len));
    pbuf_free(p);
    return ERR_OK;
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, echo_recv);
    if (echo_log)
        echo_log("echo: connection accepted");
    return ERR_OK;
}

int bv_echo_start(u16 port, void (*log)(const char *line))
{
    if (listener)
        return -1;
    listener = bv_tcp_listen_on(port);
    if (!listener)
        return -1;
    echo_log = log;
    tcp_accept(listener, echo_accept);
    log_count("echo: server listening on TCP port ", port, "");
    return 0;
}

int bv_echo_stop(void)
{
    if (!listener)
        return -1;
    /* Connections already accepted go on until their clients close them. */
    tcp_accept(listener, NULL);
    if (tcp_close(listener) != ERR_OK)
        tcp_abort(listener);
    listener = NULL;
    if (echo_log)
        echo_log("echo: server stopped");
    return 0;
}
