/*
 * net/lwip/bv_echo_client.c - the echo client of `echoctl client` on lwIP's
 * raw API (see bv_echo.h). One of the files that include lwIP.
 */
#include "net/lwip/bv_echo.h"
#include "lwip/ip4_addr.h"
#include "lwip/tcp.h"

static struct tcp_pcb *client;
static bool connected;
static void (*client_log)(const char *line);

/* "prefix" then text, non-printable bytes as '.', cut at 80 bytes (no formatter here). */
static void log_text(const char *prefix, const char *text, u16 len)
{
    char line[112];
    unsigned n = 0;

    if (!client_log)
        return;
    for (; *prefix && n < sizeof(line) - 1; prefix++)
        line[n++] = *prefix;
    for (u16 i = 0; i < len && i < 80 && n < sizeof(line) - 1; i++) {
        char c = text[i];
        if (c == '\n' || c == '\r')
            continue;
        line[n++] = (c >= 0x20 && c <= 0x7e) ? c : '.';
    }
    line[n] = '\0';
    client_log(line);
}

static void forget(void)
{
    client = NULL;
    connected = false;
}

static err_t client_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    char chunk[80];

    (void)arg;
    if (!p) {
        log_text("echo client: the server closed the connection", "", 0);
        tcp_recv(pcb, NULL);
        tcp_err(pcb, NULL);
        if (tcp_close(pcb) != ERR_OK)
            tcp_abort(pcb);
        forget();
        return ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return err;
    }
    u16 n = pbuf_copy_partial(p, chunk, sizeof(chunk), 0);
    log_text("echo client: received ", chunk, n);
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

/* lwIP freed the pcb already (reset, refused, timed out). */
static void client_err(void *arg, err_t err)
{
    (void)arg;
    (void)err;
    log_text(connected ? "echo client: connection lost" : "echo client: connection failed", "", 0);
    forget();
}

static err_t client_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    (void)pcb;
    if (err != ERR_OK)
        return err;
    connected = true;
    log_text("echo client: connected", "", 0);
    return ERR_OK;
}

int bv_echo_client_connect(u32 ip, u16 port, void (*log)(const char *line))
{
    ip_addr_t addr;

    if (client)
        return -1;
    client_log = log;
    client = tcp_new();
    if (!client)
        return -1;
    ip_addr_set_ip4_u32(&addr, lwip_htonl(ip));
    tcp_recv(client, client_recv);
    tcp_err(client, client_err);
    if (tcp_connect(client, &addr, port, client_connected) != ERR_OK) {
        tcp_abort(client);
        forget();
        return -1;
    }
    return 0;
}

int bv_echo_client_send(const char *text)
{
    u16 len = 0;

    if (!client || !connected)
        return -1;
    while (text[len] && len < 0xfff0)
        len++;
    if (tcp_sndbuf(client) < len + 1u ||
        tcp_write(client, text, len, TCP_WRITE_FLAG_COPY | TCP_WRITE_FLAG_MORE) != ERR_OK ||
        tcp_write(client, "\n", 1, TCP_WRITE_FLAG_COPY) != ERR_OK)
        return -1;
    tcp_output(client);
    return 0;
}

bool bv_echo_client_connecting(void)
{
    return client && !connected;
}

int bv_echo_client_close(void)
{
    if (!client)
        return -1;
    tcp_recv(client, NULL);
    tcp_err(client, NULL);
    if (tcp_close(client) != ERR_OK)
        tcp_abort(client);
    forget();
    log_text("echo client: closed", "", 0);
    return 0;
}
