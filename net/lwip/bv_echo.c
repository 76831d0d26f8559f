/*
 * net/lwip/bv_echo.c - a TCP echo server on lwIP's raw API (see bv_echo.h).
 * One of the files that include lwIP.
 */
#include "net/lwip/bv_echo.h"
#include "net/lwip/bv_log.h"
#include "net/lwip/bv_tcp.h"
#include "lwip/tcp.h"

/* At most this many connections at once: a fifth peer is refused, so the
 * server's memory is this table and, per connection, at most one receive
 * window of held data, whatever the peers do. */
#define ECHO_CONNS 4
/* lwIP calls the poll callback every 2 * 500 ms. */
#define ECHO_POLL_INTERVAL 2

struct echo_conn {
    bool used;
    bool closing;       /* the client closed its side: close ours once held is out */
    struct pbuf *held;  /* received, not yet written back */
    u32 echoed;         /* bytes written back, for the log */
};

static struct echo_conn conns[ECHO_CONNS];
static struct tcp_pcb *listener;
static void (*echo_log)(const char *line);

/* "prefix<n>suffix" to this service's log (net/lwip/bv_log.h). */
static void log_count(const char *prefix, u32 n, const char *suffix)
{
    bv_log_count(echo_log, prefix, n, suffix);
}

/* Free what the slot holds and the slot itself. */
static void echo_forget(struct echo_conn *c)
{
    if (c->held)
        pbuf_free(c->held);
    c->held = NULL;
    c->used = false;
}

/* Log, forget pcb's callbacks and slot, close (or abort when lwIP has no
 * memory for the FIN). Returns what the callback that closes must return. */
static err_t echo_close(struct tcp_pcb *pcb, struct echo_conn *c)
{
    log_count("echo: connection closed, ", c->echoed, " bytes echoed");
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
    echo_forget(c);
    if (tcp_close(pcb) == ERR_OK)
        return ERR_OK;
    tcp_abort(pcb);
    return ERR_ABRT; /* lwIP must not touch pcb again after this callback */
}

/* The held chain without its first pbuf, which is freed. */
static struct pbuf *drop_first(struct pbuf *head)
{
    struct pbuf *next = head->next;

    head->next = NULL; /* free this one alone; the rest stays held */
    pbuf_free(head);
    return next;
}

/*
 * Write back as much of the held data as the send buffer takes, and open the
 * receive window by exactly that much: a client that sends faster than its
 * echo drains is slowed by TCP's own window. Refusing its segment instead
 * (returning ERR_MEM from the receive callback) stalled the bench's 4 MiB
 * echo for good: while lwIP holds refused data it drops every arriving
 * segment that carries data, the ACKs they carry with them too, and only
 * those ACKs could free the send buffer the refused data waits for.
 * Then close, once the client has closed and everything is written.
 */
static err_t echo_progress(struct tcp_pcb *pcb, struct echo_conn *c)
{
    while (c->held) {
        u16_t n = c->held->len;

        if (n == 0) {
            c->held = drop_first(c->held);
            continue;
        }
        if (n > tcp_sndbuf(pcb))
            n = tcp_sndbuf(pcb);
        if (n == 0 || tcp_write(pcb, c->held->payload, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break; /* again from the sent or poll callback */
        c->held = pbuf_free_header(c->held, n);
        c->echoed += n;
        tcp_recved(pcb, n);
    }
    tcp_output(pcb);
    if (c->closing && !c->held)
        return echo_close(pcb, c);
    return ERR_OK;
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct echo_conn *c = arg;

    if (!p) {
        c->closing = true; /* the client closed its side */
        return echo_progress(pcb, c);
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    if (c->held)
        pbuf_cat(c->held, p);
    else
        c->held = p;
    return echo_progress(pcb, c);
}

/* The client acknowledged some of the echo: room for more. */
static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)len;
    return echo_progress(pcb, arg);
}

/* Every second: a write lwIP refused for memory is tried again. */
static err_t echo_poll(void *arg, struct tcp_pcb *pcb)
{
    return echo_progress(pcb, arg);
}

/* lwIP freed the pcb itself (a reset, a timeout): only the slot is left. */
static void echo_err(void *arg, err_t err)
{
    (void)err;
    if (arg)
        echo_forget(arg);
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct echo_conn *c = NULL;

    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    for (u32 i = 0; i < ECHO_CONNS && !c; i++)
        if (!conns[i].used)
            c = &conns[i];
    if (!c) {
        log_count("echo: connection refused, ", ECHO_CONNS, " open already");
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    *c = (struct echo_conn){ .used = true };
    tcp_arg(pcb, c);
    tcp_recv(pcb, echo_recv);
    tcp_sent(pcb, echo_sent);
    tcp_err(pcb, echo_err);
    tcp_poll(pcb, echo_poll, ECHO_POLL_INTERVAL);
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
