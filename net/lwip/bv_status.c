/*
 * net/lwip/bv_status.c - the status service on lwIP's raw API (see
 * bv_status.h). One of the files that include lwIP.
 */
#include "net/lwip/bv_status.h"
#include "net/lwip/bv_log.h"
#include "net/lwip/bv_tcp.h"
#include "lwip/tcp.h"

/* At most this many connections at once: a peer that opens more is refused,
 * so the service's memory is this table, whatever the peers do. */
#define STATUS_CONNS 4
/* lwIP calls the poll callback every 2 * 500 ms; a connection that stays
 * silent or unacknowledged for this many calls is aborted. */
#define STATUS_POLL_INTERVAL 2
#define STATUS_IDLE_POLLS 10

struct status_conn {
    bool used;
    bool answered;   /* the reply is written: the rest of the input is discarded */
    u32 len;         /* request bytes kept in req */
    u32 unacked;     /* reply bytes the peer has not acknowledged yet */
    u32 sent;        /* reply bytes written, for the log */
    u32 idle;        /* poll calls since the last sign of life */
    char req[BV_STATUS_REQUEST_MAX];
};

static struct status_conn conns[STATUS_CONNS];
static struct tcp_pcb *listener;
static bv_status_reply_fn status_reply;
static void (*status_log)(const char *line);

/* "prefix<n>suffix" to this service's log (net/lwip/bv_log.h). */
static void log_count(const char *prefix, u32 n, const char *suffix)
{
    bv_log_count(status_log, prefix, n, suffix);
}

/* Forget pcb's callbacks and its slot, then close it (or abort it when lwIP
 * has no memory for the FIN: the peer gets a reset instead). Returns what
 * the callback that closes must return. */
static err_t status_close(struct tcp_pcb *pcb, struct status_conn *c)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
    c->used = false;
    if (tcp_close(pcb) == ERR_OK)
        return ERR_OK;
    tcp_abort(pcb);
    return ERR_ABRT; /* lwIP must not touch pcb again after this callback */
}

/* Write the reply to what the request holds now; close once it is acknowledged. */
static void status_answer(struct tcp_pcb *pcb, struct status_conn *c)
{
    char out[128];
    u32 n = status_reply(c->req, c->len, out, sizeof(out));

    c->answered = true;
    if (n && n <= tcp_sndbuf(pcb) && tcp_write(pcb, out, (u16_t)n, TCP_WRITE_FLAG_COPY) == ERR_OK) {
        c->unacked = n;
        c->sent = n;
        tcp_output(pcb);
    }
}

static err_t status_sent(void *arg, struct tcp_pcb *pcb, u16_t acked)
{
    struct status_conn *c = arg;

    c->idle = 0;
    c->unacked = acked < c->unacked ? c->unacked - acked : 0;
    if (!c->unacked) {
        log_count("status: ", c->sent, " bytes sent, connection closed");
        return status_close(pcb, c);
    }
    return ERR_OK;
}

static err_t status_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct status_conn *c = arg;

    /* LAB 11 BEGIN: part 2: take the received bytes: keep the request, answer it, give the window back, free the chain */
    /* LAB 11 FALLBACK: if (p) { c->len = pbuf_copy_partial(p, c->req, sizeof(c->req), 0); tcp_recved(pcb, p->tot_len); pbuf_free(p); } if (!c->answered) status_answer(pcb, c); if (c->unacked) return ERR_OK; log_count("status: ", c->sent, " bytes sent, connection closed"); return status_close(pcb, c); */
    if (!p) {
        /* The peer closed its side: answer what it sent, or just close. */
        if (!c->answered)
            status_answer(pcb, c);
        if (!c->unacked) {
            log_count("status: ", c->sent, " bytes sent, connection closed");
            return status_close(pcb, c);
        }
        return ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    c->idle = 0;
    /* Every byte is taken: kept while the request is open and has room,
     * dropped otherwise, and always given back to the window, before the
     * reply goes out so that the reply's segment shows the window whole. */
    bool complete = c->answered;
    for (struct pbuf *q = p; q && !complete; q = q->next) {
        const char *b = q->payload;
        for (u16_t i = 0; i < q->len && !complete; i++) {
            c->req[c->len++] = b[i];
            complete = b[i] == '\n' || c->len == sizeof(c->req);
        }
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    if (complete && !c->answered)
        status_answer(pcb, c);
    /* No reply could be written (none, or no room): nothing to wait for. */
    if (c->answered && !c->unacked) {
        log_count("status: ", c->sent, " bytes sent, connection closed");
        return status_close(pcb, c);
    }
    return ERR_OK;
    /* LAB 11 END */
}

/* lwIP freed the pcb (a reset, or our abort): only the slot is left to free. */
static void status_err(void *arg, err_t err)
{
    struct status_conn *c = arg;

    (void)err;
    if (c)
        c->used = false;
}

static err_t status_poll(void *arg, struct tcp_pcb *pcb)
{
    struct status_conn *c = arg;

    if (++c->idle < STATUS_IDLE_POLLS)
        return ERR_OK;
    if (status_log)
        status_log("status: connection idle too long, aborted");
    c->used = false;
    tcp_arg(pcb, NULL);
    tcp_abort(pcb);
    return ERR_ABRT;
}

static err_t status_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct status_conn *c = NULL;

    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    for (unsigned i = 0; i < STATUS_CONNS && !c; i++)
        if (!conns[i].used)
            c = &conns[i];
    if (!c) {
        if (status_log)
            status_log("status: too many connections, one refused");
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    *c = (struct status_conn){ .used = true };
    tcp_arg(pcb, c);
    tcp_recv(pcb, status_recv);
    tcp_sent(pcb, status_sent);
    tcp_err(pcb, status_err);
    tcp_poll(pcb, status_poll, STATUS_POLL_INTERVAL);
    if (status_log)
        status_log("status: connection accepted");
    return ERR_OK;
}

int bv_status_start(u16 port, bv_status_reply_fn reply, void (*log)(const char *line))
{
    if (listener || !reply)
        return -1;
    listener = bv_tcp_listen_on(port);
    if (!listener)
        return -1;
    status_reply = reply;
    status_log = log;
    tcp_accept(listener, status_accept);
    log_count("status: server listening on TCP port ", port, "");
    return 0;
}

u32 bv_status_open_connections(void)
{
    u32 n = 0;

    for (unsigned i = 0; i < STATUS_CONNS; i++)
        n += conns[i].used;
    return n;
}
